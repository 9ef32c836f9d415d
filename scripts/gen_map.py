"""Generate flows/review/mapdata/map.json: the state shapes the overview map and the digest draw.

Sources (both fetched with ``npm pack`` into a temporary directory, or read from ``--from DIR``
where the two tarballs were unpacked as DIR/mexico/package and DIR/us-atlas/package):

* ``@svg-maps/mexico@2.0.0`` (CC BY 4.0, Victor Cazanave, based on MapSVG): the 32 federal
  entities as SVG paths, ids = the ISO 3166-2 code without ``MX-`` (``agu`` … ``zac``). Each is
  mapped to the watchlist's state id through the ``iso`` field of config/watchlist/states.yaml;
  the script fails unless all 32 match.
* ``us-atlas@3.0.1`` (ISC, Mike Bostock; US Census Bureau cartographic boundaries 2017, public
  domain): California, Arizona, New Mexico and Texas as context. (``@svg-maps/usa`` is
  CC BY-NC 4.0, not compatible with this MIT project, so it is not used.) The unprojected
  lon/lat rings are placed onto the Mexico SVG's coordinates by a projection fitted to the
  shared border: ``x = a·lon + b``, ``y = c·mercator(lat) + d``, refined by iterative
  closest-point matching of the US states' border vertices to the vertices of Baja California,
  Sonora, Chihuahua, Coahuila, Nuevo León and Tamaulipas. The fit's median residual (pixels) is
  stored in map.json and printed.

    python scripts/gen_map.py [--from DIR] [--out flows/review/mapdata/map.json]
"""

from __future__ import annotations

import argparse
import json
import math
import re
import statistics
import subprocess
import tarfile
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
MEXICO_PKG = "@svg-maps/mexico@2.0.0"
US_PKG = "us-atlas@3.0.1"
# FIPS code → the watchlist's jurisdiction id (officials.yaml, role us-governor) and name
US_STATES = {"06": ("us-ca", "California"), "04": ("us-az", "Arizona"),
             "35": ("us-nm", "New Mexico"), "48": ("us-tx", "Texas")}  # fmt: skip
CONTEXT_LAT = 34.3  # north edge of the map (°N): the border states are cut there
NORTHERN = ("bcn", "son", "chh", "coa", "nle", "tam")
Point = tuple[float, float]


def fetch(dest: Path) -> None:
    for pkg, sub in ((MEXICO_PKG, "mexico"), (US_PKG, "us-atlas")):
        out = subprocess.run(
            ["npm", "pack", pkg, "--pack-destination", str(dest)],
            check=True,
            capture_output=True,
            text=True,
        ).stdout.split()[-1]
        (dest / sub).mkdir()
        with tarfile.open(dest / out) as t:
            t.extractall(dest / sub, filter="data")


def parse_path(d: str) -> list[list[Point]]:
    """An SVG path of m/M/l/L/z commands → absolute rings."""
    rings: list[list[Point]] = []
    ring: list[Point] = []
    x = y = 0.0
    cmd = "m"
    start: Point = (0.0, 0.0)
    tokens = re.findall(r"[mMlLzZ]|-?[\d.]+(?:e-?\d+)?", d)
    i = 0
    first_of_move = False
    while i < len(tokens):
        t = tokens[i]
        if t in "mMlLzZ":
            cmd = t
            i += 1
            if t in "zZ":
                if ring:
                    rings.append(ring)
                ring = []
                x, y = start
            else:
                first_of_move = t in "mM"
            continue
        dx, dy = float(tokens[i]), float(tokens[i + 1])
        i += 2
        rel = cmd.islower()
        if first_of_move:
            if ring:
                rings.append(ring)
            ring = []
            x, y = (x + dx, y + dy) if rel else (dx, dy)
            start = (x, y)
            first_of_move = False
        else:
            x, y = (x + dx, y + dy) if rel else (dx, dy)
        ring.append((x, y))
    if ring:
        rings.append(ring)
    return rings


def encode(rings: list[list[Point]], digits: int = 1) -> str:
    """Rings → a compact relative SVG path (coordinates rounded to ``digits``)."""
    parts: list[str] = []
    px = py = 0
    scale = 10**digits
    for ring in rings:
        pts: list[tuple[int, int]] = []
        for x, y in ring:
            q = (round(x * scale), round(y * scale))
            if not pts or q != pts[-1]:
                pts.append(q)
        if len(pts) < 3:
            continue
        (x0, y0), rest = pts[0], pts[1:]
        parts.append(f"m{_n(x0 - px, scale)} {_n(y0 - py, scale)}")
        seg = []
        cx, cy = x0, y0
        for qx, qy in rest:
            seg.append(f"{_n(qx - cx, scale)} {_n(qy - cy, scale)}")
            cx, cy = qx, qy
        parts.append("l" + " ".join(seg) + "z")
        px, py = x0, y0
    return "".join(parts)


