"""Backfill sources from bytes: robots.txt Sitemap lines, sitemaps and sitemap indexes, and
archive page URLs of feeds (WordPress ``?paged=N``, Blogger ``start-index``, Atom rel=next)."""

from __future__ import annotations

import gzip
from dataclasses import dataclass
from datetime import datetime
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit, urlunsplit
from xml.etree import ElementTree as ET

from extractors.dates import from_iso
from extractors.errors import FeedParseError


@dataclass(frozen=True)
class SitemapEntry:
    url: str
    lastmod: datetime | None = None
    published: datetime | None = None  # news:publication_date

    @property
    def date(self) -> datetime | None:
        return self.published or self.lastmod


@dataclass(frozen=True)
class Sitemap:
    urls: tuple[SitemapEntry, ...] = ()  # <urlset>
    children: tuple[SitemapEntry, ...] = ()  # <sitemapindex>


def robots_sitemaps(robots_txt: bytes, base_url: str) -> list[str]:
    """The ``Sitemap:`` URLs of a robots.txt (case-insensitive, relative ones resolved)."""
    out: list[str] = []
    for line in robots_txt.decode("utf-8", "replace").splitlines():
        key, _, value = line.partition(":")
        if key.strip().lower() == "sitemap" and value.strip():
            out.append(urljoin(base_url, value.strip()))
    return out


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def parse_sitemap(content: bytes, *, url: str) -> Sitemap:
    """Parse a sitemap (``<urlset>``) or a sitemap index, gzip-compressed or not."""
    if content[:2] == b"\x1f\x8b":
        try:
            content = gzip.decompress(content)
        except (OSError, EOFError) as exc:
            raise FeedParseError(f"bad gzip sitemap: {exc}", url=url) from None
    try:
        root = ET.fromstring(content)
    except ET.ParseError as exc:
        raise FeedParseError(f"not a sitemap: {exc}", url=url) from None
    kind = _local(root.tag)
    if kind not in ("urlset", "sitemapindex"):
        raise FeedParseError(f"not a sitemap: root element <{kind}>", url=url)
    entries: list[SitemapEntry] = []
    for node in root:
        loc = lastmod = published = None
        for child in node.iter():
            name = _local(child.tag)
            text = (child.text or "").strip()
            if name == "loc" and loc is None:
                loc = text
            elif name == "lastmod":
                lastmod = from_iso(text)
            elif name == "publication_date":
                published = from_iso(text)
        if loc and urlsplit(urljoin(url, loc)).scheme in ("http", "https"):
            entries.append(SitemapEntry(urljoin(url, loc), lastmod, published))
    if kind == "urlset":
        return Sitemap(urls=tuple(entries))
    return Sitemap(children=tuple(entries))


def _with_query(url: str, **params: str) -> str:
    parts = urlsplit(url)
    q = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if k not in params]
    q.extend(params.items())
    return urlunsplit((parts.scheme, parts.netloc, parts.path, urlencode(q), parts.fragment))


def archive_page_url(feed_url: str, style: str, page: int, page_size: int = 25) -> str:
    """URL of archive page ``page`` (1 = the feed itself) in the given paging style."""
    if page <= 1:
        return feed_url
    if style == "wordpress":
        return _with_query(feed_url, paged=str(page))
    if style == "blogger":
        start = (page - 1) * page_size + 1
        return _with_query(feed_url, **{"start-index": str(start), "max-results": str(page_size)})
    raise ValueError(f"unknown paging style {style!r}")


def guess_paging_style(feed_url: str, generator: str | None = None) -> str:
    """'blogger' for Blogger feed URLs, else 'wordpress' (the most common platform here)."""
    if "/feeds/posts/" in urlsplit(feed_url).path or (generator or "").lower() == "blogger":
        return "blogger"
    return "wordpress"
