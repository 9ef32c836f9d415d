"""Article text for a reviewer: the text HTML-escaped with every mention marked by its offsets,
the mention a snippet shows, and the snippet around it (Markdown, HTML or plain)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from markupsafe import Markup, escape

from extractors.models import Mention

MENTION_PRIORITY = {"group": 0, "official": 1, "state": 2, "place": 3, "term": 4}


def clean_spans(text: str, spans: Iterable[Mention]) -> list[Mention]:
    """Mentions inside the text, sorted, overlaps dropped (the earlier, longer one wins)."""
    out: list[Mention] = []
    end = -1
    for m in sorted(spans, key=lambda m: (m.start, -(m.end - m.start))):
        if m.start < 0 or m.end > len(text) or m.end <= m.start or m.start < end:
            continue
        out.append(m)
        end = m.end
    return out


def highlight_html(text: str, spans: Iterable[Mention]) -> Markup:
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


def pick_mention(spans: Sequence[Mention]) -> Mention | None:
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
        return f"{md_escape(self.before)}**{md_escape(self.hit)}**{md_escape(self.after)}"

    def html(self) -> Markup:
        return Markup(f"{escape(self.before)}<mark>{escape(self.hit)}</mark>{escape(self.after)}")

    def plain(self) -> str:
        return f"{self.before}{self.hit}{self.after}"


def make_snippet(text: str, span: Mention | None, width: int = 110) -> Snippet:
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


def md_escape(s: str) -> str:
    """Escape Markdown (and HTML, since Markdown renderers pass it through)."""
    out = s.replace("\\", "\\\\")
    for ch in "`*_[]<>#|":
        out = out.replace(ch, "\\" + ch)
    return " ".join(out.split()) if "\n" in out else out
