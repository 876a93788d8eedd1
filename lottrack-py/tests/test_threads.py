"""A tracker shared by threads: queries run while another thread writes."""

from __future__ import annotations

import threading
from decimal import Decimal

import lottrack
from conftest import at


def test_threads_query_while_one_writes() -> None:
    t = lottrack.Tracker()
    t.receive(product="wheat", lot="W", quantity=1_000_000, uom="kg", location="mill",
              time=at(1))
    n_writes = 400
    errors: list[BaseException] = []
    done = threading.Event()
    seen_counts: list[int] = []
    # Every thread starts together, and each reader queries at least once after
    # the writer began and once after it finished: the test does not depend on
    # how fast either side is.
    start = threading.Barrier(4)

    def writer() -> None:
        try:
            start.wait()
            for i in range(n_writes):
                t.transform(inputs=[("wheat", "W", 10, "kg")],
                            outputs=[("flour", f"F{i}", 8, "kg")], location="mill", time=at(2))
                t.ship(product="flour", lot=f"F{i}", quantity=3, uom="kg", location="mill",
                       customer=f"c{i % 7}", time=at(3))
        except BaseException as e:  # pragma: no cover - reported below
            errors.append(e)
        finally:
            done.set()

    def reader() -> None:
        seen: list[int] = []
        try:
            start.wait()
            while True:
                finished = done.is_set()
                tr = t.trace_forward("wheat", "W")
                n = len(tr)
                assert len(tr.shipments) in (n, n - 1)  # a transform may not be shipped yet
                mb = t.mass_balance("wheat", "W")
                # later than the trace: the writer may have moved on
                assert mb.closes and mb.consumed >= Decimal(10) * n
                assert mb.consumed % 10 == 0
                d = tr.to_dict()
                assert len(d["lots"]) == n
                seen.append(n)
                t.inventory()
                t.recall([("wheat", "W")])
                if finished:
                    break
            assert seen[-1] == n_writes  # the last query ran after the last write
            assert seen == sorted(seen)  # every query sees a state at least as new
            seen_counts.extend(seen)
        except BaseException as e:
            errors.append(e)

    threads = [threading.Thread(target=writer)] + [threading.Thread(target=reader)
                                                   for _ in range(3)]
    for th in threads:
        th.start()
    for th in threads:
        th.join(timeout=120)
    assert not errors, errors
    assert t.event_count == 1 + 2 * n_writes
    assert len(t.trace_forward("wheat", "W")) == n_writes
    assert seen_counts
    assert t.mass_balance("wheat", "W").on_hand == Decimal(1_000_000 - 10 * n_writes)


def test_gil_is_released_during_import(tmp_path) -> None:
    """A Python thread keeps running while another imports (the import holds no GIL)."""
    import json

    src = tmp_path / "e.jsonl"
    src.write_text("".join(
        json.dumps({"event_id": f"R{i}", "kind": "receive", "time": "2026-03-01T08:00:00Z",
                    "location": "x", "product": "rice", "lot": f"L{i}", "quantity": "1",
                    "uom": "kg"}) + "\n" for i in range(30_000)))
    t = lottrack.Tracker()
    ticks = 0
    stop = threading.Event()

    def spin() -> None:
        nonlocal ticks
        while not stop.is_set():
            ticks += 1

    th = threading.Thread(target=spin)
    th.start()
    try:
        before = ticks
        t.import_jsonl(src)
        during = ticks - before
    finally:
        stop.set()
        th.join()
    assert t.event_count == 30_000
    assert during > 0
