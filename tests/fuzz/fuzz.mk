# tests/fuzz/fuzz.mk - libFuzzer targets (included at the end of Makefile).
#
#   make fuzz              build every tests/fuzz/fuzz_*.c and run each for
#                          FUZZ_SECONDS (default 60) on a copy of its corpus
#   make fuzz-smoke        the same for 10 seconds each (CI)
#   make fuzz-corpus       rewrite the seeds tests/fuzz/gen_*.c make
#   make fuzz-build        only build the targets
#   make fuzz-known        run the reproducers of tests/fuzz/known/ with
#                          the guards off: which known bugs still crash
#   FUZZ_STRICT=1          build and run with the known-bug guards off
#                          (into $(BUILD)/fuzz-strict)
#
# The server and SDK sources are compiled again with clang, instrumented
# for coverage and with ASan and UBSan, into $(BUILD)/fuzz/obj (build/libfsd.a
# is gcc-built and uninstrumented); "fuzzer-no-link" for them, as libFuzzer's
# main() is linked once, into each target.  They go into two archives, so a
# target links only the objects it needs.  tests/fuzz/run.sh runs the targets and
# prints each one's executions; it fails when any crashed.

FUZZ_CC       ?= clang
FUZZ_SECONDS  ?= 60
FUZZ_STRICT   ?=
FUZZ_DIR       = $(BUILD)/fuzz$(if $(FUZZ_STRICT),-strict)
# known bugs in server code UBSan would stop at (tests/fuzz/known/README)
FUZZ_IGNORE    = $(if $(FUZZ_STRICT),,-fsanitize-ignorelist=tests/fuzz/known/ubsan.ignore)
FUZZ_SAN       = -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined
FUZZ_OBJ_SAN   = -fsanitize=fuzzer-no-link,address,undefined \
                 -fno-sanitize-recover=undefined $(FUZZ_IGNORE)
FUZZ_RUN       = $(if $(FUZZ_STRICT),FUZZ_STRICT=1) sh tests/fuzz/run.sh
FUZZ_CFLAGS    = -std=c11 -g -O1 -fno-omit-frame-pointer -D_DEFAULT_SOURCE \
                 -MMD -MP -I. -Iserver -I$(BUILD)/gen -Iclient-sdk/include \
                 -Iclient-sdk/src -Itests/fuzz
# clang's libFuzzer runtime: Debian's clang only recommends it
FUZZ_PACKAGES  = clang libclang-rt-dev

