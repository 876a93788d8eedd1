"""Traces are taken lean (lot ids and depths) and read lazily: the lot set is fixed
when the trace is taken, names are resolved when the lots are first read, links,
shipments and receipts when they are first asked for. ``to_dict()`` builds the
design's JSON shape directly and must equal ``json.loads(to_json())``."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

import lottrack
from conftest import at


def ev(event_id: str, kind: str, time: str, **fields: Any) -> dict[str, Any]:
    return {"event_id": event_id, "kind": kind, "time": time, "location": "plant-1", **fields}


def line(product: str, lot: str, quantity: str, uom: str) -> dict[str, str]:
    return {"product": product, "lot": lot, "quantity": quantity, "uom": uom}


# Two raw lots (one without supplier) and a bulk lot are mixed, split, mixed again
# with the bulk lot and shipped; times in three offsets, fractional quantities,
# several documents, a non-ASCII lot code and one with a quote, a voided shipment.
NETWORK = [
    ev("R1", "receive", "2026-03-01T08:00:00+01:00", product="spinach", lot="F-100",
       quantity="500", uom="kg", supplier="farm-a",
       documents=[{"type": "po", "id": "PO-1"}, {"type": "invoice", "id": "I-7"}]),
    ev("R2", "receive", "2026-03-01T09:30:00Z", product="spinach", lot="F-Ä1",
       quantity="120.5", uom="kg"),
    ev("R3", "receive", "2026-02-20T10:00:00+05:30", product="salt", lot="B'7",
       quantity="25", uom="kg", supplier="salt-co", documents=[{"type": "po", "id": "PO-1"}]),
    ev("T1", "transform", "2026-03-02T10:00:00+01:00",
       inputs=[line("spinach", "F-100", "200", "kg"), line("spinach", "F-Ä1", "100", "kg")],
       outputs=[line("mix", "M-1", "250", "kg"), line("mix", "M-2", "50", "kg")]),
    ev("T2", "transform", "2026-03-03T10:00:00+01:00",
       inputs=[line("mix", "M-1", "200", "kg"), line("salt", "B'7", "2.5", "kg")],
       outputs=[line("salad", "S-1", "100", "each"), line("salad", "S-2", "60", "each")]),
    ev("S1", "ship", "2026-03-04T06:00:00+01:00", product="salad", lot="S-1", quantity="12",
       uom="each", customer="store-12",
       documents=[{"type": "bol", "id": "B-9"}, {"type": "invoice", "id": "I-7"}]),
    ev("S2", "ship", "2026-03-04T07:00:00+02:00", product="salad", lot="S-1", quantity="24",
       uom="each", customer="store-13"),
    ev("S3", "ship", "2026-03-04T05:00:00Z", product="salad", lot="S-2", quantity="10",
       uom="each", customer="store-12"),
    ev("S4", "ship", "2026-03-05T06:00:00+01:00", product="mix", lot="M-2", quantity="50",
       uom="kg", customer="store-12"),
    ev("S5", "ship", "2026-03-05T07:00:00+01:00", product="salad", lot="S-2", quantity="5",
       uom="each", customer="store-14"),
    {"event_id": "V1", "kind": "void", "time": "2026-03-05T08:00:00+01:00", "target": "S5",
     "reason": "incorrect_data"},
]


@pytest.fixture
def network() -> lottrack.Tracker:
    t = lottrack.Tracker()
    for e in NETWORK:
        t.record(e)
    return t


def same_json(tr: lottrack.Trace) -> None:
    """``to_dict()`` is ``json.loads(to_json())``, key order and value types included."""
    d = tr.to_dict()
    text = tr.to_json()
    assert d == json.loads(text)
    assert json.dumps(d, ensure_ascii=False, separators=(",", ":")) == text
    assert len(d["lots"]) == len(tr)


@pytest.mark.parametrize("options", [{}, {"max_depth": 1}, {"since": at(3)},
                                     {"as_of": at(4, 6)}])
def test_to_dict_is_the_json_shape(network: lottrack.Tracker, options: dict[str, Any]) -> None:
    for direction, product, lot in [("forward", "spinach", "F-100"),
                                    ("forward", "spinach", "F-Ä1"),
                                    ("forward", "salt", "B'7"),
                                    ("backward", "salad", "S-1"),
                                    ("backward", "salad", "S-2"),
                                    ("backward", "mix", "M-2")]:
        tr = getattr(network, f"trace_{direction}")(product, lot, **options)
        same_json(tr)
        # a second trace, whose rows were read first, gives the same dict
        again = getattr(network, f"trace_{direction}")(product, lot, **options)
        assert [tuple(x.key) for x in again] == [(x["product"], x["lot"])
                                                 for x in tr.to_dict()["lots"]]
        assert len(again.links) == len(tr.to_dict()["links"])
        assert again.to_dict() == tr.to_dict()


def test_forward_and_backward_values(network: lottrack.Tracker) -> None:
    fwd = network.trace_forward("spinach", "F-100")
    assert fwd.to_dict() == {
        "direction": "forward",
        "root": {"product": "spinach", "lot": "F-100"},
        "lots": [{"product": "mix", "lot": "M-1", "depth": 1},
                 {"product": "mix", "lot": "M-2", "depth": 1},
                 {"product": "salad", "lot": "S-1", "depth": 2},
                 {"product": "salad", "lot": "S-2", "depth": 2}],
        "links": [
            {"event_id": "T1", "from": {"product": "spinach", "lot": "F-100"},
             "to": {"product": "mix", "lot": "M-1"}},
            {"event_id": "T1", "from": {"product": "spinach", "lot": "F-100"},
             "to": {"product": "mix", "lot": "M-2"}},
            {"event_id": "T2", "from": {"product": "mix", "lot": "M-1"},
             "to": {"product": "salad", "lot": "S-1"}},
            {"event_id": "T2", "from": {"product": "mix", "lot": "M-1"},
             "to": {"product": "salad", "lot": "S-2"}}],
        # S1, S2 and S3 happened at the same instant (in three offsets): by event id
        "shipments": [
            {"event_id": "S1", "customer": "store-12", "product": "salad", "lot": "S-1",
             "quantity": "12", "uom": "each", "time": "2026-03-04T06:00:00+01:00",
             "location": "plant-1",
             "documents": [{"type": "bol", "id": "B-9"}, {"type": "invoice", "id": "I-7"}]},
            {"event_id": "S2", "customer": "store-13", "product": "salad", "lot": "S-1",
             "quantity": "24", "uom": "each", "time": "2026-03-04T07:00:00+02:00",
             "location": "plant-1", "documents": []},
            {"event_id": "S3", "customer": "store-12", "product": "salad", "lot": "S-2",
             "quantity": "10", "uom": "each", "time": "2026-03-04T05:00:00+00:00",
             "location": "plant-1", "documents": []},
            {"event_id": "S4", "customer": "store-12", "product": "mix", "lot": "M-2",
             "quantity": "50", "uom": "kg", "time": "2026-03-05T06:00:00+01:00",
             "location": "plant-1", "documents": []}],
        "receipts": [],
    }
    back = network.trace_backward("salad", "S-2")
    d = back.to_dict()
    assert [(x["lot"], x["depth"]) for x in d["lots"]] == [
        ("M-1", 1), ("B'7", 1), ("F-100", 2), ("F-Ä1", 2)]
    assert d["receipts"] == [
        {"event_id": "R3", "supplier": "salt-co", "product": "salt", "lot": "B'7",
         "quantity": "25", "uom": "kg", "time": "2026-02-20T10:00:00+05:30",
         "location": "plant-1", "documents": [{"type": "po", "id": "PO-1"}]},
        {"event_id": "R1", "supplier": "farm-a", "product": "spinach", "lot": "F-100",
         "quantity": "500", "uom": "kg", "time": "2026-03-01T08:00:00+01:00",
         "location": "plant-1",
         "documents": [{"type": "po", "id": "PO-1"}, {"type": "invoice", "id": "I-7"}]},
        {"event_id": "R2", "supplier": "", "product": "spinach", "lot": "F-Ä1",
         "quantity": "120.5", "uom": "kg", "time": "2026-03-01T09:30:00+00:00",
         "location": "plant-1", "documents": []}]
    assert d["shipments"] == []
    # names are shared, not copied: one str per distinct name
    lots = fwd.to_dict()["lots"]
    assert lots[0]["product"] is lots[1]["product"]
    assert isinstance(lots[0]["depth"], int) and not isinstance(lots[0]["depth"], bool)


@pytest.fixture
def chain(t: lottrack.Tracker) -> lottrack.Tracker:
    """test_queries' chain: wheat W → flour F (day 2) → bread B1 (day 3), B2 (day 5)."""
    t.receive(product="wheat", lot="W", quantity=1000, uom="kg", location="mill",
              time=at(1), supplier="farm", event_id="R1", documents=[("po", "PO-7")])
    t.transform(inputs=[("wheat", "W", 500, "kg")], outputs=[("flour", "F", 400, "kg")],
                location="mill", time=at(2), event_id="T1")
    t.transform(inputs=[("flour", "F", 100, "kg")], outputs=[("bread", "B1", 200, "each")],
                location="mill", time=at(3), event_id="T2")
    t.transform(inputs=[("flour", "F", 100, "kg")], outputs=[("bread", "B2", 200, "each")],
                location="mill", time=at(5), event_id="T3")
    t.ship(product="bread", lot="B1", quantity=50, uom="each", location="mill",
           customer="shop-a", time=at(4), event_id="S1", documents=[("bol", "B-1")])
    t.ship(product="bread", lot="B1", quantity=30, uom="each", location="mill",
           customer="shop-b", time=at(6), event_id="S2")
    return t


