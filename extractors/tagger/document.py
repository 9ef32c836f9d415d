"""Helpers on the document: sentences, paragraphs, snippets, words around a position, language."""

from __future__ import annotations

import re
from bisect import bisect_right
from collections import Counter

from extractors.tagger.base import (
    _ABBREV_END,
    _BARE_GOV,
    _EN_WORDS,
    _ES_WORDS,
    _LOWER_WORD,
    _MAX_SNIPPET,
    _SENT_END,
    _WORD,
    _WORD_END,
    ASCII_NON_WORD,
    EN_FUNCTION,
    ES_FUNCTION,
    _RunState,
    _Span,
)
from extractors.tagger.result import Mention

_NON_WORD_RUN = re.compile(r"[^\w]*")
# a full stop right after 4 lowercase letters (``_WORD_END`` at the stop, with no slice)
_AFTER_WORD = re.compile(r"(?<=[a-záéíóúñ]{4})\.")


class DocumentMixin(_RunState):
    """Helpers on the document: sentences, snippets, words around a position, language."""

    def _sentences(self) -> list[int]:
        if self._sent is None:
            self._sent = self._sentence_starts(0, len(self.doc))
        return self._sent

    def _sentence_starts(self, lo: int, hi: int) -> list[int]:
        """Sentence starts found in ``doc[lo:hi]`` (``lo`` itself first)."""
        starts = [lo]
        append = starts.append
        doc = self.doc
        for m in _SENT_END.finditer(doc, lo, hi):
            start, end = m.span()
            # "!", "?", "…", a newline: no abbreviation; nor a full stop after a lowercase word
            # of 4 letters or more (the commonest case: ``_WORD_END`` without a slice)
            if doc[start] != "." or _AFTER_WORD.match(doc, start):
                append(end)
                continue
            start += 1
            head = doc[max(0, start - 6) : start]
            # "Gto." / "Sr." / "N.L." ... : not a sentence end unless a newline ("head" ends with
            # the full stop: a word of 4 letters or more before it is tried first, the commonest)
            if (
                not _WORD_END.search(head)
                and not head.endswith("..")
                and _ABBREV_END.search(head)
                and "\n" not in doc[start:end]
            ):
                continue
            append(end)
        return starts

    def _bare_gov_matches(self) -> list[re.Match[str]]:
        """``_BARE_GOV.finditer(self.f)``, tried only just before the governor title words the
        automaton found (``gov_heads``): a match is an article of at most 11 characters, one
        space (the fold makes every whitespace run one space) and the title as a whole word,
        so it starts at most 12 characters before one of them; leftmost first, not
        overlapping, as ``finditer``."""
        f = self.f
        out: list[re.Match[str]] = []
        last = 0
        for p in sorted(self.gov_heads):
            for s in range(max(last, p - 12), p):
                m = _BARE_GOV.match(f, s)
                if m is not None:
                    out.append(m)
                    last = m.end()
                    break
        return out

    def _cue_starts(self, name: str) -> list[int]:
        """Starts of the ``SUBSTRING_CUES`` ``name`` in the folded text, found by the
        automaton's pass: leftmost first, not overlapping, as ``finditer`` of its regex."""
        out: list[int] = []
        last = 0
        for s, e in sorted(self.cue_at.get(name, ())):
            if s >= last:
                out.append(s)
                last = e
        return out

    def _paragraphs(self) -> list[int]:
        if self._para is None:
            self._para = [0] + [m.end() for m in re.finditer(r"\n", self.doc)]
        return self._para

    def sentence_of(self, pos: int) -> str:
        """The sentence around ``pos``."""
        sents = self._sentences()
        si = self.sent_id(pos)
        return self.doc[sents[si] : sents[si + 1] if si + 1 < len(sents) else len(self.doc)]

    def sent_id(self, pos: int) -> int:
        return bisect_right(self._sentences(), pos) - 1

    def para_id(self, pos: int) -> int:
        return bisect_right(self._paragraphs(), pos) - 1

    def snippet(self, start: int, end: int) -> str:
        """The sentence around ``start``..``end``, at most ``_MAX_SNIPPET`` characters. Without
        the document's sentence list, the sentence starts are looked for only in a window of
        ``_MAX_SNIPPET`` + 40 characters on each side: a start farther away would be cut off by
        the length limit anyway, so the snippet is the same (for the first few snippets of a long
        text; then the whole list is computed once). When the article's spans promise more
        window characters than the text has, the whole list is computed at once (cheaper)."""
        if (
            self._sent is not None
            or self._local_snippets >= 4
            or len(self.doc) < 2000
            or self._snippets_expected * (2 * _MAX_SNIPPET + 80) >= len(self.doc)
        ):
            s = self._sentences()
        else:
            self._local_snippets += 1
            w_lo = max(0, start - _MAX_SNIPPET - 40)
            w_hi = min(len(self.doc), end + _MAX_SNIPPET + 40)
            s = self._sentence_starts(w_lo, w_hi)
        i = bisect_right(s, start) - 1
        lo = s[i] if i >= 0 else 0
        hi = s[i + 1] if i + 1 < len(s) else len(self.doc)
        hi = max(hi, end)
        if hi - lo > _MAX_SNIPPET:
            lo = max(lo, start - _MAX_SNIPPET // 2)
            hi = min(hi, max(end, lo + _MAX_SNIPPET))
        return " ".join(self.doc[lo:hi].split())

    def words_before(self, pos: int, n: int = 3) -> list[str]:
        """Up to ``n`` original words before ``pos`` in the same line (nearest last)."""
        chunk = self.doc[max(0, pos - 60) : pos]
        chunk = chunk.rsplit("\n", 1)[-1]
        return _WORD.findall(chunk)[-n:]

    def words_after(self, pos: int, n: int = 3) -> list[str]:
        chunk = self.doc[pos : pos + 60]
        chunk = chunk.split("\n", 1)[0]
        return _WORD.findall(chunk)[:n]

    def gap_after(self, pos: int) -> str:
        """Characters between ``pos`` and the next word."""
        m = _NON_WORD_RUN.match(self.doc, pos, pos + 20)
        return m.group() if m else ""

    @property
    def lang(self) -> str:
        """ "es" or "en": the article's language, by function-word counts (cheap, cached)."""
        if self._lang is None:
            sample = self.f[:3000]
            if sample.isascii():  # the same counts, without two regex scans
                n = Counter(sample.translate(ASCII_NON_WORD).split())
                en = sum(n[w] for w in EN_FUNCTION)
                es = sum(n[w] for w in ES_FUNCTION)
            else:
                en = len(_EN_WORDS.findall(sample))
                es = len(_ES_WORDS.findall(sample))
            self._lang = "en" if en > es else "es"
        return self._lang

    def _plain_line(self, pos: int) -> bool:
        """The line holding ``pos`` is running text: neither ALL CAPS nor Title Case."""
        paras = self._paragraphs()
        i = bisect_right(paras, pos) - 1
        lo = paras[i] if i >= 0 else 0
        hi = paras[i + 1] if i + 1 < len(paras) else len(self.doc)
        cached = self._plain.get(lo)
        if cached is None:
            # running text has lowercase content words; a headline in Title Case or an ALL
            # CAPS line has none
            cached = _LOWER_WORD.search(self.doc, lo, hi) is not None
            self._plain[lo] = cached
        return cached

    def _word_starts_sentence(self, pos: int) -> bool:
        """The word ending at ``pos`` (a word right before a name) begins its sentence."""
        seg = self.doc[max(0, pos - 40) : pos]
        m = re.search(r"[^\W_][\w'.-]*\s*$", seg)
        if not m:
            return True
        wstart = pos - (len(seg) - m.start())
        s = self._sentences()
        i = bisect_right(s, wstart) - 1
        lo = s[i] if i >= 0 else 0
        return re.fullmatch(r"[\s\"'“‘«(¿¡—–-]*", self.doc[lo:wstart]) is not None

    def _mention(
        self, etype: str, eid: str, name: str, sp: _Span, state_id: str | None, role: str | None
    ) -> Mention:
        return Mention(
            entity_type=etype,
            entity_id=eid,
            surface=self.doc[sp.start : sp.end],
            start=sp.start - self.shift,
            end=sp.end - self.shift,
            snippet=self.snippet(sp.start, sp.end),
            state_id=state_id,
            role=role,
            name=name,
        )
