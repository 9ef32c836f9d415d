"""Spike detection: the entities whose last-24-hour story count is well above their own baseline.

Spike rule (see :func:`detect_spikes`)
--------------------------------------
For every state, criminal group and official, count the distinct *stories* (story clusters, so
ten syndicated copies of one wire story count once; a place mention counts for its state) that
mention it in the last 24 hours (``c``) and in each of the 14 previous 24-hour windows
(``x1 … x14``; ``mean`` and population ``sd`` of those 14 counts). It is a spike when

    c ≥ 3   and   c ≥ mean + 3·sd            (when sd > 0)
                  c ≥ 3·mean                 (when sd = 0; with mean = 0 any c ≥ 3 counts)

so a state that usually gets one story a day and suddenly gets five stands out even when none
of the five articles would be flagged on its own.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy.orm import Session

from storage import briefs as briefs_db
from storage import spikes as spikes_db

SPIKE_MIN_COUNT = 3
SPIKE_K_SD = 3.0
SPIKE_K_MEAN = 3.0
SPIKE_BASELINE_DAYS = 14


@dataclass(frozen=True)
class Spike:
    entity_type: str
    entity_id: str
    name: str
    count: int  # distinct stories in the last 24 h
    baseline: list[int]  # the 14 previous daily counts, most recent first
    mean: float
    sd: float
    threshold: float
    rule: str
    evidence: list[briefs_db.ArticleBrief] = field(default_factory=list)


def spike_rule_text(
    min_count: int = SPIKE_MIN_COUNT, k_sd: float = SPIKE_K_SD, k_mean: float = SPIKE_K_MEAN
) -> str:
    return (
        f"stories in the last 24 h ≥ {min_count} and ≥ mean + {k_sd:g}·sd of the previous "
        f"{SPIKE_BASELINE_DAYS} daily counts (≥ {k_mean:g}× mean when sd = 0)"
    )


def spike_threshold(
    baseline: Sequence[int],
    *,
    min_count: int = SPIKE_MIN_COUNT,
    k_sd: float = SPIKE_K_SD,
    k_mean: float = SPIKE_K_MEAN,
) -> tuple[float, float, float]:
    """(threshold, mean, sd) for one entity's baseline (population sd)."""
    n = len(baseline)
    mean = sum(baseline) / n if n else 0.0
    sd = math.sqrt(sum((x - mean) ** 2 for x in baseline) / n) if n else 0.0
    bar = mean + k_sd * sd if sd > 0 else k_mean * mean
    return max(float(min_count), bar), mean, sd


def detect_spikes(
    series: Iterable[spikes_db.EntitySeries],
    *,
    min_count: int = SPIKE_MIN_COUNT,
    k_sd: float = SPIKE_K_SD,
    k_mean: float = SPIKE_K_MEAN,
) -> list[Spike]:
    """The entities whose last-24-hour story count is well above their own baseline (module
    docstring); biggest surprise first."""
    out: list[Spike] = []
    rule = spike_rule_text(min_count, k_sd, k_mean)
    for s in series:
        if not s.daily:
            continue
        count, baseline = s.daily[0], list(s.daily[1:])
        bar, mean, sd = spike_threshold(baseline, min_count=min_count, k_sd=k_sd, k_mean=k_mean)
        if count >= min_count and count >= bar:
            out.append(
                Spike(
                    s.entity_type,
                    s.entity_id,
                    s.name,
                    count,
                    baseline,
                    mean,
                    sd,
                    bar,
                    rule,
                    list(s.evidence),
                )
            )
    return sorted(out, key=lambda sp: (-(sp.count - sp.mean) / max(sp.sd, 1.0), sp.name))


def spikes_at(session: Session, now: datetime) -> list[Spike]:
    """Spikes at ``now``, with their evidence articles and names."""
    series = {(s.entity_type, s.entity_id): s for s in spikes_db.entity_series(session, now)}
    found = detect_spikes(series.values())
    full = [
        spikes_db.entity_evidence(session, series[(sp.entity_type, sp.entity_id)], now)
        for sp in found
    ]
    return detect_spikes(full)
