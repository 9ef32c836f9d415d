"""Canonical URLs: one spelling per article, so tracking and AMP variants dedup to one row.

Rules, applied in order (documented in the README):
1. scheme and host lower-cased; ``http``/``https`` only; default ports (80/443) dropped;
   IDN hosts kept as given (lower-cased); a trailing dot on the host removed.
2. mobile/AMP hosts folded: a leading ``m.``, ``mobile.`` or ``amp.`` label is removed.
3. the fragment is dropped.
4. tracking parameters are dropped: ``utm_*``, ``fbclid``, ``gclid``, ``dclid``, ``msclkid``,
   ``mc_cid``, ``mc_eid``, ``_ga``, ``igshid``, ``ocid``, ``cmpid``, ``ito``, ``smid``,
   ``ref_src``, ``outputType=amp``, ``amp``; the rest are sorted (stable for equal keys).
5. AMP paths folded: a final ``/amp`` or ``/amp/`` segment and a ``.amp`` suffix before
   ``.html`` are removed.
6. a trailing slash is removed (except for the root path ``/``); empty path becomes ``/``;
   duplicate slashes collapsed.
A page's own ``rel=canonical`` / ``og:url`` wins over all this when it is on the same site;
so does an HTTP ``Link: <url>; rel="canonical"`` header (``link_header_canonical``).
"""

from __future__ import annotations

import functools
import ipaddress
import re
from typing import Any
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit, urlunsplit

_TRACKING_EXACT = {
    "fbclid",
    "gclid",
    "dclid",
    "msclkid",
    "mc_cid",
    "mc_eid",
    "_ga",
    "igshid",
    "ocid",
    "cmpid",
    "ito",
    "smid",
    "ref_src",
    "amp",
    "__twitter_impression",
    "yclid",
    "_hsenc",
    "_hsmi",
}
_MOBILE_PREFIXES = ("m.", "mobile.", "amp.")
_MULTI_SLASH = re.compile(r"/{2,}")
# one link-value of an HTTP Link header (RFC 8288): <target> followed by its ;-parameters
_LINK_VALUE = re.compile(r"<([^>]*)>((?:\s*;\s*[^;,\s=]+(?:\s*=\s*(?:\"[^\"]*\"|[^;,]*))?)*)")
_LINK_PARAM = re.compile(r";\s*([^;,\s=]+)(?:\s*=\s*(?:\"([^\"]*)\"|([^;,]*)))?")


def _is_tracking(key: str, value: str) -> bool:
    k = key.lower()
    if k.startswith("utm_") or k in _TRACKING_EXACT:
        return True
    return k == "outputtype" and value.lower() == "amp"


def canonical_url(url: str) -> str:
    """Normalize a URL (see the module docstring). Idempotent: f(f(x)) == f(x)."""
    parts = urlsplit(url.strip())
    scheme = parts.scheme.lower()
    host = (parts.hostname or "").lower().rstrip(".")
    for prefix in _MOBILE_PREFIXES:
        if host.startswith(prefix) and host.count(".") >= 2:
            host = host[len(prefix) :]
            break
    port = parts.port if parts.port is not None else None
    if port is not None and not (
        (scheme == "http" and port == 80) or (scheme == "https" and port == 443)
    ):
        netloc = f"{host}:{port}"
    else:
        netloc = host
    if ":" in host and not host.startswith("["):  # IPv6 literal
        netloc = f"[{host}]" + (f":{port}" if netloc.endswith(f":{port}") and port else "")
    path = _MULTI_SLASH.sub("/", parts.path or "/")
    if path.endswith(".amp.html"):
        path = path[: -len(".amp.html")] + ".html"
    for suffix in ("/amp/", "/amp"):
        if path.endswith(suffix) and len(path) > len(suffix):
            path = path[: -len(suffix)] or "/"
            break
    if len(path) > 1 and path.endswith("/"):
        path = path.rstrip("/") or "/"
    query = [
        (k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if not _is_tracking(k, v)
    ]
    query.sort(key=lambda kv: kv[0])
    return urlunsplit((scheme, netloc, path, urlencode(query, doseq=True), ""))


def link_header_canonical(value: str | None, base: str) -> str | None:
    """The target of the first ``rel="canonical"`` link in an HTTP ``Link`` header value
    (several link-values separated by commas; ``rel`` may list several relation types), made
    absolute against ``base`` (the URL the response came from). None when there is none or it
    is not http(s). Whether it is on the same site is the caller's check (``same_site``)."""
    if not value:
        return None
    for m in _LINK_VALUE.finditer(value):
        target, params = m.group(1).strip(), m.group(2)
        for p in _LINK_PARAM.finditer(params):
            if p.group(1).lower() != "rel":
                continue
            rels = (p.group(2) if p.group(2) is not None else p.group(3) or "").lower().split()
            if "canonical" in rels and target:
                url = urljoin(base, target)
                return url if urlsplit(url).scheme in ("http", "https") else None
    return None


@functools.cache
def _public_suffix_list() -> Any:
    # the list ships inside the package (publicsuffixlist); it is never fetched at run time
    from publicsuffixlist import PublicSuffixList

    return PublicSuffixList()


@functools.lru_cache(maxsize=4096)
def registrable_domain(host: str) -> str:
    """The registrable domain of a host by the Public Suffix List (ICANN and private sections):
    ``www.milenio.com.mx`` → ``milenio.com.mx``, ``news.bbc.co.uk`` → ``bbc.co.uk``,
    ``foo.blogspot.com`` → ``foo.blogspot.com``. An IP address, a bare public suffix or a
    single-label host (``localhost``) is its own site."""
    host = host.lower().rstrip(".")
    try:
        ipaddress.ip_address(host.strip("[]"))
        return host
    except ValueError:
        pass
    got = _public_suffix_list().privatesuffix(host)
    return str(got) if got else host


def same_site(a: str, b: str) -> bool:
    """True when two URLs belong to one site: the same registrable domain by the Public Suffix
    List, so ``milenio.com.mx`` and ``eluniversal.com.mx`` are two sites, and two blogs on
    ``blogspot.com`` are two sites too."""
    ha = urlsplit(a).hostname or ""
    hb = urlsplit(b).hostname or ""
    if not ha or not hb:
        return False
    return registrable_domain(ha) == registrable_domain(hb)


def site_of(url: str) -> str:
    """The outlet key of a URL: host (and port) lower-cased, without ``www.``/mobile prefixes."""
    netloc = urlsplit(canonical_url(url)).netloc
    return netloc.removeprefix("www.")
