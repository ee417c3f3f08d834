#!/bin/sh
# valgrind.sh BUILD - `make valgrind`: valgrind memcheck of dcsim on small
# inputs: a run that goes through every reader and writer (two sites, a grid
# trace, the three workload kinds, the job table, the text summary), report,
# export, and runs that stop on bad input. Each must exit with its usual
# status and valgrind must report no error and no leak (definitely,
# indirectly or possibly lost; "still reachable" memory of the libraries is
# not a leak). Closing line "valgrind: N passed, N failed".
B=${1:-build}
DCSIM="$B/dcsim"
T=$(mktemp -d /tmp/dcsim-valgrind-XXXXXX)
trap 'rm -rf "$T"' EXIT
pass=0
fail=0
VG="valgrind -q --error-exitcode=99 --suppressions=tests/valgrind.supp --leak-check=full --show-leak-kinds=definite,indirect,possible
    --errors-for-leak-kinds=definite,indirect,possible --track-origins=yes"

# check NAME WANT_STATUS CMD...: memcheck of CMD, which must exit WANT_STATUS
check() {
    name=$1
    want=$2
    shift 2
    # shellcheck disable=SC2086
    $VG "$@" >"$T/out" 2>"$T/err"
    st=$?
    if [ $st -eq "$want" ] && ! grep -q "^==[0-9]*==" "$T/err"; then
        pass=$((pass + 1))
        echo "ok   $name"
    else
        fail=$((fail + 1))
        echo "FAIL $name: status $st (want $want)"
        grep "^==[0-9]*==" "$T/err" | head -30 | sed 's/^/    /'
    fi
}

if ! command -v valgrind >/dev/null 2>&1; then
    echo "FAIL valgrind is not installed (sh tools/deps.sh valgrind)"
    echo "valgrind: 0 passed, 1 failed"
    exit 1
fi
check "run tests/faults/small.cfg (trace, 3 workload kinds, jobs, text summary)" 0 \
    "$DCSIM" run tests/faults/small.cfg -o "$T/small.h5" --quiet
check "run scenarios/bench/w1.cfg until drained, kv summary" 0 \
    "$DCSIM" run scenarios/bench/w1.cfg --set workloads.w1.arrival.count=2000 --set sites.dc.pools.hosts.count=20 \
    --set output.jobs=true -o "$T/w1.h5" --summary kv --quiet
check "report (text)" 0 "$DCSIM" report "$T/small.h5"
check "report --format kv" 0 "$DCSIM" report "$T/small.h5" --format kv
check "export of a series" 0 "$DCSIM" export "$T/small.h5" /sites/east/energy_kwh
check "export of a job column" 0 "$DCSIM" export "$T/w1.h5" /jobs/end_s
check "validate a scenario" 0 "$DCSIM" validate scenarios/baseline.cfg
check "validate a scenario with a bad trace (exit 2)" 2 "$DCSIM" validate tests/bad/29-trace-with-gap.cfg
check "run a bad scenario (exit 2)" 2 "$DCSIM" run tests/bad/03-negative-count.cfg -o "$T/bad.h5"
check "run a scenario with a syntax error (exit 2)" 2 "$DCSIM" run tests/bad/01-syntax-missing-equals.cfg -o "$T/bad.h5"
check "report of a file that is not HDF5 (exit 1)" 1 "$DCSIM" report tests/faults/small.cfg
check "sweep: 4 variants x 2 replications with series, 2 threads" 0 \
    "$DCSIM" sweep tests/fixtures/sweep/quick.cfg --replications 2 --series -j 2 -o "$T/sweep.h5" --quiet
check "report of a sweep file, compare" 0 "$DCSIM" compare "$T/sweep.h5" "$T/sweep.h5"
check "a bad sweep (exit 2)" 2 "$DCSIM" sweep tests/bad/sweep/304-grid-value-out-of-range.cfg -o "$T/bad.h5"
echo "valgrind: $pass passed, $fail failed"
[ $fail -eq 0 ]
