"""The single HTTP layer of borderwatch: fetch BYTES politely and safely from hostile servers.

Usage (one Fetcher per poll run, shared by feed AND article fetches)::

    async with Fetcher(FetchPolicy(user_agent="borderwatch/0.1 (+https://…)")) as f:
        res = await f.fetch(url, kind="feed", etag=etag, last_modified=lm)

``fetch`` returns a :class:`FetchResult` for 2xx and 304 and raises a ``FetchError`` subclass
otherwise. Design:

* **Politeness** (per Fetcher, all kinds together). Each HTTP request (each retry and each
  redirect hop is one) takes: the host's semaphore (``per_host_concurrency``, created lazily;
  a host is the lower-case host name) → a start slot at least ``per_host_delay`` after the
  previous one reserved for that host (and after any short Retry-After pause) → the global
  semaphore → a final check of the spacing against the last ACTUAL start (only sleeps when the
  global semaphore delayed us) and against the last request that actually went out: each
  request's headers are timed with httpx's ``trace`` hook, and a request does not start while
  an earlier one to its host is past its slot but not sent yet (a request sent late after its
  slot, by connection set-up or a busy event loop, would otherwise reach the server just
  before the next one). Slots are released as soon as the response body is read;
  backoff and Retry-After sleeps happen with no semaphore held. No task or thread per host;
  per-host state is one small object.
* **Retries**: timeouts, network errors, 5xx and 429 are retried ``retries`` times. The wait
  is the Retry-After value when given (if it is over ``max_retry_wait`` we give up at once and
  raise with ``.retry_after`` capped at ``retry_after_cap``), else full-jitter exponential
  backoff ``uniform(0, min(backoff_max, backoff_base * 2**attempt))``. A long Retry-After
  also cools the host down for the rest of the run: later fetches to it fail fast with
  RateLimited/ServerError carrying the remaining time, without a request.
* **Deadlines**: httpx connect/read/write timeouts plus ``total_timeout`` around each HTTP
  exchange (connect, headers and the whole body) with ``asyncio.timeout``. Waiting for a
  politeness slot is NOT counted (a busy host would otherwise time out its own queue).
* **Limits**: see :mod:`extractors.http_limits` (streamed size caps on decoded bytes,
  bounded decompression, bomb ratio). Redirects are followed by hand (``max_redirects``, loop
  detection, relative Location resolved, every target re-checked for scheme and address).
* **Safety**: see :mod:`extractors.http_safety` (all resolved addresses must be public; the
  connection is made to the checked IP, which defeats DNS rebinding; env proxies ignored).
* **Errors**: every exception of httpx/httpcore/the OS becomes one of ours in
  :mod:`extractors.error_map` (``map_fetch_errors``, ``status_error``).
* **Defaults**: ``FetchPolicy``'s shared ones are in ``config/http_defaults.py`` (with
  ``Settings``); ``FetchPolicy.from_settings(settings)`` builds the policy of a run.
* **Conditional GET**: validators are sent to every hop when given; a 304 is always honoured
  (``Expires: 0`` does not make us drop validators: a server answering 304 says the body is
  unchanged, and the pipeline also compares body hashes when it answers 200).
"""

from __future__ import annotations

import asyncio
import math
import random
import time
from collections import Counter, OrderedDict
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field, replace
from types import TracebackType
from typing import Any, Literal

import httpcore
import httpx

from config import http_defaults
from config.settings import Settings
from extractors.error_map import map_fetch_errors, status_error
from extractors.errors import (
    BlockedAddress,
    FetchError,
    FetchTimeout,
    RateLimited,
    ServerError,
    TooManyRedirects,
    TransientFetchError,
)
from extractors.http_limits import (
    accept_header,
    check_body,
    check_type_before_body,
    decode_html,
    parse_retry_after,
    read_body,
)
from extractors.http_safety import AddressGuard, PinnedBackend
from extractors.models import FetchOutcome, FetchResult

__all__ = ["FetchPolicy", "Fetcher", "fetch_sync", "decode_html", "FetchKind"]

FetchKind = Literal["feed", "article", "other"]
REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})
# hosts whose idle keep-alive connections are kept open (see PerHostTransport)
KEEPALIVE_HOSTS = 256


