"""Article text extraction: trafilatura on the page bytes, with typed failure and fallbacks.

How (measured with ``make bench-extraction`` on the 181-page Zyte article-extraction benchmark,
see bench/README.md):

1. trafilatura in *precision* mode, with metadata, in ``fast`` mode (no readability/jusText
   second opinion: ~1.5× faster for −0.001 F1). Precision mode keeps less navigation/teaser
   text than the default mode and is not slower.
2. When that finds little text (< ``SHORT_TEXT_CHARS``), one more pass in trafilatura's
   balanced mode (which itself retries with recall settings) and its text is kept if it is
   clearly longer (``RETRY_GAIN``×): precision mode sometimes drops half of a split article.
3. The headline is not body text: a line among the first ones that repeats the page's title
   (metadata title, or an ``<h1>``) is removed, with the short kicker lines above it.
4. Short trailing lines that are boilerplate everywhere (copyright, "follow us on",
   newsletter/subscribe prompts, "comments") are removed.
5. When the page still gives little text, the feed's own content is used if it is longer.
"""

from __future__ import annotations

import re
from typing import Any

import trafilatura
from trafilatura.settings import set_date_params

from extractors.dates import day_from_iso
from extractors.errors import ExtractionEmpty
from extractors.feeds import html_to_text
from extractors.models import ExtractedArticle

MIN_TEXT_CHARS = 200  # below this, trafilatura's result is treated as "little text"
SHORT_TEXT_CHARS = 1000  # below this, the balanced mode gets a second chance
RETRY_GAIN = 1.5  # ... and wins when its text is this many times longer
HEADLINE_LINES = 3  # the headline is looked for among this many first lines
KICKER_MAX_TOKENS = 8  # lines above the headline this short are kickers ("Review", "Photos")
TAIL_MAX_TOKENS = 15  # trailing boilerplate lines are at most this long

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


_TOKEN_RE = re.compile(r"\w+")
_TAIL_BOILERPLATE = re.compile(
    r"©|\bcopyright\b|all rights reserved|derechos reservados|newsletter|bolet[ií]n|"
    r"\bsign up\b|\bsubscribe\b|\bsuscr[ií]b|\bfollow (?:us|him|her|them|me)?\s*on\b|"
    r"s[ií]guenos|you may also like|te puede interesar|\bclick here\b|haz clic|"
    r"^\W*(?:comments?|comentarios?)\W*$",
    re.IGNORECASE,
)

# htmldate's parameters as trafilatura passes them (its default configuration)
_DATE_PARAMS: dict[str, Any] = set_date_params(True)

# trafilatura options shared by both passes. ``fast`` skips trafilatura's second opinion
# (readability/jusText comparison): about 1.5× the pages per second for −0.001 F1 here.
_OPTIONS: dict[str, Any] = dict(
    include_comments=False, include_tables=True, deduplicate=False, fast=True
)


def _norm(text: str | None) -> str:
    return " ".join(_TOKEN_RE.findall((text or "").lower()))


def _headlines(tree: Any) -> list[str]:
    """Normalised text of the page's first <h1> elements (read before trafilatura prunes)."""
    out: list[str] = []
    try:
        for h in tree.iter("h1"):
            t = _norm(" ".join(h.itertext()))
            if t:
                out.append(t)
            if len(out) >= 3:
                break
    except Exception:  # a broken tree has no headline, that is all
        return out
    return out


def _is_headline(line: str, headlines: list[str]) -> bool:
    n = _norm(line)
    if not n:
        return False
    for h in headlines:
        if n == h:
            return True
        # "Title" vs "Title | Site" / a cut title: one is a prefix of the other, similar size
        if 0.5 * len(h) < len(n) < 1.5 * len(h) and (h.startswith(n) or n.startswith(h)):
            return True
    return False


def _drop_headline(text: str, headlines: list[str]) -> str:
    lines = text.split("\n")
    if len(lines) < 2 or not headlines:
        return text
    for i in range(min(HEADLINE_LINES, len(lines) - 1)):
        if _is_headline(lines[i], headlines):
            above = lines[:i]
            if all(len(_TOKEN_RE.findall(a)) <= KICKER_MAX_TOKENS for a in above):
                return "\n".join(lines[i + 1 :])
            return "\n".join(lines[:i] + lines[i + 1 :])
    return text


