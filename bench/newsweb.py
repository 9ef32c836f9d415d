"""A simulated news web on loopback: many hosts, F feeds × K items, real article pages.

One asyncio process serves every host. Host ``h`` is the loopback address
``127.1.<h // 250>.<h % 250 + 1>`` (Linux routes all of 127.0.0.0/8 to ``lo``, so binding them
needs no setup); all hosts share one port. Feed ``i`` lives on host ``i % hosts``:

    http://127.1.0.1:<port>/feeds/<i>.xml        RSS 2.0 (even i) or Atom 1.0 (odd i)
    http://<host>:<port>/news/<i>/<j>.html       item j of feed i: a real news page
    http://<host>:<port>/robots.txt              allows everything
    http://<any host>:<port>/__bench/advance?n=1 publish n new items in every feed
    http://<any host>:<port>/__bench/stats       request counts, per-host concurrency seen

Article pages are the 181 pages of ``../shared/benchmarks/article-extraction`` (read at start,
never copied), cycled over the items. Each served copy gets a unique marker in its <title> and
in its first long paragraph, so that no two URLs carry the same text (borderwatch would
otherwise fold them as same-outlet copies).

Feed ``i`` lists items ``[s, s + K)`` with ``s = step × new_per_step``, newest first; ``step``
grows by ``/__bench/advance`` and, with ``--new-every S``, by one every S seconds. Feeds send
ETag and Last-Modified (they change only with ``step``) and answer conditional GETs with 304.
Every response waits ``--latency-ms`` before it is sent (server time + round trip).

Soak mode (issue 19, ``bench/bench_soak.py``): ``--rotate`` dates items in real time (through the
injectable clock, so a child started with BORDERWATCH_CLOCK_AT agrees with borderwatch) and
starts publishing with the first feed request: item ``j >= K`` appears ``new_every`` seconds
after the one ``new_per_step`` before it, and ``--publish-for S`` stops publishing after S
seconds. ``--archive`` serves older items at ``/feeds/<i>.xml?paged=N`` (K per page, newest
first, 404 past the end). ``--faults`` adds: the last feed answers 500 for ever; feed
``i < hosts`` has item pages ``j % 10 == 3`` that answer 500 for ever, and feed ``i + hosts``
(same host) also lists their AMP twins ``/lite/<i>/<j>.html`` (full text; canonical only in an
HTTP ``Link: <…>; rel="canonical"`` header); feeds ``i >= 2 × hosts`` have item pages
``j % 10 == 7`` that answer 500 for ever (no twin); an item page with ``(i + j) % 13 == 0``
answers 503 (Retry-After: 30) for 60 seconds after its first request, then 200.

Run: ``python -m bench.newsweb --hosts 100 --feeds 100 --items 20 --latency-ms 50``; it prints
one JSON line ``{"port": …}`` when it listens, and serves until SIGTERM/SIGINT or stdin closes.
Use :class:`NewsWeb` to drive it from Python.
"""

from __future__ import annotations

import argparse
import asyncio
import html
import json
import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime, parsedate_to_datetime
from pathlib import Path
from types import TracebackType
from typing import Any
from xml.sax.saxutils import escape as xml_escape

from bench.corpus import REPO_ROOT, load_pages

BASE_TIME = datetime(2026, 11, 20, tzinfo=UTC)


def host_addr(h: int) -> str:
    if not 0 <= h < 250 * 250:
        raise ValueError("at most 62,500 hosts")
    return f"127.1.{h // 250}.{h % 250 + 1}"


@dataclass(frozen=True)
class WebConfig:
    hosts: int = 100
    feeds: int = 100
    items: int = 20  # K: items listed per feed
    latency_ms: float = 0.0
    new_every: float = 0.0  # seconds; 0 = only /__bench/advance publishes new items
    new_per_step: int = 1
    conditional: bool = True  # answer If-None-Match / If-Modified-Since with 304
    rotate: bool = False  # real-time item dates; publishing starts with the first feed request
    archive: bool = False  # ?paged=N archive pages
    faults: bool = False  # see the module doc
    publish_for: float = 0.0  # seconds; 0 = publish for ever