@dataclass(frozen=True)
class FetchPolicy:
    """What the Fetcher obeys. Defaults shared with Settings: config/http_defaults.py."""

    user_agent: str = http_defaults.PRODUCT
    connect_timeout: float = http_defaults.CONNECT_TIMEOUT
    read_timeout: float = http_defaults.READ_TIMEOUT
    total_timeout: float = http_defaults.TOTAL_TIMEOUT  # one exchange incl. body (no slot waits)
    max_feed_bytes: int = http_defaults.MAX_FEED_BYTES
    max_article_bytes: int = http_defaults.MAX_ARTICLE_BYTES
    max_other_bytes: int = http_defaults.MAX_OTHER_BYTES  # kind="other": robots.txt, sitemaps
    max_redirects: int = http_defaults.MAX_REDIRECTS
    per_host_concurrency: int = http_defaults.PER_HOST_CONCURRENCY
    per_host_delay: float = http_defaults.PER_HOST_DELAY  # min seconds between request STARTS
    global_concurrency: int = http_defaults.GLOBAL_CONCURRENCY
    retries: int = http_defaults.RETRIES
    backoff_base: float = 0.5
    backoff_max: float = 30.0
    retry_after_cap: float = 86400.0
    max_retry_wait: float = 30.0  # Retry-After up to this is slept; longer → raise now
    allow_private: bool = False
    max_decompressed_ratio: float = 100.0
    allowed_networks: tuple[str, ...] = ()  # exempt from the private-address block
    accept_language: str = "en, es;q=0.9, *;q=0.5"

    @classmethod
    def from_settings(cls, settings: Settings) -> FetchPolicy:
        """The policy the settings ask for (the fields Settings has; the rest default)."""
        return cls(
            user_agent=settings.user_agent,
            connect_timeout=settings.connect_timeout,
            read_timeout=settings.read_timeout,
            total_timeout=settings.total_timeout,
            max_feed_bytes=settings.max_feed_bytes,
            max_article_bytes=settings.max_article_bytes,
            max_redirects=settings.max_redirects,
            per_host_concurrency=settings.per_host_concurrency,
            per_host_delay=settings.per_host_delay,
            global_concurrency=settings.global_concurrency,
            retries=settings.retries,
            allow_private=settings.allow_private_addresses,
        )

    def cap(self, kind: str) -> int:
        if kind == "feed":
            return self.max_feed_bytes
        if kind == "article":
            return self.max_article_bytes
        return self.max_other_bytes


@dataclass
class _Host:
    sem: asyncio.Semaphore
    next_slot: float = -math.inf  # earliest start for the next reservation (monotonic)
    last_start: float = -math.inf  # last ACTUAL request start
    cooldown_until: float = 0.0  # long Retry-After: fail fast until then
    cooldown_error: FetchError | None = None
    in_flight: int = 0
    max_in_flight: int = 0
    requests: int = 0
    last_sent: float = -math.inf  # when the last request's headers started going out
    unsent: int = 0  # requests past their slot whose headers have not gone out yet
    sent: asyncio.Event = field(default_factory=asyncio.Event)  # set while unsent == 0

    def __post_init__(self) -> None:
        self.sent.set()

    def mark_sent(self) -> None:
        """A request past its slot sent its headers, or ended without sending them."""
        self.unsent -= 1
        self.last_sent = max(self.last_sent, time.monotonic())
        if self.unsent == 0:
            self.sent.set()


@dataclass
class _Redirect:
    location: str
    status: int


@dataclass
class _Stats:
    requests: int = 0
    fetches: int = 0
    bytes: int = 0  # raw bytes read from the network
    bytes_decoded: int = 0
    retries: int = 0
    redirects: int = 0
    in_flight: int = 0
    max_in_flight: int = 0
    outcomes: Counter[str] = field(default_factory=Counter)


