#!/bin/sh
# run.sh BUILD - the whole test suite (`make test`): the unit tests, the
# command-line tests, the fault-injection tests and the replay of the fuzz
# inputs, the sweep tests and (with DCSIM_MPI_BUILD=build/mpi) the MPI sweep
# tests. Closes with "N passed, N failed" over all six.
B=${1:-build}
log=$(mktemp /tmp/dcsim-test-XXXXXX)
"$B/run_tests" 2>&1 | tee "$log"
sh tests/cli.sh "$B" 2>&1 | tee -a "$log"
sh tests/faults.sh "$B" 2>&1 | tee -a "$log"
sh tests/sweep.sh "$B" 2>&1 | tee -a "$log"
sh tests/mpi.sh "$B" "${DCSIM_MPI_BUILD:-}" 2>&1 | tee -a "$log" # skips unless given an MPI build
sh tests/fuzz/replay.sh "$B" 2>&1 | tee -a "$log"
p=$(sed -n 's/^[a-z]*: \([0-9]*\) passed, \([0-9]*\) failed$/\1/p' "$log" | awk '{s += $1} END {print s + 0}')
f=$(sed -n 's/^[a-z]*: \([0-9]*\) passed, \([0-9]*\) failed$/\2/p' "$log" | awk '{s += $1} END {print s + 0}')
n=$(grep -c '^[a-z]*: [0-9]* passed, [0-9]* failed$' "$log")
rm -f "$log"
[ "$n" -eq 6 ] || f=$((f + 1)) # a runner that died before its closing line
echo "$p passed, $f failed"
[ "$f" -eq 0 ]
