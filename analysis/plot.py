#!/usr/bin/python3
"""plot.py - figures of dcsim result files (HDF5), drawn with matplotlib.

Usage: plot.py [-o DIR] [--compare] RESULT.h5 [MORE.h5 ...]

For each result file, writes into DIR (PNG at 150 dpi, and SVG), named
<file stem>-<figure>:
  power-intensity   IT and facility power (MW) and grid carbon intensity
                    (g CO2e/kWh) over time, one line per site, UTC dates
  heatmap-intensity carbon intensity by hour of day (UTC) x day of year
  heatmap-load      facility power by hour of day (UTC) x day of year
  emissions         location-based emissions per month, stacked by site/pool
                    (a site's emissions split over its pools in proportion
                    to their IT power in each step)
  pue-temperature   PUE of each step against the outdoor temperature (only
                    when the run has weather)
  queue-utilization jobs waiting (from /jobs submit and start times) and the
                    busy share of powered-on nodes per site and pool
  projection        the yearly /projection table, when the file has one
With --compare (two or more files) also compare.png/.svg: bars of the
headline metrics, one bar per file.

Reads the file with h5py only (layout in docs/RESULTS.md); never runs the
simulator. Every figure is written under a temporary name and renamed when
complete. Exit status: 0 ok, 1 an unreadable file, a missing Python module or
a failed write, 2 bad arguments. `dcsim plot` runs this script.
"""
import os
import sys

PROG = "dcsim plot"


def die(msg, code=1):
    sys.stderr.write("%s: %s\n" % (PROG, msg))
    sys.exit(code)


try:
    import numpy as np
    import h5py
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    import matplotlib.dates as mdates
except ImportError as e:  # a clear message instead of a traceback
    die("missing Python module %s (on Debian: apt-get install python3-matplotlib python3-h5py "
        "python3-numpy; or set DCSIM_PYTHON to an interpreter that has them)" % e.name)

matplotlib.rcParams.update({
    "timezone": "UTC",
    "figure.dpi": 100,
    "savefig.dpi": 150,
    "font.size": 9,
    "axes.grid": True,
    "grid.alpha": 0.3,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "svg.hashsalt": "dcsim",  # the same SVG bytes for the same data
})
FIGSIZE = (10, 5)  # inches: 1500 x 750 px at 150 dpi


def text(v):
    return v.decode("utf-8", "replace") if isinstance(v, bytes) else str(v)


class Result:
    """The parts of one result file the figures need, read with h5py."""

    def __init__(self, path):
        self.path = path
        self.stem = os.path.splitext(os.path.basename(path))[0]
        try:
            f = h5py.File(path, "r")
        except (OSError, IOError) as e:
            die("%s: cannot read: %s" % (path, e))
        with f:
            self.attrs = {k: f.attrs[k] for k in f.attrs}
            self.scenario = text(self.attrs.get("scenario", self.stem))
            if "time" not in f or "start" not in f.attrs:
                die("%s: not a dcsim result file (no /time or no start attribute)" % path)
            start = text(f.attrs["start"]).rstrip("Z")
            self.step_s = float(f.attrs.get("step_s", 3600.0))
            t = np.asarray(f["time"][:], dtype=float)
            self.t = np.datetime64(start, "s") + (t * 1000).astype("timedelta64[ms]")
            self.sites = {}   # site -> {var: array}
            self.pools = {}   # "site/pool" -> {var: array}
            self.site_of = {}
            for s in f.get("sites", {}):
                g = f["sites"][s]
                self.sites[s] = {k: np.asarray(g[k][:], dtype=float) for k in g
                                 if isinstance(g[k], h5py.Dataset) and k != "time" and g[k].ndim == 1}
                for p in g.get("pools", {}):
                    pg = g["pools"][p]
                    name = "%s/%s" % (s, p)
                    self.pools[name] = {k: np.asarray(pg[k][:], dtype=float) for k in pg
                                        if isinstance(pg[k], h5py.Dataset) and k != "time" and pg[k].ndim == 1}
                    self.site_of[name] = s
            self.jobs = None
            if "jobs" in f and "submit_s" in f["jobs"] and "start_s" in f["jobs"]:
                self.jobs = {k: np.asarray(f["jobs"][k][:], dtype=float) for k in ("submit_s", "start_s")}
            self.summary = {k: float(v) for k, v in f["summary"].attrs.items()} if "summary" in f else {}
            self.summary_units = ({k: text(v) for k, v in f["summary/units"].attrs.items()}
                                  if "summary/units" in f else {})
            self.proj = None
            if "projection" in f:
                g = f["projection"]
                self.proj = {k: (np.asarray(g[k][:], dtype=float), text(g[k].attrs.get("units", "")))
                             for k in g if isinstance(g[k], h5py.Dataset) and g[k].ndim == 1}
        self.t0 = t

    def series(self, site, name):
        v = self.sites[site].get(name)
        return v if v is not None and len(v) == len(self.t) else None


