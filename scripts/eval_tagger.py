"""Evaluate the tagger on the hand-labelled passages of tests/eval/passages.yaml.

Prints precision, recall and F1 (micro-averaged over passages, document-level sets) per entity
type and overall, as a markdown table. ``--errors`` lists every disagreement.

    .venv/bin/python scripts/eval_tagger.py [--errors] [--passages PATH] [--watchlist PATH]

Real news (``--real``): scores the labelled real passages in ``../shared/eval/real-news/*.jsonl``
(labelling guide: GUIDE.md there; the text belongs to its publishers and is never copied into
this repository). Exits 0 with a note when the folder is absent.

    .venv/bin/python scripts/eval_tagger.py --real [--split dev|heldout|all] [--errors]

* Split (frozen before any rule was tuned on the set): a passage is HELD OUT iff the lowest bit
  of the last byte of ``sha256(id)`` is 1 (:func:`is_held_out`); the rest is the DEV half.
  ``--errors`` refuses the held-out split (and ``all``): tune on the dev half only.
* Types: ``states`` = ``states`` + ``states_via_place`` of the gold against every state the
  tagger tags (directly or through a place); ``officials`` = ``officials`` (listed and unlisted,
  matched by name: the shorter name's words, particles dropped, are all in the longer one, or
  the first given name and a surname agree); a predicted official matching a name in
  ``officials_role_only`` is neither a hit nor an error (the guide: accept or ignore, never
  require); ``groups`` = gold canonical names mapped to watchlist groups through their names
  and aliases (accent-, case- and punctuation-insensitive), a gold group the watchlist does not
  know is a miss; ``flagged`` = the passage flag as a positive class.
* The imported ``extractors``/``config`` win over this checkout when given in PYTHONPATH (the
  base tagger can be scored with ``PYTHONPATH=<base checkout>``); the script prints which
  tagger module it used. The default watchlist is the one next to the imported ``config``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import json
import os
import sys
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.append(str(ROOT))  # after PYTHONPATH: a base checkout given there wins

import yaml  # noqa: E402

import config.watchlist_loader as _wl_loader  # noqa: E402
import extractors.tagger as _tagger_mod  # noqa: E402
from config.watchlist_loader import load_watchlist  # noqa: E402
from config.watchlist_model import Watchlist  # noqa: E402
from extractors.tagger import Tagger  # noqa: E402

TYPES = ("states", "places", "officials", "groups")
PASSAGES = ROOT / "tests" / "eval" / "passages.yaml"
WATCHLIST = Path(_wl_loader.__file__).resolve().parent / "watchlist.yaml"
REAL_TYPES = ("states", "officials", "groups", "flagged")


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


# --------------------------------------------------------------------------- real news


def real_news_dir() -> Path:
    """``../shared/eval/real-news`` next to this checkout (env BORDERWATCH_SHARED overrides)."""
    base = os.environ.get("BORDERWATCH_SHARED")
    shared = Path(base) if base else ROOT.parent / "shared"
    if not shared.is_dir():
        shared = Path("/work/shared")
    return shared / "eval" / "real-news"


def is_held_out(pid: str) -> bool:
    """The frozen split: held out iff the low bit of sha256(id)'s last byte is 1."""
    return bool(hashlib.sha256(pid.encode("utf-8")).digest()[-1] & 1)


def load_real(folder: Path, split: str = "all") -> list[dict[str, Any]]:
    items: list[dict[str, Any]] = []
    for f in sorted(folder.glob("*.jsonl")):
        for line in f.read_text(encoding="utf-8").splitlines():
            if line.strip():
                p = json.loads(line)
                p["_stratum"] = f.stem
                items.append(p)
    if split == "dev":
        return [p for p in items if not is_held_out(p["id"])]
    if split == "heldout":
        return [p for p in items if is_held_out(p["id"])]
    return items


def _fold(s: str) -> str:
    s = unicodedata.normalize("NFKD", s.casefold())
    s = "".join(c for c in s if not unicodedata.combining(c))
    return " ".join("".join(c if c.isalnum() else " " for c in s).split())


_PARTICLES = frozenset({"de", "del", "la", "las", "los", "y", "the", "jr", "sr"})


def _name_words(s: str) -> list[str]:
    return [w for w in _fold(s).split() if w not in _PARTICLES]


def same_person(a: str, b: str) -> bool:
    """Two names of one person: the shorter's words all in the longer (two words at least),
    or the same first given name and one more word in common."""
    wa, wb = _name_words(a), _name_words(b)
    if not wa or not wb:
        return False
    short, long_ = (wa, wb) if len(wa) <= len(wb) else (wb, wa)
    if len(short) >= 2 and set(short) <= set(long_):
        return True
    if len(short) == 1:
        return short == long_
    return wa[0] == wb[0] and len(set(wa[1:]) & set(wb[1:])) >= 1


def _entity_index(wl: Watchlist) -> tuple[dict[str, str], dict[str, str]]:
    states: dict[str, str] = {}
    for st in wl.states:
        for n in (st.name, st.name_en, *st.aliases, *st.exact_aliases):
            if n:
                states.setdefault(_fold(n), st.id)
    groups: dict[str, str] = {}
    for g in wl.groups:
        for n in (g.name, g.name_en, *g.aliases, *g.exact_aliases):
            if n:
                groups.setdefault(_fold(n), g.id)
                groups.setdefault(_fold(n.replace("Cártel", "Cartel")), g.id)
    return states, groups


def _official_names(wl: Watchlist) -> dict[str, tuple[str, ...]]:
    return {o.id: (o.name, *o.aliases, *o.exact_aliases) for o in wl.officials}


@dataclass
class RealReport:
    n: int
    scores: dict[str, Score]
    by_lang: dict[str, dict[str, Score]]
    errors: list[str]


