"""Case- and accent-folding of text that keeps a map back to the original offsets.

``fold(s)`` is the canonical key used for every alias: NFKD, combining marks dropped, casefolded,
typographic quotes/dashes/spaces made plain, every whitespace run (line breaks included) one
space.

``FoldedText(text)`` folds a whole article fast: almost every character folds to exactly one
character (``str.lower`` plus one ``str.replace`` per distinct accented letter); only the rare
others (combining marks, ligatures, ``ß``, runs of several spaces ...) are patched one by one.
``orig_start``/``orig_end`` map a folded span back to the original ``text``.
"""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_right
from functools import lru_cache

_PUNCT = {
    "\u2018": "'",
    "\u2019": "'",
    "\u201a": "'",
    "\u201b": "'",
    "\u2032": "'",
    "\u00b4": "'",
    "`": "'",
    "\u201c": '"',
    "\u201d": '"',
    "\u201e": '"',
    "\u00ab": '"',
    "\u00bb": '"',
    "\u2010": "-",
    "\u2011": "-",
    "\u2012": "-",
    "\u2013": "-",
    "\u2014": "-",
    "\u2015": "-",
    "\u2212": "-",
    "\ufe58": "-",
    "\ufe63": "-",
    "\uff0d": "-",
}
_RANGES = [(0, 0x3000), (0xFB00, 0xFB50), (0xFE50, 0xFE70), (0xFF00, 0xFFF0)]


def _fold_char(c: str) -> str:
    if c in _PUNCT:
        return _PUNCT[c]
    if c.isspace():
        return " "
    d = unicodedata.normalize("NFKD", c)
    d = "".join(x for x in d if not unicodedata.combining(x))
    d = d.casefold()
    d = "".join(_PUNCT.get(x, " " if x.isspace() else x) for x in d)
    return d


def _build_tables() -> tuple[dict[int, str], dict[str, str]]:
    table: dict[int, str] = {}
    special: dict[str, str] = {}
    for lo, hi in _RANGES:
        for cp in range(lo, hi):
            if 0xD800 <= cp <= 0xDFFF:
                continue
            c = chr(cp)
            f = _fold_char(c)
            if len(f) == 1:
                if f != c:
                    table[cp] = f
            else:
                special[c] = f
    return table, special


# _SPECIAL_FOLDS: the characters whose fold is not exactly one character (combining marks,
# ligatures, ß ...) and their folds
_TABLE, _SPECIAL_FOLDS = _build_tables()
_SPECIAL = re.compile("[" + "".join(re.escape(c) for c in _SPECIAL_FOLDS) + "]")
_SPACES = re.compile(" {2,}")
_TABLE1 = {chr(k): v for k, v in _TABLE.items()}
_PLAIN = frozenset(chr(i) for i in range(0x20, 0x7F)) - {"`"}
_ASCII_BYTES = bytes(range(0x80))
_ASCII_FOLDS = tuple(c for c in map(chr, range(0x80)) if c not in _PLAIN and _TABLE1.get(c, c) != c)


# the non-ASCII characters of most Spanish / English news text after ``str.lower``: the ones
# that fold to another character are replaced one by one, the others (¿ ¡ … ° ...) are left;
# only a text with still other characters pays for the full ``set(t)`` pass
_COMMON_NONASCII = "áéíóúñüàèìòùâêîôûäëïöçãõ\u2019\u2018\u201c\u201d\u2013\u2014«»\u00a0´¿¡…°ºª€£"
_COMMON_FOLDS = tuple(
    (c, _TABLE1[c]) for c in _COMMON_NONASCII if _TABLE1.get(c, c) != c and len(_TABLE1[c]) == 1
)
_CASELESS_FOLDS = tuple(
    (c, r) for c, r in _COMMON_FOLDS if c.lower() == c and c.upper() == c and r.isascii()
)
_COMMON_STABLE = tuple(c for c in _COMMON_NONASCII if _TABLE1.get(c, c) == c)
_COMMON_STABLE_SPECIAL = tuple(c for c in _COMMON_STABLE if _SPECIAL.match(c))


def _char_class(cps: list[int]) -> str:
    """A regex character class of the code points ``cps`` (sorted), runs as ranges."""
    parts: list[str] = []
    i = 0
    while i < len(cps):
        j = i
        while j + 1 < len(cps) and cps[j + 1] == cps[j] + 1:
            j += 1
        lo, hi = re.escape(chr(cps[i])), re.escape(chr(cps[j]))
        parts.append(lo if i == j else f"{lo}-{hi}")
        i = j + 1
    return "[" + "".join(parts) + "]"


# the non-ASCII characters that fold 1:1 to another one: found in a text's uncommon characters
# with one regex scan (``set()`` over a page of Cyrillic, say, costs far more)
_FOLDS_1TO1 = re.compile(_char_class(sorted(k for k, v in _TABLE.items() if k > 0x7F)))


def _translate1(text: str) -> str:
    """The 1:1 part of folding (same length as ``text``): fast ``str.lower`` plus one
    ``str.replace`` per distinct character left to fold; chars that do not fold 1:1 are left
    as they are (``FoldedText`` patches them)."""
    return _translate1_flag(text)[0]


