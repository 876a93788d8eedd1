#!/usr/bin/env python3
"""Side by side in Python, on the graph the Rust generator exported:

    cargo run --release -p lottrack-benches --bin side_by_side -- 100k --export target/bench-graph
    target/bench-venv/bin/python benches/python/side_by_side.py target/bench-graph

The same forward trace from every root with NetworkX ``descendants``, rustworkx
``descendants``, igraph ``subcomponent(mode="out")`` and lottrack's Python
``trace_forward`` (the result object as returned, whose rows are built lazily, and
with ``to_dict()``). Every method must return the same lot set for every root
before any time is printed; then the median time per trace and the ratio
lottrack/peer are printed. A second table times ways of reading a lottrack trace:
``len()``, ``list(trace)`` (a ``TraceLot`` per lot), ``lots.to_list()``, the
details (``shipments``: links and shipments built once) and ``to_json()``.

The venv: ``python3 -m venv target/bench-venv && target/bench-venv/bin/pip install
networkx rustworkx igraph target/wheels/lottrack-*.whl`` (the wheel is built by
``lottrack-py/tests/run.sh``).
"""

from __future__ import annotations

import json
import os
import statistics
import sys
import time


def median_time(fn, budget: float, min_iters: int) -> float:
    samples = []
    start = time.perf_counter()
    while len(samples) < min_iters or (time.perf_counter() - start < budget and len(samples) < 20000):
        t = time.perf_counter()
        fn()
        samples.append(time.perf_counter() - t)
    return statistics.median(samples)


def ms(s: float) -> str:
    v = s * 1e3
    if v >= 100:
        return f"{v:.0f} ms"
    if v >= 10:
        return f"{v:.1f} ms"
    if v >= 1:
        return f"{v:.2f} ms"
    if v >= 0.1:
        return f"{v * 1e3:.0f} µs"
    if v >= 0.01:
        return f"{v * 1e3:.1f} µs"
    return f"{v * 1e3:.2f} µs"


