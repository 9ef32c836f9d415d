"""The morning digest: the flagged stories that arrived since the previous digest, grouped by
state (:mod:`flows.review.stories`), the spikes (:mod:`flows.review.spikes`), the map and chart
of the last 7 days (:mod:`flows.review.charts`), rendered as Markdown, HTML
(templates/digest.html) or a short notification summary. :func:`collect_digest` reads through
storage; the rest is pure."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from jinja2 import Environment, FileSystemLoader, select_autoescape
from markupsafe import Markup
from sqlalchemy.orm import Session

from flows.review import charts
from flows.review.highlight import md_escape
from flows.review.spikes import Spike, spike_rule_text, spikes_at
from flows.review.stories import StateGroup, Story, collect_stories
from storage import review_queue as review_queue_db
from storage import stories as sr

TEMPLATES = Path(__file__).resolve().parent / "templates"


@dataclass
class Digest:
    generated_at: datetime
    since: datetime | None
    until: datetime
    timezone: str
    groups: list[StateGroup]
    spikes: list[Spike]
    # the picture (issue 17): static inline SVG map of the last 7 days and the 7-day chart,
    # and the web overview's address for the digest's period
    map_svg: Markup | None = None
    chart_svg: Markup | None = None
    overview_url: str | None = None

    @property
    def local_date(self) -> str:
        return self.generated_at.astimezone(ZoneInfo(self.timezone)).date().isoformat()

    @property
    def stories(self) -> int:
        return sum(len(g.stories) for g in self.groups)

    @property
    def articles(self) -> int:
        return sum(len(s.articles) for g in self.groups for s in g.stories)

    def local(self, d: datetime | None) -> str:
        if d is None:
            return "the beginning"
        return d.astimezone(ZoneInfo(self.timezone)).strftime("%Y-%m-%d %H:%M")


def collect_digest(
    session: Session,
    *,
    since: datetime | None,
    now: datetime,
    timezone: str,
    web_url: str | None = None,
) -> Digest:
    """Flagged articles that arrived since the previous digest (dismissed ones left out), as
    stories grouped by state, the spikes at ``now``, the map of the last 7 days and the
    7-day chart; ``web_url`` (``http://host:port``) makes the link to the web overview."""
    arts = review_queue_db.flagged_articles(
        session, since=since, until=now, exclude_statuses=("dismissed",)
    )
    spikes = spikes_at(session, now)
    map_svg, chart_svg = digest_pictures(session, now, timezone, spikes, web_url=web_url)
    overview_url = None
    if web_url:
        tz = ZoneInfo(timezone)
        first = (since or now - timedelta(days=7)).astimezone(tz).date()
        last = now.astimezone(tz).date()
        overview_url = (
            f"{web_url.rstrip('/')}/overview?window=custom&from={first.isoformat()}"
            f"&to={last.isoformat()}"
        )
    return Digest(
        generated_at=now,
        since=since,
        until=now,
        timezone=timezone,
        groups=collect_stories(session, arts),
        spikes=spikes,
        map_svg=map_svg,
        chart_svg=chart_svg,
        overview_url=overview_url,
    )


def digest_pictures(
    session: Session,
    now: datetime,
    timezone: str,
    spikes: Sequence[Spike] = (),
    *,
    web_url: str | None = None,
) -> tuple[Markup, Markup]:
    """The map of distinct flagged stories per state in the 7 days before ``now`` (spiking
    states badged; with ``web_url`` each state links to its page in the web app) and the
    chart of flagged stories per local day over the last 7 days."""
    tz = ZoneInfo(timezone)
    counts = sr.entity_counts(session, "state", now - timedelta(days=7), now)
    badges = {
        sp.entity_id: f"{sp.count} stories in 24 h" for sp in spikes if sp.entity_type == "state"
    }
    last = now.astimezone(tz).date()
    daily = sr.daily_counts(session, None, None, first=last - timedelta(days=6), last=last, tz=tz)
    base = web_url.rstrip("/") if web_url else None
    map_svg = charts.map_svg(
        counts,
        spikes=badges,
        width=640,
        caption="flagged stories per state, last 7 days",
        href=(lambda sid: f"{base}/entity/state/{sid}") if base else None,
    )
    chart_svg = charts.timeline_svg(
        [d for d, _ in daily],
        [("flagged stories", [n for _, n in daily])],
        width=640,
        height=170,
        caption="flagged stories per day, last 7 days",
    )
    return map_svg, chart_svg


def _entitiesmd_escape(story: Story) -> str:
    parts = []
    for label, ents in (
        ("states", story.states),
        ("groups", story.groups),
        ("officials", story.officials),
    ):
        if ents:
            names = ", ".join(
                md_escape(e.name) + (f" ({md_escape(e.role)})" if e.role else "") for e in ents
            )
            parts.append(f"{label}: {names}")
    return "; ".join(parts) or "none"


def render_markdown(d: Digest) -> str:
    lines = [
        f"# borderwatch digest — {d.local_date}",
        "",
        f"{d.stories} stories ({d.articles} flagged articles) that arrived between "
        f"{d.local(d.since)} and {d.local(d.until)} ({d.timezone}).",
        "",
    ]
    if d.overview_url:
        lines += [f"Map and charts of this period: <{d.overview_url}>", ""]
    if d.spikes:
        lines += ["## Spikes", "", f"Rule: {spike_rule_text()}.", ""]
        for sp in d.spikes:
            lines.append(
                f"- **{md_escape(sp.name)}** ({sp.entity_type}): {sp.count} stories in the last "
                f"24 h; baseline mean {sp.mean:.1f}, sd {sp.sd:.1f} → threshold {sp.threshold:.1f}"
            )
            for a in sp.evidence[:8]:
                lines.append(
                    f"  - [{md_escape(a.title or a.url)}](<{a.url}>) — {md_escape(a.outlet)}"
                )
        lines.append("")
    if not d.groups:
        lines += ["No new flagged stories.", ""]
    for g in d.groups:
        lines += [f"## {md_escape(g.title)} ({len(g.stories)})", ""]
        for st in g.stories:
            flag = "★ " if st.important else ""
            stub = f" ({st.stub_label})" if st.stub else ""
            lines += [
                f"### {flag}[{md_escape(st.headline)}](<{st.lead.url}>){stub}",
                "",
                f"- **Date:** {d.local(st.when)}",
                f"- **Outlets:** {md_escape(', '.join(st.outlets) or '?')}"
                + (f" ({st.size} copies)" if st.size > 1 else ""),
                f"- **Entities:** {_entitiesmd_escape(st)}",
                f"- **Flagged because:** {md_escape('; '.join(st.reasons) or 'flagged')}",
                f"- **Status:** {st.status}",
                "",
                f"> {st.snippet.markdown()}",
                "",
            ]
    return "\n".join(lines).rstrip() + "\n"


def _env() -> Environment:
    env = Environment(
        loader=FileSystemLoader(str(TEMPLATES)),
        autoescape=select_autoescape(["html"]),
        trim_blocks=True,
        lstrip_blocks=True,
    )
    return env


def render_html(d: Digest) -> str:
    return _env().get_template("digest.html").render(d=d, rule=spike_rule_text())


def summary_text(d: Digest, *, max_stories: int = 15) -> str:
    """A short Markdown summary for notifications (apprise)."""
    lines = [f"{d.stories} flagged stories since {d.local(d.since)} ({d.timezone})."]
    if d.spikes:
        lines.append(
            "Spikes: " + ", ".join(f"{sp.name} ({sp.count} stories in 24 h)" for sp in d.spikes)
        )
    n = 0
    for g in d.groups:
        lines.append(f"\n**{g.title}**")
        for st in g.stories:
            if n >= max_stories:
                break
            n += 1
            lines.append(f"- {st.headline} — {', '.join(st.outlets[:3])}")
    if d.stories > n:
        lines.append(f"\n… and {d.stories - n} more.")
    return "\n".join(lines)
