"""Every core error kind has its exception class, and each is provoked here."""

from __future__ import annotations

import json
import pickle
import sqlite3
from decimal import Decimal
from pathlib import Path

import pytest

import lottrack
from conftest import at

BUILTIN = {
    "MalformedJson": ValueError, "MissingField": ValueError, "UnknownKind": ValueError,
    "InvalidTime": ValueError, "InvalidField": ValueError, "UnknownProduct": KeyError,
    "UnknownLot": KeyError, "UnknownUnit": ValueError, "NonPositiveQuantity": ValueError,
    "InsufficientStock": ValueError, "Cycle": ValueError, "DuplicateEvent": ValueError,
    "UnknownEvent": KeyError, "VoidConflict": ValueError, "UnknownContainer": KeyError,
    "IncompatibleUnits": ValueError, "InvalidEvent": ValueError, "Storage": OSError,
    "NotAStore": lottrack.StorageError, "SchemaTooNew": lottrack.StorageError,
    "Conflict": lottrack.LotTrackError,
}


def test_every_kind_has_its_class() -> None:
    assert len(lottrack.ERROR_KINDS) == 21
    assert set(lottrack.ERROR_KINDS) == set(BUILTIN)
    for code, kind in enumerate(lottrack.ERROR_KINDS, start=1):
        cls = getattr(lottrack, kind + "Error")
        assert issubclass(cls, lottrack.LotTrackError) and issubclass(cls, Exception)
        assert issubclass(cls, BUILTIN[kind]), kind
        assert cls.kind == kind and cls.code == code
        assert cls.__name__ in lottrack.__all__


def raises(cls: type, fn, *args, **kw):  # noqa: ANN001, ANN201
    with pytest.raises(cls) as e:
        fn(*args, **kw)
    assert type(e.value) is cls
    assert e.value.kind == cls.kind
    assert str(e.value) == e.value.message and e.value.message
    return e.value


def rec(t: lottrack.Tracker, **ev: object) -> None:
    t.record({"time": "2026-03-01T08:00:00Z", "location": "x", **ev})


@pytest.fixture
def stocked(t: lottrack.Tracker) -> lottrack.Tracker:
    t.receive(product="flour", lot="A", quantity=10, uom="kg", location="x", time=at(1),
              event_id="R")
    return t


def test_record_errors(stocked: lottrack.Tracker) -> None:
    t = stocked
    e = raises(lottrack.MalformedJsonError, t.record_json, "{not json")
    assert "malformed JSON" in str(e) and "line 1" in e.detail
    e = raises(lottrack.MissingFieldError, t.record_json, json.dumps({"event_id": "X",
                                                                    "time": "2026-03-01T08:00:00Z"}))
    assert (e.event_id, e.field) == ("X", "kind") and str(e) == "event X: missing field `kind`"
    e = raises(lottrack.MissingFieldError, rec, t, kind="receive", product="p")
    assert e.event_id is None and not str(e).startswith("event :")
    e = raises(lottrack.UnknownKindError, rec, t, event_id="X", kind="teleport")
    assert e.event_kind == "teleport"
    e = raises(lottrack.InvalidTimeError, t.record_json,
               '{"kind": "ship", "time": "yesterday"}')
    assert (e.field, e.value) == ("time", "yesterday")
    e = raises(lottrack.InvalidFieldError, t.receive, product="p", lot="l", quantity="abc",
               uom="kg", location="x", time=at(1))
    assert e.field == "quantity" and "abc" in str(e)
    e = raises(lottrack.UnknownUnitError, t.ship, product="flour", lot="A", quantity=1,
               uom="each", location="x", customer="c", time=at(2))
    assert (e.product, e.uom, e.base_uom) == ("flour", "each", "kg")
    e = raises(lottrack.NonPositiveQuantityError, t.receive, product="flour", lot="A",
               quantity=0, uom="kg", location="x", time=at(2))
    assert e.quantity == Decimal(0)
    e = raises(lottrack.InsufficientStockError, t.ship, product="flour", lot="A",
               quantity=11, uom="kg", location="x", customer="c", time=at(2), event_id="S")
    assert (e.event_id, e.product, e.lot, e.location, e.requested, e.on_hand, e.uom) == (
        "S", "flour", "A", "x", Decimal(11), Decimal(10), "kg")
    assert str(e) == "event S: takes 11 kg of lot (`flour`, `A`) at `x` but only 10 kg is on hand"
    e = raises(lottrack.UnknownLotError, t.ship, product="flour", lot="nope", quantity=1,
               uom="kg", location="x", customer="c", time=at(2))
    assert e.lot == "nope"
    t.record_json(json.dumps({"event_id": "D", "kind": "receive", "time": "2026-03-01T08:00:00Z",
                              "location": "x", "product": "flour", "lot": "B", "quantity": "1",
                              "uom": "kg"}))
    e = raises(lottrack.DuplicateEventError, t.receive, product="flour", lot="B", quantity=2,
               uom="kg", location="x", time=at(1), event_id="D")
    assert e.event_id == "D"


