"""The real-news scorer (scripts/eval_tagger.py --real): frozen split, name matching, refusal."""

from __future__ import annotations

import hashlib
import importlib.util
import sys
from pathlib import Path
from types import ModuleType

import pytest

from tests.conftest import shared_path

ROOT = Path(__file__).resolve().parents[2]


def _load() -> ModuleType:
    if "eval_tagger" in sys.modules:
        return sys.modules["eval_tagger"]
    spec = importlib.util.spec_from_file_location(
        "eval_tagger", ROOT / "scripts" / "eval_tagger.py"
    )
    assert spec is not None and spec.loader is not None
    mod = importlib.util.module_from_spec(spec)
    sys.modules["eval_tagger"] = mod
    spec.loader.exec_module(mod)
    return mod


ev = _load()


def test_split_is_the_low_bit_of_sha256() -> None:
    for pid in ("xx-001", "xx-002", "yy-017", "zz-100"):
        expect = hashlib.sha256(pid.encode()).digest()[-1] % 2 == 1
        assert ev.is_held_out(pid) is expect
    # fixed values: the split must never move
    assert [ev.is_held_out(f"t-{i}") for i in range(8)] == [
        hashlib.sha256(f"t-{i}".encode()).digest()[-1] & 1 == 1 for i in range(8)
    ]


def test_same_person() -> None:
    assert ev.same_person("Ana María Pérez Soto", "Ana Pérez")
    assert ev.same_person("Greg Abbott", "Gregory Wayne Abbott") is False  # first names differ
    assert ev.same_person("Gregory Abbott", "Gregory Wayne Abbott")
    assert ev.same_person("José de la Luz Ramos", "Jose Ramos")
    assert not ev.same_person("Juan Pérez", "Pedro Pérez")
    assert not ev.same_person("Pérez", "Juan Pérez")


def test_errors_refused_for_held_out(capsys: pytest.CaptureFixture[str]) -> None:
    folder = shared_path("eval", "real-news")
    assert folder.is_dir()
    assert ev.main(["--real", "--split", "heldout", "--errors"]) == 2
    assert "refused" in capsys.readouterr().out


def test_halves_partition_the_set() -> None:
    folder = shared_path("eval", "real-news")
    every = ev.load_real(folder, "all")
    dev, held = ev.load_real(folder, "dev"), ev.load_real(folder, "heldout")
    assert len(dev) + len(held) == len(every)
    assert {p["id"] for p in dev}.isdisjoint({p["id"] for p in held})
    assert all(ev.is_held_out(p["id"]) for p in held)
