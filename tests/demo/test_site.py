"""The offline demo news site (demo/site.py): real sockets, real feedparser and trafilatura."""

from __future__ import annotations

import html
import os
import re
import signal
import subprocess
import sys
import threading
from collections import defaultdict
from email.utils import parsedate_to_datetime
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import feedparser
import httpx
import pytest
import trafilatura
import yaml

from demo.content import LABELS, OUTLETS, load_articles
from demo.site import DemoSite

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def site():
    with DemoSite(include_broken=True) as s:
        yield s


@pytest.fixture(scope="module")
def client():
    with httpx.Client(timeout=10) as c:
        yield c


def good_feeds(site: DemoSite) -> list[dict]:
    return [f for f in site.feeds() if "broken" not in f["tags"]]


def page_url(link: str) -> str:
    """The canonical article URL of a feed link: no query, no fragment, no /amp/."""
    p = urlsplit(link)
    path = p.path[: -len("amp/")] if p.path.endswith("/amp/") else p.path
    return urlunsplit((p.scheme, p.netloc, path, "", ""))


def fetch_feed(client: httpx.Client, url: str):
    r = client.get(url)
    assert r.status_code == 200, url
    return r, feedparser.parse(r.content)  # the bytes, never the URL


# ------------------------------------------------------------------ fixture content


def test_content_is_large_varied_and_well_formed():
    arts = load_articles()
    assert len(arts) >= 36
    by_lang = defaultdict(int)
    for a in arts:
        by_lang[a.lang] += 1
    assert set(by_lang) == {"en", "es"}
    assert abs(by_lang["en"] - by_lang["es"]) <= 4
    assert {a.outlet for a in arts} == set(OUTLETS)
    assert all(a.lang == OUTLETS[a.outlet].lang for a in arts)
    assert len({a.id for a in arts}) == len({a.title for a in arts}) == len(arts)
    for a in arts:
        words = sum(len(p.split()) for p in a.paragraphs)
        assert 150 <= words <= 400, (a.id, words)
        assert "2026-11-10" <= a.published.date().isoformat() <= "2026-11-24", a.id
        assert a.published.utcoffset() is not None
        assert a.summary and a.author and len(a.paragraphs) >= 3
    irrelevant = [a for a in arts if not a.relevant]
    assert 6 <= len(irrelevant) <= 10
    relevant = [a for a in arts if a.relevant]
    assert len(relevant) >= 30


def test_syndicated_copies_share_the_body_but_not_the_lead():
    groups = defaultdict(list)
    for a in load_articles():
        if a.syndicated_from:
            groups[a.syndicated_from].append(a)
    assert len(groups) == 3
    for key, copies in groups.items():
        assert 2 <= len(copies) <= 3, key
        assert len({c.outlet for c in copies}) == len(copies), key
        assert len({c.paragraphs[0] for c in copies}) == len(copies), key  # own first paragraph
        assert len({tuple(c.paragraphs[1:]) for c in copies}) == 1, key  # same wire text
        assert len({c.title for c in copies}) == len(copies), key  # own headline


def test_traps_and_city_only_articles_are_present():
    arts = {a.id: a for a in load_articles()}
    text = {k: " ".join(a.paragraphs) for k, a in arts.items()}
    irrelevant = " ".join(text[k] for k, a in arts.items() if not a.relevant)
    assert "Vicente Guerrero" in irrelevant
    assert "Club Puebla" in irrelevant
    assert "Nogales, Arizona" in irrelevant
    city_only = {
        "irapuato-ataque-armado-en-bar": ("Irapuato", "Guanajuato"),
        "culiacan-chapitos-mayiza-night-clashes": ("Culiacán", "Sinaloa"),
        "fresnillo-hallan-cuerpos-en-camioneta": ("Fresnillo", "Zacatecas"),
        "nuevo-laredo-highway-ambush": ("Nuevo Laredo", "Tamaulipas"),
    }
    for slug, (city, state) in city_only.items():
        assert city in text[slug] and state not in text[slug] + arts[slug].title, slug
    everything = " ".join(text.values())
    for ch in "ñ¿¡“”«":
        assert ch in everything, ch


# ------------------------------------------------------------------ feeds


