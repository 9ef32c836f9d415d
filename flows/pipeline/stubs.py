"""The retry schedule of stubs, as pure functions (no Prefect, no SQL).

A stub is an article stored from its feed's text because its page could not be fetched. When
the failure is transient (``extractors.errors.is_transient``: timeout, connection error, HTTP
429 or 5xx) the page is fetched again later: the first re-fetch 5 minutes after the failure,
then each wait doubles (5, 10, 20, 40, 80, 160 min …), never more than a day, and after the
last allowed try (6) the stub is final; a server's Retry-After pushes a try later (never past a
day). A permanent failure (404, 410, a redirect loop …) is
final at once. The numbers are settings (``stub_retry_*``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from config import http_defaults
from config.settings import Settings


@dataclass(frozen=True)
class StubRetryPolicy:
    first_seconds: int = http_defaults.STUB_RETRY_FIRST_SECONDS
    max_seconds: int = http_defaults.STUB_RETRY_MAX_SECONDS
    tries: int = http_defaults.STUB_RETRY_TRIES

    @classmethod
    def from_settings(cls, settings: Settings) -> StubRetryPolicy:
        return cls(
            settings.stub_retry_first_seconds,
            settings.stub_retry_max_seconds,
            settings.stub_retry_tries,
        )

    def delay(self, attempt: int) -> int:
        """Seconds to wait before re-fetch number ``attempt`` (1-based)."""
        return int(min(self.max_seconds, self.first_seconds * 2 ** min(attempt - 1, 40)))

    def next_retry(
        self, now: datetime, *, tries: int, transient: bool, retry_after: float | None = None
    ) -> datetime | None:
        """When to re-fetch a stub whose page fetch just failed, ``tries`` re-fetches having
        been made so far (0 after the first failure); None when it is final. A server's
        Retry-After (429/503) pushes it later, never past ``max_seconds``."""
        if not transient or tries >= self.tries:
            return None
        wait = float(self.delay(tries + 1))
        if retry_after:
            wait = max(wait, min(float(retry_after), float(self.max_seconds)))
        return now + timedelta(seconds=wait)


__all__ = ["StubRetryPolicy"]
