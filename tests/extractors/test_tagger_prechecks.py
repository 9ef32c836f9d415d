"""Speed pre-checks of the officials finder: each must hold wherever the regex it guards
matches (a pre-check may only skip work that finds nothing). Fictional text, made-up names."""

from __future__ import annotations

import re

from extractors.tagger.base import _resolve, _Span
from extractors.tagger.official_names import _NOT_FIRST
from extractors.tagger.official_titles import _TITLE_RX, _TITLES
from extractors.tagger.open_officials import (
    _WORD_START,
    _full_form_rx,
    _may_have_full_form,
    _title_lead_ok,
)
from extractors.textfold import fold

SENTENCES = [
    "El exgobernador Tomás Uribe Lanz y la ex-alcaldesa de Tuzantla, Irma Coria, dijeron.",
    "Former Lt. Gov. Ann Pike met U.S. Attorney Rob Vance and Port Director Lee Moss.",
    "La encargada de despacho de la Fiscalía, Nora Gil; el jefe de la policía, Iván Paz.",
    "then-President Dale Orr spoke with House Speaker Kim Roe and Chief Patrol Agent Joe Fry.",
    "El coordinador de los diputados, Saúl Ibarra, y la fiscal anticorrupción Ema Ruiz.",
    "Hidalgo County Judge Ana Ross and Sen. Bo Lutz; el titular de la SSP, Leo Cano.",
    "DEA Administrator Sue Ward, Field Office Director Al Cole, Deputy Chief Ray Ott.",
]


def _all_texts() -> list[str]:
    out = list(SENTENCES)
    for word in re.findall(r"[a-z][a-z.]+", "\n".join(rx for rx, _ in _TITLES)):
        for form in (word, word.upper(), word.title()):
            out += [f"y {form} Ana Ruiz", f"y ex-{form} Ana Ruiz", f"y Former {form} Ana"]
    return out


def test_title_lead_holds_at_every_title_match() -> None:
    matched = 0
    for text in _all_texts():
        for w in _WORD_START.finditer(text):
            if _TITLE_RX.match(text, w.start()) is not None:
                matched += 1
                assert _title_lead_ok(text, w.start()), text[w.start() :]
    assert matched > 100


def test_title_lead_skips_other_words() -> None:
    text = "the report of the city said"
    assert not any(_title_lead_ok(text, w.start()) for w in _WORD_START.finditer(text))
    assert _title_lead_ok("ſecretary Ana", 0)  # non-ASCII words are always tried


def _forms(text: str, name: str) -> set[str]:
    return {
        m.group(0)
        for m in _full_form_rx(name).finditer(text)
        if fold(m.group(1).split()[0]) not in _NOT_FIRST
    }


def test_full_form_precheck_never_hides_a_form() -> None:
    cases = [
        ("Conrado Mendoza llegó. El alcalde Mendoza dijo.", "Mendoza", True),
        ("Juan de la Peña habló; el edil Peña calló.", "Peña", True),
        ("Ana  del  Ruiz y el fiscal Ruiz", "Ruiz", True),
        ("Mayor Kane spoke; the mayor Kane left.", "Kane", None),
        ("el alcalde Mendoza dijo que Mendoza", "Mendoza", False),
        ("x.Ana Ruiz y el fiscal Ruiz", "Ruiz", False),
    ]
    for text, name, expect in cases:
        may = _may_have_full_form(text, name, frozenset())
        if _forms(text, name):
            assert may, text
        if expect is not None:
            assert may is expect, text


def test_resolve_longest_then_leftmost_wins() -> None:
    # overlapping automaton hits: the longest wins, among equal lengths the leftmost, a hit
    # touching (not overlapping) a kept one survives; result in text order
    def sp(fs: int, fe: int) -> _Span:
        return _Span(fs, fe, fs, fe, f"{fs}-{fe}", [])

    spans = [sp(0, 5), sp(3, 12), sp(10, 14), sp(12, 16), sp(16, 18), sp(2, 4), sp(20, 23)]
    spans += [sp(32, 36), sp(30, 34)]
    kept = [(s.fs, s.fe) for s in _resolve(spans)]
    assert kept == [(3, 12), (12, 16), (16, 18), (20, 23), (30, 34)]
