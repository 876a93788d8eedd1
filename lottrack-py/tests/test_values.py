"""Python values in and out: exact decimals, floats, aware times, calendar dates."""

from __future__ import annotations

import math
from datetime import date, datetime, timedelta, timezone
from decimal import Decimal

import pytest

import lottrack
from conftest import at


@pytest.mark.parametrize("a, b, c", [
    (Decimal("0.1"), Decimal("0.2"), Decimal("0.3")),
    ("0.1", "0.2", "0.3"),
    (0.1, 0.2, 0.3),  # floats: their shortest repr, '0.1', is what is recorded
])
def test_decimal_exactness(t: lottrack.Tracker, a: object, b: object, c: object) -> None:
    t.receive(product="oil", lot="O", quantity=a, uom="l", location="x", time=at(1))
    t.receive(product="oil", lot="O", quantity=b, uom="l", location="x", time=at(1, 9))
    t.ship(product="oil", lot="O", quantity=c, uom="l", location="x", customer="c",
           time=at(1, 10))
    assert t.on_hand("oil", "O").to_list() == []
    mb = t.mass_balance("oil", "O")
    assert mb.received == Decimal("0.3") and isinstance(mb.received, Decimal)
    assert mb.on_hand == Decimal("0") and mb.unaccounted == Decimal("0") and mb.closes
    assert mb.to_dict()["on_hand"] == "0"


def test_floats_read_as_shortest_repr(t: lottrack.Tracker) -> None:
    for q in (0.5, 2.25, 1e-7, 1e16, 3.0):
        t.receive(product="p", lot=repr(q), quantity=q, uom="kg", location="x", time=at(1))
        assert t.mass_balance("p", repr(q)).received == Decimal(repr(q))
    for bad in (math.nan, math.inf, -math.inf):
        with pytest.raises(lottrack.InvalidFieldError, match="finite") as e:
            t.receive(product="p", lot="L", quantity=bad, uom="kg", location="x", time=at(1))
        assert e.value.field == "quantity" and isinstance(e.value, ValueError)
    with pytest.raises(lottrack.InvalidFieldError, match="exact decimal"):
        t.receive(product="p", lot="L", quantity=1e-30, uom="kg", location="x", time=at(1))
    with pytest.raises(lottrack.InvalidFieldError):
        t.record({"kind": "receive", "time": at(1), "location": "x", "product": "p",
                  "lot": "L", "quantity": math.nan, "uom": "kg"})
    with pytest.raises(TypeError):
        t.receive(product="p", lot="L", quantity=True, uom="kg", location="x", time=at(1))
    with pytest.raises(TypeError):
        t.receive(product="p", lot="L", quantity=[1], uom="kg", location="x",  # type: ignore
                  time=at(1))
    with pytest.raises(lottrack.InvalidFieldError, match="not a finite decimal"):
        t.receive(product="p", lot="L", quantity=Decimal("NaN"), uom="kg", location="x",
                  time=at(1))


def test_big_ints_and_scientific_strings(t: lottrack.Tracker) -> None:
    t.receive(product="p", lot="L", quantity=10**20, uom="kg", location="x", time=at(1))
    t.receive(product="p", lot="M", quantity="1e3", uom="kg", location="x", time=at(1))
    assert t.mass_balance("p", "L").received == Decimal(10**20)
    assert t.mass_balance("p", "M").received == Decimal(1000)


def test_naive_datetimes_are_rejected(t: lottrack.Tracker) -> None:
    naive = datetime(2026, 3, 1, 8, 0)
    with pytest.raises(lottrack.InvalidTimeError, match="naive") as e:
        t.receive(product="p", lot="L", quantity=1, uom="kg", location="x", time=naive)
    assert e.value.field == "time" and isinstance(e.value, ValueError)
    assert "2026-03-01T08:00:00" in str(e.value)
    t.receive(product="p", lot="L", quantity=1, uom="kg", location="x", time=at(1))
    with pytest.raises(lottrack.InvalidTimeError) as e:
        t.trace_forward("p", "L", as_of=naive)
    assert e.value.field == "as_of"
    for kw in ("since", "until"):
        with pytest.raises(lottrack.InvalidTimeError, match=kw):
            t.trace_backward("p", "L", **{kw: naive})
    with pytest.raises(lottrack.InvalidTimeError, match="`time`"):
        t.record({"kind": "receive", "time": naive, "location": "x", "product": "p",
                  "lot": "L", "quantity": 1, "uom": "kg"})
    with pytest.raises(lottrack.InvalidTimeError):
        t.execute_recall([("p", "L")], time=naive)
    with pytest.raises(lottrack.InvalidTimeError):
        t.define_party("x", time=naive)
    with pytest.raises(lottrack.InvalidTimeError, match="2026-03-01T08:00:00"):
        t.receive(product="p", lot="L", quantity=1, uom="kg", location="x",
                  time="2026-03-01T08:00:00")
    with pytest.raises(TypeError):
        t.receive(product="p", lot="L", quantity=1, uom="kg", location="x",
                  time=1234567890)  # type: ignore[arg-type]


def test_times_keep_their_offset(t: lottrack.Tracker) -> None:
    ist = timezone(timedelta(hours=5, minutes=30))
    t.receive(product="p", lot="L", quantity=1, uom="kg", location="x",
              time=datetime(2026, 3, 1, 8, 0, 0, 250000, tzinfo=ist), event_id="E")
    ev = t.event("E")
    assert ev.time == datetime(2026, 3, 1, 8, 0, 0, 250000, tzinfo=ist)
    assert ev.time.utcoffset() == timedelta(hours=5, minutes=30)
    try:
        from zoneinfo import ZoneInfo
        berlin = ZoneInfo("Europe/Berlin")
    except Exception:  # no tz database on this machine
        return
    t.receive(product="p", lot="L", quantity=1, uom="kg", location="x",
              time=datetime(2026, 7, 1, 8, 0, tzinfo=berlin), event_id="S")
    assert t.event("S").to_dict()["time"] == "2026-07-01T08:00:00+02:00"


def test_dates_are_calendar_dates(t: lottrack.Tracker) -> None:
    t.receive(product="p", lot="L", quantity=1, uom="kg", location="x", time=at(1),
              expiry=date(2026, 3, 15), production_date="2026-02-01")
    info = t.lot("p", "L")
    assert info.expiry == date(2026, 3, 15) and type(info.expiry) is date
    with pytest.raises(lottrack.InvalidFieldError, match="calendar date") as e:
        t.receive(product="p", lot="M", quantity=1, uom="kg", location="x", time=at(1),
                  expiry=datetime(2026, 3, 15, tzinfo=timezone.utc))
    assert e.value.field == "expiry"
    with pytest.raises(lottrack.InvalidFieldError, match="expiry"):
        t.receive(product="p", lot="M", quantity=1, uom="kg", location="x", time=at(1),
                  expiry="15/03/2026")
    with pytest.raises(lottrack.InvalidFieldError):
        t.expiring_before("tomorrow")
    with pytest.raises(TypeError):
        t.expiring_before(20260315)  # type: ignore[arg-type]
