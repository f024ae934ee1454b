# fsd - one non-recursive Makefile for the server, its tests and tools.
#   make            build build/fsd-server
#   make run        install missing packages, build, create a demo database, serve
#                   (PORT=8081 serves on another port)
#   make test       build and run every test suite (what CI runs)
#   make asan       the tests under AddressSanitizer and UBSan
#   make bench      benchmarks (tests/bench), figures for README.md
#   make install    PREFIX=/usr/local DESTDIR=
#   make deps       install missing Debian packages
#   make fresh      make run and make test on a brand-new Debian 12 root
#   make deploy-test deploy/nginx in front of fsd over HTTPS (tests/deploy)
#   V=1             show full command lines

BUILD   ?= build
PREFIX  ?= /usr/local
CC      ?= cc
OPT     ?= -O2
SAN     ?=
CFLAGS  ?= $(OPT) -g
# includes are named from the root (common/err.h) or from server/
# (store/store.h); the device SDK is built without server/ (BASE_CFLAGS)
BASE_CFLAGS = -std=c11 -Wall -Wextra -pedantic -D_DEFAULT_SOURCE -MMD -MP \
              -I. -I$(BUILD)/gen $(SAN) $(CFLAGS)
ALL_CFLAGS = $(BASE_CFLAGS) -Iserver
LDFLAGS ?=
LIBS    = -lcivetweb -lpthread -lsqlite3 -lsodium -ljansson -lprotobuf-c -lm
CHECK_LIBS = $(shell pkg-config --libs check 2>/dev/null || echo -lcheck -lsubunit -lm -lrt)
CURL_LIBS  = $(shell pkg-config --libs libcurl 2>/dev/null || echo -lcurl)

ifeq ($(V),1)
Q =
else
Q = @
endif

DEB_PACKAGES = build-essential pkg-config libcivetweb-dev libsqlite3-dev \
    libsodium-dev libprotobuf-c-dev protobuf-c-compiler libjansson-dev \
    libcurl4-openssl-dev check sqlite3 tzdata curl
# the browser tests' (tests/browser): Debian's chromium driven from node
BROWSER_PACKAGES = chromium nodejs
# the protocol's second implementation (tests/conformance): Debian's Python
# with libsodium's and protobuf's bindings, and protoc for its messages
CONFORMANCE_PACKAGES = python3 python3-nacl python3-protobuf protobuf-compiler