def test_feeds_parse_and_cover_every_article(site, client):
    feeds = good_feeds(site)
    assert len(feeds) >= 5
    versions, links = set(), set()
    for f in feeds:
        _, parsed = fetch_feed(client, f["url"])
        assert not parsed.bozo, (f["url"], parsed.get("bozo_exception"))
        assert parsed.entries, f["url"]
        versions.add(parsed.version)
        for e in parsed.entries:
            assert e.title and e.link and e.id and e.published_parsed and e.summary
            assert e.get("author"), e.link
            links.add(page_url(e.link))
    assert {"rss20", "atom10"} <= versions
    assert len(links) >= 36
    assert links == set(site.article_urls())


def test_feed_items_match_the_content(site, client):
    arts = {site.url(a.path): a for a in site.articles}
    for f in good_feeds(site):
        _, parsed = fetch_feed(client, f["url"])
        for e in parsed.entries:
            a = arts[page_url(e.link)]
            assert e.title == a.title
            assert e.summary == a.summary
            assert e.author == a.author
            assert e.published_parsed[:6] == a.published.utctimetuple()[:6]


def test_full_content_outlet_has_content_encoded(site, client):
    _, parsed = fetch_feed(client, site.url("/pacific-coast-monitor/rss.xml"))
    arts = {site.url(a.path): a for a in site.articles}
    for e in parsed.entries:
        body = e.content[0].value
        assert body.startswith("<p>")
        assert arts[page_url(e.link)].first_sentence in html.unescape(body)


def test_iso_8859_1_feed_decodes_accents(site, client):
    r, parsed = fetch_feed(client, site.url("/noticias-del-golfo/rss/"))
    assert r.headers["content-type"] == "application/rss+xml; charset=ISO-8859-1"
    assert r.content.startswith(b'<?xml version="1.0" encoding="ISO-8859-1"?>')
    with pytest.raises(UnicodeDecodeError):
        r.content.decode("utf-8")
    assert "Fuerza Civil".encode("iso-8859-1") in r.content
    assert "repavimentación".encode("iso-8859-1") in r.content
    assert parsed.encoding.lower() in ("iso-8859-1", "latin-1", "windows-1252")
    titles = {e.title for e in parsed.entries}
    expected = {a.title for a in site.articles if a.outlet == "noticias-del-golfo"}
    assert titles == expected
    assert any("¡" in t for t in titles) and any("ó" in t for t in titles)


def test_content_types(site, client):
    for f in good_feeds(site):
        ctype = client.get(f["url"]).headers["content-type"]
        assert ctype.split(";")[0] in ("application/rss+xml", "application/atom+xml")
        assert "charset=" in ctype
    r = client.get(site.article_urls()[0])
    assert r.headers["content-type"] == "text/html; charset=utf-8"
    assert client.get(site.url("/border-dispatch/atom.xml")).headers["content-type"] == (
        "application/atom+xml; charset=utf-8"
    )


def test_conditional_get_answers_304(site, client):
    for f in good_feeds(site):
        r = client.get(f["url"])
        etag, modified = r.headers["etag"], r.headers["last-modified"]
        again = client.get(f["url"], headers={"If-None-Match": etag})
        assert again.status_code == 304 and again.content == b""
        assert again.headers["etag"] == etag
        assert client.get(f["url"], headers={"If-Modified-Since": modified}).status_code == 304
        assert client.get(f["url"], headers={"If-None-Match": '"stale"'}).status_code == 200
        old = "Sun, 01 Nov 2026 00:00:00 GMT"
        assert client.get(f["url"], headers={"If-Modified-Since": old}).status_code == 200
        # If-None-Match wins over If-Modified-Since (RFC 9110)
        both = {"If-None-Match": '"stale"', "If-Modified-Since": modified}
        assert client.get(f["url"], headers=both).status_code == 200


def test_last_modified_is_the_newest_item(site, client):
    for outlet in OUTLETS.values():
        newest = max(a.published for a in site.articles if a.outlet == outlet.slug)
        r = client.get(site.url(outlet.feeds[0].path))
        assert r.headers["last-modified"].endswith(" GMT")
        assert parsedate_to_datetime(r.headers["last-modified"]) == newest


