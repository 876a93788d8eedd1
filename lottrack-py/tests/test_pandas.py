"""to_pandas(): DataFrames when pandas is installed, a clear ImportError otherwise."""

from __future__ import annotations

import sys
from decimal import Decimal

import pytest

import lottrack


def test_to_pandas(design: lottrack.Tracker) -> None:
    pd = pytest.importorskip("pandas")
    frames = design.trace_forward("spinach", "F-100").to_pandas()
    assert set(frames) == {"lots", "links", "shipments", "receipts"}
    lots = frames["lots"]
    assert isinstance(lots, pd.DataFrame)
    assert list(lots.columns) == ["product", "lot", "depth"]
    assert lots.to_dict("records") == [{"product": "salad", "lot": "S-1", "depth": 1}]
    sh = frames["shipments"]
    assert list(sh.columns) == ["event_id", "customer", "product", "lot", "quantity", "uom",
                                "time", "location", "documents"]
    assert sh["quantity"].iloc[0] == Decimal("120")
    assert isinstance(sh["quantity"].iloc[0], Decimal)
    assert str(sh["time"].iloc[0]) == "2026-03-03 06:00:00+01:00"
    assert sh["documents"].iloc[0] == "bol:B-9"
    assert len(frames["receipts"]) == 0 and "supplier" in frames["receipts"].columns
    mb = design.mass_balance("salad", "S-1").to_pandas()
    assert mb.shape == (1, 12) and mb["on_hand"].iloc[0] == Decimal(280)
    rec = design.recall([("spinach", "F-100")]).to_pandas()
    assert set(rec) == {"lots", "stock", "shipments", "mass_balance"}
    assert list(rec["stock"]["quantity"]) == [Decimal(300), Decimal(280)]
    assert list(rec["shipments"]["customer"]) == ["store-12"]
    assert design.exposure("spinach", "F-100").to_pandas()["fraction"].iloc[0] == 1
    inv = design.inventory().to_pandas()
    assert list(inv["lot"]) == ["S-1", "F-100"] and inv["container"].isna().all()
    assert len(design.fefo("salad", 5, "each", "plant-1").to_pandas()) == 1
    assert list(design.history("salad", "S-1").to_pandas()["event_id"]) == ["E2", "E3"]
    assert design.deficits().to_pandas().empty


def test_to_pandas_without_pandas(design: lottrack.Tracker, monkeypatch) -> None:
    monkeypatch.setitem(sys.modules, "pandas", None)
    with pytest.raises(ImportError, match="pip install pandas"):
        design.inventory().to_pandas()
    with pytest.raises(ImportError, match="pip install pandas"):
        design.trace_forward("spinach", "F-100").to_pandas()