SERVER_SRC  = $(filter-out server/main.c,$(wildcard server/*.c server/*/*.c)) \
              $(wildcard common/*.c)
PROTO_GEN   = $(BUILD)/gen/fsd.pb-c.c
GEN_SRC     = $(BUILD)/gen/migrations.c $(BUILD)/gen/openapi.c $(PROTO_GEN)
GEN_HEADERS = $(BUILD)/gen/fsd.pb-c.h $(BUILD)/gen/job_sets_sql.h
LIB_OBJ     = $(SERVER_SRC:%.c=$(BUILD)/%.o) $(GEN_SRC:$(BUILD)/%.c=$(BUILD)/%.o)
SERVER_BIN  = $(BUILD)/fsd-server
UNIT_SRC    = $(wildcard tests/unit/test_*.c)
UNIT_BINS   = $(UNIT_SRC:tests/unit/%.c=$(BUILD)/tests/%)
E2E_SRC     = $(wildcard tests/e2e/*.c)
E2E_BIN     = $(if $(E2E_SRC),$(BUILD)/tests/e2e_suite)
BENCH_SRC   = $(wildcard tests/bench/*.c)
# the device SDK: its own sources plus the wire code it shares with the server
CLIENT_SRC  = $(wildcard client-sdk/src/*.c)
CLIENT_SHARED = common/envelope.c common/sec.c common/mem.c common/err.c
CLIENT_OBJ  = $(CLIENT_SRC:%.c=$(BUILD)/%.o) \
              $(CLIENT_SHARED:%.c=$(BUILD)/client-shared/%.o) $(BUILD)/gen/fsd.pb-c.o
CLIENT_LIB  = $(BUILD)/client/libfsdclient.a
CLIENT_LIBS = -lsqlite3 -lsodium -lprotobuf-c $(CURL_LIBS)
FSD_TECH    = $(BUILD)/fsd-tech
BENCH_BINS  = $(BENCH_SRC:tests/bench/%.c=$(BUILD)/bench/%)

.PHONY: all run test browser conformance conformance-deps asan valgrind bench \
        install clean deps browser-deps \
        fresh deploy-test deploy-deps

.DEFAULT_GOAL := all

# Fuzz targets (tests/fuzz, make fuzz) and the crash-safety run
# (tests/fault, make fault) keep their rules beside their sources.
-include tests/fuzz/fuzz.mk
include tests/fault/fault.mk
.SECONDARY:
all: $(SERVER_BIN) $(CLIENT_LIB) $(FSD_TECH)

$(BUILD)/gen/migrations.c: $(sort $(wildcard schema/[0-9][0-9][0-9]_*.sql)) schema/embed.sh
	@mkdir -p $(@D)
	$(Q)sh schema/embed.sh $@ $(sort $(wildcard schema/[0-9][0-9][0-9]_*.sql))

$(BUILD)/gen/openapi.c: server/openapi.yaml schema/embed.sh
	@mkdir -p $(@D)
	$(Q)sh schema/embed.sh --text fsd_openapi_yaml $@ server/openapi.yaml

# the wire messages (proto/fsd.proto), generated before anything includes them
$(BUILD)/gen/fsd.pb-c.c $(BUILD)/gen/fsd.pb-c.h &: proto/fsd.proto
	@mkdir -p $(@D)
	@echo "  PROTOC  $<"
	$(Q)protoc-c --proto_path=proto --c_out=$(BUILD)/gen $<
# the job-state sets as SQL lists (server/rules/job_sets.h), from a small
# program built of the rules that define them
JOB_SETS_GEN_SRC = schema/gen_job_sets.c server/rules/job_sets.c \
                   server/rules/job.c common/err.c
$(BUILD)/gen/job_sets_sql.h: $(JOB_SETS_GEN_SRC) server/rules/job_sets.h \
                             server/rules/job.h
	@mkdir -p $(@D)
	@echo "  GEN     $@"
	$(Q)$(CC) -std=c11 -D_DEFAULT_SOURCE -I. -Iserver -o $(BUILD)/gen/gen_job_sets \
	    $(JOB_SETS_GEN_SRC) && $(BUILD)/gen/gen_job_sets >$@.tmp && mv $@.tmp $@
$(LIB_OBJ) $(BUILD)/server/main.o: | $(GEN_HEADERS)
$(UNIT_SRC:tests/unit/%.c=$(BUILD)/tests/unit/%.o): | $(GEN_HEADERS)
$(E2E_SRC:tests/e2e/%.c=$(BUILD)/tests/e2e/%.o): | $(GEN_HEADERS)

$(BUILD)/gen/%.o: $(BUILD)/gen/%.c
	@echo "  CC      $<"
	$(Q)$(CC) $(ALL_CFLAGS) -Wno-overlength-strings -c $< -o $@

$(BUILD)/%.o: %.c
	@mkdir -p $(@D)
	@echo "  CC      $<"
	$(Q)$(CC) $(ALL_CFLAGS) -c $< -o $@

$(BUILD)/client-sdk/%.o: client-sdk/%.c | $(BUILD)/gen/fsd.pb-c.h
	@mkdir -p $(@D)
	@echo "  CC      $<"
	$(Q)$(CC) $(BASE_CFLAGS) -Iclient-sdk/include -Iclient-sdk/src -c $< -o $@

$(BUILD)/client-shared/%.o: %.c | $(BUILD)/gen/fsd.pb-c.h
	@mkdir -p $(@D)
	$(Q)$(CC) $(BASE_CFLAGS) -c $< -o $@

$(CLIENT_LIB): $(CLIENT_OBJ)
	@mkdir -p $(@D)
	@echo "  AR      $@"
	$(Q)rm -f $@ && ar rcs $@ $^

$(FSD_TECH): $(BUILD)/client-sdk/cli/fsd_tech.o $(CLIENT_LIB)
	@echo "  LINK    $@"
	$(Q)$(CC) $(SAN) $(LDFLAGS) -o $@ $^ $(CLIENT_LIBS) -ljansson

$(BUILD)/libfsd.a: $(LIB_OBJ)
	@echo "  AR      $@"
	$(Q)rm -f $@ && ar rcs $@ $^

$(SERVER_BIN): $(BUILD)/server/main.o $(BUILD)/libfsd.a
	@echo "  LINK    $@"
	$(Q)$(CC) $(SAN) $(LDFLAGS) -o $@ $^ $(LIBS)

$(BUILD)/tests/test_%: $(BUILD)/tests/unit/test_%.o $(BUILD)/tests/unit/testutil.o $(BUILD)/libfsd.a
	@mkdir -p $(@D)
	@echo "  LINK    $@"
	$(Q)$(CC) $(SAN) $(LDFLAGS) -o $@ $^ $(LIBS) $(CHECK_LIBS)

$(BUILD)/tests/unit/%.o: tests/unit/%.c
	@mkdir -p $(@D)
	@echo "  CC      $<"
	$(Q)$(CC) $(ALL_CFLAGS) -Itests/unit -Iclient-sdk/include -Iclient-sdk/src -c $< -o $@

# suites that share helpers: the assignment engine's and the slot
# search's problem builders, the OpenAPI suites' YAML line reader
ASSIGN_SUITES = $(filter $(BUILD)/tests/test_assign%,$(UNIT_BINS))
OPENAPI_SUITES = $(filter $(BUILD)/tests/test_openapi%,$(UNIT_BINS))
SLOTS_SUITES = $(filter $(BUILD)/tests/test_slots%,$(UNIT_BINS))
$(ASSIGN_SUITES): $(BUILD)/tests/unit/assign_world.o
$(SLOTS_SUITES): $(BUILD)/tests/unit/slots_world.o
$(OPENAPI_SUITES): $(BUILD)/tests/unit/yaml_lines.o
# the protocol's test vectors (tests/vectors): built by the unit suite that
# checks proto/test-vectors.json, and by make_vectors, which writes it
VECTOR_SUITES = $(BUILD)/tests/test_vectors
VECTOR_OBJ = $(BUILD)/tests/vectors/vectors.o
$(VECTOR_SUITES): $(VECTOR_OBJ)
$(BUILD)/tests/vectors/%.o: tests/vectors/%.c | $(GEN_HEADERS)
	@mkdir -p $(@D)
	@echo "  CC      $<"
	$(Q)$(CC) $(ALL_CFLAGS) -Itests/vectors -c $< -o $@
$(BUILD)/tests/unit/test_vectors.o: ALL_CFLAGS += -Itests/vectors
$(BUILD)/tests/make_vectors: $(BUILD)/tests/vectors/make_vectors.o $(VECTOR_OBJ) $(BUILD)/libfsd.a
	@echo "  LINK    $@"
	$(Q)$(CC) $(SAN) $(LDFLAGS) -o $@ $^ $(LIBS)
$(ASSIGN_SUITES) $(SLOTS_SUITES) $(OPENAPI_SUITES) $(VECTOR_SUITES): $(BUILD)/tests/%: $(BUILD)/tests/unit/%.o $(BUILD)/tests/unit/testutil.o $(BUILD)/libfsd.a
	@mkdir -p $(@D)
	@echo "  LINK    $@"
	$(Q)$(CC) $(SAN) $(LDFLAGS) -o $@ $^ $(LIBS) $(CHECK_LIBS)

# the SDK's own unit suites also link the SDK
$(BUILD)/tests/test_client_%: $(BUILD)/tests/unit/test_client_%.o $(BUILD)/tests/unit/testutil.o $(CLIENT_LIB) $(BUILD)/libfsd.a
	@mkdir -p $(@D)
	@echo "  LINK    $@"
	$(Q)$(CC) $(SAN) $(LDFLAGS) -o $@ $^ $(LIBS) $(CHECK_LIBS) $(CURL_LIBS)

$(BUILD)/tests/e2e/%.o: tests/e2e/%.c
	@mkdir -p $(@D)
	@echo "  CC      $<"
	$(Q)$(CC) $(ALL_CFLAGS) -Itests/e2e -Itests/support -Iclient-sdk/include -c $< -o $@

# a server child for the e2e suites and the fault run (tests/support),
# and as fsd-test-server for the browser tests and the benchmarks
TEST_CHILD_OBJ = $(BUILD)/tests/support/child.o
TEST_SERVER = $(BUILD)/tests/fsd-test-server

$(TEST_SERVER): $(BUILD)/tests/support/serve_child.o $(TEST_CHILD_OBJ)
	@mkdir -p $(@D)
	@echo "  LINK    $@"
	$(Q)$(CC) $(SAN) $(LDFLAGS) -o $@ $^ $(CURL_LIBS)

$(BUILD)/tests/e2e_suite: $(E2E_SRC:tests/e2e/%.c=$(BUILD)/tests/e2e/%.o) $(TEST_CHILD_OBJ) $(CLIENT_LIB) $(BUILD)/libfsd.a
	@echo "  LINK    $@"
	$(Q)$(CC) $(SAN) $(LDFLAGS) -o $@ $^ $(LIBS) $(CHECK_LIBS) $(CURL_LIBS)

$(BUILD)/bench/%: tests/bench/%.c $(CLIENT_LIB) $(BUILD)/libfsd.a
	@mkdir -p $(@D)
	@echo "  LINK    $@"
	$(Q)$(CC) $(ALL_CFLAGS) -Iclient-sdk/include -o $@ $^ $(LIBS) $(CURL_LIBS)

# Every group of tests runs even when an earlier one fails: the unit
# suites, the e2e suite, the browser tests, a short crash-safety run and
# the deployment test (nginx in front, tests/deploy); first, the rule
# between the layers (tests/layers/check.sh).
# tests/logged.sh keeps each group's output in $(TEST_RESULTS)/GROUP.log;
# tests/summary.awk reads them last, prints what passed and what failed,
# and its exit status is the target's.
TEST_FAULT_SECONDS ?= 30
TEST_RESULTS = $(BUILD)/test-results
test: deps browser-deps deploy-deps conformance-deps $(SERVER_BIN) \
      $(FSD_TECH) $(UNIT_BINS) $(E2E_BIN) $(FAULT_BIN) $(TEST_SERVER)
	$(Q)rm -rf $(TEST_RESULTS); \
	    sh tests/logged.sh $(TEST_RESULTS)/layers.log \
	        sh tests/layers/check.sh --self-test .; \
	    sh tests/logged.sh $(TEST_RESULTS)/unit.log \
	        sh tests/run.sh $(BUILD) $(UNIT_BINS); \
	    sh tests/logged.sh $(TEST_RESULTS)/e2e.log \
	        sh tests/run.sh $(BUILD) $(E2E_BIN); \
	    sh tests/logged.sh $(TEST_RESULTS)/browser.log \
	        sh tests/browser/run.sh $(BUILD) $(TEST_RESULTS)/browser.tap; \
	    sh tests/logged.sh $(TEST_RESULTS)/conformance.log \
	        sh tests/conformance/run.sh $(BUILD) \
	        $(TEST_RESULTS)/conformance.tap; \
	    sh tests/logged.sh $(TEST_RESULTS)/fault.log \
	        $(FAULT_BIN) --server $(SERVER_BIN) --dir $(BUILD)/fault/run \
	        --seconds $(TEST_FAULT_SECONDS); \
	    sh tests/logged.sh $(TEST_RESULTS)/deploy.log \
	        sh tests/deploy/run.sh $(BUILD); \
	    awk -v results=$(TEST_RESULTS) -f tests/summary.awk

# Only the browser tests (tests/browser), screenshots in $(BUILD)/screenshots.
browser: deps browser-deps $(SERVER_BIN) $(TEST_SERVER)
	$(Q)sh tests/browser/run.sh $(BUILD)

asan:
	$(Q)$(MAKE) --no-print-directory BUILD=build/asan OPT=-O1 \
	    SAN="-fsanitize=address,undefined -fno-omit-frame-pointer" test

# The server under valgrind memcheck for a short e2e run (no definite leaks).
valgrind: deps $(SERVER_BIN) $(FSD_TECH) $(E2E_BIN)
	$(Q)sh tests/valgrind/run.sh $(BUILD)

bench: deps browser-deps $(SERVER_BIN) $(BENCH_BINS) $(TEST_SERVER)
	$(Q)sh tests/bench/run.sh $(BUILD)

# The demo: a database with demonstration data in var/ (kept between
# runs), served on 127.0.0.1:$(PORT); deploy/run-demo.sh prints the
# dispatcher URL once the server listens.
PORT ?= 8080
run: deps all
	$(Q)sh deploy/run-demo.sh $(SERVER_BIN) var/fsd.db $(PORT)

# The shipped nginx site in front of a real fsd-server, over HTTPS
# (tests/deploy); Debian's nginx, curl and openssl.
deploy-test: deps deploy-deps $(SERVER_BIN) $(FSD_TECH)
	$(Q)sh tests/deploy/run.sh $(BUILD)

deploy-deps:
	$(Q)sh tests/deploy/install-deps.sh

# The README's two commands on a brand-new Debian 12 root (tests/fresh).
fresh:
	$(Q)sh tests/fresh/run.sh

install: $(SERVER_BIN) $(CLIENT_LIB) $(FSD_TECH)
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/share/fsd/www \
	    $(DESTDIR)$(PREFIX)/lib/pkgconfig $(DESTDIR)$(PREFIX)/include
	install -m 755 $(SERVER_BIN) $(DESTDIR)$(PREFIX)/bin/fsd-server
	install -m 755 $(FSD_TECH) $(DESTDIR)$(PREFIX)/bin/fsd-tech
	install -m 644 $(CLIENT_LIB) $(DESTDIR)$(PREFIX)/lib/libfsdclient.a
	install -m 644 client-sdk/include/fsd_client.h $(DESTDIR)$(PREFIX)/include/
	sed 's|@PREFIX@|$(PREFIX)|' client-sdk/fsd_client.pc.in \
	    > $(DESTDIR)$(PREFIX)/lib/pkgconfig/fsd_client.pc
	cp -R server/www/. $(DESTDIR)$(PREFIX)/share/fsd/www/

deps:
	$(Q)sh tests/install-deps.sh $(DEB_PACKAGES)

# Only the protocol's conformance run (tests/conformance).
conformance: deps conformance-deps $(SERVER_BIN) $(TEST_SERVER)
	$(Q)sh tests/conformance/run.sh $(BUILD)

conformance-deps:
	$(Q)sh tests/install-deps.sh $(CONFORMANCE_PACKAGES)

browser-deps:
	$(Q)sh tests/install-deps.sh $(BROWSER_PACKAGES)
	$(Q)command -v npm >/dev/null || sh tests/install-deps.sh npm

clean:
	rm -rf build

-include $(shell find $(BUILD) -name '*.d' 2>/dev/null)

# --- assignment engine benchmark (tests/bench/assign) ----------------------
# assign_gen writes seeded instances, bench_assign runs the engine and the
# LP references on them; tests/bench/assign/run.sh drives both (make bench).
ASSIGN_BENCH_DIR  = tests/bench/assign
ASSIGN_BENCH_OBJ  = $(patsubst %,$(BUILD)/$(ASSIGN_BENCH_DIR)/%.o,instance \
                    instance_save jget vroom reference ref_solve metrics \
                    engine_run report)
ASSIGN_BENCH_BINS = $(BUILD)/bench/assign_gen $(BUILD)/bench/bench_assign

$(BUILD)/bench/assign_gen: $(BUILD)/$(ASSIGN_BENCH_DIR)/gen.o \
    $(ASSIGN_BENCH_OBJ) $(BUILD)/libfsd.a
$(BUILD)/bench/bench_assign: $(BUILD)/$(ASSIGN_BENCH_DIR)/bench_assign.o \
    $(ASSIGN_BENCH_OBJ) $(BUILD)/libfsd.a
$(ASSIGN_BENCH_BINS):
	@mkdir -p $(@D)
	@echo "  LINK    $@"
	$(Q)$(CC) $(SAN) $(LDFLAGS) -o $@ $^ $(LIBS) -lm

bench: $(ASSIGN_BENCH_BINS)
# --- end of the assignment engine benchmark ---------------------------------

# --- busy hour load benchmark (tests/bench/load) ----------------------------
# bench_load plays a service company's busy hour against a running
# fsd-server; tests/bench/run.sh starts one for it, last (make bench).
LOAD_BENCH_DIR = tests/bench/load
LOAD_BENCH_OBJ = $(patsubst %,$(BUILD)/$(LOAD_BENCH_DIR)/%.o,bench_load \
                 load_http load_setup load_sched load_work load_report)
LOAD_BENCH_BIN = $(BUILD)/bench/bench_load

$(LOAD_BENCH_OBJ): $(BUILD)/$(LOAD_BENCH_DIR)/%.o: $(LOAD_BENCH_DIR)/%.c
	@mkdir -p $(@D)
	@echo "  CC      $<"
	$(Q)$(CC) $(ALL_CFLAGS) -Iclient-sdk/include -c $< -o $@

# A build dir from before the split (one source, compiled and linked at
# once) holds a $(BUILD)/bench/bench_load.d naming the old source and
# fsd_client.h as prerequisites: the empty rule lets make pass over the
# source that is gone, the link links only objects and libraries and
# removes that stale file.
tests/bench/bench_load.c: ;

$(LOAD_BENCH_BIN): $(LOAD_BENCH_OBJ) $(CLIENT_LIB) $(BUILD)/libfsd.a
	@mkdir -p $(@D)
	@echo "  LINK    $@"
	$(Q)$(CC) $(SAN) $(LDFLAGS) -o $@ $(filter %.o %.a,$^) $(LIBS) \
	    $(CURL_LIBS)
	$(Q)rm -f $@.d

bench: $(LOAD_BENCH_BIN)
# --- end of the busy hour load benchmark ------------------------------------