def test_feeds_are_deterministic(site, client):
    for f in good_feeds(site):
        assert client.get(f["url"]).content == client.get(f["url"]).content
    junk = site.url("/garbage/feed/")
    assert client.get(junk).content == client.get(junk).content


# ------------------------------------------------------------------ duplicates


def test_tracking_variants_and_duplicates_in_feeds(site, client):
    raw_links = []
    for f in good_feeds(site):
        _, parsed = fetch_feed(client, f["url"])
        raw_links += [e.link for e in parsed.entries]
    variants = [link for link in raw_links if link != page_url(link)]
    kinds = {
        "utm": any("utm_source=rss" in v for v in variants),
        "fbclid": any("fbclid=" in v for v in variants),
        "fragment": any(v.endswith("#comments") for v in variants),
        "amp": any(v.endswith("/amp/") for v in variants),
    }
    assert all(kinds.values()), kinds
    # some articles are listed twice in the same feed, under two spellings
    _, bd = fetch_feed(client, site.url("/border-dispatch/atom.xml"))
    pages = [page_url(e.link) for e in bd.entries]
    assert len(pages) > len(set(pages))


def test_tracking_variants_serve_the_same_page(site, client):
    for a in site.articles:
        canonical = site.url(a.path)
        page = client.get(canonical)
        assert page.status_code == 200
        for suffix in ("?utm_source=rss&utm_medium=feed", "?fbclid=IwAR0abc", "#comments"):
            r = client.get(canonical + suffix)
            assert r.status_code == 200 and r.content == page.content, (a.id, suffix)
        amp = client.get(canonical + "amp/")
        assert amp.status_code == 200
        assert f'<link rel="canonical" href="{canonical}">' in amp.text
        assert f'<link rel="amphtml" href="{canonical}amp/">' in page.text
        assert trafilatura.extract(amp.text) == trafilatura.extract(page.text)
        assert site.article_for(canonical + "amp/?utm_source=x") is a


def test_same_article_in_two_feeds_of_one_outlet(site, client):
    _, main = fetch_feed(client, site.url("/frontera-norte-hoy/feed/"))
    _, section = fetch_feed(client, site.url("/frontera-norte-hoy/category/seguridad/feed/"))
    main_pages = {page_url(e.link) for e in main.entries}
    section_pages = {page_url(e.link) for e in section.entries}
    assert section_pages and section_pages < main_pages


# ------------------------------------------------------------------ article pages


def _boilerplate(site: DemoSite, lang: str) -> list[str]:
    lab = LABELS[lang]
    return [
        lab["most_read"],
        lab["related"],
        lab["cookie"][:40],
        lab["newsletter"][:40],
        lab["rights"][:30],
        lab["accept"],
        *lab["share"],
        *lab["about"],
    ]


def test_article_pages_have_metadata(site, client):
    for a in site.articles:
        url = site.url(a.path)
        html = client.get(url).text
        assert f'<html lang="{a.lang}"' in html
        assert f'<link rel="canonical" href="{url}">' in html
        assert f'<meta property="og:url" content="{url}">' in html
        assert '<meta property="og:title"' in html
        assert f'<meta property="article:published_time" content="{a.published.isoformat()}">' in (
            html
        )
        assert f'<time datetime="{a.published.isoformat()}"' in html
        assert html.count("<h1") == 1 and "<article" in html
        assert len(re.findall(r"<a href=", html)) >= 30  # nav, sidebar, related, footer


def test_trafilatura_extracts_the_story_not_the_chrome(site, client):
    titles = {a.title for a in site.articles}
    for a in site.articles:
        url = site.url(a.path)
        html = client.get(url).text
        text = trafilatura.extract(html, url=url)
        assert text, a.id
        assert a.first_sentence in text, a.id
        assert a.paragraphs[-1][:80] in text, a.id
        for marker in _boilerplate(site, a.lang):
            assert marker not in text, (a.id, marker)
        for other in titles - {a.title}:  # sidebar, related list and ticker headlines
            assert other not in text, (a.id, other)
        strict = trafilatura.extract(html, url=url, include_comments=False)
        assert LABELS[a.lang]["comments"] not in strict


