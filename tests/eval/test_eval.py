"""The evaluation set: its shape, and the tagger's precision / recall on it."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

import pytest

ROOT = Path(__file__).resolve().parents[2]


def _load_eval() -> ModuleType:
    spec = importlib.util.spec_from_file_location(
        "eval_tagger", ROOT / "scripts" / "eval_tagger.py"
    )
    assert spec is not None and spec.loader is not None
    mod = importlib.util.module_from_spec(spec)
    sys.modules["eval_tagger"] = mod
    spec.loader.exec_module(mod)
    return mod


ev = _load_eval()


@pytest.fixture(scope="module")
def report():  # type: ignore[no-untyped-def]
    return ev.evaluate()


def test_set_shape() -> None:
    items = ev.load_passages()
    assert len(items) >= 150
    ids = [p["id"] for p in items]
    assert len(ids) == len(set(ids))
    assert sum(p["lang"] == "es" for p in items) >= 0.40 * len(items)
    assert sum(bool(p["hard"]) for p in items) >= 0.30 * len(items)
    assert sum(not any(p[t] for t in ev.TYPES) for p in items) >= 10  # negatives
    for p in items:
        assert p["lang"] in ("es", "en") and p["text"].strip() and p["date"]
        for t in ev.TYPES:
            assert isinstance(p[t], list), (p["id"], t)


def test_labels_are_watchlist_ids() -> None:
    from config.watchlist_loader import load_watchlist

    wl = load_watchlist(ROOT / "config" / "watchlist.yaml")
    known = {
        "states": {s.id for s in wl.states},
        "places": {p.id for p in wl.places},
        "officials": {o.id for o in wl.officials},
        "groups": {g.id for g in wl.groups},
    }
    place_state = {p.id: p.state for p in wl.places}
    for p in ev.load_passages():
        for t in ev.TYPES:
            assert set(p[t]) <= known[t], (p["id"], t, set(p[t]) - known[t])
        # states include the ones reached through a place
        assert {place_state[x] for x in p["places"]} <= set(p["states"]), p["id"]


def test_thresholds(report) -> None:  # type: ignore[no-untyped-def]
    sc = report.scores
    msg = "\n" + ev.table(sc) + "\n" + "\n".join(report.errors)
    assert sc["states"].precision >= 0.97 and sc["states"].recall >= 0.95, msg
    for t in ("officials", "groups"):
        assert sc[t].precision >= 0.95 and sc[t].recall >= 0.90, msg


# Held-out check: tests/eval/blind2.yaml (88 passages, half Spanish / half English) was written
# and labelled AFTER the first round of tuning on passages.yaml and before the second round of
# rules; its first run (baseline) gave states P 0.855 / R 1.000, officials R 0.852, groups R
# 0.969. The floors below are slightly under what the tagger reaches on it now, so a change
# that only helps passages.yaml but costs held-out accuracy fails here.
BLIND2 = ROOT / "tests" / "eval" / "blind2.yaml"


def test_blind2_shape() -> None:
    items = ev.load_passages(BLIND2)
    assert len(items) >= 80
    assert len({p["id"] for p in items}) == len(items)
    assert sum(p["lang"] == "es" for p in items) >= 0.45 * len(items)
    assert sum(p["lang"] == "en" for p in items) >= 0.45 * len(items)
    assert sum(not any(p[t] for t in ev.TYPES) for p in items) >= 10  # negatives


def test_blind2_thresholds() -> None:
    rep = ev.evaluate(BLIND2)
    sc = rep.scores
    msg = "\n" + ev.table(sc) + "\n" + "\n".join(rep.errors)
    assert sc["states"].precision >= 0.95 and sc["states"].recall >= 0.95, msg
    for t in ("officials", "groups"):
        assert sc[t].precision >= 0.95 and sc[t].recall >= 0.93, msg
