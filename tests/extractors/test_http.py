"""The HTTP layer against a real local hostile server: one test per fault, each asserting the
typed error (or result), an upper bound on time and, for the big bodies, on memory."""

from __future__ import annotations

import asyncio
import time
import tracemalloc
from collections.abc import Callable, Coroutine, Iterator
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from typing import Any, TypeVar

import httpx
import pytest

from config import clock
from extractors.errors import (
    BadContentType,
    BlockedAddress,
    EmptyBody,
    FetchError,
    FetchTimeout,
    HTTPClientError,
    NetworkError,
    RateLimited,
    ServerError,
    TooLarge,
    TooManyRedirects,
)
from extractors.http import Fetcher, FetchPolicy, decode_html, fetch_sync
from extractors.http_limits import looks_like_feed, looks_like_html, parse_retry_after
from extractors.http_safety import blocked_reason
from extractors.models import FetchResult
from tests.hostile_server import ARTICLE, FEED, HostileServer, never_accepting_port

T = TypeVar("T")
MB = 2**20

POLICY = FetchPolicy(
    user_agent="borderwatch-test/0.1 (+https://example.test/bot)",
    connect_timeout=1.0,
    read_timeout=2.0,
    total_timeout=3.0,
    per_host_delay=0.0,
    retries=0,
    backoff_base=0.05,
    backoff_max=0.2,
    allow_private=True,  # the hostile server lives on 127.0.0.0/8
)


@pytest.fixture(scope="module")
def srv() -> Iterator[HostileServer]:
    with HostileServer() as s:
        yield s


@pytest.fixture(autouse=True)
def _fresh_counters(srv: HostileServer) -> None:
    srv.reset()


def run(coro: Coroutine[Any, Any, T]) -> T:
    return asyncio.run(coro)


async def _fetch(url: str, policy: FetchPolicy = POLICY, **kw: Any) -> FetchResult:
    async with Fetcher(policy) as f:
        return await f.fetch(url, **kw)


def fetch(url: str, policy: FetchPolicy = POLICY, **kw: Any) -> FetchResult:
    return run(_fetch(url, policy, **kw))


def timed(fn: Callable[[], T]) -> tuple[T | BaseException, float]:
    t = time.monotonic()
    try:
        out: T | BaseException = fn()
    except BaseException as exc:  # noqa: BLE001 - returned to the test for asserts
        out = exc
    return out, time.monotonic() - t


def expect(
    err: type[FetchError], url: str, policy: FetchPolicy = POLICY, *, within: float, **kw: Any
) -> FetchError:
    got, took = timed(lambda: fetch(url, policy, **kw))
    assert isinstance(got, err), f"expected {err.__name__}, got {got!r}"
    assert took < within, f"took {took:.2f}s (bound {within}s)"
    return got


def peak_memory(fn: Callable[[], Any]) -> tuple[Any, int]:
    tracemalloc.start()
    try:
        got, _ = timed(fn)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    return got, peak


# ------------------------------------------------------------------ success paths


def test_feed_ok_headers_and_identifying_user_agent(srv: HostileServer) -> None:
    res = fetch(srv.url("/feed"), kind="feed")
    assert res.status == 200 and res.content == FEED
    assert res.content_type == "application/rss+xml" and res.charset == "utf-8"
    assert res.etag == '"v1"' and res.last_modified
    assert res.final_url == res.url == srv.url("/feed")
    assert res.attempts == 1 and res.redirects == 0 and res.bytes_read == len(FEED)
    sent = srv.last_headers["/feed"]
    assert sent["user-agent"] == POLICY.user_agent
    assert "gzip" in sent["accept-encoding"] and "br" in sent["accept-encoding"]
    assert "rss" in sent["accept"]


def test_conditional_get_304_round_trip(srv: HostileServer) -> None:
    first = fetch(srv.url("/feed"))
    again = fetch(srv.url("/feed"), etag=first.etag, last_modified=first.last_modified)
    assert again.status == 304 and again.not_modified and again.content == b""
    assert again.etag == first.etag and again.last_modified == first.last_modified
    sent = srv.last_headers["/feed"]
    assert sent["if-none-match"] == first.etag
    assert sent["if-modified-since"] == first.last_modified
    only_lm = fetch(srv.url("/feed"), last_modified=first.last_modified)
    assert only_lm.status == 304
    changed = fetch(srv.url("/feed?etag=%22v2%22"), etag=first.etag)
    assert changed.status == 200 and changed.etag == '"v2"'


