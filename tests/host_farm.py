"""Feeds spread over several web hosts on loopback, counting what each host sees.

Host ``h`` is the loopback address ``127.3.0.<h + 1>`` (Linux routes all of 127.0.0.0/8 to
``lo``), one threaded HTTP server per host. Feed ``i`` lives on host ``i % hosts`` at
``/f/<i>/feed.xml`` (its archive ends there: ``?paged=2`` is a 404) and lists ``items``
articles of its own host (``/a/<i>-<j>/``) and, with ``shared``, one of ``shared`` stories
common to several feeds (``/s/<k>/``, on host ``k % hosts``), so that workers race to store
the same story.

The server records, per host: requests per path, requests in flight at once (the maximum is
what politeness across workers must keep <= ``BORDERWATCH_PER_HOST_CONCURRENCY``), and every
request's start time. ``delay`` (seconds) slows every response down; ``article_delay`` only
the article pages.
"""

from __future__ import annotations

import threading
import time
from collections import Counter
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path


def host_addr(h: int) -> str:
    return f"127.3.{h // 250}.{h % 250 + 1}"


class HostFarm:
    def __init__(
        self,
        *,
        hosts: int,
        feeds: int,
        items: int = 1,
        shared: int = 0,
        delay: float = 0.0,
        article_delay: float = 0.0,
    ) -> None:
        self.n_hosts, self.n_feeds, self.items, self.shared = hosts, feeds, items, shared
        self.delay, self.article_delay = delay, article_delay
        self.hits: Counter[str] = Counter()  # "host/path" -> requests
        self.inflight: Counter[str] = Counter()
        self.max_inflight: Counter[str] = Counter()
        self.starts: list[tuple[float, str]] = []  # (monotonic time, host) of every request
        self._lock = threading.Lock()
        self.servers: list[ThreadingHTTPServer] = []
        self.base: list[str] = []
        for h in range(hosts):
            srv = ThreadingHTTPServer((host_addr(h), 0), self._handler(host_addr(h)))
            srv.daemon_threads = True
            self.servers.append(srv)
            self.base.append(f"http://{host_addr(h)}:{srv.server_address[1]}")
            threading.Thread(target=srv.serve_forever, daemon=True).start()

    def _handler(self, host: str) -> type[BaseHTTPRequestHandler]:
        farm = self

        class H(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *a: object) -> None:
                pass

            def do_GET(self) -> None:  # noqa: N802
                with farm._lock:
                    farm.hits[host + self.path] += 1
                    farm.starts.append((time.monotonic(), host))
                    farm.inflight[host] += 1
                    farm.max_inflight[host] = max(farm.max_inflight[host], farm.inflight[host])
                status = 200
                try:
                    if "paged=" in self.path:  # archive page 2 and on: past the end
                        time.sleep(farm.delay)
                        status, body, ctype = 404, b"", "text/plain"
                    elif self.path.startswith("/f/"):
                        time.sleep(farm.delay)
                        body = farm.feed(int(self.path.split("/")[2])).encode()
                        ctype = "application/rss+xml"
                    else:
                        time.sleep(farm.delay + farm.article_delay)
                        body = farm.article(self.path).encode()
                        ctype = "text/html; charset=utf-8"
                finally:
                    with farm._lock:
                        farm.inflight[host] -= 1
                self.send_response(status)
                self.send_header("Content-Type", ctype)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

        return H

    def feed_url(self, i: int) -> str:
        return f"{self.base[i % self.n_hosts]}/f/{i}/feed.xml"

    def links(self, i: int) -> list[str]:
        own = [f"{self.base[i % self.n_hosts]}/a/{i}-{j}/" for j in range(self.items)]
        if self.shared:
            k = i % self.shared
            own.append(f"{self.base[k % self.n_hosts]}/s/{k}/")
        return own

    def feed(self, i: int) -> str:
        items = "".join(
            f"<item><title>Nota {link}</title><link>{link}</link></item>" for link in self.links(i)
        )
        return (
            f'<?xml version="1.0"?><rss version="2.0"><channel><title>F{i}</title>{items}'
            "</channel></rss>"
        )

    def article(self, path: str) -> str:
        key = path.strip("/").replace("/", "-")
        paras = "".join(
            f"<p>Reporte {key}, párrafo {k}: autoridades municipales informaron sobre el caso "
            f"{key} y pidieron a la población aportar datos para la investigación número {k}.</p>"
            for k in range(4)
        )
        return f"<html><body><article><h1>Nota {key}</h1>{paras}</article></body></html>"

    def feed_hits(self) -> Counter[str]:
        """Requests per feed URL path (host + path), for feeds only."""
        return Counter({p: n for p, n in self.hits.items() if "/f/" in p})

    def page_hits(self) -> Counter[str]:
        return Counter({p: n for p, n in self.hits.items() if "/f/" not in p})

    def host_spans(self) -> dict[str, tuple[float, float]]:
        """Per host: (first request start, last request start)."""
        spans: dict[str, tuple[float, float]] = {}
        for t, h in self.starts:
            a, b = spans.get(h, (t, t))
            spans[h] = (min(a, t), max(b, t))
        return spans

    def gaps(self) -> dict[str, list[float]]:
        """Per host: the times between consecutive request starts, in order."""
        last: dict[str, float] = {}
        gaps: dict[str, list[float]] = {}
        for t, h in sorted(self.starts):
            if h in last:
                gaps.setdefault(h, []).append(t - last[h])
            last[h] = t
        return gaps

    def expected_articles(self) -> int:
        return self.n_feeds * self.items + min(self.shared, self.n_feeds)

    def write_feeds(self, path: Path) -> Path:
        path.write_text(
            "feeds:\n"
            + "".join(
                f"  - name: F{i}\n    url: {self.feed_url(i)}\n" for i in range(self.n_feeds)
            ),
            encoding="utf-8",
        )
        return path

    def close(self) -> None:
        for srv in self.servers:
            srv.shutdown()
            srv.server_close()

    def __enter__(self) -> HostFarm:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
