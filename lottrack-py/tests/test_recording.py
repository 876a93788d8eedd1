"""Recording events: JSON, dicts, Event objects, batches and every typed method."""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal

import pytest

import lottrack
from conftest import DESIGN_EVENTS, VOID_E3, at


def test_record_json_design_examples(design: lottrack.Tracker) -> None:
    assert design.event_count == 3
    assert design.lot_count == 2
    assert design.last_seq == 3
    r = design.record_json(json.dumps(VOID_E3))
    assert (r.event_id, r.seq, r.duplicate) == ("E4", 4, False)
    assert len(design.trace_forward("spinach", "F-100").shipments) == 0


def test_record_dict_with_python_values(t: lottrack.Tracker) -> None:
    r = t.record({"event_id": "R1", "kind": "receive", "time": at(1),
                  "location": "a", "product": "rice", "lot": "R", "quantity": Decimal("1.50"),
                  "uom": "kg", "expiry": date(2026, 4, 1), "attributes": {"temp": 4.5}})
    assert r.event_id == "R1"
    ev = t.event("R1").to_dict()
    assert ev["time"] == "2026-03-01T08:00:00+01:00"
    assert ev["quantity"] == "1.50"
    assert ev["expiry"] == "2026-04-01"
    assert ev["attributes"] == {"temp": 4.5}


def test_record_event_objects_and_idempotency(design: lottrack.Tracker) -> None:
    copy = lottrack.Tracker()
    for ev in design.history("spinach", "F-100"):
        copy.record(ev)
    copy.record(design.event("E3"))
    assert copy.trace_forward("spinach", "F-100").to_dict() == \
        design.trace_forward("spinach", "F-100").to_dict()
    again = copy.record(DESIGN_EVENTS[0])
    assert again.duplicate and again.seq == 1
    assert again == copy.record_json(json.dumps(DESIGN_EVENTS[0]))


def test_record_batch_is_all_or_nothing(t: lottrack.Tracker) -> None:
    ok = {"event_id": "A", "kind": "receive", "time": at(1), "location": "p1",
          "product": "rice", "lot": "R1", "quantity": 10, "uom": "kg"}
    bad = {"event_id": "B", "kind": "ship", "time": at(1), "location": "p1",
           "product": "rice", "lot": "R1", "quantity": 11, "uom": "kg", "customer": "c"}
    with pytest.raises(lottrack.InsufficientStockError):
        t.record_batch([ok, bad])
    assert t.event_count == 0
    rs = t.record_batch([ok, json.dumps({**bad, "quantity": "4", "time": at(1).isoformat()})])
    assert [r.seq for r in rs] == [1, 2]


def test_record_batch_json_is_all_or_nothing(t: lottrack.Tracker) -> None:
    ok = {"event_id": "A", "kind": "receive", "time": "2026-03-01T08:00:00Z",
          "location": "p1", "product": "rice", "lot": "R1", "quantity": "10", "uom": "kg"}
    bad = {"event_id": "B", "kind": "ship", "time": "2026-03-01T09:00:00Z", "location": "p1",
           "product": "rice", "lot": "R1", "quantity": "11", "uom": "kg", "customer": "c"}
    with pytest.raises(lottrack.InsufficientStockError, match="R1"):
        t.record_batch_json(json.dumps([ok, bad]))
    assert t.event_count == 0
    with pytest.raises(lottrack.MalformedJsonError):
        t.record_batch_json('[{"event_id": "A"')
    assert t.record_batch_json("[]") == []
    rs = t.record_batch_json(json.dumps([ok, {**bad, "quantity": "4"}]))
    assert [(r.event_id, r.seq, r.duplicate) for r in rs] == [("A", 1, False), ("B", 2, False)]
    again = t.record_batch_json(json.dumps([ok]))
    assert [(r.seq, r.duplicate) for r in again] == [(1, True)]
    assert t.lot("rice", "R1").on_hand == Decimal(6)


def test_receive_every_field(t: lottrack.Tracker) -> None:
    r = t.receive(product="spinach", lot="F-1", quantity=500, uom="kg", location="plant-1",
                  time=at(1), supplier="farm-a", event_id="E1", expiry=date(2026, 3, 15),
                  production_date="2026-02-28", supplier_lot="A-77", origin="field-9",
                  documents=[("po", "PO-1"), {"type": "invoice", "id": "I-1"},
                             lottrack.Document("asn", "N-1")],
                  attributes={"temp_c": 4, "organic": True})
    assert r == lottrack.Tracker().receive(
        product="x", lot="y", quantity=1, uom="kg", location="l", time=at(1), event_id="E1")
    ev = t.event("E1")
    assert ev.kind == "receive" and ev.location == "plant-1" and ev.time == at(1)
    assert [(d.type, d.id) for d in ev.documents] == [("po", "PO-1"), ("invoice", "I-1"),
                                                     ("asn", "N-1")]
    assert ev.attributes == {"temp_c": 4, "organic": True}
    info = t.lot("spinach", "F-1")
    assert (info.supplier, info.supplier_lot, info.origin) == ("farm-a", "A-77", "field-9")
    assert info.expiry == date(2026, 3, 15) and info.production_date == date(2026, 2, 28)
    assert info.on_hand == Decimal("500") and info.uom == "kg" and info.status == "active"
    assert "given by event E1" in (info.expiry_source or "")
    assert info.to_dict()["on_hand"] == "500"


