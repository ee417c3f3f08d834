#!/bin/bash
# bench.sh BUILD - `make bench`: the W1 peer benchmark through the ordinary
# `dcsim run` path, limit.c (../shared/peers) beside it in the same
# invocation, check.py on dcsim's result, peak memory at 1M and 10M jobs, and
# the time of scenarios/baseline.cfg. A benchmark prints figures; it never
# fails on a timing.
#   env: N=1000000 M=1000 REPEAT=3 (runs per figure, the median is shown)
#        BIG=10000000 (the N of the memory check; 0 to skip) REPS=20
set -u
B=${1:-build}
DCSIM="$B/dcsim"
N=${N:-1000000}
M=${M:-1000}
SEED=42
REPEAT=${REPEAT:-3}
BIG=${BIG:-10000000}
REPS=${REPS:-20}
PEERS=../shared/peers
OUT=$(mktemp -d /tmp/dcsim-bench-XXXXXX)
TIME=/usr/bin/time
echo "# dcsim bench: W1 (../shared/peers/README.md), $(nproc) cores, $(date -u +%Y-%m-%dT%H:%MZ); raw files in $OUT"

kv() { sed -n "s/.*\b$1=\([^ ]*\).*/\1/p" "$2" | head -1; }

# dcsim_w1 n m jobs(true|false) tag: one run; writes $OUT/tag.txt (a peer-style
# line) and $OUT/tag.txt.bins.csv (hour,kWh).
dcsim_w1() {
    local n=$1 m=$2 jobs=$3 tag=$4
    $TIME -f "%M %e" -o "$OUT/$tag.time" "$DCSIM" run scenarios/bench/w1.cfg --seed $SEED \
        --set workloads.w1.arrival.count="$n" --set sites.dc.pools.hosts.count="$m" --set output.jobs="$jobs" \
        -o "$OUT/$tag.h5" --summary kv --quiet >"$OUT/$tag.kv" 2>"$OUT/$tag.err" || {
        echo "impl=dcsim FAILED: $(cat "$OUT/$tag.err")"
        return 1
    }
    "$DCSIM" export "$OUT/$tag.h5" /sites/dc/it_energy_kwh >"$OUT/$tag.txt.bins.csv"
    local f="$OUT/$tag.kv" rss el
    read -r rss el <"$OUT/$tag.time"
    awk -v n="$n" -v m="$m" -v seed=$SEED -v jobs="$jobs" -v rss="$rss" -v el="$el" \
        -v ev="$(kv events "$f")" -v te="$(kv sim_end_s "$f")" -v bh="$(kv busy_node_hours "$f")" \
        -v e="$(kv it_energy_mwh "$f")" -v w="$(kv mean_wait_s "$f")" -v pw="$(kv p_wait "$f")" \
        -v h="$(kv steps "$f")" -v wall="$(kv wall_s "$f")" 'BEGIN {
        printf "impl=dcsim N=%d M=%d seed=%d events=%d sim_end_s=%.3f busy_host_s=%.3f total_kwh=%.6f mean_power_kw=%.6f mean_wait_s=%.6f p_wait=%.6f hours=%d wall_s=%.6f jobs_per_s=%.1f events_per_s=%.1f job_table=%s proc_s=%.2f rss_mb=%.1f\n",
            n, m, seed, ev, te, bh * 3600, e * 1000, e * 1000 / te * 3600, w, pw, h, wall, n / wall, ev / wall,
            (jobs == "true" ? "on" : "off"), el, rss / 1024 }' >"$OUT/$tag.txt"
}

# median_run cmd...: runs REPEAT times, keeps the run with the median jobs/s as $OUT/<tag>.txt
median_dcsim() {
    local n=$1 m=$2 jobs=$3 tag=$4 r
    for r in $(seq 1 "$REPEAT"); do
        dcsim_w1 "$n" "$m" "$jobs" "$tag.r$r" || return 1
    done
    r=$(for r in $(seq 1 "$REPEAT"); do echo "$(kv jobs_per_s "$OUT/$tag.r$r.txt") $r"; done | sort -g | awk -v k=$(((REPEAT + 1) / 2)) 'NR == k {print $2}')
    cp "$OUT/$tag.r$r.txt" "$OUT/$tag.txt"
    cp "$OUT/$tag.r$r.txt.bins.csv" "$OUT/$tag.txt.bins.csv"
    cat "$OUT/$tag.txt"
}

have_peers=0
if [ -f $PEERS/limit.c ]; then
    gcc -O2 -o "$OUT/limit" $PEERS/limit.c -lm && have_peers=1