def save(fig, outdir, name, written):
    """Writes fig as name.png and name.svg in outdir, each through a temporary file."""
    for ext in ("png", "svg"):
        final = os.path.join(outdir, "%s.%s" % (name, ext))
        tmp = "%s.tmp.%d" % (final, os.getpid())
        try:
            fig.savefig(tmp, format=ext, bbox_inches="tight")
            os.replace(tmp, final)
        except OSError as e:
            try:
                os.unlink(tmp)
            except OSError:
                pass
            die("cannot write %s: %s" % (final, e))
        written.append(final)
    plt.close(fig)


def time_axis(ax):
    loc = mdates.AutoDateLocator()
    ax.xaxis.set_major_locator(loc)
    ax.xaxis.set_major_formatter(mdates.ConciseDateFormatter(loc))
    ax.set_xlabel("time (UTC)")


def title(fig, r, what):
    fig.suptitle("%s - %s" % (r.scenario, what), fontsize=11)


def fig_power_intensity(r, outdir, written):
    fig, (a1, a2) = plt.subplots(2, 1, figsize=FIGSIZE, sharex=True)
    for s in r.sites:
        fac, it = r.series(s, "facility_power_kw"), r.series(s, "it_power_kw")
        line = None
        if fac is not None:
            (line,) = a1.plot(r.t, fac / 1e3, lw=0.8, label="%s facility" % s)
        if it is not None:
            a1.plot(r.t, it / 1e3, lw=0.8, ls="--", color=line.get_color() if line else None, label="%s IT" % s)
        ci = r.series(s, "carbon_intensity_g_per_kwh")
        if ci is not None:
            a2.plot(r.t, ci, lw=0.8, label=s)
    a1.set_ylabel("power (MW)")
    a1.legend(loc="upper right", fontsize=8, ncol=2)
    a2.set_ylabel("carbon intensity\n(g CO2e/kWh)")
    a2.legend(loc="upper right", fontsize=8)
    time_axis(a2)
    title(fig, r, "power and grid carbon intensity per site")
    save(fig, outdir, "%s-power-intensity" % r.stem, written)


