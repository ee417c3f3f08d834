#!/bin/sh
# analysis.sh BUILD - tests of the analysis commands as a user runs them:
# report (text, markdown, csv, json) and compare on hand-made result files
# with known numbers (tests/make_result.py), refusal of another layout
# version and of sweep files, the figures of dcsim plot (exist, have the
# expected size, are not blank: tests/check_images.py), the plotting errors,
# and the ecosystem check: xarray and pandas open a real result file and read
# its time axis as datetimes (tests/ecosystem.py). Closing line:
# "analysis: N passed, N failed".
B=${1:-build}
DCSIM="$B/dcsim"
if [ -n "${DCSIM_PYTHON:-}" ]; then PY=$DCSIM_PYTHON
elif [ -x /usr/bin/python3 ]; then PY=/usr/bin/python3
else PY=python3; fi
T=$(mktemp -d /tmp/dcsim-analysis-XXXXXX)
trap 'rm -rf "$T"' EXIT
pass=0
fail=0
ok() { pass=$((pass + 1)); echo "ok   $1"; }
bad() { fail=$((fail + 1)); echo "FAIL $1"; [ -n "${2:-}" ] && printf '%s\n' "$2" | sed 's/^/    /'; }
# has FILE REGEX WHAT: a line of FILE matches the extended REGEX
has() { if grep -Eq -- "$2" "$1"; then ok "$3"; else bad "$3" "no line matches /$2/ in:
$(head -60 "$1")"; fi; }

if ! "$PY" tests/make_result.py "$T" 2>"$T/err"; then
    bad "make the hand-made result files" "$(cat "$T/err")"
    echo "analysis: $pass passed, $fail failed"
    exit 1
fi

# --- report, text: the numbers of tests/make_result.py ---
"$DCSIM" report "$T/a.h5" >"$T/a.txt" 2>"$T/err" && ok "report a.h5 exits 0" || bad "report a.h5 exits 0" "$(cat "$T/err")"
has "$T/a.txt" '^  IT energy +4\.8 MWh$' "report: IT energy 4.8 MWh (48 h x 100 kW)"
has "$T/a.txt" '^  facility energy +6 MWh$' "report: facility energy 6 MWh"
has "$T/a.txt" '^  PUE +1\.25$' "report: PUE 1.25"
has "$T/a.txt" '^  emissions, location-based +2\.4 t CO2e$' "report: location-based 2.4 t"
has "$T/a.txt" '^  emissions, market-based +1\.2 t CO2e$' "report: market-based 1.2 t"
has "$T/a.txt" '^  embodied emissions +0\.5 t CO2e$' "report: embodied 0.5 t"
has "$T/a.txt" '^  WUE +0\.1 L/kWh$' "report: WUE 0.1 L/kWh"
has "$T/a.txt" '^  cost +1000 USD$' "report: cost 1000 USD"
has "$T/a.txt" '^  jobs completed +10$' "report: 10 jobs completed"
has "$T/a.txt" '^  mean wait +2160 s$' "report: mean wait 2160 s (3 of 10 jobs wait 2 h)"
has "$T/a.txt" '^  novel_metric_x +7 kg$' "report: an unknown summary attribute is shown with its units"
has "$T/a.txt" '^dc +4\.8 +6 +1\.25 +0\.1 +2\.4 +1\.2 +0\.48$' "report: site table from the series"
has "$T/a.txt" '^dc/gpu +50 +4 +96$' "report: pool dc/gpu 50% of 4 nodes, 96 busy node-hours"
has "$T/a.txt" '^workload +group +jobs +it_energy_mwh +emissions_t +requests$' "report: workloads table, one column per attribute"
has "$T/a.txt" '^ +MWh +t *$' "report: workloads table units from /workloads/units"
has "$T/a.txt" '^chat +chat +6 +1\.8 +0\.9 +1000$' "report: workload chat row"
has "$T/a.txt" '^2027 +9\.6 +12 +3\.6 +1\.8 +0\.96 +1800 +0\.6$' "report: projection row 2027"
"$DCSIM" report "$T/b.h5" >"$T/b.txt" 2>&1
has "$T/b.txt" '^  embodied emissions +n/a$' "report: a core metric the file lacks prints n/a, not 0"
grep -q "^  on site" "$T/a.txt" && bad "report: absent non-core metrics are not listed" || ok "report: absent non-core metrics are not listed"

# --- report, markdown / csv / json ---
"$DCSIM" report "$T/a.h5" --format markdown >"$T/a.md" 2>&1
has "$T/a.md" '^\| energy \| IT energy \| 4\.8 \| MWh \|$' "markdown: totals row"
has "$T/a.md" '^### workloads$' "markdown: workloads heading"
has "$T/a.md" '^\| workload \| group \| jobs \| it_energy_mwh \(MWh\) \| emissions_t \(t\) \| requests \|$' "markdown: units in the headers"
"$DCSIM" report "$T/b.h5" --format csv >"$T/b.csv" 2>&1
has "$T/b.csv" '^table,row,column,value,units$' "csv: tidy header"
has "$T/b.csv" '^summary,,it_energy_mwh,7\.(2|1999999)[0-9]*,MWh$' "csv: IT energy of b is 7.2 MWh"
has "$T/b.csv" '^summary,,embodied_t,,t$' "csv: a missing metric is an empty field"
has "$T/b.csv" '^workload,chat,requests,1000,1$' "csv: workload cells"
has "$T/b.csv" '^projection,2028,year,2028,1$' "csv: projection cells keyed by year"
"$DCSIM" report "$T/b.h5" --format json >"$T/b.json" 2>&1
if "$PY" - "$T/b.json" >"$T/err" 2>&1 <<'PYEOF'
import json, sys
d = json.load(open(sys.argv[1]))
tot = {r["name"]: r for r in d["totals"]["rows"]}
assert abs(tot["it_energy_mwh"]["value"] - 7.2) < 1e-12, tot["it_energy_mwh"]
assert tot["embodied_t"]["value"] is None, tot["embodied_t"]
assert tot["mean_pue"]["aggregate"] == "ratio" and tot["cost_usd"]["aggregate"] == "sum"
assert d["attributes"]["scenario"] == "hand-b" and d["attributes"]["layout_version"] == 1
w = {r["workload"]: r for r in d["workloads"]["rows"]}
assert w["train"]["jobs"] == 4 and abs(w["train"]["it_energy_mwh"] - 4.5) < 1e-12
assert d["workloads"]["units"]["it_energy_mwh"] == "MWh"
p = d["projection"]["rows"]
assert [r["year"] for r in p] == [2026, 2027, 2028] and abs(p[1]["it_energy_mwh"] - 9.6 * 1.5) < 1e-9
assert d["pools"]["rows"][0]["utilization"] == 50
PYEOF
then ok "json: parses; 7.2 MWh, embodied null, workloads, projection, pools"; else bad "json: parses; 7.2 MWh, embodied null, workloads, projection, pools" "$(cat "$T/err")"; fi

# --- compare ---
"$DCSIM" compare "$T/a.h5" "$T/b.h5" >"$T/ab.txt" 2>"$T/err" && ok "compare a b exits 0" || bad "compare a b exits 0" "$(cat "$T/err")"
has "$T/ab.txt" "^A = $T/a.h5 \\(scenario hand-a, seed 1\\)$" "compare: legend names the files"
has "$T/ab.txt" '^IT energy +MWh +4\.8 +7\.2 +2\.4 +50$' "compare: IT energy 4.8 -> 7.2 MWh, +2.4, +50%"
has "$T/ab.txt" '^emissions, location-based +t CO2e +2\.4 +3\.6 +1\.2 +50$' "compare: emissions +50%"
has "$T/ab.txt" '^PUE +1\.25 +1\.25 +0 +0$' "compare: PUE unchanged"
has "$T/ab.txt" '^embodied emissions +t CO2e +0\.5 +n/a +n/a +n/a$' "compare: a metric one file lacks is n/a"
has "$T/ab.txt" '^utilization dc/gpu +% +50 +50 +0 +0$' "compare: pool utilisation rows"
"$DCSIM" compare "$T/a.h5" "$T/b.h5" "$T/a.h5" --format csv >"$T/aba.csv" 2>&1
has "$T/aba.csv" '^name,metric,units,A,B,B-A,B-A %,C,C-A,C-A %$' "compare csv: three files, header"
has "$T/aba.csv" '^cost_usd,cost,USD,1000,1500,500,50,1000,0,0$' "compare csv: cost row"
"$DCSIM" compare "$T/a.h5" "$T/b.h5" --format json >"$T/ab.json" 2>&1
"$PY" -c "
import json,sys; d=json.load(open(sys.argv[1])); r={x['name']:x for x in d['metrics']['rows']}
assert d['files'][1]['scenario']=='hand-b'; assert r['cost_usd']['B-A %']==50; assert r['embodied_t']['B'] is None
" "$T/ab.json" 2>"$T/err" && ok "compare json: files, cost +50%, null for missing" || bad "compare json" "$(cat "$T/err")"
"$DCSIM" compare "$T/a.h5" "$T/b.h5" --format markdown >"$T/ab.md" 2>&1
has "$T/ab.md" '^\| IT energy \| MWh \| 4\.8 \| 7\.2 \| 2\.4 \| 50 \|$' "compare markdown: row"

# --- refusals: other layout versions, sweep files, bad arguments ---
"$DCSIM" compare "$T/a.h5" "$T/v2.h5" >"$T/out" 2>"$T/err"; st=$?
if [ $st -eq 1 ] && [ ! -s "$T/out" ] &&
    grep -qF "dcsim: $T/v2.h5: layout_version 2 is not supported (this reader knows 1)" "$T/err"; then
    ok "compare refuses layout_version 2, names the file and both versions, prints nothing"
else bad "compare refuses layout_version 2" "status $st: $(cat "$T/err") $(head -3 "$T/out")"; fi
"$DCSIM" report "$T/v2.h5" >/dev/null 2>"$T/err"; st=$?
[ $st -eq 1 ] && grep -q "layout_version 2 is not supported" "$T/err" && ok "report refuses layout_version 2" ||
    bad "report refuses layout_version 2" "status $st: $(cat "$T/err")"
"$DCSIM" report "$T/sweep.h5" >/dev/null 2>"$T/err"; st=$?
# (a root attribute kind = "sweep" and nothing else: the sweep reader, analysis/sweepreport.c, refuses it)
[ $st -eq 1 ] && grep -q 'sweep.h5: a root attribute of the sweep file is missing or unreadable' "$T/err" &&
    ok "report hands a sweep file to the sweep reader (an incomplete one: clear refusal)" ||
    bad "report of a sweep file" "status $st: $(cat "$T/err")"
"$DCSIM" compare "$T/a.h5" "$T/sweep.h5" >/dev/null 2>"$T/err"; st=$?
[ $st -eq 2 ] && grep -q "compare takes sweep files with sweep files only" "$T/err" && ok "compare refuses a run file with a sweep file" ||
    bad "compare refuses a sweep file" "status $st: $(cat "$T/err")"
"$DCSIM" compare "$T/a.h5" >/dev/null 2>&1; [ $? -eq 2 ] && ok "compare of one file exits 2" || bad "compare of one file exits 2"
"$DCSIM" compare "$T/a.h5" "$T/nothing.h5" >/dev/null 2>"$T/err"; st=$?
[ $st -eq 1 ] && grep -q "nothing.h5: No such file" "$T/err" && ok "compare of a missing file exits 1 naming it" || bad "compare of a missing file" "status $st: $(cat "$T/err")"
"$DCSIM" report "$T/a.h5" --format yaml >/dev/null 2>"$T/err"; st=$?
[ $st -eq 2 ] && grep -q 'unknown report format "yaml"' "$T/err" && ok "report --format yaml exits 2" || bad "report --format yaml exits 2" "status $st: $(cat "$T/err")"
"$DCSIM" compare "$T/a.h5" "$T/b.h5" --format kv >/dev/null 2>&1; [ $? -eq 2 ] && ok "compare --format kv exits 2" || bad "compare --format kv exits 2"

# --- plots: every figure, PNG and SVG, sized and not blank ---
if "$DCSIM" plot "$T/a.h5" "$T/b.h5" -o "$T/plots" >"$T/plot.out" 2>"$T/err"; then
    ok "plot a b exits 0"
else bad "plot a b exits 0" "$(cat "$T/err")"; fi
"$PY" tests/check_images.py "$T/plots" a-power-intensity a-heatmap-intensity a-heatmap-load a-emissions \
    a-pue-temperature a-queue-utilization a-projection b-projection compare >"$T/img" 2>&1
cat "$T/img"
pass=$((pass + $(grep -c '^ok' "$T/img")))
fail=$((fail + $(grep -c '^FAIL' "$T/img")))
grep -q '^FAIL\|Traceback' "$T/img" && [ "$(grep -c '^ok\|^FAIL' "$T/img")" -eq 0 ] && bad "check_images ran"
[ "$(grep -c '\.png$' "$T/plot.out")" -eq 15 ] && ok "plot lists the 15 PNG files it wrote" || bad "plot lists the PNG files it wrote" "$(cat "$T/plot.out")"
ls "$T/plots" | grep -q 'tmp' && bad "plot leaves no temporary files" || ok "plot leaves no temporary files"
"$DCSIM" compare "$T/a.h5" "$T/b.h5" --plot "$T/cmp" >/dev/null 2>"$T/err" && [ -s "$T/cmp/compare.png" ] &&
    ok "compare --plot draws compare.png" || bad "compare --plot draws compare.png" "$(cat "$T/err")"
"$DCSIM" plot "$T/nothing.h5" -o "$T/p2" >/dev/null 2>"$T/err"; st=$?
[ $st -eq 1 ] && grep -q "nothing.h5: No such file" "$T/err" && ok "plot of a missing file exits 1 naming it" || bad "plot of a missing file" "status $st: $(cat "$T/err")"
"$DCSIM" plot "$T/v2.h5" -o "$T/p2" >/dev/null 2>"$T/err"; st=$?
[ $st -eq 1 ] && grep -q "layout_version 2" "$T/err" && ok "plot refuses layout_version 2" || bad "plot refuses layout_version 2" "status $st: $(cat "$T/err")"
DCSIM_PLOT_SCRIPT=$T/none.py "$DCSIM" plot "$T/a.h5" -o "$T/p2" >/dev/null 2>"$T/err"; st=$?
[ $st -eq 1 ] && grep -q "cannot read the plotting script $T/none.py" "$T/err" && ok "plot without its script: clear message, exit 1" ||
    bad "plot without its script" "status $st: $(cat "$T/err")"
DCSIM_PYTHON=$T/no-python "$DCSIM" plot "$T/a.h5" -o "$T/p2" >/dev/null 2>"$T/err"; st=$?
[ $st -eq 1 ] && grep -q "cannot run $T/no-python" "$T/err" && ok "plot without python: clear message, exit 1" ||
    bad "plot without python" "status $st: $(cat "$T/err")"
mkdir -p "$T/block/matplotlib"
echo 'raise ImportError("blocked for the test", name="matplotlib")' >"$T/block/matplotlib/__init__.py"
PYTHONPATH=$T/block DCSIM_PYTHON=$PY "$DCSIM" plot "$T/a.h5" -o "$T/p2" >/dev/null 2>"$T/err"; st=$?
[ $st -eq 1 ] && grep -q "missing Python module matplotlib" "$T/err" && ! grep -q Traceback "$T/err" &&
    ok "plot without matplotlib: clear message, no traceback, exit 1" || bad "plot without matplotlib" "status $st: $(cat "$T/err")"

# --- ecosystem: a real run opened with xarray and pandas ---
if "$DCSIM" run scenarios/climates.cfg --set duration=14d --set output.jobs=true -o "$T/run.h5" --quiet \
    --summary none 2>"$T/err"; then
    "$PY" tests/ecosystem.py "$T/run.h5" temperate trn2 >"$T/eco" 2>&1
    cat "$T/eco"
    pass=$((pass + $(grep -c '^ok' "$T/eco")))
    fail=$((fail + $(grep -c '^FAIL' "$T/eco")))
    [ "$(grep -c '^ok' "$T/eco")" -ge 10 ] || bad "ecosystem.py ran its checks" "$(tail -5 "$T/eco")"
    "$DCSIM" report "$T/run.h5" --format json | "$PY" -c 'import json,sys; json.load(sys.stdin)' 2>"$T/err" &&
        ok "report json of a real run parses" || bad "report json of a real run parses" "$(cat "$T/err")"
else
    bad "run scenarios/climates.cfg for 14 days" "$(cat "$T/err")"
fi

echo "analysis: $pass passed, $fail failed"
[ $fail -eq 0 ]
