"""Interchange and reports (issue 7): EPCIS 2.0 import/export, the FSMA 204
spreadsheet, recall CSV and trace pictures."""

from __future__ import annotations

import csv
import io
import json
import shutil
from pathlib import Path

import pytest

import lottrack
from conftest import DESIGN_EVENTS, at

# GS1's example documents: ../shared/epcis beside the repository (in CI the repository
# is a clone with ../shared next to it).
EPCIS_DIR = Path(__file__).resolve().parents[2] / ".." / "shared" / "epcis"
EXAMPLES = sorted(EPCIS_DIR.glob("*.jsonld"))

FSMA_HEADER = (
    "Event Type,Traceability Lot Code,Traceability Lot Code Source,Product Description,"
    "Quantity,Unit of Measure,Location Description,Date,Time,Reference Document Type,"
    "Reference Document Number,Immediate Previous Source,Ship From Location,"
    "Ship To Location,Role,Supplier Lot Code,Product ID,Event ID"
)


def test_the_gs1_examples_are_there() -> None:
    assert len(EXAMPLES) == 6, f"GS1 examples expected in {EPCIS_DIR.resolve()}"


@pytest.mark.parametrize("doc", EXAMPLES, ids=[p.stem for p in EXAMPLES])
def test_import_each_gs1_example(doc: Path) -> None:
    t = lottrack.Tracker()
    s = t.import_epcis(doc)
    assert isinstance(s, lottrack.EpcisImportSummary)
    assert s.events > 0
    assert s.imported + len(s.unsupported) == s.events
    assert s.duplicates == 0 and s.recorded >= s.imported
    assert t.event_count == s.recorded
    d = s.to_dict()
    assert list(d) == ["events", "imported", "recorded", "duplicates", "hash_ids",
                       "unsupported", "stock_gaps", "unmapped", "voided"]
    assert json.loads(s.to_json()) == d and d["events"] == s.events
    assert [u.to_dict() for u in s.unsupported] == d["unsupported"]
    assert s.stock_gaps.to_list() == d["stock_gaps"] and s.voided == d["voided"]
    assert repr(s).startswith(f"EpcisImportSummary(events={s.events}, ")
    # idempotent by eventID (or the CBV 2.0 hash ID): nothing counted twice
    again = t.import_epcis(str(doc))
    assert (again.imported, again.recorded) == (0, 0)
    assert again.duplicates == s.imported and t.event_count == s.recorded


def example(name: str) -> Path:
    return next(p for p in EXAMPLES if p.name.startswith(name))


def test_transformation_example_links_inputs_to_outputs() -> None:
    t = lottrack.Tracker()
    s = t.import_epcis(example("Example_9.6.4"))
    assert s.imported == 1 and len(s.stock_gaps) == 5  # inputs never received here
    assert all(isinstance(g, lottrack.Deficit) for g in s.stock_gaps)
    assert any(u.field == "ilmd.example:bestBeforeDate" for u in s.unmapped)
    back = t.trace_backward("04012345778892", "25")
    assert len(back.lots) == 5 and len(back.links) == 5
    assert ("04012345111118", "4444") in back
    fwd = t.trace_forward("04012345111118", "4444")
    assert sorted(x.lot for x in fwd) == ["25", "26", "27", "28"]


def test_error_declaration_and_hash_ids() -> None:
    t = lottrack.Tracker()
    s = t.import_epcis(example("ErrorDeclaration"))
    assert s.voided == ["urn:uuid:374d95fc-9457-4a51-bd6a-0bba133845a8"]
    voided = [ev["event_id"] for _, ev, v in t.events() if v]
    assert voided == s.voided
    tx = lottrack.Tracker().import_epcis(example("Example-TransactionEvents"))
    assert tx.hash_ids == 2
    assert all(u.event_id.startswith("ni:///sha-256;") for u in tx.unsupported)
    assert all(u.event_type == "TransactionEvent" and u.reason for u in tx.unsupported)


def test_malformed_epcis_names_the_event(tmp_path: Path) -> None:
    bad = tmp_path / "bad.jsonld"
    bad.write_text(json.dumps({"type": "EPCISDocument", "epcisBody": {"eventList": [
        {"type": "ObjectEvent", "action": "OBSERVE"}]}}))
    with pytest.raises(lottrack.MissingFieldError) as e:
        lottrack.Tracker().import_epcis(bad)
    assert str(e.value) == "event eventList[0] (ObjectEvent): missing field `eventTime`"
    bad.write_text("{not json")
    with pytest.raises(lottrack.MalformedJsonError):
        lottrack.Tracker().import_epcis(bad)
    with pytest.raises(FileNotFoundError):
        lottrack.Tracker().import_epcis(tmp_path / "missing.jsonld")


