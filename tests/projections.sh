#!/bin/sh
# projections.sh BUILD - the ready projection scenarios against their
# published figures (within 5%), the fossil-share lever, and a projection's
# bad input. Closing line: "projections: N passed, N failed".
B=${1:-build}
DCSIM="$B/dcsim"
PY=python3
[ -x /usr/bin/python3 ] && PY=/usr/bin/python3
T=$(mktemp -d /tmp/dcsim-proj-XXXXXX)
trap 'rm -rf "$T"' EXIT
pass=0
fail=0
ok() { pass=$((pass + 1)); echo "ok   $1"; }
bad() { fail=$((fail + 1)); echo "FAIL $1"; [ -n "${2:-}" ] && printf '%s\n' "$2" | sed 's/^/    /'; }
# col FILE COLUMN YEAR: /projection/COLUMN at YEAR
col() { "$PY" -c 'import sys, h5py
p = h5py.File(sys.argv[1], "r")["projection"]
y = list(p["year"][()]).index(float(sys.argv[3]))
print(repr(float(p[sys.argv[2]][y])))' "$@"; }
within() { awk -v g="$1" -v w="$2" -v p="$3" 'BEGIN { d = g - w; if (d < 0) d = -d; exit !(d <= p / 100 * w) }'; }
check() { # NAME GOT WANT PCT
    if within "$2" "$3" "$4"; then ok "$1: $2 (want $3, within $4%)"; else bad "$1" "got $2, want $3 within $4%"; fi
}

# --- Goldman Sachs 2025: 60% fossil, 215-220 Mt in 2030 ---
S=scenarios/projections/fossil-share-2030.cfg
if "$DCSIM" run $S -o "$T/gs.h5" --quiet --summary none 2>"$T/err"; then
    check "GS 2030 added emissions, t (published 215-220 Mt)" "$(col "$T/gs.h5" emissions_new_demand_t 2030)" 217.5e6 5
    check "GS 2030 added energy, MWh (67 GW x 8,760 h)" "$(col "$T/gs.h5" facility_energy_mwh 2030)" 586.92e6 0.001
    check "GS 2027 added energy, MWh (29 GW)" "$(col "$T/gs.h5" facility_energy_mwh 2027)" 254.04e6 0.001
else
    bad "GS run" "$(cat "$T/err")"
fi
# the lever: 40% fossil: EF_new = 262.7 g/kWh, 154.2 Mt (docs/PROJECTION.md)
if "$DCSIM" run $S --set sites.added-demand.grid.new_demand.fossil_share=0.4 -o "$T/gs4.h5" --quiet --summary none \
    2>"$T/err"; then
    check "GS at 40% fossil, t" "$(col "$T/gs4.h5" emissions_new_demand_t 2030)" 154.16e6 0.1
else
    bad "GS run at 40% fossil" "$(cat "$T/err")"
fi

# --- IEA Energy and AI 2025: 415 TWh (2024) to 945 TWh (2030), 180 Mt (2024) ---
S=scenarios/projections/iea-2030.cfg
if "$DCSIM" run $S -o "$T/iea.h5" --quiet --summary none 2>"$T/err"; then
    check "IEA 2024 energy, MWh (415 TWh)" "$(col "$T/iea.h5" facility_energy_mwh 2024)" 415e6 5
    check "IEA 2030 energy, MWh (945 TWh)" "$(col "$T/iea.h5" facility_energy_mwh 2030)" 945e6 5
    check "IEA 2024 emissions, t (180 Mt)" "$(col "$T/iea.h5" emissions_location_t 2024)" 180e6 5
    check "IEA 2030 emissions under the stated path, t (docs: 317 Mt)" \
        "$(col "$T/iea.h5" emissions_location_t 2030)" 317.3e6 0.1
else
    bad "IEA run" "$(cat "$T/err")"
fi
# the result is a full run of the last year plus the table
"$DCSIM" report "$T/iea.h5" >"$T/rep" 2>&1 && grep -q "scenario *iea-2030" "$T/rep" &&
    ok "report reads a projection's result" || bad "report reads a projection's result" "$(cat "$T/rep")"

# --- bad input: a year whose trend breaks a range fails before anything runs ---
"$DCSIM" run $S --set projection.trends.[1].change_per_year=-100.0 -o "$T/bad.h5" --quiet >"$T/out" 2>&1; st=$?
[ $st -eq 2 ] && [ ! -e "$T/bad.h5" ] && grep -q "projection year 2029: .*intensity_g_per_kwh must be in" "$T/out" &&
    ok "a trend out of range: exit 2, no result, the year named" ||
    bad "a trend out of range" "status $st: $(cat "$T/out")"
"$DCSIM" validate $S --set projection.trends.[1].change_per_year=-100.0 >"$T/out" 2>&1; st=$?
[ $st -eq 2 ] && grep -q "projection year 2029" "$T/out" && ok "validate checks every year" ||
    bad "validate checks every year" "status $st: $(cat "$T/out")"

echo "projections: $pass passed, $fail failed"
