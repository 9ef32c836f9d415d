"""Body limits for the HTTP layer: bounded streaming decompression, size and bomb caps,
content-type checks with sniffing, Retry-After parsing, and ``decode_html``.

Nothing here does network I/O except :func:`read_body`, which consumes an httpx response's RAW
stream (``aiter_raw``) and decodes it itself so that no single chunk can expand unboundedly:
zlib is asked for at most ``PIECE`` bytes at a time (``max_length``), brotli for at most
``PIECE`` bytes (``output_buffer_limit``). The decoded buffer never exceeds cap + one piece.
"""

from __future__ import annotations

import codecs
import re
import zlib
from collections.abc import Iterator
from email.utils import parsedate_to_datetime
from typing import Any

import brotli  # type: ignore[import-untyped]
import httpx

from config import clock
from extractors.errors import BadContentType, EmptyBody, TooLarge

PIECE = 64 * 1024  # max decoded bytes produced per decoder step
RATIO_MIN_DECODED = 1 << 20  # the decoded/raw ratio is only judged past 1 MB decoded


# ------------------------------------------------------------------ decoders


class _Decoder:
    def feed(self, data: bytes) -> Iterator[bytes]:
        raise NotImplementedError

    def finish(self) -> Iterator[bytes]:
        return iter(())


class _Identity(_Decoder):
    def feed(self, data: bytes) -> Iterator[bytes]:
        for i in range(0, len(data), PIECE):
            yield data[i : i + PIECE]


class _Zlib(_Decoder):
    """gzip (also concatenated members) or deflate (zlib-wrapped, or raw as some servers send)."""

    def __init__(self, gzip: bool) -> None:
        self.gzip = gzip
        self._d = zlib.decompressobj(47 if gzip else 15)  # 47 = auto gzip/zlib header
        self._started = False
        self._done = False

    def feed(self, data: bytes) -> Iterator[bytes]:
        buf = data
        while buf and not self._done:
            try:
                out = self._d.decompress(buf, PIECE)
            except zlib.error as exc:
                if not self._started and not self.gzip:
                    self._d = zlib.decompressobj(-15)  # raw deflate
                    self._started = True
                    continue
                raise BadContentType(
                    f"corrupt {'gzip' if self.gzip else 'deflate'} body: {exc}"
                ) from exc
            self._started = True
            buf = self._d.unconsumed_tail
            if out:
                yield out
            while len(out) == PIECE and not buf and not self._d.eof:
                out = self._d.decompress(b"", PIECE)  # drain output still pending
                if out:
                    yield out
            if self._d.eof:
                rest = self._d.unused_data
                if self.gzip and rest[:2] == b"\x1f\x8b":  # another gzip member
                    self._d = zlib.decompressobj(47)
                    buf = rest
                else:
                    self._done = True  # trailing garbage after the stream is ignored

    def finish(self) -> Iterator[bytes]:
        if not self._done:
            tail = self._d.flush()
            for i in range(0, len(tail), PIECE):
                yield tail[i : i + PIECE]


class _Brotli(_Decoder):
    def __init__(self) -> None:
        self._d = brotli.Decompressor()

    def feed(self, data: bytes) -> Iterator[bytes]:
        try:
            out = self._d.process(data, output_buffer_limit=PIECE)
            if out:
                yield out
            while not self._d.can_accept_more_data():
                out = self._d.process(b"", output_buffer_limit=PIECE)
                if not out:
                    break
                yield out
        except brotli.error as exc:
            raise BadContentType(f"corrupt brotli body: {exc}") from exc


_UNSUPPORTED = {"zstd", "compress", "x-compress", "exi", "pack200-gzip", "aes128gcm"}


