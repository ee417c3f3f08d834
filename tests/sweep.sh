#!/bin/sh
# sweep.sh BUILD - tests of `dcsim sweep` as a user runs it: the bad sweep
# corpus (tests/bad/sweep/*.cfg, exact message in .expected, optional
# arguments in .args: exit 2, no file), results independent of the thread
# count (byte for byte apart from the /timing record), a run of a sweep equal
# to `dcsim run` with the same overrides and seed, common random numbers,
# one replication (no interval), the full series, report and SIGTERM.
# Closes with "sweep: N passed, N failed".
B=${1:-build}
DCSIM=$B/dcsim
T=$(mktemp -d /tmp/dcsim-sweep-XXXXXX)
pass=0
fail=0
ok() { pass=$((pass + 1)); echo "ok   $1"; }
bad() { fail=$((fail + 1)); echo "FAIL $1"; [ -n "${2:-}" ] && printf '%s\n' "$2" | sed 's/^/    /'; }
Q=tests/fixtures/sweep/quick.cfg
# Debian's python3 (with python3-h5py), even when another python3 comes first in PATH
PY=/usr/bin/python3
[ -x "$PY" ] || PY=python3

# --- the bad sweep corpus ---
mkdir -p "$T/out"
for cfg in tests/bad/sweep/*.cfg; do
    b=${cfg%.cfg}
    name=$(basename "$b")
    args=""
    [ -f "$b.args" ] && args=$(cat "$b.args")
    "$DCSIM" sweep "$cfg" $args -o "$T/out/$name.h5" --quiet >/dev/null 2>"$T/err"
    st=$?
    if [ $st -ne 2 ] || ! diff -q "$b.expected" "$T/err" >/dev/null || [ -n "$(ls -A "$T/out")" ]; then
        bad "bad/sweep/$name" "status $st (want 2), files: $(ls -A "$T/out")
$(diff "$b.expected" "$T/err")"
        rm -f "$T/out"/*
    else
        ok "bad/sweep/$name"
    fi
done

"$DCSIM" sweep --help | grep -q "^usage: dcsim sweep" && ok "sweep --help" || bad "sweep --help"
"$DCSIM" sweep >/dev/null 2>&1; [ $? -eq 2 ] && ok "sweep without file exits 2" || bad "sweep without file exits 2"
"$DCSIM" sweep "$T/none.cfg" >/dev/null 2>"$T/err"; st=$?
[ $st -eq 2 ] && grep -q "none.cfg: cannot open" "$T/err" && ok "missing sweep file exits 2" ||
    bad "missing sweep file exits 2" "status $st: $(cat "$T/err")"

# --- dry run: the variants in order, nothing written ---
"$DCSIM" sweep $Q --dry-run -o "$T/dry.h5" >"$T/dry" 2>&1
if grep -q "^sweep quick: 4 variant(s) x 3 replication(s) = 12 runs, seeds 11..13" "$T/dry" &&
    grep -q "^    3  gpu=32 eval=1h" "$T/dry" && [ ! -e "$T/dry.h5" ]; then
    ok "dry run lists 4 variants, writes nothing"
else
    bad "dry run lists 4 variants, writes nothing" "$(cat "$T/dry")"
fi

# --- the ready sweep: 6 fleet mixes x 4 replications, every variant loads ---
"$DCSIM" sweep scenarios/sweeps/fleet-mix.cfg --dry-run >"$T/fm" 2>&1 &&
    grep -q "^sweep fleet-mix: 6 variant(s) x 4 replication(s) = 24 runs" "$T/fm" && ok "fleet-mix.cfg: 6 variants x 4 replications check out" ||
    bad "fleet-mix.cfg: 6 variants x 4 replications check out" "$(cat "$T/fm")"

# --- 1 and 2 threads: the same file apart from the /timing record ---
"$DCSIM" sweep $Q -j 1 -o "$T/j1.h5" --summary none 2>"$T/err1"
s1=$?
OMP_NUM_THREADS=2 "$DCSIM" sweep $Q -o "$T/j2.h5" --summary none 2>"$T/err2"
s2=$?
grep -q "12 runs on 1 rank(s) x 2 thread(s)" "$T/err2" && ok "OMP_NUM_THREADS=2 gives 2 threads" ||
    bad "OMP_NUM_THREADS=2 gives 2 threads" "$(cat "$T/err2")"
if [ $s1 -eq 0 ] && [ $s2 -eq 0 ]; then
    off=$(h5dump -p -d /timing "$T/j1.h5" | sed -n 's/^ *OFFSET \([0-9]*\)$/\1/p')
    size=$(h5dump -p -d /timing "$T/j1.h5" | sed -n 's/^ *SIZE \([0-9]*\).*$/\1/p' | head -1)
    # cmp -l numbers bytes from 1; /timing holds bytes off+1 .. off+size
    other=$(cmp -l "$T/j1.h5" "$T/j2.h5" | awk -v a="$off" -v n="$size" '$1 <= a || $1 > a + n' | wc -l)
    same_size=$([ "$(stat -c %s "$T/j1.h5")" = "$(stat -c %s "$T/j2.h5")" ] && echo 1 || echo 0)
    thr=$(h5dump -d /timing "$T/j2.h5" | grep -c "^ *2,$")
    if [ -n "$off" ] && [ "$size" = 24 ] && [ "$other" -eq 0 ] && [ "$same_size" = 1 ]; then
        ok "1 and 2 threads: identical files apart from /timing (24 bytes at $off)"
    else
        bad "1 and 2 threads: identical files apart from /timing" "offset '$off' size '$size', $other other bytes differ, same size $same_size"
    fi
else
    bad "sweep with 1 and 2 threads runs" "$(cat "$T/err1" "$T/err2")"
fi

# --- a run of the sweep = dcsim run with the same overrides and seed ---
# variant 2 (gpu=32 eval=4h), replication 1: seed 12, row 2 x 3 + 1 = 7
"$DCSIM" run scenarios/baseline.cfg --set duration=60d --set sites.us-east.pools.gpu.count=32 \
    --set workloads.eval.arrival.mean_interval=4h --seed 12 -o "$T/one.h5" --summary kv >"$T/one" 2>&1
want=$(tr ' ' '\n' <"$T/one" | sed -n 's/^energy_mwh=//p')
got=$($PY -c "import h5py; print(repr(float(h5py.File('$T/j1.h5')['runs/energy_mwh'][7])))" 2>&1)
wantw=$(tr ' ' '\n' <"$T/one" | sed -n 's/^mean_wait_s=//p')
gotw=$($PY -c "import h5py; print(repr(float(h5py.File('$T/j1.h5')['runs/mean_wait_s'][7])))" 2>&1)
$PY -c "import sys; sys.exit(0 if float('$want') == float('$got') and float('$wantw') == float('$gotw') else 1)" 2>/dev/null &&
    ok "run 7 of the sweep = dcsim run --seed 12 (energy $got MWh)" ||
    bad "run 7 of the sweep = dcsim run --seed 12" "run: $want $wantw, sweep: $got $gotw"

# --- common random numbers: 16 more idle p5 nodes for 60 days ---
# cost = 16 nodes x 1440 h x the p5 price, the same in every replication
price=$(sed -n '/name = "p5.48xlarge"/,/price_usd_per_h/s/^ *price_usd_per_h = \([0-9.]*\);.*/\1/p' scenarios/hardware.cfg | head -1)
"$DCSIM" report "$T/j1.h5" --format kv >"$T/kv" 2>&1
"$DCSIM" report "$T/j1.h5" --format json >/dev/null 2>"$T/err"; st=$?
[ $st -eq 2 ] && grep -q "is a sweep file: --format text or kv" "$T/err" && ok "report of a sweep file: json refused (exit 2)" ||
    bad "report of a sweep file: json refused (exit 2)" "status $st: $(cat "$T/err")"
