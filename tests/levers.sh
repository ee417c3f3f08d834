#!/bin/sh
# levers.sh BUILD - the levers' ready scenarios, run whole: the published
# training runs reproduced within 2% (scenarios/reproduce/), the
# customisation ladder's order and where it turns (scenarios/), the
# model-size ratio, and the /groups and /workloads tables. Closing line:
# "levers: N passed, N failed".
B=${1:-build}
DCSIM="$B/dcsim"
PY=python3
[ -x /usr/bin/python3 ] && PY=/usr/bin/python3
T=$(mktemp -d /tmp/dcsim-levers-XXXXXX)
trap 'rm -rf "$T"' EXIT
pass=0
fail=0
ok() { pass=$((pass + 1)); echo "ok   $1"; }
bad() { fail=$((fail + 1)); echo "FAIL $1"; [ -n "${2:-}" ] && printf '%s\n' "$2" | sed 's/^/    /'; }

# attr FILE PATH NAME: one attribute of one HDF5 object
attr() { "$PY" -c 'import sys, h5py; print(repr(float(h5py.File(sys.argv[1], "r")[sys.argv[2]].attrs[sys.argv[3]])))' "$@"; }
# within GOT WANT PCT: |got - want| <= pct% of want
within() { awk -v g="$1" -v w="$2" -v p="$3" 'BEGIN { d = g - w; if (d < 0) d = -d; exit !(d <= p / 100 * w) }'; }
check() { # NAME GOT WANT PCT
    if within "$2" "$3" "$4"; then ok "$1: $2 (want $3, within $4%)"; else bad "$1" "got $2, want $3 within $4%"; fi
}

# --- published training runs, from the papers' own inputs ---
if "$DCSIM" run scenarios/reproduce/gpt3-patterson.cfg -o "$T/gpt3.h5" --quiet --summary none 2>"$T/err"; then
    check "GPT-3 facility energy MWh" "$(attr "$T/gpt3.h5" summary energy_mwh)" 1287 2
    check "GPT-3 emissions t" "$(attr "$T/gpt3.h5" summary emissions_t)" 552 2
    check "GPT-3 group emissions t" "$(attr "$T/gpt3.h5" groups/gpt3-175b emissions_t)" 552 2
    check "GPT-3 workload IT energy MWh (3,552,000 h x 330 W)" "$(attr "$T/gpt3.h5" workloads/gpt3-175b it_energy_mwh)" 1172.16 0.0001
else
    bad "GPT-3 run" "$(cat "$T/err")"
fi
if "$DCSIM" run scenarios/reproduce/llama2-70b.cfg -o "$T/l2.h5" --quiet --summary none 2>"$T/err"; then
    check "Llama 2 70B energy MWh (1,720,320 h x 400 W)" "$(attr "$T/l2.h5" summary energy_mwh)" 688.128 0.0001
    check "Llama 2 70B emissions t" "$(attr "$T/l2.h5" summary emissions_t)" 291.42 2
else
    bad "Llama 2 70B run" "$(cat "$T/err")"
fi

# --- model size: the node-hours ratio is the roofline's (tokens/s per node) ---
if "$DCSIM" run scenarios/model-size.cfg -o "$T/ms.h5" --quiet --summary none 2>"$T/err"; then
    r=$("$PY" - "$T/ms.h5" <<'PYEOF'
import sys, h5py
f = h5py.File(sys.argv[1], "r")
a, b = f["workloads/serve-7b"].attrs, f["workloads/serve-175b"].attrs
want = (a["tokens_per_s_per_node"] / b["tokens_per_s_per_node"]) * (b["requests"] / a["requests"])
got = b["node_hours"] / a["node_hours"]
e = f["groups/175b"].attrs["facility_energy_mwh"] / f["groups/7b"].attrs["facility_energy_mwh"]
print(got, want, e)
PYEOF
)
    set -- $r
    check "model size: node-hours ratio 175B/7B = roofline ratio" "$1" "$2" 0.01
    awk -v e="$3" 'BEGIN { exit !(e > 15 && e < 20) }' && ok "model size: energy ratio 175B/7B $3 (docs/LEVERS.md: 17.5)" ||
        bad "model size: energy ratio" "got $3, docs say about 17.5"
else
    bad "model-size run" "$(cat "$T/err")"
fi

