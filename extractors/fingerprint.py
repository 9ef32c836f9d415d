"""Content fingerprints: an exact hash of the normalized text."""

from __future__ import annotations

import hashlib
import re
import unicodedata

_NON_WORD = re.compile(r"[\W_]+", re.UNICODE)


def normalize_text(text: str) -> str:
    """Case-, accent-, punctuation- and whitespace-insensitive form of a text."""
    folded = unicodedata.normalize("NFKD", text.casefold())
    folded = "".join(ch for ch in folded if not unicodedata.combining(ch))
    return _NON_WORD.sub(" ", folded).strip()


def content_hash(text: str) -> str:
    """sha256 (hex) of the normalized text: equal for copies that differ only in layout."""
    return hashlib.sha256(normalize_text(text).encode("utf-8")).hexdigest()


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


def shingles(text: str, k: int = SHINGLE) -> set[bytes]:
    words = normalize_text(text).split()
    if len(words) < k:
        return {" ".join(words).encode()} if words else set()
    return {" ".join(words[i : i + k]).encode() for i in range(len(words) - k + 1)}


def minhash_signature(text: str) -> bytes | None:
    """MinHash signature of the text's shingles (None for texts too short to compare)."""
    from datasketch import MinHash

    sh = shingles(text)
    if len(sh) < 5:
        return None
    m = MinHash(num_perm=NUM_PERM, seed=1)
    m.update_batch(list(sh))
    return bytes(m.hashvalues.astype("<u4").tobytes())


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


def exact_jaccard(a: str, b: str) -> float:
    sa, sb = shingles(a), shingles(b)
    if not sa and not sb:
        return 1.0
    return len(sa & sb) / len(sa | sb)


def title_key(title: str | None) -> str | None:
    """Normalized headline used for the same-outlet republication rule."""
    if not title:
        return None
    key = normalize_text(title)
    return key[:300] or None
