"""``/export.csv`` and ``/export.jsonl``: every article the filter of ``/articles`` matches
(all pages), streamed."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from typing import Any

from fastapi import APIRouter, Request, Response
from fastapi.responses import StreamingResponse

from flows.review.export import iso
from flows.web.deps import Web, WebDep
from storage import search as search_db

router = APIRouter()


def export_rows(web: Web, f: search_db.ArticleFilter) -> Iterator[dict[str, Any]]:
    with web.session() as s:
        for a in search_db.export_articles(s, f):
            yield {
                "id": a.id,
                "published_at": iso(a.published_at),
                "fetched_at": iso(a.fetched_at),
                "feed": a.feed,
                "site": a.site,
                "language": a.language,
                "title": a.title,
                "url": a.url,
                "states": [e.id for e in a.states],
                "groups": [e.id for e in a.groups],
                "officials": [e.id for e in a.officials],
                "reasons": a.reasons,
                "flagged": a.flagged,
                "review_status": a.review_status,
                "review_note": a.review_note,
                "cluster_id": a.cluster_id,
            }


def _cell(v: Any) -> str:
    s = "; ".join(map(str, v)) if isinstance(v, list) else ("" if v is None else str(v))
    # keep spreadsheets from evaluating a cell as a formula
    return "'" + s if s[:1] in ("=", "+", "-", "@", "\t", "\r") else s


@router.get("/export.csv")
def export_csv(request: Request, web: WebDep) -> Response:
    f, _ = web.parse_filter(request)

    def gen() -> Iterator[str]:
        buf = io.StringIO()
        w: Any = None
        for row in export_rows(web, f):
            if w is None:
                w = csv.DictWriter(buf, fieldnames=list(row))
                w.writeheader()
            w.writerow({k: _cell(v) for k, v in row.items()})
            if buf.tell() > 64_000:
                yield buf.getvalue()
                buf.seek(0)
                buf.truncate()
        yield buf.getvalue()

    return StreamingResponse(
        gen(),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": 'attachment; filename="borderwatch.csv"'},
    )


@router.get("/export.jsonl")
def export_jsonl(request: Request, web: WebDep) -> Response:
    f, _ = web.parse_filter(request)
    return StreamingResponse(
        (json.dumps(r, ensure_ascii=False) + "\n" for r in export_rows(web, f)),
        media_type="application/x-ndjson; charset=utf-8",
        headers={"Content-Disposition": 'attachment; filename="borderwatch.jsonl"'},
    )