def test_project_extractor_gets_text_and_canonical(site, client):
    from extractors.articles import extract_article

    for a in site.articles[:12]:
        url = site.url(a.path)
        art = extract_article(client.get(url + "amp/").content, url=url + "amp/")
        assert len(art.text) >= 200 and a.first_sentence in art.text
        assert art.canonical_url == url
        assert art.language == a.lang
        assert art.title == a.title


# ------------------------------------------------------------------ server behaviour


def test_hits_are_counted_per_path(site, client):
    url = site.article_urls()[3]
    path = urlsplit(url).path
    before = site.hit_count(path)
    for suffix in ("", "?utm_source=rss", "?fbclid=x"):
        client.get(url + suffix)
    assert site.hit_count(path) == before + 3

    feed = "/border-dispatch/atom.xml"
    start = site.hits[feed]

    def worker():
        with httpx.Client(timeout=10) as c:
            for _ in range(10):
                c.get(site.url(feed))

    threads = [threading.Thread(target=worker) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert site.hits[feed] == start + 80


def test_head_and_404(site, client):
    url = site.article_urls()[0]
    head = client.head(url)
    assert head.status_code == 200 and head.content == b""
    assert int(head.headers["content-length"]) == len(client.get(url).content)
    for path in ("/nope/", "/border-dispatch/2026/11/no-such-story/", "/frontera-norte-hoy/x.xml"):
        assert client.get(site.url(path)).status_code == 404
    assert client.get(site.url("/robots.txt")).text.startswith("User-agent: *")
    assert client.get(site.url("/")).status_code == 200


def test_broken_feeds(site, client):
    names = {f["name"]: f for f in site.feeds()}
    broken = [f for f in names.values() if "broken" in f["tags"]]
    assert len(broken) == 2
    assert client.get(site.url("/broken/feed/")).status_code == 500
    junk = client.get(site.url("/garbage/feed/"))
    assert junk.status_code == 200 and len(junk.content) > 1000
    with pytest.raises(Exception):  # noqa: B017 - any XML error
        import xml.etree.ElementTree as ET

        ET.fromstring(junk.content)
    parsed = feedparser.parse(junk.content)
    assert not parsed.version and not parsed.entries

    from extractors.errors import FeedParseError
    from extractors.feeds import parse_feed

    with pytest.raises(FeedParseError):
        parse_feed(junk.content, url=site.url("/garbage/feed/"))


def test_broken_feeds_are_off_by_default(client):
    with DemoSite() as plain:
        assert all("broken" not in f["tags"] for f in plain.feeds())
        assert client.get(plain.url("/broken/feed/")).status_code == 404
        assert client.get(plain.url("/garbage/feed/")).status_code == 404
    with pytest.raises(httpx.TransportError):
        client.get(plain.url("/"))


def test_write_feeds_yaml_has_the_feeds_shape(site, tmp_path):
    path = site.write_feeds_yaml(tmp_path / "sub" / "feeds.yaml")
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert list(data) == ["feeds"]
    for entry in data["feeds"]:
        assert list(entry) == ["name", "url", "language", "country", "tags"]
        assert entry["url"].startswith(site.base_url)
        assert isinstance(entry["tags"], list)
    assert data["feeds"] == site.feeds()

    from config.sources import load_feeds

    loaded = load_feeds(path)
    assert [s.name for s in loaded] == [f["name"] for f in site.feeds()]


def test_command_line_serves_and_stops_on_sigterm(tmp_path):
    feeds_file = tmp_path / "feeds.yaml"
    proc = subprocess.Popen(
        [sys.executable, "-m", "demo.site", "--port", "0", "--write-feeds", str(feeds_file)],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    try:
        base = proc.stdout.readline().strip()
        assert re.fullmatch(r"http://127\.0\.0\.1:\d+", base), base
        proc.stdout.readline()  # "feeds written to …"
        assert feeds_file.exists()
        urls = [f["url"] for f in yaml.safe_load(feeds_file.read_text())["feeds"]]
        assert all(u.startswith(base) for u in urls)
        r = httpx.get(urls[0], timeout=10)
        assert r.status_code == 200 and b"<rss" in r.content
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(timeout=10) == 0
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
