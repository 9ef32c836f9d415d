"""The ONE place that maps exceptions into borderwatch's error tree (extractors/errors.py).

* :func:`status_error`: the error for a non-success HTTP status (429, 5xx, other 4xx).
* :func:`translate`: our error for an httpx/httpcore/OS/timeout exception (None for a bug).
* :func:`map_fetch_errors`: a context manager that re-raises such exceptions as ours.
"""

from __future__ import annotations

import ssl
from collections.abc import Iterator
from contextlib import contextmanager

import httpcore
import httpx

from config.errors import BorderwatchError
from extractors.errors import (
    BadContentType,
    BlockedAddress,
    FetchError,
    FetchTimeout,
    HTTPClientError,
    NetworkError,
    RateLimited,
    ServerError,
    TooManyRedirects,
)

_NETWORK_LIBS = frozenset({"httpx", "httpcore", "h11", "h2", "anyio", "ssl", "socket"})


def status_error(status: int, url: str, retry_after: float | None = None) -> FetchError:
    """The error for a non-success HTTP status."""
    if status == 429:
        return RateLimited(
            f"HTTP 429 Too Many Requests{_ra(retry_after)}", url=url, retry_after=retry_after
        )
    if 500 <= status <= 599:
        return ServerError(
            f"HTTP {status}{_ra(retry_after)}", url=url, status=status, retry_after=retry_after
        )
    return HTTPClientError(f"HTTP {status}", url=url, status=status)


def _ra(retry_after: float | None) -> str:
    return "" if retry_after is None else f" (Retry-After {retry_after:g}s)"


def translate(exc: BaseException, url: str | None) -> BorderwatchError | None:
    """Our error for an exception raised while fetching (the mapping table); None for
    exceptions that are not about the network at all (bugs: TypeError, KeyError …)."""
    if isinstance(exc, BorderwatchError):
        return exc
    msg = f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__
    if isinstance(exc, httpx.HTTPStatusError):
        return status_error(exc.response.status_code, url or str(exc.request.url))
    if isinstance(exc, httpx.TimeoutException | TimeoutError | httpcore.TimeoutException):
        return FetchTimeout(msg, url=url)
    if isinstance(exc, httpx.TooManyRedirects):
        return TooManyRedirects(msg, url=url)
    if isinstance(exc, httpx.UnsupportedProtocol | httpx.InvalidURL | httpcore.UnsupportedProtocol):
        return BlockedAddress(f"not a fetchable http(s) URL: {msg}", url=url)
    if isinstance(exc, httpx.DecodingError):
        return BadContentType(f"body could not be decoded: {msg}", url=url)
    # connection/protocol/proxy errors, stream misuse, TLS, sockets: all "network"
    if isinstance(
        exc,
        httpx.HTTPError
        | httpx.StreamError
        | httpcore.ConnectionNotAvailable
        | httpcore.NetworkError
        | httpcore.ProtocolError
        | ssl.SSLError
        | OSError
        | EOFError,
    ):
        return NetworkError(msg, url=url)
    if type(exc).__module__.split(".")[0] in _NETWORK_LIBS:  # e.g. httpcore.ProxyError
        return NetworkError(msg, url=url)
    return None


@contextmanager
def map_fetch_errors(url: str | None) -> Iterator[None]:
    """Re-raise anything but our own errors (and cancellation) as a BorderwatchError."""
    try:
        yield
    except BorderwatchError:
        raise
    except Exception as exc:
        mapped = translate(exc, url)
        if mapped is None:
            raise
        raise mapped from exc
