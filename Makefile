# dcsim - build, run, test and benchmark.  `make help` lists the targets.
# ---- settings -------------------------------------------------------------
CC       ?= cc
OPT      ?= -O2 -g
WARN     := -Wall -Wextra -Wshadow -Wmissing-prototypes -Wstrict-prototypes
PKGS     := hdf5 libconfig gsl jansson
BUILD    ?= build
DATADIR  := $(CURDIR)/scenarios
SCENARIO ?= scenarios/baseline.cfg
# extra flags, e.g. make EXTRA=-DSIM_CHECK
EXTRA    ?=
# link-time optimisation (the fuzz, sanitizer and allocation-failure builds turn it off)
LTO      ?= -flto=auto
# OpenMP for `dcsim sweep` (the fuzz build, with clang, turns it off)
OMP      ?= -fopenmp
# MPI=1: an MPI-enabled dcsim (mpicc from libopenmpi-dev) in build/mpi
MPI      ?= 0
ifeq ($(MPI),1)
ifeq ($(shell command -v mpicc 2>/dev/null),)
$(error MPI=1 needs mpicc: run  sh tools/deps.sh libopenmpi-dev openmpi-bin  (or apt-get install -y libopenmpi-dev openmpi-bin))
endif
CC       := mpicc
BUILD    := build/mpi
EXTRA    += -DDCSIM_MPI
endif
# seconds of fuzzing per harness for `make fuzz` (CI: 20)
FUZZ_SECONDS ?= 60
# 1: the seeded, fixed-length pass CI runs (tests/fuzz/run.sh)
FUZZ_CI ?= 0
# ---------------------------------------------------------------------------
PKG_CFLAGS = $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PKG_LIBS   = $(shell pkg-config --libs $(PKGS) 2>/dev/null)
CFLAGS  := -std=c11 -D_GNU_SOURCE $(OPT) $(WARN) $(LTO) $(OMP) -MMD -MP $(EXTRA) -DDCSIM_DATADIR='"$(DATADIR)"'
LDFLAGS := $(LTO) $(OPT) $(OMP)
LIBS     = $(PKG_LIBS) -lhdf5_hl -lm

GRID_SRC   := grid/timeutil.c grid/trace.c grid/series.c grid/weather.c grid/market.c grid/battery.c \
              grid/synthgrid.c grid/newdemand.c
SIM_SRC    := sim/engine.c sim/rng.c sim/cfgutil.c sim/catalog.c sim/perf.c sim/projection.c sim/jobtrace.c sim/scenario.c sim/facility.c \
              sim/fleet.c sim/power.c sim/policy.c sim/workload.c sim/sched.c sim/serve.c sim/account.c sim/sim.c \
              sim/sweepstat.c sim/sweep.c sim/sweepmpi.c sim/sweepcli.c
OUTPUT_SRC := output/h5sink.c output/h5sweep.c
ANALYSIS_SRC := analysis/metrics.c analysis/format.c analysis/report.c analysis/compare.c \
                analysis/calibrate.c analysis/sweepreport.c
LIB_SRC    := $(GRID_SRC) $(SIM_SRC) $(OUTPUT_SRC) $(ANALYSIS_SRC)
TEST_SRC   := $(wildcard tests/test_*.c) tests/memsink.c tests/testutil.c tests/run_tests.c

LIB_OBJ  := $(LIB_SRC:%.c=$(BUILD)/%.o)
MAIN_OBJ := $(BUILD)/sim/main.o
TEST_OBJ := $(TEST_SRC:%.c=$(BUILD)/%.o)
DEPS     := $(LIB_OBJ:.o=.d) $(MAIN_OBJ:.o=.d) $(TEST_OBJ:.o=.d)

# reliability (docs/RELIABILITY.md): fuzz harnesses, their replay in every build,
# a dcsim whose own allocations fail on request, sanitizer and fuzz flags
FUZZERS   := scenario trace weather report
FUZZ_OBJ  := $(FUZZERS:%=$(BUILD)/tests/fuzz/fuzz_%.o) $(BUILD)/tests/fuzz/fuzzutil.o $(BUILD)/tests/fuzz/replay.o
REPLAY    := $(FUZZERS:%=$(BUILD)/replay_%)
ALLOCFAIL := $(BUILD)/dcsim_allocfail
TEST_BINS := $(BUILD)/dcsim $(BUILD)/run_tests $(REPLAY) $(ALLOCFAIL)
SAN_OPT   := -O1 -g -fno-omit-frame-pointer -fsanitize=address,undefined -fno-sanitize-recover=undefined
FUZZ_OPT  := $(SAN_OPT) -fsanitize=fuzzer-no-link
DEPS      += $(FUZZ_OBJ:.o=.d) $(BUILD)/tests/alloc_fail.d

