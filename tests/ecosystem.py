#!/usr/bin/python3
"""ecosystem.py RESULT.h5 SITE POOL - opens a result file written by dcsim with the
Python ecosystem (docs/RESULTS.md, docs/ANALYSIS.md) and checks the netCDF-4
conventions of the design hold:

- xarray (engines h5netcdf and netcdf4) opens the site and pool groups and
  decodes `time` to datetimes through its `units` attribute: the first value
  is the root `start`, the next one `step_s` later;
- energy_kwh summed through xarray over every site and step equals
  /summary energy_mwh, and a per-day resample adds up to the same;
- every data variable carries `units` and `long_name`;
- pandas, through h5py only, builds a DataFrame of the series and of the
  jobs and turns the time axis into datetimes from the units attribute
  ("seconds since YYYY-MM-DD HH:MM:SS").

Prints one "ok <what>" or "FAIL <what>: <why>" line per check; exits 1 if
any check failed, 2 if a module is missing.
"""
import re
import sys

try:
    import h5py
    import numpy as np
    import pandas as pd
    import xarray as xr
except ImportError as e:
    print("FAIL import: missing Python module %s (apt-get install python3-xarray python3-pandas "
          "python3-h5netcdf python3-netcdf4 python3-h5py)" % e.name)
    sys.exit(2)

failed = 0


def check(what, cond, why=""):
    global failed
    if cond:
        print("ok   %s" % what)
    else:
        failed += 1
        print("FAIL %s: %s" % (what, why))


def text(v):
    return v.decode() if isinstance(v, bytes) else str(v)


path, site, pool = sys.argv[1], sys.argv[2], sys.argv[3]
with h5py.File(path, "r") as f:
    start = pd.Timestamp(text(f.attrs["start"]).rstrip("Z"))
    step_s = float(f.attrs["step_s"])
    energy_mwh = float(f["summary"].attrs["energy_mwh"])
    sites = list(f["sites"])
    tunits = text(f["time"].attrs["units"])

for engine in ("h5netcdf", "netcdf4"):
    try:
        ds = xr.open_dataset(path, group="sites/" + site, engine=engine)
    except Exception as e:  # any failure to open is the finding
        check("xarray[%s] opens /sites/%s" % (engine, site), False, repr(e))
        continue
    with ds:
        check("xarray[%s] opens /sites/%s" % (engine, site), True)
        t = ds["time"].values
        check("xarray[%s] decodes time to datetime64" % engine, np.issubdtype(t.dtype, np.datetime64), str(t.dtype))
        check("xarray[%s] time[0] is the root start %s" % (engine, start), pd.Timestamp(t[0]) == start,
              str(t[0]))
        check("xarray[%s] time[1] - time[0] is step_s" % engine,
              len(t) < 2 or (pd.Timestamp(t[1]) - pd.Timestamp(t[0])).total_seconds() == step_s, str(t[:2]))
        total = 0.0
        for s in sites:
            with xr.open_dataset(path, group="sites/" + s, engine=engine) as other:
                total += float(other["energy_kwh"].sum()) / 1e3
        check("xarray[%s] energy_kwh summed over sites and steps = /summary energy_mwh" % engine,
              abs(total - energy_mwh) <= 1e-9 * max(1.0, energy_mwh), "%r vs %r" % (total, energy_mwh))
        total = float(ds["energy_kwh"].sum()) / 1e3
        daily = float(ds["energy_kwh"].resample(time="1D").sum().sum()) / 1e3
        check("xarray[%s] daily resample adds up" % engine, abs(daily - total) <= 1e-9 * max(1.0, total),
              "%r vs %r" % (daily, total))
        missing = [v for v in ds.data_vars if "units" not in ds[v].attrs or "long_name" not in ds[v].attrs]
        check("xarray[%s] every variable has units and long_name" % engine, not missing, str(missing))
    with xr.open_dataset(path, group="sites/%s/pools/%s" % (site, pool), engine=engine) as p:
        check("xarray[%s] pool group: time coordinate and mean_utilization" % engine,
              "time" in p.coords and "mean_utilization" in p.attrs, str(p))

# pandas through h5py only: the time axis from its units attribute
m = re.fullmatch(r"seconds since (\d{4}-\d\d-\d\d \d\d:\d\d:\d\d)", tunits)
check("time units read 'seconds since YYYY-MM-DD HH:MM:SS'", m is not None, tunits)
with h5py.File(path, "r") as f:
    origin = pd.Timestamp(m.group(1)) if m else start
    idx = origin + pd.to_timedelta(f["time"][:], unit="s")
    g = f["sites/" + site]
    df = pd.DataFrame({k: g[k][:] for k in g if isinstance(g[k], h5py.Dataset) and g[k].shape == f["time"].shape},
                      index=pd.DatetimeIndex(idx, name="time"))
    check("pandas: DatetimeIndex from the units attribute starts at start", df.index[0] == start, str(df.index[0]))
    tot = sum(f["sites"][s]["energy_kwh"][:].sum() for s in sites) / 1e3
    check("pandas/h5py: energy summed over sites matches the summary",
          abs(tot - energy_mwh) <= 1e-9 * max(1.0, energy_mwh), "%r vs %r" % (tot, energy_mwh))
    monthly = df["energy_kwh"].resample("MS").sum()
    check("pandas: monthly resample on the datetime index", len(monthly) >= 1 and monthly.index[0] == start.floor("D"),
          str(monthly.head()))
    if "jobs" in f and int(f["jobs"].attrs.get("written", 0)) == 1:
        jobs = pd.DataFrame({k: f["jobs"][k][:] for k in f["jobs"]})
        jobs["end"] = start + pd.to_timedelta(jobs["end_s"], unit="s")
        check("pandas: jobs table with datetimes", len(jobs) > 0 and jobs["end"].min() >= start, str(jobs.head()))

sys.exit(1 if failed else 0)