# --- the customisation ladder: its order at 5 requests/s and at 0.001 ---
order() { # FILE: the groups from least to most facility energy
    "$PY" -c 'import sys, h5py
g = h5py.File(sys.argv[1], "r")["groups"]
names = [k for k in g if k not in ("units", "long_name")]
print(" ".join(sorted(names, key=lambda k: g[k].attrs["facility_energy_mwh"])))' "$1"
}
L=scenarios/customisation-ladder.cfg
if "$DCSIM" run $L -o "$T/ladder.h5" --quiet --summary none 2>"$T/err"; then
    got=$(order "$T/ladder.h5")
    want="lora full_ft continued prompt rag pretrain"
    [ "$got" = "$want" ] && ok "ladder at 5 requests/s: $got" || bad "ladder at 5 requests/s" "got:  $got
want: $want (docs/LEVERS.md)"
    "$DCSIM" report "$T/ladder.h5" >"$T/rep" 2>&1
    sed -n '/^groups/,/^$/p' "$T/rep" | grep -q "^lora " && ok "report prints the /groups table" ||
        bad "report prints the /groups table" "$(cat "$T/rep")"
    "$DCSIM" report "$T/ladder.h5" --format json | "$PY" -c 'import sys, json
d = json.load(sys.stdin)
sys.exit(0 if any(r.get("group") == "rag" for r in d["groups"]["rows"]) else 1)' &&
        ok "report json has the groups" || bad "report json has the groups"
else
    bad "ladder run" "$(cat "$T/err")"
fi
low=""
for w in pretrain continued full_ft lora rag prompt; do low="$low --set workloads.$w-serve.rate.mean_per_s=0.001"; done
# shellcheck disable=SC2086
if "$DCSIM" run $L $low -o "$T/ladder-low.h5" --quiet --summary none 2>"$T/err"; then
    got=$(order "$T/ladder-low.h5")
    want="prompt rag lora full_ft continued pretrain"
    [ "$got" = "$want" ] && ok "ladder at 0.001 requests/s: $got" || bad "ladder at 0.001 requests/s" "got:  $got
want: $want (docs/LEVERS.md)"
else
    bad "ladder run (low volume)" "$(cat "$T/err")"
fi

# --- the talk's claims: the table in docs/LEVERS.md is what the run gives ---
if "$DCSIM" run scenarios/seed-claims.cfg -o "$T/claims.h5" --quiet --summary none 2>"$T/err"; then
    "$PY" analysis/claims.py "$T/claims.h5" --format markdown >"$T/claims.md" 2>&1
    missing=$(grep '^| [A-Z]' "$T/claims.md" | grep -v '^| claim' | while IFS= read -r line; do
        grep -qxF "$line" docs/LEVERS.md || echo "$line"; done)
    [ -s "$T/claims.md" ] && [ -z "$missing" ] && ok "claims table in docs/LEVERS.md matches the run" ||
        bad "claims table in docs/LEVERS.md matches the run" "rows not in the doc:
$missing
$(cat "$T/claims.md")"
else
    bad "seed-claims run" "$(cat "$T/err")"
fi
"$PY" analysis/claims.py "$T/gpt3.h5" >"$T/out" 2>&1; st=$?
[ $st -ne 0 ] && grep -q "has no /groups/c1-trn1 (run scenarios/seed-claims.cfg)" "$T/out" &&
    ok "claims.py on another result: clear error" || bad "claims.py on another result" "$(cat "$T/out")"

# --- validate shows the arithmetic ---
"$DCSIM" validate scenarios/model-size.cfg >"$T/v" 2>&1
grep -q "weights 350 GB of 576 GB usable; KV cache 3.77 GB per sequence; batch 59 (memory allows 59)" "$T/v" &&
    ok "validate prints the roofline" || bad "validate prints the roofline" "$(cat "$T/v")"

"$DCSIM" validate scenarios/seed-claims.cfg >"$T/v2" 2>&1
grep -q "FLOPs as given: 1.449e+15 FLOP per job on 1 node(s) at 1.61 TFLOPS fp32 each" "$T/v2" &&
    grep -q "    pretrain: 2.633e+20 FLOP per job" "$T/v2" &&
    ok "validate names the FLOP model, or says the FLOPs were given" ||
    bad "validate names the FLOP model, or says the FLOPs were given" "$(cat "$T/v2")"

echo "levers: $pass passed, $fail failed"