@pytest.mark.parametrize("enc", ["gzip", "deflate", "rawdeflate", "br"])
def test_compressed_bodies_decode(srv: HostileServer, enc: str) -> None:
    res = fetch(srv.url(f"/encoded/{enc}"))
    assert res.content == FEED
    assert res.bytes_read < len(FEED)
    art = fetch(srv.url(f"/encoded/{enc}?kind=article"), kind="article")
    assert art.content == ARTICLE


def test_article_types(srv: HostileServer) -> None:
    assert fetch(srv.url("/article"), kind="article").content == ARTICLE
    assert fetch(srv.url("/article-noct"), kind="article").content == ARTICLE  # sniffed
    got = expect(BadContentType, srv.url("/image"), kind="article", within=2)
    assert "image/png" in got.message
    expect(BadContentType, srv.url("/feed"), kind="article", within=2)  # XML is not a page


def test_fetch_sync(srv: HostileServer) -> None:
    assert fetch_sync(srv.url("/feed"), POLICY, kind="feed").content == FEED


# ------------------------------------------------------------------ content checks


def test_html_page_served_as_feed_is_bad_content_type(srv: HostileServer) -> None:
    got = expect(BadContentType, srv.url("/html-as-feed"), kind="feed", within=2)
    assert got.kind == "content_type" and "HTML" in got.message
    # the same page is fine as an article, and as "other"
    assert fetch(srv.url("/html-as-feed"), kind="article").status == 200
    assert fetch(srv.url("/html-as-feed"), kind="other").status == 200


def test_feed_as_text_plain_with_bom_is_sniffed(srv: HostileServer) -> None:
    res = fetch(srv.url("/plain-feed"), kind="feed")
    assert res.content.endswith(FEED)


def test_empty_body(srv: HostileServer) -> None:
    got = expect(EmptyBody, srv.url("/empty"), within=2)
    assert got.kind == "empty"


def test_sniffers() -> None:
    assert looks_like_feed(b"\xef\xbb\xbf  <?xml version='1.0'?><rss/>")
    assert looks_like_feed(b"<!-- generator --><feed xmlns='http://www.w3.org/2005/Atom'/>")
    assert looks_like_feed(b"\n<rdf:RDF/>") and looks_like_feed(b'{"version": "jsonfeed"}')
    assert not looks_like_feed(b"<!DOCTYPE html><html></html>")
    assert not looks_like_feed(b"<!-- cf --><!DOCTYPE html><html>")
    assert not looks_like_feed(b"garbage")
    assert looks_like_html(b"  <!doctype HTML>") and looks_like_html(b"<html lang=es>")
    assert looks_like_html("<html>".encode("utf-16"))
    assert not looks_like_html(FEED)


# ------------------------------------------------------------------ timeouts


def test_connect_timeout_on_a_full_backlog() -> None:
    listener, fillers = never_accepting_port()
    try:
        port = listener.getsockname()[1]
        pol = replace(POLICY, connect_timeout=0.5)
        got = expect(FetchTimeout, f"http://127.0.0.1:{port}/feed", pol, within=2.5)
        assert got.kind == "timeout"
    finally:
        for s in [*fillers, listener]:
            s.close()


def test_connection_refused_is_network_error() -> None:
    listener, _ = never_accepting_port()
    port = listener.getsockname()[1]
    listener.close()  # nothing listens there any more
    expect(NetworkError, f"http://127.0.0.1:{port}/", within=2)


def test_server_never_answers_read_timeout(srv: HostileServer) -> None:
    pol = replace(POLICY, read_timeout=0.5)
    expect(FetchTimeout, srv.url("/hang?for=5"), pol, within=2)


def test_body_trickling_forever_hits_total_deadline(srv: HostileServer) -> None:
    # each byte arrives well within read_timeout, so only the total deadline can stop it
    pol = replace(POLICY, read_timeout=5.0, total_timeout=1.5)
    got = expect(FetchTimeout, srv.url("/trickle?every=0.1"), pol, within=1.5 + 2)
    assert got.kind == "timeout"


def test_trickle_with_retries_is_bounded_too(srv: HostileServer) -> None:
    pol = replace(POLICY, read_timeout=5.0, total_timeout=0.7, retries=1)
    expect(FetchTimeout, srv.url("/trickle?every=0.1"), pol, within=2 * 0.7 + 0.2 + 2)
    assert srv.hits["/trickle"] == 2