def _translate1_flag(text: str) -> tuple[str, bool]:
    """``_translate1`` and whether ``text`` may hold a character that does not fold 1:1
    (False when only ASCII and the common letters were seen: no regex pass needed)."""
    t = text
    if not t.isascii() and "\u03a3" not in t:  # (Σ: lower() looks at its neighbours)
        # the common caseless folds first ("’" -> "'", "—" -> "-" ...): what is left is often
        # ASCII, whose ``lower()`` is several times faster; same result (each of them is its
        # own lower case and so is its fold)
        for c, r in _CASELESS_FOLDS:
            if c in t:
                t = t.replace(c, r)
    t = t.lower()
    if len(t) != len(text):  # e.g. "İ": lower() changes the length
        return text.translate(_TABLE), True
    if t.isascii():  # only ASCII whitespace and "`" can be left to fold
        for c in _ASCII_FOLDS:
            if c in t:
                t = t.replace(c, _TABLE1[c])
        return t, False
    for c, r in _COMMON_FOLDS:
        if c in t:
            t = t.replace(c, r)
    # ASCII whitespace other than " " and "`" fold too
    for c in _ASCII_FOLDS:
        if c in t:
            t = t.replace(c, _TABLE1[c])
    u = t
    for c in _COMMON_STABLE:
        if c in u:
            u = u.replace(c, "")
    if u.isascii():
        return t, any(c in t for c in _COMMON_STABLE_SPECIAL)
    # the distinct non-ASCII characters: deleting the ASCII bytes of the UTF-8 form leaves
    # whole multi-byte sequences, far faster than ``set(u)`` over a long text (ASCII ones
    # left to fold were replaced above)
    rest = u.encode("utf-8", "surrogatepass").translate(None, _ASCII_BYTES)
    for c in set(_FOLDS_1TO1.findall(rest.decode("utf-8", "surrogatepass"))):
        t = t.replace(c, _TABLE1[c])
    return t, True


@lru_cache(maxsize=65536)
def fold(s: str) -> str:
    """The folded form of a short string (an alias); same result as ``FoldedText(s).folded``."""
    t = _translate1(s)
    if _SPECIAL.search(s) is None and "  " not in t:
        return t
    return FoldedText(s).folded


def _space_runs(t1: str) -> list[tuple[int, int, str]]:
    """The edits for runs of two spaces or more (each becomes one space): the matches of
    ``_SPACES``, found with ``str.find`` (much faster than the regex on long text)."""
    edits: list[tuple[int, int, str]] = []
    i = t1.find("  ")
    n = len(t1)
    while i >= 0:
        j = i + 2
        while j < n and t1[j] == " ":
            j += 1
        edits.append((i, j, " "))
        i = t1.find("  ", j)
    return edits


class FoldedText:
    """A folded copy of ``text`` plus the map back to ``text`` offsets."""

    __slots__ = ("text", "folded", "_fstarts", "_segs", "_identity")

    def __init__(self, text: str) -> None:
        self.text = text
        t1, maybe_special = _translate1_flag(text)  # 1:1 with text; whitespace -> one space
        # edits: (start, end, replacement) over text/t1 indexes, in order
        edits = _space_runs(t1)
        if maybe_special:
            specials = [
                (m.start(), m.end(), _SPECIAL_FOLDS[m.group()]) for m in _SPECIAL.finditer(text)
            ]
            if specials:
                edits += specials
                edits.sort()
        # segments: (folded_start, orig_start, unit) where unit=True means a 1:1 run
        fstarts: list[int] = []
        segs: list[tuple[int, bool]] = []
        if not edits:
            self.folded = t1
            self._fstarts = [0]
            self._segs = [(0, True)]
            self._identity = True  # folded offsets are the original ones (no bisect)
            return
        parts: list[str] = []
        pos = 0
        flen = 0
        for s, e, rep in edits:
            if s < pos:  # overlapping (cannot happen: specials are never spaces)
                continue
            if s > pos:
                fstarts.append(flen)
                segs.append((pos, True))
                parts.append(t1[pos:s])
                flen += s - pos
            if rep:
                fstarts.append(flen)
                segs.append((s, False))
                parts.append(rep)
                flen += len(rep)
            pos = e
        if pos < len(text):
            fstarts.append(flen)
            segs.append((pos, True))
            parts.append(t1[pos:])
        self.folded = "".join(parts)
        self._fstarts = fstarts
        self._segs = segs
        self._identity = False

    def _orig(self, f: int) -> int:
        i = bisect_right(self._fstarts, f) - 1
        if i < 0:
            return 0
        ostart, unit = self._segs[i]
        return ostart + (f - self._fstarts[i]) if unit else ostart

    def orig_start(self, f: int) -> int:
        """Original offset of the folded character at ``f``."""
        if f >= len(self.folded):
            return len(self.text)
        return f if self._identity and f >= 0 else self._orig(f)

    def orig_end(self, f_end: int) -> int:
        """Original end offset (exclusive) of a folded span ending (exclusive) at ``f_end``."""
        if f_end <= 0:
            return 0
        end = f_end if self._identity else self._orig(f_end - 1) + 1
        # include combining marks that follow (they fold to nothing)
        n = len(self.text)
        while end < n and unicodedata.combining(self.text[end]):
            end += 1
        return end