line=$(grep "^variant=gpu=32 eval=4h metric=cost_usd " "$T/kv")
diff_cost=$(echo "$line" | sed -n 's/.* diff=\([^ ]*\) .*/\1/p')
lo=$(echo "$line" | sed -n 's/.* diff_ci95_low=\([^ ]*\) .*/\1/p')
hi=$(echo "$line" | sed -n 's/.* diff_ci95_high=\([^ ]*\)$/\1/p')
$PY -c "
d, lo, hi, p = float('$diff_cost'), float('$lo'), float('$hi'), float('$price')
want = 16 * 1440 * p
import sys; sys.exit(0 if abs(d - want) < 1e-6 * want and hi - lo < 1e-6 * want else 1)" 2>/dev/null &&
    ok "paired cost difference = 16 x 1440 h x $price USD, interval of width 0" ||
    bad "paired cost difference = 16 x 1440 h x price" "price '$price' line: $line"

# --- the text report ---
"$DCSIM" report "$T/j1.h5" >"$T/rep" 2>&1
grep -q "^sweep quick: 4 variant(s) x 3 replication(s), seeds 11..13" "$T/rep" && grep -q "^slo_violations (1)" "$T/rep" &&
    grep -q "t(0.975, 2) sd / sqrt(3), t = 4.3027" "$T/rep" && grep -q "(reference)" "$T/rep" &&
    ok "report of a sweep file: variants, t quantile, headline metrics" || bad "report of a sweep file" "$(head -20 "$T/rep")"

