#!/usr/bin/env python3
"""Draws benches/results/scaling.svg from benches/results/scaling.csv (no
dependencies: the SVG is written by hand).

    python3 benches/python/plot_scaling.py

scaling.csv columns: lots, series, value, unit. One panel per unit, log-log, one
line per series.
"""

import csv
import math
import os
import sys
from collections import defaultdict

HERE = os.path.dirname(os.path.abspath(__file__))
RESULTS = os.path.join(HERE, "..", "results")
COLORS = ["#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b", "#17becf"]


def main() -> int:
    src = os.path.join(RESULTS, "scaling.csv")
    rows = list(csv.DictReader(open(src)))
    panels = defaultdict(lambda: defaultdict(list))
    for r in rows:
        panels[r["unit"]][r["series"]].append((float(r["lots"]), float(r["value"])))
    w, h, pad = 460, 300, 60
    total_w = w * len(panels)
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{total_w}" height="{h + 40}" '
           f'font-family="sans-serif" font-size="11">',
           f'<rect width="{total_w}" height="{h + 40}" fill="white"/>']
    for p, (unit, series) in enumerate(panels.items()):
        x0 = p * w
        xs = [x for pts in series.values() for x, _ in pts]
        ys = [y for pts in series.values() for _, y in pts if y > 0]
        lx0, lx1 = math.floor(math.log10(min(xs))), math.ceil(math.log10(max(xs)))
        ly0, ly1 = math.floor(math.log10(min(ys))), math.ceil(math.log10(max(ys)))
        if lx1 == lx0:
            lx1 += 1
        if ly1 == ly0:
            ly1 += 1
        def px(x):
            return x0 + pad + (math.log10(x) - lx0) / (lx1 - lx0) * (w - pad - 20)
        def py(y):
            return h - pad + 20 - (math.log10(y) - ly0) / (ly1 - ly0) * (h - pad - 20)
        out.append(f'<text x="{x0 + w / 2}" y="16" text-anchor="middle" font-size="13">{unit}</text>')
        out.append(f'<line x1="{px(10**lx0)}" y1="{py(10**ly0)}" x2="{px(10**lx1)}" y2="{py(10**ly0)}" stroke="black"/>')
        out.append(f'<line x1="{px(10**lx0)}" y1="{py(10**ly0)}" x2="{px(10**lx0)}" y2="{py(10**ly1)}" stroke="black"/>')
        for e in range(lx0, lx1 + 1):
            out.append(f'<text x="{px(10**e)}" y="{py(10**ly0) + 14}" text-anchor="middle">1e{e}</text>')
        for e in range(ly0, ly1 + 1):
            out.append(f'<line x1="{px(10**lx0)}" y1="{py(10**e)}" x2="{px(10**lx1)}" y2="{py(10**e)}" stroke="#ddd"/>')
            out.append(f'<text x="{px(10**lx0) - 4}" y="{py(10**e) + 4}" text-anchor="end">1e{e}</text>')
        out.append(f'<text x="{x0 + w / 2}" y="{h + 8}" text-anchor="middle">lots</text>')
        for i, (name, pts) in enumerate(series.items()):
            c = COLORS[i % len(COLORS)]
            pts = sorted(p for p in pts if p[1] > 0)
            path = " ".join(f"{'M' if k == 0 else 'L'}{px(x):.1f},{py(y):.1f}" for k, (x, y) in enumerate(pts))
            out.append(f'<path d="{path}" fill="none" stroke="{c}" stroke-width="2"/>')
            for x, y in pts:
                out.append(f'<circle cx="{px(x):.1f}" cy="{py(y):.1f}" r="3" fill="{c}"/>')
            out.append(f'<text x="{x0 + pad + 8}" y="{34 + 13 * i}" fill="{c}">{name}</text>')
    out.append("</svg>")
    dst = os.path.join(RESULTS, "scaling.svg")
    open(dst, "w").write("\n".join(out))
    print(f"wrote {dst}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
