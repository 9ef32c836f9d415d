"""Flagged articles as stories (one per story cluster) grouped under each story's main state: the
shape of the digest and of ``borderwatch review``."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from extractors.models import Mention
from flows.review.highlight import Snippet, clean_spans, make_snippet, pick_mention
from storage import briefs as briefs_db
from storage import review_queue as review_queue_db


@dataclass
class Story:
    cluster_id: int | None
    articles: list[briefs_db.ArticleBrief]  # the flagged ones in the window, oldest first
    outlets: list[str]  # every outlet that carried the story
    size: int  # articles in the whole cluster
    snippet: Snippet
    mention: Mention | None

    @property
    def lead(self) -> briefs_db.ArticleBrief:
        return self.articles[0]

    @property
    def headline(self) -> str:
        return self.lead.title or self.lead.url

    @property
    def when(self) -> datetime:
        return min(a.when for a in self.articles)

    @property
    def states(self) -> list[briefs_db.Entity]:
        return _union(a.states for a in self.articles)

    @property
    def officials(self) -> list[briefs_db.Entity]:
        return _union(a.officials for a in self.articles)

    @property
    def groups(self) -> list[briefs_db.Entity]:
        return _union(a.groups for a in self.articles)

    @property
    def reasons(self) -> list[str]:
        seen: dict[str, None] = {}
        for a in self.articles:
            seen.update(dict.fromkeys(a.reasons))
        return list(seen)

    @property
    def stub(self) -> bool:
        """Every copy in the window holds only its feed's text (issue 19: marked as a stub)."""
        return all(a.is_stub for a in self.articles)

    @property
    def stub_label(self) -> str:
        return self.lead.stub_label if self.stub else ""

    @property
    def important(self) -> bool:
        return any(a.review_status == "important" for a in self.articles)

    @property
    def status(self) -> str:
        """The story's review status: one shared status, else 'mixed'."""
        st = {a.review_status for a in self.articles}
        return st.pop() if len(st) == 1 else "mixed"

    def primary_state(self) -> briefs_db.Entity | None:
        counts: Counter[str] = Counter()
        first: dict[str, briefs_db.Entity] = {}
        for a in self.articles:
            for s in a.states:
                counts[s.id] += 1
                first.setdefault(s.id, s)
        if not counts:
            return None
        best = max(counts.items(), key=lambda kv: (kv[1], -list(first).index(kv[0])))
        return first[best[0]]


@dataclass
class StateGroup:
    state: briefs_db.Entity | None  # None: no state identified
    stories: list[Story]

    @property
    def title(self) -> str:
        return self.state.name if self.state else "No state identified"


def _union(lists: Iterable[list[briefs_db.Entity]]) -> list[briefs_db.Entity]:
    seen: dict[str, briefs_db.Entity] = {}
    for items in lists:
        for e in items:
            seen.setdefault(e.id, e)
    return list(seen.values())


def group_stories(
    articles: Sequence[briefs_db.ArticleBrief],
    *,
    members: dict[int, list[briefs_db.ArticleBrief]],
    sizes: dict[int, int],
    mentions: dict[int, list[Mention]],
    texts: dict[int, str],
) -> list[StateGroup]:
    """Articles → one story per cluster → grouped under each story's main state. States with
    more stories first; within a state important stories first, then newest first."""
    by_cluster: dict[Any, list[briefs_db.ArticleBrief]] = {}
    for a in articles:
        key: Any = a.cluster_id if a.cluster_id is not None else ("a", a.id)
        by_cluster.setdefault(key, []).append(a)
    stories: list[Story] = []
    for key, arts in by_cluster.items():
        cid = key if isinstance(key, int) else None
        everyone = members.get(cid, arts) if cid is not None else arts
        outlets: dict[str, None] = {}
        for a in [*arts, *everyone]:
            if a.outlet:
                outlets[a.outlet] = None
        lead = arts[0]
        span = pick_mention(clean_spans(texts.get(lead.id, ""), mentions.get(lead.id, [])))
        stories.append(
            Story(
                cluster_id=cid,
                articles=arts,
                outlets=list(outlets),
                size=sizes.get(cid, len(everyone)) if cid is not None else 1,
                snippet=make_snippet(texts.get(lead.id, ""), span),
                mention=span,
            )
        )
    groups: dict[str | None, StateGroup] = {}
    for st in stories:
        ps = st.primary_state()
        g = groups.setdefault(ps.id if ps else None, StateGroup(ps, []))
        g.stories.append(st)
    for g in groups.values():
        g.stories.sort(key=lambda s: (not s.important, -s.when.timestamp()))
    return sorted(
        groups.values(), key=lambda g: (g.state is None, -len(g.stories), g.title.casefold())
    )


def collect_stories(
    session: Session, articles: Sequence[briefs_db.ArticleBrief]
) -> list[StateGroup]:
    cids = [a.cluster_id for a in articles if a.cluster_id is not None]
    ids = [a.id for a in articles]
    return group_stories(
        articles,
        members=review_queue_db.cluster_members(session, cids),
        sizes=review_queue_db.cluster_sizes(session, cids),
        mentions=review_queue_db.mentions_for(session, ids),
        texts=review_queue_db.texts_for(session, ids),
    )
