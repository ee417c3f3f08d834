#!/usr/bin/python3
"""make_result.py DIR - writes hand-made dcsim result files with numbers a person can check.

a.h5   one site "dc", 48 hourly steps from 2026-01-01T00:00:00Z. IT power 100 kW,
       facility 125 kW (PUE 1.25), intensity 400 + 100 sin(2 pi h / 24) g/kWh
       (400 on average over whole days): per step 100 kWh IT, 125 kWh
       facility, on average 50 kg location-based, 25 kg market-based, 10 L water.
       Totals: IT 4.8 MWh, facility 6 MWh, emissions 2.4 t (market 1.2 t),
       water 0.48 m3, WUE 480 L / 4800 kWh = 0.1 L/kWh, cost 1000 USD,
       embodied 0.5 t, 10 jobs; an extra attribute novel_metric_x = 7 kg.
       Pools dc/gpu (60 kW, 2 of 4 nodes busy) and dc/cpu (40 kW, 1 of 4).
       Workloads train (4 jobs, 3 MWh, 1.5 t) and chat (6 jobs, 1.8 MWh,
       1000 requests). /projection: 2026-2028, IT energy 4.8, 9.6, 19.2 MWh.
b.h5   the same with IT power 150 kW: every energy, emission, water figure
       and cost 1.5 times a.h5's; no embodied_t (it must print n/a).
v2.h5  a.h5 with layout_version 2 (compare and report must refuse it).
sweep.h5  a file whose root attribute kind = "sweep".
"""
import os
import sys

import h5py
import numpy as np

T = 48


def s(f_or_g, name, value):
    """A fixed-length UTF-8 string attribute, as the simulator writes them."""
    b = value.encode()
    tid = h5py.h5t.C_S1.copy()
    tid.set_size(max(len(b), 1))
    tid.set_strpad(h5py.h5t.STR_NULLPAD)
    tid.set_cset(h5py.h5t.CSET_UTF8)
    f_or_g.attrs.create(name, np.array(b, dtype=h5py.Datatype(tid)))


def series(g, name, v, units, long_name, tscale):
    d = g.create_dataset(name, data=np.asarray(v, dtype=float))
    s(d, "units", units)
    s(d, "long_name", long_name)
    d.dims[0].attach_scale(tscale)


