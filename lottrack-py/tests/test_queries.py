"""Queries: traces and their options, recall, exposure, inventory, history."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime, timedelta, timezone
from decimal import Decimal

import pytest

import lottrack
from conftest import CET, at


@pytest.fixture
def chain(t: lottrack.Tracker) -> lottrack.Tracker:
    """wheat W → flour F (day 2) → bread B1 (day 3), B2 (day 5); B1 shipped twice."""
    t.receive(product="wheat", lot="W", quantity=1000, uom="kg", location="mill",
              time=at(1), supplier="farm", event_id="R1", documents=[("po", "PO-7")])
    t.transform(inputs=[("wheat", "W", 500, "kg")], outputs=[("flour", "F", 400, "kg")],
                location="mill", time=at(2), event_id="T1")
    t.transform(inputs=[("flour", "F", 100, "kg")], outputs=[("bread", "B1", 200, "each")],
                location="mill", time=at(3), event_id="T2")
    t.transform(inputs=[("flour", "F", 100, "kg")],
                outputs=[{"product": "bread", "lot": "B2", "quantity": 200, "uom": "each",
                          "expiry": "2026-03-20"}],
                location="mill", time=at(5), event_id="T3")
    t.ship(product="bread", lot="B1", quantity=50, uom="each", location="mill",
           customer="shop-a", time=at(4), event_id="S1", documents=[("bol", "B-1")])
    t.ship(product="bread", lot="B1", quantity=30, uom="each", location="mill",
           customer="shop-b", time=at(6), event_id="S2")
    return t


def test_trace_forward_rows_are_lazy_sequences(chain: lottrack.Tracker) -> None:
    tr = chain.trace_forward("wheat", "W")
    assert tr.direction == "forward" and tr.root == ("wheat", "W")
    assert len(tr) == 3 and len(tr.lots) == 3
    assert [(x.product, x.lot, x.depth) for x in tr] == [
        ("flour", "F", 1), ("bread", "B1", 2), ("bread", "B2", 2)]
    assert ("bread", "B2") in tr and lottrack.LotKey("bread", "B1") in tr
    assert ("wheat", "W") not in tr and 42 not in tr
    lots = tr.lots
    assert isinstance(lots, Sequence)
    assert lots[-1].lot == "B2" and [x.lot for x in lots[1:]] == ["B1", "B2"]
    assert lots[::-1][0] == lots[2]
    with pytest.raises(IndexError):
        lots[3]
    with pytest.raises(TypeError):
        lots["x"]  # type: ignore[call-overload]
    assert repr(lots) == "<Rows of 3 TraceLot>"
    assert repr(lots[0]) == "TraceLot(product='flour', lot='F', depth=1)"
    it = iter(tr)
    assert it.__length_hint__() == 3 and next(it).lot == "F"
    assert [(link.event_id, tuple(link.from_lot), tuple(link.to_lot)) for link in tr.links] == [
        ("T1", ("wheat", "W"), ("flour", "F")),
        ("T2", ("flour", "F"), ("bread", "B1")),
        ("T3", ("flour", "F"), ("bread", "B2"))]
    sh = tr.shipments
    assert [(s.event_id, s.customer, s.quantity, s.uom) for s in sh] == [
        ("S1", "shop-a", Decimal(50), "each"), ("S2", "shop-b", Decimal(30), "each")]
    s1 = sh[0]
    assert s1.time == at(4) and s1.time.utcoffset() == CET.utcoffset(None)
    assert s1.location == "mill" and s1.documents == [lottrack.Document("bol", "B-1")]
    assert s1.product == "bread" and s1.lot == "B1"
    assert len(tr.receipts) == 0
    assert "Trace forward from wheat/W: 3 lots" in repr(tr)


def test_trace_options(chain: lottrack.Tracker) -> None:
    assert [x.lot for x in chain.trace_forward("wheat", "W", max_depth=1)] == ["F"]
    assert [x.lot for x in chain.trace_forward("wheat", "W", as_of=at(4))] == ["F", "B1"]
    as_of = chain.trace_forward("wheat", "W", as_of="2026-03-04T12:00:00+01:00")
    assert [s.event_id for s in as_of.shipments] == ["S1"]
    window = chain.trace_forward("flour", "F", since=at(4), until=at(6, 12))
    assert [x.lot for x in window] == ["B2"]
    assert len(window.shipments) == 0  # S2 ships B1, which the window does not reach
    later = chain.trace_forward("bread", "B1", since=at(5))
    assert [s.event_id for s in later.shipments] == ["S2"]


def test_trace_backward(chain: lottrack.Tracker) -> None:
    tr = chain.trace_backward("bread", "B2")
    assert tr.direction == "backward"
    assert [(x.lot, x.depth) for x in tr] == [("F", 1), ("W", 2)]
    (r,) = tr.receipts
    assert (r.event_id, r.supplier, r.quantity, r.location) == ("R1", "farm", Decimal(1000),
                                                                 "mill")
    assert [d.to_dict() for d in r.documents] == [{"type": "po", "id": "PO-7"}]
    assert "Receipt(event_id='R1', supplier='farm'" in repr(r)


def test_recall_and_execute_recall(chain: lottrack.Tracker) -> None:
    rep = chain.recall([("wheat", "W")])
    assert rep.roots == [lottrack.LotKey("wheat", "W")]
    assert len(rep) == 4
    assert [(x.lot, x.depth, x.status) for x in rep] == [
        ("W", 0, "active"), ("F", 1, "active"), ("B1", 2, "active"), ("B2", 2, "active")]
    b1 = rep.lots[2]
    assert [(o.location, o.container, o.quantity, o.uom) for o in b1.on_hand] == [
        ("mill", None, Decimal(120), "each")]
    assert [c.customer for c in rep.customers] == ["shop-a", "shop-b"]
    assert len(rep.customers[0]) == 1 and rep.customers[0].shipments[0].event_id == "S1"
    (mb,) = rep.mass_balance
    assert mb.lot == "W" and mb.consumed == Decimal(500) and mb.on_hand == Decimal(500)
    csv = rep.to_csv().splitlines()
    assert csv[0].startswith("action,customer,product,lot")
    assert csv[1].startswith("notify,shop-a,bread,B1,mill,,50,each")
    # several roots; a single pair and objects with product/lot work too
    assert len(chain.recall(("bread", "B1"))) == 1
    assert len(chain.recall([rep.lots[2], {"product": "bread", "lot": "B2"}])) == 2
    done = chain.execute_recall([("flour", "F")], time=at(7), event_id="RC1")
    assert {x.status for x in done} == {"recalled"}
    assert chain.event("RC1").kind == "status"
    assert chain.lot("bread", "B2").status == "recalled"
    assert chain.execute_recall(("wheat", "W"), max_depth=0).lots[0].status == "recalled"
    with pytest.raises(TypeError):
        chain.recall("wheat")


def test_exposure(chain: lottrack.Tracker) -> None:
    chain.receive(product="flour", lot="G", quantity=100, uom="kg", location="mill", time=at(1))
    chain.transform(inputs=[("flour", "F", 100, "kg"), ("flour", "G", 100, "kg")],
                    outputs=[("bread", "B3", 400, "each")], location="mill", time=at(6))
    ex = chain.exposure("wheat", "W")
    assert ex.root == ("wheat", "W")
    fr = {x.lot: x.fraction for x in ex}
    assert fr == {"F": Decimal(1), "B1": Decimal(1), "B2": Decimal(1), "B3": Decimal("0.5")}
    assert len(ex) == 4 and ex.lots[0].depth == 1
    assert "ExposedLot(product='bread', lot='B3', depth=2, fraction=Decimal('0.5'))" in \
        [repr(x) for x in ex]
    assert len(chain.exposure("wheat", "W", max_depth=1)) == 1


def test_inventory_expiry_fefo(t: lottrack.Tracker) -> None:
    t.receive(product="milk", lot="late", quantity=5, uom="l", location="a", time=at(1),
              expiry="2026-04-01")
    t.receive(product="milk", lot="early", quantity=5, uom="l", location="a", time=at(1),
              expiry=date(2026, 3, 10))
    t.receive(product="milk", lot="none", quantity=5, uom="l", location="b", time=at(1))
    inv = t.inventory()
    assert [(s.lot, s.location, s.quantity) for s in inv] == [
        ("early", "a", Decimal(5)), ("late", "a", Decimal(5)), ("none", "b", Decimal(5))]
    assert inv[0].expiry == date(2026, 3, 10) and inv[2].expiry is None
    assert inv[0].status == "active" and inv[0].uom == "l" and inv[0].product == "milk"
    assert [s.lot for s in t.expiring_before(date(2026, 4, 2))] == ["early", "late"]
    assert [s.lot for s in t.expiring_before("2026-03-11")] == ["early"]
    plan = t.fefo("milk", Decimal(7), "l", "a")
    assert [(p.lot, p.quantity, p.expiry) for p in plan] == [
        ("early", Decimal(5), date(2026, 3, 10)), ("late", Decimal(2), date(2026, 4, 1))]
    assert plan.shortfall == 0 and len(plan) == 2 and plan.picks[0].uom == "l"
    assert plan.product == "milk" and plan.location == "a"
    short = t.fefo("milk", "12.5", "l", "a")
    assert short.shortfall == Decimal("2.5")
    assert t.fefo("milk", 500, "ml", "a").picks[0].quantity == Decimal("0.5")
    assert "FefoPlan 'milk' at 'a': 2 picks" in repr(plan)


def test_history_event_and_lot(chain: lottrack.Tracker) -> None:
    h = chain.history("bread", "B1")
    assert [e.event_id for e in h] == ["T2", "S1", "S2"]
    assert h[0].kind == "transform" and h[0].location == "mill"
    assert h[0].time == datetime(2026, 3, 3, 7, 0, tzinfo=timezone.utc)
    assert h[1].to_dict()["customer"] == "shop-a"
    assert repr(h[1]).startswith("Event(event_id='S1', kind='ship'")
    assert chain.event("S1") == h[1]
    assert chain.lot("bread", "B1").on_hand == Decimal(120)


def test_lenient_mode_deficits() -> None:
    t = lottrack.Tracker(lenient=True)
    assert t.lenient
    t.receive(product="rice", lot="R", quantity=5, uom="kg", location="a", time=at(1))
    t.ship(product="rice", lot="R", quantity=8, uom="kg", location="a", customer="c",
           time=at(2), event_id="S")
    (d,) = t.deficits()
    assert (d.event_id, d.product, d.lot, d.location, d.requested, d.on_hand, d.uom) == (
        "S", "rice", "R", "a", Decimal(8), Decimal(5), "kg")
    assert "Deficit(event_id='S'" in repr(d)
    assert len(lottrack.Tracker().deficits()) == 0


def test_bitemporal_snapshots(design: lottrack.Tracker) -> None:
    then = design.as_of(at(2, 12))  # after the transform, before the shipment
    assert then.describe() == then.store == "memory"  # a snapshot is an in-memory tracker
    assert then.mass_balance("salad", "S-1").on_hand == Decimal(400)
    assert design.mass_balance("salad", "S-1").on_hand == Decimal(280)
    recorded = design.recorded_at("E3")
    assert recorded is not None and recorded.utcoffset() is not None
    assert design.recorded_at("nope") is None
    # recorded times are kept to the microsecond, as a Python datetime holds them:
    # "as known at" the very recorded time of an event includes it
    assert design.as_known_at(recorded).event_count == 3
    e1 = design.recorded_at("E1")
    assert e1 is not None
    assert design.as_known_at(e1.isoformat()).event_count == 1
    assert design.as_known_at(e1 - timedelta(microseconds=1)).event_count == 0
    with pytest.raises(lottrack.InvalidTimeError):
        design.as_of(datetime(2026, 3, 2))
