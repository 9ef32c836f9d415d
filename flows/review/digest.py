"""The morning digest and the review queue: grouping into states and stories, snippets with the
mention highlighted, spike detection, Markdown / HTML / JSON rendering. Pure functions, except
:func:`collect_digest` / :func:`collect_stories` which read through storage.review.

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

import json
import math
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from jinja2 import Environment, FileSystemLoader, select_autoescape
from markupsafe import Markup, escape
from sqlalchemy.orm import Session

from storage import review as rv

TEMPLATES = Path(__file__).resolve().parent / "templates"
SPIKE_MIN_COUNT = 3
SPIKE_K_SD = 3.0
SPIKE_K_MEAN = 3.0
SPIKE_BASELINE_DAYS = 14
MENTION_PRIORITY = {"group": 0, "official": 1, "state": 2, "place": 3, "term": 4}
TYPE_LABEL = {"state": "State", "group": "Group", "official": "Official"}


# ---------------------------------------------------------------- highlighting and snippets


def clean_spans(text: str, spans: Iterable[rv.MentionSpan]) -> list[rv.MentionSpan]:
    """Mentions inside the text, sorted, overlaps dropped (the earlier, longer one wins)."""
    out: list[rv.MentionSpan] = []
    end = -1
    for m in sorted(spans, key=lambda m: (m.start, -(m.end - m.start))):
        if m.start < 0 or m.end > len(text) or m.end <= m.start or m.start < end:
            continue
        out.append(m)
        end = m.end
    return out


def highlight_html(text: str, spans: Iterable[rv.MentionSpan]) -> Markup:
    """The text, HTML-escaped, with every mention wrapped in <mark> by its offsets (the text is
    escaped piece by piece *after* slicing, so offsets stay right and nothing in it runs)."""
    parts: list[str] = []
    pos = 0
    for m in clean_spans(text, spans):
        parts.append(str(escape(text[pos : m.start])))
        label = f"{m.entity_type}: {m.entity_id}"
        parts.append(
            f'<mark class="m m-{escape(m.entity_type)}" title="{escape(label)}">'
            f"{escape(text[m.start : m.end])}</mark>"
        )
        pos = m.end
    parts.append(str(escape(text[pos:])))
    html = "".join(parts)
    paragraphs = [p for p in html.split("\n") if p.strip()]
    return Markup("".join(f"<p>{p}</p>" for p in paragraphs))


def pick_mention(spans: Sequence[rv.MentionSpan]) -> rv.MentionSpan | None:
    """The mention a snippet shows: a group, else an official, else a state/place, first one."""
    if not spans:
        return None
    return min(spans, key=lambda m: (MENTION_PRIORITY.get(m.entity_type, 9), m.start))


@dataclass(frozen=True)
class Snippet:
    before: str
    hit: str
    after: str

    def markdown(self) -> str:
        return f"{_md(self.before)}**{_md(self.hit)}**{_md(self.after)}"

    def html(self) -> Markup:
        return Markup(f"{escape(self.before)}<mark>{escape(self.hit)}</mark>{escape(self.after)}")

    def plain(self) -> str:
        return f"{self.before}{self.hit}{self.after}"


def make_snippet(text: str, span: rv.MentionSpan | None, width: int = 110) -> Snippet:
    """About ``width`` characters either side of the mention, cut at word boundaries."""
    if span is None or span.end > len(text) or span.start < 0:
        head = " ".join(text[: 2 * width].split())
        return Snippet(head + ("…" if len(text) > 2 * width else ""), "", "")
    lo, hi = max(0, span.start - width), min(len(text), span.end + width)
    before, after = text[lo : span.start], text[span.end : hi]
    if lo > 0:
        before = "…" + before.split(" ", 1)[-1] if " " in before else "…" + before
    if hi < len(text):
        after = after.rsplit(" ", 1)[0] + "…" if " " in after else after + "…"
    norm = " ".join
    return Snippet(
        norm(before.split()) + (" " if before[-1:].isspace() else ""),
        text[span.start : span.end],
        (" " if after[:1].isspace() else "") + norm(after.split()),
    )


def _md(s: str) -> str:
    """Escape Markdown (and HTML, since Markdown renderers pass it through)."""
    out = s.replace("\\", "\\\\")
    for ch in "`*_[]<>#|":
        out = out.replace(ch, "\\" + ch)
    return " ".join(out.split()) if "\n" in out else out


# ---------------------------------------------------------------- stories grouped by state


@dataclass
class Story:
    cluster_id: int | None
    articles: list[rv.ArticleBrief]  # the flagged ones in the window, oldest first
    outlets: list[str]  # every outlet that carried the story
    size: int  # articles in the whole cluster
    snippet: Snippet
    mention: rv.MentionSpan | None

    @property
    def lead(self) -> rv.ArticleBrief:
        return self.articles[0]

    @property
    def headline(self) -> str:
        return self.lead.title or self.lead.url

    @property
    def when(self) -> datetime:
        return min(a.when for a in self.articles)

    @property
    def states(self) -> list[rv.Entity]:
        return _union(a.states for a in self.articles)

    @property
    def officials(self) -> list[rv.Entity]:
        return _union(a.officials for a in self.articles)

    @property
    def groups(self) -> list[rv.Entity]:
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

    def primary_state(self) -> rv.Entity | None:
        counts: Counter[str] = Counter()
        first: dict[str, rv.Entity] = {}
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
    state: rv.Entity | None  # None: no state identified
    stories: list[Story]

    @property
    def title(self) -> str:
        return self.state.name if self.state else "No state identified"


def _union(lists: Iterable[list[rv.Entity]]) -> list[rv.Entity]:
    seen: dict[str, rv.Entity] = {}
    for items in lists:
        for e in items:
            seen.setdefault(e.id, e)
    return list(seen.values())


def group_stories(
    articles: Sequence[rv.ArticleBrief],
    *,
    members: dict[int, list[rv.ArticleBrief]],
    sizes: dict[int, int],
    mentions: dict[int, list[rv.MentionSpan]],
    texts: dict[int, str],
) -> list[StateGroup]:
    """Articles → one story per cluster → grouped under each story's main state. States with
    more stories first; within a state important stories first, then newest first."""
    by_cluster: dict[Any, list[rv.ArticleBrief]] = {}
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


def collect_stories(session: Session, articles: Sequence[rv.ArticleBrief]) -> list[StateGroup]:
    cids = [a.cluster_id for a in articles if a.cluster_id is not None]
    ids = [a.id for a in articles]
    return group_stories(
        articles,
        members=rv.cluster_members(session, cids),
        sizes=rv.cluster_sizes(session, cids),
        mentions=rv.mentions_for(session, ids),
        texts=rv.texts_for(session, ids),
    )


# ---------------------------------------------------------------- spikes


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
    evidence: list[rv.ArticleBrief] = field(default_factory=list)


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
    series: Iterable[rv.EntitySeries],
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
    series = {(s.entity_type, s.entity_id): s for s in rv.entity_series(session, now)}
    found = detect_spikes(series.values())
    full = [
        rv.entity_evidence(session, series[(sp.entity_type, sp.entity_id)], now) for sp in found
    ]
    return detect_spikes(full)


# ---------------------------------------------------------------- the digest


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
    arts = rv.flagged_articles(session, since=since, until=now, exclude_statuses=("dismissed",))
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
    from flows import charts
    from storage import stories as sr

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


def _entities_md(story: Story) -> str:
    parts = []
    for label, ents in (
        ("states", story.states),
        ("groups", story.groups),
        ("officials", story.officials),
    ):
        if ents:
            names = ", ".join(_md(e.name) + (f" ({_md(e.role)})" if e.role else "") for e in ents)
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
                f"- **{_md(sp.name)}** ({sp.entity_type}): {sp.count} stories in the last 24 h; "
                f"baseline mean {sp.mean:.1f}, sd {sp.sd:.1f} → threshold {sp.threshold:.1f}"
            )
            for a in sp.evidence[:8]:
                lines.append(f"  - [{_md(a.title or a.url)}](<{a.url}>) — {_md(a.outlet)}")
        lines.append("")
    if not d.groups:
        lines += ["No new flagged stories.", ""]
    for g in d.groups:
        lines += [f"## {_md(g.title)} ({len(g.stories)})", ""]
        for st in g.stories:
            flag = "★ " if st.important else ""
            stub = f" ({st.stub_label})" if st.stub else ""
            lines += [
                f"### {flag}[{_md(st.headline)}](<{st.lead.url}>){stub}",
                "",
                f"- **Date:** {d.local(st.when)}",
                f"- **Outlets:** {_md(', '.join(st.outlets) or '?')}"
                + (f" ({st.size} copies)" if st.size > 1 else ""),
                f"- **Entities:** {_entities_md(st)}",
                f"- **Flagged because:** {_md('; '.join(st.reasons) or 'flagged')}",
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


# ---------------------------------------------------------------- JSON (review --json)


def iso(d: datetime | None) -> str | None:
    return d.astimezone(UTC).isoformat().replace("+00:00", "Z") if d else None


def _ent(e: rv.Entity, with_role: bool = False) -> dict[str, Any]:
    out: dict[str, Any] = {"id": e.id, "name": e.name}
    if with_role:
        out["role"] = e.role
    return out


def article_json(a: rv.ArticleBrief) -> dict[str, Any]:
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
