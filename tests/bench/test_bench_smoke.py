"""The benchmark harness (bench/) at tiny scale: scoring, the simulated web, the naive
baseline, one borderwatch poll and the extraction bench. Pages come from ../shared (skipped
when absent)."""

from __future__ import annotations

import json
import urllib.request
from pathlib import Path

import pytest

from bench.corpus import data_dir
from bench.scoring import score, score_page, shingles

needs_pages = pytest.mark.skipif(data_dir() is None, reason="../shared benchmark pages absent")


def test_shingles_and_page_score():
    assert shingles("") == {}
    assert list(shingles("one two")) == [("one", "two")]  # < 4 tokens: one short shingle
    assert len(shingles("a b c d e")) == 2
    same = score_page("The cat sat on the mat.", "the cat, sat on the mat")
    assert same.precision < 1  # case is kept
    exact = score_page("The cat sat on the mat.", "The cat sat on the mat")
    assert (exact.precision, exact.recall, exact.exact) == (1.0, 1.0, True)
    half = score_page("a b c d e f g", "a b c d")  # 4 truth shingles, 1 predicted
    assert half.precision == 1.0 and half.recall == pytest.approx(0.25)
    none = score_page("a b c d", "")
    assert (none.precision, none.recall, none.pred_has_shingles) == (0.0, 0.0, False)


def test_aggregate_skips_empty_predictions_in_precision():
    s = score({"x": "a b c d e", "y": "f g h i j"}, {"x": "a b c d e", "y": ""}, bootstrap=10)
    assert s.precision == 1.0  # y's empty prediction is left out of the precision mean
    assert s.recall == pytest.approx(0.5)
    assert s.f1 == pytest.approx(2 * 0.5 / 1.5)
    assert s.accuracy == 0.5


def test_make_targets_skip_cleanly_without_data(monkeypatch, capsys, tmp_path):
    from bench import extraction, run

    monkeypatch.setenv("BORDERWATCH_BENCH_DATA", str(tmp_path / "nowhere"))
    assert run.main(["--no-write"]) == 0
    assert extraction.main(["--no-write"]) == 0
    assert "skipping" in capsys.readouterr().out


@needs_pages
def test_simulated_web_feeds_pages_and_conditional_get():
    from bench.newsweb import NewsWeb, WebConfig

    with NewsWeb(WebConfig(hosts=2, feeds=3, items=2)) as web:
        url = web.feed_url(2)  # feed 2 lives on host 0
        assert "127.1.0.1" in url
        with urllib.request.urlopen(url, timeout=10) as r:
            body, etag = r.read(), r.headers["ETag"]
        assert body.count(b"<item>") == 2 and b"/news/2/1.html" in body
        req = urllib.request.Request(url, headers={"If-None-Match": etag})
        with pytest.raises(urllib.error.HTTPError) as exc:
            urllib.request.urlopen(req, timeout=10)
        assert exc.value.code == 304
        page = urllib.request.urlopen(f"{web.host_url(0)}/news/2/1.html", timeout=10).read()
        assert page.count(b"Bench story 2-1.") == 2
        web.advance()
        with urllib.request.urlopen(url, timeout=10) as r:
            assert r.headers["ETag"] != etag and b"/news/2/2.html" in r.read()
        assert web.stats()["feeds_304"] == 1


@needs_pages
def test_baseline_and_poll_run_at_tiny_scale(tmp_path: Path):
    from bench.measure import run_child
    from bench.newsweb import NewsWeb, WebConfig
    from bench.run import poll, stage_rows

    with NewsWeb(WebConfig(hosts=2, feeds=2, items=2)) as web:
        base = run_child("bench.baseline", ["--db", str(tmp_path / "b.db"), *web.feed_urls()])
        assert base.result["articles"] == 4 and base.peak_rss > 0
        bw = poll(web, tmp_path, "bw", workers=1, per_host_delay=0)
    r = bw.result
    assert r["new_articles"] == 4, json.dumps(r)
    assert r["article_errors"] == 0 and bw.peak_rss > 0
    assert {"fetch-feeds", "fetch-extract-tag-store"} <= set(r["steps"])
    assert len(stage_rows(r)) > 5


@needs_pages
def test_extraction_bench_and_ceiling_on_a_few_pages(capsys):
    from bench import ceiling, extraction

    assert extraction.main(["--limit", "3", "--no-write"]) == 0
    out = capsys.readouterr().out
    assert "borderwatch" in out and "F1" in out
    assert ceiling.pages_per_second(1) > 0
