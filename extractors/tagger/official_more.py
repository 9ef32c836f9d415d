"""More predicates of the open class of officials (issue 14, sixth round: officials recall on
outside real text). Kept apart so ``official_names`` and ``open_officials`` stay small:

* ``title_office_complement_name`` — a title, an office complement and the name with no comma
  between ("el secretario de Gobierno Ana Ruiz Soto", "la procuradora general de la República
  Ana Ruiz", "el secretario general del CISEN Luis Mora", "the Secretary of Homeland Security
  Tom Lee"): the complement is a run of office words and acronyms, the name what follows;
* ``council_secretary`` — the secretary of a city council or ayuntamiento is municipal staff,
  not an official ("the Secretary of the Monterrey City Council, X", "el secretario del
  Ayuntamiento, X");
* ``judiciary_president`` — the president of a court or of the judiciary is a judge ("la
  presidenta del Poder Judicial del Estado, X", "el presidente del Tribunal Superior de
  Justicia, X"), not an official.
"""

from __future__ import annotations

import re

from extractors.lexicon import words
from extractors.tagger.official_names import _MODIFIER, _NAME_AT, _full_name
from extractors.textfold import fold

# words an office's complement is made of (folded): "de Gobierno", "de Seguridad Pública",
# "de la República", "del estado", "of Homeland Security"
_OFFICE_WORDS = frozenset(
    words(
        """gobierno gobernacion seguridad publica ciudadana proteccion republica estado justicia
        hacienda marina defensa nacional general federal estatal municipal investigacion
        bienestar economia finanzas movilidad transito vialidad interior homeland security
        public safety justice state"""
    )
)
_PARTICLES = frozenset(words("de del la y e of and the"))
_COMP_START = re.compile(r"\s+(?i:de|del|of)\s+(?:(?i:la|el|the)\s+)?")
_TOKEN = re.compile(r"([^\W\d_]+)(?=[\s])\s+")


def title_office_complement_name(
    text: str, end: int, geo: frozenset[str]
) -> tuple[str, int, int] | None:
    """``title_office_complement_name``: after the title (and its modifiers), "de/del/of" and
    a run of office words or acronyms (at least one), then a name of two words or more that
    starts with no office word. Particles inside the run count only before an office word."""
    mm = _MODIFIER.match(text, end)
    if mm is not None:
        end = mm.end()
    m = _COMP_START.match(text, end)
    if m is None:
        return None
    pos, seen, stop = m.end(), 0, m.end()
    for _ in range(7):
        tm = _TOKEN.match(text, pos)
        if tm is None:
            break
        tok = tm.group(1)
        low = fold(tok)
        if low in _OFFICE_WORDS or (tok.isupper() and len(tok) >= 2):
            seen += 1
            pos = stop = tm.end()
        elif low in _PARTICLES and seen:
            pos = tm.end()  # kept only when an office word follows
        else:
            break
    if not seen or not text[stop : stop + 1].isupper():
        return None
    nm = _NAME_AT.match(text, stop)
    if nm is None or nm.start("name") != stop:
        return None
    got = _full_name(nm, geo)
    if got is None or fold(got[0].split()[0]) in _OFFICE_WORDS:
        return None
    return got


_COUNCIL = re.compile(
    r"\s+(?i:of the|del|de la|de)\s+(?:[A-ZÁÉÍÓÚÑ][\w'’-]*\s+){0,3}"
    r"(?i:city council|council|ayuntamiento|cabildo|concejo)\b"
)


def council_secretary(text: str, title_end: int, role: str) -> bool:
    """``council_secretary``: a secretary title whose complement is a city council or an
    ayuntamiento (municipal staff)."""
    return role == "secretary" and _COUNCIL.match(text, title_end) is not None


_JUDICIARY = re.compile(
    r"\s+(?i:del|de la|of the|de)\s+(?i:poder judicial|tribunal|supremo tribunal|suprema corte"
    r"|supreme court|court|corte|juzgado|consejo de la judicatura)\b"
)


def judiciary_president(text: str, title_end: int, role: str) -> bool:
    """``judiciary_president``: a president of the judiciary or of a court is a judge."""
    return role == "president" and _JUDICIARY.match(text, title_end) is not None
