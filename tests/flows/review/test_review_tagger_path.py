"""The morning review on real tagger output: poll the demo site, then `review --json`, the
digest (also `digest --since`) and the web pages, all on what the pipeline itself stored
(no hand-built mentions), on SQLite and PostgreSQL, at a fixed instant.

The demo site (45 articles, 36 flagged, published 2026-11-10 … 2026-11-24) tags into 32 story
clusters of flagged articles (one of three copies, two of two, 29 single) under 14 state
headings.
"""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime, timedelta
from html import escape
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select, update
from typer.testing import CliRunner

from config import clock
from config.settings import load_settings
from config.watchlist_loader import load_watchlist
from extractors.tagger import Tagger
from flows.cli import app
from flows.pipeline.extraction_pool import mention_records
from flows.web import create_app
from storage.db import open_database, session_scope
from storage.tables import Article, Mention

runner = CliRunner()
T0 = datetime(2026, 11, 26, 15, 0, tzinfo=UTC)  # 09:00 in Mexico City
FLAGGED, STORIES, STATE_GROUPS = 36, 32, 14


@pytest.fixture
def cli_db(settings: Any, db_url: str, monkeypatch: pytest.MonkeyPatch) -> str:
    monkeypatch.setenv("BORDERWATCH_DATABASE_URL", db_url)
    return db_url


def invoke(*args: str, input: str | None = None) -> Any:
    r = runner.invoke(app, list(args), input=input)
    assert r.exit_code == 0, r.output
    return r


def json_lines(r: Any) -> list[dict[str, Any]]:
    return [json.loads(x) for x in r.stdout.splitlines()]


def poll_demo(demo_site: Any, tmp_path: Path) -> None:
    feeds = tmp_path / "feeds.yaml"
    demo_site.write_feeds_yaml(feeds)
    r = invoke("poll", "--feeds", str(feeds))
    assert r.stdout.splitlines()[1] == (
        f"new articles: 45 (flagged: {FLAGGED}, already known: 0, article errors: 0)"
    )


def ids(ents: list[dict[str, Any]]) -> list[str]:
    return sorted(e["id"] for e in ents)