# ------------------------------------------------------------------ size limits


def test_50mb_body_with_content_length_rejected_before_reading(srv: HostileServer) -> None:
    got, peak = peak_memory(
        lambda: expect(TooLarge, srv.url(f"/big?size={50 * MB}&cl=1"), within=3)
    )
    assert isinstance(got, TooLarge) and "Content-Length" in got.message
    assert peak < 2 * MB, peak


def test_50mb_body_without_content_length_stops_at_the_cap(srv: HostileServer) -> None:
    pol = replace(POLICY, total_timeout=10.0)
    for kind, cap in (("feed", pol.max_feed_bytes), ("article", pol.max_article_bytes)):
        got, peak = peak_memory(
            lambda k=kind: expect(  # type: ignore[misc]
                TooLarge, srv.url(f"/big?size={50 * MB}&cl=0&ct=text/html"), pol, within=10, kind=k
            )
        )
        assert isinstance(got, TooLarge) and "cap" in got.message
        assert peak < cap + 4 * MB, (kind, peak)  # never much more than cap + one chunk


def test_content_length_within_cap_but_body_streams_more_is_cut(srv: HostileServer) -> None:
    pol = replace(POLICY, max_feed_bytes=MB)
    expect(TooLarge, srv.url(f"/big?size={3 * MB}&cl=0"), pol, within=3)


def test_gzip_bomb(srv: HostileServer) -> None:
    # 1 GB of zeros, ~1 MB on the wire, streamed lazily by the server
    got, peak = peak_memory(lambda: expect(TooLarge, srv.url("/gzip-bomb?mb=1024"), within=5))
    assert isinstance(got, TooLarge)
    assert peak < 20 * MB, peak


def test_gzip_bomb_ratio_cap_with_a_huge_size_cap(srv: HostileServer) -> None:
    pol = replace(POLICY, max_feed_bytes=2**31)
    got, peak = peak_memory(lambda: expect(TooLarge, srv.url("/gzip-bomb?mb=1024"), pol, within=5))
    assert isinstance(got, TooLarge) and "bomb" in got.message
    assert peak < 20 * MB, peak


def test_small_gzip_of_zeros_under_ratio_threshold_is_fine(srv: HostileServer) -> None:
    # 1 MB decoded is under the 1 MB-decoded threshold of the ratio check → allowed; but it
    # is not a feed, so kind="other"
    res = fetch(srv.url("/gzip-bomb?mb=1"), kind="other")
    assert res.content == bytes(MB)


# ------------------------------------------------------------------ redirects


def test_redirect_loop(srv: HostileServer) -> None:
    got = expect(TooManyRedirects, srv.url("/loop-a"), within=2)
    assert "loop" in got.message and got.kind == "redirects"
    assert srv.hits["/loop-a"] == 1 and srv.hits["/loop-b"] == 1


def test_redirect_chain_of_6_is_too_many_and_5_is_fine(srv: HostileServer) -> None:
    got = expect(TooManyRedirects, srv.url("/chain/6"), within=2)
    assert "more than 5" in got.message
    assert srv.hits["/chain/0"] == 0
    res = fetch(srv.url("/chain/5"))
    assert res.redirects == 5 and res.final_url == srv.url("/chain/0")
    assert res.url == srv.url("/chain/5") and res.content == FEED


def test_relative_location_is_resolved(srv: HostileServer) -> None:
    res = fetch(srv.url("/redirect?to=feed&code=308"))
    assert res.final_url == srv.url("/feed") and res.content == FEED


# ------------------------------------------------------------------ safety (SSRF)


def test_loopback_refused_by_default(srv: HostileServer) -> None:
    pol = replace(POLICY, allow_private=False)
    for url in (
        srv.url("/feed"),
        f"http://localhost:{srv.port}/feed",
        f"http://[::1]:{srv.port}/feed",
        f"http://[::ffff:127.0.0.1]:{srv.port}/feed",
        f"http://0.0.0.0:{srv.port}/feed",
        "http://10.1.2.3/",
        "http://169.254.169.254/",
    ):
        got = expect(BlockedAddress, url, pol, within=2)
        assert got.kind == "blocked"
    assert srv.hits["/feed"] == 0
    assert FetchPolicy().allow_private is False


