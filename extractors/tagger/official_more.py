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
  Justicia, X"), not an official;
* ``place_led_item`` — in a plural list, an item led by its jurisdiction ("los gobernadores
  de Sonora Ana Ruiz; Colima Luis Mora") drops the place;
* ``governed_apposition`` — "X, quien gobernó Chihuahua de 2010 a 2016", "X, who governed
  Sonora": a former head of a known place;
* ``agency_headed_by`` — "la Fiscalía General del Estado (FGE), encabezada por X", "the
  Border Patrol, headed by X": the head of a security agency named right before (a gang
  "encabezada por X" is nobody). "led by" is left out: a common word, not a head (speed).
"""

from __future__ import annotations

import re

from extractors.lexicon import words
from extractors.tagger.official_names import _MODIFIER, _NAME, _NAME_AT, _ORG_WORDS, _full_name
from extractors.textfold import fold

# words an office's complement is made of (folded): "de Gobierno", "de Seguridad Pública",
# "de la República", "del estado", "of Homeland Security"
_OFFICE_WORDS = frozenset(
    words(
        """gobierno gobernacion seguridad publica ciudadana proteccion republica estado justicia
        hacienda marina defensa nacional general federal estatal municipal investigacion
        bienestar economia finanzas movilidad transito vialidad interior homeland security
        public safety justice state prosecution prosecutions affairs operations enforcement
        protection defense defence services administration"""
    )
)
_PARTICLES = frozenset(words("de del la y e of and the"))
_INSTITUTION_WORDS = frozenset(
    words("reserve bank fund institute instituto banco department departamento agency office")
)
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
    # ``institution_not_name``: an institution's name is no person ("the president of the
    # Federal Reserve Bank of X")
    if any(w in _ORG_WORDS or w in _INSTITUTION_WORDS for w in fold(got[0]).split()):
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


def drop_place_lead(raw: str, geo: frozenset[str]) -> tuple[str, int]:
    """``place_led_item``: a list item that starts with its jurisdiction ("los gobernadores de
    Sonora Ana Ruiz Soto; Colima Luis Mora Peña"): the longest leading run of words that is a
    known place, when two words or more follow, is dropped. Returns (rest, characters dropped)."""
    ws = raw.split()
    for k in range(len(ws) - 2, 0, -1):
        if fold(" ".join(ws[:k])) in geo:
            rest = raw.split(None, k)[-1]
            return rest, len(raw) - len(rest)
    return raw, 0


# ``governed_apposition``: "X, quien gobernó Chihuahua de 2010 a 2016", "X, who governed
# Sonora": a former governor or mayor of a known place (the verb is the head word)
_GOVERNED_APPOS = re.compile(
    r",\s+(?i:quien|que|who)\s+(?i:gobern[oó]|governed)\s+"
    r"(?P<place>[A-ZÁÉÍÓÚÑ][\w'’-]*(?:\s+(?:de\s+)?[A-ZÁÉÍÓÚÑ][\w'’-]*){0,3})"
)
_NAME_END = re.compile(rf"(?P<name>{_NAME})\Z")
# ``agency_headed_by``: a security agency named with "encabezada por X" / "headed by X" ("la
# Fiscalía General del Estado (FGE), encabezada por Ana Ruiz", "the Border Patrol, headed by Tom
# Lee"): the agency's head
_HEADED_BY = re.compile(
    r",?\s+(?i:encabezad[oa]|dirigid[oa]|comandad[oa]|headed)\s+(?i:por|by)\s+"
    r"(?:(?i:el|la|the)\s+)?"
)
_AGENCY_END = re.compile(
    r"(?:Fiscal[ií]a|Procuradur[ií]a|Secretar[ií]a de Seguridad|Polic[ií]a|Guardia Nacional"
    r"|Sheriff['’]s Office|Police Department|Border Patrol|Department of Public Safety"
    r"|Customs and Border Protection|Immigration and Customs Enforcement|(?:SSP|SSC|FGE|FGR|CBP"
    r"|ICE|DEA|FBI|DPS)\b)"
    r"(?:\s+(?:de|del|la|los|of|the|[A-ZÁÉÍÓÚÑ][\w.'’-]*)){0,6}(?:\s*\([A-Z][\w.]{1,9}\))?\s*\Z"
)


def more_people(
    text: str, geo: frozenset[str], heads: list[int] | None
) -> list[tuple[str, str, int, int, int, int]]:
    """``governed_apposition`` and ``agency_headed_by`` near their head words (``MORE_HEADS``):
    (name, role, start, end, title start, title end) for each person found."""
    out: list[tuple[str, str, int, int, int, int]] = []
    spots = sorted(set(heads)) if heads is not None else [0]
    seen: set[int] = set()
    for h in spots:
        lo, hi = (max(0, h - 12), h + 1) if heads is not None else (0, len(text))
        for m in _GOVERNED_APPOS.finditer(text, lo, min(len(text), hi + 40)):
            if m.start() in seen or m.start() > hi:
                continue
            seen.add(m.start())
            if fold(m.group("place")) not in geo:
                continue
            nm = _NAME_END.search(text, max(0, m.start() - 80), m.start())
            if nm is None:
                continue
            got = _full_name(nm, geo)
            if got is not None:
                out.append((got[0], "head", got[1], got[2], m.start(), m.end()))
        for m in _HEADED_BY.finditer(text, lo, min(len(text), hi + 30)):
            if m.start() in seen or m.start() > hi:
                continue
            seen.add(m.start())
            if _AGENCY_END.search(text, max(0, m.start() - 90), m.start()) is None:
                continue
            nm = _NAME_AT.match(text, m.end())
            if nm is None or nm.start("name") != m.end():
                continue
            got = _full_name(nm, geo)
            if got is not None:
                out.append((got[0], "security-chief", got[1], got[2], m.start(), m.end()))
    return out


# ``chamber_not_plural_title``: "House of Representatives", "Cámara de Diputados" name a
# chamber, not a list of its members ("former House of Representatives Speaker, X")
_CHAMBER_BEFORE = re.compile(
    r"(?i:house|c[aá]mara|chamber)\s+(?i:of|de)\s+(?:(?i:the|los|las)\s+)?\Z"
)


def chamber_name(text: str, start: int) -> bool:
    """``chamber_not_plural_title``: the plural title at ``start`` ends a chamber's name."""
    return _CHAMBER_BEFORE.search(text, max(0, start - 24), start) is not None