def test_poll_review_digest_web_on_tagger_output(cli_db, demo_site, tmp_path):
    settings = load_settings()
    tagger = Tagger(load_watchlist(settings.watchlist))
    with clock.travel(T0):
        poll_demo(demo_site, tmp_path)
        stories = json_lines(invoke("review", "--json"))
        flagged = {a["id"]: a for a in json_lines(invoke("articles", "--flagged", "--json"))}
        every = json_lines(invoke("articles", "--json", "--with-text"))
    assert len(flagged) == FLAGGED

    # review: one row per story cluster, every flagged article exactly once
    assert len(stories) == STORIES
    assert len({s["cluster_id"] for s in stories}) == STORIES
    assert None not in {s["cluster_id"] for s in stories}
    listed = [a["id"] for s in stories for a in s["articles"]]
    assert sorted(listed) == sorted(flagged)
    assert sorted(len(s["articles"]) for s in stories) == [1] * 29 + [2, 2, 3]
    assert len({s["state_group"]["id"] for s in stories if s["state_group"]}) == STATE_GROUPS
    assert {s["status"] for s in stories} == {"new"}
    for s in stories:
        assert {a["id"] for a in s["articles"]} <= {
            a["id"] for a in every if a["cluster_id"] == s["cluster_id"]
        }

    # every article's states, groups, officials and reasons are what the tagger finds in its
    # stored text, and its stored mentions are the tagger's mentions
    by_id = {a["id"]: a for a in every}
    engine = open_database(cli_db)
    try:
        with session_scope(engine) as s:
            stored = {
                r.id: r for r in s.execute(select(Article.id, Article.title, Article.published_at))
            }
            n_mentions = dict(
                s.execute(
                    select(Mention.article_id, func.count()).group_by(Mention.article_id)
                ).all()
            )
        expected_mentions = {}
        for st in stories:
            for a in st["articles"]:
                row = stored[a["id"]]
                res = tagger.tag(
                    by_id[a["id"]]["text"],
                    published=row.published_at.date() if row.published_at else None,
                    title=row.title,
                )
                tags = res.to_json()
                assert ids(a["states"]) == ids(tags["states"]), a["title"]
                assert ids(a["groups"]) == ids(tags["groups"]), a["title"]
                assert ids(a["officials"]) == ids(tags["officials"]), a["title"]
                assert a["reasons"] == tags["reasons"] and tags["flagged"] is True
                assert n_mentions.get(a["id"], 0) == len(mention_records(res))
                expected_mentions[a["id"]] = [
                    m for m in mention_records(res) if m.start >= 0 and m.end > m.start
                ]
        # what the tagger found is not nothing: articles with states / groups / officials
        arts = [a for st in stories for a in st["articles"]]
        assert [sum(1 for a in arts if a[k]) for k in ("states", "groups", "officials")] == [
            FLAGGED,
            FLAGGED,
            32,
        ]

        # the digest: every flagged story, written where documented
        with clock.travel(T0 + timedelta(hours=1)):
            r = invoke("digest", "--no-notify", "--format", "md,html")
            md = settings.data_dir / "digests" / "2026-11-26.md"
            lines = r.stdout.splitlines()
            assert lines[0] == (
                f"digest 2026-11-26: {STORIES} stories ({FLAGGED} flagged articles) in "
                f"{STATE_GROUPS} state groups, 0 spikes"
            )
            # (rich may wrap the paths anywhere: compare without whitespace)
            assert "".join("".join(lines[1:]).split()) == "".join(
                f"wrote {md} wrote {md.with_suffix('.html')}".split()
            )
            assert md.read_text(encoding="utf-8").splitlines()[0] == (
                "# borderwatch digest — 2026-11-26"
            )
            text = md.read_text(encoding="utf-8")
            assert f"{STORIES} stories ({FLAGGED} flagged articles)" in text
            for st in stories:
                assert st["headline"] in text or escape(st["headline"]) in text
            # a second digest right after has nothing new
            r = invoke("digest", "--no-notify", "--json")
            again = json.loads(r.stdout)
            assert (again["stories"], again["articles"]) == (0, 0)

        # the web app: the list shows exactly the flagged articles, the article page
        # highlights what the tagger found
        with TestClient(create_app(settings, engine)) as c:
            page = c.get("/articles", params={"per_page": 200}).text
            table = page[page.index('<span id="total">') : page.index("</table>")]
            assert f"{FLAGGED} articles" in table
            linked = {int(x) for x in re.findall(r'href="/articles/(\d+)"', table)}
            assert linked == set(flagged)
            for aid, ms in expected_mentions.items():
                first = min(ms, key=lambda m: (m.start, -(m.end - m.start)))
                html = c.get(f"/articles/{aid}").text
                label = escape(f"{first.entity_type}: {first.entity_id}")
                mark = (
                    f'<mark class="m m-{first.entity_type}" title="{label}">'
                    f"{escape(by_id[aid]['text'][first.start : first.end])}</mark>"
                )
                assert mark in html, (aid, mark)
    finally:
        engine.dispose()

    # quitting an interactive review records it: the queue is empty afterwards
    with clock.travel(T0 + timedelta(hours=2)):
        r = invoke("review", input="q\n")
        assert " ".join(r.stdout.split()).startswith(
            f"{STORIES} stories ({FLAGGED} new flagged articles) since the beginning"
        )
        assert json_lines(invoke("review", "--json")) == []


def test_digest_since_a_day_counts_the_stories_that_arrived_since(cli_db, demo_site, tmp_path):
    with clock.travel(T0):
        poll_demo(demo_site, tmp_path)
    # let every article arrive when it was published (the digest window is about arrival)
    engine = open_database(cli_db)
    try:
        with session_scope(engine) as s:
            s.execute(update(Article).values(fetched_at=Article.published_at))
    finally:
        engine.dispose()
    flagged = json_lines(invoke("articles", "--flagged", "--json"))
    settings = load_settings()
    digests = settings.data_dir / "digests"
    # --since is local midnight in BORDERWATCH_TIMEZONE (Mexico City, UTC-6 in November)
    for day, n_stories, n_articles in (("2026-11-20", 12, 13), ("2026-11-25", 0, 0)):
        since = datetime.fromisoformat(day + "T06:00:00+00:00")
        window = [a for a in flagged if datetime.fromisoformat(a["published_at"]) > since]
        assert (len({a["cluster_id"] for a in window}), len(window)) == (n_stories, n_articles)
        with clock.travel(T0 + timedelta(hours=1)):
            r = invoke("digest", "--since", day, "--no-notify", "--json")
        out = json.loads(r.stdout)
        assert (out["stories"], out["articles"]) == (n_stories, n_articles), day
        assert out["date"] == "2026-11-26"
        assert [Path(p).parent for p in out["files"]] == [digests]
    # the second digest of the day does not overwrite the first
    files = {p.name for p in digests.iterdir()}
    assert len(files) == 2 and "2026-11-26.md" in files
    (second,) = files - {"2026-11-26.md"}
    assert re.fullmatch(r"2026-11-26-\d{6}\.md", second)
    first = (digests / "2026-11-26.md").read_text(encoding="utf-8")
    assert "12 stories (13 flagged articles) that arrived between 2026-11-20 00:00" in first
