#!/bin/sh
# run.sh BUILD - the whole test suite (`make test`): the unit tests, then each
# runner of RUNNERS (command line, fault injection, replay of the fuzz inputs,
# `dcsim calibrate`, the levers' ready scenarios, projections, the analysis
# commands: report, compare, plots, xarray; `dcsim sweep`, and the MPI sweeps,
# which skip unless DCSIM_MPI_BUILD names an MPI build). Each closes with
# "NAME: N passed, N failed"; this script closes with the sums.
B=${1:-build}
RUNNERS="tests/cli.sh tests/faults.sh tests/fuzz/replay.sh tests/calibrate.sh tests/levers.sh tests/projections.sh tests/analysis.sh tests/sweep.sh tests/mpi.sh"
log=$(mktemp /tmp/dcsim-test-XXXXXX)
"$B/run_tests" 2>&1 | tee "$log"
for r in $RUNNERS; do
    sh "$r" "$B" 2>&1 | tee -a "$log"
done
p=$(sed -n 's/^[a-z]*: \([0-9]*\) passed, \([0-9]*\) failed$/\1/p' "$log" | awk '{s += $1} END {print s + 0}')
f=$(sed -n 's/^[a-z]*: \([0-9]*\) passed, \([0-9]*\) failed$/\2/p' "$log" | awk '{s += $1} END {print s + 0}')
n=$(grep -c '^[a-z]*: [0-9]* passed, [0-9]* failed$' "$log")
rm -f "$log"
want=$(($(echo $RUNNERS | wc -w) + 1))
[ "$n" -eq "$want" ] || f=$((f + 1)) # a runner that died before its closing line
echo "$p passed, $f failed"
[ "$f" -eq 0 ]
