"""``make bench-extraction``: borderwatch's article extraction scored on the Zyte benchmark
(181 real pages with human-annotated article bodies) next to plain ``trafilatura.extract``.

    .venv/bin/python -m bench.extraction [--no-write] [--limit N]

Score: bench.scoring (4-gram shingle precision/recall/F1, as the benchmark's README describes).
Speed: pages per second in this one process, by wall clock and by CPU time (the CPU figure is
steadier on a shared machine). Writes the table into bench/README.md unless --no-write.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass

from bench.corpus import Page, data_dir, load_pages, missing_message
from bench.report import machine_line, md_table, update_section
from bench.scoring import Score, score


@dataclass(frozen=True)
class Row:
    name: str
    score: Score
    pages_per_s: float
    cpu_pages_per_s: float


def _trafilatura(**kw: object) -> Callable[[Page], str | None]:
    import trafilatura

    def run(p: Page) -> str | None:
        out: str | None = trafilatura.extract(p.html, **kw)
        return out

    return run


def _borderwatch(p: Page) -> str | None:
    from extractors.articles import extract_article
    from extractors.errors import ExtractionEmpty

    try:
        return extract_article(p.html, url=p.url or "https://example.com/").text
    except ExtractionEmpty:
        return ""


def extractors() -> dict[str, Callable[[Page], str | None]]:
    return {
        "trafilatura.extract() defaults": _trafilatura(),
        "trafilatura.extract(favor_precision=True)": _trafilatura(favor_precision=True),
        "trafilatura.extract(favor_recall=True)": _trafilatura(favor_recall=True),
        "trafilatura.extract(include_comments=False) (upstream's call)": _trafilatura(
            include_comments=False
        ),
        "**borderwatch `extract_article`**": _borderwatch,
    }


def run_one(name: str, fn: Callable[[Page], str | None], pages: tuple[Page, ...]) -> Row:
    fn(pages[0])  # warm-up: imports, lazily built tables
    preds: dict[str, str | None] = {}
    w, c = time.perf_counter(), time.process_time()
    for p in pages:
        preds[p.id] = fn(p)
    wall, cpu = time.perf_counter() - w, time.process_time() - c
    truth = {p.id: p.truth or "" for p in pages}
    return Row(name, score(truth, preds), len(pages) / wall, len(pages) / max(cpu, 1e-9))


def table(rows: list[Row]) -> str:
    return md_table(
        ["extractor", "F1", "precision", "recall", "accuracy", "pages/s (wall)", "pages/s (CPU)"],
        [
            [
                r.name,
                f"{r.score.f1:.4f} ± {r.score.f1_std:.4f}",
                f"{r.score.precision:.4f}",
                f"{r.score.recall:.4f}",
                f"{r.score.accuracy:.3f}",
                f"{r.pages_per_s:.1f}",
                f"{r.cpu_pages_per_s:.1f}",
            ]
            for r in rows
        ],
    )


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    ap.add_argument("--no-write", action="store_true", help="print only, leave README alone")
    ap.add_argument("--limit", type=int, default=None, help="first N pages only")
    args = ap.parse_args(argv)
    if data_dir() is None:
        print(missing_message())
        return 0
    pages = tuple(p for p in load_pages(args.limit) if p.truth is not None)
    rows = []
    for name, fn in extractors().items():
        row = run_one(name, fn, pages)
        print(f"{name}: F1 {row.score.f1:.4f}, {row.pages_per_s:.1f} pages/s", file=sys.stderr)
        rows.append(row)
    body = (
        f"Measured {machine_line()}; {len(pages)} pages, one process.\n\n"
        + table(rows)
        + "\n\n± is the bootstrap standard deviation of F1 (1000 resamples of pages)."
    )
    print(body)
    if not args.no_write and args.limit is None:
        update_section("extraction", body)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
