"""Every exception httpx (or httpcore) can raise maps to our error tree — so an upgrade that adds
an exception class cannot leak raw exceptions to the pipeline."""

from __future__ import annotations

import asyncio

import httpcore
import httpx
import pytest

from config.errors import BorderwatchError
from extractors.error_map import map_fetch_errors, status_error
from extractors.errors import (
    BlockedAddress,
    FetchError,
    FetchTimeout,
    HTTPClientError,
    NetworkError,
    RateLimited,
    ServerError,
    TooManyRedirects,
)

URL = "http://example.test/feed"


def _all_subclasses(*roots: type[BaseException]) -> list[type[BaseException]]:
    seen: list[type[BaseException]] = []
    todo = list(roots)
    while todo:
        cls = todo.pop()
        if cls in seen:
            continue
        seen.append(cls)
        todo.extend(cls.__subclasses__())
    return sorted(seen, key=lambda c: c.__qualname__)


HTTPX_CLASSES = _all_subclasses(httpx.HTTPError, httpx.StreamError, httpx.InvalidURL)
HTTPCORE_CLASSES: list[type[BaseException]] = [
    c for c in vars(httpcore).values() if isinstance(c, type) and issubclass(c, Exception)
]


def _instance(cls: type[BaseException]) -> BaseException:
    request = httpx.Request("GET", URL)
    try:
        return cls()
    except TypeError:
        pass
    try:
        return cls("boom")
    except TypeError:
        pass
    try:
        return cls("boom", request=request)  # type: ignore[call-arg]
    except TypeError:
        pass
    response = httpx.Response(503, request=request)
    return cls("boom", request=request, response=response)  # type: ignore[call-arg]


def _mapped(exc: BaseException) -> BaseException:
    with pytest.raises(BaseException) as info, map_fetch_errors(URL):
        raise exc
    return info.value


def test_walk_finds_the_known_classes() -> None:
    names = {c.__name__ for c in HTTPX_CLASSES}
    assert {
        "ConnectTimeout",
        "ReadTimeout",
        "PoolTimeout",
        "ConnectError",
        "ReadError",
        "RemoteProtocolError",
        "UnsupportedProtocol",
        "DecodingError",
        "TooManyRedirects",
        "HTTPStatusError",
        "InvalidURL",
        "StreamConsumed",
        "ResponseNotRead",
    } <= names
    assert len(HTTPX_CLASSES) >= 25


@pytest.mark.parametrize("cls", HTTPX_CLASSES + HTTPCORE_CLASSES, ids=lambda c: c.__qualname__)
def test_every_httpx_exception_maps_to_our_tree(cls: type[BaseException]) -> None:
    got = _mapped(_instance(cls))
    assert isinstance(got, BorderwatchError), f"{cls} leaked as {type(got)}"
    assert isinstance(got, FetchError)
    assert got.url == URL
    assert got.kind and isinstance(got.kind, str)
    assert isinstance(got.__cause__, cls)


@pytest.mark.parametrize(
    ("exc", "expected"),
    [
        (httpx.ConnectTimeout("t"), FetchTimeout),
        (httpx.ReadTimeout("t"), FetchTimeout),
        (httpx.WriteTimeout("t"), FetchTimeout),
        (httpx.PoolTimeout("t"), FetchTimeout),
        (TimeoutError(), FetchTimeout),  # asyncio.timeout's total deadline
        (httpx.ConnectError("refused"), NetworkError),
        (httpx.ReadError("reset"), NetworkError),
        (httpx.RemoteProtocolError("incomplete"), NetworkError),
        (httpx.ProxyError("p"), NetworkError),
        (ConnectionResetError(), NetworkError),
        (OSError("x"), NetworkError),
        (httpx.UnsupportedProtocol("ftp"), BlockedAddress),
        (httpx.InvalidURL("bad"), BlockedAddress),
        (httpx.TooManyRedirects("r"), TooManyRedirects),
    ],
    ids=lambda v: type(v).__name__ if isinstance(v, BaseException) else v.__name__,
)
def test_specific_mappings(exc: BaseException, expected: type[BaseException]) -> None:
    assert type(_mapped(exc)) is expected


@pytest.mark.parametrize(
    ("status", "expected", "kind"),
    [
        (404, HTTPClientError, "http_404"),
        (410, HTTPClientError, "http_410"),
        (403, HTTPClientError, "http_403"),
        (429, RateLimited, "rate_limited"),
        (500, ServerError, "server_error"),
        (503, ServerError, "server_error"),
    ],
)
def test_status_errors(status: int, expected: type[FetchError], kind: str) -> None:
    request = httpx.Request("GET", URL)
    exc = httpx.HTTPStatusError("x", request=request, response=httpx.Response(status))
    got = _mapped(exc)
    assert type(got) is expected and getattr(got, "kind", None) == kind
    assert getattr(got, "status", None) == status
    direct = status_error(status, URL, retry_after=7.0)
    assert type(direct) is expected
    if expected is not HTTPClientError:
        assert direct.retry_after == 7.0  # type: ignore[attr-defined]


def test_own_errors_pass_through_unchanged() -> None:
    own = RateLimited("slow down", url=URL, retry_after=5)
    assert _mapped(own) is own


def test_bugs_and_cancellation_are_not_disguised() -> None:
    assert type(_mapped(KeyError("bug"))) is KeyError
    assert type(_mapped(TypeError("bug"))) is TypeError
    assert type(_mapped(asyncio.CancelledError())) is asyncio.CancelledError