FUZZ_SERVER_SRC = $(filter-out server/main.c,$(wildcard server/*.c server/*/*.c)) \
                  $(wildcard common/*.c)
FUZZ_CLIENT_SRC = $(wildcard client-sdk/src/*.c)
FUZZ_GEN_SRC    = $(BUILD)/gen/fsd.pb-c.c $(BUILD)/gen/migrations.c \
                  $(BUILD)/gen/openapi.c
FUZZ_SERVER_OBJ = $(FUZZ_SERVER_SRC:%.c=$(FUZZ_DIR)/obj/%.o) \
                  $(FUZZ_GEN_SRC:$(BUILD)/gen/%.c=$(FUZZ_DIR)/obj/gen/%.o)
FUZZ_CLIENT_OBJ = $(FUZZ_CLIENT_SRC:%.c=$(FUZZ_DIR)/obj/%.o)
FUZZ_SERVER_LIB = $(FUZZ_DIR)/libfsd-fuzz.a
FUZZ_CLIENT_LIB = $(FUZZ_DIR)/libfsdclient-fuzz.a
FUZZ_LIBS       = -lcivetweb -lpthread -lsqlite3 -lsodium -ljansson \
                  -lprotobuf-c -lcurl -lm

FUZZ_GEN_CORPUS_OBJ = $(patsubst %.c,$(FUZZ_DIR)/obj/%.o,\
                        $(wildcard tests/fuzz/gen_*.c))

FUZZ_NAMES = $(patsubst tests/fuzz/fuzz_%.c,%,$(wildcard tests/fuzz/fuzz_*.c))
FUZZ_BINS  = $(FUZZ_NAMES:%=$(FUZZ_DIR)/fuzz_%)

.PHONY: fuzz fuzz-smoke fuzz-build fuzz-deps fuzz-corpus fuzz-known

fuzz: fuzz-build
	$(Q)$(FUZZ_RUN) $(FUZZ_DIR) $(FUZZ_SECONDS) $(FUZZ_NAMES)

# FUZZ_SECONDS from the command line or the environment wins here too
fuzz-smoke: fuzz-build
	$(Q)$(FUZZ_RUN) $(FUZZ_DIR) \
	    $(if $(filter file,$(origin FUZZ_SECONDS)),10,$(FUZZ_SECONDS)) $(FUZZ_NAMES)

fuzz-build: fuzz-deps $(FUZZ_BINS)

fuzz-deps: deps
	$(Q)sh tests/install-deps.sh $(FUZZ_PACKAGES)

# the seeds, written over the checked-in ones (other files there stay);
# sealed boxes are random, so their bytes change on every run
fuzz-corpus: fuzz-deps $(FUZZ_DIR)/gen_corpus
	$(Q)$(FUZZ_DIR)/gen_corpus tests/fuzz/corpus

# each reproducer is named <target>-<bug>: it must run clean once fixed
fuzz-known:
	$(Q)$(MAKE) --no-print-directory fuzz-build FUZZ_STRICT=1
	$(Q)sh tests/fuzz/known/check.sh $(BUILD)/fuzz-strict

$(FUZZ_DIR)/obj/%.o: %.c tests/fuzz/known/ubsan.ignore | fuzz-deps $(GEN_HEADERS)
	@mkdir -p $(@D)
	@echo "  CLANG   $<"
	$(Q)$(FUZZ_CC) $(FUZZ_CFLAGS) $(FUZZ_OBJ_SAN) -c $< -o $@

$(FUZZ_DIR)/obj/gen/%.o: $(BUILD)/gen/%.c tests/fuzz/known/ubsan.ignore | fuzz-deps
	@mkdir -p $(@D)
	@echo "  CLANG   $<"
	$(Q)$(FUZZ_CC) $(FUZZ_CFLAGS) $(FUZZ_OBJ_SAN) -Wno-overlength-strings -c $< -o $@

$(FUZZ_SERVER_LIB): $(FUZZ_SERVER_OBJ)
	@echo "  AR      $@"
	$(Q)rm -f $@ && ar rcs $@ $^

$(FUZZ_CLIENT_LIB): $(FUZZ_CLIENT_OBJ)
	@echo "  AR      $@"
	$(Q)rm -f $@ && ar rcs $@ $^

# a target: its one source, then the SDK (which uses the server's
# envelope code), then the server
$(FUZZ_DIR)/fuzz_%: tests/fuzz/fuzz_%.c tests/fuzz/fuzz.h $(FUZZ_CLIENT_LIB) $(FUZZ_SERVER_LIB)
	@mkdir -p $(@D)
	@echo "  FUZZER  $@"
	$(Q)$(FUZZ_CC) $(FUZZ_CFLAGS) $(FUZZ_SAN) -MF $@.d -o $@ $< \
	    $(FUZZ_CLIENT_LIB) $(FUZZ_SERVER_LIB) $(FUZZ_LIBS)

# the seed generator: main and output in gen_corpus.c, one file per family
# of seeds (gen_corpus.h), compiled like the server sources
$(FUZZ_DIR)/gen_corpus: $(FUZZ_GEN_CORPUS_OBJ) $(FUZZ_SERVER_LIB)
	@mkdir -p $(@D)
	@echo "  LINK    $@"
	$(Q)$(FUZZ_CC) $(FUZZ_CFLAGS) $(FUZZ_OBJ_SAN) -o $@ $^ $(FUZZ_LIBS)
