"""`borderwatch review`, `digest` and `web` through the real typer app (CliRunner), on both
engines: the JSON shape, the interactive loop fed through stdin, persistence."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import select
from typer.testing import CliRunner

from extractors.models import Mention
from flows.cli import app
from storage import briefs as briefs_db
from storage import review_queue as review_queue_db
from storage.db import session_scope
from storage.tables import Article

runner = CliRunner()


@pytest.fixture
def cli_db(seeded, settings, monkeypatch):
    monkeypatch.setenv("BORDERWATCH_DATABASE_URL", seeded.engine.url.render_as_string(False))
    return seeded


def _lines(output):
    return [json.loads(x) for x in output.splitlines() if x.strip()]


def test_review_json_shape(cli_db):
    res = runner.invoke(app, ["review", "--json"])
    assert res.exit_code == 0, res.output
    stories = _lines(res.stdout)
    assert len(stories) == 6  # 7 flagged articles, the Fresnillo pair is one story
    for st in stories:
        assert set(st) >= {
            "cluster_id",
            "state_group",
            "states",
            "headline",
            "size",
            "outlets",
            "status",
            "articles",
        }
        for a in st["articles"]:
            assert set(a) >= {
                "id",
                "title",
                "url",
                "feed",
                "published_at",
                "states",
                "officials",
                "groups",
                "reasons",
                "review_status",
            }
            assert a["published_at"].endswith("Z")
    first = stories[0]
    assert first["state_group"] == {"id": "zacatecas", "name": "Zacatecas"}
    pair = next(s for s in stories if len(s["articles"]) == 2)
    assert pair["size"] == 2 and pair["outlets"] == ["El Sol de Zacatecas", "Imagen Zacatecas"]
    assert pair["articles"][0]["groups"] == [
        {"id": "cjng", "name": "Cártel de Jalisco Nueva Generación"}
    ]
    assert stories[-1]["state_group"] is None
    cul = next(s for s in stories if s["state_group"] and s["state_group"]["id"] == "sinaloa")
    assert cul["articles"][0]["officials"][0] == {
        "id": "ruben-rocha-moya",
        "name": "Rubén Rocha Moya",
        "role": "governor",
    }
    assert cul["articles"][0]["other_officials"] == []  # issue 14: key present, none here
    # --json does not count as a review
    with session_scope(cli_db.engine) as s:
        assert review_queue_db.get_marker(s, review_queue_db.LAST_REVIEW) is None


def test_interactive_review_persists_decisions(cli_db):
    ids = cli_db.ids
    keys = "\n".join(
        [
            "1",  # open the first story (Zacatecas)
            "n ya confirmado por la fiscalía",  # note only
            "i escalating",  # important, with a note → back to the list
            "d 2 old news",  # dismiss story 2 from the list
            "r 99",  # no such story
            "bogus",
            "q",
        ]
    )
    res = runner.invoke(app, ["review"], input=keys + "\n")
    assert res.exit_code == 0, res.output
    out = res.stdout
    assert "6 stories" in out and "Zacatecas" in out
    assert "no story 99" in out
    assert "escalating" in out and "decisions saved" in out
    with session_scope(cli_db.engine) as s:
        rows = dict(s.execute(select(Article.id, Article.review_status)).tuples().all())
        notes = dict(s.execute(select(Article.id, Article.review_note)).tuples().all())
        assert review_queue_db.get_marker(s, review_queue_db.LAST_REVIEW) is not None
    important = [i for i, st in rows.items() if st == "important"]
    dismissed = [i for i, st in rows.items() if st == "dismissed"]
    assert len(important) >= 1 and len(dismissed) >= 1
    assert all(notes[i] == "escalating" for i in important)
    assert all(notes[i] == "old news" for i in dismissed)
    assert ids["routine"] not in important + dismissed
    # the next review starts after this one: nothing new arrived since
    res2 = runner.invoke(app, ["review", "--json"])
    assert res2.stdout.strip() == ""
    res3 = runner.invoke(app, ["review", "--json", "--all"])
    assert len(_lines(res3.stdout)) == 4  # still-new stories remain reachable


def test_interactive_open_shows_text_with_mentions(cli_db):
    # story 3 is the Fresnillo attack carried by two outlets (newest Zacatecas story first)
    res = runner.invoke(app, ["review"], input="3\n2\nb\nq\n")
    assert res.exit_code == 0
    out = res.stdout
    assert "helicóptero" in out and "CJNG" in out
    assert "copies in this review: 1: El Sol de Zacatecas, 2: Imagen Zacatecas" in out
    assert "https://imagen.example/fresnillo-base" in out  # "2" opened the second copy


def test_highlight_rich_styles_mention_spans():
    from flows.cli.review import highlight_rich

    text = "[bold]x[/] en Zacatecas"
    t = highlight_rich(text, [Mention("state", "zac", "Zacatecas", 14, 23)])
    assert t.plain == text  # not parsed as markup
    assert [(sp.start, sp.end, str(sp.style)) for sp in t.spans] == [(14, 23, "bold blue")]


def test_digest_command_writes_file(cli_db, settings):
    res = runner.invoke(app, ["digest", "--format", "md,html", "--json"])
    assert res.exit_code == 0, res.output
    summary = json.loads(res.stdout)
    assert summary["stories"] == 6 and summary["spikes"][0]["id"] == "zacatecas"
    assert [p.rsplit(".", 1)[1] for p in summary["files"]] == ["md", "html"]
    from pathlib import Path

    md = Path(summary["files"][0]).read_text(encoding="utf-8")
    assert md.startswith("# borderwatch digest") and "## Zacatecas" in md
    res2 = runner.invoke(app, ["digest"])
    assert res2.exit_code == 0 and "0 stories" in res2.stdout
    bad = runner.invoke(app, ["digest", "--format", "pdf"])
    assert bad.exit_code == 2


def test_web_refuses_non_loopback_without_token(settings, monkeypatch):
    res = runner.invoke(app, ["web", "--host", "0.0.0.0"])
    assert res.exit_code == 2
    assert "BORDERWATCH_WEB_TOKEN" in res.output


def test_check_bind():
    from flows.web import BindError, check_bind

    for host in ("127.0.0.1", "::1", "localhost", "127.0.0.2"):
        check_bind(host, "")
    for host in ("0.0.0.0", "192.168.1.5", "::", "example.org"):
        with pytest.raises(BindError):
            check_bind(host, "")
        check_bind(host, "s3cret")


def test_unlisted_officials_reach_review_json() -> None:
    """Issue 14: officials the watchlist does not list ("listed": false in the tags) are shown
    next to the listed ones: review --json gives them as other_officials [{name, role}]."""
    from datetime import UTC, datetime
    from types import SimpleNamespace

    from flows.review.export import article_json

    row = SimpleNamespace(
        id=7,
        title="t",
        url="https://x.example/a",
        canonical_url="https://x.example/a",
        site="x.example",
        name="X",
        published_at=datetime(2026, 1, 5, tzinfo=UTC),
        fetched_at=datetime(2026, 1, 5, tzinfo=UTC),
        language="es",
        flagged=True,
        reasons=["r"],
        review_status="new",
        review_note=None,
        reviewed_at=None,
        cluster_id=None,
        tags={
            "states": [],
            "groups": [],
            "officials": [
                {"id": "ruben-rocha-moya", "name": "Rubén Rocha Moya", "role": "governor"},
                {
                    "id": None,
                    "name": "Ana Ruiz Soto",
                    "role": "alcaldesa de Elota",
                    "listed": False,
                },
            ],
        },
    )
    a = briefs_db.to_brief(row)
    assert [e.id for e in a.officials] == ["ruben-rocha-moya"]
    out = article_json(a)
    assert out["other_officials"] == [{"name": "Ana Ruiz Soto", "role": "alcaldesa de Elota"}]
    assert out["officials"] == [
        {"id": "ruben-rocha-moya", "name": "Rubén Rocha Moya", "role": "governor"}
    ]