def _n(v: int, scale: int) -> str:
    s = f"{v / scale:.{len(str(scale)) - 1}f}".rstrip("0").rstrip(".")
    return s if s not in ("-0", "") else "0"


def decode_topology(topo: dict, ids: set[str]) -> dict[str, list[list[Point]]]:
    """TopoJSON (quantized, delta-encoded arcs) → lon/lat rings of the chosen geometries."""
    sx, sy = topo["transform"]["scale"]
    tx, ty = topo["transform"]["translate"]
    arcs: list[list[Point]] = []
    for arc in topo["arcs"]:
        x = y = 0
        pts = []
        for dx, dy in arc:
            x, y = x + dx, y + dy
            pts.append((x * sx + tx, y * sy + ty))
        arcs.append(pts)

    def ring(idx: list[int]) -> list[Point]:
        out: list[Point] = []
        for a in idx:
            pts = arcs[a] if a >= 0 else arcs[~a][::-1]
            out.extend(pts if not out else pts[1:])
        return out

    found: dict[str, list[list[Point]]] = {}
    for g in topo["objects"]["states"]["geometries"]:
        if g["id"] not in ids:
            continue
        polys = g["arcs"] if g["type"] == "MultiPolygon" else [g["arcs"]]
        found[g["id"]] = [ring(r) for poly in polys for r in poly]
    return found


def merc(lat: float) -> float:
    return math.log(math.tan(math.pi / 4 + math.radians(lat) / 2))


