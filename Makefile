# dcsim - build, run, test and benchmark.  `make help` lists the targets.
# ---- settings -------------------------------------------------------------
CC       ?= cc
OPT      ?= -O2 -g
WARN     := -Wall -Wextra -Wshadow -Wmissing-prototypes -Wstrict-prototypes
PKGS     := hdf5 libconfig gsl
BUILD    ?= build
DATADIR  := $(CURDIR)/scenarios
SCENARIO ?= scenarios/baseline.cfg
# extra flags, e.g. make EXTRA=-DSIM_CHECK
EXTRA    ?=
# ---------------------------------------------------------------------------
PKG_CFLAGS = $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PKG_LIBS   = $(shell pkg-config --libs $(PKGS) 2>/dev/null)
CFLAGS  := -std=c11 -D_GNU_SOURCE $(OPT) $(WARN) -flto=auto -MMD -MP $(EXTRA) -DDCSIM_DATADIR='"$(DATADIR)"'
LDFLAGS := -flto=auto $(OPT)
LIBS     = $(PKG_LIBS) -lhdf5_hl -lm

GRID_SRC   := grid/timeutil.c grid/trace.c
SIM_SRC    := sim/engine.c sim/rng.c sim/cfgutil.c sim/catalog.c sim/scenario.c sim/facility.c \
              sim/fleet.c sim/workload.c sim/sched.c sim/account.c sim/sim.c
OUTPUT_SRC := output/h5sink.c
ANALYSIS_SRC := analysis/report.c
LIB_SRC    := $(GRID_SRC) $(SIM_SRC) $(OUTPUT_SRC) $(ANALYSIS_SRC)
TEST_SRC   := $(wildcard tests/test_*.c) tests/memsink.c tests/testutil.c tests/run_tests.c

LIB_OBJ  := $(LIB_SRC:%.c=$(BUILD)/%.o)
MAIN_OBJ := $(BUILD)/sim/main.o
TEST_OBJ := $(TEST_SRC:%.c=$(BUILD)/%.o)
DEPS     := $(LIB_OBJ:.o=.d) $(MAIN_OBJ:.o=.d) $(TEST_OBJ:.o=.d)

.PHONY: all deps run test bench clean help check-sim

all: $(BUILD)/dcsim

help:
	@echo "make run     install what is missing, build, simulate $(SCENARIO)"
	@echo "make test    install what is missing, build, run the whole test suite"
	@echo "make bench   W1 peer benchmark (vs ../shared/peers/limit.c) and the baseline timing"
	@echo "make check-sim  unit tests in a -DSIM_CHECK build (invariants after every event)"
	@echo "make deps    install the Debian packages (root), or print the apt command"
	@echo "make clean   remove $(BUILD)/ and results/"

deps:
	@sh tools/deps.sh

$(BUILD)/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(PKG_CFLAGS) -c $< -o $@

$(BUILD)/dcsim: $(LIB_OBJ) $(MAIN_OBJ)
	$(CC) $(LDFLAGS) -o $@ $^ $(LIBS)

$(BUILD)/run_tests: $(LIB_OBJ) $(TEST_OBJ)
	$(CC) $(LDFLAGS) -o $@ $^ $(LIBS)

run: deps
	@$(MAKE) --no-print-directory all
	$(BUILD)/dcsim run $(SCENARIO)

test: deps
	@$(MAKE) --no-print-directory all $(BUILD)/run_tests
	@sh tests/run.sh $(BUILD)

bench: deps
	@$(MAKE) --no-print-directory all
	@sh tests/bench.sh $(BUILD)

# the unit tests in a -DSIM_CHECK build: invariants verified after every event
check-sim: deps
	@$(MAKE) --no-print-directory BUILD=$(BUILD)/check EXTRA=-DSIM_CHECK $(BUILD)/check/run_tests
	$(BUILD)/check/run_tests

clean:
	rm -rf $(BUILD) results

-include $(DEPS)
