#!/bin/sh
# cli.sh BUILD - tests of the dcsim command as a user runs it: the bad-input
# corpus (tests/bad/*.cfg, each with its exact expected message in .expected
# and optional extra arguments in .args), help and version, a real run with
# its result file, and the safety of earlier results. Closing line:
# "cli: N passed, N failed".
B=${1:-build}
DCSIM="$B/dcsim"
T=$(mktemp -d /tmp/dcsim-cli-XXXXXX)
trap 'rm -rf "$T"' EXIT
pass=0
fail=0
ok() { pass=$((pass + 1)); echo "ok   $1"; }
bad() { fail=$((fail + 1)); echo "FAIL $1"; [ -n "${2:-}" ] && printf '%s\n' "$2" | sed 's/^/    /'; }

# --- the bad-input corpus: exact message, exit status 2, no result left ---
for cfg in tests/bad/*.cfg; do
    b=${cfg%.cfg}
    name=$(basename "$b")
    args=""
    [ -f "$b.args" ] && args=$(cat "$b.args")
    want=$(cat "$b.expected" 2>/dev/null)
    # shellcheck disable=SC2086
    "$DCSIM" validate "$cfg" $args >/dev/null 2>"$T/err"
    st=$?
    got=$(cat "$T/err")
    if [ $st -ne 2 ] || [ "$got" != "$want" ]; then
        bad "bad/$name validate" "status $st (want 2)
got:  $got
want: $want"
        continue
    fi
    # shellcheck disable=SC2086
    "$DCSIM" run "$cfg" $args -o "$T/out/$name.h5" --quiet >/dev/null 2>"$T/err"
    st=$?
    got=$(cat "$T/err")
    if [ $st -ne 2 ] || [ "$got" != "$want" ] || [ -n "$(ls -A "$T/out" 2>/dev/null)" ]; then
        bad "bad/$name run" "status $st (want 2), files: $(ls -A "$T/out" 2>/dev/null)
got:  $got"
        continue
    fi
    ok "bad/$name"
done

# --- help, version, usage errors ---
"$DCSIM" --help | grep -q "^usage: dcsim COMMAND" && ok "--help" || bad "--help"
"$DCSIM" --version | grep -q "^dcsim [0-9]" && ok "--version" || bad "--version"
for c in run validate catalog report export; do
    "$DCSIM" $c --help | grep -q "^usage: dcsim $c" && ok "$c --help" || bad "$c --help"
done
"$DCSIM" frobnicate >/dev/null 2>&1; [ $? -eq 2 ] && ok "unknown command exits 2" || bad "unknown command exits 2"
"$DCSIM" run >/dev/null 2>&1; [ $? -eq 2 ] && ok "run without scenario exits 2" || bad "run without scenario exits 2"
"$DCSIM" run scenarios/baseline.cfg --bogus >/dev/null 2>&1; [ $? -eq 2 ] && ok "unknown option exits 2" || bad "unknown option exits 2"
"$DCSIM" run scenarios/baseline.cfg --seed -4 >/dev/null 2>&1; [ $? -eq 2 ] && ok "negative seed exits 2" || bad "negative seed exits 2"
"$DCSIM" validate tests/nonexistent.cfg 2>"$T/err"; st=$?
[ $st -eq 2 ] && grep -q "tests/nonexistent.cfg: cannot open: No such file or directory" "$T/err" &&
    ok "missing scenario file" || bad "missing scenario file" "$(cat "$T/err")"

# --- the catalog lists the required node types and models ---
"$DCSIM" catalog >"$T/cat" 2>&1
miss=""
for n in trn1.32xlarge trn2.48xlarge inf1.24xlarge inf2.48xlarge c7g.16xlarge p4d.24xlarge p5.48xlarge \
         p5e.48xlarge p6-b200.48xlarge p4de.24xlarge g5.48xlarge c6g.16xlarge c6i.16xlarge \
         onprem-2s-haswell-2015 llama-3.1-8b llama-3.1-70b llama-3.1-405b gpt-3-175b \
         bert-large bge-large-en-v1.5; do
    grep -q "^$n " "$T/cat" || miss="$miss $n"
done
[ -z "$miss" ] && ok "catalog lists the required entries" || bad "catalog lists the required entries" "missing:$miss"

# --- every shipped scenario validates ---
for s in scenarios/*.cfg scenarios/bench/*.cfg; do
    case $s in */hardware.cfg|*/models.cfg|*/throughput.cfg) continue ;; esac
    "$DCSIM" validate "$s" >/dev/null 2>"$T/err" && ok "validate $s" || bad "validate $s" "$(cat "$T/err")"
done

# --- a real run: result file, summary, report, export ---
small="--set workloads.w1.arrival.count=2000 --set sites.dc.pools.hosts.count=20 --set output.jobs=true"
# shellcheck disable=SC2086
"$DCSIM" run scenarios/bench/w1.cfg $small -o "$T/w1.h5" >"$T/out" 2>"$T/err"; st=$?
if [ $st -eq 0 ] && [ -f "$T/w1.h5" ] && grep -q "result: $T/w1.h5" "$T/out" && ! ls "$T"/w1.h5.tmp.* >/dev/null 2>&1; then
    ok "run writes the result and prints its path"
else
    bad "run writes the result and prints its path" "status $st: $(cat "$T/err")"