# What the eager binding (the full core `Trace` built by `trace_forward`) returned
# for the chain, read through every accessor.
EAGER_LOTS = [("flour", "F", 1), ("bread", "B1", 2), ("bread", "B2", 2)]
EAGER_LINKS = [("T1", ("wheat", "W"), ("flour", "F")), ("T2", ("flour", "F"), ("bread", "B1")),
               ("T3", ("flour", "F"), ("bread", "B2"))]
EAGER_SHIPMENTS = [("S1", "shop-a", "bread", "B1", Decimal(50), "each", at(4), "mill"),
                   ("S2", "shop-b", "bread", "B1", Decimal(30), "each", at(6), "mill")]


def shipments(tr: lottrack.Trace) -> list[tuple]:
    return [(s.event_id, s.customer, s.product, s.lot, s.quantity, s.uom, s.time, s.location)
            for s in tr.shipments]


@pytest.mark.parametrize("first", ["len", "iter", "lots", "links", "shipments", "to_dict",
                                   "repr", "contains"])
def test_lazy_trace_gives_what_the_eager_one_gave(chain: lottrack.Tracker, first: str) -> None:
    """Whatever is read first (names only, or the details), every accessor agrees."""
    tr = chain.trace_forward("wheat", "W")
    {"len": lambda: len(tr), "iter": lambda: list(tr), "lots": lambda: tr.lots[0],
     "links": lambda: tr.links, "shipments": lambda: tr.shipments, "to_dict": tr.to_dict,
     "repr": lambda: repr(tr), "contains": lambda: ("bread", "B1") in tr}[first]()
    assert len(tr) == 3 and tr.direction == "forward" and tr.root == ("wheat", "W")
    assert [(x.product, x.lot, x.depth) for x in tr] == EAGER_LOTS
    assert [(x.product, x.lot, x.depth) for x in tr.lots] == EAGER_LOTS
    assert [(x.event_id, tuple(x.from_lot), tuple(x.to_lot)) for x in tr.links] == EAGER_LINKS
    assert shipments(tr) == EAGER_SHIPMENTS
    assert len(tr.receipts) == 0
    assert repr(tr) == "<Trace forward from wheat/W: 3 lots, 3 links, 2 shipments, 0 receipts>"
    assert tr.lots.to_list() == tr.to_dict()["lots"]
    assert ("bread", "B2") in tr and lottrack.LotKey("flour", "F") in tr
    assert ("wheat", "W") not in tr and ("bread", "B3") not in tr and ("nothing", "x") not in tr
    assert {"product": "bread", "lot": "B1"} in tr and tr.lots[0] in tr and 42 not in tr
    back = chain.trace_backward("bread", "B2")
    assert [(x.lot, x.depth) for x in back] == [("F", 1), ("W", 2)]
    assert [(r.event_id, r.supplier, r.quantity) for r in back.receipts] == [
        ("R1", "farm", Decimal(1000))]
    assert "<Trace backward from bread/B2: 2 lots, 2 links, 0 shipments, 1 receipts>" == repr(back)


