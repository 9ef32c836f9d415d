"""Typed errors of borderwatch. Every failure that reaches a feed's record is one of these.

Hierarchy::

    BorderwatchError                 (config/errors.py)
     ├── ConfigError                 bad settings value, feeds file or watchlist entry (exit 2;
     │                               config/errors.py)
     ├── FetchError                  anything that went wrong getting bytes over HTTP (carries .url)
     │    ├── TransientFetchError    worth retrying later in the same run or the next one
     │    │    ├── FetchTimeout          connect/read timeout or the total deadline
     │    │    ├── NetworkError          connection refused/reset, DNS failure, protocol error
     │    │    ├── RateLimited           HTTP 429 (carries .retry_after seconds, capped)
     │    │    └── ServerError           HTTP 5xx (carries .status, .retry_after)
     │    └── PermanentFetchError    retrying now will not help; counted on the feed
     │         ├── HTTPClientError       HTTP 4xx other than 429 (carries .status)
     │         ├── TooLarge              body over the size cap (checked while streaming)
     │         ├── TooManyRedirects      more than the redirect limit, or a redirect loop
     │         ├── BlockedAddress        not http(s), or resolves to a private address
     │         ├── BadContentType        e.g. an HTML page served as a feed
     │         └── EmptyBody             200 with no bytes
     └── ParseError                  bytes arrived but could not be used
          ├── FeedParseError         not a feed, or a feed with no usable entries
          └── ExtractionEmpty        trafilatura found no article text in the page

``kind`` is a stable short key (``timeout``, ``http_404``, ``too_large`` …) stored with each fetch.
Every fetch error has ``status`` (the HTTP status, None when no response said one) and
``retry_after`` (seconds the server asked us to wait, None when it did not).
"""

from __future__ import annotations

# the root of the tree is config.errors.BorderwatchError
from config.errors import BorderwatchError


class FetchError(BorderwatchError):
    kind = "fetch"
    transient = False
    status: int | None = None  # the HTTP status when a response gave one (4xx, 429, 5xx)
    retry_after: float | None = None  # seconds, from Retry-After (429 and 5xx only)


class TransientFetchError(FetchError):
    kind = "transient"
    transient = True


class FetchTimeout(TransientFetchError):
    kind = "timeout"


class NetworkError(TransientFetchError):
    kind = "network"


class RateLimited(TransientFetchError):
    kind = "rate_limited"
    status: int

    def __init__(self, message: str, *, url: str | None = None, retry_after: float | None = None):
        super().__init__(message, url=url)
        self.retry_after = retry_after
        self.status = 429


class ServerError(TransientFetchError):
    kind = "server_error"
    status: int

    def __init__(
        self,
        message: str,
        *,
        url: str | None = None,
        status: int = 500,
        retry_after: float | None = None,
    ) -> None:
        super().__init__(message, url=url)
        self.status = status
        self.retry_after = retry_after


class PermanentFetchError(FetchError):
    kind = "permanent"


class HTTPClientError(PermanentFetchError):
    status: int

    def __init__(self, message: str, *, url: str | None = None, status: int = 400) -> None:
        super().__init__(message, url=url)
        self.status = status
        self.kind = f"http_{status}"


class TooLarge(PermanentFetchError):
    kind = "too_large"


class TooManyRedirects(PermanentFetchError):
    kind = "redirects"


class BlockedAddress(PermanentFetchError):
    kind = "blocked"


class BadContentType(PermanentFetchError):
    kind = "content_type"


class EmptyBody(PermanentFetchError):
    kind = "empty"


class ParseError(BorderwatchError):
    kind = "parse"


class FeedParseError(ParseError):
    kind = "not_a_feed"


class ExtractionEmpty(ParseError):
    kind = "no_text"


def is_transient(exc: BaseException) -> bool:
    """The one transient/permanent mapping: True when trying the same URL again later may
    succeed (timeout, connection error, HTTP 429 or 5xx); False for permanent failures (404,
    410 and other 4xx, a redirect loop, too large, blocked) and for anything that is not a
    fetch error."""
    return isinstance(exc, FetchError) and exc.transient


def error_kind(exc: BaseException) -> str:
    """The stable short key for any exception (unexpected ones become ``internal``)."""
    if isinstance(exc, BorderwatchError):
        return exc.kind
    return "internal"