def published_at(cfg: WebConfig, started: datetime, j: int) -> datetime:
    """Rotate mode: when item j appeared, publication having started at ``started``."""
    k, n = cfg.items, cfg.new_per_step
    if j < k:
        return started - timedelta(seconds=(k - j) * cfg.new_every / n)
    return started + timedelta(seconds=((j - k) // n + 1) * cfg.new_every + (j - k) % n)


def fault_of(cfg: WebConfig, i: int, j: int) -> str | None:
    """What the soak web does wrong for item j of feed i (None: nothing)."""
    if not cfg.faults:
        return None
    if i == cfg.feeds - 1:
        return "feed_500"
    if i < cfg.hosts and j % 10 == 3:
        return "page_500_twin"  # the canonical page fails for ever; its AMP twin works
    if i >= 2 * cfg.hosts and j % 10 == 7:
        return "page_500"
    if (i + j) % 13 == 0:
        return "page_503_once"
    return None


# ------------------------------------------------------------------ content


@dataclass
class _Template:
    parts: tuple[bytes, bytes, bytes]  # page split at the two marker positions
    title: str
    summary: str


_TITLE_RE = re.compile(rb"<title\b[^>]*>", re.I)
_TITLE_TEXT_RE = re.compile(rb"<title\b[^>]*>(.*?)</title", re.I | re.S)
_LONG_P_RE = re.compile(rb"<p\b[^>]*>(?=[^<]{80,})", re.I)
_BODY_RE = re.compile(rb"<body\b[^>]*>", re.I)


def _template(raw: bytes, truth: str | None) -> _Template:
    t = _TITLE_RE.search(raw)
    p = _LONG_P_RE.search(raw, t.end() if t else 0) or _BODY_RE.search(raw)
    a = t.end() if t else 0
    b = p.end() if p else len(raw)
    if b < a:
        a, b = b, a
    m = _TITLE_TEXT_RE.search(raw)
    title = html.unescape(m.group(1).decode("utf-8", "replace")).strip() if m else ""
    title = " ".join(title.split())[:150] or "News"
    summary = " ".join((truth or "").split())[:280]
    return _Template((raw[:a], raw[a:b], raw[b:]), title, summary)


class Site:
    def __init__(self, cfg: WebConfig, port: int):
        self.cfg = cfg
        self.port = port
        pages = load_pages()
        if not pages:
            raise SystemExit("benchmark pages not found (see bench/corpus.py)")
        self.templates = [_template(p.html, p.truth) for p in pages]
        self.t0 = time.monotonic()
        self.started: datetime | None = None  # rotate mode: wall time of the first feed request
        self.manual_steps = 0
        self._feed_cache: dict[tuple[int, int], bytes] = {}
        if not cfg.rotate:
            self.started = BASE_TIME

    def start(self) -> None:
        """Rotate mode: the first feed request starts the clock of publication."""
        if self.started is None:
            from config import clock

            self.t0 = time.monotonic()
            self.started = clock.utcnow()

    @property
    def step(self) -> int:
        if self.cfg.rotate and self.started is None:
            return self.manual_steps
        elapsed = time.monotonic() - self.t0
        if self.cfg.publish_for:
            elapsed = min(elapsed, self.cfg.publish_for)
        auto = int(elapsed / self.cfg.new_every) if self.cfg.new_every else 0
        return self.manual_steps + auto

    def published(self, j: int) -> datetime:
        """When item j appeared (rotate mode), or its fixed date."""
        if not self.cfg.rotate or self.started is None:
            return BASE_TIME + timedelta(minutes=j)
        return published_at(self.cfg, self.started, j)

    def window(self, step: int) -> range:
        s = step * self.cfg.new_per_step
        return range(s, s + self.cfg.items)

    def template(self, i: int, j: int) -> _Template:
        if self.cfg.rotate:
            # soak mode: feeds i and i + 10k share a host (one outlet); with 6i + j (181
            # pages) two items of one outlet get the same page only 60+ items apart, so
            # borderwatch never folds two stories as one outlet's copies of one text
            return self.templates[(i * 6 + j) % len(self.templates)]
        return self.templates[(i * 37 + j) % len(self.templates)]

    def base(self, i: int) -> str:
        return f"http://{host_addr(i % self.cfg.hosts)}:{self.port}"

    def page(self, i: int, j: int) -> bytes:
        tp = self.template(i, j)
        mark = f"Bench story {i}-{j}. ".encode()
        return b"".join((tp.parts[0], mark, tp.parts[1], mark, tp.parts[2]))

    def last_modified(self, step: int) -> datetime:
        return BASE_TIME + timedelta(minutes=step)

    def feed(self, i: int, step: int) -> bytes:
        key = (i, step)
        if key not in self._feed_cache:
            self._feed_cache[key] = self._render_feed(i, step)
        return self._feed_cache[key]

    def twins(self, i: int, step: int) -> list[tuple[int, int]]:
        """(feed, item) pairs whose AMP twin feed i lists besides its own items."""
        h = self.cfg.hosts
        if not self.cfg.faults or not h <= i < 2 * h:
            return []
        return [(i - h, j) for j in reversed(self.window(step)) if j % 10 == 3]

    def _render_feed(self, i: int, step: int, page: int = 1) -> bytes:
        base = self.base(i)
        items = []
        atom = i % 2 == 1
        if page == 1:
            listed: list[tuple[int, int, str]] = [
                (i, j, f"{base}/news/{i}/{j}.html") for j in reversed(self.window(step))
            ]
            listed += [(a, j, f"{base}/lite/{a}/{j}.html") for a, j in self.twins(i, step)]
        else:
            top = self.window(step).stop
            hi = top - (page - 1) * self.cfg.items
            listed = [
                (i, j, f"{base}/news/{i}/{j}.html")
                for j in range(hi - 1, max(0, hi - self.cfg.items) - 1, -1)
            ]
        for a, j, url in listed:
            tp = self.template(a, j)
            link = xml_escape(url)
            title = xml_escape(f"{tp.title} ({a}-{j})")
            when = self.published(j)
            summary = xml_escape(tp.summary)
            if atom:
                items.append(
                    f'<entry><title>{title}</title><link href="{link}"/><id>{link}</id>'
                    f"<updated>{when.isoformat()}</updated><summary>{summary}</summary></entry>"
                )
            else:
                items.append(
                    f"<item><title>{title}</title><link>{link}</link>"
                    f'<guid isPermaLink="true">{link}</guid>'
                    f"<pubDate>{format_datetime(when, usegmt=True)}</pubDate>"
                    f"<description>{summary}</description></item>"
                )
        updated = self.last_modified(step)
        if atom:
            doc = (
                '<?xml version="1.0" encoding="utf-8"?>\n'
                '<feed xmlns="http://www.w3.org/2005/Atom">'
                f"<title>Bench feed {i}</title><id>{base}/feeds/{i}.xml</id>"
                f'<link href="{base}/"/><updated>{updated.isoformat()}</updated>'
                + "".join(items)
                + "</feed>"
            )
        else:
            doc = (
                '<?xml version="1.0" encoding="utf-8"?>\n<rss version="2.0"><channel>'
                f"<title>Bench feed {i}</title><link>{base}/</link>"
                f"<description>simulated</description>"
                f"<lastBuildDate>{format_datetime(updated, usegmt=True)}</lastBuildDate>"
                + "".join(items)
                + "</channel></rss>"
            )
        return doc.encode("utf-8")


# ------------------------------------------------------------------ server


@dataclass
class HostStats:
    requests: int = 0
    inflight: int = 0
    max_inflight: int = 0
    last_start: float = 0.0
    min_gap: float = float("inf")  # between two request starts (seconds)


@dataclass
class Stats:
    feeds_200: int = 0
    feeds_304: int = 0
    pages: int = 0
    other: int = 0
    archive_pages: int = 0
    faults_served: int = 0
    connections: int = 0
    bytes_sent: int = 0
    hosts: dict[str, HostStats] = field(default_factory=lambda: defaultdict(HostStats))
    first_start: float = 0.0  # monotonic time of the first request (0 = none yet)
    last_start: float = 0.0

    def summary(self) -> dict[str, Any]:
        hs = list(self.hosts.values())
        gaps = [h.min_gap for h in hs if h.min_gap != float("inf")]
        return {
            "feeds_200": self.feeds_200,
            "feeds_304": self.feeds_304,
            "pages": self.pages,
            "other": self.other,
            "archive_pages": self.archive_pages,
            "faults_served": self.faults_served,
            "connections": self.connections,
            "bytes_sent": self.bytes_sent,
            "hosts_seen": len(hs),
            "max_inflight_per_host": max((h.max_inflight for h in hs), default=0),
            "min_gap_per_host_s": round(min(gaps), 4) if gaps else None,
            "span_s": round(self.last_start - self.first_start, 3),
        }


_FEED_PATH = re.compile(r"^/feeds/(\d+)\.xml$")
_PAGE_PATH = re.compile(r"^/news/(\d+)/(\d+)\.html$")
_LITE_PATH = re.compile(r"^/lite/(\d+)/(\d+)\.html$")


def _paged(query: str) -> int:
    for part in query.split("&"):
        k, _, v = part.partition("=")
        if k == "paged" and v.isdigit():
            return max(1, int(v))
    return 1


class Server:
    def __init__(self, cfg: WebConfig, port: int):
        self.site = Site(cfg, port)
        self.cfg = cfg
        self.stats = Stats()
        self.first_seen: dict[tuple[int, int], float] = {}  # transient 503s

    async def handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.stats.connections += 1
        local = writer.get_extra_info("sockname")[0]
        try:
            while True:
                try:
                    head = await reader.readuntil(b"\r\n\r\n")
                except (asyncio.IncompleteReadError, asyncio.LimitOverrunError):
                    break
                lines = head.decode("latin-1").split("\r\n")
                parts = lines[0].split()
                if len(parts) != 3:
                    break
                method, target, version = parts
                headers = {}
                for line in lines[1:]:
                    if ":" in line:
                        k, v = line.split(":", 1)
                        headers[k.strip().lower()] = v.strip()
                keep = version == "HTTP/1.1" and headers.get("connection", "").lower() != "close"
                status, hdrs, body = await self.respond(local, method, target, headers)
                hdrs.append(("Content-Length", str(len(body))))
                hdrs.append(("Connection", "keep-alive" if keep else "close"))
                out = f"HTTP/1.1 {status}\r\n" + "".join(f"{k}: {v}\r\n" for k, v in hdrs)
                writer.write(out.encode("latin-1") + b"\r\n")
                if method != "HEAD":
                    writer.write(body)
                    self.stats.bytes_sent += len(body)
                await writer.drain()
                if not keep:
                    break
        except (ConnectionError, OSError):
            pass
        finally:
            writer.close()

    async def respond(
        self, local: str, method: str, target: str, headers: dict[str, str]
    ) -> tuple[str, list[tuple[str, str]], bytes]:
        path, _, query = target.partition("?")
        if path.startswith("/__bench/"):
            return self.control(path, query)
        if self.cfg.rotate and _FEED_PATH.match(path):
            self.site.start()
        hs = self.stats.hosts[local]
        now = time.monotonic()
        self.stats.first_start = self.stats.first_start or now
        self.stats.last_start = now
        if hs.requests:
            hs.min_gap = min(hs.min_gap, now - hs.last_start)
        hs.requests += 1
        hs.last_start = now
        hs.inflight += 1
        hs.max_inflight = max(hs.max_inflight, hs.inflight)
        try:
            if self.cfg.latency_ms:
                await asyncio.sleep(self.cfg.latency_ms / 1000)
            if method not in ("GET", "HEAD"):
                return "405 Method Not Allowed", [("Allow", "GET, HEAD")], b""
            return self.route(local, path, headers, query)
        finally:
            hs.inflight -= 1

    def route(
        self, local: str, path: str, headers: dict[str, str], query: str = ""
    ) -> tuple[str, list[tuple[str, str]], bytes]:
        site = self.site
        if m := _FEED_PATH.match(path):
            i = int(m.group(1))
            if i >= self.cfg.feeds or host_addr(i % self.cfg.hosts) != local:
                return self.not_found()
            if fault_of(self.cfg, i, 0) == "feed_500":
                self.stats.faults_served += 1
                return "500 Internal Server Error", [("Content-Type", "text/plain")], b"down\n"
            step = site.step
            paged = _paged(query) if self.cfg.archive else 1
            if paged > 1:
                self.stats.archive_pages += 1
                if (paged - 1) * self.cfg.items >= site.window(step).stop:
                    return self.not_found()
                ctype = "application/atom+xml" if i % 2 else "application/rss+xml"
                return (
                    "200 OK",
                    [("Content-Type", f"{ctype}; charset=utf-8")],
                    site._render_feed(i, step, paged),
                )
            etag = f'"f{i}-s{step}"'
            lm = format_datetime(site.last_modified(step), usegmt=True)
            hdrs = [("ETag", etag), ("Last-Modified", lm)]
            if self.cfg.conditional and _not_modified(headers, etag, site.last_modified(step)):
                self.stats.feeds_304 += 1
                return "304 Not Modified", hdrs, b""
            self.stats.feeds_200 += 1
            ctype = "application/atom+xml" if i % 2 else "application/rss+xml"
            return (
                "200 OK",
                [("Content-Type", f"{ctype}; charset=utf-8"), *hdrs],
                site.feed(i, step),
            )
        if m := _PAGE_PATH.match(path) or _LITE_PATH.match(path):
            i, j = int(m.group(1)), int(m.group(2))
            lite = path.startswith("/lite/")
            top = site.window(site.step).stop
            if i >= self.cfg.feeds or j >= top or host_addr(i % self.cfg.hosts) != local:
                return self.not_found()
            fault = fault_of(self.cfg, i, j)
            if lite:
                if fault != "page_500_twin":
                    return self.not_found()
                self.stats.pages += 1
                canonical = f"{site.base(i)}/news/{i}/{j}.html"
                return (
                    "200 OK",
                    [
                        ("Content-Type", "text/html; charset=utf-8"),
                        ("Link", f'<{canonical}>; rel="canonical"'),
                    ],
                    site.page(i, j),
                )
            if fault in ("page_500_twin", "page_500"):
                self.stats.faults_served += 1
                return "500 Internal Server Error", [("Content-Type", "text/plain")], b"oops\n"
            if fault == "page_503_once":
                first = self.first_seen.setdefault((i, j), time.monotonic())
                if time.monotonic() - first < 60:
                    self.stats.faults_served += 1
                    return (
                        "503 Service Unavailable",
                        [("Content-Type", "text/plain"), ("Retry-After", "30")],
                        b"busy\n",
                    )
            self.stats.pages += 1
            return "200 OK", [("Content-Type", "text/html; charset=utf-8")], site.page(i, j)
        self.stats.other += 1
        if path == "/robots.txt":
            return "200 OK", [("Content-Type", "text/plain")], b"User-agent: *\nAllow: /\n"
        return self.not_found()

    def not_found(self) -> tuple[str, list[tuple[str, str]], bytes]:
        return "404 Not Found", [("Content-Type", "text/plain")], b"not found\n"

    def control(self, path: str, query: str) -> tuple[str, list[tuple[str, str]], bytes]:
        if path == "/__bench/advance":
            n = int(query.split("n=", 1)[1].split("&")[0]) if "n=" in query else 1
            self.site.manual_steps += n
        elif path != "/__bench/stats":
            return self.not_found()
        started = self.site.started.isoformat() if self.site.started else None
        body = json.dumps(
            {
                "step": self.site.step,
                "top": self.site.window(self.site.step).stop,
                "started": started,
                **self.stats.summary(),
            }
        ).encode()
        return "200 OK", [("Content-Type", "application/json")], body


def _not_modified(headers: dict[str, str], etag: str, last_modified: datetime) -> bool:
    inm = headers.get("if-none-match")
    if inm is not None:
        tags = {t.strip().removeprefix("W/") for t in inm.split(",")}
        return etag in tags or "*" in tags
    ims = headers.get("if-modified-since")
    if ims:
        try:
            return parsedate_to_datetime(ims) >= last_modified
        except (TypeError, ValueError):
            return False
    return False


def _bind_all(hosts: int) -> tuple[int, list[socket.socket]]:
    """One listening socket per host address, all on the same free port."""
    for _ in range(20):
        first = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        first.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        first.bind((host_addr(0), 0))
        port = first.getsockname()[1]
        socks = [first]
        try:
            for h in range(1, hosts):
                s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
                s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
                socks.append(s)
                s.bind((host_addr(h), port))
        except OSError:
            for s in socks:
                s.close()
            continue
        for s in socks:
            s.listen(1024)
            s.setblocking(False)
        return port, socks
    raise OSError("no common free port for all host addresses")


async def serve(cfg: WebConfig) -> None:
    port, socks = _bind_all(cfg.hosts)
    server = Server(cfg, port)
    servers = [await asyncio.start_server(server.handle, sock=s, limit=65536) for s in socks]
    print(json.dumps({"port": port, "pid": os.getpid()}), flush=True)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stop.set)

    def _stdin_closed() -> None:  # the parent died: stop too
        try:
            if not sys.stdin.buffer.read1(1):
                loop.call_soon_threadsafe(stop.set)
        except (OSError, ValueError):
            loop.call_soon_threadsafe(stop.set)

    loop.run_in_executor(None, _stdin_closed)
    await stop.wait()
    for s in servers:
        s.close()
    print(json.dumps(server.stats.summary()), flush=True)
    os._exit(0)  # the stdin watcher thread would keep the process alive


# ------------------------------------------------------------------ client side


class NewsWeb:
    """Start the simulated web in a child process; ``with NewsWeb(cfg) as web: …``."""

    def __init__(self, cfg: WebConfig):
        self.cfg = cfg
        self.port = 0
        self.proc: subprocess.Popen[bytes] | None = None

    def __enter__(self) -> NewsWeb:
        c = self.cfg
        cmd = [
            sys.executable,
            "-m",
            "bench.newsweb",
            f"--hosts={c.hosts}",
            f"--feeds={c.feeds}",
            f"--items={c.items}",
            f"--latency-ms={c.latency_ms}",
            f"--new-every={c.new_every}",
            f"--new-per-step={c.new_per_step}",
        ] + ([] if c.conditional else ["--no-conditional"])
        cmd += [f"--publish-for={c.publish_for}"]
        cmd += [f for f, on in (("--rotate", c.rotate), ("--archive", c.archive)) if on]
        cmd += ["--faults"] if c.faults else []
        self.proc = subprocess.Popen(
            cmd, cwd=REPO_ROOT, stdin=subprocess.PIPE, stdout=subprocess.PIPE
        )
        assert self.proc.stdout is not None
        line = self.proc.stdout.readline()
        if not line:
            self.proc.wait(timeout=10)
            raise RuntimeError("the simulated web did not start")
        self.port = int(json.loads(line)["port"])
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def close(self) -> None:
        if self.proc is None:
            return
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self.proc = None

    def host_url(self, h: int) -> str:
        return f"http://{host_addr(h)}:{self.port}"

    def feed_url(self, i: int) -> str:
        return f"{self.host_url(i % self.cfg.hosts)}/feeds/{i}.xml"

    def feed_urls(self) -> list[str]:
        return [self.feed_url(i) for i in range(self.cfg.feeds)]

    def write_feeds_yaml(self, path: Path) -> Path:
        lines = ["feeds:"]
        for i, url in enumerate(self.feed_urls()):
            lang = "es" if i % 3 == 0 else "en"
            lines.append(f"  - name: bench-{i}\n    url: {url}\n    language: {lang}")
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")
        return path

    def _control(self, what: str) -> dict[str, Any]:
        with urllib.request.urlopen(f"{self.host_url(0)}/__bench/{what}", timeout=10) as r:
            data: dict[str, Any] = json.loads(r.read())
            return data

    def advance(self, n: int = 1) -> dict[str, Any]:
        return self._control(f"advance?n={n}")

    def stats(self) -> dict[str, Any]:
        return self._control("stats")


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description="the simulated news web (see module doc)")
    d = WebConfig()
    ap.add_argument("--hosts", type=int, default=d.hosts)
    ap.add_argument("--feeds", type=int, default=d.feeds)
    ap.add_argument("--items", type=int, default=d.items)
    ap.add_argument("--latency-ms", type=float, default=d.latency_ms)
    ap.add_argument("--new-every", type=float, default=d.new_every)
    ap.add_argument("--new-per-step", type=int, default=d.new_per_step)
    ap.add_argument("--no-conditional", action="store_true")
    ap.add_argument("--rotate", action="store_true")
    ap.add_argument("--archive", action="store_true")
    ap.add_argument("--faults", action="store_true")
    ap.add_argument("--publish-for", type=float, default=0.0)
    a = ap.parse_args(argv)
    cfg = WebConfig(
        a.hosts,
        a.feeds,
        a.items,
        a.latency_ms,
        a.new_every,
        a.new_per_step,
        not a.no_conditional,
        a.rotate,
        a.archive,
        a.faults,
        a.publish_for,
    )
    asyncio.run(serve(cfg))


if __name__ == "__main__":
    main()
