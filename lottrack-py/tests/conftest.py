"""Shared fixtures: the design's example events and small helpers."""

from __future__ import annotations

import json
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Iterator

import pytest

import lottrack

CET = timezone(timedelta(hours=1))

# The event examples of the design (docs: "The event JSON format"), E4 left out so
# the shipment stays live; tests that need the void record it themselves.
DESIGN_EVENTS = [
    {"event_id": "E1", "kind": "receive", "time": "2026-03-01T08:00:00+01:00",
     "location": "plant-1", "product": "spinach", "lot": "F-100",
     "quantity": "500", "uom": "kg", "supplier": "farm-a", "supplier_lot": "A-77",
     "expiry": "2026-03-15", "documents": [{"type": "po", "id": "PO-1"}]},
    {"event_id": "E2", "kind": "transform", "time": "2026-03-02T10:00:00+01:00",
     "location": "plant-1",
     "inputs": [{"product": "spinach", "lot": "F-100", "quantity": "200", "uom": "kg"}],
     "outputs": [{"product": "salad", "lot": "S-1", "quantity": "400", "uom": "each",
                  "expiry": "2026-03-09"}]},
    {"event_id": "E3", "kind": "ship", "time": "2026-03-03T06:00:00+01:00",
     "location": "plant-1", "product": "salad", "lot": "S-1", "quantity": "120",
     "uom": "each", "customer": "store-12", "documents": [{"type": "bol", "id": "B-9"}]},
]
VOID_E3 = {"event_id": "E4", "kind": "void", "time": "2026-03-04T09:00:00+01:00",
           "target": "E3", "reason": "incorrect_data"}


def at(day: int, hour: int = 8) -> datetime:
    """An aware time in March 2026 (CET)."""
    return datetime(2026, 3, day, hour, 0, tzinfo=CET)


@pytest.fixture
def t() -> lottrack.Tracker:
    return lottrack.Tracker()


@pytest.fixture
def design() -> lottrack.Tracker:
    tr = lottrack.Tracker()
    for ev in DESIGN_EVENTS:
        tr.record_json(json.dumps(ev))
    return tr


@pytest.fixture
def db(tmp_path: Path) -> Iterator[Path]:
    yield tmp_path / "plant.lottrack"
