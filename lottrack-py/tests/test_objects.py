"""Result objects: LotKey semantics, and repr / to_dict / to_json on every class."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

import lottrack
from conftest import at

EPCIS = Path(__file__).resolve().parents[2] / ".." / "shared" / "epcis"


def test_lot_key_behaves_like_a_pair() -> None:
    k = lottrack.LotKey("spinach", "F-100")
    product, lot = k
    assert (product, lot) == ("spinach", "F-100") and k.product == product and k.lot == lot
    assert len(k) == 2 and k[0] == "spinach" and k[-1] == "F-100" and k[:1] == ("spinach",)
    assert k == ("spinach", "F-100") and k == lottrack.LotKey("spinach", "F-100")
    assert k != ("spinach", "F-101") and k != "spinach/F-100"
    assert hash(k) == hash(("spinach", "F-100")) and {k: 1}[("spinach", "F-100")] == 1
    assert str(k) == "spinach/F-100" and repr(k) == "LotKey(product='spinach', lot='F-100')"
    assert repr(lottrack.LotKey("it's", "x")) == 'LotKey(product="it\'s", lot=\'x\')'


def every_object(t: lottrack.Tracker) -> list[Any]:
    t.define_product("salad", "each", conversions={"case": 12})
    t.receive(product="spinach", lot="F", quantity=500, uom="kg", location="p", time=at(1),
              supplier="farm", documents=[("po", "1")])
    t.transform(inputs=[("spinach", "F", 200, "kg")], outputs=[("salad", "S", 40, "case")],
                location="p", time=at(2))
    t.pack(container="C", contents=[("salad", "S", 12, "each")], location="p", time=at(2))
    t.ship(product="salad", lot="S", quantity=12, uom="each", location="p", customer="c",
           time=at(3), documents=[("bol", "B")])
    t.consume(product="spinach", lot="F", quantity=100, uom="kg", location="p", time=at(3))
    fwd = t.trace_forward("spinach", "F")
    rep = t.recall([("spinach", "F")])
    objs: list[Any] = [
        fwd, fwd.lots[0], fwd.links[0], fwd.shipments[0], fwd.shipments[0].documents[0],
        t.trace_backward("salad", "S").receipts[0], t.mass_balance("salad", "S"),
        rep, rep.lots[0], rep.lots[1].on_hand[0], rep.customers[0],
        t.exposure("spinach", "F"), t.exposure("spinach", "F").lots[0],
        t.inventory()[0], t.fefo("salad", 1, "case", "p"), t.fefo("salad", 1, "case", "p").picks[0],
        t.history("salad", "S")[0], t.lot("salad", "S"),
        t.record_json('{"kind": "party", "time": "2026-03-01T00:00:00Z", "party": "x"}'),
    ]
    lenient = lottrack.Tracker(lenient=True)
    lenient.receive(product="p", lot="L", quantity=1, uom="kg", location="x", time=at(1))
    lenient.dispose(product="p", lot="L", quantity=2, uom="kg", location="x", time=at(2))
    objs.append(lenient.deficits()[0])
    lenient.transform(inputs=[("p", "L", 1, "kg")], outputs=[("q", "M", 1, "kg")],
                      location="x", time=at(3))
    drill = t.mock_recall([("spinach", "F")], "kg")
    t.define_party("farm", name="Farm", role="supplier")
    t.define_location("p", name="Plant", party="us")
    objs += [
        t.mass_balance_in("spinach", "F", "lb"), lenient.transform_yields("kg")[0],
        drill, drill.lots[1], drill.customers[0], t.product("salad"), t.party("farm"),
        t.location("p"),
    ]
    summary = lottrack.Tracker().import_epcis(EPCIS / "Example_9.6.4-TransformationEvent.jsonld")
    tx = lottrack.Tracker().import_epcis(EPCIS / "Example-TransactionEvents-2020_07_03y.jsonld")
    objs += [summary, summary.unmapped[0], tx.unsupported[0]]
    return objs


def test_every_class_has_repr_to_dict_to_json(t: lottrack.Tracker, tmp_path) -> None:
    objs = every_object(t)
    src = tmp_path / "e.jsonl"
    t.export_jsonl(src)
    objs.append(lottrack.Tracker().import_jsonl(src))
    names = {type(o).__name__ for o in objs}
    assert names >= {"Trace", "TraceLot", "TraceLink", "Shipment", "Document", "Receipt",
                     "MassBalance", "RecallReport", "RecallLot", "OnHand", "CustomerShipments",
                     "Exposure", "ExposedLot", "StockLine", "FefoPlan", "Pick", "Event",
                     "LotInfo", "Recorded", "Deficit", "ImportSummary", "UnitBalance",
                     "TransformYield", "MockRecall", "LotExposure", "CustomerExposure",
                     "ProductInfo", "PartyInfo", "LocationInfo", "EpcisImportSummary",
                     "UnmappedField", "UnsupportedEvent"}
    for o in objs:
        r = repr(o)
        assert r.startswith((type(o).__name__ + "(", "<" + type(o).__name__)), r
        d = o.to_dict()
        assert isinstance(d, dict)
        assert json.loads(o.to_json()) == d, type(o).__name__
        assert type(o).__module__ == "lottrack"


def test_rows_are_read_only_and_unhashable(design: lottrack.Tracker) -> None:
    lot = design.trace_forward("spinach", "F-100").lots[0]
    with pytest.raises(AttributeError):
        lot.depth = 3  # type: ignore[misc]
    with pytest.raises(TypeError):
        hash(lot)
    with pytest.raises(TypeError):
        lottrack.Trace()  # type: ignore[call-arg]
