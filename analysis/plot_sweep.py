#!/usr/bin/env python3
"""plot_sweep.py - a metric of a sweep file (dcsim sweep) against a varied
setting, with 95% confidence bars.

    python3 analysis/plot_sweep.py SWEEP.h5 [--metric NAME] [--x PATH] [--paired] [-o OUT.png]

--metric   a metric of /statistics (default emissions_t); --list shows them
--x        a varied setting (a column of /variants/settings, e.g.
           sites.us-east.pools.gpu.count): the x axis, one line per value of
           the other varied settings; without it, one point per variant name
--paired   plot the paired difference against the reference variant (the
           sweep's common random numbers make its bars narrow) instead of the mean
-o         output image (PNG, SVG or PDF by the extension; default
           SWEEP-METRIC.png next to the sweep file)

Reads the file only (h5py, numpy, matplotlib; docs/RESULTS.md, "Sweep files").
Bars are mean -+ the 95% interval; with one replication there is no interval
and only the means are drawn (the title says so). Exit status: 0, 1 if the
file cannot be read, 2 for a bad argument.
"""
import argparse
import math
import os
import sys


def fail(status, msg):
    print("plot_sweep: " + msg, file=sys.stderr)
    sys.exit(status)


def text(v):
    return v.decode("utf-8") if isinstance(v, bytes) else str(v)


def number(s):
    try:
        return float(s)
    except ValueError:
        return None


def main():
    ap = argparse.ArgumentParser(description="Plot a metric of a dcsim sweep file with 95% confidence bars.")
    ap.add_argument("file")
    ap.add_argument("--metric", default="emissions_t")
    ap.add_argument("--x", default=None, help="a varied setting for the x axis")
    ap.add_argument("--paired", action="store_true", help="plot the paired difference against the reference")
    ap.add_argument("--list", action="store_true", help="list the metrics and varied settings, then stop")
    ap.add_argument("-o", "--output", default=None)
    a = ap.parse_args()

    try:
        import h5py
        import numpy as np
    except ImportError as e:
        fail(1, "needs python3-h5py and python3-numpy (%s)" % e)
    try:
        f = h5py.File(a.file, "r")
    except OSError as e:
        fail(1, "%s: cannot open: %s" % (a.file, e))
    with f:
        if text(f.attrs.get("kind", b"")) != "sweep":
            fail(2, "%s: not a sweep file (no root attribute kind = \"sweep\")" % a.file)
        names = [text(v) for v in f["variants/name"][:]]
        settings = {k: [text(v) for v in f["variants/settings"][k][:]] for k in f["variants/settings"]}
        metrics = list(f["statistics"])
        if a.list:
            print("metrics: " + " ".join(metrics))
            print("varied settings: " + " ".join(settings))
            return 0
        if a.metric not in metrics:
            fail(2, "%s: no metric %s (metrics: %s)" % (a.file, a.metric, ", ".join(metrics)))
        if a.x is not None and a.x not in settings:
            fail(2, "%s: %s is not a varied setting (varied: %s)" % (a.file, a.x, ", ".join(settings) or "none"))
        g = f["paired" if a.paired else "statistics"][a.metric]
        mean, lo, hi = g["mean"][:], g["ci95_low"][:], g["ci95_high"][:]
        units = text(f["statistics"][a.metric].attrs.get("units", b""))
        nrep = int(f.attrs["replications"])
        ref = text(f.attrs["reference"])
        sweep = text(f.attrs["sweep"])

    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    have_ci = not all(math.isnan(v) for v in lo)
    err = None
    if have_ci:
        err = np.vstack([mean - lo, hi - mean])
    fig, ax = plt.subplots(figsize=(8, 4.5))
    if a.x is None:
        xs = np.arange(len(names))
        ax.errorbar(xs, mean, yerr=err, fmt="o", capsize=4)
        ax.set_xticks(xs)
        ax.set_xticklabels(names, rotation=30, ha="right")
        ax.set_xlabel("variant")
    else:
        others = [k for k in settings if k != a.x]
        groups = {}
        for i in range(len(names)):
            key = ", ".join("%s=%s" % (k.split(".")[-1] if len(k) > 24 else k, settings[k][i]) for k in others if settings[k][i])
            groups.setdefault(key, []).append(i)
        xv = settings[a.x]
        numeric = all(number(v) is not None for v in xv if v)
        cats = sorted({v for v in xv}, key=lambda v: number(v) if numeric and v else 0.0) if numeric else list(dict.fromkeys(xv))
        for key, idx in groups.items():
            idx = sorted(idx, key=lambda i: number(xv[i]) if numeric and xv[i] else cats.index(xv[i]))
            x = [number(xv[i]) if numeric and xv[i] else cats.index(xv[i]) for i in idx]
            e = err[:, idx] if err is not None else None
            ax.errorbar(x, mean[idx], yerr=e, fmt="o-", capsize=4, label=key or None)
        if not numeric:
            ax.set_xticks(range(len(cats)))
            ax.set_xticklabels(cats, rotation=30, ha="right")
        ax.set_xlabel(a.x)
        if any(groups):
            ax.legend(fontsize="small")
    what = "%s - %s (paired)" % (a.metric, ref) if a.paired else a.metric
    ax.set_ylabel("%s (%s)" % (what, units))
    if a.paired:
        ax.axhline(0.0, color="grey", linewidth=0.8)
    note = "mean and 95%% confidence interval, %d replications" % nrep if have_ci else \
        "means only: %d replication, no interval" % nrep
    ax.set_title("sweep %s: %s\n%s" % (sweep, what, note), fontsize="medium")
    ax.grid(True, alpha=0.3)
    fig.tight_layout()
    out = a.output or os.path.splitext(a.file)[0] + "-" + a.metric + ("-paired" if a.paired else "") + ".png"
    try:
        fig.savefig(out)
    except (OSError, ValueError) as e:
        fail(1, "%s: cannot write: %s" % (out, e))
    print(out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
