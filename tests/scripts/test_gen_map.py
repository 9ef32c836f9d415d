"""scripts/gen_map.py's pure parts: SVG path parsing/encoding, clipping, TopoJSON decoding."""

from __future__ import annotations

import importlib.util
import math
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
spec = importlib.util.spec_from_file_location("gen_map", ROOT / "scripts" / "gen_map.py")
assert spec and spec.loader
gen_map = importlib.util.module_from_spec(spec)
sys.modules["gen_map"] = gen_map
spec.loader.exec_module(gen_map)


def test_parse_relative_and_absolute_paths():
    rings = gen_map.parse_path("m 10,10 5,0 0,5 z m 20,0 l 1,1 -1,1 z M 0 0 L 2 0 2 2 Z")
    assert rings == [
        [(10.0, 10.0), (15.0, 10.0), (15.0, 15.0)],
        [(30.0, 10.0), (31.0, 11.0), (30.0, 12.0)],
        [(0.0, 0.0), (2.0, 0.0), (2.0, 2.0)],
    ]


def test_encode_round_trips_at_one_decimal():
    rings = [[(10.04, 10.0), (15.0, 10.06), (15.0, 15.0)], [(30.0, 10.0), (31.0, 11.0), (30, 12)]]
    back = gen_map.parse_path(gen_map.encode(rings))
    assert len(back) == 2
    for a, b in zip(rings, back, strict=True):
        assert all(math.dist(p, q) < 0.06 for p, q in zip(a, b, strict=True))
    # degenerate rings (fewer than 3 distinct points after rounding) are dropped
    assert gen_map.encode([[(1.0, 1.0), (1.01, 1.0), (1.0, 1.01)]]) == ""


def test_clip_above_cuts_a_square_in_half():
    square = [(0.0, 0.0), (10.0, 0.0), (10.0, 10.0), (0.0, 10.0)]
    clipped = gen_map._clip_above(square, 5.0)
    assert sorted(clipped) == sorted([(10.0, 5.0), (10.0, 10.0), (0.0, 10.0), (0.0, 5.0)])
    assert abs(gen_map._area(clipped)) == 50.0


def test_decode_topology_delta_arcs_and_negative_indexes():
    topo = {
        "transform": {"scale": [1.0, 1.0], "translate": [100.0, 20.0]},
        "arcs": [[[0, 0], [2, 0], [0, 2]], [[2, 2], [-2, 0], [0, -2]]],
        "objects": {
            "states": {
                "geometries": [
                    {"id": "48", "type": "Polygon", "arcs": [[0, 1]]},
                    {"id": "06", "type": "MultiPolygon", "arcs": [[[~1, ~0]]]},
                    {"id": "99", "type": "Polygon", "arcs": [[0]]},
                ]
            }
        },
    }
    got = gen_map.decode_topology(topo, {"48", "06"})
    assert set(got) == {"48", "06"}
    assert got["48"] == [
        [(100.0, 20.0), (102.0, 20.0), (102.0, 22.0), (100.0, 22.0), (100.0, 20.0)]
    ]
    assert got["06"] == [
        [(100.0, 20.0), (100.0, 22.0), (102.0, 22.0), (102.0, 20.0), (100.0, 20.0)]
    ]
