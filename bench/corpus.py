"""The benchmark pages: ../shared/benchmarks/article-extraction (read at run time, never copied).

``BORDERWATCH_BENCH_DATA`` points elsewhere. Everything that needs the pages calls
:func:`data_dir` and skips cleanly (message, exit 0) when it returns None.
"""

from __future__ import annotations

import gzip
import json
import os
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DATA = REPO_ROOT.parent / "shared" / "benchmarks" / "article-extraction"


def data_dir() -> Path | None:
    """The benchmark folder, or None when it (or its html/ pages) is absent."""
    d = Path(os.environ.get("BORDERWATCH_BENCH_DATA") or DEFAULT_DATA)
    if (d / "html").is_dir() and any((d / "html").glob("*.html.gz")):
        return d
    return None


def missing_message() -> str:
    return (
        f"benchmark pages not found at {DEFAULT_DATA} "
        "(set BORDERWATCH_BENCH_DATA to the article-extraction folder); skipping"
    )


@dataclass(frozen=True)
class Page:
    id: str
    html: bytes  # the page as stored (UTF-8)
    truth: str | None = None  # ground-truth articleBody
    url: str | None = None  # the page's original URL (informational)


@lru_cache(maxsize=4)
def load_pages(limit: int | None = None, with_truth: bool = True) -> tuple[Page, ...]:
    """All pages (sorted by id), decompressed in memory; ``limit`` keeps the first N."""
    d = data_dir()
    if d is None:
        return ()
    truth: dict[str, dict[str, str]] = {}
    gt = d / "ground-truth.json"
    if with_truth and gt.is_file():
        truth = json.loads(gt.read_text(encoding="utf-8"))
    files = sorted((d / "html").glob("*.html.gz"))
    if limit is not None:
        files = files[:limit]
    pages = []
    for f in files:
        pid = f.name.removesuffix(".html.gz")
        t = truth.get(pid, {})
        pages.append(Page(pid, gzip.decompress(f.read_bytes()), t.get("articleBody"), t.get("url")))
    return tuple(pages)