def test_policy_from_settings_shares_the_settings_defaults() -> None:
    """The HTTP defaults are written once (config/http_defaults.py): default settings give the
    default policy (but for the app's User-Agent), and every setting reaches the policy."""
    from config.settings import load_settings

    default = FetchPolicy.from_settings(load_settings())
    assert replace(default, user_agent=FetchPolicy().user_agent) == FetchPolicy()
    assert default.user_agent.startswith(FetchPolicy().user_agent + " (+https://")
    custom = load_settings(
        user_agent="ua/1",
        connect_timeout=1.5,
        read_timeout=2.5,
        total_timeout=3.5,
        max_feed_bytes=11,
        max_article_bytes=12,
        max_redirects=13,
        per_host_concurrency=14,
        per_host_delay=0.25,
        global_concurrency=15,
        retries=16,
        allow_private_addresses=True,
    )
    assert FetchPolicy.from_settings(custom) == replace(
        FetchPolicy(),
        user_agent="ua/1",
        connect_timeout=1.5,
        read_timeout=2.5,
        total_timeout=3.5,
        max_feed_bytes=11,
        max_article_bytes=12,
        max_redirects=13,
        per_host_concurrency=14,
        per_host_delay=0.25,
        global_concurrency=15,
        retries=16,
        allow_private=True,
    )


def test_redirect_from_allowed_host_to_loopback_refused(srv: HostileServer) -> None:
    # 127.0.0.2 plays a public host; 127.0.0.1 stays blocked
    pol = replace(POLICY, allow_private=False, allowed_networks=("127.0.0.2/32",))
    assert fetch(srv.url("/feed", host="127.0.0.2"), pol).status == 200
    target = srv.url("/feed")
    got = expect(BlockedAddress, srv.url(f"/redirect?to={target}", host="127.0.0.2"), pol, within=2)
    assert "127.0.0.1" in got.message
    assert srv.hits["/redirect"] == 1 and srv.hits["/feed"] == 1  # only the allowed fetch


def test_non_http_schemes_refused(srv: HostileServer) -> None:
    for url in (
        "ftp://example.test/feed",
        "file:///etc/passwd",
        "gopher://x/",
        "feed",
        "javascript:alert(1)",
    ):
        expect(BlockedAddress, url, within=1)
    got = expect(BlockedAddress, srv.url("/redirect?to=file:///etc/passwd"), within=2)
    assert "file" in got.message


def test_blocked_reason_table() -> None:
    from ipaddress import ip_address

    for bad in (
        "127.0.0.1",
        "10.0.0.1",
        "172.16.0.1",
        "192.168.1.1",
        "169.254.169.254",
        "100.64.0.1",
        "0.0.0.0",
        "224.0.0.1",
        "240.0.0.1",
        "255.255.255.255",
        "::1",
        "::",
        "fe80::1",
        "fc00::1",
        "ff02::1",
        "::ffff:10.0.0.1",
        "2002:7f00:1::",
        "64:ff9b::a00:1",
    ):
        assert blocked_reason(ip_address(bad)), bad
    for good in ("8.8.8.8", "1.1.1.1", "2606:4700:4700::1111", "::ffff:8.8.8.8"):
        assert blocked_reason(ip_address(good)) is None, good


# ------------------------------------------------------------------ status codes, retries


@pytest.mark.parametrize("code", [404, 410, 403])
def test_permanent_client_errors_not_retried(srv: HostileServer, code: int) -> None:
    pol = replace(POLICY, retries=2)
    got = expect(HTTPClientError, srv.url(f"/status/{code}"), pol, within=2)
    assert got.status == code and got.kind == f"http_{code}"  # type: ignore[attr-defined]
    assert srv.hits[f"/status/{code}"] == 1


def test_500_then_200_is_retried(srv: HostileServer) -> None:
    pol = replace(POLICY, retries=2)
    res = fetch(srv.url("/flaky/a?fail=1&code=500"), pol)
    assert res.status == 200 and res.attempts == 2
    assert srv.hits["/flaky/a"] == 2


def test_500_always_gives_up_after_retries(srv: HostileServer) -> None:
    pol = replace(POLICY, retries=2)
    got = expect(ServerError, srv.url("/status/500"), pol, within=3)
    assert got.status == 500 and got.retry_after is None  # type: ignore[attr-defined]
    assert srv.hits["/status/500"] == 3


