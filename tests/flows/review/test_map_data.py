"""The generated map (flows/review/mapdata/map.json) against the watchlist, and the SVG
renderers."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import yaml

from flows.review import charts

ROOT = Path(__file__).resolve().parents[3]


def test_every_watchlist_state_has_one_shape_and_the_us_border_states_match():
    states = yaml.safe_load((ROOT / "config/watchlist/states.yaml").read_text("utf-8"))["states"]
    data = charts.map_data()
    assert len(data.states) == 32
    assert sorted(s.id for s in data.states) == sorted(s["id"] for s in states)
    by_id = {s["id"]: s for s in states}
    for shape in data.states:
        assert shape.iso == by_id[shape.id]["iso"]
        assert shape.disputed == bool(by_id[shape.id]["disputed"])
        assert shape.path.startswith("m") and shape.path.endswith("z")
    # the four US border states use the watchlist's jurisdiction ids (officials.yaml)
    officials = (ROOT / "config/watchlist/officials.yaml").read_text("utf-8")
    us_jurisdictions = set(re.findall(r"role: us-governor, jurisdiction: (us-[a-z]{2})", officials))
    assert [s.id for s in data.us_states] == ["us-ca", "us-az", "us-nm", "us-tx"]
    assert {s.id for s in data.us_states} == us_jurisdictions
    # the border fit placed the US states onto the Mexico map within ~1 px
    import json

    proj = json.loads(charts.MAP_FILE.read_text("utf-8"))["projection"]
    assert proj["median_residual_px"] < 2.0
    assert proj["border_points_matched"] >= 50


def test_map_svg_shades_marks_and_links():
    svg = str(
        charts.map_svg(
            {"tamaulipas": 5, "zacatecas": 1},
            spikes={"tamaulipas": "5 stories"},
            href=lambda sid: f"/entity/state/{sid}",
        )
    )
    cells = dict(re.findall(r'id="map-([a-z-]+)" d="[^"]+" fill="(#[0-9a-f]{6})"', svg))
    assert len(cells) == 32
    assert cells["tamaulipas"] == charts.SCALE[4]
    assert cells["zacatecas"] == charts.SCALE[0]
    assert cells["yucatan"] == charts.EMPTY
    assert re.findall(r'class="map-spike" data-state="([a-z-]+)"', svg) == ["tamaulipas"]
    assert svg.count('<a href="/entity/state/') == 32
    assert "<script" not in svg and "class=" in svg


def test_shade_classes():
    assert [charts.shade(n, 5) for n in range(6)] == [charts.EMPTY, *charts.SCALE]
    assert charts.shade(1, 100) == charts.SCALE[0]
    assert charts.shade(3, 0) == charts.EMPTY


def test_timeline_bars_and_threshold():
    days = [date(2026, 11, d) for d in range(1, 17)]
    vals = [0, 1, 0, 1, 0, 1, 0, 1, 0, 1, 0, 1, 0, 1, 6, 0]
    th = charts.spike_threshold_line(vals)
    assert th[:14] == [None] * 14
    # day 15: baseline = days 1-14 (mean 0.5, sd 0.5) → max(3, 0.5 + 1.5) = 3
    assert th[14] == 3.0
    svg = str(charts.timeline_svg(days, [("stories", vals)], threshold=th))
    bars = re.findall(r'data-day="([\d-]+)" data-count="(\d+)"', svg)
    assert bars == [(d.isoformat(), str(v)) for d, v in zip(days, vals, strict=True) if v]
    assert svg.count('class="threshold"') == 1
