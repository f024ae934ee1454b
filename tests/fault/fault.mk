# tests/fault/fault.mk - the crash-safety run, included by the Makefile.
#   make fault                  build build/fault/fault and run it
#   make fault FAULT_SECONDS=120
# The program (tests/fault/*.c) drives the real build/fsd-server with
# simulated devices built on the device SDK (libfsdclient), SIGKILLs and
# restarts the server and devices at random moments, and checks that
# nothing acknowledged is lost or applied twice; see fault_main.c.

FAULT_SECONDS ?= 60
FAULT_SRC  = $(wildcard tests/fault/*.c)
FAULT_OBJ  = $(FAULT_SRC:tests/fault/%.c=$(BUILD)/tests/fault/%.o)
FAULT_BIN  = $(BUILD)/fault/fault

.PHONY: fault
fault: $(SERVER_BIN) $(FAULT_BIN)
	$(Q)$(FAULT_BIN) --server $(SERVER_BIN) --dir $(BUILD)/fault/run \
	    --seconds $(FAULT_SECONDS)

$(BUILD)/tests/fault/%.o: tests/fault/%.c | $(BUILD)/gen/fsd.pb-c.h
	@mkdir -p $(@D)
	@echo "  CC      $<"
	$(Q)$(CC) $(ALL_CFLAGS) -Itests/fault -Itests/support -Iclient-sdk/include -c $< -o $@

$(FAULT_BIN): $(FAULT_OBJ) $(BUILD)/tests/support/child.o $(CLIENT_LIB)
	@mkdir -p $(@D)
	@echo "  LINK    $@"
	$(Q)$(CC) $(SAN) $(LDFLAGS) -o $@ $^ $(LIBS) $(CURL_LIBS)