def _add(scs: list[Score], tp: int, fp: int, fn: int) -> None:
    for sc in scs:
        sc.tp += tp
        sc.fp += fp
        sc.fn += fn


def evaluate_real(items: list[dict[str, Any]], watchlist: Path = WATCHLIST) -> RealReport:
    wl = load_watchlist(watchlist)
    tagger = Tagger(wl)
    state_ix, group_ix = _entity_index(wl)
    off_names = _official_names(wl)
    scores = {t: Score() for t in REAL_TYPES}
    by_lang: dict[str, dict[str, Score]] = {}
    errors: list[str] = []
    for p in items:
        lang = by_lang.setdefault(p["lang"], {t: Score() for t in REAL_TYPES})
        res = tagger.tag(p["text"], published=dt.date.fromisoformat(p["date"]))
        # states
        gold_s = {
            state_ix.get(_fold(n), "?" + n)
            for n in (*(p.get("states") or []), *(p.get("states_via_place") or []))
        }
        got_s = {s.id for s in res.states}
        _add([scores["states"], lang["states"]], *_diff(gold_s, got_s))
        if gold_s != got_s:
            errors.append(
                f"{p['id']} states: missing {sorted(gold_s - got_s)} extra {sorted(got_s - gold_s)}"
            )
        # groups
        gold_g = {group_ix.get(_fold(n), "?" + n) for n in p.get("groups") or []}
        got_g = {g.id for g in res.groups}
        _add([scores["groups"], lang["groups"]], *_diff(gold_g, got_g))
        if gold_g != got_g:
            errors.append(
                f"{p['id']} groups: missing {sorted(gold_g - got_g)} extra {sorted(got_g - gold_g)}"
            )
        # officials
        got_o = (*res.officials, *getattr(res, "other_officials", ()))
        tp, fp, missing, extra = _match_officials(p, got_o, off_names)
        _add([scores["officials"], lang["officials"]], tp, fp, len(missing))
        if missing or extra:
            errors.append(f"{p['id']} officials: missing {missing} extra {extra}")
        # flagged
        g, f = bool(p.get("flagged")), bool(res.flagged)
        _add([scores["flagged"], lang["flagged"]], int(g and f), int(f and not g), int(g and not f))
        if g != f:
            errors.append(f"{p['id']} flagged: gold {g} got {f} ({', '.join(res.reasons)})")
    return RealReport(len(items), scores, by_lang, errors)


def _diff(gold: set[str], got: set[str]) -> tuple[int, int, int]:
    return len(gold & got), len(got - gold), len(gold - got)


def _match_officials(
    p: dict[str, Any], got: Any, off_names: dict[str, tuple[str, ...]]
) -> tuple[int, int, list[str], list[str]]:
    gold = list(p.get("officials") or [])
    role_only = list(p.get("officials_role_only") or [])
    matched: set[int] = set()
    tp = fp = 0
    extra: list[str] = []
    for o in got:
        names = off_names.get(o.id, ()) if o.id else ()
        names = (o.name, *names)
        hit = next(
            (
                i
                for i, g in enumerate(gold)
                if i not in matched and any(same_person(g, n) for n in names)
            ),
            None,
        )
        if hit is not None:
            matched.add(hit)
            tp += 1
        elif any(same_person(r, n) for r in role_only for n in names):
            continue  # role-only label: accepted, neither hit nor error
        elif any(same_person(g, n) for g in gold for n in names):
            continue  # a second prediction of an already matched person
        else:
            fp += 1
            extra.append(o.name)
    missing = [g for i, g in enumerate(gold) if i not in matched]
    return tp, fp, missing, extra


def real_table(scores: dict[str, Score]) -> str:
    lines = ["| type | P | R | F1 | TP | FP | FN |", "|---|---|---|---|---|---|---|"]
    for t, sc in scores.items():
        lines.append(
            f"| {t} | {sc.precision:.3f} | {sc.recall:.3f} | {sc.f1:.3f} | {sc.tp} | {sc.fp} "
            f"| {sc.fn} |"
        )
    return "\n".join(lines)


def main_real(split: str, errors: bool, watchlist: Path) -> int:
    folder = real_news_dir()
    if not folder.is_dir() or not any(folder.glob("*.jsonl")):
        print(f"real-news set not found at {folder}: skipped")
        return 0
    if errors and split in ("heldout", "all"):
        print("--errors is refused for the held-out half (and 'all'): tune on the dev half only")
        return 2
    print(f"tagger module: {_tagger_mod.__file__}\nwatchlist: {watchlist}")
    splits = ("dev", "heldout") if split == "both" else (split,)
    for sp in splits:
        rep = evaluate_real(load_real(folder, sp), watchlist)
        print(f"\nReal news, {sp} half: {rep.n} passages\n")
        print(real_table(rep.scores))
        for lang, sc in sorted(rep.by_lang.items()):
            print(f"\n{sp} / {lang}:\n")
            print(real_table(sc))
        if errors and sp == "dev":  # never the held-out half's errors
            print()
            for e in rep.errors:
                print("-", e)
    return 0


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--errors", action="store_true", help="list every disagreement")
    ap.add_argument("--by-lang", action="store_true", help="one table per language too")
    ap.add_argument("--passages", type=Path, default=PASSAGES)
    ap.add_argument("--watchlist", type=Path, default=WATCHLIST)
    ap.add_argument("--real", action="store_true", help="score ../shared/eval/real-news")
    ap.add_argument(
        "--split",
        choices=("dev", "heldout", "both", "all"),
        default="both",
        help="real news: which half (held out = low bit of sha256(id) set)",
    )
    args = ap.parse_args(argv)
    if args.real:
        return main_real(args.split, args.errors, args.watchlist)
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
