import gzip
from datetime import UTC, datetime

import pytest

from extractors.errors import FeedParseError
from extractors.sitemaps import (
    archive_page_url,
    guess_paging_style,
    parse_sitemap,
    robots_sitemaps,
)

URLSET = b"""<?xml version="1.0" encoding="UTF-8"?>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"
        xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">
  <url><loc>https://n.example/2026/11/a</loc><lastmod>2026-11-20T10:00:00-06:00</lastmod></url>
  <url><loc>https://n.example/2026/11/b</loc>
    <news:news><news:publication_date>2026-11-21</news:publication_date></news:news></url>
  <url><loc>/relative/c</loc></url>
  <url><loc>mailto:x@example.com</loc></url>
</urlset>"""

INDEX = b"""<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
<sitemap><loc>https://n.example/sitemap-2026-11.xml</loc><lastmod>2026-11-30</lastmod></sitemap>
<sitemap><loc>https://n.example/sitemap-2026-10.xml.gz</loc></sitemap></sitemapindex>"""


def test_urlset_with_dates():
    sm = parse_sitemap(URLSET, url="https://n.example/sitemap.xml")
    assert [e.url for e in sm.urls] == [
        "https://n.example/2026/11/a",
        "https://n.example/2026/11/b",
        "https://n.example/relative/c",
    ]
    assert sm.urls[0].date == datetime(2026, 11, 20, 16, tzinfo=UTC)
    assert sm.urls[1].date == datetime(2026, 11, 21, tzinfo=UTC)
    assert sm.urls[2].date is None


def test_index_and_gzip():
    sm = parse_sitemap(gzip.compress(INDEX), url="https://n.example/sitemap_index.xml")
    assert [c.url for c in sm.children] == [
        "https://n.example/sitemap-2026-11.xml",
        "https://n.example/sitemap-2026-10.xml.gz",
    ]
    assert sm.urls == ()


@pytest.mark.parametrize("body", [b"<html></html>", b"not xml", b"\x1f\x8bbroken"])
def test_not_a_sitemap(body):
    with pytest.raises(FeedParseError):
        parse_sitemap(body, url="https://n.example/sitemap.xml")


def test_robots():
    robots = (
        b"User-agent: *\nDisallow: /admin\nSitemap: https://n.example/s1.xml\nsitemap: /s2.xml\n"
    )
    assert robots_sitemaps(robots, "https://n.example/robots.txt") == [
        "https://n.example/s1.xml",
        "https://n.example/s2.xml",
    ]


def test_archive_pages():
    assert archive_page_url("https://z.example/feed/", "wordpress", 1) == "https://z.example/feed/"
    assert (
        archive_page_url("https://z.example/feed/", "wordpress", 3)
        == "https://z.example/feed/?paged=3"
    )
    b = "https://bb.example/feeds/posts/default?alt=rss"
    assert guess_paging_style(b) == "blogger"
    assert archive_page_url(b, "blogger", 2, 25) == (
        "https://bb.example/feeds/posts/default?alt=rss&start-index=26&max-results=25"
    )
