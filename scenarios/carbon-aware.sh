#!/bin/sh
# carbon-aware.sh [DCSIM] [OUTDIR] - runs scenarios/carbon-aware.cfg under FIFO and
# each carbon-aware policy on the same arrivals, and prints per policy the
# emissions (site totals, t CO2e), the saving against FIFO and the delay paid, as
# stored in each result file's /summary (scheduler.baseline = "fifo": every run
# also simulates FIFO on the same arrivals). The result files stay in OUTDIR
# (default: a temporary folder, removed at the end).
D=${1:-build/dcsim}
if [ -n "${2:-}" ]; then
    O=$2
    mkdir -p "$O" || exit 1
else
    O=$(mktemp -d /tmp/dcsim-ca-XXXXXX)
    trap 'rm -rf "$O"' EXIT
fi
run() { # tag, --set arguments...
    tag=$1; shift
    "$D" run scenarios/carbon-aware.cfg "$@" -o "$O/$tag.h5" --summary none --quiet || exit 1
}
kv() { "$D" report "$O/$2.h5" --format kv | tr " " "\n" | sed -n "s/^$1=//p"; }
run fifo
run shift-perfect --set scheduler.carbon_policy=shift
run shift-persistence --set scheduler.carbon_policy=shift --set scheduler.forecast=persistence
run shift-noisy --set scheduler.carbon_policy=shift --set scheduler.forecast=noisy --set scheduler.forecast_noise_sd=0.2
run suspend-p75 --set scheduler.suspend_above_percentile=75
run least-carbon --set scheduler.placement=least_carbon
run least-carbon-fcst --set scheduler.placement=least_carbon_forecast
run all --set scheduler.carbon_policy=shift --set scheduler.suspend_above_percentile=75 \
    --set scheduler.placement=least_carbon_forecast
printf '%-18s %12s %10s %10s %13s %8s\n' policy emissions_t saved_t saved_pct mean_delay_h missed
for t in fifo shift-perfect shift-persistence shift-noisy suspend-p75 least-carbon least-carbon-fcst all; do
    awk -v t="$t" -v e="$(kv emissions_t "$t")" -v s="$(kv emissions_saved_t "$t")" -v p="$(kv emissions_saved_pct "$t")" \
        -v d="$(kv mean_delay_h "$t")" -v m="$(kv deadlines_missed "$t")" \
        'BEGIN { printf "%-18s %12.2f %10.2f %9.1f%% %13.2f %8d\n", t, e, s, p, d, m }'
done