def hour_day_grid(r, v):
    """v per step as a 24 x days grid (mean over the steps of each hour); None if steps exceed 1 h."""
    if r.step_s > 3600 or len(v) == 0:
        return None, None
    secs = r.t.astype("datetime64[s]").astype(np.int64)
    hour = (secs // 3600) % 24
    day = secs // 86400
    d0 = day.min()
    ndays = int(day.max() - d0 + 1)
    s = np.zeros((24, ndays))
    n = np.zeros((24, ndays))
    ok = ~np.isnan(v)
    np.add.at(s, (hour[ok], (day[ok] - d0)), v[ok])
    np.add.at(n, (hour[ok], (day[ok] - d0)), 1)
    with np.errstate(invalid="ignore", divide="ignore"):
        g = s / n
    return g, np.datetime64(int(d0), "D")


def fig_heatmap(r, outdir, written, var, scale, label, what, name, cmap):
    sites = [s for s in r.sites if r.series(s, var) is not None]
    if not sites or r.step_s > 3600:
        sys.stderr.write("%s: %s: skipped %s (no %s series at a step of 1 h or less)\n"
                         % (PROG, r.path, name, var))
        return
    fig, axes = plt.subplots(len(sites), 1, figsize=(FIGSIZE[0], max(FIGSIZE[1], 2.6 * len(sites))),
                             squeeze=False)
    for ax, s in zip(axes[:, 0], sites):
        g, d0 = hour_day_grid(r, r.series(s, var) * scale)
        x0 = mdates.date2num(d0.astype("datetime64[s]").astype(object))
        im = ax.imshow(g, aspect="auto", origin="lower", cmap=cmap, interpolation="nearest",
                       extent=(x0, x0 + g.shape[1], 0, 24))
        ax.xaxis_date()
        time_axis(ax)
        ax.set_xlabel("day (UTC)")
        ax.set_ylabel("hour of day (UTC)")
        ax.set_yticks([0, 6, 12, 18, 24])
        ax.grid(False)
        ax.set_title(s, fontsize=9)
        fig.colorbar(im, ax=ax, label=label, pad=0.01)
    title(fig, r, what)
    save(fig, outdir, "%s-%s" % (r.stem, name), written)


def fig_emissions(r, outdir, written):
    months = r.t.astype("datetime64[M]")
    um = np.unique(months)
    parts = []  # (label, t per month)
    for s in r.sites:
        em = r.series(s, "emissions_kg")
        if em is None:
            continue
        pools = [p for p in r.pools if r.site_of[p] == s and "power_kw" in r.pools[p]]
        total = sum(r.pools[p]["power_kw"] for p in pools) if pools else None
        if not pools:
            parts.append((s, em))
            continue
        with np.errstate(invalid="ignore", divide="ignore"):
            for p in pools:
                share = np.where(total > 0, r.pools[p]["power_kw"] / total, 1.0 / len(pools))
                parts.append((p, em * share))
    if not parts:
        sys.stderr.write("%s: %s: skipped emissions (no emissions_kg series)\n" % (PROG, r.path))
        return
    fig, ax = plt.subplots(figsize=FIGSIZE)
    x = np.arange(len(um))
    bottom = np.zeros(len(um))
    for label, em in parts:
        per = np.array([np.nansum(em[months == m]) for m in um]) / 1e3
        ax.bar(x, per, bottom=bottom, label=label, width=0.8)
        bottom += per
    ax.set_xticks(x)
    ax.set_xticklabels([str(m) for m in um], rotation=45, ha="right")
    ax.set_xlabel("month (UTC)")
    ax.set_ylabel("emissions, location-based (t CO2e)")
    ax.legend(title="site/pool", fontsize=8, loc="upper left", bbox_to_anchor=(1.01, 1))
    ax.text(0.0, -0.28, "a site's emissions are shared among its pools in proportion to their IT power "
            "in each step (cooling and losses with them)", transform=ax.transAxes, fontsize=7, color="0.3")
    title(fig, r, "emissions per month by site and pool")
    save(fig, outdir, "%s-emissions" % r.stem, written)


def fig_pue_temperature(r, outdir, written):
    pts = []
    for s in r.sites:
        pue, temp = r.series(s, "pue"), r.series(s, "outdoor_temp_c")
        if pue is None or temp is None:
            continue
        ok = ~np.isnan(pue) & ~np.isnan(temp)
        if ok.any():
            pts.append((s, temp[ok], pue[ok]))
    if not pts:
        sys.stderr.write("%s: %s: skipped pue-temperature (the run has no outdoor temperature)\n"
                         % (PROG, r.path))
        return
    fig, ax = plt.subplots(figsize=FIGSIZE)
    n = sum(len(t) for _, t, _ in pts)
    size = float(min(30.0, max(3.0, 3000.0 / n)))  # few points: larger markers
    for s, temp, pue in pts:
        ax.scatter(temp, pue, s=size, alpha=0.6, label=s, edgecolors="none")
    ax.set_xlabel("outdoor dry-bulb temperature (°C)")
    ax.set_ylabel("PUE (facility / IT energy of the step)")
    ax.legend(markerscale=4, fontsize=8)
    title(fig, r, "PUE against outdoor temperature, one point per step")
    save(fig, outdir, "%s-pue-temperature" % r.stem, written)


def queue_length(r):
    """Jobs waiting (submitted, not started) at the start of each step, or None without job rows."""
    if r.jobs is None:
        return None
    sub = np.sort(r.jobs["submit_s"])
    st = np.sort(r.jobs["start_s"][~np.isnan(r.jobs["start_s"])])
    return (np.searchsorted(sub, r.t0, side="right") - np.searchsorted(st, r.t0, side="right")).astype(float)


def fig_queue_utilization(r, outdir, written):
    q = queue_length(r)
    fig, (a1, a2) = plt.subplots(2, 1, figsize=FIGSIZE, sharex=True)
    if q is not None:
        a1.step(r.t, q, where="post", lw=0.8, color="C3")
        a1.set_ylim(0, max(1.0, float(np.max(q)) * 1.1) if len(q) else 1.0)
        a1.yaxis.set_major_locator(matplotlib.ticker.MaxNLocator(integer=True))
        a1.set_ylabel("jobs waiting\n(at the start of each step)")
    else:
        a1.text(0.5, 0.5, "the run wrote no job rows (output.jobs = false)", transform=a1.transAxes,
                ha="center", va="center", color="0.4")
        a1.set_ylabel("jobs waiting")
    for s in r.sites:
        u = r.series(s, "utilization")
        if u is not None:
            a2.plot(r.t, u * 100, lw=1.0, label="%s (site)" % s)
    for p, v in r.pools.items():
        if "busy_nodes" in v and "nodes_on" in v:
            with np.errstate(invalid="ignore", divide="ignore"):
                a2.plot(r.t, np.where(v["nodes_on"] > 0, v["busy_nodes"] / v["nodes_on"] * 100, np.nan),
                        lw=0.6, alpha=0.7, label=p)
    a2.set_ylabel("busy share of nodes on (%)")
    a2.set_ylim(0, 105)
    a2.legend(fontsize=7, loc="upper left", bbox_to_anchor=(1.01, 1))
    time_axis(a2)
    title(fig, r, "queue length and utilisation")
    save(fig, outdir, "%s-queue-utilization" % r.stem, written)


def scaled(values, unit):
    """(divisor, unit label) with a prefix that keeps the largest of values between 1 and 1000."""
    steps = {"MWh": [(1e6, "TWh"), (1e3, "GWh"), (1, "MWh")],
             "t": [(1e6, "Mt CO2e"), (1e3, "kt CO2e"), (1, "t CO2e")],
             "m3": [(1e6, "million m³"), (1e3, "thousand m³"), (1, "m³")],
             "USD": [(1e9, "billion USD"), (1e6, "million USD"), (1e3, "thousand USD"), (1, "USD")]}
    top = float(np.nanmax(np.abs(values))) if len(values) and np.isfinite(values).any() else 0.0
    for f, label in steps.get(unit, [(1, unit)]):
        if top >= f or f == 1:
            return f, label
    return 1.0, unit


def fig_projection(r, outdir, written):
    p = r.proj
    if not p or "year" not in p:
        if p:
            sys.stderr.write("%s: %s: skipped projection (no year column)\n" % (PROG, r.path))
        return
    year = p["year"][0]
    panels = [
        ("energy", [("it_energy_mwh", "IT"), ("facility_energy_mwh", "facility")], "MWh"),
        ("emissions", [("emissions_location_t", "location-based"), ("emissions_market_t", "market-based")], "t"),
        ("water", [("water_m3", "water")], "m3"),
        ("cost", [("cost_usd", "cost")], "USD"),
    ]
    if "fossil_share" in p:
        panels.append(("fossil share of new demand", [("fossil_share", "fossil share")], "%"))
    # a panel whose columns are absent, or all zero (e.g. no water model), is left out
    panels = [pn for pn in panels if any(k in p and np.nanmax(np.abs(p[k][0]), initial=0) > 0 for k, _ in pn[1])]
    if not panels:
        sys.stderr.write("%s: %s: skipped projection (every column is zero)\n" % (PROG, r.path))
        return
    fig, axes = plt.subplots(1, len(panels), figsize=(FIGSIZE[0] * 1.2, 3.8), squeeze=False)
    for ax, (name, cols, unit) in zip(axes[0], panels):
        cols = [(k, lab) for k, lab in cols if k in p]
        both = np.concatenate([p[k][0] for k, _ in cols])
        div, label = scaled(both, unit)
        w = 0.8 / len(cols)
        for i, (k, lab) in enumerate(cols):
            v = p[k][0] * 100.0 if unit == "%" else p[k][0] / div
            if name == "emissions":
                ax.bar(year + (i - (len(cols) - 1) / 2) * w, v, width=w, label=lab)
            else:
                ax.plot(year, v, marker="o", ms=3, label=lab)
        if unit == "%":
            ax.set_ylim(0, 100)
        ax.set_xlabel("year")
        ax.set_ylabel("%s (%s)" % ("share" if unit == "%" else name, label))
        ax.set_title(name, fontsize=9)
        ax.xaxis.set_major_locator(matplotlib.ticker.MaxNLocator(integer=True))
        if len(cols) > 1:
            ax.legend(fontsize=7)
    fig.tight_layout(rect=(0, 0, 1, 0.92))
    title(fig, r, "yearly projection")
    save(fig, outdir, "%s-projection" % r.stem, written)


COMPARE = [("it_energy_mwh", "IT energy", "MWh"), ("facility_energy_mwh", "facility energy", "MWh"),
           ("mean_pue", "PUE", ""), ("emissions_t", "emissions, location-based", "t CO2e"),
           ("emissions_market_t", "emissions, market-based", "t CO2e"), ("embodied_t", "embodied", "t CO2e"),
           ("water_m3", "water", "m³"), ("cost_usd", "cost", "USD")]


def fig_compare(results, outdir, written):
    mets = [m for m in COMPARE if any(m[0] in r.summary and np.isfinite(r.summary[m[0]]) for r in results)]
    if not mets:
        sys.stderr.write("%s: skipped compare (no headline metric in the files)\n" % PROG)
        return
    ncol = 4
    nrow = (len(mets) + ncol - 1) // ncol
    fig, axes = plt.subplots(nrow, ncol, figsize=(FIGSIZE[0], 2.6 * nrow + 0.8), squeeze=False)
    labels = [chr(ord("A") + i) for i in range(len(results))]
    colors = ["C%d" % (i % 10) for i in range(len(results))]
    for ax, (k, lab, unit) in zip(axes.flat, mets):
        vals = [r.summary.get(k, np.nan) for r in results]
        ax.bar(labels, [v if np.isfinite(v) else 0 for v in vals], color=colors)
        for i, v in enumerate(vals):
            if not np.isfinite(v):
                ax.text(i, 0, "n/a", ha="center", va="bottom", fontsize=7)
        ax.set_title(lab, fontsize=9)
        ax.set_ylabel(unit)
        ax.grid(axis="x", visible=False)
    for ax in list(axes.flat)[len(mets):]:
        ax.set_visible(False)
    handles = [matplotlib.patches.Patch(color=c) for c in colors]
    fig.legend(handles, ["%s = %s (%s)" % (l, r.stem, r.scenario) for l, r in zip(labels, results)],
               loc="lower center", ncol=min(3, len(results)), fontsize=8, frameon=False)
    fig.tight_layout(rect=(0, 0.08, 1, 0.94))
    fig.suptitle("headline metrics per result file", fontsize=11)
    save(fig, outdir, "compare", written)


def main(argv):
    outdir, compare, files = "plots", False, []
    i = 0
    while i < len(argv):
        a = argv[i]
        if a in ("-o", "--output") and i + 1 < len(argv):
            outdir = argv[i + 1]
            i += 1
        elif a == "--compare":
            compare = True
        elif a in ("-h", "--help"):
            print(__doc__)
            return 0
        elif a.startswith("-") and a != "-":
            die("unexpected argument: %s (usage: plot.py [-o DIR] [--compare] RESULT.h5 ...)" % a, 2)
        else:
            files.append(a)
        i += 1
    if not files:
        die("no result file (usage: plot.py [-o DIR] [--compare] RESULT.h5 ...)", 2)
    results = [Result(p) for p in files]
    try:
        os.makedirs(outdir, exist_ok=True)
    except OSError as e:
        die("cannot create %s: %s" % (outdir, e))
    written = []
    for r in results:
        fig_power_intensity(r, outdir, written)
        fig_heatmap(r, outdir, written, "carbon_intensity_g_per_kwh", 1.0, "carbon intensity (g CO2e/kWh)",
                    "grid carbon intensity by hour and day", "heatmap-intensity", "viridis")
        fig_heatmap(r, outdir, written, "facility_power_kw", 1e-3, "facility power (MW)",
                    "facility load by hour and day", "heatmap-load", "magma")
        fig_emissions(r, outdir, written)
        fig_pue_temperature(r, outdir, written)
        fig_queue_utilization(r, outdir, written)
        fig_projection(r, outdir, written)
    if compare and len(results) > 1:
        fig_compare(results, outdir, written)
    for w in written:
        print(w)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
