#!/bin/sh
# carbon-aware.sh [DCSIM] - runs scenarios/carbon-aware.cfg under FIFO and each
# carbon-aware policy on the same arrivals, and prints per policy the emissions
# (site totals, t CO2e), the saving against FIFO and the mean wait paid.
D=${1:-build/dcsim}
O=$(mktemp -d /tmp/dcsim-ca-XXXXXX)
trap 'rm -rf "$O"' EXIT
kv() { tr ' ' '\n' <"$2" | sed -n "s/^$1=//p"; }
run() { # tag, --set arguments...
    tag=$1; shift
    "$D" run scenarios/carbon-aware.cfg "$@" -o "$O/$tag.h5" --summary kv --quiet >"$O/$tag.kv" || exit 1
}
run fifo
run shift-perfect --set scheduler.carbon_policy=shift
run shift-persistence --set scheduler.carbon_policy=shift --set scheduler.forecast=persistence
run shift-noisy --set scheduler.carbon_policy=shift --set scheduler.forecast=noisy --set scheduler.forecast_noise_sd=0.2
run least-carbon --set scheduler.placement=least_carbon
run both --set scheduler.carbon_policy=shift --set scheduler.placement=least_carbon
base=$(kv emissions_t "$O/fifo.kv")
printf '%-18s %12s %10s %12s %10s %8s\n' policy emissions_t saved_t saved_pct mean_wait_h missed
for t in fifo shift-perfect shift-persistence shift-noisy least-carbon both; do
    e=$(kv emissions_t "$O/$t.kv"); w=$(kv mean_wait_s "$O/$t.kv"); m=$(kv deadlines_missed "$O/$t.kv")
    awk -v t="$t" -v e="$e" -v b="$base" -v w="$w" -v m="$m" \
        'BEGIN { printf "%-18s %12.2f %10.2f %11.1f%% %10.2f %8d\n", t, e, b - e, 100 * (b - e) / b, w / 3600, m }'
done
