#!/usr/bin/python3
"""check_images.py DIR NAME... - checks the figures NAME.png and NAME.svg in DIR.

For each NAME: the PNG exists, decodes, is between 900 x 400 and 3000 x 3000
pixels (the figures are 10 x 5 in or taller at 150 dpi, cropped to their
content), and is not blank: at least 3% of its pixels differ from white and
it has at least 16 distinct colours, and at least 0.2% of its pixels are
coloured (the data: axes and text are grey or black); the SVG exists and parses as XML with an
<svg> root. Prints "ok   NAME ..." or "FAIL NAME: why" per figure; exit 1 if
any failed.
"""
import os
import sys
import xml.etree.ElementTree as ET

import matplotlib

matplotlib.use("Agg")
import matplotlib.image as mpimg  # noqa: E402
import numpy as np  # noqa: E402


def check(d, name):
    png, svg = os.path.join(d, name + ".png"), os.path.join(d, name + ".svg")
    if not os.path.isfile(png) or not os.path.isfile(svg):
        return "missing %s" % (png if not os.path.isfile(png) else svg)
    img = mpimg.imread(png)
    h, w = img.shape[:2]
    if not (900 <= w <= 3000 and 400 <= h <= 3000):
        return "size %d x %d px outside 900..3000 x 400..3000" % (w, h)
    rgb = img[:, :, :3]
    nonwhite = float(np.mean(np.any(rgb < 0.97, axis=2)))
    colours = len(np.unique((rgb * 255).astype(np.uint8).reshape(-1, 3), axis=0))
    if nonwhite < 0.03 or colours < 16:
        return "blank: %.1f%% non-white pixels, %d colours" % (100 * nonwhite, colours)
    # axes, ticks and text are grey or black; the data are drawn in colour
    coloured = float(np.mean(rgb.max(axis=2) - rgb.min(axis=2) > 0.2))
    if coloured < 0.002:
        return "no data drawn: %.2f%% coloured pixels" % (100 * coloured)
    try:
        root = ET.parse(svg).getroot()
    except ET.ParseError as e:
        return "SVG does not parse: %s" % e
    if not root.tag.endswith("svg"):
        return "SVG root is %s" % root.tag
    return "ok %d x %d px, %.0f%% non-white, %.1f%% coloured" % (w, h, 100 * nonwhite, 100 * coloured)


def main():
    d, names = sys.argv[1], sys.argv[2:]
    failed = 0
    for n in names:
        r = check(d, n)
        if r.startswith("ok"):
            print("ok   figure %s (%s)" % (n, r[3:]))
        else:
            failed += 1
            print("FAIL figure %s: %s" % (n, r))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