def _drop_tail_boilerplate(text: str) -> str:
    lines = text.split("\n")
    while (
        len(lines) > 1
        and len(_TOKEN_RE.findall(lines[-1])) <= TAIL_MAX_TOKENS
        and _TAIL_BOILERPLATE.search(lines[-1])
    ):
        lines.pop()
    return "\n".join(lines)


def _text_of(doc: Any) -> str:
    return (getattr(doc, "text", None) or "").strip() if doc is not None else ""


def _page_metadata(tree: Any, url: str, *, want_date: bool, want_author: bool) -> Any:
    """The page metadata borderwatch uses (title, author, date, canonical URL, site name,
    language), the way trafilatura's ``extract_metadata`` finds them, minus what is never used
    (categories, tags, license: about a third of its time) and minus the slow searches for a
    date or an author the feed already gave (``want_date``/``want_author`` False)."""
    from htmldate import find_date
    from trafilatura import metadata as tm

    md = tm.examine_meta(tree)
    if md.author and " " not in md.author:
        md.author = None
    try:
        md = tm.extract_meta_json(tree, md)
    except Exception:  # trafilatura's JSON-LD parser has bugs on odd markup; meta tags remain
        pass
    if not md.title:
        md.title = tm.extract_title(tree)
    if not md.author and want_author:
        md.author = tm.extract_author(tree)
    if not md.url:
        md.url = tm.extract_url(tree, url)
    if want_date:
        md.date = find_date(tree, **{**_DATE_PARAMS, "url": md.url})
    if not md.sitename:
        md.sitename = tm.extract_sitename(tree)
    if md.sitename:
        md.sitename = md.sitename.lstrip("@")
    md.clean_and_trim()
    return md


def extract_article(
    content: bytes | str,
    *,
    url: str,
    fallback_html: str | None = None,
    fallback_title: str | None = None,
    want_date: bool = True,
    want_author: bool = True,
) -> ExtractedArticle:
    """Extract the main text and metadata of one article page.

    When trafilatura finds little or nothing (paywall stubs, JS pages), the feed's own full
    content (``fallback_html``, e.g. content:encoded) is used if it is longer. Raises
    ExtractionEmpty when neither gives any text. ``want_date``/``want_author`` False skip the
    page-wide searches for a date or an author (the caller has them from the feed); meta tags
    and JSON-LD are still read.
    """
    doc: Any = None
    md: Any = None
    headlines: list[str] = []
    text = ""
    tree: Any = None
    if content:
        try:
            tree = trafilatura.load_html(content)
            if tree is not None:
                headlines = _headlines(tree)
                md = _page_metadata(tree, url, want_date=want_date, want_author=want_author)
                # bare_extraction works on its own copy of the tree: it stays reusable
                doc = trafilatura.bare_extraction(tree, url=url, favor_precision=True, **_OPTIONS)
        except Exception:  # trafilatura raises assorted lxml/ValueError on broken markup
            doc = None
        text = _text_of(doc)
        if len(text) < SHORT_TEXT_CHARS:
            try:
                alt = _text_of(
                    trafilatura.bare_extraction(
                        tree if tree is not None else content, url=url, **_OPTIONS
                    )
                )
            except Exception:
                alt = ""
            if len(alt) > RETRY_GAIN * len(text):
                text = alt
        if text:
            title = getattr(md, "title", None)
            headlines = [*headlines, *([_norm(title)] if title else [])]
            text = _drop_tail_boilerplate(_drop_headline(text, [h for h in headlines if h]))
    from_fallback = False
    if len(text) < MIN_TEXT_CHARS and fallback_html:
        alt = ""
        try:
            alt = (trafilatura.extract(fallback_html, include_comments=False) or "").strip()
        except Exception:
            alt = ""
        if len(alt) < len(text) or not alt:
            alt = html_to_text(fallback_html) or ""
        if len(alt) > len(text):
            text, from_fallback = alt, True
    if not text:
        raise ExtractionEmpty("no article text found", url=url)
    language = getattr(md, "language", None) or getattr(doc, "language", None)
    return ExtractedArticle(
        text=text,
        title=(getattr(md, "title", None) or fallback_title or None),
        author=getattr(md, "author", None) or None,
        published=day_from_iso(getattr(md, "date", None)),
        language=(language or detect_language(text)),
        canonical_url=getattr(md, "url", None) or None,
        sitename=getattr(md, "sitename", None) or None,
        from_fallback=from_fallback,
    )
