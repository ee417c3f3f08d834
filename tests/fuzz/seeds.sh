#!/bin/sh
# seeds.sh BUILD - remakes the seed corpora of the fuzz harnesses from the
# project's fixtures (run it when the fixtures change, then commit
# tests/fuzz/*/seeds):
#   scenario: the shipped scenarios, tests/bad/*.cfg (a .args file becomes
#             leading "#@set" lines), tests/faults/small.cfg
#   trace:    tests/bad/traces/*.csv, tests/faults/ci.csv
#   report:   result files of small runs of the project's scenarios (written
#             by BUILD/dcsim, without the job table, which is megabytes even
#             for a few jobs), and a few programs for the built-file mode
set -eu
B=${1:-build}
F=tests/fuzz
rm -f $F/scenario/seeds/* $F/trace/seeds/* $F/report/seeds/*
mkdir -p $F/scenario/seeds $F/trace/seeds $F/report/seeds

# --- scenario ---
for s in scenarios/baseline.cfg scenarios/bench/w1.cfg; do
    cp "$s" "$F/scenario/seeds/$(basename "$s")"
done
# small.cfg includes the catalog from ../../scenarios; the harness's scratch folder has it beside
sed 's|"../../scenarios/|"|' tests/faults/small.cfg | sed 's|"ci.csv"|"traces/ci.csv"|' >$F/scenario/seeds/small.cfg
for c in tests/bad/*.cfg; do
    [ -f "$c" ] || continue
    b=${c%.cfg}
    out="$F/scenario/seeds/bad-$(basename "$c")"
    : >"$out"
    if [ -f "$b.args" ]; then
        # "--set a=b --set c=d" -> "#@set a=b" lines
        tr ' ' '\n' <"$b.args" | grep -v '^--set$' | grep -v '^$' | sed 's/^/#@set /' >>"$out"
    fi
    cat "$c" >>"$out"
done

# --- trace ---
for t in tests/bad/traces/*.csv tests/faults/ci.csv; do
    [ -f "$t" ] && cp "$t" "$F/trace/seeds/$(basename "$t")"
done

# --- report: real result files ---
T=$(mktemp -d /tmp/dcsim-seeds-XXXXXX)
trap 'rm -rf "$T"' EXIT
"$B/dcsim" run scenarios/bench/w1.cfg --set workloads.w1.arrival.count=50 --set sites.dc.pools.hosts.count=5 \
    --set output.jobs=false -o $F/report/seeds/w1.h5 --summary none --quiet
"$B/dcsim" run tests/faults/small.cfg --set duration=1d --set output.jobs=false \
    -o $F/report/seeds/small.h5 --summary none --quiet
# --- report: built-file programs (see fuzz_report.c): flags byte, then operations ---
# 0x0f: layout_version, /summary, newest format, creation order; no operation
printf '\017' >$F/report/seeds/built-minimal
# the same, then /summary (op 4 + 1*8 = 0x0c) gets energy_mwh = 1.5 (op 7, name 13, 8 bytes)
printf '\017\014\007\015\000\000\000\000\000\000\370\077' >$F/report/seeds/built-summary
# a pool group /sites/dc/pools/hosts (op 4 + 5*8 = 0x2c) with node_count (16) = 4.0
printf '\013\054\007\020\000\000\000\000\000\000\020\100' >$F/report/seeds/built-pool
# a 1-D dataset /d of 8 int32 (op 3, name bytes 0xa1 'd', type 3, space 2 with 8)
printf '\013\003\241d\003\002\010AAAABBBBCCCCDDDDEEEEFFFFGGGGHHHH' >$F/report/seeds/built-dataset
# a variable-length string attribute "scenario" (name 9) at the root (op 2, type 10, scalar)
printf '\013\002\011\012\000\005hello' >$F/report/seeds/built-string
echo "seeds: $(ls $F/scenario/seeds | wc -l) scenario, $(ls $F/trace/seeds | wc -l) trace, $(ls $F/report/seeds | wc -l) report"
