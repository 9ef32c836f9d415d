"""The daily digest: collect, write ``<data_dir>/digests/DATE.md`` / ``.html``, notify.

:func:`run_digest` does the work (the CLI calls it directly); :func:`digest` is the Prefect flow
the ``digest`` deployment runs daily (07:00 in ``BORDERWATCH_TIMEZONE``), which also publishes
the Markdown as the artifact ``morning-digest``.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from prefect import flow
from prefect.artifacts import create_markdown_artifact
from sqlalchemy import Engine

from config.settings import Settings
from flows.review.digest import Digest, collect_digest, render_html, render_markdown, summary_text
from flows.review.export import iso
from storage import review_queue as review_queue_db
from storage.db import session_scope
from storage.tables import utcnow

log = logging.getLogger(__name__)
FORMATS = ("md", "html")


@dataclass
class DigestResult:
    digest: Digest
    markdown: str
    paths: list[Path]
    notified: bool | None  # None: no notify URLs configured
    errors: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        d = self.digest
        return {
            "date": d.local_date,
            "since": iso(d.since),
            "until": iso(d.until),
            "stories": d.stories,
            "articles": d.articles,
            "states": [g.title for g in d.groups],
            "spikes": [
                {"type": s.entity_type, "id": s.entity_id, "name": s.name, "count": s.count}
                for s in d.spikes
            ],
            "files": [str(p) for p in self.paths],
            "notified": self.notified,
        }


def digest_path(folder: Path, date: str, ext: str, now: datetime) -> Path:
    """``DATE.ext``; a second digest on the same day gets ``DATE-HHMMSS.ext``."""
    p = folder / f"{date}.{ext}"
    if p.exists():
        p = folder / f"{date}-{now.strftime('%H%M%S')}.{ext}"
    return p


def notify(urls: Sequence[str], title: str, body: str) -> bool:
    """Send to every apprise URL; True when all deliveries succeeded."""
    import apprise

    ap = apprise.Apprise()
    for u in urls:
        if not ap.add(u):
            log.warning("notify: apprise does not understand the URL %s", u.split(":", 1)[0])
            return False
    return bool(ap.notify(title=title, body=body, body_format=apprise.NotifyFormat.MARKDOWN))


def run_digest(
    settings: Settings,
    engine: Engine,
    *,
    since: datetime | None = None,
    formats: Sequence[str] = FORMATS,
    now: datetime | None = None,
    send: bool = True,
) -> DigestResult:
    """Build the digest of flagged stories since ``since`` (default: the previous digest),
    write it, remember this run as the previous digest, and notify."""
    now = now or utcnow()
    with session_scope(engine) as s:
        start = (
            since
            if since is not None
            else review_queue_db.get_marker(s, review_queue_db.LAST_DIGEST)
        )
        host = f"[{settings.web_host}]" if ":" in settings.web_host else settings.web_host
        d = collect_digest(
            s,
            since=start,
            now=now,
            timezone=settings.timezone,
            web_url=f"http://{host}:{settings.web_port}",
        )
    md = render_markdown(d)
    folder = settings.data_dir / "digests"
    folder.mkdir(parents=True, exist_ok=True)
    paths: list[Path] = []
    for ext in formats:
        if ext not in FORMATS:
            raise ValueError(f"unknown digest format {ext!r}")
        p = digest_path(folder, d.local_date, ext, now.astimezone(ZoneInfo(d.timezone)))
        p.write_text(md if ext == "md" else render_html(d), encoding="utf-8")
        paths.append(p)
    with session_scope(engine) as s:
        review_queue_db.set_marker(s, review_queue_db.LAST_DIGEST, now)
    notified: bool | None = None
    errors: list[str] = []
    if send and settings.notify_urls:
        title = f"borderwatch digest {d.local_date}: {d.stories} stories"
        if d.spikes:
            title += f", {len(d.spikes)} spikes"
        try:
            notified = notify(settings.notify_urls, title, summary_text(d))
        except Exception as exc:  # noqa: BLE001 - a failed notification must not lose the digest
            notified = False
            errors.append(f"notify: {type(exc).__name__}: {exc}")
        if not notified and not errors:
            errors.append("notify: at least one notification failed (see the log)")
    return DigestResult(d, md, paths, notified, errors)


@flow(name="digest", log_prints=True)
def digest(since: str | None = None, formats: str = "md,html", send: bool = True) -> dict[str, Any]:
    """The morning digest as a Prefect flow: publishes the artifact ``morning-digest``.
    ``since``: ISO date/time overriding the previous digest's time; ``formats``: files to
    write; ``send``: notify the apprise URLs."""
    from config.settings import load_settings
    from storage.db import database

    settings = load_settings()
    with database(settings) as engine:
        start = datetime.fromisoformat(since) if since else None
        if start is not None and start.tzinfo is None:
            start = start.replace(tzinfo=ZoneInfo(settings.timezone))
        result = run_digest(settings, engine, since=start, formats=formats.split(","), send=send)
    create_markdown_artifact(
        key="morning-digest",
        markdown=result.markdown,
        description=f"borderwatch digest {result.digest.local_date}",
    )
    summary = result.as_dict()
    print(
        f"digest {summary['date']}: {summary['stories']} stories, "
        f"{len(summary['spikes'])} spikes, files {summary['files']}"
    )
    for e in result.errors:
        print(e)
    return summary


def digest_deployment(settings: Settings) -> Any:
    """The ``digest`` deployment `borderwatch serve` registers: ``settings.digest_cron``
    (default 07:00 daily) in ``settings.timezone`` (default America/Mexico_City)."""
    from prefect.schedules import Cron

    return digest.to_deployment(
        name="digest",
        schedule=Cron(settings.digest_cron, timezone=settings.timezone),
        description="The morning digest of flagged stories (artifact morning-digest)",
    )