@pytest.fixture
def plant() -> lottrack.Tracker:
    t = lottrack.Tracker()
    t.define_product("salad", "each", conversions={"case": 12}, description="Salad bowl",
                     time=at(1, 0))
    t.define_party("farm-a", name="Farm A", role="supplier", time=at(1, 0))
    for ev in DESIGN_EVENTS:
        t.record(ev)
    t.ship(product="spinach", lot="F-100", quantity=50, uom="kg", location="plant-1",
           customer="store-3", time=at(3, 10), event_id="S3")
    return t


def test_epcis_export_import_round_trip(plant: lottrack.Tracker, tmp_path: Path) -> None:
    out = tmp_path / "plant.jsonld"
    n = plant.export_epcis(out)
    assert n == 4  # receive, transform, two shipments; master data in the header
    doc = json.loads(out.read_text())
    assert doc["type"] == "EPCISDocument" and doc["schemaVersion"] == "2.0"
    assert len(doc["epcisBody"]["eventList"]) == n
    copy = lottrack.Tracker()
    s = copy.import_epcis(out)
    assert (s.events, s.imported, s.duplicates) == (4, 4, 0) and not s.stock_gaps
    for product, lot, direction in [("spinach", "F-100", "forward"),
                                    ("salad", "S-1", "backward")]:
        trace = getattr(plant, f"trace_{direction}")
        again = getattr(copy, f"trace_{direction}")
        assert again(product, lot).to_dict() == trace(product, lot).to_dict()
        assert copy.mass_balance(product, lot) == plant.mass_balance(product, lot)
    salad = copy.product("salad")
    assert salad is not None and salad.description == "Salad bowl"
    assert copy.party("farm-a") == plant.party("farm-a")
    assert copy.import_epcis(out).duplicates == 4


def test_fsma204_csv(plant: lottrack.Tracker) -> None:
    text = plant.fsma204_csv("2026-03-01T00:00:00Z", at(31))
    assert text.splitlines()[0] == FSMA_HEADER
    rows = list(csv.DictReader(io.StringIO(text)))
    assert [(r["Event Type"], r["Traceability Lot Code"], r["Role"]) for r in rows] == [
        ("Receiving", "F-100", ""), ("Transformation", "F-100", "input"),
        ("Transformation", "S-1", "output"), ("Shipping", "S-1", ""),
        ("Shipping", "F-100", "")]
    first = rows[0]
    assert (first["Quantity"], first["Unit of Measure"], first["Date"], first["Time"]) == (
        "500", "kg", "2026-03-01", "08:00:00+01:00")
    assert first["Traceability Lot Code Source"] == "Farm A (farm-a)"
    assert (first["Reference Document Type"], first["Reference Document Number"]) == (
        "po", "PO-1")
    assert rows[2]["Product Description"] == "Salad bowl"
    only_salad = plant.fsma204_csv(at(1, 0), at(31), products=["salad"])
    assert [r["Event ID"] for r in csv.DictReader(io.StringIO(only_salad))] == ["E2", "E3"]
    recall = plant.fsma204_csv(at(1, 0), at(31), recall_roots=[("salad", "S-1")])
    assert {r["Traceability Lot Code"] for r in csv.DictReader(io.StringIO(recall))} == {"S-1"}
    window = plant.fsma204_csv(at(3, 0), at(3, 23))
    assert [r["Event ID"] for r in csv.DictReader(io.StringIO(window))] == ["E3", "S3"]
    assert plant.fsma204_csv(at(20), at(21)) == FSMA_HEADER + "\r\n"  # RFC 4180
    with pytest.raises(TypeError, match="products"):
        plant.fsma204_csv(at(1), at(31), products="salad")
    with pytest.raises(lottrack.InvalidTimeError) as e:
        plant.fsma204_csv("yesterday", at(31))
    assert e.value.field == "start"


def test_recall_csv(plant: lottrack.Tracker) -> None:
    lines = plant.recall([("spinach", "F-100")]).to_csv().splitlines()
    assert lines[0] == ("action,customer,product,lot,location,container,quantity,uom,time,"
                        "event_id,documents")
    assert ("notify,store-12,salad,S-1,plant-1,,120,each,2026-03-03T06:00:00+01:00,E3,bol:B-9"
            in lines)
    assert "notify,store-3,spinach,F-100,plant-1,,50,kg,2026-03-03T10:00:00+01:00,S3," in lines
    assert "hold,,spinach,F-100,plant-1,,250,kg,,," in lines


def test_trace_pictures(plant: lottrack.Tracker) -> None:
    trace = plant.trace_forward("spinach", "F-100")
    dot = trace.to_dot()
    assert dot.startswith("digraph")
    assert '"lot:spinach/F-100" -> "lot:salad/S-1"' in dot
    assert '"customer:store-12" [shape=house' in dot
    back = plant.trace_backward("salad", "S-1").to_dot()
    assert '"supplier:farm-a" [shape=invhouse' in back
    if shutil.which("dot"):
        svg = trace.to_svg()
        assert "<svg" in svg and "store&#45;12" in svg  # Graphviz escapes the hyphen
    else:
        with pytest.raises(lottrack.StorageError, match="Graphviz"):
            trace.to_svg()
