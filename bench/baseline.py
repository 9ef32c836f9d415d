"""The naive baseline: what a user writes first, sequentially.

For each feed: ``httpx.get(feed_url)`` and ``feedparser.parse(response.content)`` (bytes fetched
with httpx, not ``feedparser.parse(url)``); for each entry not stored yet:
``httpx.get(link)``, ``trafilatura.extract(response.text)`` (defaults) and an
``INSERT OR IGNORE`` into a SQLite table with a UNIQUE url, committed per article.
No concurrency, no connection reuse (``httpx.get`` opens a new client each call), no politeness
delay (one request at a time is already polite).

    python -m bench.baseline --db PATH FEED_URL…   → prints {"articles": n, "seconds": s}
"""

from __future__ import annotations

import argparse
import json
import sqlite3
import time

import feedparser
import httpx
import trafilatura


def naive_poll(feed_urls: list[str], db_path: str) -> dict[str, float]:
    con = sqlite3.connect(db_path)
    con.execute(
        "CREATE TABLE IF NOT EXISTS articles ("
        "id INTEGER PRIMARY KEY, url TEXT UNIQUE NOT NULL, title TEXT, text TEXT)"
    )
    new = errors = 0
    t0 = time.perf_counter()
    for url in feed_urls:
        feed = feedparser.parse(httpx.get(url).content)
        for entry in feed.entries:
            link = entry.get("link")
            if not link or con.execute("SELECT 1 FROM articles WHERE url = ?", (link,)).fetchone():
                continue
            try:
                text = trafilatura.extract(httpx.get(link).text)
            except httpx.HTTPError:
                errors += 1
                continue
            cur = con.execute(
                "INSERT OR IGNORE INTO articles (url, title, text) VALUES (?, ?, ?)",
                (link, entry.get("title"), text),
            )
            con.commit()
            new += cur.rowcount
    seconds = time.perf_counter() - t0
    con.close()
    return {"articles": new, "errors": errors, "seconds": seconds}


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--db", required=True)
    ap.add_argument("feeds", nargs="+")
    a = ap.parse_args()
    print(json.dumps(naive_poll(a.feeds, a.db)))


if __name__ == "__main__":
    main()
