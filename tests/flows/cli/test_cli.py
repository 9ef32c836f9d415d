"""The CLI's machine-readable shapes (contracts other tools rely on) and exit codes."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from flows.cli import app

runner = CliRunner()

TOUR_2020 = (
    "In July 2020 President López Obrador toured Guanajuato, Jalisco and Colima after the "
    "massacre at a drug rehabilitation center in Irapuato and the attack by the CJNG on Mexico "
    "City's security chief Omar García Harfuch. He met Governor Diego Sinhue Rodríguez Vallejo "
    "and Governor Enrique Alfaro, and Mayor Claudia Sheinbaum praised the police response. "
    "Officials blamed the Santa Rosa de Lima cartel for the violence in Guanajuato and warned "
    "about precursor chemicals arriving through the port of Manzanillo."
)


def test_tag_json_shape_on_the_2020_tour(tmp_path, settings):
    p = tmp_path / "tour.txt"
    p.write_text(TOUR_2020, encoding="utf-8")
    r = runner.invoke(app, ["tag", str(p), "--date", "2020-07-06", "--json"])
    assert r.exit_code == 0, r.output
    out = json.loads(r.output)
    assert set(out) == {"states", "officials", "groups", "flagged", "reasons"}
    states = {s["id"] for s in out["states"]}
    assert {"guanajuato", "jalisco", "colima", "ciudad-de-mexico"} <= states
    assert all(set(s) == {"id", "name", "via"} for s in out["states"])
    officials = {o["id"] for o in out["officials"]}
    assert {
        "andres-manuel-lopez-obrador",
        "omar-garcia-harfuch",
        "diego-sinhue-rodriguez",
        "enrique-alfaro",
        "claudia-sheinbaum",
    } <= officials, officials
    assert all(set(o) == {"id", "name", "role", "listed"} for o in out["officials"])
    assert all(o["listed"] is (o["id"] is not None) for o in out["officials"])
    assert {"cjng", "csrl"} <= {g["id"] for g in out["groups"]}
    assert out["flagged"] is True and out["reasons"]


def test_tag_json_lists_unlisted_officials(settings):
    """Issue 14: a person the text names with an office title is an official even when the
    watchlist does not list them: id null, the role from the text, "listed": false."""
    text = (
        "Atacaron a balazos al presidente municipal de San Telmo, Rodrigo Paredes Luna, en "
        "Oaxaca. Paredes Luna salió ileso."
    )
    r = runner.invoke(app, ["tag", "-", "--date", "2024-05-02", "--json"], input=text)
    assert r.exit_code == 0, r.output
    assert json.loads(r.output)["officials"] == [
        {
            "id": None,
            "name": "Rodrigo Paredes Luna",
            "role": "presidente municipal de San Telmo",
            "listed": False,
        }
    ]


def test_tag_reads_stdin(settings):
    r = runner.invoke(app, ["tag", "-", "--json"], input="Balacera en Culiacán, Sinaloa.")
    assert r.exit_code == 0
    assert [s["id"] for s in json.loads(r.output)["states"]] == ["sinaloa"]


def test_poll_articles_feeds_json_shapes(settings, demo_site, tmp_path):
    feeds = tmp_path / "feeds.yaml"
    demo_site.write_feeds_yaml(feeds)
    r = runner.invoke(app, ["poll", "--feeds", str(feeds)])
    assert r.exit_code == 0, r.output  # two feeds failed, the run completed
    lines = r.output.splitlines()
    assert lines[0] == "feeds: 8 (6 ok, 0 not modified, 2 failed)"
    assert lines[1] == "new articles: 45 (flagged: 36, already known: 0, article errors: 0)"
    failed = sorted(x.strip().split(":")[1].strip() for x in lines if x.startswith("  failed:"))
    assert failed == ["Demo broken feed (HTTP 500)", "Demo garbage feed (not XML)"]
    r = runner.invoke(app, ["articles", "--flagged", "--json", "--with-text"])
    rows = [json.loads(line) for line in r.output.splitlines()]
    assert len(rows) == 36 and all(row["flagged"] for row in rows)
    assert set(rows[0]) == {
        "id",
        "url",
        "canonical_url",
        "title",
        "published_at",
        "feed",
        "language",
        "flagged",
        "states",
        "officials",
        "groups",
        "cluster_id",
        "other_officials",
        "text_source",
        "text",
    }
    assert all(
        isinstance(o, dict) and set(o) == {"name", "role"}
        for row in rows
        for o in row["other_officials"]
    )
    every = [json.loads(x) for x in runner.invoke(app, ["articles", "--json"]).output.splitlines()]
    assert len(every) == 45
    # the demo site's pages all answer: no stubs (issue 19)
    assert {r["text_source"] for r in every} == {"page"}
    # --since is a UTC day: the demo site publishes 17 articles on or after 2026-11-20, and 3
    # on 2026-11-24 (the last at 23:45 UTC)
    for since, n in (("2026-11-20", 17), ("2026-11-24", 3)):
        r = runner.invoke(app, ["articles", "--json", "--since", since])
        got = {json.loads(x)["id"] for x in r.output.splitlines()}
        assert len(got) == n
        assert got == {a["id"] for a in every if a["published_at"] >= since}
    r = runner.invoke(app, ["articles", "--clusters", "--json"])
    clusters = [json.loads(x) for x in r.output.splitlines()]
    assert all(
        set(c)
        == {
            "cluster_id",
            "size",
            "title",
            "first_seen",
            "outlets",
            "article_ids",
            "representative_id",
            "states",
            "flagged",
        }
        for c in clusters
    )
    # 45 articles in 41 stories: the demo's wire copies make two pairs and one triple
    assert sorted(c["size"] for c in clusters) == [1] * 38 + [2, 2, 3]
    assert sorted(i for c in clusters for i in c["article_ids"]) == sorted(a["id"] for a in every)
    assert all(len(c["article_ids"]) == c["size"] for c in clusters)
    # the demo's outlets all live on one loopback host:port, which is one site
    assert {tuple(c["outlets"]) for c in clusters} == {(demo_site.base_url.split("//")[1],)}
    r = runner.invoke(app, ["feeds", "--json"])
    feeds_rows = [json.loads(x) for x in r.output.splitlines()]
    assert len(feeds_rows) == 8
    for key in (
        "name",
        "url",
        "health",
        "last_status",
        "last_success_at",
        "consecutive_failures",
        "articles",
        "interval_seconds",
        "next_check_at",
    ):
        assert all(key in f for f in feeds_rows)


@pytest.mark.parametrize("body", ["feeds: 3\n", "feeds:\n  - name: x\n    url: gopher://x\n"])
def test_bad_feeds_file_exits_2_naming_file_and_entry(settings, tmp_path, body):
    p = tmp_path / "bad.yaml"
    p.write_text(body, encoding="utf-8")
    r = runner.invoke(app, ["poll", "--feeds", str(p)])
    assert r.exit_code == 2
    assert str(p) in r.output.replace("\n", "")


def test_bad_watchlist_exits_2(settings, tmp_path, monkeypatch):
    wl = tmp_path / "watchlist.yaml"
    wl.write_text("version: 1\ninclude: [nope.yaml]\n", encoding="utf-8")
    monkeypatch.setenv("BORDERWATCH_WATCHLIST", str(wl))
    r = runner.invoke(app, ["tag", "-", "--json"], input="x")
    assert r.exit_code == 2
    assert "nope.yaml" in r.output.replace("\n", "")


def _commands(typer_app, prefix=()):
    import typer.main

    group = typer.main.get_command(typer_app)
    stack = [(prefix, group)]
    while stack:
        path, cmd = stack.pop()
        yield path, cmd
        for name, sub in getattr(cmd, "commands", {}).items():
            stack.append(((*path, name), sub))


def test_every_command_has_help():
    for path, cmd in _commands(app):
        assert (cmd.help or "").strip(), f"no help text for {' '.join(path) or 'borderwatch'}"


def test_feed_management_commands(settings, demo_site, tmp_path):
    feeds = tmp_path / "feeds.yaml"
    feeds.write_text("# mine\nfeeds: []\n", encoding="utf-8")
    good = next(f for f in demo_site.feeds() if f["name"] == "Border Dispatch")
    r = runner.invoke(
        app,
        ["feeds", "add", good["url"], "--name", "BD", "--language", "en", "--feeds", str(feeds)],
    )
    assert r.exit_code == 0 and "added BD" in r.output
    r = runner.invoke(app, ["feeds", "export", "--feeds", str(feeds)])
    assert r.exit_code == 0 and 'xmlUrl="' + good["url"] + '"' in r.output
    opml = tmp_path / "more.opml"
    opml.write_text(
        r.output.replace(good["url"], demo_site.feeds()[0]["url"]).replace('"BD"', '"Other"'),
        encoding="utf-8",
    )
    r = runner.invoke(app, ["feeds", "import", str(opml), "--feeds", str(feeds)])
    assert r.exit_code == 0 and "imported 1 of 1" in r.output
    r = runner.invoke(app, ["feeds", "check", "--json", "--feeds", str(feeds)])
    rows = [json.loads(x) for x in r.output.splitlines()]
    assert [(x["name"], x["outcome"]) for x in rows] == [("BD", "ok"), ("Other", "ok")]
    assert all(x["entries"] > 0 for x in rows)
    r = runner.invoke(app, ["feeds", "remove", "BD", "--feeds", str(feeds)])
    assert r.exit_code == 0
    assert feeds.read_text(encoding="utf-8").startswith("# mine")
    assert runner.invoke(app, ["feeds", "remove", "BD", "--feeds", str(feeds)]).exit_code == 1
