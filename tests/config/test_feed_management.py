from pathlib import Path

import pytest

from config.errors import ConfigError
from config.sources import FeedSource, append_feeds, load_feeds, read_opml, remove_feed, to_opml

BASE = """# my feeds — keep this comment
feeds:
  - name: Zeta
    url: https://zeta.example.mx/feed/
    language: es
"""


def test_add_keeps_comments_and_skips_known_urls(tmp_path: Path):
    p = tmp_path / "feeds.yaml"
    p.write_text(BASE, encoding="utf-8")
    added = append_feeds(
        p,
        [
            FeedSource(
                'Río: "Doce"', "https://rio.example.mx/feed/", "es", "MX", ("sinaloa", "weekly")
            ),
            FeedSource("Zeta again", "https://zeta.example.mx/feed/"),
        ],
    )
    assert [f.name for f in added] == ['Río: "Doce"']
    text = p.read_text(encoding="utf-8")
    assert text.startswith("# my feeds — keep this comment")
    feeds = load_feeds(p)
    assert [(f.name, f.tags) for f in feeds] == [
        ("Zeta", ()),
        ('Río: "Doce"', ("sinaloa", "weekly")),
    ]


def test_add_duplicate_name_is_refused_and_file_untouched(tmp_path: Path):
    p = tmp_path / "feeds.yaml"
    p.write_text(BASE, encoding="utf-8")
    with pytest.raises(ConfigError, match="duplicate feed name"):
        append_feeds(p, [FeedSource("Zeta", "https://other.example/feed")])
    assert p.read_text(encoding="utf-8") == BASE


def test_remove_by_name_or_url(tmp_path: Path):
    p = tmp_path / "feeds.yaml"
    p.write_text(BASE, encoding="utf-8")
    append_feeds(p, [FeedSource("B", "https://b.example/feed")])
    assert remove_feed(p, "https://zeta.example.mx/feed/")
    assert not remove_feed(p, "nope")
    assert [f.name for f in load_feeds(p)] == ["B"]
    assert p.read_text(encoding="utf-8").startswith("# my feeds")
    assert remove_feed(p, "B")
    assert load_feeds(p) == []


def test_opml_round_trip(tmp_path: Path):
    feeds = [
        FeedSource("Border & Co", "https://b.example/feed?x=1&y=2", "en"),
        FeedSource("Noroeste", "https://n.example/rss", "es"),
    ]
    opml = tmp_path / "out.opml"
    opml.write_text(to_opml(feeds), encoding="utf-8")
    assert read_opml(opml) == feeds


def test_opml_from_a_feed_reader(tmp_path: Path):
    opml = tmp_path / "miniflux.opml"
    opml.write_text(
        """<?xml version="1.0" encoding="UTF-8"?>
<opml version="2.0"><head><title>Miniflux</title></head><body>
<outline text="Frontera"><outline title="Zeta" text="Zeta" xmlUrl="https://zeta.example/feed/"
 htmlUrl="https://zeta.example/" type="rss"/>
<outline text="Zeta" xmlUrl="https://zeta.example/atom/" type="rss"/></outline>
<outline text="no url"/></body></opml>""",
        encoding="utf-8",
    )
    feeds = read_opml(opml)
    assert [(f.name, f.url) for f in feeds] == [
        ("Zeta", "https://zeta.example/feed/"),
        ("Zeta (2)", "https://zeta.example/atom/"),
    ]
    target = tmp_path / "feeds.yaml"
    assert len(append_feeds(target, feeds)) == 2
    assert len(append_feeds(target, feeds)) == 0


def test_bad_opml(tmp_path: Path):
    p = tmp_path / "bad.opml"
    p.write_text("<opml><body><outline xmlUrl='file:///etc/passwd'/></body></opml>")
    with pytest.raises(ConfigError, match="xmlUrl must be http"):
        read_opml(p)
    p.write_text("<opml><body>")
    with pytest.raises(ConfigError, match="cannot read OPML"):
        read_opml(p)