def test_transient_network_errors_are_retried(srv: HostileServer) -> None:
    pol = replace(POLICY, retries=1)
    expect(NetworkError, srv.url("/lying-length"), pol, within=3)
    assert srv.hits["/lying-length"] == 2
    expect(NetworkError, srv.url("/close"), pol, within=3)


def test_429_short_retry_after_is_slept_and_retried(srv: HostileServer) -> None:
    pol = replace(POLICY, retries=1)
    res, took = timed(lambda: fetch(srv.url("/flaky/b?fail=1&code=429&retry_after=1"), pol))
    assert isinstance(res, FetchResult) and res.status == 200 and res.attempts == 2
    assert 0.9 < took < 3


def test_429_long_retry_after_gives_up_now_with_retry_after(srv: HostileServer) -> None:
    pol = replace(POLICY, retries=2)

    async def scenario() -> tuple[RateLimited, RateLimited]:
        async with Fetcher(pol) as f:
            with pytest.raises(RateLimited) as first:
                await f.fetch(srv.url("/status/429?retry_after=3600", host="127.0.0.3"))
            # the host is cooling down: no request is made for other URLs on it
            with pytest.raises(RateLimited) as second:
                await f.fetch(srv.url("/feed", host="127.0.0.3"))
            assert f.stats["outcomes"]["rate_limited"] == 2 and f.stats["requests"] == 1
            return first.value, second.value

    got, took = timed(lambda: run(scenario()))
    assert took < 2
    assert isinstance(got, tuple)
    first, second = got
    assert first.retry_after == 3600 and first.kind == "rate_limited"
    assert second.retry_after is not None and 3590 < second.retry_after <= 3600
    assert srv.hits["/status/429"] == 1 and srv.hits["/feed"] == 0


def test_retry_after_http_date_and_cap(srv: HostileServer) -> None:
    when = format_datetime(clock.utcnow() + timedelta(hours=2), usegmt=True)
    got = expect(ServerError, srv.url(f"/status/503?retry_after={when}"), within=2)
    assert 7100 < got.retry_after <= 7200  # type: ignore[attr-defined]
    got = expect(
        RateLimited, srv.url("/status/429?retry_after=999999999", host="127.0.0.4"), within=2
    )
    assert got.retry_after == 86400  # type: ignore[attr-defined]


def test_parse_retry_after() -> None:
    now = datetime(2026, 11, 24, 10, 0, tzinfo=UTC).timestamp()
    assert parse_retry_after("120", cap=86400) == 120
    assert parse_retry_after(" 0 ", cap=86400) == 0
    assert parse_retry_after("-5", cap=86400) == 0
    assert parse_retry_after("1e12", cap=86400) == 86400
    assert parse_retry_after("Tue, 24 Nov 2026 10:01:00 GMT", cap=86400, now=now) == 60
    assert parse_retry_after("Tue, 24 Nov 2026 09:00:00 GMT", cap=86400, now=now) == 0
    for junk in (None, "", "soon", "nan", "Tue, 99 Foo"):
        assert parse_retry_after(junk, cap=86400) is None