def test_lot_set_is_fixed_when_taken_details_on_first_use(chain: lottrack.Tracker) -> None:
    tr = chain.trace_forward("wheat", "W")
    shipped_first = chain.trace_forward("wheat", "W")
    assert len(shipped_first.shipments) == 2  # details read now
    # more lots made from the root, and more shipments of lots it reached
    chain.transform(inputs=[("flour", "F", 50, "kg")], outputs=[("bread", "B3", 100, "each")],
                    location="mill", time=at(7), event_id="T4")
    chain.ship(product="bread", lot="B2", quantity=20, uom="each", location="mill",
               customer="shop-c", time=at(8), event_id="S3")
    assert len(chain.trace_forward("wheat", "W")) == 4
    # the lot set is the one of the moment the trace was taken
    assert len(tr) == 3 and len(tr.lots) == 3
    assert [(x.product, x.lot, x.depth) for x in tr] == EAGER_LOTS
    assert ("bread", "B3") not in tr and ("bread", "B2") in tr
    assert len(tr.to_dict()["lots"]) == 3
    # details are read on first use: the later shipment of a lot it reached is there
    assert [s.event_id for s in tr.shipments] == ["S1", "S2", "S3"]
    # … and kept from then on, like those read before the new events
    assert [s.event_id for s in shipped_first.shipments] == ["S1", "S2"]
    chain.ship(product="bread", lot="B2", quantity=20, uom="each", location="mill",
               customer="shop-c", time=at(9), event_id="S4")
    assert [s.event_id for s in tr.shipments] == ["S1", "S2", "S3"]
    assert len(tr.to_dict()["shipments"]) == 3


