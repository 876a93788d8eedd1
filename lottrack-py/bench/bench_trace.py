"""Benchmarks of the Python package (not run by the tests).

1. ``trace_forward`` on a lot whose trace reaches ~4,000 lots (a synthetic tree:
   one received lot split over four transform levels, every leaf shipped), alone
   and followed by ``to_dict()``; also iterating the lazy rows and ``to_pandas()``,
   a recall, a mock recall in kg and the trace as Graphviz DOT.
2. ``import_jsonl`` ingest rate of ~200,000 generated events (receive → transform →
   two shipments per chain), into memory and into a SQLite store.

    python lottrack-py/bench/bench_trace.py [--events 200000] [--repeat 30]

Prints one line per measurement (median and minimum of ``--repeat`` runs for the
trace; one run for each import).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import tempfile
import time
from pathlib import Path
from typing import Callable, Iterator

import lottrack

T0 = "2026-03-01T08:00:00+00:00"


def tree_events(fanout: tuple[int, ...] = (10, 10, 10, 3)) -> Iterator[dict]:
    """One root lot; each lot of a level is split by one transform into `fanout[k]`
    lots of the next level; every leaf is shipped. Returns events in order."""
    yield {"event_id": "R", "kind": "receive", "time": T0, "location": "plant",
           "product": "raw", "lot": "ROOT", "quantity": "1000000", "uom": "kg",
           "supplier": "farm"}
    level = [("raw", "ROOT", 1_000_000)]
    for depth, k in enumerate(fanout, start=1):
        nxt = []
        for product, lot, qty in level:
            part = qty // (k + 1)
            outs = [(f"p{depth}", f"{lot}.{i}", part) for i in range(k)]
            yield {"event_id": f"T-{lot}", "kind": "transform",
                   "time": f"2026-03-{depth + 1:02d}T08:00:00+00:00", "location": "plant",
                   "inputs": [{"product": product, "lot": lot, "quantity": str(part * k),
                               "uom": "kg"}],
                   "outputs": [{"product": p, "lot": l, "quantity": str(q), "uom": "kg"}
                               for p, l, q in outs]}
            nxt.extend(outs)
        level = nxt
    for i, (product, lot, qty) in enumerate(level):
        yield {"event_id": f"S-{lot}", "kind": "ship", "time": "2026-03-20T08:00:00+00:00",
               "location": "plant", "product": product, "lot": lot, "quantity": str(qty // 2),
               "uom": "kg", "customer": f"customer-{i % 97}",
               "documents": [{"type": "bol", "id": f"B-{i}"}]}


def ingest_events(n: int) -> Iterator[str]:
    """`n` events in chains of four: receive, transform, two shipments."""
    for c in range(n // 4):
        day = 1 + c % 28
        t = f"2026-03-{day:02d}T{8 + c % 10:02d}:00:00+01:00"
        yield json.dumps({"event_id": f"R{c}", "kind": "receive", "time": t,
                          "location": "plant-1", "product": "spinach", "lot": f"F{c}",
                          "quantity": "500", "uom": "kg", "supplier": f"farm-{c % 50}",
                          "documents": [{"type": "po", "id": f"PO-{c}"}]})
        yield json.dumps({"event_id": f"T{c}", "kind": "transform", "time": t,
                          "location": "plant-1",
                          "inputs": [{"product": "spinach", "lot": f"F{c}",
                                      "quantity": "200", "uom": "kg"}],
                          "outputs": [{"product": "salad", "lot": f"S{c}", "quantity": "400",
                                       "uom": "each", "expiry": "2026-04-09"}]})
        for s in range(2):
            yield json.dumps({"event_id": f"S{c}-{s}", "kind": "ship", "time": t,
                              "location": "plant-1", "product": "salad", "lot": f"S{c}",
                              "quantity": "120", "uom": "each",
                              "customer": f"store-{(c + s) % 300}"})


def median_ms(fn: Callable[[], object], repeat: int) -> str:
    """Median and minimum wall time in ms (the minimum is the least disturbed by
    other work on a shared machine)."""
    fn()  # warm up
    runs = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        runs.append((time.perf_counter() - t0) * 1000)
    return f"{statistics.median(runs):9.3f} ms (min {min(runs):8.3f})"


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--events", type=int, default=200_000)
    ap.add_argument("--repeat", type=int, default=30)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        tree = Path(tmp) / "tree.jsonl"
        tree.write_text("".join(json.dumps(e) + "\n" for e in tree_events()))
        t = lottrack.Tracker()
        t.import_jsonl(tree)
        tr = t.trace_forward("raw", "ROOT")
        size = len(json.dumps(tr.to_dict()))
        print(f"trace: {len(tr)} lots, {len(tr.links)} links, {len(tr.shipments)} shipments, "
              f"{size / 1e6:.1f} MB of JSON ({t.event_count} events)")
        r = args.repeat
        print(f"trace_forward alone:             {median_ms(lambda: t.trace_forward('raw', 'ROOT'), r)}")
        print(f"trace_forward + to_dict():       {median_ms(lambda: t.trace_forward('raw', 'ROOT').to_dict(), r)}")
        print(f"  to_dict() alone:               {median_ms(tr.to_dict, r)}")
        print(f"  to_json() alone:               {median_ms(tr.to_json, r)}")
        print(f"  lots.to_list() alone:          {median_ms(tr.lots.to_list, r)}")
        print(f"  iterate all lots (lazy rows):  {median_ms(lambda: [x.lot for x in tr], r)}")
        print(f"  first lot only:                {median_ms(lambda: tr.lots[0].lot, r)}")
        try:
            import pandas  # noqa: F401
            print(f"  to_pandas() (4 frames):        {median_ms(tr.to_pandas, max(3, r // 5))}")
        except ImportError:
            pass
        print(f"recall + to_dict():              {median_ms(lambda: t.recall([('raw', 'ROOT')]).to_dict(), max(3, r // 3))}")
        print(f"mock_recall (kg) + to_dict():    {median_ms(lambda: t.mock_recall([('raw', 'ROOT')], 'kg').to_dict(), max(3, r // 3))}")
        print(f"trace_forward + to_dot():        {median_ms(lambda: t.trace_forward('raw', 'ROOT').to_dot(), max(3, r // 3))}")

        src = Path(tmp) / "ingest.jsonl"
        with src.open("w") as f:
            for line in ingest_events(args.events):
                f.write(line + "\n")
        mb = src.stat().st_size / 1e6
        for label, make in [
            ("memory", lottrack.Tracker),
            ("sqlite (synchronous=full)", lambda: lottrack.Tracker.open(Path(tmp) / "full.lottrack")),
            ("sqlite (synchronous=normal)",
             lambda: lottrack.Tracker.open(Path(tmp) / "normal.lottrack", synchronous="normal")),
        ]:
            tr2 = make()
            t0 = time.perf_counter()
            s = tr2.import_jsonl(src)
            dt = time.perf_counter() - t0
            print(f"import_jsonl {label:28s} {s.recorded} events ({mb:.0f} MB) in {dt:6.2f} s = "
                  f"{s.recorded / dt:9,.0f} events/s")
            tr2.close()
    print(f"(lottrack {lottrack.__version__}, pid {os.getpid()})")


if __name__ == "__main__":
    main()