class PerHostTransport(httpx.AsyncBaseTransport):
    """One small httpcore connection pool per origin, each new connection going through the
    SSRF guard to a checked IP (PinnedBackend).

    Why not httpx's one shared pool: politeness sends a host one request a second or so,
    interleaved with every other host. A shared pool capped near the request concurrency
    evicted each host's idle connection before its next request (2,201 TCP connections for
    2,200 requests on 100 hosts), and a shared pool big enough to keep them all scans every
    connection (a socket poll for each idle one) on every request: the poll process's CPU
    went from 14 s to 25 s for 2,000 articles. Per-origin pools keep each scan to the one or
    two connections of that host. Pools of the least recently used hosts beyond ``max_hosts``
    are closed when idle, so open sockets stay bounded."""

    def __init__(self, guard: AddressGuard, *, connections_per_host: int, max_hosts: int):
        self._ssl = httpx.create_ssl_context(trust_env=False)
        self._backend = PinnedBackend(guard)
        self._per_host = connections_per_host
        self._max_hosts = max_hosts
        self._hosts: OrderedDict[
            tuple[bytes, bytes, int | None],
            tuple[httpx.AsyncHTTPTransport, httpcore.AsyncConnectionPool],
        ] = OrderedDict()

    def _transport_for(self, url: httpx.URL) -> httpx.AsyncHTTPTransport:
        key = (url.raw_scheme, url.raw_host, url.port)
        found = self._hosts.get(key)
        if found is not None:
            self._hosts.move_to_end(key)
            return found[0]
        t = httpx.AsyncHTTPTransport(verify=self._ssl, trust_env=False)
        # the same kind of pool httpx makes, but new connections go through the SSRF guard
        t._pool = pool = httpcore.AsyncConnectionPool(
            ssl_context=self._ssl,
            max_connections=self._per_host + 1,  # + 1: a redirect hop back to the same host
            max_keepalive_connections=self._per_host,
            keepalive_expiry=5.0,
            network_backend=self._backend,
        )
        self._hosts[key] = (t, pool)
        return t

    async def _close_idle_hosts(self) -> None:
        for key in list(self._hosts)[: max(0, len(self._hosts) - self._max_hosts)]:
            t, pool = self._hosts[key]
            # a pool with no connection holds no socket, and may be one a request was just
            # handed to (that request is waiting in this very loop): leave it
            if pool.connections and all(c.is_idle() for c in pool.connections):
                del self._hosts[key]
                await t.aclose()

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        t = self._transport_for(request.url)
        if len(self._hosts) > self._max_hosts:
            await self._close_idle_hosts()
        return await t.handle_async_request(request)

    async def aclose(self) -> None:
        hosts, self._hosts = list(self._hosts.values()), OrderedDict()
        for t, _ in hosts:
            await t.aclose()


