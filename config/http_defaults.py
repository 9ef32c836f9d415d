"""The HTTP and politeness defaults, written once.

``config.settings.Settings`` (the BORDERWATCH_* environment) and ``extractors.http.FetchPolicy``
(what the Fetcher obeys) both take their defaults from here, and
``FetchPolicy.from_settings(settings)`` copies the settings into a policy. Likewise the stub
re-fetch schedule (``Settings.stub_retry_*`` and flows' ``StubRetryPolicy``).
"""

from __future__ import annotations

PRODUCT = "borderwatch/0.1"  # a bare FetchPolicy()'s User-Agent
CONTACT_URL = "https://github.com/borderwatch/borderwatch"
USER_AGENT = f"{PRODUCT} (+{CONTACT_URL}; news monitoring)"  # what the app sends

CONNECT_TIMEOUT = 10.0  # seconds
READ_TIMEOUT = 20.0  # seconds
TOTAL_TIMEOUT = 60.0  # seconds: one HTTP exchange incl. body streaming (not slot waits)
MAX_FEED_BYTES = 10 * 2**20
MAX_ARTICLE_BYTES = 5 * 2**20
MAX_OTHER_BYTES = 10 * 2**20  # kind="other" (robots.txt, sitemaps …)
MAX_REDIRECTS = 5
PER_HOST_CONCURRENCY = 2
PER_HOST_DELAY = 1.0  # min seconds between request STARTS to one host
GLOBAL_CONCURRENCY = 64
RETRIES = 2

# stubs (a row stored from the feed because its page fetch failed transiently) are fetched again
# after STUB_RETRY_FIRST_SECONDS, doubling, at most STUB_RETRY_MAX_SECONDS apart, at most
# STUB_RETRY_TRIES times (issue 19)
STUB_RETRY_FIRST_SECONDS = 300
STUB_RETRY_MAX_SECONDS = 86400
STUB_RETRY_TRIES = 6
