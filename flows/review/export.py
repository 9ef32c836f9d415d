"""The JSON shapes of ``borderwatch review --json`` (documented in the README) and the
timestamps of the web export."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

from flows.review.stories import StateGroup, Story
from storage import briefs as briefs_db


def iso(d: datetime | None) -> str | None:
    return d.astimezone(UTC).isoformat().replace("+00:00", "Z") if d else None


def _ent(e: briefs_db.Entity, with_role: bool = False) -> dict[str, Any]:
    out: dict[str, Any] = {"id": e.id, "name": e.name}
    if with_role:
        out["role"] = e.role
    return out


def article_json(a: briefs_db.ArticleBrief) -> dict[str, Any]:
    return {
        "id": a.id,
        "title": a.title,
        "url": a.url,
        "feed": a.feed,
        "site": a.site,
        "published_at": iso(a.published_at),
        "fetched_at": iso(a.fetched_at),
        "language": a.language,
        "states": [_ent(e) for e in a.states],
        "officials": [_ent(e, True) for e in a.officials],
        "other_officials": [{"name": e.name, "role": e.role} for e in a.other_officials],
        "groups": [_ent(e) for e in a.groups],
        "reasons": a.reasons,
        "review_status": a.review_status,
        "review_note": a.review_note,
        "text_source": a.text_source,
    }


def story_json(group: StateGroup, st: Story) -> dict[str, Any]:
    """One line of ``borderwatch review --json`` (the shape is documented in the README)."""
    return {
        "cluster_id": st.cluster_id,
        "state_group": _ent(group.state) if group.state else None,
        "states": [_ent(e) for e in st.states],
        "headline": st.headline,
        "size": st.size,
        "outlets": st.outlets,
        "status": st.status,
        "articles": [article_json(a) for a in st.articles],
    }


def dumps(obj: Any) -> str:
    return json.dumps(obj, ensure_ascii=False)