def test_transform_with_tuples_and_dicts(t: lottrack.Tracker) -> None:
    t.receive(product="flour", lot="A", quantity=30, uom="kg", location="x", time=at(1))
    t.receive(product="flour", lot="B", quantity=10, uom="kg", location="x", time=at(1))
    t.transform(inputs=[("flour", "A", "30", "kg"),
                        {"product": "flour", "lot": "B", "quantity": 10, "uom": "kg"}],
                outputs=[{"product": "mix", "lot": "M", "quantity": Decimal("40"), "uom": "kg",
                          "expiry": date(2026, 5, 1), "production_date": "2026-03-02"}],
                location="x", time=at(2), event_id="T", documents=[("wo", "W-1")])
    assert t.lot("mix", "M").expiry == date(2026, 5, 1)
    assert {tuple(lot.key) for lot in t.trace_backward("mix", "M")} == {("flour", "A"), ("flour", "B")}
    assert t.exposure("flour", "A").lots[0].fraction == Decimal("0.75")
    with pytest.raises(TypeError):
        t.transform(inputs="flour", outputs=[], location="x", time=at(2))
    with pytest.raises(TypeError):
        t.transform(inputs=[("flour", "A")], outputs=[], location="x", time=at(2))


def test_ship_lot_and_container_pack_unpack(t: lottrack.Tracker) -> None:
    t.receive(product="salad", lot="S", quantity=100, uom="each", location="dc", time=at(1))
    t.pack(container="SSCC-1", contents=[("salad", "S", 40, "each")], location="dc",
           time=at(2))
    t.unpack(container="SSCC-1", contents=[("salad", "S", 10, "each")], location="dc",
             time=at(3))
    lines = t.on_hand("salad", "S")
    assert [(s.container, s.quantity) for s in lines] == [(None, Decimal(70)),
                                                          ("SSCC-1", Decimal(30))]
    t.ship(container="SSCC-1", location="dc", customer="shop-1", time=at(4), event_id="SC")
    t.ship(product="salad", lot="S", quantity=5, uom="each", location="dc", customer="shop-2",
           time=at(5))
    tr = t.trace_forward("salad", "S")
    assert [(s.customer, s.quantity) for s in tr.shipments] == [("shop-1", Decimal(30)),
                                                               ("shop-2", Decimal(5))]
    assert t.mass_balance("salad", "S").shipped == Decimal(35)


def test_move_adjust_dispose_consume_return(t: lottrack.Tracker) -> None:
    t.receive(product="oil", lot="O", quantity=100, uom="l", location="a", time=at(1))
    t.move(product="oil", lot="O", quantity=40, uom="l", from_location="a", to_location="b",
           time=at(2))
    t.adjust(product="oil", lot="O", quantity=-2, uom="l", location="a", time=at(3),
             reason="spill")
    t.adjust(product="oil", lot="O", quantity="0.5", uom="l", location="b", time=at(3),
             reason="found")
    t.dispose(product="oil", lot="O", quantity=3, uom="l", location="a", time=at(4),
              reason="contaminated")
    t.consume(product="oil", lot="O", quantity=5, uom="l", location="b", time=at(4),
              reason="lab sample")
    t.ship(product="oil", lot="O", quantity=10, uom="l", location="b", customer="c", time=at(5))
    t.return_(product="oil", lot="O", quantity=1, uom="l", location="b", customer="c",
              time=at(6))
    mb = t.mass_balance("oil", "O")
    assert (mb.received, mb.returned, mb.shipped, mb.consumed, mb.disposed, mb.adjusted) == (
        Decimal(100), Decimal(1), Decimal(10), Decimal(5), Decimal(3), Decimal("1.5"))
    assert mb.on_hand == Decimal("81.5") and mb.closes and mb.unaccounted == 0
    assert mb.total_in == Decimal(101) and mb.total_out == Decimal("19.5")
    by_loc = {s.location: s.quantity for s in t.on_hand("oil", "O")}
    assert by_loc == {"a": Decimal(55), "b": Decimal("26.5")}


def test_set_status_and_void(design: lottrack.Tracker) -> None:
    design.set_status([("salad", "S-1")], "hold", time=at(4), reason="QA", event_id="H")
    assert design.lot("salad", "S-1").status == "on_hold"
    design.set_status(lottrack.LotKey("salad", "S-1"), "release", time=at(5))
    assert design.lot("salad", "S-1").status == "active"
    design.void("H", time=at(6), reason="incorrect_data")
    assert design.event("H").kind == "status"
    design.void("E3", time=at(6), event_id="V3")
    assert design.mass_balance("salad", "S-1").shipped == 0


