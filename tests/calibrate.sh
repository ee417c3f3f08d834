#!/bin/sh
# calibrate.sh BUILD - tests of `dcsim calibrate` as a user runs it: the two
# fixture logs (known curves), the printed fragment pasted into a real catalog
# entry and validated by dcsim, options, and bad input with exact messages and
# exit status 2. Closing line: "calibrate: N passed, N failed".
B=${1:-build}
DCSIM="$B/dcsim"
F=tests/fixtures/telemetry
T=$(mktemp -d /tmp/dcsim-calib-XXXXXX)
trap 'rm -rf "$T"' EXIT
pass=0
fail=0
ok() { pass=$((pass + 1)); echo "ok   $1"; }
bad() { fail=$((fail + 1)); echo "FAIL $1"; [ -n "${2:-}" ] && printf '%s\n' "$2" | sed 's/^/    /'; }

# value NAME FILE: the number assigned to NAME in the fragment
value() { sed -n "s/^ *$1 = \([0-9.]*\);.*/\1/p" "$2"; }
# near A B REL: |A - B| <= REL |B|
near() { awk -v a="$1" -v b="$2" -v r="$3" 'BEGIN { d = a - b; if (d < 0) d = -d; m = b < 0 ? -b : b; exit !(a != "" && d <= r * m) }'; }

# expect NAME STATUS MESSAGE ARGS...: exit status and the exact stderr
expect() {
    name=$1 want_st=$2 want=$3
    shift 3
    "$DCSIM" calibrate "$@" >"$T/out" 2>"$T/err"
    st=$?
    got=$(cat "$T/err")
    if [ $st -eq "$want_st" ] && [ "$got" = "$want" ] && [ ! -s "$T/out" ]; then ok "$name"; else
        bad "$name" "status $st (want $want_st)
got:  $got
want: $want"
    fi
}

# --- help ---
"$DCSIM" calibrate --help | grep -q "^usage: dcsim calibrate" && ok "calibrate --help" || bad "calibrate --help"
"$DCSIM" --help | grep -q "^  calibrate FILE" && ok "calibrate in dcsim --help" || bad "calibrate in dcsim --help"

# --- A100 nvidia-smi log: 8 x (57 W, 392 W, 1.3) plus a 400 / 1300 W host ---
"$DCSIM" calibrate "$F/a100-nvidia-smi.csv" --name p4d.24xlarge --host-idle-w 400 --host-max-w 1300 \
    >"$T/a100.cfg" 2>"$T/err"
st=$?
idle=$(value idle_w "$T/a100.cfg") max=$(value max_w "$T/a100.cfg") alpha=$(value alpha "$T/a100.cfg")
# node: 8 x 57 + 400 = 856 W, 8 x 392 + 1300 = 4436 W
if [ $st -eq 0 ] && near "$idle" 856 0.02 && near "$max" 4436 0.02 && near "$alpha" 1.3 0.02; then
    ok "a100 nvidia-smi recovers the curve (idle $idle, max $max, alpha $alpha)"
else bad "a100 nvidia-smi recovers the curve" "status $st idle=$idle max=$max alpha=$alpha"; fi
grep -q "1437 samples" "$T/a100.cfg" && grep -q "RMSE 4.0[0-9] W" "$T/a100.cfg" && grep -q "R^2 0.99" "$T/a100.cfg" &&
    grep -q "8 devices x device curve + host (idle 400 W, max 1300 W)" "$T/a100.cfg" &&
    ok "a100 fragment names samples, RMSE, R^2 and the node mapping" || bad "a100 fragment comments" "$(cat "$T/a100.cfg")"
[ "$(cat "$T/err")" = "dcsim: calibrate: notice: 3 rows skipped: [N/A] or [Not Supported] values" ] &&
    ok "a100 [N/A] rows counted in a notice" || bad "a100 [N/A] notice" "$(cat "$T/err")"

# the fragment pasted over the catalog's p4d.24xlarge lines is a valid catalog
awk -v frag="$T/a100.cfg" '
    /name = "p4d.24xlarge";/ { inp = 1 }
    inp && /^ *(idle_w|max_w|alpha) = / { if (!done) { while ((getline l < frag) > 0) print l; done = 1 } next }
    /^  },?$/ { inp = 0 }
    { print }' scenarios/hardware.cfg >"$T/hardware.cfg"
sed -e "s|@include \"hardware.cfg\"|@include \"$T/hardware.cfg\"|" scenarios/baseline.cfg >"$T/base.cfg"
if grep -q "CALIBRATED" "$T/hardware.cfg" && "$DCSIM" catalog "$T/hardware.cfg" >"$T/cat" 2>"$T/err" &&
    grep "p4d.24xlarge" "$T/cat" | grep -q "$(printf '%.0f' "$idle")"; then
    ok "pasted fragment loads as a catalog entry"