def make_decoders(content_encoding: str | None) -> list[_Decoder]:
    """Decoders in the order they must be applied (reverse of the header order).

    Unknown tokens that are not compression schemes (``UTF-8``, ``none`` … sent by broken
    servers) are treated as identity; known schemes we cannot decode → BadContentType.
    """
    out: list[_Decoder] = []
    for token in reversed([t.strip().lower() for t in (content_encoding or "").split(",")]):
        if token in ("gzip", "x-gzip"):
            out.append(_Zlib(gzip=True))
        elif token == "deflate":
            out.append(_Zlib(gzip=False))
        elif token == "br":
            out.append(_Brotli())
        elif token in _UNSUPPORTED:
            raise BadContentType(f"unsupported Content-Encoding {token!r}")
    return out or [_Identity()]


def _run(decoders: list[_Decoder], i: int, data: bytes, final: bool) -> Iterator[bytes]:
    if i == len(decoders):
        if data:
            yield data
        return
    d = decoders[i]
    for piece in d.feed(data):
        yield from _run(decoders, i + 1, piece, False)
    if final:
        for piece in d.finish():
            yield from _run(decoders, i + 1, piece, False)
        yield from _run(decoders, i + 1, b"", True)


# ------------------------------------------------------------------ reading


async def read_body(
    response: httpx.Response, *, cap: int, max_ratio: float, url: str
) -> tuple[bytes, int]:
    """(decoded body, raw bytes read). Raises TooLarge as soon as a limit is passed."""
    declared = response.headers.get("content-length")
    if declared and declared.strip().isdigit() and int(declared) > cap:
        raise TooLarge(f"Content-Length {int(declared)} over the cap of {cap} bytes", url=url)
    decoders = make_decoders(response.headers.get("content-encoding"))
    buf = bytearray()
    raw = 0

    def take(pieces: Iterator[bytes]) -> None:
        for piece in pieces:
            if len(buf) + len(piece) > cap:
                raise TooLarge(f"body over the cap of {cap} bytes", url=url)
            buf.extend(piece)
            if len(buf) > RATIO_MIN_DECODED and len(buf) > max_ratio * max(raw, 1):
                raise TooLarge(
                    f"decompression bomb: {len(buf)} bytes from {raw} (ratio over {max_ratio:g})",
                    url=url,
                )

    async for chunk in response.aiter_raw():
        raw += len(chunk)
        if raw > cap:
            raise TooLarge(f"raw body over the cap of {cap} bytes", url=url)
        take(_run(decoders, 0, chunk, False))
    take(_run(decoders, 0, b"", True))
    return bytes(buf), raw


# ------------------------------------------------------------------ content types

FEED_TYPES_EXACT = {"application/json", "application/feed+json", "application/x-rss+xml"}
TEXTLIKE = {
    "",
    "text/plain",
    "application/octet-stream",
    "binary/octet-stream",
    "application/x-download",
    "application/force-download",
    "text/html",
}
MEDIA_PREFIXES = ("image/", "video/", "audio/", "font/", "model/")
MEDIA_TYPES = {
    "application/pdf",
    "application/zip",
    "application/gzip",
    "application/x-gzip",
    "application/msword",
    "application/vnd.ms-excel",
    "application/x-tar",
    "application/x-shockwave-flash",
    "application/javascript",
    "text/javascript",
    "text/css",
    "application/wasm",
    "application/x-7z-compressed",
}
_BOMS = (
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)


def is_media(ctype: str) -> bool:
    return ctype.startswith(MEDIA_PREFIXES) or ctype in MEDIA_TYPES


def _head_text(body: bytes, n: int = 1024) -> str:
    """The first ``n`` bytes as lower-case text, BOM removed, leading whitespace stripped."""
    enc = "latin-1"
    for bom, name in _BOMS:
        if body.startswith(bom):
            body, enc = body[len(bom) :], name
            break
    return (
        body[: n * (4 if enc.startswith("utf-32") else 2 if enc.startswith("utf-16") else 1)]
        .decode(enc, "replace")
        .lstrip(" \t\r\n\f\x00")
        .lower()
    )