def test_backoff_sleep_does_not_hold_the_host_semaphore(
    srv: HostileServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("extractors.http.random.uniform", lambda a, b: b)  # always max wait
    pol = replace(POLICY, retries=1, per_host_concurrency=1, backoff_base=1.0, backoff_max=1.0)

    async def scenario() -> tuple[float, float]:
        async with Fetcher(pol) as f:
            t = time.monotonic()

            async def timed_fetch(url: str) -> float:
                await f.fetch(url)
                return time.monotonic() - t

            flaky = asyncio.create_task(timed_fetch(srv.url("/flaky/c?fail=1&code=500")))
            await asyncio.sleep(0.2)  # the flaky fetch is now sleeping 1 s before its retry
            other = await timed_fetch(srv.url("/feed"))
            return await flaky, other

    flaky_done, other_done = run(scenario())
    assert other_done < 0.6, "the other fetch waited for the backoff sleep"
    assert 1.0 < flaky_done < 3


# ------------------------------------------------------------------ politeness


def test_one_host_at_most_2_concurrent_and_spaced_starts(srv: HostileServer) -> None:
    pol = replace(POLICY, per_host_concurrency=2, per_host_delay=0.2)

    async def scenario() -> dict[str, Any]:
        async with Fetcher(pol) as f:
            urls = [srv.url(f"/slow?delay=0.3&n={i}", host="127.0.0.2") for i in range(10)]
            results = await asyncio.gather(*(f.fetch(u) for u in urls))
            assert all(r.status == 200 for r in results)
            return f.stats

    stats, took = timed(lambda: run(scenario()))
    assert isinstance(stats, dict)
    assert srv.max_in_flight("127.0.0.2") == 2
    assert stats["max_concurrent_per_host"] == 2
    starts = srv.starts("127.0.0.2", "/slow")
    assert len(starts) == 10
    gaps = [b - a for a, b in zip(starts, starts[1:], strict=False)]
    # the client spaces its starts exactly; the server sees them through connection set-up
    # and thread scheduling, so allow some jitter per gap but none on the whole span
    assert min(gaps) >= 0.2 - 0.07, gaps
    assert starts[-1] - starts[0] >= 9 * 0.2 - 0.03, gaps
    assert took < 10 * 0.3 + 2


def test_a_request_sent_late_after_its_slot_delays_the_next_one(srv: HostileServer) -> None:
    """Spacing holds at the server when a request goes out late after its slot (connection
    set-up or a busy event loop): the next request to that host waits until the late one has
    sent its headers, then ``per_host_delay`` more. Here the first request is held 0.7 s inside
    the transport, before its headers go out; with only slot-to-slot spacing the second one
    would reach the server 0.2 s before it."""
    from extractors.http import PerHostTransport
    from extractors.http_safety import AddressGuard

    class LateFirst(httpx.AsyncBaseTransport):
        def __init__(self) -> None:
            self.inner = PerHostTransport(
                AddressGuard(allow_private=True), connections_per_host=2, max_hosts=8
            )
            self.held = False

        async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
            if not self.held:
                self.held = True
                await asyncio.sleep(0.7)
            return await self.inner.handle_async_request(request)

        async def aclose(self) -> None:
            await self.inner.aclose()

    pol = replace(POLICY, per_host_concurrency=2, per_host_delay=0.5)

    async def scenario() -> None:
        async with Fetcher(pol, transport=LateFirst()) as f:
            a = asyncio.create_task(f.fetch(srv.url("/feed?n=a", host="127.0.0.3")))
            await asyncio.sleep(0.01)  # a takes the first slot
            b = asyncio.create_task(f.fetch(srv.url("/feed?n=b", host="127.0.0.3")))
            await asyncio.gather(a, b)

    run(scenario())
    starts = srv.starts("127.0.0.3", "/feed")
    assert len(starts) == 2
    # the server's clock sees them through thread scheduling: a little jitter, not 0.3 s
    assert starts[1] - starts[0] >= 0.5 - 0.07, starts


def test_different_hosts_proceed_in_parallel(srv: HostileServer) -> None:
    pol = replace(POLICY, per_host_concurrency=1, per_host_delay=0.2)
    hosts = ["127.0.0.1", "127.0.0.2", "127.0.0.3", "127.0.0.4"]

    async def scenario() -> None:
        async with Fetcher(pol) as f:
            await asyncio.gather(*(f.fetch(srv.url("/slow?delay=0.5", host=h)) for h in hosts))

    _, took = timed(lambda: run(scenario()))
    assert took < 1.5, took  # one host at a time would take ≥ 2 s
    assert srv.max_total_in_flight == 4
    assert all(srv.max_in_flight(h) == 1 for h in hosts)


def test_global_concurrency_bound(srv: HostileServer) -> None:
    pol = replace(POLICY, per_host_concurrency=4, global_concurrency=2)
    hosts = ["127.0.0.1", "127.0.0.2", "127.0.0.3", "127.0.0.4"]

    async def scenario() -> None:
        async with Fetcher(pol) as f:
            await asyncio.gather(
                *(
                    f.fetch(srv.url(f"/slow?delay=0.2&i={i}", host=h))
                    for h in hosts
                    for i in range(2)
                )
            )

    run(scenario())
    assert srv.max_total_in_flight == 2


def test_many_hosts_no_tasks_or_threads_left_behind(srv: HostileServer) -> None:
    import threading

    def client_threads() -> int:  # the hostile server's own handler threads do not count
        return sum("process_request" not in t.name for t in threading.enumerate())

    threads_before = client_threads()

    async def scenario() -> tuple[int, int]:
        async with Fetcher(POLICY) as f:
            for i in range(600):  # 600 distinct hosts: per-host state must be tiny and lazy
                f._host(f"host{i}.example.test")
            await asyncio.gather(
                *(f.fetch(srv.url("/feed", host=h)) for h in ("127.0.0.1", "127.0.0.2"))
            )
            n_tasks = len(asyncio.all_tasks())
            return n_tasks, f.stats["hosts"]

    n_tasks, hosts = run(scenario())
    assert n_tasks == 1 and hosts == 602
    assert client_threads() <= threads_before  # no per-host threads (IP literals: no DNS)


# ------------------------------------------------------------------ decode_html


def test_decode_html_header_charset() -> None:
    assert decode_html("Año nuevo".encode("cp1252"), "windows-1252") == "Año nuevo"
    assert decode_html("Año".encode(), "utf-8") == "Año"


def test_decode_html_wrong_declared_charset_falls_back() -> None:
    page = (
        "<html><head><title>Balacera en Culiacán</title></head><body>"
        + "<p>Enfrentamiento armado en la región, según autoridades. Año difícil.</p>" * 20
        + "</body></html>"
    ).encode("cp1252")
    text = decode_html(page, "utf-8")  # declared utf-8, bytes are cp1252 (invalid utf-8)
    assert "Culiacán" in text and "región" in text and "\ufffd" not in text


def test_decode_html_latin1_declared_but_utf8_bytes() -> None:
    page = "<p>Tamaulipas: enfrentamiento en la región</p>".encode()
    assert "región" in decode_html(page, "iso-8859-1")


def test_decode_html_meta_charset_beyond_1024_bytes() -> None:
    head = "<html><head>" + "<!-- padding -->" * 80  # ~1.3 KB before the meta
    page = (
        head + '<meta http-equiv="Content-Type" content="text/html; charset=ISO-8859-15">'
        "</head><body>€ Año</body></html>"
    ).encode("iso-8859-15")
    assert "€ Año" in decode_html(page, None)
    page2 = ('<html><head><meta charset="windows-1252"></head><body>“Año”</body></html>').encode(
        "cp1252"
    )
    assert "“Año”" in decode_html(page2, None)


def test_decode_html_bom_and_fallbacks() -> None:
    assert decode_html("<p>Año</p>".encode("utf-16"), None) == "<p>Año</p>"
    assert decode_html(b"\xef\xbb\xbf<p>A\xc3\xb1o</p>", "cp1252") == "<p>Año</p>"
    assert decode_html(b"<p>plain</p>", None) == "<p>plain</p>"
    assert decode_html(b"<p>bogus</p>", "x-no-such-charset") == "<p>bogus</p>"
    assert isinstance(decode_html(bytes(range(256)) * 4, "utf-8"), str)
    assert decode_html(b"", None) == ""


# ------------------------------------------------------------------ pinning, stats


def test_connects_to_the_checked_address_not_a_fresh_lookup(srv: HostileServer) -> None:
    """DNS-rebinding defence: the connection goes to the address the guard checked (here a
    pre-seeded answer for a name no resolver knows), the Host header keeps the name."""

    async def scenario() -> FetchResult:
        async with Fetcher(POLICY) as f:
            f.guard._cache[("pinned.invalid", srv.port)] = (float("inf"), ["127.0.0.3"])
            return await f.fetch(f"http://pinned.invalid:{srv.port}/feed")

    res = run(scenario())
    assert res.status == 200 and res.content == FEED
    assert srv.max_in_flight("pinned.invalid") == 1  # the server saw Host: pinned.invalid


def test_stats_counters(srv: HostileServer) -> None:
    pol = replace(POLICY, retries=1)

    async def scenario() -> dict[str, Any]:
        async with Fetcher(pol) as f:
            await f.fetch(srv.url("/feed"))
            await f.fetch(srv.url("/feed"), etag='"v1"')
            await f.fetch(srv.url("/flaky/s?fail=1&code=503"))
            await f.fetch(srv.url("/chain/2"))
            with pytest.raises(HTTPClientError):
                await f.fetch(srv.url("/status/404"))
            return f.stats

    s = run(scenario())
    assert s["fetches"] == 5 and s["requests"] == 1 + 1 + 2 + 3 + 1
    assert s["retries"] == 1 and s["redirects"] == 2
    assert s["outcomes"] == {"ok": 3, "not_modified": 1, "http_404": 1}
    assert s["bytes"] == 3 * len(FEED) and s["max_concurrent_per_host"] == 1
