"""Issue 14 (sixth round): names of local things that carry a state's or town's name in Spanish
news, found on fresh outside real text. Predicates over the text around a name (``text`` = the
document, ``start``/``end`` = the name's offsets); ``pins._not_places`` calls them after the
``place_rules`` ones, each gated by a cheap look at the few characters before the name.

* ``venue_head_name`` — a state or place name right after a venue noun that ``VENUE_BEFORE``
  does not hold: "plaza Hidalgo", "el parque Morelos", "jardín Juárez", "panteón Jalisco", "el
  ejido Sinaloa", "funeraria Durango", "hospital Hidalgo": the venue's (or village's) name;
* ``hero_de_tail`` — a hero-named state (Hidalgo, Morelos, Guerrero) after "<Town> de", where
  the town is one capitalised word that is not a generic or institutional head and does not
  continue a longer capitalised name ("Chalcatongo de Hidalgo", "alcaldía Cuajimalpa de
  Morelos"): the municipality's full name ends with the hero's surname; "Fiscalía de Morelos",
  "Contraloría de Hidalgo", "Derechos Humanos de Guerrero" still name the state;
* ``other_tail_town`` — a short form of a gazetteer place "X de Y" followed in the text by
  "de <another capitalised name>" ("Acatlán de Pérez Figueroa" is not "Acatlán de Osorio"):
  another town of that head name;
* ``municipal_office_of`` — a hero-named state after a municipal office or body ("el alcalde
  de Morelos", "la presidenta municipal de Hidalgo", "el ayuntamiento de Guerrero", "el
  cabildo de ..."): states have no mayor, so the name is a municipality's;
  ``hero_town_one_sense`` (in ``pins``): once a hero name is read as a municipality in an
  article, its other bare mentions are that municipality too (not after "estado de");
* ``club_name`` — a state name after a singular club head and "de": "Racing de Veracruz",
  "Atlético de San Luis", "Deportivo de Guerrero" (``in_team_name`` knows only plural heads);
* ``association_name`` — a state name ending the name of an association, teachers' or civic
  front, business chamber or council, or technological institute, up to eight words after
  its head ("la Coordinadora Estatal de Trabajadores de la Educación de Guerrero", "el Frente
  Cívico de Tamaulipas", "la Cámara Nacional de Comercio de Tabasco", "el Consejo Coordinador
  Empresarial de Chihuahua", "el Instituto Tecnológico de Sonora");
* ``acronym_chapter`` — a state name joined by a hyphen to an organization's acronym
  ("la CNC-Oaxaca", "la CNTE-Guerrero"): the organization's state chapter.
* ``village_of_other_state`` (in ``pins``): a gazetteer town introduced as a village ("el
  poblado de Tezoyuca", "la comunidad de X", "la localidad de X", "la ranchería de X") in an
  article that names another state and neither the town's state nor another of its places:
  a homonymous village of the state the article is about ("Tezoyuca", Emiliano Zapata,
  Morelos, is not Tezoyuca, Estado de México).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Collection

from extractors.lexicon import GENERIC_HEADS, NAME_PREFIX_OK, PERSON_TITLES
from extractors.tagger.base import name_before_de
from extractors.textfold import fold

# ``venue_head_name``: folded venue nouns (not in ``VENUE_BEFORE``)
VENUE_HEADS_MORE = frozenset(
    [
        "plaza",
        "plazuela",
        "parque",
        "jardin",
        "panteon",
        "cementerio",
        "ejido",
        "funeraria",
        "hospital",
        "clinica",
        "capilla",
        "parroquia",
        "templo",
        "auditorio",
        "arena",
        "gimnasio",
        "lienzo",
        "maquiladora",
    ]
)
_WORD_BEFORE = re.compile(r"([^\W\d_]+)\s+$")


_VENUE_PREFIXES = frozenset(w[:3] for w in VENUE_HEADS_MORE)


def venue_head_name(text: str, start: int) -> bool:
    """``venue_head_name`` (see module doc): the word right before the name is a venue noun."""
    seg = text[max(0, start - 14) : start]
    if not seg[-1:].isspace():
        return False
    parts = seg.split()
    if not parts or fold(parts[-1][:3]) not in _VENUE_PREFIXES:
        return False
    m = _WORD_BEFORE.search(text, max(0, start - 16), start)
    return m is not None and fold(m.group(1)) in VENUE_HEADS_MORE


# ``hero_de_tail``: "<Town> de <Hero>"; institutional heads end like these
_AGENCY_ENDINGS = ("ia", "cion", "sion", "dad", "ura", "al", "ento", "ente", "ado", "or")
_TOWN_DE_BEFORE = re.compile(
    r"(?:^|\b([^\W\d_]+)[ \t]+|([^\w\s]) ?)([A-ZÁÉÍÓÚÑ][a-záéíóúñü]{3,}) de $"
)


def hero_de_tail(text: str, start: int) -> bool:
    """``hero_de_tail`` (see module doc); the caller asks only for hero-named states."""
    if not text[max(0, start - 4) : start].endswith(" de "):
        return False
    m = _TOWN_DE_BEFORE.search(text, max(0, start - 60), start)
    if m is None:
        return False
    prev, punct, head = m.group(1), m.group(2), m.group(3)
    h = fold(head)
    if (
        h in GENERIC_HEADS
        or h in NAME_PREFIX_OK
        or h in PERSON_TITLES
        or h.endswith("s")
        or h.endswith(_AGENCY_ENDINGS)
    ):
        return False
    if prev is not None:
        # a longer capitalised name ("Derechos Humanos de") or "de/del <X> de" continues
        return not prev[:1].isupper() and fold(prev) not in ("de", "del", "la", "las", "los")
    # after punctuation: a comma or a parenthesis, not a sentence end
    return punct is not None and punct in ",;:(-–—"


# ``other_tail_town``: " de <Capitalised>" right after the name
_DE_CAP_AFTER = re.compile(r" (?:de|del) (?:la |las |los )?([A-ZÁÉÍÓÚÑ][\w'’.-]*)")


def other_tail_town(text: str, end: int, surface: str, names: Collection[str]) -> bool:
    """``other_tail_town`` (see module doc): ``names`` are the place's full names; the text
    goes on with " de <Capitalised>" after ``surface`` and no full name starts that way."""
    m = _DE_CAP_AFTER.match(text, end)
    if m is None:
        return False
    written = fold(surface + text[end : m.end()])
    return all(
        not fold(n).startswith(written) and fold(n).startswith(fold(surface) + " ") for n in names
    )


# ``municipal_office_of``: the office or body before "de <Hero>"
_MUNICIPAL_BEFORE = re.compile(
    r"(?i:\b(?:alcalde|alcaldesa|edil|munícipe|municipe|ayuntamiento|cabildo|comuna"
    r"|presidente\s+municipal|presidenta\s+municipal|presidencia\s+municipal"
    r"|gobierno\s+municipal|mayor|town\s+council|city\s+council)\s+(?:de|del|of)\s+)$"
)


def municipal_office_of(text: str, start: int) -> bool:
    """``municipal_office_of`` (see module doc); hero-named states only (the caller)."""
    if not text[max(0, start - 4) : start].endswith((" de ", " of ")):
        return False
    return _MUNICIPAL_BEFORE.search(text, max(0, start - 40), start) is not None


_CLUB_BEFORE = re.compile(
    r"\b(?:Racing|Atlético|Atletico|Deportivo|Deportiva|Sporting|Inter|Athletic|Unión Deportiva"
    r"|Club Deportivo|Club Atlético|Club)\s+(?:de|del)\s+$"
)


def club_name(text: str, start: int) -> bool:
    """``club_name`` (see module doc)."""
    return name_before_de(text, start, _CLUB_BEFORE, 30)


_ASSOC_HEADS = (
    "Coordinadora|Coordinadoras|Frente|Cámara|Camara|Consejo Coordinador Empresarial"
    "|Confederación Patronal|Tecnológico|Tecnologico|Tec|Politécnico|Politecnico|Politécnica"
    "|Politecnica|Cooperativa|Patronato|Canaco|Canacintra|Coparmex"
)
_ASSOC_BEFORE = re.compile(
    rf"\b(?:{_ASSOC_HEADS})(?:\s+(?:[A-ZÁÉÍÓÚÑ][\w'’.-]*|de|del|la|las|los|y|e|en)){{0,8}}?"
    r"\s+(?:de|del)\s+$"
)


def association_name(text: str, start: int) -> bool:
    """``association_name`` (see module doc)."""
    return name_before_de(text, start, _ASSOC_BEFORE, 120)


_ACRONYM_HYPHEN = re.compile(r"\b([A-ZÑ]{2,8})-$")


def acronym_chapter(text: str, start: int, is_state_key: Callable[[str], bool]) -> bool:
    """``acronym_chapter`` (see module doc); an acronym that is itself a state's
    ("CDMX-Querétaro") makes a route, not a chapter."""
    if text[start - 1 : start] != "-":
        return False
    m = _ACRONYM_HYPHEN.search(text, max(0, start - 10), start)
    return m is not None and not is_state_key(fold(m.group(1)))


def local_name_reason(
    text: str,
    start: int,
    end: int,
    hero_state: bool,
    place_names: Callable[[], list[tuple[str, ...]]],
    is_state_key: Callable[[str], bool],
) -> str:
    """The first of this module's rules that holds for the name at ``start:end`` (the drop
    reason ``pins`` records), or "". ``hero_state``: the name reads as a hero-named state;
    ``place_names()``: the full names of each place it may be, when it reads as no state
    (asked only when " de" follows the name)."""
    if venue_head_name(text, start):
        return "venue"
    if club_name(text, start):
        return "team name"
    if association_name(text, start) or acronym_chapter(text, start, is_state_key):
        return "organization name"
    if hero_state and municipal_office_of(text, start):
        return MUNICIPALITY
    if hero_state and hero_de_tail(text, start):
        return "longer name"
    if text[end : end + 4] not in (" de ", " del"):
        return ""
    names = place_names()
    surface = text[start:end]
    if names and all(other_tail_town(text, end, surface, n) for n in names):
        return "another town (other name tail)"
    return ""


MUNICIPALITY = "municipality named like a state"


_VILLAGE_BEFORE = re.compile(
    r"(?i:\b(?:poblado|comunidad|localidad|rancher[ií]a|congregaci[oó]n|caser[ií]o|ranchos?"
    r"|village|hamlet|community)\s+(?:de\s+|del\s+|of\s+)?)$"
)


def village_word_before(text: str, start: int) -> bool:
    """``village_of_other_state``: a village word right before the name."""
    return _VILLAGE_BEFORE.search(text, max(0, start - 20), start) is not None