def _first_element(head: str) -> str:
    """Skip the XML declaration, processing instructions and comments."""
    while True:
        head = head.lstrip()
        if head.startswith("<?"):
            end = head.find("?>")
        elif head.startswith("<!--"):
            end = head.find("-->")
        else:
            return head
        if end < 0:
            return ""
        head = head[end + 2 + (1 if head.startswith("<!--") else 0) :]


def looks_like_html(body: bytes) -> bool:
    first = _first_element(_head_text(body))
    return first.startswith(("<!doctype html", "<html", "<head", "<body"))


def looks_like_feed(body: bytes) -> bool:
    """XML that is not an HTML page (or a JSON object, for JSON Feed)."""
    head = _head_text(body)
    if head.startswith("{"):
        return True
    if not head.startswith(("<?xml", "<rss", "<feed", "<rdf", "<!--")):
        return False
    return not looks_like_html(body)


def check_type_before_body(kind: str, ctype: str, url: str) -> None:
    """Refuse media (images, video, pdf …) without downloading them."""
    if kind in ("feed", "article") and is_media(ctype):
        raise BadContentType(f"{ctype} is not a {kind}", url=url)


def check_body(kind: str, ctype: str, body: bytes, url: str) -> None:
    """EmptyBody / BadContentType for a 2xx body of the given kind."""
    if not body:
        raise EmptyBody("200 with an empty body", url=url)
    if kind == "feed":
        xmlish = ctype.endswith(("/xml", "+xml")) or ctype in FEED_TYPES_EXACT
        if xmlish and ctype != "application/xhtml+xml":
            if looks_like_html(body):
                raise BadContentType(f"an HTML page served as {ctype}", url=url)
            return  # declared as a feed: whether it parses is feedparser's business
        if looks_like_feed(body):
            return
        what = "an HTML page" if looks_like_html(body) else "not a feed"
        raise BadContentType(
            f"{what} ({ctype or 'no content type'}) where a feed was expected", url=url
        )
    if kind == "article":
        if ctype in ("text/html", "application/xhtml+xml") or looks_like_html(body):
            return
        raise BadContentType(f"{ctype or 'no content type'} is not an HTML page", url=url)


def accept_header(kind: str) -> str:
    if kind == "feed":
        return (
            "application/rss+xml, application/atom+xml, application/rdf+xml;q=0.9, "
            "application/xml;q=0.9, text/xml;q=0.9, application/feed+json;q=0.8, "
            "*/*;q=0.5"
        )
    if kind == "article":
        return "text/html, application/xhtml+xml;q=0.9, */*;q=0.5"
    return "*/*"


# ------------------------------------------------------------------ Retry-After


def parse_retry_after(value: str | None, *, cap: float, now: float | None = None) -> float | None:
    """Seconds to wait from a Retry-After header (delta-seconds or HTTP-date), capped at
    ``cap``; None when absent or unparseable. Past dates give 0."""
    if value is None:
        return None
    value = value.strip()
    if not value:
        return None
    try:
        seconds = float(value)
    except ValueError:
        try:
            when = parsedate_to_datetime(value)
        except (TypeError, ValueError, IndexError):
            return None
        if when is None:
            return None
        if when.tzinfo is None:
            return None
        seconds = when.timestamp() - (clock.timestamp() if now is None else now)
    if seconds != seconds:  # NaN
        return None
    return float(min(max(seconds, 0.0), cap))


# ------------------------------------------------------------------ decode_html

_META_RE = re.compile(rb"""<meta[^>]*?charset\s*=\s*["']?\s*([a-zA-Z0-9_.:\-]+)""", re.I)
_XML_DECL_RE = re.compile(rb"""^\s*<\?xml[^>]*?encoding\s*=\s*["']([a-zA-Z0-9_.:\-]+)""", re.I)
META_SCAN = 4096  # bytes scanned for <meta charset> (HTML5 says 1024; many pages are later)
_SINGLE_BYTE_ALIASES = {
    "iso-8859-1": "cp1252",
    "latin-1": "cp1252",
    "latin1": "cp1252",
    "ascii": "cp1252",
    "us-ascii": "cp1252",
    "iso8859-1": "cp1252",
}


