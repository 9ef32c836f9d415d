"""The CPU-bound part of the pipeline, run in worker processes: extract, tag, fingerprint.

Each worker process builds its Tagger once (``init_worker``); a job carries only bytes and
small metadata, and the result is a storage-ready ArticleRecord (feed id filled in later).
Nothing here imports SQLAlchemy or Prefect: a worker process holds only what extraction,
tagging and fingerprinting need (see ``worker_context`` for how the processes are started).
"""

from __future__ import annotations

import gzip
import multiprocessing
import os
import threading
import time
from collections.abc import Sequence
from concurrent.futures import Executor, ProcessPoolExecutor, ThreadPoolExecutor
from dataclasses import dataclass, replace
from datetime import date, datetime
from multiprocessing.context import BaseContext
from pathlib import Path
from typing import TYPE_CHECKING, Any

from config.errors import BorderwatchError
from extractors.errors import error_kind
from extractors.fingerprint import content_hash, minhash_signature, normalize_text, title_key
from extractors.models import ArticleRecord, MentionRecord, TextSource
from extractors.urls import canonical_url, same_site, site_of

if TYPE_CHECKING:
    from extractors.tagger import Tagger

# gzip level of the stored page HTML: level 3 is 2.3x faster than 6 for 12 % more bytes
# (measured on the benchmark pages; see bench/README.md)
RAW_HTML_GZIP_LEVEL = 3

_TAGGER = None
_WATCHLIST_PATH: Path | None = None


@dataclass(frozen=True)
class PageJob:
    link: str  # the link as the feed gave it
    canonical: str  # canonical_url(link)
    final_url: str  # after redirects ("" when the page could not be fetched)
    content: bytes  # page bytes ("" when not fetched)
    charset: str | None = None  # the response's Content-Type charset, when it declared one
    feed_title: str | None = None
    feed_summary: str | None = None
    feed_content_html: str | None = None
    feed_published: datetime | None = None
    feed_author: str | None = None
    feed_language: str | None = None
    fetch_error: str | None = None  # why the page is missing, when it is
    fetch_error_kind: str | None = None  # the typed error's kind (timeout, http_404 …)
    fetch_transient: bool = False  # the page fetch failed in a way worth retrying later
    fetch_retry_after: float | None = None  # the server's Retry-After (429/503), seconds
    header_canonical: str | None = None  # from an HTTP `Link: <…>; rel="canonical"` header
    content_gz: bool = False  # content is gzip-compressed (stored pages: --reextract)
    keep_raw: bool = True  # compress the page for storage (not needed when re-extracting)


@dataclass(frozen=True)
class PageResult:
    record: ArticleRecord | None
    error_kind: str | None = None
    error: str | None = None
    extract_s: float = 0.0
    tag_s: float = 0.0
    # the page fetch failed and the record (if any) is a stub from the feed: why, and whether
    # the failure is transient (the stub gets a retry schedule) or permanent (final)
    fetch_error_kind: str | None = None
    fetch_error: str | None = None
    fetch_transient: bool = False
    fetch_retry_after: float | None = None


def init_worker(watchlist_path: str, poll_pid: int | None = None) -> None:
    """Process-pool initializer: load the watchlist and build the matcher once per process.
    With ``poll_pid`` (the process that owns the pool), the worker exits when that process is
    gone: a poll killed with SIGKILL must not leave its extraction workers behind (they would
    wait forever on the pool's queue, whose write end they hold themselves)."""
    global _TAGGER, _WATCHLIST_PATH
    _WATCHLIST_PATH = Path(watchlist_path)
    _TAGGER = None
    if poll_pid is not None:
        threading.Thread(
            target=_exit_with, args=(poll_pid,), name="borderwatch-orphan-watch", daemon=True
        ).start()
    get_tagger()


def _exit_with(pid: int, every: float = 1.0) -> None:
    while True:
        time.sleep(every)
        try:
            os.kill(pid, 0)  # signal 0: does the process exist?
        except ProcessLookupError:
            os._exit(1)
        except PermissionError:  # the pid now belongs to another user's process
            os._exit(1)


def get_tagger() -> Tagger:
    global _TAGGER
    if _TAGGER is None:
        from config.watchlist_loader import load_watchlist
        from extractors.tagger import Tagger

        assert _WATCHLIST_PATH is not None, "init_worker() was not called"
        _TAGGER = Tagger(load_watchlist(_WATCHLIST_PATH))
    return _TAGGER


