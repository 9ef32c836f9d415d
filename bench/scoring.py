"""The article-extraction benchmark's score, as its README describes it.

Texts → Unicode ``\\w+`` tokens (case kept) → multiset of overlapping 4-token shingles (a
text of fewer than 4 tokens gives one shorter shingle, an empty one none) → per page
TP = Σ min(truth, pred), FP = prediction surplus, FN = truth surplus, normalised by their sum;
precision = TP/(TP+FP), recall = TP/(TP+FN), both 1 when FP = FN = 0, 0 when the denominator
is 0. Across pages: mean precision (pages whose prediction has no shingles left out), mean recall
(pages with empty truth left out), F1 = harmonic mean of the two means. Accuracy = fraction of
pages whose token sequence equals the truth's. ± = standard deviation of F1 over 1000 bootstrap
resamples of pages.
"""

from __future__ import annotations

import random
import re
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

_TOKEN_RE = re.compile(r"\w+")
NGRAM = 4


def tokens(text: str | None) -> list[str]:
    return _TOKEN_RE.findall(text or "")


def shingles(text: str | None, n: int = NGRAM) -> Counter[tuple[str, ...]]:
    toks = tokens(text)
    if not toks:
        return Counter()
    if len(toks) < n:
        return Counter([tuple(toks)])
    return Counter(tuple(toks[i : i + n]) for i in range(len(toks) - n + 1))


@dataclass(frozen=True)
class PageScore:
    tp: float
    fp: float
    fn: float
    precision: float
    recall: float
    pred_has_shingles: bool
    truth_has_shingles: bool
    exact: bool


def score_page(truth: str | None, pred: str | None) -> PageScore:
    t, p = shingles(truth), shingles(pred)
    tp = sum((t & p).values())
    fp = sum((p - t).values())
    fn = sum((t - p).values())
    s = tp + fp + fn
    ntp, nfp, nfn = (tp / s, fp / s, fn / s) if s else (0.0, 0.0, 0.0)
    if fp == 0 and fn == 0:
        precision = recall = 1.0
    else:
        precision = ntp / (ntp + nfp) if ntp + nfp else 0.0
        recall = ntp / (ntp + nfn) if ntp + nfn else 0.0
    return PageScore(
        ntp, nfp, nfn, precision, recall, bool(p), bool(t), tokens(truth) == tokens(pred)
    )


@dataclass(frozen=True)
class Score:
    f1: float
    precision: float
    recall: float
    accuracy: float
    f1_std: float  # bootstrap standard deviation
    pages: int


def _aggregate(scores: Sequence[PageScore]) -> tuple[float, float, float]:
    ps = [s.precision for s in scores if s.pred_has_shingles]
    rs = [s.recall for s in scores if s.truth_has_shingles]
    p = sum(ps) / len(ps) if ps else 0.0
    r = sum(rs) / len(rs) if rs else 0.0
    f1 = 2 * p * r / (p + r) if p + r else 0.0
    return f1, p, r


def score(
    truth: Mapping[str, str], pred: Mapping[str, str | None], *, bootstrap: int = 1000
) -> Score:
    """Score predictions for every id of ``truth`` (a missing prediction counts as empty)."""
    pages = [score_page(truth[k], pred.get(k)) for k in sorted(truth)]
    f1, p, r = _aggregate(pages)
    rng = random.Random(0)
    f1s = []
    for _ in range(bootstrap):
        f1s.append(_aggregate([pages[rng.randrange(len(pages))] for _ in pages])[0])
    mean = sum(f1s) / len(f1s) if f1s else f1
    std = (sum((x - mean) ** 2 for x in f1s) / len(f1s)) ** 0.5 if f1s else 0.0
    acc = sum(s.exact for s in pages) / len(pages) if pages else 0.0
    return Score(f1, p, r, acc, std, len(pages))