def fit(us: list[Point], mx: list[Point], init: tuple[float, float, float, float]) -> tuple:
    """Iterative closest point on x = a·lon + b, y = c·merc(lat) + d."""
    a, b, c, d = init
    grid: dict[tuple[int, int], list[Point]] = {}
    for p in mx:
        grid.setdefault((int(p[0] // 4), int(p[1] // 4)), []).append(p)

    def nearest(q: Point) -> tuple[float, Point | None]:
        best, bp = 1e9, None
        gx, gy = int(q[0] // 4), int(q[1] // 4)
        for i in range(gx - 3, gx + 4):
            for j in range(gy - 3, gy + 4):
                for p in grid.get((i, j), ()):
                    dd = (p[0] - q[0]) ** 2 + (p[1] - q[1]) ** 2
                    if dd < best:
                        best, bp = dd, p
        return math.sqrt(best), bp

    resid: list[float] = []
    for limit in (12.0, 8.0, 5.0, 3.0, 2.0, 2.0, 2.0):
        pairs = []
        resid = []
        for lon, lat in us:
            q = (a * lon + b, c * merc(lat) + d)
            dist, p = nearest(q)
            if p is not None and dist <= limit:
                pairs.append((lon, merc(lat), p))
                resid.append(dist)
        if len(pairs) < 20:
            raise SystemExit(f"fit failed: only {len(pairs)} border points matched")
        a, b = _lsq([(lon, p[0]) for lon, _, p in pairs])
        c, d = _lsq([(m, p[1]) for _, m, p in pairs])
    return a, b, c, d, statistics.median(resid), len(resid)


def _lsq(xy: list[tuple[float, float]]) -> tuple[float, float]:
    n = len(xy)
    mx = sum(x for x, _ in xy) / n
    my = sum(y for _, y in xy) / n
    sxx = sum((x - mx) ** 2 for x, _ in xy)
    sxy = sum((x - mx) * (y - my) for x, y in xy)
    k = sxy / sxx
    return k, my - k * mx


def watchlist_states() -> list[dict]:
    import yaml

    doc = yaml.safe_load((ROOT / "config/watchlist/states.yaml").read_text(encoding="utf-8"))
    return list(doc["states"])


def build(src: Path) -> dict:
    js = (src / "mexico/package/index.js").read_text(encoding="utf-8").strip()
    mex = json.loads(js.removeprefix("export default").strip().rstrip(";"))
    shapes = {loc["id"]: (loc["name"], parse_path(loc["path"])) for loc in mex["locations"]}
    states = watchlist_states()
    by_iso = {str(s["iso"]).split("-", 1)[1].lower(): s for s in states}
    missing = sorted(set(by_iso) ^ set(shapes))
    if missing or len(states) != 32:
        raise SystemExit(f"watchlist and map do not match: {missing}")
    topo = json.loads((src / "us-atlas/package/states-10m.json").read_text(encoding="utf-8"))
    us = decode_topology(topo, set(US_STATES))
    # border vertices: the US rings' points south of 33°N (the border runs 25.8–32.7°N)
    border = [p for rings in us.values() for r in rings for p in r if p[1] < 33.0]
    mx_pts = [p for k in NORTHERN for r in shapes[k][1] for p in r]
    xs = [p[0] for _, rings in shapes.values() for r in rings for p in r]
    ys = [p[1] for _, rings in shapes.values() for r in rings for p in r]
    # a rough start from the bounding boxes (mainland Mexico ≈ 117.1–86.7°W, 14.5–32.7°N)
    a0 = (max(xs) - min(xs)) / (-86.7 + 117.1)
    b0 = min(xs) - a0 * -117.1
    c0 = (max(ys) - min(ys)) / (merc(14.5) - merc(32.7))
    d0 = min(ys) - c0 * merc(32.7)
    a, b, c, d, resid, matched = fit(border, mx_pts, (a0, b0, c0, d0))
    # the US states are context: only the part south of CONTEXT_LAT is kept (clipped)
    top = c * merc(CONTEXT_LAT) + d
    us_xy = {
        k: [
            c2
            for r in rings
            if len(c2 := _clip_above([(a * lon + b, c * merc(lat) + d) for lon, lat in r], top))
            >= 3
        ]
        for k, rings in us.items()
    }
    left = min(min(xs), *(p[0] for rings in us_xy.values() for r in rings for p in r))
    right = max(max(xs), *(p[0] for rings in us_xy.values() for r in rings for p in r))
    pad = 4.0
    ox, oy = left - pad, top - pad
    width, height = right - left + 2 * pad, max(ys) - top + 2 * pad

    def shift(rings: list[list[Point]]) -> list[list[Point]]:
        return [[(x - ox, y - oy) for x, y in r] for r in rings]

    out_states = []
    for code, (_, rings) in sorted(shapes.items()):
        s = by_iso[code]
        cx, cy = _centroid(shift(rings))
        out_states.append(
            {
                "id": s["id"],
                "iso": s["iso"],
                "name": s["name"],
                "disputed": bool(s.get("disputed")),
                "path": encode(shift(rings)),
                "label": [round(cx, 1), round(cy, 1)],
            }
        )
    out_us = []
    for fips, (sid, name) in US_STATES.items():
        rings = [_thin(r, 0.8) for r in shift(us_xy[fips])]
        cx, cy = _centroid(rings)
        out_us.append(
            {
                "id": sid,
                "name": name,
                "path": encode(rings),
                "label": [round(cx, 1), round(cy, 1)],
            }
        )
    return {
        "viewBox": [0, 0, round(width, 1), round(height, 1)],
        "states": out_states,
        "us_states": out_us,
        "projection": {
            "x": f"{a:.5f}*lon + {b - ox:.3f}",
            "y": f"{c:.5f}*mercator(lat) + {d - oy:.3f}",
            "border_points_matched": matched,
            "median_residual_px": round(resid, 3),
        },
        "sources": {
            "mexico": f"{MEXICO_PKG} (CC BY 4.0)",
            "us": f"{US_PKG} states-10m.json (ISC; US Census Bureau)",
        },
    }


def _clip_above(ring: list[Point], ymin: float) -> list[Point]:
    """Sutherland–Hodgman: the part of the ring with y ≥ ymin."""
    out: list[Point] = []
    for p, q in zip(ring, ring[1:] + ring[:1], strict=True):
        pin, qin = p[1] >= ymin, q[1] >= ymin
        if pin:
            out.append(p)
        if pin != qin:
            t = (ymin - p[1]) / (q[1] - p[1])
            out.append((p[0] + t * (q[0] - p[0]), ymin))
    return out


def _thin(ring: list[Point], tol: float) -> list[Point]:
    out = [ring[0]]
    for p in ring[1:]:
        if math.dist(p, out[-1]) >= tol:
            out.append(p)
    return out


def _centroid(rings: list[list[Point]]) -> Point:
    """The centroid of the largest ring (a label position)."""
    ring = max(rings, key=lambda r: abs(_area(r)))
    area = _area(ring)
    if abs(area) < 1e-9:
        return ring[0]
    cx = cy = 0.0
    for (x1, y1), (x2, y2) in zip(ring, ring[1:] + ring[:1], strict=True):
        k = x1 * y2 - x2 * y1
        cx += (x1 + x2) * k
        cy += (y1 + y2) * k
    return cx / (6 * area), cy / (6 * area)


def _area(ring: list[Point]) -> float:
    return (
        sum(x1 * y2 - x2 * y1 for (x1, y1), (x2, y2) in zip(ring, ring[1:] + ring[:1], strict=True))
        / 2
    )


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--from", dest="src", type=Path, default=None)
    ap.add_argument("--out", type=Path, default=ROOT / "flows/review/mapdata/map.json")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory(prefix="bw-map-") as tmp:
        src = args.src
        if src is None:
            src = Path(tmp)
            fetch(src)
        data = build(src)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(data, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    p = data["projection"]
    print(
        f"wrote {args.out} ({args.out.stat().st_size} bytes): {len(data['states'])} states, "
        f"{len(data['us_states'])} US border states; border fit: {p['border_points_matched']} "
        f"points, median residual {p['median_residual_px']} px"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
