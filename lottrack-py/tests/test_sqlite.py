"""The SQLite store from Python: reopening gives the same answers."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import lottrack
from conftest import DESIGN_EVENTS, VOID_E3, at


def answers(t: lottrack.Tracker) -> dict:
    return {
        "forward": t.trace_forward("spinach", "F-100").to_dict(),
        "backward": t.trace_backward("salad", "S-1").to_dict(),
        "balance": [t.mass_balance(*k).to_dict() for k in (("spinach", "F-100"),
                                                             ("salad", "S-1"))],
        "recall": t.recall([("spinach", "F-100")]).to_dict(),
        "inventory": t.inventory().to_list(),
        "history": t.history("salad", "S-1").to_list(),
        "counts": (t.event_count, t.lot_count, t.last_seq),
    }


def test_reopen_gives_the_same_answers(db: Path) -> None:
    with lottrack.Tracker.open(db) as t:
        assert t.store == t.describe() == f"sqlite:{db}"
        for ev in DESIGN_EVENTS:
            t.record(ev)
        t.set_status([("salad", "S-1")], "hold", time=at(4))
        t.record(VOID_E3)
        before = answers(t)
    assert t.closed and repr(t) == f"<Tracker sqlite:{db}: closed>"
    with pytest.raises(ValueError, match="closed"):
        t.describe()
    with lottrack.Tracker.open(str(db), synchronous="normal") as again:
        assert answers(again) == before
        assert again.lot("salad", "S-1").status == "on_hold"
        again.ship(product="salad", lot="S-1", quantity=10, uom="each", location="plant-1",
                   customer="c", time=at(5))
    third = lottrack.Tracker.open(db)
    assert third.mass_balance("salad", "S-1").shipped == 10
    third.close()
    with pytest.raises(ValueError):
        lottrack.Tracker.open(db, synchronous="sometimes")


def test_two_trackers_on_one_file(db: Path) -> None:
    a = lottrack.Tracker.open(db)
    b = lottrack.Tracker.open(db, lenient=True)
    assert b.lenient
    a.record_json(json.dumps(DESIGN_EVENTS[0]))
    assert b.event_count == 0 and b.sync() == 1 and b.event_count == 1
    a.close()
    b.close()


def test_export_then_import_into_sqlite(design: lottrack.Tracker, tmp_path: Path) -> None:
    src = tmp_path / "e.jsonl"
    design.export_jsonl(src)
    with lottrack.Tracker.open(tmp_path / "imp.lottrack") as t:
        assert t.import_jsonl(src).recorded == 3
        assert answers(t) == answers(design)


def test_a_checkpoint_is_loaded_on_open(db: Path) -> None:
    with lottrack.Tracker.open(db) as t:
        for ev in DESIGN_EVENTS:
            t.record(ev)
        info = t.write_checkpoint()
        assert isinstance(info, lottrack.CheckpointInfo)
        assert info.seq == len(DESIGN_EVENTS)
        assert info.path == f"{db}.checkpoint"
        assert Path(info.path).stat().st_size == info.bytes
        assert info.to_dict() == {"path": info.path, "seq": info.seq, "bytes": info.bytes}
        t.record(VOID_E3)
        before = answers(t)
    with lottrack.Tracker.open(db) as again:
        opened = again.open_info()
        assert (opened.checkpoint_seq, opened.replayed, opened.checkpoint_skipped) == (
            len(DESIGN_EVENTS), 1, None)
        assert answers(again) == before
    # A damaged checkpoint is ignored: the whole log is replayed, and why is said.
    # (Its header, magic and format version, kept: only what follows is bad.)
    checkpoint = Path(f"{db}.checkpoint")
    checkpoint.write_bytes(checkpoint.read_bytes()[:12] + b"garbage")
    with lottrack.Tracker.open(db) as third:
        opened = third.open_info()
        assert opened.checkpoint_seq is None
        assert opened.replayed == len(DESIGN_EVENTS) + 1
        assert "damaged" in (opened.checkpoint_skipped or "")
        assert answers(third) == before
    with pytest.raises(lottrack.StorageError, match="keeps no checkpoint"):
        lottrack.Tracker().write_checkpoint()
    assert lottrack.Tracker().open_info().replayed == 0