def _codec(name: str | None) -> str | None:
    if not name:
        return None
    name = name.strip().strip("\"'").lower()
    name = _SINGLE_BYTE_ALIASES.get(name, name)
    try:
        return codecs.lookup(name).name
    except LookupError:
        return None


def _single_byte(codec: str) -> bool:
    return codec.startswith(("cp", "iso8859", "latin", "windows", "koi8", "mac")) and codec not in (
        "cp932",
        "cp949",
        "cp950",
        "cp936",
    )


def _try(content: bytes, codec: str | None) -> str | None:
    if codec is None:
        return None
    if _single_byte(codec) and not content.isascii():
        # a page declared Latin-1/cp1252 that is valid UTF-8 with multibyte sequences is
        # almost certainly UTF-8 (the other way round would fail the strict decode below)
        try:
            return content.decode("utf-8")
        except UnicodeDecodeError:
            pass
    try:
        return content.decode(codec)
    except (UnicodeDecodeError, LookupError):
        return None


def sniff_meta_charset(content: bytes) -> str | None:
    head = content[:META_SCAN]
    m = _XML_DECL_RE.match(head) or _META_RE.search(head)
    return m.group(1).decode("ascii", "replace") if m else None


_DETECT_TIE = 0.01  # coherence within this of the best counts as a tie


def detect_codec(matches: Any) -> str | None:
    """The codec of charset_normalizer's best match, with ties broken towards windows-1252.

    Short Spanish or English pages often decode with the same zero chaos and the same
    coherence in cp1252 and in cp1250 (or another single-byte code page), and the detector's
    order among ties is arbitrary: "cañón" then becomes "cańón". For borderwatch's languages
    the fallback encoding of the web platform (WHATWG) is windows-1252, so a tie goes to it; a
    page whose bytes really read better in another code page (Polish in cp1250) still gets that.
    """
    ranked = list(matches)
    if not ranked or not ranked[0].encoding:
        return None
    best = ranked[0]
    for m in ranked:
        if (
            m.encoding in ("cp1252", "latin_1", "iso8859_15")
            and m.chaos <= best.chaos
            and m.coherence >= best.coherence - _DETECT_TIE
        ):
            return "cp1252"
    return str(best.encoding)


def decode_html(content: bytes, header_charset: str | None) -> str:
    """Text of an HTML (or XML) page.

    Order: BOM (it wins over declarations, as in the WHATWG encoding standard) → the
    Content-Type charset → ``<meta charset>`` / ``http-equiv`` / XML declaration in the first
    4 KB → charset_normalizer detection → UTF-8 with replacement. A declared charset is used
    only when the bytes are valid in it (a wrong declaration falls through to the next step);
    a declared Latin-1/cp1252 page that is valid multibyte UTF-8 is read as UTF-8.
    """
    for bom, name in _BOMS:
        if content.startswith(bom):
            got = _try(content[len(bom) :], name)
            if got is not None:
                return got
            break
    for declared in (header_charset, sniff_meta_charset(content)):
        codec = _codec(declared)
        if codec in ("utf-16", "utf-16-le", "utf-16-be", "utf-32") and b"\x00" not in content[:64]:
            codec = "utf-8"  # an ASCII-compatible page cannot really be UTF-16
        got = _try(content, codec)
        if got is not None:
            return got
    try:
        from charset_normalizer import from_bytes

        codec = detect_codec(from_bytes(content))
        if codec:
            return content.decode(codec, "replace")
    except Exception:  # noqa: BLE001 - detection is best effort
        pass
    return content.decode("utf-8", "replace")