class Fetcher:
    """Polite, bounded HTTP GETs. Use ``async with``; one instance per poll run."""

    def __init__(self, policy: FetchPolicy, *, transport: httpx.AsyncBaseTransport | None = None):
        self.policy = policy
        self.guard = AddressGuard(
            allow_private=policy.allow_private,
            allowed_networks=policy.allowed_networks,
            resolve_timeout=policy.connect_timeout,
        )
        if transport is None:
            transport = PerHostTransport(
                self.guard,
                connections_per_host=max(1, policy.per_host_concurrency),
                max_hosts=KEEPALIVE_HOSTS,
            )
        self._client = httpx.AsyncClient(
            transport=transport,
            follow_redirects=False,
            trust_env=False,
            timeout=httpx.Timeout(
                connect=policy.connect_timeout,
                read=policy.read_timeout,
                write=policy.read_timeout,
                pool=policy.total_timeout,
            ),
            headers={
                "User-Agent": policy.user_agent,
                "Accept-Encoding": "gzip, deflate, br",
                "Accept-Language": policy.accept_language,
            },
        )
        self._hosts: dict[str, _Host] = {}
        self._global = asyncio.Semaphore(max(1, policy.global_concurrency))
        self._stats = _Stats()
        self._closed = False

    # ------------------------------------------------------------ lifecycle

    async def __aenter__(self) -> Fetcher:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.aclose()

    async def aclose(self) -> None:
        if not self._closed:
            self._closed = True
            await self._client.aclose()

    @property
    def stats(self) -> dict[str, Any]:
        s = self._stats
        return {
            "fetches": s.fetches,
            "requests": s.requests,
            "bytes": s.bytes,
            "bytes_decoded": s.bytes_decoded,
            "retries": s.retries,
            "redirects": s.redirects,
            "outcomes": dict(s.outcomes),
            "hosts": len(self._hosts),
            "dns_lookups": self.guard.lookups,
            "max_concurrent": s.max_in_flight,
            "max_concurrent_per_host": max(
                (h.max_in_flight for h in self._hosts.values()), default=0
            ),
            "per_host_max_concurrent": {k: h.max_in_flight for k, h in self._hosts.items()},
        }

    # ------------------------------------------------------------ public

    async def fetch(
        self,
        url: str,
        kind: FetchKind | str = "feed",
        etag: str | None = None,
        last_modified: str | None = None,
    ) -> FetchResult:
        """GET ``url``; FetchResult for 2xx/304, else a FetchError subclass is raised."""
        if kind not in ("feed", "article", "other"):
            raise ValueError(f"kind must be feed, article or other, not {kind!r}")
        self._stats.fetches += 1
        t0 = time.monotonic()
        try:
            res = await self._fetch(url, kind, etag, last_modified)
        except FetchError as exc:
            self._stats.outcomes[exc.kind] += 1
            if exc.url is None:
                exc.url = url
            raise
        done = FetchOutcome.NOT_MODIFIED if res.not_modified else FetchOutcome.OK
        self._stats.outcomes[done.value] += 1
        return replace(res, elapsed=time.monotonic() - t0)

    # ------------------------------------------------------------ redirects

    async def _fetch(
        self, url: str, kind: str, etag: str | None, last_modified: str | None
    ) -> FetchResult:
        headers = {"Accept": accept_header(kind)}
        if etag:
            headers["If-None-Match"] = etag
        if last_modified:
            headers["If-Modified-Since"] = last_modified
        target = self._check_url(url)
        seen = {str(target)}
        hops = attempts = 0
        while True:
            port = target.port or (443 if target.scheme == "https" else 80)
            await self.guard.addresses(_host_of(target), port)  # before queueing for a slot
            outcome, n = await self._with_retries(target, kind, headers, url)
            attempts += n
            if isinstance(outcome, FetchResult):
                return replace(outcome, url=url, attempts=attempts, redirects=hops)
            hops += 1
            self._stats.redirects += 1
            with map_fetch_errors(str(target)):
                nxt = target.join(outcome.location.strip())
            nxt = self._check_url(str(nxt), via=str(target))
            if hops > self.policy.max_redirects:
                raise TooManyRedirects(
                    f"more than {self.policy.max_redirects} redirects (last to {nxt})", url=url
                )
            if str(nxt) in seen:
                raise TooManyRedirects(f"redirect loop back to {nxt}", url=url)
            seen.add(str(nxt))
            target = nxt

    @staticmethod
    def _check_url(url: str, via: str | None = None) -> httpx.URL:
        with map_fetch_errors(url):
            parsed = httpx.URL(url)
        where = f" (redirect from {via})" if via else ""
        if parsed.scheme not in ("http", "https"):
            raise BlockedAddress(
                f"scheme {parsed.scheme or 'none'!r} is not http(s){where}", url=url
            )
        if not parsed.host:
            raise BlockedAddress(f"URL without a host{where}", url=url)
        return parsed.copy_with(fragment=None)

    # ------------------------------------------------------------ retries

    async def _with_retries(
        self, target: httpx.URL, kind: str, headers: dict[str, str], original: str
    ) -> tuple[FetchResult | _Redirect, int]:
        p = self.policy
        host = self._host(_host_of(target))
        attempt = 0
        while True:
            now = time.monotonic()
            if host.cooldown_error is not None and host.cooldown_until > now:
                raise _cooldown_copy(host.cooldown_error, host.cooldown_until - now, original)
            try:
                return await self._attempt(host, target, kind, headers), attempt + 1
            except TransientFetchError as exc:
                retry_after: float | None = getattr(exc, "retry_after", None)
                if retry_after is not None and retry_after > p.max_retry_wait:
                    host.cooldown_until = time.monotonic() + retry_after
                    host.cooldown_error = exc
                    raise
                if attempt >= p.retries:
                    raise
                if retry_after is not None:
                    wait = retry_after
                    host.next_slot = max(host.next_slot, time.monotonic() + retry_after)
                else:
                    wait = random.uniform(0, min(p.backoff_max, p.backoff_base * 2**attempt))
                attempt += 1
                self._stats.retries += 1
                await asyncio.sleep(wait)  # no semaphore is held here

    # ------------------------------------------------------------ one exchange

    def _host(self, name: str) -> _Host:
        key = name.lower()
        h = self._hosts.get(key)
        if h is None:
            sem = asyncio.Semaphore(max(1, self.policy.per_host_concurrency))
            h = self._hosts[key] = _Host(sem)
        return h

    @asynccontextmanager
    async def _slot(self, host: _Host) -> AsyncIterator[None]:
        delay = self.policy.per_host_delay
        async with host.sem:
            now = time.monotonic()
            start = max(now, host.next_slot)
            host.next_slot = start + delay  # reserve a distinct start time
            if start > now:
                await asyncio.sleep(start - now)
            async with self._global:
                # spaced from the last start AND from the last request that actually went
                # out: a request sent late after its slot (connection set-up, a busy event
                # loop) must not reach the server just before the next one
                while True:
                    if host.unsent:
                        await host.sent.wait()
                        continue
                    gap = max(host.last_start, host.last_sent) + delay - time.monotonic()
                    if gap <= 0:
                        break
                    await asyncio.sleep(gap)  # a reordered or late predecessor
                now = time.monotonic()
                host.last_start = now
                host.unsent += 1
                host.sent.clear()
                host.next_slot = max(host.next_slot, now + delay)
                host.in_flight += 1
                host.requests += 1
                host.max_in_flight = max(host.max_in_flight, host.in_flight)
                s = self._stats
                s.in_flight += 1
                s.max_in_flight = max(s.max_in_flight, s.in_flight)
                try:
                    yield
                finally:
                    host.in_flight -= 1
                    s.in_flight -= 1

    async def _attempt(
        self, host: _Host, target: httpx.URL, kind: str, headers: dict[str, str]
    ) -> FetchResult | _Redirect:
        url = str(target)
        p = self.policy
        async with self._slot(host):
            self._stats.requests += 1
            pending = [True]  # headers not sent yet

            async def trace(event: str, _info: dict[str, Any]) -> None:
                if pending[0] and event.endswith("send_request_headers.started"):
                    pending[0] = False
                    host.mark_sent()

            try:
                with map_fetch_errors(url):
                    try:
                        async with asyncio.timeout(p.total_timeout):
                            request = self._client.build_request(
                                "GET", target, headers=headers, extensions={"trace": trace}
                            )
                            response = await self._client.send(request, stream=True)
                            try:
                                return await self._handle(response, target, kind)
                            finally:
                                await response.aclose()
                    except TimeoutError as exc:
                        raise FetchTimeout(
                            f"total deadline of {p.total_timeout:g}s exceeded", url=url
                        ) from exc
            finally:
                if pending[0]:  # failed before sending, or a transport without the trace
                    pending[0] = False
                    host.mark_sent()
        raise AssertionError("unreachable")  # pragma: no cover - for mypy

    async def _handle(
        self, response: httpx.Response, target: httpx.URL, kind: str
    ) -> FetchResult | _Redirect:
        url = str(target)
        status = response.status_code
        p = self.policy
        if status in REDIRECT_STATUSES and response.headers.get("location"):
            return _Redirect(response.headers["location"], status)
        if status >= 400 or (300 <= status < 400 and status != 304):
            retry_after = parse_retry_after(
                response.headers.get("retry-after"), cap=p.retry_after_cap
            )
            raise status_error(status, url, retry_after)
        headers = {k.lower(): v for k, v in response.headers.items()}
        ctype = headers.get("content-type", "").split(";")[0].strip().lower()
        result = FetchResult(
            url=url,
            final_url=url,
            status=status,
            headers=headers,
            etag=headers.get("etag"),
            last_modified=headers.get("last-modified"),
            charset=response.charset_encoding,
        )
        if status == 304:
            return result
        check_type_before_body(kind, ctype, url)
        body, raw = await read_body(
            response, cap=p.cap(kind), max_ratio=p.max_decompressed_ratio, url=url
        )
        self._stats.bytes += raw
        self._stats.bytes_decoded += len(body)
        check_body(kind, ctype, body, url)
        return replace(result, content=body, bytes_read=raw)


def _host_of(url: httpx.URL) -> str:
    """The ASCII (IDNA-encoded) lower-case host name, as httpcore will connect to it."""
    return url.raw_host.decode("ascii", "replace").lower()


def _cooldown_copy(exc: FetchError, remaining: float, url: str) -> FetchError:
    ra = math.ceil(remaining)
    msg = f"host cooling down after a long Retry-After ({ra}s left)"
    if isinstance(exc, ServerError):
        return ServerError(msg, url=url, status=exc.status, retry_after=ra)
    return RateLimited(msg, url=url, retry_after=ra)


def fetch_sync(url: str, policy: FetchPolicy, **kw: Any) -> FetchResult:
    """Fetch one URL from synchronous code (a fresh event loop; not from inside a loop)."""

    async def one() -> FetchResult:
        async with Fetcher(policy) as f:
            return await f.fetch(url, **kw)

    return asyncio.run(one())