def write(path, k, version=1, embodied=True, kind=None):
    with h5py.File(path, "w", track_order=True) as f:
        s(f, "software", "dcsim")
        s(f, "version", "test")
        s(f, "scenario", "hand-%s" % ("a" if k == 1.0 else "b"))
        s(f, "start", "2026-01-01T00:00:00Z")
        f.attrs["seed"] = np.uint64(1)
        f.attrs["step_s"] = 3600.0
        f.attrs["layout_version"] = np.int32(version)
        s(f, "Conventions", "CF-1.8")
        if kind:
            s(f, "kind", kind)
            return
        t = f.create_dataset("time", data=np.arange(T) * 3600.0)
        s(t, "units", "seconds since 2026-01-01 00:00:00")
        s(t, "long_name", "start of the accounting step")
        s(t, "standard_name", "time")
        s(t, "calendar", "standard")
        s(t, "axis", "T")
        t.make_scale("time")
        site = f.create_group("sites/dc", track_order=True)
        site["time"] = t
        it = np.full(T, 100.0 * k)
        fac = it * 1.25
        hours = np.arange(T) % 24
        series(site, "it_power_kw", it, "kW", "mean IT power", t)
        series(site, "facility_power_kw", fac, "kW", "mean facility power", t)
        series(site, "pue", np.full(T, 1.25), "1", "PUE", t)
        ci = 400 + 100 * np.sin(2 * np.pi * hours / 24)  # whole days: mean 400 g/kWh
        series(site, "carbon_intensity_g_per_kwh", ci, "g/kWh", "average intensity", t)
        series(site, "energy_kwh", fac, "kWh", "grid energy", t)
        series(site, "facility_energy_kwh", fac, "kWh", "facility energy", t)
        series(site, "it_energy_kwh", it, "kWh", "IT energy", t)
        series(site, "emissions_kg", fac * ci / 1e3, "kg", "location-based emissions", t)
        series(site, "emissions_market_kg", fac * ci / 2e3, "kg", "market-based emissions", t)
        series(site, "water_l", np.full(T, 10.0 * k), "L", "water", t)
        series(site, "water_onsite_l", np.full(T, 10.0 * k), "L", "water on site", t)
        series(site, "outdoor_temp_c", 10 + 8 * np.sin(2 * np.pi * (hours - 9) / 24), "degC", "temperature", t)
        series(site, "utilization", np.full(T, 0.375), "1", "busy share", t)
        for name, p, busy in (("gpu", 60.0, 2.0), ("cpu", 40.0, 1.0)):
            g = site.create_group("pools/" + name, track_order=True)
            g["time"] = t
            series(g, "power_kw", np.full(T, p * k), "kW", "pool power", t)
            series(g, "busy_nodes", np.full(T, busy), "1", "busy nodes", t)
            series(g, "nodes_on", np.full(T, 4.0), "1", "nodes on", t)
            g.attrs["mean_utilization"] = busy / 4
            g.attrs["node_count"] = 4.0
            g.attrs["busy_node_hours"] = busy * T
        jobs = f.create_group("jobs")
        jobs.attrs["written"] = np.int32(1)
        submit = np.arange(10) * 3600.0
        start = submit + np.where(np.arange(10) < 3, 7200.0, 0.0)  # 3 jobs wait 2 h
        jobs["submit_s"] = submit
        jobs["start_s"] = start
        jobs["end_s"] = start + 3600.0
        summ = [("it_energy_mwh", 4.8 * k, "MWh"), ("facility_energy_mwh", 6.0 * k, "MWh"),
                ("energy_mwh", 6.0 * k, "MWh"), ("mean_pue", 1.25, "1"), ("emissions_t", 2.4 * k, "t CO2e"),
                ("emissions_location_t", 2.4 * k, "t CO2e"), ("emissions_market_t", 1.2 * k, "t CO2e"),
                ("water_m3", 0.48 * k, "m3"), ("wue_l_per_kwh", 0.1, "L/kWh"), ("cost_usd", 1000.0 * k, "USD"),
                ("embodied_t", 0.5, "t CO2e"), ("jobs_submitted", 10.0, "1"), ("jobs_completed", 10.0, "1"),
                ("mean_wait_s", 2160.0, "s"), ("novel_metric_x", 7.0, "kg")]
        sm = f.create_group("summary", track_order=True)
        su = sm.create_group("units", track_order=True)
        for name, v, u in summ:
            if name == "embodied_t" and not embodied:
                continue
            sm.attrs[name] = float(v)
            s(su, name, u)
        w = f.create_group("workloads", track_order=True)
        wu = w.create_group("units", track_order=True)
        for name, u in (("jobs", "1"), ("it_energy_mwh", "MWh"), ("emissions_t", "t"), ("requests", "1")):
            s(wu, name, u)
        for name, jobs_n, e, em, req in (("train", 4, 3.0, 1.5, 0), ("chat", 6, 1.8, 0.9, 1000)):
            g = w.create_group(name, track_order=True)
            s(g, "group", name)
            g.attrs["jobs"] = float(jobs_n)
            g.attrs["it_energy_mwh"] = e * k
            g.attrs["emissions_t"] = em * k
            g.attrs["requests"] = float(req)
        p = f.create_group("projection", track_order=True)
        cols = [("year", [2026, 2027, 2028], "1"), ("it_energy_mwh", [4.8, 9.6, 19.2], "MWh"),
                ("facility_energy_mwh", [6.0, 12.0, 24.0], "MWh"), ("emissions_location_t", [2.4, 3.6, 4.8], "t"),
                ("emissions_market_t", [1.2, 1.8, 2.4], "t"), ("water_m3", [0.48, 0.96, 1.92], "m3"),
                ("cost_usd", [1000.0, 1800.0, 3200.0], "USD"), ("fossil_share", [0.6, 0.6, 0.6], "1")]
        for name, v, u in cols:
            d = p.create_dataset(name, data=np.asarray(v, dtype=float) * (k if name not in ("year", "fossil_share") else 1))
            s(d, "units", u)
            s(d, "long_name", name.replace("_", " "))


def main():
    if len(sys.argv) != 2 or sys.argv[1].startswith("-"):
        sys.exit("usage: make_result.py DIR  (writes a.h5, b.h5, v2.h5, sweep.h5 into DIR)")
    out = sys.argv[1]
    os.makedirs(out, exist_ok=True)
    write(os.path.join(out, "a.h5"), 1.0)
    write(os.path.join(out, "b.h5"), 1.5, embodied=False)
    write(os.path.join(out, "v2.h5"), 1.0, version=2)
    write(os.path.join(out, "sweep.h5"), 1.0, kind="sweep")


if __name__ == "__main__":
    main()
