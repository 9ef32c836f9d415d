from datetime import UTC, datetime

import pytest

from extractors.errors import FeedParseError
from extractors.feeds import html_to_text, parse_feed

RSS = b"""<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/"><channel>
<title>Frontera &amp; Seguridad</title><link>https://news.example.mx/</link>
<item><title>Ataque en Celaya</title><link>/2026/11/ataque-celaya/</link>
<guid isPermaLink="false">https://news.example.mx/?p=11</guid>
<pubDate>Mon, 23 Nov 2026 14:05:00 -0600</pubDate>
<description>&lt;p&gt;Hombres armados atacaron un bar.&lt;/p&gt;</description>
<content:encoded><![CDATA[<p>Texto completo.</p>]]></content:encoded></item>
<item><title>Sin enlace</title><description>no link here</description></item>
<item><title>Correo</title><link>mailto:someone@example.com</link></item>
<item><title>Otra vez</title><link>https://news.example.mx/2026/11/ataque-celaya/</link></item>
</channel></rss>"""

ATOM = b"""<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>Border Dispatch</title>
<link rel="next" href="https://dispatch.example.com/atom.xml?page=2"/>
<entry><title>Shooting in Nuevo Laredo</title>
<link rel="alternate" href="https://dispatch.example.com/2026/11/nuevo-laredo"/>
<id>tag:dispatch.example.com,2026:1</id><updated>2026-11-20T10:00:00Z</updated>
<summary>Gunmen opened fire.</summary><author><name>Ana Ruiz</name></author></entry>
</feed>"""


def test_rss_entries_links_dates_and_skips():
    feed = parse_feed(RSS, url="https://news.example.mx/feed/")
    assert feed.version == "rss20"
    assert feed.title == "Frontera & Seguridad"
    assert [e.link for e in feed.entries] == ["https://news.example.mx/2026/11/ataque-celaya/"]
    e = feed.entries[0]
    assert e.published == datetime(2026, 11, 23, 20, 5, tzinfo=UTC)
    assert e.summary == "Hombres armados atacaron un bar."
    assert e.content_html == "<p>Texto completo.</p>"
    reasons = sorted(r for _, r in feed.skipped)
    assert reasons == [
        "duplicate link in the same feed",
        "no usable http(s) link",
        "no usable http(s) link",
    ]


def test_atom_entry_and_next_link():
    feed = parse_feed(ATOM, url="https://dispatch.example.com/atom.xml")
    assert feed.version == "atom10"
    assert feed.entries[0].link == "https://dispatch.example.com/2026/11/nuevo-laredo"
    assert feed.entries[0].author == "Ana Ruiz"
    assert feed.next_url == "https://dispatch.example.com/atom.xml?page=2"


def test_latin1_feed_decodes_accents():
    body = (
        '<?xml version="1.0" encoding="ISO-8859-1"?><rss version="2.0"><channel>'
        "<title>Golfo</title><item><title>Balacera en Reynosa; huyó la población</title>"
        "<link>https://golfo.example.mx/a</link></item></channel></rss>"
    ).encode("latin-1")
    feed = parse_feed(
        body,
        url="https://golfo.example.mx/feed",
        headers={"Content-Type": "application/rss+xml; charset=ISO-8859-1"},
    )
    assert feed.entries[0].title == "Balacera en Reynosa; huyó la población"


@pytest.mark.parametrize(
    "body",
    [b"", b"\x00\x01garbage\xff", b"<html><body>Just a page</body></html>", b'{"not": "a feed"}'],
)
def test_not_a_feed_raises(body):
    with pytest.raises(FeedParseError) as exc:
        parse_feed(body, url="https://x.example/feed")
    assert exc.value.kind == "not_a_feed"
    assert exc.value.url == "https://x.example/feed"


def test_parse_never_fetches_a_url_given_as_bytes(tmp_path):
    # feedparser.parse(str) would open files or URLs; we always hand it a stream of bytes
    secret = tmp_path / "secret.xml"
    secret.write_bytes(RSS)
    with pytest.raises(FeedParseError):
        parse_feed(str(secret).encode(), url="https://x.example/feed")


def test_html_to_text():
    assert html_to_text("<p>Uno &amp; <b>dos</b></p>\n tres") == "Uno & dos tres"
    assert html_to_text("") is None
