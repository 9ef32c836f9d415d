"""`make demo`: start the bundled offline news site, run the real poll pipeline into
./data/demo.db (made afresh each time: the site gets a new port, so its URLs change) and show
the flagged articles. A second poll right after the first shows that nothing is stored twice."""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

from rich.console import Console
from rich.table import Table

from demo.site import DemoSite

DATA = Path("data")


def main() -> int:
    console = Console(width=None if sys.stdout.isatty() else 150)
    DATA.mkdir(exist_ok=True)
    feeds_file = DATA / "demo-feeds.yaml"
    os.environ.setdefault("BORDERWATCH_DATABASE_URL", f"sqlite:///{DATA / 'demo.db'}")
    os.environ["BORDERWATCH_ALLOW_PRIVATE_ADDRESSES"] = "true"  # the demo site is on loopback
    os.environ.setdefault("BORDERWATCH_PER_HOST_DELAY", "0.05")
    os.environ["BORDERWATCH_FEEDS"] = str(feeds_file)

    from config.settings import load_settings
    from config.sources import load_feeds
    from flows.pipeline.poll import run_poll
    from storage import articles as articles_db
    from storage.db import open_database, session_scope

    with DemoSite() as site:
        site.write_feeds_yaml(feeds_file)
        settings = load_settings()
        sources = load_feeds(feeds_file)
        console.print(
            f"demo news site at {site.base_url} with {len(sources)} feeds "
            f"(written to {feeds_file})",
            highlight=False,
        )
        if settings.db_url == f"sqlite:///{DATA / 'demo.db'}":
            for suffix in ("", "-wal", "-shm"):
                Path(f"{DATA / 'demo.db'}{suffix}").unlink(missing_ok=True)
        engine = open_database(settings.db_url)
        for label in ("first poll", "second poll"):
            t = time.perf_counter()
            summary = run_poll(settings, engine, sources)
            console.print(
                f"{label}: {summary.feeds_ok} feeds ok, {summary.feeds_not_modified} not "
                f"modified, {summary.feeds_failed} failed; {summary.new_articles} new articles "
                f"({summary.flagged} flagged, {summary.known} already stored) "
                f"in {time.perf_counter() - t:.1f}s",
                highlight=False,
            )
        with session_scope(engine) as s:
            rows = articles_db.list_articles(s, flagged=True)
            total = articles_db.count_articles(s)
        engine.dispose()
    table = Table(title=f"Flagged articles ({len(rows)} of {total} stored) — {settings.db_url}")
    for col in ("published", "feed", "title", "states", "groups", "officials"):
        table.add_column(col, overflow="fold")
    for r in rows:
        table.add_row(
            (r.published_at.isoformat() if r.published_at else "")[:10],
            r.feed or "",
            r.title or "",
            ", ".join(r.states),
            ", ".join(r.groups),
            ", ".join(r.officials),
        )
    console.print(table)
    console.print(
        "Next, with BORDERWATCH_DATABASE_URL=sqlite:///data/demo.db:\n"
        "  .venv/bin/borderwatch articles --flagged --json | head -3\n"
        "  .venv/bin/borderwatch review        # the morning review in the terminal\n"
        "  .venv/bin/borderwatch digest        # writes data/digests/<date>.md\n"
        f"  .venv/bin/borderwatch web           # http://{settings.web_host}:{settings.web_port}/",
        highlight=False,
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
