"""The PostgreSQL store, when built with it and LOTTRACK_TEST_PG names a server."""

from __future__ import annotations

import os
import time

import pytest

import lottrack
from conftest import at

DSN = os.environ.get("LOTTRACK_TEST_PG")

pytestmark = [
    pytest.mark.skipif(not lottrack.Tracker.postgres_support,
                       reason="lottrack built without the postgres feature"),
    pytest.mark.skipif(not DSN, reason="LOTTRACK_TEST_PG names no PostgreSQL server"),
]


@pytest.fixture
def schema() -> str:
    return f"lt_py_{os.getpid()}_{time.time_ns()}"


def test_postgres_roundtrip_and_conflict(schema: str) -> None:
    assert DSN
    a = lottrack.Tracker.open_postgres(DSN, schema=schema)
    assert a.store == a.describe() and a.describe().startswith("postgres://")
    assert a.describe().endswith(f"?schema={schema}")
    b = lottrack.Tracker.open_postgres(DSN, schema=schema, max_conflict_retries=0)
    a.receive(product="rice", lot="R", quantity=10, uom="kg", location="x", time=at(1))
    with pytest.raises(lottrack.ConflictError):
        b.receive(product="rice", lot="S", quantity=1, uom="kg", location="x", time=at(1))
    assert b.sync() == 1
    c = lottrack.Tracker.open_postgres(DSN, schema=schema)
    a.ship(product="rice", lot="R", quantity=10, uom="kg", location="x", customer="c",
           time=at(2))
    with pytest.raises(lottrack.InsufficientStockError):  # c catches up, validates again
        c.ship(product="rice", lot="R", quantity=1, uom="kg", location="x", customer="d",
               time=at(2))
    assert c.mass_balance("rice", "R").to_dict() == a.mass_balance("rice", "R").to_dict()
    for t in (a, b, c):
        t.close()


def test_postgres_checkpoint_of_this_process(schema: str, tmp_path) -> None:
    assert DSN
    cp = tmp_path / "plant-1.checkpoint"
    a = lottrack.Tracker.open_postgres(DSN, schema=schema, checkpoint=cp)
    a.receive(product="rice", lot="R", quantity=10, uom="kg", location="x", time=at(1))
    assert a.write_checkpoint().seq == 1
    a.ship(product="rice", lot="R", quantity=4, uom="kg", location="x", customer="c",
           time=at(2))
    a.close()
    b = lottrack.Tracker.open_postgres(DSN, schema=schema, checkpoint=str(cp))
    info = b.open_info()
    assert (info.checkpoint_seq, info.replayed) == (1, 1)
    assert b.mass_balance("rice", "R").on_hand == 6
    b.close()
