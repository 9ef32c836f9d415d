"""``surname_full_mention`` (moved from ``open_officials`` to keep it small): a one-word
titled name ("el alcalde Mendoza") takes the one fuller form the text gives elsewhere
("Conrado Mendoza, del PRD, ..."), with its cheap necessary condition (speed)."""

from __future__ import annotations

import re
from functools import lru_cache

from extractors.tagger.official_names import _LOW, _NOT_FIRST, _UP, TitledPerson
from extractors.textfold import fold


@lru_cache(maxsize=1024)
def _full_form_rx(name: str) -> re.Pattern[str]:
    return re.compile(
        rf"(?<![\w.])([{_UP}][{_LOW}'’-]+\s+(?:(?:de la|del|de)\s+)?){re.escape(name)}\b"
    )


_UP_SET = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZÁÉÍÓÚÑÜ")
_LOW_SET = frozenset("abcdefghijklmnopqrstuvwxyzáéíóúñüàèç'’-")


def _first_word_ok(text: str, j: int, geo: frozenset[str]) -> bool:
    """A word of ``_full_form_rx``'s first group ("[UP][LOW]+" after no word character or
    dot) ends at ``j``, and ``_full_form`` would keep it (not a sentence word or a place)."""
    k = j
    while k > 0 and text[k - 1] in _LOW_SET:
        k -= 1
    if k == j or k == 0 or text[k - 1] not in _UP_SET:
        return False
    c = text[k - 2] if k >= 2 else ""
    if c.isalnum() or c in ("_", "."):
        return False
    first = fold(text[k - 1 : j])
    return first not in _NOT_FIRST and first not in geo


def _may_have_full_form(text: str, name: str, geo: frozenset[str]) -> bool:
    """Cheap necessary condition for ``_full_form`` to find a form (speed): ``name`` occurs
    after whitespace after a capitalised word that is no sentence word or place (directly, or
    with "de la" / "del" / "de" between). False: every match of ``_full_form_rx(name)`` in
    ``text`` would be skipped, or there is none."""
    i = text.find(name)
    while i >= 0:
        j = i
        while j > 0 and text[j - 1].isspace():
            j -= 1
        if j < i:
            if _first_word_ok(text, j, geo):
                return True
            for conn in ("de la", "del", "de"):
                if j >= len(conn) and text.startswith(conn, j - len(conn)):
                    k = j - len(conn)
                    while k > 0 and text[k - 1].isspace():
                        k -= 1
                    if k < j - len(conn) and _first_word_ok(text, k, geo):
                        return True
        i = text.find(name, i + 1)
    return False


def _full_form(text: str, p: TitledPerson, geo: frozenset[str]) -> TitledPerson:
    """``surname_full_mention``: a one-word titled name ("el alcalde Mendoza") takes the one
    fuller form the text gives elsewhere without a title ("Conrado Mendoza, del PRD, ...")."""
    if " " in p.name or len(p.name) < 3 or not _may_have_full_form(text, p.name, geo):
        return p
    rx = _full_form_rx(p.name)
    forms = set()
    for m in rx.finditer(text):
        if m.end() == p.end:
            continue  # ``full_form_not_title_word``: the titled mention itself ("Ranking Member X")
        first = m.group(1).split()[0]
        if fold(first) in _NOT_FIRST or fold(first) in geo:
            continue
        forms.add(" ".join((m.group(1) + p.name).split()))
    if len(forms) != 1:
        return p
    return TitledPerson(forms.pop(), p.role, p.title, p.start, p.end, p.title_start, p.title_end)
