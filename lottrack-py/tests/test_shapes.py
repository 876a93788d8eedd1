"""to_dict() / to_json() give exactly the design's JSON shapes."""

from __future__ import annotations

import json

import lottrack
from conftest import DESIGN_EVENTS, at


def test_trace_shape(design: lottrack.Tracker) -> None:
    tr = design.trace_forward("spinach", "F-100")
    d = tr.to_dict()
    assert d == {
        "direction": "forward",
        "root": {"product": "spinach", "lot": "F-100"},
        "lots": [{"product": "salad", "lot": "S-1", "depth": 1}],
        "links": [{"event_id": "E2", "from": {"product": "spinach", "lot": "F-100"},
                   "to": {"product": "salad", "lot": "S-1"}}],
        "shipments": [{"event_id": "E3", "customer": "store-12", "product": "salad",
                       "lot": "S-1", "quantity": "120", "uom": "each",
                       "time": "2026-03-03T06:00:00+01:00", "location": "plant-1",
                       "documents": [{"type": "bol", "id": "B-9"}]}],
        "receipts": [],
    }
    # the design's keys come first, in the design's order
    assert list(d)[:3] == ["direction", "root", "lots"]
    assert list(d["shipments"][0])[:7] == ["event_id", "customer", "product", "lot",
                                          "quantity", "uom", "time"]
    assert json.loads(tr.to_json()) == d
    assert tr.lots.to_list() == d["lots"] and json.loads(tr.shipments.to_json()) == d["shipments"]
    assert tr.lots[0].to_dict() == d["lots"][0]
    assert tr.shipments[0].to_dict() == d["shipments"][0]
    assert tr.links[0].to_dict() == d["links"][0]
    back = design.trace_backward("salad", "S-1").to_dict()
    assert back["direction"] == "backward"
    assert back["receipts"] == [{"event_id": "E1", "supplier": "farm-a", "product": "spinach",
                                 "lot": "F-100", "quantity": "500", "uom": "kg",
                                 "time": "2026-03-01T08:00:00+01:00", "location": "plant-1",
                                 "documents": [{"type": "po", "id": "PO-1"}]}]


def test_mass_balance_shape(design: lottrack.Tracker) -> None:
    d = design.mass_balance("salad", "S-1").to_dict()
    assert d == {"product": "salad", "lot": "S-1", "uom": "each", "received": "0",
                 "produced": "400", "returned": "0", "shipped": "120", "consumed": "0",
                 "disposed": "0", "adjusted": "0", "on_hand": "280", "unaccounted": "0"}
    assert list(d)[:11] == ["product", "lot", "uom", "received", "produced", "returned",
                            "shipped", "consumed", "disposed", "adjusted", "on_hand"]


def test_recall_shape(design: lottrack.Tracker) -> None:
    r = design.recall([("spinach", "F-100")])
    d = r.to_dict()
    assert list(d) == ["roots", "lots", "customers", "mass_balance"]
    assert d["roots"] == [{"product": "spinach", "lot": "F-100"}]
    assert d["lots"] == [
        {"product": "spinach", "lot": "F-100", "depth": 0, "status": "active",
         "on_hand": [{"location": "plant-1", "quantity": "300", "uom": "kg"}]},
        {"product": "salad", "lot": "S-1", "depth": 1, "status": "active",
         "on_hand": [{"location": "plant-1", "quantity": "280", "uom": "each"}]},
    ]
    assert [c["customer"] for c in d["customers"]] == ["store-12"]
    assert list(d["customers"][0]) == ["customer", "shipments"]
    assert d["customers"][0]["shipments"][0]["event_id"] == "E3"
    assert d["mass_balance"] == [design.mass_balance("spinach", "F-100").to_dict()]
    assert json.loads(r.to_json()) == d
    assert r.lots[1].to_dict() == d["lots"][1]
    assert r.lots[1].on_hand[0].to_dict() == d["lots"][1]["on_hand"][0]
    assert r.customers[0].to_dict() == d["customers"][0]


def test_other_shapes(design: lottrack.Tracker) -> None:
    assert design.exposure("spinach", "F-100").to_dict() == {
        "root": {"product": "spinach", "lot": "F-100"},
        "lots": [{"product": "salad", "lot": "S-1", "depth": 1, "fraction": "1"}]}
    assert design.on_hand("salad", "S-1").to_list() == [
        {"product": "salad", "lot": "S-1", "location": "plant-1", "quantity": "280",
         "uom": "each", "status": "active", "expiry": "2026-03-09"}]
    assert design.fefo("salad", 10, "each", "plant-1").to_dict() == {
        "product": "salad", "location": "plant-1",
        "picks": [{"lot": "S-1", "quantity": "10", "uom": "each", "expiry": "2026-03-09"}],
        "shortfall": "0"}
    assert design.event("E1").to_dict() == DESIGN_EVENTS[0]
    assert json.loads(design.event("E2").to_json()) == DESIGN_EVENTS[1]
    assert design.history("salad", "S-1").to_list() == DESIGN_EVENTS[1:]
    assert design.record(DESIGN_EVENTS[2]).to_dict() == {"event_id": "E3", "seq": 3,
                                                         "duplicate": True}
    assert lottrack.LotKey("a", "b").to_dict() == {"product": "a", "lot": "b"}
    assert lottrack.Document("po", "1").to_dict() == {"type": "po", "id": "1"}
    lenient = lottrack.Tracker(lenient=True)
    lenient.receive(product="p", lot="L", quantity=1, uom="kg", location="x", time=at(1))
    lenient.consume(product="p", lot="L", quantity=3, uom="kg", location="x", time=at(2),
                    event_id="C")
    assert lenient.deficits().to_list() == [
        {"event_id": "C", "product": "p", "lot": "L", "location": "x", "requested": "3",
         "on_hand": "1", "uom": "kg"}]
    assert json.loads(lenient.deficits()[0].to_json())["requested"] == "3"