# --- compare and plot read sweep files ---
"$DCSIM" compare "$T/j1.h5" "$T/j2.h5" >"$T/cmp" 2>&1 && grep -q "^  gpu=32 eval=1h .* 0.00$" "$T/cmp" &&
    ok "compare: two sweep files, variant by variant (B - A = 0 for the same sweep)" || bad "compare of two sweep files" "$(head "$T/cmp")"
"$DCSIM" compare "$T/j1.h5" "$T/one.h5" >/dev/null 2>"$T/err"; st=$?
[ $st -eq 2 ] && grep -q "compare takes sweep files with sweep files only" "$T/err" && ok "compare of a sweep file with a run file exits 2" ||
    bad "compare of a sweep file with a run file exits 2" "status $st: $(cat "$T/err")"
if $PY -c "import matplotlib" 2>/dev/null; then
    $PY analysis/plot_sweep.py "$T/j1.h5" --metric energy_mwh --x sites.us-east.pools.gpu.count -o "$T/p.png" >/dev/null 2>"$T/err" &&
        [ "$(head -c 4 "$T/p.png" | od -An -c | tr -d ' ')" = "211PNG" ] && ok "plot_sweep.py: metric vs a varied setting (PNG)" ||
        bad "plot_sweep.py: metric vs a varied setting" "$(cat "$T/err")"
    "$DCSIM" plot "$T/j1.h5" --metric cost_usd --paired -o "$T/c.svg" >/dev/null 2>"$T/err" && grep -q "<svg" "$T/c.svg" &&
        ok "dcsim plot: the paired difference (SVG)" || bad "dcsim plot: the paired difference (SVG)" "$(cat "$T/err")"
    $PY analysis/plot_sweep.py "$T/j1.h5" --metric nope -o "$T/q.png" >/dev/null 2>"$T/err"; st=$?
    [ $st -eq 2 ] && grep -q "no metric nope (metrics: energy_mwh" "$T/err" && [ ! -e "$T/q.png" ] &&
        ok "plot_sweep.py: unknown metric exits 2" || bad "plot_sweep.py: unknown metric exits 2" "status $st: $(cat "$T/err")"
else
    echo "skip plot_sweep.py tests: python3-matplotlib is not installed (make deps installs it)"
fi

# --- one replication: a mean, no interval ---
"$DCSIM" sweep $Q --replications 1 -o "$T/r1.h5" >"$T/r1" 2>&1
grep -q "one replication: standard deviations and intervals are undefined (n/a)" "$T/r1" &&
    grep "^  gpu=16 eval=1h" "$T/r1" | head -1 | grep -q "n/a" &&
    "$DCSIM" report "$T/r1.h5" --format kv | grep "^variant=gpu=16 eval=4h metric=energy_mwh " | grep -q "sd=nan ci95_low=nan" &&
    ok "one replication: n/a in text, NaN in the file" || bad "one replication: n/a in text, NaN in the file" "$(head -12 "$T/r1")"

# --- full series: sums equal the run figures ---
"$DCSIM" sweep $Q --replications 1 --series -o "$T/ser.h5" --summary none 2>"$T/err"
grep -q "keeping every run's full series: about" "$T/err" &&
    $PY - "$T/ser.h5" <<'PY' 2>&1 && ok "--series: every run's series, sums = /runs" || bad "--series: every run's series, sums = /runs"
import sys, h5py, numpy as np
f = h5py.File(sys.argv[1])
n = len(f["runs/energy_mwh"])
assert n == 4 and len(f["series"]) == 4
for k in range(n):
    g = f["series/run_%06d" % k]
    e = g["sites/us-east/energy_kwh"][:].sum() / 1e3
    assert abs(e - f["runs/energy_mwh"][k]) < 1e-9 * e, (k, e)
    assert len(g["time"]) == 1440
    assert "power_kw" in g["sites/us-east/pools/gpu"]
PY

# --- an unwritable result folder: exit 1, the message names it ---
"$DCSIM" sweep $Q --replications 1 -o /proc/nope/x.h5 --summary none --quiet 2>"$T/err"; st=$?
[ $st -eq 1 ] && grep -q "/proc/nope" "$T/err" && ok "unwritable output exits 1" || bad "unwritable output exits 1" "status $st: $(cat "$T/err")"

# --- SIGTERM: exit 130, no file, no temporary file ---
"$DCSIM" sweep $Q --replications 400 -j 2 -o "$T/term.h5" --summary none --quiet 2>"$T/err" &
pid=$!
sleep 0.5
kill -TERM $pid
wait $pid
st=$?
[ $st -eq 130 ] && [ -z "$(ls "$T" | grep term.h5)" ] && grep -q "interrupted; no result written" "$T/err" &&
    ok "SIGTERM: exit 130, no result, no temporary file" || bad "SIGTERM: exit 130, no result" "status $st: $(cat "$T/err"); $(ls "$T")"

rm -rf "$T"
echo "sweep: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
