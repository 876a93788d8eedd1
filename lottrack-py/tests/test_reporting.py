"""Recall exercises (issue 8): scored mock recalls, mass balance in a reporting unit
with a tolerance, transform yields, master data and the event list."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest

import lottrack
from conftest import at


@pytest.fixture
def chain() -> lottrack.Tracker:
    """500 kg of spinach: 200 kg make 400 salads (100 kg: 1 kg = 4 salads, a 50 %
    yield); 240 salads go to store-7 (60 % of the salads, so 120 kg of the spinach),
    80 to store-12 (40 kg), and 50 kg of spinach itself to store-3. Customer names
    sort differently from their exposure."""
    t = lottrack.Tracker()
    t.define_product("salad", "each", conversions={"kg": 4}, time=at(1, 0))
    t.define_party("farm-a", name="Farm A", role="supplier", time=at(1, 0))
    t.define_location("plant-1", name="Plant 1", party="us", time=at(1, 0))
    t.receive(product="spinach", lot="F-100", quantity=500, uom="kg", location="plant-1",
              time=at(1), supplier="farm-a", documents=[("po", "PO-1")], event_id="R1")
    t.transform(inputs=[("spinach", "F-100", 200, "kg")],
                outputs=[("salad", "S-1", 400, "each")], location="plant-1", time=at(2),
                event_id="T1")
    t.ship(product="salad", lot="S-1", quantity=240, uom="each", location="plant-1",
           customer="store-7", time=at(3, 8), event_id="S7")
    t.ship(product="salad", lot="S-1", quantity=80, uom="each", location="plant-1",
           customer="store-12", time=at(3, 9), event_id="S12")
    t.ship(product="spinach", lot="F-100", quantity=50, uom="kg", location="plant-1",
           customer="store-3", time=at(3, 10), event_id="S3")
    return t


def test_mock_recall_scores_ranks_and_records_nothing(chain: lottrack.Tracker) -> None:
    before = chain.events()
    drill = chain.mock_recall([("spinach", "F-100")], "kg")
    assert chain.events() == before  # nothing recorded by the drill itself
    assert isinstance(drill, lottrack.MockRecall)
    assert drill.score == Decimal(100) and drill.passed is True
    assert drill.roots == [("spinach", "F-100")] and drill.reporting_unit == "kg"
    assert drill.tolerance == (Decimal(95), Decimal(105))
    assert drill.root_quantity == Decimal(500) == drill.accounted_quantity
    assert drill.unconvertible == []
    assert drill.started_at.utcoffset() is not None and drill.elapsed_us >= 0
    # customers ranked by the root material they received, most exposed first
    ranked = [(c.customer, c.root_quantity) for c in drill.customers]
    assert ranked == [("store-7", Decimal(120)), ("store-3", Decimal(50)),
                      ("store-12", Decimal(40))]
    first = drill.customers[0]
    assert len(first) == 1 and first.shipments[0].event_id == "S7"
    # lots with their share of root material and the root quantity they hold
    lots = {(x.product, x.lot): x for x in drill}
    assert len(drill) == 2 and lots[("spinach", "F-100")].depth == 0
    salad = lots[("salad", "S-1")]
    assert (salad.depth, salad.status, salad.share, salad.root_quantity) == (
        1, "active", Decimal(1), Decimal(200))
    assert salad.key == ("salad", "S-1")
    assert [(s.product, s.lot, s.quantity, s.uom) for s in drill.stock_to_hold] == [
        ("spinach", "F-100", Decimal(250), "kg"), ("salad", "S-1", Decimal(80), "each")]
    assert [(r.event_id, r.supplier) for r in drill.suppliers] == [("R1", "farm-a")]
    (mb,) = drill.mass_balance
    assert (mb.product, mb.uom, mb.total_in, mb.accounted_pct, mb.passed) == (
        "spinach", "kg", Decimal(500), Decimal(100), True)
    # reports a person can file
    md = drill.to_markdown()
    assert md.startswith("# Mock recall: spinach/F-100") and "**Result: PASS**" in md
    assert md.index("| store-7 |") < md.index("| store-3 |") < md.index("| store-12 |")
    assert drill._repr_markdown_() == md
    csv = drill.to_csv().splitlines()
    assert csv[0].startswith("section,customer_or_location,product,lot,quantity,uom")
    assert csv[1].startswith("notify,store-7,salad,S-1,240,each,120 kg,")
    assert "balance,,spinach,F-100,500,kg,100 %,,PASS," in csv
    d = drill.to_dict()
    assert d["score"] == "100" and d["pass"] is True and d["reporting_unit"] == "kg"
    assert [c["customer"] for c in d["customers"]] == ["store-7", "store-3", "store-12"]
    assert d["customers"][0]["root_quantity"] == "120"
    assert json.loads(drill.to_json()) == d
    assert repr(drill) == ("<MockRecall of spinach/F-100 in kg: score 100 % PASS, "
                           "2 lots, 3 customers>")


def test_record_mock_recall(chain: lottrack.Tracker) -> None:
    drill = chain.mock_recall(("spinach", "F-100"), "kg", (Decimal("99.5"), 105))
    n = chain.event_count
    rec = chain.record_mock_recall(drill, time=at(5), event_id="DRILL-1")
    assert (rec.event_id, rec.duplicate) == ("DRILL-1", False) and chain.event_count == n + 1
    seq, ev, voided = chain.events()[-1]
    assert (seq, voided) == (rec.seq, False)
    assert ev["kind"] == "mock_recall" and ev["lots"] == [{"product": "spinach", "lot": "F-100"}]
    assert ev["result"]["score"] == "100" and ev["result"]["pass"] is True
    assert chain.event("DRILL-1").kind == "mock_recall"
    # the drill changes no stock or status
    assert chain.lot("spinach", "F-100").status == "active"
    # time defaults to now
    again = chain.record_mock_recall(drill)
    now = chain.event(again.event_id)
    assert now.time.utcoffset() is not None
    # "now" is taken to the microsecond, so the datetime reads back the event exactly
    assert now.to_dict()["time"] == now.time.isoformat()


def test_mock_recall_names_unconvertible_products(chain: lottrack.Tracker) -> None:
    chain.receive(product="dressing", lot="D-1", quantity=10, uom="each", location="plant-1",
                  time=at(1))
    chain.transform(inputs=[("salad", "S-1", 40, "each"), ("dressing", "D-1", 10, "each")],
                    outputs=[("meal", "M-1", 10, "each")], location="plant-1", time=at(4))
    drill = chain.mock_recall([("spinach", "F-100")], "kg")
    assert drill.unconvertible == ["meal"]
    meal = [x for x in drill.lots if x.product == "meal"][0]
    assert meal.share is None and meal.root_quantity is None
    assert "No path to `kg` for: meal." in drill.to_markdown()
    # the roots convert, so the score still stands
    assert drill.score == Decimal(100) and drill.passed


def test_mock_recall_to_pandas(chain: lottrack.Tracker) -> None:
    pytest.importorskip("pandas")
    frames = chain.mock_recall([("spinach", "F-100")], "kg").to_pandas()
    assert set(frames) == {"lots", "customers", "shipments", "stock_to_hold", "suppliers",
                           "mass_balance"}
    assert list(frames["customers"]["customer"]) == ["store-7", "store-3", "store-12"]
    assert list(frames["customers"]["root_quantity"]) == [Decimal(120), Decimal(50),
                                                           Decimal(40)]
    assert list(frames["shipments"]["event_id"]) == ["S7", "S3", "S12"]
    assert list(frames["lots"].columns) == ["product", "lot", "depth", "status", "share",
                                            "root_quantity"]
    assert frames["mass_balance"]["passed"].tolist() == [True]


def test_mass_balance_in_pounds_with_tolerance() -> None:
    # lenient: 103 kg shipped out of 100 kg received, so 103 % is accounted for
    t = lottrack.Tracker(lenient=True)
    t.receive(product="rice", lot="R", quantity=100, uom="kg", location="a", time=at(1))
    t.ship(product="rice", lot="R", quantity=103, uom="kg", location="a", customer="c",
           time=at(2))
    b = t.mass_balance_in("rice", "R", "lb")
    assert isinstance(b, lottrack.UnitBalance) and b.uom == "lb"
    assert b.received.quantize(Decimal("0.001")) == Decimal("220.462")  # 100 kg in lb
    assert b.shipped.quantize(Decimal("0.001")) == Decimal("227.076")
    assert b.accounted_pct == Decimal(103) and b.passed  # default 95–105 %
    assert b.tolerance == (Decimal(95), Decimal(105)) and not b.closes
    assert b.balance.uom == "lb" and b.balance.received == b.received
    assert not t.mass_balance_in("rice", "R", "lb", (Decimal("99.5"), 102)).passed
    assert t.mass_balance_in("rice", "R", "lb", tolerance=(103, 110)).passed  # bound included
    assert not t.mass_balance_in("rice", "R", "lb", (95, Decimal("102.99"))).passed
    assert t.mass_balance_in("rice", "R", "kg", ("95", 103.0)).passed
    d = b.to_dict()
    assert d["accounted_pct"] == "103" and d["pass"] is True
    assert d["tolerance"] == {"low": "95", "high": "105"} and d["uom"] == "lb"
    assert json.loads(b.to_json()) == d
    assert repr(b).startswith("UnitBalance(product='rice', lot='R', uom='lb', ")


def test_mass_balance_in_errors(chain: lottrack.Tracker) -> None:
    # through the product's declared conversion: 400 salads are 100 kg
    assert chain.mass_balance_in("salad", "S-1", "kg").received == 0
    assert chain.mass_balance_in("salad", "S-1", "g").produced == Decimal(100_000)
    with pytest.raises(lottrack.IncompatibleUnitsError) as e:
        chain.mass_balance_in("salad", "S-1", "l")
    assert (e.value.from_unit, e.value.to_unit) == ("each", "l") and "salad" in e.value.context
    with pytest.raises(lottrack.InvalidFieldError) as f:
        chain.mass_balance_in("salad", "S-1", "kg", (105, 95))
    assert f.value.field == "tolerance" and f.value.event_id is None
    assert str(f.value) == "invalid field `tolerance`: low 105 % is above high 95 %"
    with pytest.raises(lottrack.InvalidFieldError):
        chain.mass_balance_in("salad", "S-1", "kg", (-1, 95))
    with pytest.raises(TypeError, match="tolerance"):
        chain.mass_balance_in("salad", "S-1", "kg", 95)  # type: ignore[arg-type]
    with pytest.raises(lottrack.UnknownLotError):
        chain.mass_balance_in("salad", "nope", "kg")


def test_transform_yields_flag_the_declared_range() -> None:
    t = lottrack.Tracker()
    t.define_product("juice", "kg", yield_range=("0.5", "0.7"), time=at(1, 0))
    t.receive(product="apples", lot="A", quantity=300, uom="kg", location="p", time=at(1))
    t.transform(inputs=[("apples", "A", 100, "kg")], outputs=[("juice", "J1", 80, "kg")],
                location="p", time=at(2), event_id="T-high")
    t.transform(inputs=[("apples", "A", 100, "kg")], outputs=[("juice", "J2", 60, "kg")],
                location="p", time=at(3), event_id="T-ok")
    t.transform(inputs=[("apples", "A", 100, "kg")], outputs=[("cider", "C1", 90, "kg")],
                location="p", time=at(4), event_id="T-free")
    juice = t.product("juice")
    assert juice is not None and juice.yield_range == (Decimal("0.5"), Decimal("0.7"))
    t.define_product("nectar", "kg", inherit_expiry=2, time=at(1, 0))
    nectar = t.product("nectar")
    assert nectar is not None and nectar.inherit_expiry == 2 and nectar.yield_range is None
    ys = t.transform_yields("kg")
    assert len(ys) == 3
    high, ok, free = ys
    assert (high.event_id, high.inputs, high.outputs, high.yield_pct, high.flagged) == (
        "T-high", Decimal(100), Decimal(80), Decimal(80), True)
    assert high.expected_pct == (Decimal(50), Decimal(70))
    assert (ok.yield_pct, ok.flagged) == (Decimal(60), False)
    assert (free.expected_pct, free.flagged) == (None, False)
    assert [y.event_id for y in ys if y.flagged] == ["T-high"]
    assert ys.to_list()[0] == {"event_id": "T-high", "uom": "kg", "inputs": "100",
                               "outputs": "80", "yield_pct": "80",
                               "expected_pct": ["50", "70"], "flagged": True}
    assert high.uom == "kg" and t.transform_yields("g")[0].inputs == Decimal(100_000)
    assert "flagged=True" in repr(high)


def test_master_data_describe_and_events(chain: lottrack.Tracker) -> None:
    salad = chain.product("salad")
    assert salad is not None and (salad.product, salad.uom, salad.declared) == (
        "salad", "each", True)
    assert salad.conversions == {"kg": Decimal(4)} and salad.description is None
    assert (salad.inherit_expiry, salad.yield_range) == (None, None)
    assert salad.to_dict() == {"product": "salad", "uom": "each", "conversions": {"kg": "4"},
                               "description": None, "declared": True,
                               "inherit_expiry": None, "yield_range": None}
    spinach = chain.product("spinach")
    assert spinach is not None and not spinach.declared and spinach.uom == "kg"
    assert chain.product("nothing") is None
    farm = chain.party("farm-a")
    assert farm is not None and (farm.party, farm.name, farm.role) == (
        "farm-a", "Farm A", "supplier")
    assert farm.to_dict() == {"party": "farm-a", "name": "Farm A", "role": "supplier"}
    assert chain.party("store-7") is None
    plant = chain.location("plant-1")
    assert plant is not None and (plant.location, plant.name, plant.party) == (
        "plant-1", "Plant 1", "us")
    assert json.loads(plant.to_json()) == {"location": "plant-1", "name": "Plant 1",
                                           "party": "us"}
    assert chain.location("nowhere") is None
    assert chain.describe() == chain.store == "memory"
    chain.void("S3", time=at(4), event_id="V1")
    evs = chain.events()
    assert [seq for seq, _, _ in evs] == list(range(1, len(evs) + 1))
    assert all(isinstance(e, tuple) and len(e) == 3 for e in evs)
    by_id = {ev["event_id"]: (ev, voided) for _, ev, voided in evs}
    assert by_id["S3"][1] is True and by_id["V1"][1] is False and by_id["R1"][1] is False
    assert by_id["R1"][0] == chain.event("R1").to_dict()
    copy = lottrack.Tracker()
    for _, ev, _ in evs:  # the dicts are what record() accepts
        copy.record(ev)
    assert copy.mass_balance("spinach", "F-100") == chain.mass_balance("spinach", "F-100")