fi
"$DCSIM" report "$T/w1.h5" >"$T/rep" 2>&1 && grep -qi "jobs completed" "$T/rep" &&
    ok "report reads the result" || bad "report reads the result" "$(cat "$T/rep")"
"$DCSIM" report "$T/w1.h5" --format kv | grep -q "jobs_completed=2000" &&
    ok "report kv: 2000 jobs completed" || bad "report kv: 2000 jobs completed" "$("$DCSIM" report "$T/w1.h5" --format kv 2>&1)"
"$DCSIM" export "$T/w1.h5" /sites/dc/it_energy_kwh >"$T/bins.csv" 2>"$T/err" && head -1 "$T/bins.csv" | grep -q "^0," &&
    ok "export writes index,value rows" || bad "export writes index,value rows" "$(cat "$T/err")"
"$DCSIM" report "$T/nothing.h5" >/dev/null 2>&1; [ $? -eq 1 ] && ok "report of a missing file exits 1" || bad "report of a missing file exits 1"
echo "not hdf5" >"$T/fake.h5"
"$DCSIM" report "$T/fake.h5" >/dev/null 2>&1; [ $? -eq 1 ] && ok "report of a non-HDF5 file exits 1" || bad "report of a non-HDF5 file exits 1"

# --- determinism: two runs, same seed: identical datasets (h5diff ignores attributes) ---
# shellcheck disable=SC2086
"$DCSIM" run scenarios/bench/w1.cfg $small -o "$T/w1b.h5" --summary none 2>/dev/null
# the summary may differ only in wall_s (timing): compare it through report kv without it
"$DCSIM" report "$T/w1.h5" --format kv | tr ' ' '\n' | grep -v '^wall_s=' >"$T/kv1"
"$DCSIM" report "$T/w1b.h5" --format kv | tr ' ' '\n' | grep -v '^wall_s=' >"$T/kv2"
if h5diff --exclude-attribute /summary "$T/w1.h5" "$T/w1b.h5" >"$T/diff" 2>&1 && cmp -s "$T/kv1" "$T/kv2"; then
    ok "same seed, identical datasets and summary"
else
    bad "same seed, identical datasets and summary" "$(head -5 "$T/diff"; diff "$T/kv1" "$T/kv2" | head -5)"
fi
# shellcheck disable=SC2086
"$DCSIM" run scenarios/bench/w1.cfg $small --seed 43 -o "$T/w1c.h5" --summary none 2>/dev/null
h5diff -q "$T/w1.h5" "$T/w1c.h5" >/dev/null 2>&1 && bad "another seed, other datasets" || ok "another seed, other datasets"

# --- --set reaches the run ---
# shellcheck disable=SC2086
"$DCSIM" run scenarios/bench/w1.cfg $small --set sites.[0].pools.[0].count=7 -o "$T/w1d.h5" --summary kv 2>/dev/null |
    grep -q "pool_dc_hosts_node_count=7" && ok "--set by index changes the pool" || bad "--set by index changes the pool"

# --- an earlier result survives a failing run of the same name ---
cp "$T/w1.h5" "$T/keep.h5"
"$DCSIM" run tests/bad/03-negative-count.cfg -o "$T/keep.h5" >/dev/null 2>&1
cmp -s "$T/w1.h5" "$T/keep.h5" && ok "a failed run leaves the earlier result untouched" || bad "a failed run leaves the earlier result untouched"
"$DCSIM" run scenarios/bench/w1.cfg $small -o "$T/fake.h5/x.h5" >/dev/null 2>"$T/err"; st=$?
[ $st -ne 0 ] && ok "unwritable output path fails cleanly" || bad "unwritable output path fails cleanly"

# --- scenarios/carbon-aware.sh: the savings table comes from the result files ---
if sh scenarios/carbon-aware.sh "$DCSIM" "$T/ca" >"$T/ca.txt" 2>"$T/err"; then
    if awk '$1 == "fifo" && $3 + 0 == 0 && $5 + 0 == 0 { f = 1 }
            $1 == "shift-perfect" && $3 > 5 && $5 > 1 { s = 1 }
            $1 == "suspend-p75" && $3 > 0 { p = 1 }
            NR > 1 { rows++; missed += $6 }
            END { exit !(f && s && p && rows == 8 && missed == 0) }' "$T/ca.txt" &&
       [ -s "$T/ca/all.h5" ]; then
        ok "carbon-aware.sh: savings and delays per policy from /summary, no deadline missed"
    else
        bad "carbon-aware.sh: savings and delays per policy from /summary, no deadline missed" "$(cat "$T/ca.txt")"
    fi
else
    bad "carbon-aware.sh runs" "$(cat "$T/err")"
fi

# --- SIGTERM during a long run: no result under the final name, no temp file ---
"$DCSIM" run scenarios/bench/w1.cfg --set workloads.w1.arrival.count=100000000 -o "$T/long.h5" --quiet >/dev/null 2>"$T/err" &
pid=$!
sleep 1
kill -TERM $pid
wait $pid; st=$?
if [ $st -eq 130 ] && [ ! -e "$T/long.h5" ] && ! ls "$T"/long.h5.tmp.* >/dev/null 2>&1 && grep -q "no result written" "$T/err"; then
    ok "SIGTERM stops the run cleanly"
else
    bad "SIGTERM stops the run cleanly" "status $st, $(ls "$T"), $(cat "$T/err")"
fi

echo "cli: $pass passed, $fail failed"
[ $fail -eq 0 ]
