"""Content fingerprints: an exact hash of the normalized text."""

from __future__ import annotations

import hashlib
import re
import sys
import unicodedata
from functools import lru_cache
from typing import Any

_NON_WORD = re.compile(r"[\W_]+", re.UNICODE)


@lru_cache(maxsize=1)
def _drop_combining() -> dict[int, None]:
    """str.translate table deleting every combining character (built once per process, ~0.06 s)."""
    return {cp: None for cp in range(sys.maxunicode + 1) if unicodedata.combining(chr(cp))}


def normalize_text(text: str) -> str:
    """Case-, accent-, punctuation- and whitespace-insensitive form of a text."""
    folded = unicodedata.normalize("NFKD", text.casefold())
    if not folded.isascii():
        folded = folded.translate(_drop_combining())
    return _NON_WORD.sub(" ", folded).strip()


def content_hash(text: str, *, normalized: str | None = None) -> str:
    """sha256 (hex) of the normalized text: equal for copies that differ only in layout.
    ``normalized`` is ``normalize_text(text)`` when the caller has it already."""
    norm = normalize_text(text) if normalized is None else normalized
    return hashlib.sha256(norm.encode("utf-8")).hexdigest()


# ---------------------------------------------------------------- near duplicates (MinHash LSH)
#
# Syndicated copies (the same wire story with a new first paragraph) are found with MinHash
# over word 3-gram shingles of the normalized text. The signature (128 × uint32 = 512 bytes) is
# stored with the article, and its LSH bands (20 bands × 6 rows) as 64-bit bucket keys in an
# indexed table, so finding candidates is one indexed query instead of an in-memory index
# rebuilt from every stored row. A candidate counts when the estimated Jaccard similarity of
# the signatures is at least the threshold (0.8 by default).

NUM_PERM = 128
BANDS = 20
ROWS = 6
SHINGLE = 3


def shingles(text: str, k: int = SHINGLE, *, normalized: str | None = None) -> set[bytes]:
    words = (normalize_text(text) if normalized is None else normalized).split()
    if len(words) < k:
        return {" ".join(words).encode()} if words else set()
    return {" ".join(words[i : i + k]).encode() for i in range(len(words) - k + 1)}


@lru_cache(maxsize=1)
def _permutations() -> tuple[Any, Any]:
    """The affine permutations (a odd, b) of datasketch 2's default "affine32" scheme with
    seed 1, so signatures equal ``datasketch.MinHash(num_perm=128, seed=1)``'s (a test
    checks it). datasketch itself is not imported: it pulls in scipy (~60 MB per process)."""
    import numpy as np

    gen = np.random.RandomState(1)
    a = gen.randint(0, 1 << 31, NUM_PERM, dtype=np.uint32) * np.uint32(2) + np.uint32(1)
    b = gen.randint(0, 1 << 32, NUM_PERM, dtype=np.uint32)
    return a, b


def minhash_signature(text: str, *, normalized: str | None = None) -> bytes | None:
    """MinHash signature of the text's shingles (None for texts too short to compare): each
    shingle's first 4 SHA-1 bytes (little-endian), MurmurHash3's 32-bit finalizer, then
    a·h + b mod 2³² per permutation, minimum over shingles; 128 × uint32 little-endian."""
    import numpy as np

    sh = shingles(text, normalized=normalized)
    if len(sh) < 5:
        return None
    hv = np.fromiter(
        (int.from_bytes(hashlib.sha1(x).digest()[:4], "little") for x in sh),
        dtype=np.uint32,
        count=len(sh),
    ).reshape(-1, 1)
    hv = hv ^ (hv >> np.uint32(16))
    hv = hv * np.uint32(0x85EBCA6B)
    hv = hv ^ (hv >> np.uint32(13))
    hv = hv * np.uint32(0xC2B2AE35)
    hv = hv ^ (hv >> np.uint32(16))
    a, b = _permutations()
    return bytes((hv * a + b).min(axis=0).astype("<u4").tobytes())


def _values(sig: bytes) -> tuple[int, ...]:
    import struct

    return struct.unpack(f"<{NUM_PERM}I", sig)


def lsh_buckets(sig: bytes) -> list[int]:
    """One signed 64-bit bucket key per band (fits BIGINT on both engines)."""
    vals = _values(sig)
    keys = []
    for b in range(BANDS):
        band = vals[b * ROWS : (b + 1) * ROWS]
        h = hashlib.blake2b(repr((b, band)).encode(), digest_size=8).digest()
        keys.append(int.from_bytes(h, "big", signed=True))
    return keys


def estimate_jaccard(a: bytes, b: bytes) -> float:
    va, vb = _values(a), _values(b)
    return sum(x == y for x, y in zip(va, vb, strict=True)) / NUM_PERM


def title_key(title: str | None) -> str | None:
    """Normalized headline used for the same-outlet republication rule."""
    if not title:
        return None
    key = normalize_text(title)
    return key[:300] or None
