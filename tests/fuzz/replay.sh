#!/bin/sh
# replay.sh BUILD - part of `make test`: runs every committed fuzz input
# (tests/fuzz/NAME/regression/* and tests/fuzz/NAME/seeds/*) through the same
# harness code as the fuzzer, linked without libFuzzer (BUILD/replay_NAME).
# An input passes when the harness returns: no crash, no sanitizer report in
# a sanitizer build, no broken check. Closing line "fuzz: N passed, N failed".
B=${1:-build}
pass=0
fail=0
# leaks inside libhdf5 and libconfig themselves are not ours (tests/fuzz/lsan.supp)
LSAN_OPTIONS="suppressions=$(pwd)/tests/fuzz/lsan.supp${LSAN_OPTIONS:+:$LSAN_OPTIONS}"
ASAN_OPTIONS="fast_unwind_on_malloc=0${ASAN_OPTIONS:+:$ASAN_OPTIONS}"
export LSAN_OPTIONS ASAN_OPTIONS
log=$(mktemp /tmp/dcsim-replay-XXXXXX)
trap 'rm -f "$log"' EXIT
for h in scenario trace weather report; do
    if [ ! -x "$B/replay_$h" ]; then
        fail=$((fail + 1))
        echo "FAIL replay_$h: $B/replay_$h is not built (make test-bins)"
        continue
    fi
    n=0
    for f in tests/fuzz/$h/regression/* tests/fuzz/$h/seeds/*; do
        [ -f "$f" ] || continue
        case $(basename "$f") in README*) continue ;; esac
        n=$((n + 1))
        if "$B/replay_$h" "$f" >"$log" 2>&1; then
            pass=$((pass + 1))
        else
            fail=$((fail + 1))
            echo "FAIL $h: $f"
            grep -E "fuzz check failed|ERROR|SUMMARY|runtime error" "$log" | head -5 | sed 's/^/    /'
        fi
    done
    echo "     replay_$h: $n inputs"
done
echo "fuzz: $pass passed, $fail failed"
[ $fail -eq 0 ]
