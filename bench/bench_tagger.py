"""Tagger throughput (MB/s of article text) and, for the ratio, trafilatura extraction speed.

    .venv/bin/python bench/bench_tagger.py [--html-dir DIR] [--limit N]

Article texts: extracted with trafilatura from the shared benchmark pages
(/work/shared/benchmarks/article-extraction/html/*.html.gz) when present; otherwise the
evaluation passages, concatenated into article-sized texts. Both speeds are the best of a few
passes (the machine may be shared). The reported speed ratio (target >= 50x) is in CPU time:
trafilatura and the tagger timed with ``time.process_time`` in the same interleaved rounds
(``--cpu-rounds``), so that both see the same load; the wall-clock ratio of the separate passes
is printed too, as information. Prints a markdown table.
"""

from __future__ import annotations

import argparse
import datetime as dt
import gzip
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

import yaml  # noqa: E402

from config.watchlist_loader import load_watchlist  # noqa: E402
from extractors.tagger import Tagger  # noqa: E402

HTML_DIR = Path("/work/shared/benchmarks/article-extraction/html")


def eval_texts() -> list[str]:
    data = yaml.safe_load((ROOT / "tests" / "eval" / "passages.yaml").read_text("utf-8"))
    texts = [p["text"] for p in data["passages"]]
    # ~4 KB "articles" of 10 passages each
    return ["\n\n".join(texts[i : i + 10]) for i in range(0, len(texts), 10)]


def extract_pages(html_dir: Path, limit: int, rounds: int = 2) -> tuple[list[str], float, int]:
    """Return (texts, seconds spent in trafilatura.extract, pages tried)."""
    import trafilatura

    pages = sorted(html_dir.glob("*.html.gz"))[:limit]
    htmls = [gzip.decompress(p.read_bytes()).decode("utf-8", "replace") for p in pages]
    texts: list[str] = []
    best = float("inf")
    for _ in range(rounds):  # best of a few rounds, like the tagger
        texts = []
        t0 = time.perf_counter()
        for h in htmls:
            t = trafilatura.extract(h)
            if t:
                texts.append(t)
        best = min(best, time.perf_counter() - t0)
    return texts, best, len(htmls)


def bench_tagger(tagger: Tagger, texts: list[str], rounds: int) -> tuple[float, float]:
    """Return (MB/s, ms per article) of the best of ``rounds`` passes."""
    day = dt.date(2024, 6, 1)
    total = sum(len(t.encode("utf-8")) for t in texts)
    per_round: list[float] = []
    for _ in range(rounds):
        t0 = time.perf_counter()
        for t in texts:
            tagger.tag(t, published=day)
        per_round.append(time.perf_counter() - t0)
    best = min(per_round)
    return total / best / 1e6, best / len(texts) * 1e3


