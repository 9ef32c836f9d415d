"""The benchmark harness (bench/) at tiny scale: scoring, the simulated web, the naive
baseline, one borderwatch poll and the extraction bench. Pages come from ../shared (skipped
when absent)."""

from __future__ import annotations

import json
import re
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


def test_soak_web_faults_are_the_documented_ones():
    from bench.newsweb import WebConfig, fault_of

    cfg = WebConfig(hosts=10, feeds=30, items=10, faults=True)
    assert fault_of(cfg, 29, 0) == "feed_500"  # the last feed is down
    assert fault_of(cfg, 4, 13) == "page_500_twin"  # feeds 0-9: j % 10 == 3
    assert fault_of(cfg, 14, 13) is None  # feeds 10-19 only carry the twins
    assert fault_of(cfg, 21, 27) == "page_500"  # feeds 20-28: j % 10 == 7
    assert fault_of(cfg, 5, 8) == "page_503_once"  # (i + j) % 13 == 0
    assert fault_of(WebConfig(hosts=10, feeds=30, items=10), 29, 0) is None  # faults off
    from bench.bench_soak import story_of

    assert story_of("http://127.1.0.1:9/lite/4/13.html") == (4, 13)
    assert story_of("http://127.1.0.1:9/news/4/13.html") == (4, 13)
    assert story_of("http://127.1.0.1:9/feeds/4.xml") is None


@needs_pages
def test_soak_web_rotates_in_real_time_serves_archives_and_twins():
    from bench.newsweb import NewsWeb, WebConfig

    cfg = WebConfig(hosts=2, feeds=5, items=3, new_every=3600, rotate=True, archive=True)
    cfg = WebConfig(**{**cfg.__dict__, "faults": True})
    with NewsWeb(cfg) as web:
        assert web.stats()["started"] is None  # publication starts with the first feed request
        body = urllib.request.urlopen(web.feed_url(2), timeout=10).read()
        assert body.count(b"<item>") == 3
        assert web.stats()["started"] is not None
        web.advance(1)  # items 1..3 listed
        # feed 3 (host 1) lists the AMP twin of feed 1's item 3, whose own page fails for ever
        body = urllib.request.urlopen(web.feed_url(3), timeout=10).read().decode()
        assert re.findall(r'href="[^"]*/lite/(\d+/\d+)\.html"', body) == ["1/3"]
        with urllib.request.urlopen(f"{web.host_url(1)}/lite/1/3.html", timeout=10) as r:
            assert r.headers["Link"] == f'<{web.host_url(1)}/news/1/3.html>; rel="canonical"'
        with pytest.raises(urllib.error.HTTPError) as exc:
            urllib.request.urlopen(f"{web.host_url(1)}/news/1/3.html", timeout=10)
        assert exc.value.code == 500
        web.advance(3)  # items 0..6 published: the feed lists 6, 5, 4
        body = urllib.request.urlopen(web.feed_url(2), timeout=10).read().decode()
        assert [int(x) for x in re.findall(r"/news/2/(\d+)\.html</link>", body)] == [6, 5, 4]
        page2 = urllib.request.urlopen(web.feed_url(2) + "?paged=2", timeout=10).read().decode()
        assert [int(x) for x in re.findall(r"/news/2/(\d+)\.html</link>", page2)] == [3, 2, 1]
        page3 = urllib.request.urlopen(web.feed_url(2) + "?paged=3", timeout=10).read().decode()
        assert [int(x) for x in re.findall(r"/news/2/(\d+)\.html</link>", page3)] == [0]
        with pytest.raises(urllib.error.HTTPError) as exc:
            urllib.request.urlopen(web.feed_url(2) + "?paged=4", timeout=10)
        assert exc.value.code == 404
        with pytest.raises(urllib.error.HTTPError) as exc:  # the last feed is down
            urllib.request.urlopen(web.feed_url(4), timeout=10)
        assert exc.value.code == 500


def test_soak_memory_floor_is_taken_between_runs():
    from bench.bench_soak import memory_per_minute

    mb = 2**20
    samples = [
        (5.0, 90 * mb, False),  # minute 0: start-up, never a floor
        (61.0, 500 * mb, True),
        (70.0, 330 * mb, False),
        (80.0, 331 * mb, False),
        (121.0, 520 * mb, True),  # a run the whole minute: no floor
        (181.0, 335 * mb, False),
    ]
    assert memory_per_minute(samples) == [
        {"minute": 0, "between_runs": None, "peak": 90.0, "runs_active_s": 0},
        {"minute": 1, "between_runs": 330.0, "peak": 500.0, "runs_active_s": 1},
        {"minute": 2, "between_runs": None, "peak": 520.0, "runs_active_s": 1},
        {"minute": 3, "between_runs": 335.0, "peak": 335.0, "runs_active_s": 0},
    ]
