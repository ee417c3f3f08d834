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

# ---- sweeps (docs/SWEEP.md) and the big single run -------------------------
# sweep_once threads tag r launcher...: one timed sweep into $OUT/tag.rR ("wall user")
sweep_once() {
    local j=$1 tag=$2 r=$3
    shift 3
    OMP_NUM_THREADS=$j $TIME -f "%e %U" -o "$OUT/$tag.r$r" "$@" sweep scenarios/sweeps/sweep16.cfg \
        -o "$OUT/$tag.h5" --summary none --quiet 2>"$OUT/$tag.err" >/dev/null || {
        echo "sweep $tag FAILED: $(cat "$OUT/$tag.err")"
        return 1
    }
}
# median tag: the median "wall user" of $OUT/tag.r* into $OUT/tag.t
median() { cat "$OUT/$1".r* | sort -g | awk -v k=$(((REPEAT + 1) / 2)) 'NR == k' >"$OUT/$1.t"; }
echo "## sweep: scenarios/sweeps/sweep16.cfg, 16 variants x 4 replications of the baseline (median of $REPEAT, 1 and 2 alternating)"
echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg) on $(nproc) cores (other work on the machine slows the 2-thread figure)"
# the parallelism the machine offers right now: one CPU-bound loop, then two at once
burn() { awk 'BEGIN { for (i = 0; i < 2e7; i++) s += i; print s }' >/dev/null; }
$TIME -f "%e" -o "$OUT/burn1" sh -c "$(declare -f burn); burn"
$TIME -f "%e" -o "$OUT/burn2" sh -c "$(declare -f burn); burn & burn; wait"
awk -v a="$(cat "$OUT/burn1")" -v b="$(cat "$OUT/burn2")" 'BEGIN {
    printf "machine_parallelism_now=%.2f (two CPU-bound loops at once vs one: the best a 2-thread speedup can be now)\n", 2 * a / b }'
ok=1
for r in $(seq 1 "$REPEAT"); do
    sweep_once 1 sweep-j1 "$r" "$DCSIM" && sweep_once 2 sweep-j2 "$r" "$DCSIM" || ok=0
done
if [ $ok = 1 ]; then
    median sweep-j1
    median sweep-j2
    read -r w1 u1 <"$OUT/sweep-j1.t"
    read -r w2 u2 <"$OUT/sweep-j2.t"
    awk -v w1="$w1" -v w2="$w2" -v u1="$u1" -v u2="$u2" 'BEGIN {
        printf "sweep threads=1 runs=64 proc_s=%.2f cpu_s=%.2f runs_per_s=%.1f\n", w1, u1, 64 / w1
        printf "sweep threads=2 runs=64 proc_s=%.2f cpu_s=%.2f runs_per_s=%.1f\n", w2, u2, 64 / w2
        printf "sweep_speedup_2_threads=%.2f (target >= 1.8)\n", w1 / w2 }'
fi
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
if [ -x "$B/mpi/dcsim" ] && command -v mpirun >/dev/null 2>&1; then
    export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1
    # one machine: shared memory only (self,vader + ob1) starts MPI in ~0.1 s instead of ~0.3 s
    MPIRUN="mpirun --oversubscribe --mca btl self,vader --mca pml ob1"
    ok=1
    for r in $(seq 1 "$REPEAT"); do
        sweep_once 1 mpi-n1 "$r" $MPIRUN -n 1 "$B/mpi/dcsim" && sweep_once 1 mpi-n2 "$r" $MPIRUN -n 2 "$B/mpi/dcsim" || ok=0
    done
    if [ $ok = 1 ]; then
        median mpi-n1
        median mpi-n2
        read -r m1 x <"$OUT/mpi-n1.t"
        read -r m2 x <"$OUT/mpi-n2.t"
        # the last sweep's own wall time (/timing: runs and statistics, after MPI_Init)
        t1=$(h5dump -d /timing "$OUT/mpi-n1.h5" | sed -n '/(0): {/{n;p}' | tr -d ' ,')
        t2=$(h5dump -d /timing "$OUT/mpi-n2.h5" | sed -n '/(0): {/{n;p}' | tr -d ' ,')
        awk -v a="$m1" -v b="$m2" -v c="$t1" -v d="$t2" 'BEGIN {
            printf "sweep mpi ranks=1 proc_s=%.2f; ranks=2 proc_s=%.2f (1 thread each); last sweep_s %.2f and %.2f\n", a, b, c, d
            printf "mpi_speedup_2_ranks=%.2f (whole process, mpirun and MPI_Init included; target >= 1.7)\n", a / b
            printf "mpi_speedup_2_ranks_sweep=%.2f (the runs and statistics alone, last pair, from /timing)\n", c / d }'
    fi
else
    echo "mpi: no MPI build ($B/mpi/dcsim: make MPI=1) or no mpirun: MPI speedup skipped"
fi

# big_run scale tag: scenarios/bench/big.cfg with every workload's count and rate x scale
big_run() {
    local scale=$1 tag=$2 i c sets=""
    i=0
    for c in 1666667 1666667 1666667 1666667 1666666 1666666; do
        sets="$sets --set workloads.[$i].arrival.count=$(awk -v c=$c -v s="$scale" 'BEGIN {printf "%d", c * s + 0.5}')"
        sets="$sets --set workloads.[$i].arrival.rate_per_s=$(awk -v c=$c -v s="$scale" 'BEGIN {printf "%.12g", c * s / (360 * 86400)}')"
        i=$((i + 1))
    done
    $TIME -f "%M %e" -o "$OUT/$tag.time" "$DCSIM" run scenarios/bench/big.cfg $sets -o "$OUT/$tag.h5" \
        --summary kv --quiet >"$OUT/$tag.kv" 2>"$OUT/$tag.err" || {
        echo "big run $tag FAILED: $(cat "$OUT/$tag.err")"
        return 1
    }
    local rss el
    read -r rss el <"$OUT/$tag.time"
    awk -v j="$(kv jobs_submitted "$OUT/$tag.kv")" -v ev="$(kv events "$OUT/$tag.kv")" -v w="$(kv wall_s "$OUT/$tag.kv")" \
        -v st="$(kv steps "$OUT/$tag.kv")" -v el="$el" -v rss="$rss" 'BEGIN {
        printf "big nodes=100000 sites=3 jobs=%d steps=%d events=%d wall_s=%.2f proc_s=%.2f rss_mb=%.1f events_per_s=%.3g\n",
            j, st, ev, w, el, rss / 1024, ev / w }'
}
echo "## big single run: scenarios/bench/big.cfg (100,000 nodes, 3 sites, a year of hourly series, 1 core)"
big_run 0.1 big-1m && big_run 1 big-10m && echo "(targets at 10M jobs: proc_s < 60, rss_mb < 1024; time grows with jobs, memory stays flat)"
rm -f "$OUT"/*.h5
