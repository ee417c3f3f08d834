#!/usr/bin/python3
"""make_em_trace.py - writes a synthetic hourly trace in the Electricity Maps
export layout, for ready scenarios that must run with no outside files.

    tools/make_em_trace.py OUT.csv YEAR ZONE SEED

The values are made up here (not measured): an average intensity with an
annual cycle (higher in winter), a midday solar dip, and seeded AR(1) noise;
the low-carbon and renewable shares follow from the intensity. Deterministic
from the seed (Python's random.Random). The file is what the reader sees in a
real export: the same header (with the UTF-8 subscript two), UTC times
"YYYY-MM-DD HH:MM:SS", direct and life-cycle columns.
"""
import datetime
import math
import random
import sys


def main():
    out, year, zone, seed = sys.argv[1], int(sys.argv[2]), sys.argv[3], int(sys.argv[4])
    rng = random.Random(seed)
    t = datetime.datetime(year, 1, 1, tzinfo=datetime.timezone.utc)
    end = datetime.datetime(year + 1, 1, 1, tzinfo=datetime.timezone.utc)
    noise = 0.0
    rows = ["Datetime (UTC),Country,Zone Name,Zone Id,Carbon Intensity gCO\u2082eq/kWh (direct),"
            "Carbon Intensity gCO\u2082eq/kWh (LCA),Low Carbon Percentage,Renewable Percentage,"
            "Data Source,Data Estimated,Data Estimation Method"]
    while t < end:
        doy = t.timetuple().tm_yday
        hour = t.hour + 1.0  # local solar time about UTC+1
        season = 60.0 * math.cos(2 * math.pi * (doy - 15) / 365.0)
        sun = max(0.0, math.sin(math.pi * (hour - 6.0) / 12.0)) * (0.6 + 0.4 * math.sin(2 * math.pi * (doy - 80) / 365.0))
        noise = 0.95 * noise + rng.gauss(0.0, 12.0)
        direct = max(5.0, 230.0 + season - 90.0 * sun + noise)
        lca = direct * 1.12 + 18.0
        low = min(99.0, max(1.0, 100.0 * (1.0 - direct / 600.0)))
        ren = max(0.5, low - 20.0)
        rows.append("%s,XX,Synthetic North,%s,%.2f,%.2f,%.2f,%.2f,dcsim,true,synthetic"
                    % (t.strftime("%Y-%m-%d %H:%M:%S"), zone, direct, lca, low, ren))
        t += datetime.timedelta(hours=1)
    with open(out, "w", encoding="utf-8") as f:
        f.write("\n".join(rows) + "\n")


if __name__ == "__main__":
    main()
