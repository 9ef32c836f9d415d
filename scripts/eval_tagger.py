"""Evaluate the tagger on the hand-labelled passages of tests/eval/passages.yaml.

Prints precision, recall and F1 (micro-averaged over passages, document-level sets) per entity
type and overall, as a markdown table. ``--errors`` lists every disagreement.

    .venv/bin/python scripts/eval_tagger.py [--errors] [--passages PATH] [--watchlist PATH]
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

import yaml  # noqa: E402

from config.watchlist_loader import load_watchlist  # noqa: E402
from extractors.tagger import Tagger  # noqa: E402

TYPES = ("states", "places", "officials", "groups")
PASSAGES = ROOT / "tests" / "eval" / "passages.yaml"
WATCHLIST = ROOT / "config" / "watchlist.yaml"


@dataclass
class Score:
    tp: int = 0
    fp: int = 0
    fn: int = 0

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


@dataclass
class Report:
    scores: dict[str, Score]
    errors: list[str] = field(default_factory=list)
    n: int = 0
    by_lang: dict[str, dict[str, Score]] = field(default_factory=dict)


def load_passages(path: Path = PASSAGES) -> list[dict[str, Any]]:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    return list(data["passages"])


def predict(tagger: Tagger, p: dict[str, Any]) -> dict[str, set[str]]:
    day = p.get("date")
    if isinstance(day, str):
        day = dt.date.fromisoformat(day)
    res = tagger.tag(p["text"], published=day)
    return {
        "states": {s.id for s in res.states},
        "places": set(res.places),
        "officials": {o.id for o in res.officials},
        "groups": {g.id for g in res.groups},
    }


def evaluate(passages: Path = PASSAGES, watchlist: Path = WATCHLIST) -> Report:
    tagger = Tagger(load_watchlist(watchlist))
    items = load_passages(passages)
    scores = {t: Score() for t in (*TYPES, "overall")}
    by_lang: dict[str, dict[str, Score]] = {}
    errors: list[str] = []
    for p in items:
        pred = predict(tagger, p)
        lang = by_lang.setdefault(p["lang"], {t: Score() for t in (*TYPES, "overall")})
        for t in TYPES:
            gold = set(p.get(t) or [])
            got = pred[t]
            tp, fp, fn = len(gold & got), len(got - gold), len(gold - got)
            for sc in (scores[t], scores["overall"], lang[t], lang["overall"]):
                sc.tp += tp
                sc.fp += fp
                sc.fn += fn
            if fp or fn:
                errors.append(
                    f"{p['id']} {t}: missing {sorted(gold - got)} extra {sorted(got - gold)}"
                )
    return Report(scores, errors, len(items), by_lang)


def table(scores: dict[str, Score]) -> str:
    lines = ["| type | P | R | F1 | TP | FP | FN |", "|---|---|---|---|---|---|---|"]
    for t, sc in scores.items():
        lines.append(
            f"| {t} | {sc.precision:.3f} | {sc.recall:.3f} | {sc.f1:.3f} | {sc.tp} | {sc.fp} "
            f"| {sc.fn} |"
        )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--errors", action="store_true", help="list every disagreement")
    ap.add_argument("--by-lang", action="store_true", help="one table per language too")
    ap.add_argument("--passages", type=Path, default=PASSAGES)
    ap.add_argument("--watchlist", type=Path, default=WATCHLIST)
    args = ap.parse_args(argv)
    rep = evaluate(args.passages, args.watchlist)
    print(f"Tagger evaluation on {rep.n} passages ({args.passages.name})\n")
    print(table(rep.scores))
    if args.by_lang:
        for lang, sc in sorted(rep.by_lang.items()):
            print(f"\n{lang}:\n")
            print(table(sc))
    if args.errors:
        print()
        for e in rep.errors:
            print("-", e)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