else bad "pasted fragment loads as a catalog entry" "$(cat "$T/err") $(grep p4d "$T/cat")"; fi

# --- trn1 neuron-monitor + sysfs power: 16 x (40 W, 262 W, 0.8) at 285 W = 100 % ---
"$DCSIM" calibrate "$F/trn1-neuron-monitor.log" --power "$F/trn1-power.log" --device-max-w 285 \
    >"$T/trn1.cfg" 2>"$T/err"
st=$?
idle=$(value idle_w "$T/trn1.cfg") max=$(value max_w "$T/trn1.cfg") alpha=$(value alpha "$T/trn1.cfg")
if [ $st -eq 0 ] && near "$idle" 640 0.02 && near "$max" 4192 0.02 && near "$alpha" 0.8 0.02; then
    ok "trn1 neuron-monitor recovers the curve (idle $idle, max $max, alpha $alpha)"
else bad "trn1 neuron-monitor recovers the curve" "status $st idle=$idle max=$max alpha=$alpha"; fi
grep -q 'node power curve of "trn1.32xlarge"' "$T/trn1.cfg" && grep -q "318 samples" "$T/trn1.cfg" &&
    grep -q "NOTE    no host power given" "$T/trn1.cfg" &&
    ok "trn1 name from instance_info, no-host note" || bad "trn1 fragment" "$(cat "$T/trn1.cfg")"
want="dcsim: calibrate: notice: 1 power records skipped: status not POWER_STATUS_VALID
dcsim: calibrate: notice: 16 duplicate power records skipped
dcsim: calibrate: notice: 1 device-minutes skipped: utilisation spread over 20 points (--max-spread)"
[ "$(cat "$T/err")" = "$want" ] && ok "trn1 notices" || bad "trn1 notices" "$(cat "$T/err")"

# --- options ---
"$DCSIM" calibrate --format nvidia-smi "$F/a100-nvidia-smi.csv" --name p4d.24xlarge --alpha 1 \
    --devices-per-node 4 >"$T/lin.cfg" 2>/dev/null
grep -q "^    alpha = 1.000;  *# fixed (--alpha)" "$T/lin.cfg" && grep -q "idle_w = 4 x" "$T/lin.cfg" &&
    ok "--alpha 1 and --devices-per-node 4" || bad "--alpha 1 and --devices-per-node 4" "$(cat "$T/lin.cfg")"
# a headerless, unitless log without an index: the devices must be given
sed -n '2,$p' "$F/a100-nvidia-smi.csv" | awk -F', ' '{ sub(/ %/, "", $3); sub(/ W/, "", $4); print $1 ", " $3 ", " $4 }' \
    >"$T/nohdr.csv"
expect "no device column needs --devices-per-node" 2 \
    "dcsim: calibrate: the logs have no device column (index or pci.bus_id): give --devices-per-node N" \
    "$T/nohdr.csv" --name p4d.24xlarge
"$DCSIM" calibrate "$T/nohdr.csv" --name p4d.24xlarge --devices-per-node 8 >"$T/nohdr.cfg" 2>/dev/null &&
    grep -q "1437 samples" "$T/nohdr.cfg" && ok "noheader,nounits log with --devices-per-node" ||
    bad "noheader,nounits log" "$(cat "$T/nohdr.cfg")"

# --- bad input: exact messages, exit status 2, nothing on stdout ---
printf 'timestamp, index, utilization.gpu [%%], power.draw [W]\n2024/05/01 12:00:00.1, 0, 50 %%, 200 W\n2024/05/01 12:00:00.2, 1, 5O %%, 210 W\n' >"$T/bad.csv"
expect "bad cell: file:line" 2 "dcsim: $T/bad.csv:3: utilization.gpu \"5O %\" is not a number (percent)" \
    "$T/bad.csv" --name x
printf 'timestamp, index, utilization.gpu [%%], power.draw [W]\nx, 0, 50 %%, 200 W\nx, 1, 50 %%, 210 W\nx, 0, 0 %%, 60 W\n' >"$T/two.csv"
expect "two levels: refused with --alpha advice" 2 \
    "dcsim: calibrate: the data cannot determine the curve: 2 distinct utilisation levels in 3 samples; fitting idle, max and alpha needs at least 3 (record a run with varied load, or fix the exponent, e.g. --alpha 1)" \
    "$T/two.csv" --name x
expect "missing file" 2 "dcsim: $T/none.csv: cannot open: No such file or directory" "$T/none.csv" --name x
expect "nvidia-smi needs --name" 2 "dcsim: calibrate: give the node type with --name TYPE (e.g. --name p4d.24xlarge)" \
    "$F/a100-nvidia-smi.csv"
