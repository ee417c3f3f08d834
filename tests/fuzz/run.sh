#!/bin/sh
# run.sh BUILD SECONDS NAME... - `make fuzz`: runs each libFuzzer harness
# BUILD/fuzz_NAME for SECONDS, from the committed seeds and regression inputs
# (tests/fuzz/NAME/seeds, tests/fuzz/NAME/regression) and a working corpus
# BUILD/corpus/NAME that grows and is kept between runs. A crash, leak,
# timeout or broken check leaves its input in BUILD/crashes/; fix the bug,
# then copy the input into tests/fuzz/NAME/regression/ (`make test` replays
# it). One line per harness: CPU seconds, executions, coverage, corpus size,
# result; closes with "fuzz: N passed, N failed".
# FUZZ_CI=1 (CI's pass): a fixed seed and a fixed number of runs per harness,
# about 20 s each here, from the committed inputs only, so that CI explores
# the same inputs every time and a submission does not fail by chance; new
# bugs are for `make fuzz` runs to find.
B=${1:?usage: run.sh BUILD SECONDS NAME...}
S=${2:?usage: run.sh BUILD SECONDS NAME...}
shift 2
pass=0
fail=0
# leaks inside libhdf5 and libconfig themselves are not ours (tests/fuzz/lsan.supp
# says which)
LSAN_OPTIONS="suppressions=$(pwd)/tests/fuzz/lsan.supp${LSAN_OPTIONS:+:$LSAN_OPTIONS}"
export LSAN_OPTIONS
ASAN0=${ASAN_OPTIONS:-}
mkdir -p "$B/crashes" "$B/logs"
for n in "$@"; do
    corpus="$B/corpus/$n"
    limit="-max_total_time=$S"
    if [ "${FUZZ_CI:-0}" = 1 ]; then
        corpus="$B/corpus-ci/$n"
        rm -rf "$corpus"
        case $n in
        scenario) runs=6000 ;;
        report) runs=1500 ;;
        weather) runs=150000 ;; # later inputs fill long spans and run at ~1.4k/s
        *) runs=300000 ;;
        esac
        limit="-runs=$runs -seed=1"
    fi
    mkdir -p "$corpus"
    dict=""
    [ -f "tests/fuzz/$n.dict" ] && dict="-dict=tests/fuzz/$n.dict"
    log="$B/logs/$n.log"
    # the slow unwinder walks through libhdf5 and libconfig, which have no frame
    # pointers, so that the suppressions see the whole stack; a harness that
    # calls neither (the trace reader) runs some 30 times faster without it
    ASAN_OPTIONS=$ASAN0
    case $n in
    scenario | report) ASAN_OPTIONS="fast_unwind_on_malloc=0${ASAN0:+:$ASAN0}" ;;
    esac
    export ASAN_OPTIONS
    # -timeout: one input taking 10 s is a hang; -rss_limit_mb: 2 GB is a
    # runaway allocation (absurd sizes must be refused before allocating)
    dirs=""
    for d in "tests/fuzz/$n/seeds" "tests/fuzz/$n/regression"; do
        [ -d "$d" ] && dirs="$dirs $d"
    done
    # shellcheck disable=SC2086
    /usr/bin/time -f "cpu %U %S" -o "$B/logs/$n.time" \
        "$B/fuzz_$n" $limit -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
        -artifact_prefix="$B/crashes/$n-" $dict "$corpus" $dirs >"$log" 2>&1
    st=$?
    cpu=$(awk '/^cpu/ {printf "%.1f", $2 + $3}' "$B/logs/$n.time")
    execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log")
    cov=$(grep -o 'cov: [0-9]*' "$log" | tail -1 | sed 's/cov: //')
    files=$(find "$corpus" -type f | wc -l)
    if [ $st -eq 0 ]; then
        pass=$((pass + 1))
        echo "ok   fuzz_$n: ${cpu}s CPU, ${execs:-?} runs, coverage ${cov:-?} edges, corpus $files files, no crash"
    else
        fail=$((fail + 1))
        echo "FAIL fuzz_$n: status $st after ${cpu}s CPU, ${execs:-?} runs (log: $log)"
        grep -E "ERROR|SUMMARY|fuzz check failed|Test unit written|runtime error" "$log" | head -8 | sed 's/^/    /'
    fi
done
echo "fuzz: $pass passed, $fail failed"
[ $fail -eq 0 ]