def main() -> int:
    if len(sys.argv) < 2:
        print(__doc__)
        return 2
    d = sys.argv[1]
    budget = float(sys.argv[2]) if len(sys.argv) > 2 else 1.0

    import igraph
    import lottrack
    import networkx as nx
    import rustworkx as rx

    keys: list[tuple[str, str]] = []
    with open(os.path.join(d, "lots.tsv")) as f:
        for line in f:
            i, p, l = line.rstrip("\n").split("\t")
            assert int(i) == len(keys)
            keys.append((p, l))
    index = {k: i for i, k in enumerate(keys)}
    edges: list[tuple[int, int]] = []
    with open(os.path.join(d, "edges.tsv")) as f:
        for line in f:
            a, b = line.split("\t")
            edges.append((int(a), int(b)))
    roots: list[tuple[int, int]] = []
    with open(os.path.join(d, "roots.tsv")) as f:
        for line in f:
            a, b = line.split("\t")
            roots.append((int(a), int(b)))
    n = len(keys)

    t0 = time.perf_counter()
    g_nx = nx.DiGraph()
    g_nx.add_nodes_from(range(n))
    g_nx.add_edges_from(edges)
    g_rx = rx.PyDiGraph(multigraph=False)
    g_rx.add_nodes_from(range(n))
    g_rx.extend_from_edge_list(edges)
    g_ig = igraph.Graph(n=n, edges=edges, directed=True)
    tracker = lottrack.Tracker()
    tracker.import_jsonl(os.path.join(d, "events.jsonl"))
    print(f"graph: {n} lots, {len(edges)} edges; loaded into NetworkX, rustworkx, igraph and lottrack "
          f"in {time.perf_counter() - t0:.1f} s")

    def lt_set(root: int) -> set[int]:
        p, l = keys[root]
        return {index[(row.product, row.lot)] for row in tracker.trace_forward(p, l)}

    def lt_dict_set(root: int) -> set[int]:
        p, l = keys[root]
        return {index[(x["product"], x["lot"])] for x in tracker.trace_forward(p, l).to_dict()["lots"]}

    def lt_list_set(root: int) -> set[int]:
        p, l = keys[root]
        return {index[(x["product"], x["lot"])] for x in tracker.trace_forward(p, l).lots.to_list()}

    def lt_in_set(root: int) -> set[int]:
        p, l = keys[root]
        tr = tracker.trace_forward(p, l)
        reached = {index[(row.product, row.lot)] for row in tr}
        assert len(tr) == len(reached) and all(keys[i] in tr for i in reached)
        assert keys[root] not in tr
        return reached

    methods = {
        "NetworkX": lambda r: set(nx.descendants(g_nx, r)),
        "rustworkx": lambda r: set(rx.descendants(g_rx, r)),
        "igraph": lambda r: set(g_ig.subcomponent(r, mode="out")) - {r},
        "lottrack": lt_set,
        "lottrack+to_dict": lt_dict_set,
        "lottrack lots.to_list()": lt_list_set,
        "lottrack len/in": lt_in_set,
    }
    # 1. Agreement first.
    for root, reach in roots:
        want = set(nx.descendants(g_nx, root))
        assert len(want) == reach, (root, len(want), reach)
        for name, f in methods.items():
            got = f(root)
            assert got == want, f"{name} disagrees for root {keys[root]}: {len(got)} vs {len(want)}"
    for root, _ in roots:  # and the directly built to_dict() is the JSON shape
        tr = tracker.trace_forward(*keys[root])
        assert tr.to_dict() == json.loads(tr.to_json()), keys[root]
    print(f"agreement: all methods return the same lot sets for all {len(roots)} roots"
          " (and to_dict() == json.loads(to_json()))")
    print(f"load average: {' '.join(open('/proc/loadavg').read().split()[:3])}")

    # 2. Times.
    timed = {
        "NetworkX": lambda r: nx.descendants(g_nx, r),
        "rustworkx": lambda r: rx.descendants(g_rx, r),
        "igraph": lambda r: g_ig.subcomponent(r, mode="out"),
        "lottrack": lambda r: tracker.trace_forward(*keys[r]),
        "lottrack+to_dict": lambda r: tracker.trace_forward(*keys[r]).to_dict(),
    }
    print()
    head = f"{'root':>9} {'reach':>7} | " + " ".join(f"{k:>16}" for k in timed)
    head += " | lt/NX  lt/rx  lt/ig  ltd/NX ltd/rx ltd/ig"
    print(head)
    for root, reach in roots:
        t = {k: median_time(lambda f=f: f(root), budget, 3) for k, f in timed.items()}
        lt, ltd = t["lottrack"], t["lottrack+to_dict"]
        ratios = [lt / t["NetworkX"], lt / t["rustworkx"], lt / t["igraph"],
                  ltd / t["NetworkX"], ltd / t["rustworkx"], ltd / t["igraph"]]
        print(f"{keys[root][1]:>9} {reach:>7} | " + " ".join(f"{ms(v):>16}" for v in t.values())
              + " | " + " ".join(f"{x:5.2f}" for x in ratios))
    print()
    print("lt = lottrack trace_forward (result object, rows built lazily); ltd = with to_dict().")
    print("ratios are lottrack time / peer time: below 1 means lottrack is faster.")

    # 3. Ways of reading a lottrack trace (all after trace_forward), and the details.
    variants = {
        "trace+len()": lambda r: len(tracker.trace_forward(*keys[r])),
        "trace+list(trace)": lambda r: list(tracker.trace_forward(*keys[r])),
        "trace+lots.to_list()": lambda r: tracker.trace_forward(*keys[r]).lots.to_list(),
        "trace+shipments": lambda r: len(tracker.trace_forward(*keys[r]).shipments),
        "trace+to_json()": lambda r: tracker.trace_forward(*keys[r]).to_json(),
    }
    print()
    print(f"{'root':>9} {'reach':>7} | " + " ".join(f"{k:>20}" for k in variants)
          + " | len/ig  list/ig")
    for root, reach in roots:
        t = {k: median_time(lambda f=f: f(root), budget, 3) for k, f in variants.items()}
        ig = median_time(lambda: g_ig.subcomponent(root, mode="out"), budget, 3)
        print(f"{keys[root][1]:>9} {reach:>7} | " + " ".join(f"{ms(v):>20}" for v in t.values())
              + f" | {t['trace+len()'] / ig:6.2f} {t['trace+list(trace)'] / ig:6.2f}")
    print()
    print("trace+shipments builds the details (links, shipments) once; list(trace) makes a")
    print("TraceLot object per lot; ratios are against igraph subcomponent (re-timed).")
    return 0


if __name__ == "__main__":
    sys.exit(main())