def interleaved_cpu(
    tagger: Tagger, htmls: list[str], texts: list[str], rounds: int
) -> tuple[float, float, list[float]]:
    """(trafilatura CPU ms per page, tagger CPU ms per article, per-round ratios): best of
    ``rounds`` rounds, each one trafilatura pass then one tagger pass, timed with
    ``time.process_time`` so that both see the same load and time spent waiting for a core on a
    shared machine does not count. The per-round ratios (trafilatura / tagger in the same round)
    show the spread."""
    import trafilatura

    day = dt.date(2024, 6, 1)
    best_x = best_t = float("inf")
    ratios: list[float] = []
    for _ in range(rounds):
        t0 = time.process_time()
        for h in htmls:
            trafilatura.extract(h)
        x = time.process_time() - t0
        best_x = min(best_x, x)
        t0 = time.process_time()
        for _ in range(3):
            for t in texts:
                tagger.tag(t, published=day)
        t = (time.process_time() - t0) / 3
        best_t = min(best_t, t)
        if t > 0:
            ratios.append((x / len(htmls)) / (t / len(texts)))
    return best_x / len(htmls) * 1e3, best_t / len(texts) * 1e3, ratios


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--html-dir", type=Path, default=HTML_DIR)
    ap.add_argument("--limit", type=int, default=200, help="at most this many pages")
    ap.add_argument("--rounds", type=int, default=7, help="tagger passes (best counts)")
    ap.add_argument("--extract-rounds", type=int, default=2, help="trafilatura passes")
    ap.add_argument(
        "--cpu-rounds", type=int, default=3, help="interleaved CPU-time rounds (0: skip)"
    )
    args = ap.parse_args(argv)

    t0 = time.perf_counter()
    wl = load_watchlist(ROOT / "config" / "watchlist.yaml")
    t_load = time.perf_counter() - t0
    t0 = time.perf_counter()
    tagger = Tagger(wl)
    t_build = time.perf_counter() - t0

    rows: list[tuple[str, str]] = [
        ("watchlist load (YAML)", f"{t_load * 1e3:.0f} ms"),
        (
            "Tagger build",
            f"{t_build * 1e3:.1f} ms ({len(wl.places)} places, "
            f"{len(wl.officials)} officials, {len(wl.groups)} groups)",
        ),
    ]
    extract_rate = None
    if args.html_dir.is_dir() and any(args.html_dir.glob("*.html.gz")):
        texts, t_extract, n_pages = extract_pages(args.html_dir, args.limit, args.extract_rounds)
        extract_rate = n_pages / t_extract if t_extract else None
        source = f"{len(texts)} texts extracted from {n_pages} pages in {args.html_dir}"
        rows.append(
            (
                "trafilatura.extract",
                f"{extract_rate:.1f} pages/s ({t_extract / n_pages * 1e3:.1f} ms/page)",
            )
        )
    else:
        texts = eval_texts()
        source = f"{len(texts)} texts built from tests/eval/passages.yaml (no shared HTML)"
        rows.append(("trafilatura.extract", "skipped (no benchmark pages)"))
    if not texts:
        print("no texts to tag")
        return 1
    mb_s, ms_article = bench_tagger(tagger, texts, args.rounds)
    avg_kb = statistics.mean(len(t.encode("utf-8")) for t in texts) / 1e3
    rows.append(("tagger throughput", f"{mb_s:.2f} MB/s of text"))
    rows.append(("tagger per article", f"{ms_article:.2f} ms (avg {avg_kb:.1f} KB/article)"))
    note = ""
    if extract_rate:
        tag_rate = 1e3 / ms_article
        rows.append(("tagger articles/s", f"{tag_rate:.0f}"))
        wall_ratio = f"{tag_rate / extract_rate:.0f}x"
        if args.cpu_rounds > 0:
            pages = sorted(args.html_dir.glob("*.html.gz"))[: args.limit]
            htmls = [gzip.decompress(p.read_bytes()).decode("utf-8", "replace") for p in pages]
            x_ms, t_ms, ratios = interleaved_cpu(tagger, htmls, texts, args.cpu_rounds)
            rows.append(
                (
                    f"CPU time, interleaved (best of {args.cpu_rounds})",
                    f"trafilatura {x_ms:.1f} ms/page, tagger {t_ms:.3f} ms/article",
                )
            )
            spread = (
                f"; per round {min(ratios):.0f}-{max(ratios):.0f}x, median "
                f"{statistics.median(ratios):.0f}x"
                if ratios
                else ""
            )
            rows.append(
                (
                    "**speed ratio tagger / trafilatura (CPU time, interleaved)**",
                    f"**{x_ms / t_ms:.0f}x** (target >= 50x{spread})",
                )
            )
            rows.append(("wall-clock ratio (separate passes; informative)", wall_ratio))
            note = (
                "The speed ratio is the one in CPU time (`time.process_time`): trafilatura and "
                f"the tagger timed in the same {args.cpu_rounds} interleaved rounds, best round "
                "of each, so that both see the same load; the wall-clock ratio comes from "
                "separate passes and follows the machine's load."
            )
        else:
            rows.append(
                ("speed ratio tagger / trafilatura (wall clock, separate passes)", wall_ratio)
            )
            note = "No CPU-time rounds (--cpu-rounds 0): the ratio is in wall-clock time."
    big = ("Una balacera en Culiacán, Sinaloa; el CJNG y Los Chapitos. " * 90_000)[:5_000_000]
    t0 = time.perf_counter()
    tagger.tag(big, published=dt.date(2024, 6, 1))
    rows.append(("5 MB single text (entity-dense)", f"{time.perf_counter() - t0:.2f} s"))
    print(f"Texts: {source}\n")
    print("| measure | value |\n|---|---|")
    for k, v in rows:
        print(f"| {k} | {v} |")
    if note:
        print(f"\n{note}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