def test_a_reached_lot_voided_later_is_still_in_the_trace(chain: lottrack.Tracker) -> None:
    tr = chain.trace_forward("wheat", "W")
    chain.void("T3", time=at(9), reason="incorrect_data")
    # no live event names B2 any more: a trace taken now does not reach it
    assert [x.lot for x in chain.trace_forward("wheat", "W")] == ["F", "B1"]
    assert len(tr) == 3 and ("bread", "B2") in tr and ("bread", "B9") not in tr
    assert [x.lot for x in tr] == ["F", "B1", "B2"]


def test_a_trace_stays_readable_after_close(db: Path) -> None:
    with lottrack.Tracker.open(db) as t:
        t.receive(product="wheat", lot="W", quantity=10, uom="kg", location="mill", time=at(1))
        t.transform(inputs=[("wheat", "W", 10, "kg")], outputs=[("flour", "F", 8, "kg")],
                    location="mill", time=at(2), event_id="T1")
        tr = t.trace_forward("wheat", "W")
    assert t.closed
    assert [x.lot for x in tr] == ["F"] and ("flour", "F") in tr
    assert [x.event_id for x in tr.links] == ["T1"]
    same_json(tr)


def test_trace_errors_are_raised_when_taken(t: lottrack.Tracker) -> None:
    with pytest.raises(lottrack.UnknownProductError):
        t.trace_forward("nothing", "x")
    t.receive(product="wheat", lot="W", quantity=10, uom="kg", location="mill", time=at(1))
    with pytest.raises(lottrack.UnknownLotError):
        t.trace_backward("wheat", "nope")
    tr = t.trace_backward("wheat", "W")
    assert len(tr) == 0 and list(tr) == [] and ("wheat", "W") not in tr
    assert tr.to_dict() == json.loads(tr.to_json())
    assert tr.to_dict()["receipts"][0]["event_id"] == tr.receipts[0].event_id


def test_later_links_stay_among_the_lots_of_the_trace(chain: lottrack.Tracker) -> None:
    tr = chain.trace_forward("flour", "F")
    chain.transform(inputs=[("flour", "F", 50, "kg")], outputs=[("bread", "B3", 100, "each")],
                    location="mill", time=at(7), event_id="T4")
    reached = {("flour", "F")} | {tuple(x.key) for x in tr}
    assert all(tuple(x.from_lot) in reached and tuple(x.to_lot) in reached for x in tr.links)


def test_large_results_leave_the_garbage_collector_as_they_found_it(t: lottrack.Tracker) -> None:
    import gc

    t.receive(product="wheat", lot="W", quantity=5000, uom="kg", location="mill", time=at(1))
    t.transform(inputs=[("wheat", "W", 1500, "kg")],
                outputs=[("flour", f"F{i}", 1, "kg") for i in range(1500)],
                location="mill", time=at(2), event_id="T1")
    tr = t.trace_forward("wheat", "W")
    assert len(tr) == 1500 and gc.isenabled()
    same_json(tr)
    assert gc.isenabled()
    assert tr.lots.to_list() == tr.to_dict()["lots"] and gc.isenabled()
    gc.disable()
    try:
        same_json(tr)
        assert not gc.isenabled()
    finally:
        gc.enable()
