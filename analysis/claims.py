#!/usr/bin/env python3
"""claims.py RESULT.h5 [--format text|markdown] - the talk's efficiency claims
beside what dcsim simulates, from a run of scenarios/seed-claims.cfg.

Each claim divides the figures of two sides of the same work: the jobs' IT
energy from /groups (claims 1-4) or the whole facility's energy from the site
series (claim 5). Nothing is tuned: see docs/LEVERS.md section 9 and
docs/CATALOG.md section 7 for the sources and the reasons for each gap.
"""
import sys

import h5py
import numpy as np


def group(f, name, attr):
    try:
        return float(f["groups"][name].attrs[attr])
    except KeyError:
        sys.exit(f"claims: {f.filename} has no /groups/{name} (run scenarios/seed-claims.cfg)")


def site_sum(f, site, var):
    try:
        return float(np.sum(f["sites"][site][var][()]))
    except KeyError:
        sys.exit(f"claims: {f.filename} has no /sites/{site}/{var} (run scenarios/seed-claims.cfg)")


def rows(f):
    e = lambda g: group(f, g, "it_energy_mwh")
    per_req = lambda g: group(f, g, "it_energy_mwh") / group(f, g, "requests")
    c1 = e("c1-trn1") / e("c1-p4d")
    c2b = e("c1-trn1") / e("c2-trn2-bf16")
    c2f = e("c2-trn1-fp8") / e("c2-trn2-fp8")
    c3 = per_req("c3-g5") / per_req("c3-inf2")
    c4 = per_req("c4-c7g") / per_req("c4-c6i")
    c4g2 = per_req("c4-c6g") / per_req("c4-c6i")
    fac = lambda s: site_sum(f, s, "facility_energy_kwh")
    c5 = fac("onprem") / fac("cloud")
    return [
        ("Trainium1 trains BERT-Large with ~25% less energy than a comparable GPU instance (AWS)",
         "25% less", f"{(1 - c1) * 100:.0f}% less",
         "trn1.32xlarge vs p4d.24xlarge, 6ND BERT-Large, same MFU 0.40, bf16"),
        ("Trainium2: up to 2x the energy efficiency of Trainium1 (AWS; the talk says 3x)",
         "2x (talk: 3x)", f"{c2b:.2f}x bf16, {c2f:.2f}x fp8",
         "trn2.48xlarge vs trn1.32xlarge, the same training job"),
        ("Inferentia2: up to 50% better performance per watt than comparable instances (AWS)",
         "up to 1.5x", f"{c3:.2f}x",
         "inf2.48xlarge vs g5.48xlarge, llama-3.1-8b roofline at bf16, energy per request"),
        ("Graviton: up to 60% less energy for the same performance (AWS)",
         "up to 60% less", f"{(1 - c4) * 100:.0f}% less (Graviton2: " +
         (f"{(c4g2 - 1) * 100:.0f}% more)" if c4g2 > 1 else f"{(1 - c4g2) * 100:.0f}% less)"),
         "c7g (c6g) vs c6i.16xlarge, llama-3.2-1b at fp32, energy per request"),
        ("AWS up to 4.1x more energy efficient than on-premises (Accenture 2024)",
         "up to 4.1x", f"{c5:.1f}x",
         "2015 servers at 18% utilisation, PUE 1.56 vs c6i at 59%, PUE 1.15; facility energy"),
    ]


def main(argv):
    if len(argv) >= 2 and argv[1] in ("-h", "--help"):
        print(__doc__.strip())
        return 0
    if len(argv) < 2 or argv[1].startswith("-"):
        print("usage: " + __doc__.strip().splitlines()[0], file=sys.stderr)
        return 2
    fmt = "text"
    if len(argv) >= 4 and argv[2] == "--format":
        fmt = argv[3]
    try:
        f = h5py.File(argv[1], "r")
    except OSError as e:
        sys.exit(f"claims: cannot open {argv[1]}: {e}")
    out = rows(f)
    if fmt == "markdown":
        print("| claim | published | simulated | inputs |")
        print("|---|---|---|---|")
        for r in out:
            print("| " + " | ".join(r) + " |")
    else:
        for c, p, s, i in out:
            print(f"{c}\n    published: {p}\n    simulated: {s}\n    inputs:    {i}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