def test_master_data(t: lottrack.Tracker) -> None:
    t.define_product("salad", "each", conversions={"case": 12, "tray": "6"},
                     description="mixed salad", event_id="P1")
    t.define_product("soup", "l", inherit_expiry=2, yield_range=("0.9", "1.1"), time=at(1))
    t.define_product("bread", "each", inherit_expiry=True)
    t.define_party("store-12", name="FreshMart #12", role="customer")
    t.define_location("plant-1", name="Main plant", party="own")
    p = t.event("P1").to_dict()
    assert p["conversions"] == {"case": "12", "tray": "6"}
    assert p["description"] == "mixed salad"
    t.receive(product="salad", lot="S", quantity=2, uom="case", location="plant-1", time=at(1))
    assert t.mass_balance("salad", "S").on_hand == Decimal(24)
    assert t.event_count == 6


def test_import_export_jsonl_with_progress(design: lottrack.Tracker, tmp_path) -> None:
    out = tmp_path / "events.jsonl"
    assert design.export_jsonl(out) == 3
    lines = out.read_text().splitlines()
    assert [json.loads(x)["event_id"] for x in lines] == ["E1", "E2", "E3"]
    big = tmp_path / "big.jsonl"
    with big.open("w") as f:
        f.write(out.read_text() + "\n\n")
        for i in range(2500):
            f.write(json.dumps({"event_id": f"R{i}", "kind": "receive",
                                "time": "2026-03-01T08:00:00Z", "location": "x",
                                "product": "rice", "lot": f"L{i}", "quantity": "1",
                                "uom": "kg"}) + "\n")
    seen: list[int] = []
    t2 = lottrack.Tracker()
    s = t2.import_jsonl(str(big), progress=seen.append)
    assert (s.lines, s.recorded, s.duplicates) == (2503, 2503, 0)
    assert seen == [1000, 2000, 2503]
    s2 = t2.import_jsonl(big)
    assert (s2.recorded, s2.duplicates) == (0, 2503)
    assert s2.to_dict() == {"lines": 2503, "recorded": 0, "duplicates": 2503}


def test_import_stops_when_progress_raises(tmp_path) -> None:
    src = tmp_path / "e.jsonl"
    src.write_text("".join(
        json.dumps({"event_id": f"R{i}", "kind": "receive", "time": "2026-03-01T08:00:00Z",
                    "location": "x", "product": "rice", "lot": f"L{i}", "quantity": "1",
                    "uom": "kg"}) + "\n" for i in range(5000)))

    def stop(n: int) -> None:
        if n >= 2000:
            raise RuntimeError("enough")

    t = lottrack.Tracker()
    with pytest.raises(RuntimeError, match="enough"):
        t.import_jsonl(src, progress=stop)
    assert t.event_count == 2000
    with pytest.raises(TypeError):
        t.import_jsonl(src, progress=42)  # type: ignore[arg-type]


def test_import_progress_bar_with_tqdm(tmp_path, monkeypatch) -> None:
    import sys
    import types

    calls: list[tuple[str, object]] = []

    class FakeBar:
        def __init__(self, **kw: object) -> None:
            calls.append(("init", kw["total"]))

        def update(self, n: int) -> None:
            calls.append(("update", n))

        def close(self) -> None:
            calls.append(("close", None))

    monkeypatch.setitem(sys.modules, "tqdm", types.SimpleNamespace(tqdm=FakeBar))
    src = tmp_path / "e.jsonl"
    src.write_text("".join(
        json.dumps({"event_id": f"R{i}", "kind": "receive", "time": "2026-03-01T08:00:00Z",
                    "location": "x", "product": "rice", "lot": f"L{i}", "quantity": "1",
                    "uom": "kg"}) + "\n\n" for i in range(1500)))
    lottrack.Tracker().import_jsonl(src, progress=True)
    assert calls == [("init", 1500), ("update", 1000), ("update", 500), ("close", None)]
    monkeypatch.setitem(sys.modules, "tqdm", None)  # not installed: no bar, no error
    assert lottrack.Tracker().import_jsonl(src, progress=True).recorded == 1500


def test_sync_counts_repr_and_close(design: lottrack.Tracker) -> None:
    assert design.sync() == 0
    assert design.store == "memory" and not design.lenient
    assert repr(design) == "<Tracker memory: 3 events, 2 lots>"
    with design as same:
        assert same is design
    assert design.closed
    assert repr(design) == "<Tracker memory: closed>"
    with pytest.raises(ValueError, match="closed"):
        design.trace_forward("spinach", "F-100")
    design.close()  # twice is fine


def test_missing_files_raise_oserror(t: lottrack.Tracker, tmp_path) -> None:
    with pytest.raises(FileNotFoundError):
        t.import_jsonl(tmp_path / "missing.jsonl")
    with pytest.raises(FileNotFoundError):
        t.export_jsonl(tmp_path / "no" / "such" / "dir.jsonl")
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"event_id": "A", "kind": "receive"}\n{oops\n')
    with pytest.raises(lottrack.MissingFieldError, match="event A: missing field `time`"):
        t.import_jsonl(bad)
    bad.write_text('\n{oops\n')
    with pytest.raises(lottrack.MalformedJsonError, match="line 2"):
        t.import_jsonl(bad)