.PHONY: all deps run test bench clean help check-sim fuzz sanitize valgrind test-bins test-mpi

all: $(BUILD)/dcsim

help:
	@echo "make run     install what is missing, build, simulate $(SCENARIO)"
	@echo "make test    install what is missing, build, run the whole test suite"
	@echo "make bench   W1 peer benchmark (vs ../shared/peers/limit.c) and the baseline timing"
	@echo "make check-sim  unit tests in a -DSIM_CHECK build (invariants after every event)"
	@echo "make fuzz    each libFuzzer harness for FUZZ_SECONDS (default 60) s (clang)"
	@echo "make sanitize   the whole suite in an AddressSanitizer + UBSan build ($(BUILD)/asan)"
	@echo "make valgrind   valgrind memcheck of small runs: no leaks, no errors"
	@echo "make test-mpi   build with MPI=1 (build/mpi/dcsim) and check 2 ranks = 1 process"
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

# a harness without libFuzzer: runs the files it is given (tests/fuzz/replay.sh)
$(BUILD)/replay_%: $(BUILD)/tests/fuzz/fuzz_%.o $(BUILD)/tests/fuzz/replay.o $(BUILD)/tests/fuzz/fuzzutil.o $(LIB_OBJ)
	$(CC) $(LDFLAGS) -o $@ $^ $(LIBS)

# a harness with libFuzzer (built by `make fuzz` in $(BUILD)/fuzz with clang)
$(BUILD)/fuzz_%: $(BUILD)/tests/fuzz/fuzz_%.o $(BUILD)/tests/fuzz/fuzzutil.o $(LIB_OBJ)
	$(CC) $(LDFLAGS) -fsanitize=fuzzer -o $@ $^ $(LIBS)

# dcsim whose own allocations fail at the Nth call, N from DCSIM_ALLOC_FAIL (tests/alloc_fail.c)
$(ALLOCFAIL): $(LIB_OBJ) $(MAIN_OBJ) $(BUILD)/tests/alloc_fail.o
	$(CC) $(LDFLAGS) -Wl,--wrap=malloc,--wrap=calloc,--wrap=realloc,--wrap=strdup,--wrap=getline,--wrap=__getdelim -o $@ $^ $(LIBS)

test-bins: $(TEST_BINS)
.SECONDARY: $(FUZZ_OBJ)

run: deps
	@$(MAKE) --no-print-directory all
	$(BUILD)/dcsim run $(SCENARIO)

test: deps
	@$(MAKE) --no-print-directory test-bins
	@sh tests/run.sh $(BUILD)

bench: deps
	@$(MAKE) --no-print-directory all
	@sh tests/bench.sh $(BUILD)

# the unit tests in a -DSIM_CHECK build: invariants verified after every event
check-sim: deps
	@$(MAKE) --no-print-directory BUILD=$(BUILD)/check EXTRA=-DSIM_CHECK $(BUILD)/check/run_tests
	$(BUILD)/check/run_tests

# libFuzzer harnesses (tests/fuzz), FUZZ_SECONDS each, from the seeds and regression inputs
fuzz:
	@sh tools/deps.sh clang libclang-rt-14-dev
	@$(MAKE) --no-print-directory BUILD=$(BUILD)/fuzz CC=clang LTO= OMP= OPT="$(FUZZ_OPT)" $(FUZZERS:%=$(BUILD)/fuzz/fuzz_%)
	@FUZZ_CI=$(FUZZ_CI) sh tests/fuzz/run.sh $(BUILD)/fuzz $(FUZZ_SECONDS) $(FUZZERS)

# the whole suite (unit, cli, faults, fuzz replay) in an ASan + UBSan build
sanitize: deps
	@$(MAKE) --no-print-directory BUILD=$(BUILD)/asan LTO= OPT="$(SAN_OPT)" test-bins
	ASAN_OPTIONS=exitcode=86:detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
	    sh tests/run.sh $(BUILD)/asan

# valgrind memcheck of small runs, report and export: no leaks, no errors
valgrind: deps
	@sh tools/deps.sh valgrind
	@$(MAKE) --no-print-directory all
	@sh tests/valgrind.sh $(BUILD)

# the MPI build and its test: 2 ranks give the same sweep file as 1 process
test-mpi: deps
	@sh tools/deps.sh libopenmpi-dev openmpi-bin
	@$(MAKE) --no-print-directory all
	@$(MAKE) --no-print-directory MPI=1 all
	@sh tests/mpi.sh build build/mpi

clean:
	rm -rf $(BUILD) results

-include $(DEPS)