def test_graph_and_void_errors(stocked: lottrack.Tracker) -> None:
    t = stocked
    t.transform(inputs=[("flour", "A", 5, "kg")], outputs=[("dough", "D", 5, "kg")],
                location="x", time=at(2))
    e = raises(lottrack.CycleError, t.transform, inputs=[("dough", "D", 1, "kg")],
               outputs=[("flour", "A", 1, "kg")], location="x", time=at(3))
    assert (e.product, e.lot, e.input_product, e.input_lot) == ("flour", "A", "dough", "D")
    e = raises(lottrack.UnknownEventError, t.void, "nope", time=at(3))
    assert e.target == "nope"
    e = raises(lottrack.UnknownEventError, t.event, "nope")
    assert str(e) == "unknown event `nope`"  # KeyError's quoting is not applied
    t.ship(product="flour", lot="A", quantity=5, uom="kg", location="x", customer="c",
           time=at(3), event_id="S")
    e = raises(lottrack.VoidConflictError, t.void, "R", time=at(4))
    assert e.target == "R" and "S" in e.later
    e = raises(lottrack.UnknownContainerError, t.ship, container="SSCC-9", location="x",
               customer="c", time=at(4))
    assert e.container == "SSCC-9"
    e = raises(lottrack.InvalidEventError, t.transform, inputs=[("dough", "D", 1, "kg")],
               outputs=[], location="x", time=at(4))
    assert "at least one" in e.reason


def test_query_errors(stocked: lottrack.Tracker) -> None:
    t = stocked
    e = raises(lottrack.UnknownProductError, t.trace_forward, "nothing", "x")
    assert e.product == "nothing" and e.event_id is None and isinstance(e, KeyError)
    assert str(e) == "unknown product `nothing`"
    raises(lottrack.UnknownLotError, t.mass_balance, "flour", "zz")
    t.receive(product="egg", lot="E", quantity=10, uom="each", location="x", time=at(1))
    t.transform(inputs=[("flour", "A", 5, "kg"), ("egg", "E", 2, "each")],
                outputs=[("dough", "D", 6, "kg")], location="x", time=at(2), event_id="T")
    e = raises(lottrack.IncompatibleUnitsError, t.exposure, "flour", "A")
    assert {e.from_unit, e.to_unit} == {"mass", "each"} and "T" in e.context


def test_storage_errors(tmp_path: Path) -> None:
    e = raises(lottrack.StorageError, lottrack.Tracker.open, tmp_path / "missing" / "x.db")
    assert isinstance(e, OSError) and e.detail
    junk = tmp_path / "junk.db"
    junk.write_bytes(b"this is not a database at all" * 100)
    e = raises(lottrack.NotAStoreError, lottrack.Tracker.open, junk)
    assert isinstance(e, lottrack.StorageError) and isinstance(e, OSError)
    assert junk.read_bytes() == b"this is not a database at all" * 100
    raises(lottrack.NotAStoreError, lottrack.Tracker.open, tmp_path)
    other = tmp_path / "other.db"
    with sqlite3.connect(other) as c:
        c.execute("CREATE TABLE t(x)")
    c.close()
    raises(lottrack.NotAStoreError, lottrack.Tracker.open, other)
    store = tmp_path / "new.lottrack"
    lottrack.Tracker.open(store).close()
    c = sqlite3.connect(store)  # lottrack has closed the file: safe to open it here
    c.execute("UPDATE lottrack_meta SET value = 99 WHERE key = 'schema_version'")
    c.commit()
    c.close()
    e = raises(lottrack.SchemaTooNewError, lottrack.Tracker.open, store)
    assert (e.found, e.supported) == (99, 1)


def test_conflict_error(tmp_path: Path) -> None:
    path = tmp_path / "shared.lottrack"
    a = lottrack.Tracker.open(path)
    b = lottrack.Tracker.open(path, max_conflict_retries=0)
    a.receive(product="rice", lot="R", quantity=10, uom="kg", location="x", time=at(1))
    e = raises(lottrack.ConflictError, b.receive, product="rice", lot="S", quantity=1,
               uom="kg", location="x", time=at(1))
    assert e.detail
    assert b.sync() == 1  # catches up; the retry then succeeds
    b.receive(product="rice", lot="S", quantity=1, uom="kg", location="x", time=at(1))
    # with retries (the default) a stale writer catches up and validates again
    c = lottrack.Tracker.open(path)
    assert c.event_count == 2
    a.ship(product="rice", lot="R", quantity=10, uom="kg", location="x", customer="c",
           time=at(2))
    raises(lottrack.InsufficientStockError, c.ship, product="rice", lot="R", quantity=1,
           uom="kg", location="x", customer="d", time=at(3))
    assert c.event_count == 3
    for tr in (a, b, c):
        tr.close()


def test_exception_objects(stocked: lottrack.Tracker) -> None:
    with pytest.raises(lottrack.InsufficientStockError) as info:
        stocked.ship(product="flour", lot="A", quantity=11, uom="kg", location="x",
                     customer="c", time=at(2), event_id="S")
    e = info.value
    assert e.code == 10 and e.args == (e.message,)
    again = pickle.loads(pickle.dumps(e))
    assert type(again) is type(e) and str(again) == str(e) and again.requested == Decimal(11)
    with pytest.raises(lottrack.UnknownLotError) as k:
        stocked.on_hand("flour", "nope")
    assert isinstance(k.value, KeyError) and repr(k.value).startswith("UnknownLotError(")
    plain = lottrack.LotTrackError("custom", extra=1)
    assert str(plain) == "custom" and plain.extra == 1  # type: ignore[attr-defined]


def test_postgres_unavailable_is_clear() -> None:
    if lottrack.Tracker.postgres_support:
        pytest.skip("built with the postgres feature")
    with pytest.raises(NotImplementedError, match="postgres"):
        lottrack.Tracker.open_postgres("host=127.0.0.1")
