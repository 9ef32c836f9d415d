"""`borderwatch feeds` in an 80-column terminal (issue 17): the compact layout."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from flows.cli import _common, app

runner = CliRunner()


@pytest.mark.parametrize("width", [80, 100])
def test_feeds_fit_a_narrow_terminal(settings, demo_site, tmp_path, monkeypatch, width):
    feeds = tmp_path / "feeds.yaml"
    demo_site.write_feeds_yaml(feeds)
    assert runner.invoke(app, ["poll", "--feeds", str(feeds)]).exit_code == 0
    rows = [json.loads(x) for x in runner.invoke(app, ["feeds", "--json"]).output.splitlines()]
    monkeypatch.setattr(_common.out, "width", width)
    r = runner.invoke(app, ["feeds"])
    assert r.exit_code == 0, r.output
    lines = r.output.splitlines()
    assert max(len(x) for x in lines) <= width
    heads = [x for x in lines if not x.startswith(" ")]
    # one head line per feed: its health word, then its name (never folded to one letter)
    assert len(heads) == len(rows) == 8
    for row in rows:
        assert any(h.startswith(f"{row['health']:<8} {row['name']} ") for h in heads), row
    failing = [row for row in rows if row["health"] == "failing"]
    assert len(failing) == 2
    assert sum(1 for x in lines if x.strip().startswith("error: ")) == 2


def test_feeds_wide_terminal_keeps_the_table(settings, demo_site, tmp_path, monkeypatch):
    feeds = tmp_path / "feeds.yaml"
    demo_site.write_feeds_yaml(feeds)
    runner.invoke(app, ["poll", "--feeds", str(feeds)])
    monkeypatch.setattr(_common.out, "width", 200)
    r = runner.invoke(app, ["feeds"])
    assert "last status" in r.output and "next check" in r.output