expect "neuron-monitor needs --power" 2 \
    "dcsim: calibrate: neuron-monitor needs one report log, --power FILE (the sysfs power log) and --device-max-w W (docs/CALIBRATE.md)" \
    "$F/trn1-neuron-monitor.log" --device-max-w 285
expect "mixed formats" 2 \
    "dcsim: calibrate: $F/trn1-neuron-monitor.log is neuron-monitor, but $F/a100-nvidia-smi.csv is nvidia-smi: give files of one format" \
    "$F/a100-nvidia-smi.csv" "$F/trn1-neuron-monitor.log"
expect "bad --format" 2 "dcsim: calibrate: --format must be nvidia-smi, neuron-monitor or auto (got \"csv\")" \
    --format csv "$F/a100-nvidia-smi.csv"
expect "bad --devices-per-node" 2 "dcsim: calibrate: --devices-per-node must be a number in [1, 64] (got \"0\")" \
    "$F/a100-nvidia-smi.csv" --devices-per-node 0
expect "fractional --devices-per-node" 2 "dcsim: calibrate: --devices-per-node must be an integer (got \"2.5\")" \
    "$F/a100-nvidia-smi.csv" --devices-per-node 2.5
expect "host max below idle" 2 "dcsim: calibrate: --host-max-w (100 W) is below --host-idle-w (300 W)" \
    "$F/a100-nvidia-smi.csv" --host-idle-w 300 --host-max-w 100
expect "unknown option" 2 "dcsim: calibrate: unknown option --bogus

$("$DCSIM" calibrate --help)" "$F/a100-nvidia-smi.csv" --bogus 1
expect "no file" 2 "dcsim: calibrate: no telemetry FILE given

$("$DCSIM" calibrate --help)" --name x
printf '0,POWER_STATUS_VALID,1714564860,13.05,16.70\n' >"$T/pw.log"
expect "bad power log line" 2 \
    "dcsim: $T/pw.log:1: 5 fields, expected 6: device,status,unix_time,min_pct,max_pct,avg_pct" \
    "$F/trn1-neuron-monitor.log" --power "$T/pw.log" --device-max-w 285
head -c 300 "$F/trn1-neuron-monitor.log" >"$T/cut.log"; echo >>"$T/cut.log"
expect "truncated report" 2 "dcsim: $T/cut.log:1: not a JSON report: unexpected newline near '\"ami-0c2b9d'" \
    "$T/cut.log" --power "$F/trn1-power.log" --device-max-w 285

# --- mutated logs (seeded): never a crash, only 0 or 2 with a "dcsim:" message ---
# mutate SEED FILE LINES: the first LINES lines of FILE with one line changed:
# a character replaced, a field dropped, the line repeated or cut short
mutate() {
    head -n "$3" "$2" | awk -v seed="$1" -v nl="$3" 'BEGIN { srand(seed); chars = "0123456789,.-[]{}\":% eNAW"
            target = int(rand() * nl) + 1 }
        { line = $0
          if (NR == target) { k = int(rand() * 6)
              if (k < 3 && length(line) > 0) { p = int(rand() * length(line)) + 1
                  line = substr(line, 1, p - 1) substr(chars, int(rand() * length(chars)) + 1, 1) substr(line, p + 1) }
              else if (k == 3) { sub(/,[^,]*/, "", line) }
              else if (k == 4) { print line }
              else { line = substr(line, 1, int(rand() * length(line))) } }
          print line }'
}
n=0 crashes=""
for seed in $(seq 1 60); do
    mutate "$seed" "$F/a100-nvidia-smi.csv" 120 >"$T/m.csv"
    "$DCSIM" calibrate "$T/m.csv" --name x >/dev/null 2>"$T/err"
    st=$?
    { [ $st -eq 0 ] || { [ $st -eq 2 ] && grep -q "^dcsim: " "$T/err"; }; } || crashes="$crashes nvidia-smi:$seed:$st"
    mutate "$seed" "$F/trn1-power.log" 200 >"$T/mp.log"
    mutate "$((seed + 1000))" "$F/trn1-neuron-monitor.log" 60 >"$T/mm.log"
    "$DCSIM" calibrate "$T/mm.log" --power "$T/mp.log" --device-max-w 285 >/dev/null 2>"$T/err"
    st=$?
    { [ $st -eq 0 ] || { [ $st -eq 2 ] && grep -q "^dcsim: " "$T/err"; }; } || crashes="$crashes neuron:$seed:$st"
    n=$((n + 2))
done
[ -z "$crashes" ] && ok "$n mutated logs: exit 0 or 2 with a message" || bad "mutated logs" "$crashes"

echo "calibrate: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
