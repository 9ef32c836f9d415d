"""Parse feed bytes with feedparser. Never hands feedparser a URL (it would fetch it itself)."""

from __future__ import annotations

import html
import io
import re
from urllib.parse import urljoin, urlsplit

import feedparser

from extractors.dates import from_struct_time
from extractors.errors import FeedParseError
from extractors.models import FeedEntry, ParsedFeed

_TAG_RE = re.compile(r"<[^>]+>")
_WS_RE = re.compile(r"\s+")


def html_to_text(fragment: str | None) -> str | None:
    """Cheap tag stripper for feed summaries (not for article pages)."""
    if not fragment:
        return None
    text = _WS_RE.sub(" ", html.unescape(_TAG_RE.sub(" ", fragment))).strip()
    return text or None


def _usable_link(link: str | None, base: str) -> str | None:
    if not link or not isinstance(link, str):
        return None
    absolute = urljoin(base, link.strip())
    parts = urlsplit(absolute)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        return None
    return absolute


def parse_feed(content: bytes, *, url: str, headers: dict[str, str] | None = None) -> ParsedFeed:
    """Parse RSS 0.9x/1.0/2.0 or Atom bytes into entries with absolute links.

    Raises FeedParseError when the bytes are not a feed at all. A feed that is not well formed
    but still yields entries is returned with ``bozo`` set (feedparser's complaint).
    """
    response_headers = {k.lower(): v for k, v in (headers or {}).items()}
    response_headers.setdefault("content-location", url)
    parsed = feedparser.parse(
        io.BytesIO(content),
        response_headers=response_headers,
        sanitize_html=False,
        resolve_relative_uris=True,
    )
    bozo = str(parsed.get("bozo_exception") or "") or None if parsed.get("bozo") else None
    feed = parsed.get("feed", {})
    raw_entries = parsed.get("entries", [])
    if not parsed.get("version") and not raw_entries:
        raise FeedParseError(f"not a feed{': ' + bozo if bozo else ''}", url=url)
    base = url or feed.get("link")
    entries: list[FeedEntry] = []
    skipped: list[tuple[str, str]] = []
    seen: set[str] = set()
    for i, e in enumerate(raw_entries):
        link = _usable_link(e.get("link"), base or url)
        guid = e.get("id") or None
        if link is None and guid and e.get("guidislink", False):
            link = _usable_link(guid, base or url)
        if link is None:
            for alt in e.get("links", []) or []:
                if alt.get("rel") in (None, "alternate"):
                    link = _usable_link(alt.get("href"), base or url)
                    if link:
                        break
        title = html_to_text(e.get("title"))
        if link is None:
            skipped.append((title or guid or f"entry {i}", "no usable http(s) link"))
            continue
        if link in seen:
            skipped.append((title or link, "duplicate link in the same feed"))
            continue
        seen.add(link)
        content_html = None
        if e.get("content"):
            content_html = e["content"][0].get("value") or None
        author = e.get("author") or None
        entries.append(
            FeedEntry(
                link=link,
                guid=guid,
                title=title,
                summary=html_to_text(e.get("summary")),
                content_html=content_html,
                author=html_to_text(author) if author else None,
                published=from_struct_time(e.get("published_parsed") or e.get("updated_parsed")),
            )
        )
    next_url = None
    for lk in feed.get("links", []) or []:
        if lk.get("rel") == "next" and lk.get("href"):
            next_url = urljoin(url, lk["href"])
    return ParsedFeed(
        entries=tuple(entries),
        title=html_to_text(feed.get("title")),
        version=parsed.get("version") or None,
        bozo=bozo,
        skipped=tuple(skipped),
        next_url=next_url,
    )