def process_page(job: PageJob) -> PageResult:
    """Extract and tag one page. Never raises: failures come back as a PageResult."""
    # imported here: the poll process only builds PageJobs and need not load trafilatura
    from extractors.articles import extract_article
    from extractors.http_limits import decode_html

    t0 = time.perf_counter()
    # Decode once, here, in the order of decode_html (BOM, header charset, <meta>, detection):
    # trafilatura would otherwise guess the encoding of undeclared legacy pages by itself and
    # store mojibake. What is kept for --reextract is this text, as UTF-8.
    content = gzip.decompress(job.content) if job.content_gz and job.content else job.content
    html = decode_html(content, job.charset) if content else ""
    try:
        art = extract_article(
            html,
            url=job.final_url or job.link,
            fallback_html=job.feed_content_html
            or (f"<p>{job.feed_summary}</p>" if job.feed_summary and not job.content else None),
            fallback_title=job.feed_title,
            want_date=job.feed_published is None,
            want_author=not job.feed_author,
        )
    except BorderwatchError as exc:
        return PageResult(None, exc.kind, str(exc), time.perf_counter() - t0, **_failure(job))
    except Exception as exc:  # a bug or a library crash on one page must not sink the batch
        return PageResult(
            None,
            error_kind(exc),
            f"{type(exc).__name__}: {exc}",
            time.perf_counter() - t0,
            **_failure(job),
        )
    t1 = time.perf_counter()
    canonical = job.canonical
    # the page's own canonical: the HTML link (rel=canonical / og:url) first, then an HTTP
    # Link header; either counts only on the same site as the page. Without a declaration in
    # the HTML, extraction reports the page's own URL: the header's then comes first.
    page_url = job.final_url or job.link
    declared_urls = [art.canonical_url, job.header_canonical]
    if art.canonical_url and canonical_url(art.canonical_url) == canonical_url(page_url):
        declared_urls.reverse()
    for declared in declared_urls:
        if declared and same_site(declared, page_url):
            page_canonical = canonical_url(declared)
            if page_canonical.startswith(("http://", "https://")):
                canonical = page_canonical
                break
    published = job.feed_published or art.published
    tagger = get_tagger()
    title = art.title or job.feed_title
    when: date | None = published.date() if published else None
    res = tagger.tag(art.text, published=when, title=title)
    t2 = time.perf_counter()
    mentions = mention_records(res)
    aliases = tuple(
        sorted({u for u in (job.link, job.final_url, job.canonical) if u} - {canonical})
    )
    normalized = normalize_text(art.text)
    record = ArticleRecord(
        canonical_url=canonical,
        url=job.link,
        feed_id=None,
        text=art.text,
        content_hash=content_hash(art.text, normalized=normalized),
        title=title,
        author=art.author or job.feed_author,
        published_at=published,
        language=art.language or job.feed_language,
        raw_html_gz=(
            gzip.compress(html.encode("utf-8"), RAW_HTML_GZIP_LEVEL)
            if job.content and job.keep_raw
            else None
        ),
        text_source=text_source(job, from_fallback=art.from_fallback),
        flagged=res.flagged,
        reasons=tuple(res.reasons),
        tags=res.to_json(),
        tagger_version=tagger.version,
        aliases=aliases,
        mentions=mentions,
        site=site_of(canonical),
        title_key=title_key(title),
        signature=minhash_signature(art.text, normalized=normalized),
    )
    return PageResult(record, extract_s=t1 - t0, tag_s=t2 - t1, **_failure(job))


def text_source(job: PageJob, *, from_fallback: bool) -> TextSource:
    """Where the extracted text came from: the page, unless extraction fell back to the feed's
    text (the page was not fetched, or gave too little); then the feed's full content when it
    carried one, else its summary."""
    if job.content and not from_fallback:
        return TextSource.PAGE
    return TextSource.FEED_CONTENT if job.feed_content_html else TextSource.FEED_SUMMARY


def _failure(job: PageJob) -> dict[str, Any]:
    return {
        "fetch_error_kind": job.fetch_error_kind,
        "fetch_error": job.fetch_error,
        "fetch_transient": job.fetch_transient,
        "fetch_retry_after": job.fetch_retry_after,
    }


def mention_records(res: Any) -> tuple[MentionRecord, ...]:
    """The tagger's mentions as storage records: the same type (``extractors.models.Mention``)."""
    return tuple(res.mentions)


def with_feed(record: ArticleRecord, feed_id: int) -> ArticleRecord:
    return replace(record, feed_id=feed_id)


def worker_context() -> BaseContext:
    """How extraction processes are started: from a fork server that has imported nothing.

    ``spawn`` (and the fork server's default) re-imports the parent's ``__main__`` in every
    worker: the ``borderwatch`` CLI (~60 MB of typer/rich/SQLAlchemy) or, in a Prefect
    deployment, ``prefect.engine`` (~66 MB), none of it used there. Forking from a clean,
    single-threaded server gives workers that import only this module's needs (and it is
    safe where plain ``fork`` of a threaded process is not)."""
    if "forkserver" not in multiprocessing.get_all_start_methods():  # Windows
        return multiprocessing.get_context("spawn")
    ctx = multiprocessing.get_context("forkserver")
    ctx.set_forkserver_preload([])
    return ctx


def extraction_pool(watchlist_path: str, workers: int) -> Executor:
    """The extraction workers: ``workers`` processes (each with its Tagger), or, for 1, a
    thread in this process. Used by polls, backfills, --reextract and retag."""
    if workers <= 1:
        init_worker(watchlist_path)
        return ThreadPoolExecutor(1, thread_name_prefix="borderwatch-extract")
    return ProcessPoolExecutor(
        workers,
        mp_context=worker_context(),
        initializer=init_worker,
        initargs=(watchlist_path, os.getpid()),
    )


@dataclass(frozen=True)
class TagOut:
    """A new tagging of a stored article (what retag stores)."""

    article_id: int
    flagged: bool
    reasons: tuple[str, ...]
    tags: dict[str, Any]
    tagger_version: str
    mentions: tuple[MentionRecord, ...]


TagItem = tuple[int, str, str | None, date | None]  # article id, text, title, publication day


def tag_texts(items: Sequence[TagItem]) -> list[TagOut]:
    """Tag stored texts with this worker's Tagger (a pool job)."""
    return tag_with(get_tagger(), items)


def tag_with(tagger: Any, items: Sequence[TagItem]) -> list[TagOut]:
    out = []
    for article_id, text, title, day in items:
        res = tagger.tag(text, published=day, title=title)
        out.append(
            TagOut(
                article_id,
                bool(res.flagged),
                tuple(res.reasons),
                res.to_json(),
                tagger.version,
                mention_records(res),
            )
        )
    return out