fi
limit_line() { # n m seed
    $TIME -f "%M %e" -o "$OUT/limit.time" "$OUT/limit" "$1" "$2" "$3" "$OUT/limit.txt.bins.csv" | tr -d '\n'
    read -r rss el <"$OUT/limit.time"
    printf ' proc_s=%.2f rss_mb=%.1f\n' "$el" "$(awk -v k="$rss" 'BEGIN {print k / 1024}')"
}

echo "## W1, N=$N M=$M (median of $REPEAT runs each)"
median_dcsim "$N" "$M" false w1-off || exit 0
median_dcsim "$N" "$M" true w1-on || exit 0
if [ $have_peers = 1 ]; then
    for r in $(seq 1 "$REPEAT"); do limit_line "$N" "$M" $SEED >"$OUT/limit.r$r.txt"; done
    for r in $(seq 1 "$REPEAT"); do echo "$(kv jobs_per_s "$OUT/limit.r$r.txt") $r"; done | sort -g |
        awk -v k=$(((REPEAT + 1) / 2)) 'NR == k {print $2}' >"$OUT/limit.med"
    cp "$OUT/limit.r$(cat "$OUT/limit.med").txt" "$OUT/limit.txt"
    cat "$OUT/limit.txt"
    lj=$(kv jobs_per_s "$OUT/limit.txt")
    awk -v a="$(kv jobs_per_s "$OUT/w1-off.txt")" -v b="$(kv jobs_per_s "$OUT/w1-on.txt")" -v l="$lj" \
        'BEGIN { printf "ratio_jobs_per_s=%.3f (job table off; target >= 0.50)\nratio_jobs_per_s_with_jobs=%.3f (job table on; target >= 0.25)\n", a / l, b / l }'
    for s in $(seq 1 "$REPS"); do "$OUT/limit" "$N" "$M" $((1000 + s)); done >"$OUT/reps-$M.txt"
    python3 $PEERS/check.py "$M" "$N" "$OUT/w1-off.txt" --reps "$OUT/reps-$M.txt" | sed 's/^/check: /'
else
    echo "peer: ../shared/peers not found: limit.c and check.py skipped"
fi

echo "## W1, N=100000 M=10 (the queue: Erlang C)"
dcsim_w1 100000 10 false w1-m10 && cat "$OUT/w1-m10.txt"
if [ $have_peers = 1 ]; then
    for s in $(seq 1 "$REPS"); do "$OUT/limit" 100000 10 $((1000 + s)); done >"$OUT/reps-10.txt"
    python3 $PEERS/check.py 10 100000 "$OUT/w1-m10.txt" --reps "$OUT/reps-10.txt" | sed 's/^/check: /'
fi

if [ "$BIG" -gt 0 ]; then
    echo "## peak RSS, flat in N (job table off, then on)"
    dcsim_w1 "$BIG" "$M" false w1-big && cat "$OUT/w1-big.txt"
    dcsim_w1 "$BIG" "$M" true w1-big-on && cat "$OUT/w1-big-on.txt"
fi

echo "## scenarios/baseline.cfg"
$TIME -f "%e %M" -o "$OUT/baseline.time" "$DCSIM" run scenarios/baseline.cfg -o "$OUT/baseline.h5" --summary kv --quiet >"$OUT/baseline.kv" 2>&1
read -r el rss <"$OUT/baseline.time"
echo "baseline proc_s=$el wall_s=$(kv wall_s "$OUT/baseline.kv") events=$(kv events "$OUT/baseline.kv") rss_mb=$(awk -v k="$rss" 'BEGIN {print k / 1024}') (target < 2 s)"
rm -f "$OUT"/*.h5

# inference serving (sim/serve.c): per-request mode in requests per second of
# wall clock (target >= 5 million on one core), and a fluid year of 5,000
# requests/s on three sites (target < 1 s)
echo "## inference serving"
for sv in request fluid; do
    $TIME -f "%e %M" -o "$OUT/serve-$sv.time" "$DCSIM" run scenarios/bench/serve-$sv.cfg -o "$OUT/serve-$sv.h5" \
        --summary kv --quiet >"$OUT/serve-$sv.kv" 2>&1
    read -r el rss <"$OUT/serve-$sv.time"
    req=$(kv requests "$OUT/serve-$sv.kv")
    ws=$(kv wall_s "$OUT/serve-$sv.kv")
    if [ "$sv" = request ]; then
        echo "serve-request requests=$req wall_s=$ws requests_per_s=$(awk -v r="$req" -v w="$ws" 'BEGIN {printf "%.3g", r / w}') proc_s=$el rss_mb=$(awk -v k="$rss" 'BEGIN {print k / 1024}') (target >= 5e6 requests/s)"
    else
        echo "serve-fluid requests=$req wall_s=$ws proc_s=$el rss_mb=$(awk -v k="$rss" 'BEGIN {print k / 1024}') (target < 1 s for the year)"
    fi
done
