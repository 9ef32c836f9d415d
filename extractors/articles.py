"""Article text extraction: trafilatura on the page bytes, with typed failure and fallbacks."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime

import trafilatura

from extractors.errors import ExtractionEmpty
from extractors.feeds import html_to_text
from extractors.models import ExtractedArticle

MIN_TEXT_CHARS = 200  # below this, trafilatura's result is treated as "little text"

_ES_WORDS = frozenset(
    [
        "el",
        "la",
        "los",
        "las",
        "de",
        "del",
        "que",
        "y",
        "en",
        "un",
        "una",
        "por",
        "con",
        "para",
        "se",
        "su",
        "al",
        "lo",
        "como",
        "más",
        "pero",
        "sus",
        "le",
        "ya",
        "o",
        "este",
        "esta",
        "fue",
        "han",
        "sido",
        "entre",
        "cuando",
        "muy",
        "sin",
        "sobre",
        "también",
        "hasta",
        "donde",
        "desde",
        "durante",
        "contra",
        "tras",
        "según",
    ]
)
_EN_WORDS = frozenset(
    [
        "the",
        "of",
        "and",
        "to",
        "in",
        "a",
        "is",
        "that",
        "for",
        "it",
        "as",
        "was",
        "with",
        "be",
        "by",
        "on",
        "are",
        "from",
        "at",
        "an",
        "this",
        "have",
        "has",
        "were",
        "which",
        "their",
        "said",
        "after",
        "been",
        "who",
        "its",
        "but",
        "not",
        "they",
    ]
)
_WORD_RE = re.compile(r"[^\W\d_]+", re.UNICODE)


def detect_language(text: str) -> str | None:
    """'es' or 'en' by stop-word counts over the first 3,000 characters; None if unclear."""
    words = _WORD_RE.findall(text[:3000].lower())
    if len(words) < 5:
        return None
    es = sum(w in _ES_WORDS for w in words)
    en = sum(w in _EN_WORDS for w in words)
    if max(es, en) < 3 or es == en:
        return None
    return "es" if es > en else "en"


def _parse_date(value: str | None) -> datetime | None:
    if not value:
        return None
    try:
        d = date.fromisoformat(value[:10])
    except ValueError:
        return None
    return datetime(d.year, d.month, d.day, tzinfo=UTC)


def extract_article(
    content: bytes | str,
    *,
    url: str,
    fallback_html: str | None = None,
    fallback_title: str | None = None,
) -> ExtractedArticle:
    """Extract the main text and metadata of one article page.

    When trafilatura finds little or nothing (paywall stubs, JS pages), the feed's own full
    content (``fallback_html``, e.g. content:encoded) is used if it is longer. Raises
    ExtractionEmpty when neither gives any text.
    """
    doc = None
    if content:
        try:
            doc = trafilatura.bare_extraction(
                content,
                url=url,
                with_metadata=True,
                include_comments=False,
                include_tables=True,
                deduplicate=False,
            )
        except Exception:  # trafilatura raises assorted lxml/ValueError on broken markup
            doc = None
    text = (getattr(doc, "text", None) or "").strip() if doc is not None else ""
    if len(text) < MIN_TEXT_CHARS and fallback_html:
        alt = ""
        try:
            alt = (trafilatura.extract(fallback_html, include_comments=False) or "").strip()
        except Exception:
            alt = ""
        if len(alt) < len(text) or not alt:
            alt = html_to_text(fallback_html) or ""
        if len(alt) > len(text):
            text = alt
    if not text:
        raise ExtractionEmpty("no article text found", url=url)
    title = getattr(doc, "title", None) if doc is not None else None
    language = getattr(doc, "language", None) if doc is not None else None
    return ExtractedArticle(
        text=text,
        title=(title or fallback_title or None),
        author=(getattr(doc, "author", None) or None) if doc is not None else None,
        published=_parse_date(getattr(doc, "date", None)) if doc is not None else None,
        language=(language or detect_language(text)),
        canonical_url=(getattr(doc, "url", None) or None) if doc is not None else None,
        sitename=(getattr(doc, "sitename", None) or None) if doc is not None else None,
    )
