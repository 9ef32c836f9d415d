"""Issue 14 rules for state and place names that are not places: predicates over the text
around a name (``text`` = the document, ``start``/``end`` = the name's offsets).

* ``in_group_name`` — the name is part of a cartel's name: capitalised words and an optional
  acronym then "Cartel/cártel(es)" ("Jalisco Next Generation Cartel", "Sinaloa and Jalisco
  Nueva Generación (CJNG) cartels"), or an element of a Spanish list after "cárteles de"
  ("los cárteles de Sinaloa y de Jalisco"), or after "como los de" / "such as" in a clause
  that began with "cárteles"/"cartels" (``cartels_such_as``: "los cárteles de las drogas, como
  los de Sinaloa, del Golfo y Jalisco");
* ``in_venue_list`` — an element of a list of streets, avenues or neighbourhoods ("en las calles
  Durango y Oaxaca", "colonias Reforma y Jalisco", "the corner of Sonora and Amsterdam
  streets"), or the end of an intersection ("en el cruce de Sonora y Amsterdam"; "entre X y Y"
  when the sentence speaks of streets);
* ``in_org_name`` — the name ends the name of a newspaper, business, association, union, league
  festival or orchestra ("El Sol de Sinaloa", "Grupo Cementos de Chihuahua", "Asociación Ganadera de
  Sonora", "Bank of Tabasco"); state agencies ("Fiscalía de Sonora") still name the state;
* ``in_team_name`` — "los Dorados de Sinaloa", "los Gallos Blancos de Querétaro", "the Xolos
  de Tijuana": an article, one or two capitalised plural words, then "de/del" + the name is a
  team (or a group) name, not the place; plural heads that name people or institutions of the
  place ("las Policías de Sonora") are excluded;
* ``org_name_list`` — a state in a list that continues an organization's name ("Asociación de
  Municipios de Sonora, Sinaloa y Chihuahua", "the Bank of Sonora and Sinaloa"): each element
  of the list is part of the name (``in_org_name`` for the first one);
* ``us_crossing_name`` — the name of a US port of entry or Border Patrol unit named like a state
  ("the Hidalgo port of entry", "Hidalgo Station agents", "el puerto de entrada de Hidalgo"):
  Hidalgo, Texas, not the state;
* ``municipality_named_like_state`` — a state named after a hero (Morelos, Guerrero, Hidalgo)
  right after "municipio de", "municipality of", "town of", "poblado de", "localidad de", or
  before "municipality": one of the many municipalities of that name, not the state ("en el
  municipio de Morelos, en Chihuahua", "the town of Guerrero, Coahuila");
* ``town_of_other_state`` — a state name directly followed by ", <another state>" that ends the
  phrase ("Hidalgo, Nuevo León."): a municipality of that other state; and a state name inside
  a list whose neighbours are places of one other state ("municipios como Camargo, Guerrero,
  Díaz Ordaz" in Tamaulipas).
* ``municipality_list`` — hero-named state names (Morelos, Guerrero, Hidalgo) in a list after
  a plural "municipios de", "municipalities of", "towns of" ("en los municipios de Hidalgo,
  Guerrero y Piedras Negras", "the towns of Hidalgo and Guerrero"): towns, when every other
  element is a hero name or a place that is not a state (so "los municipios de Guerrero y
  Michoacán", the states' municipalities, keep both states);
* ``venue_name_tail`` — a state name ending a neighbourhood's or street's name made of one or
  two capitalised plural words after the venue word ("colonia Jardines de Morelos",
  "fraccionamiento Villas de Jalisco", "calle Mártires de Sinaloa");
* ``collective_name`` — a state name ending the name of a named collective, club or search
  group ("el colectivo Guerreros Buscadores de Jalisco", "the collective Madres Buscadoras
  de Sonora"), or two capitalised plural words + "de" with no article ("Madres Buscadoras de
  Sonora"; the plural heads of ``in_team_name``'s exclusions still name the state);
* ``outlet_name`` — a state name followed by a news-outlet word ("Quintana Roo Ahora", "Sonora
  Hoy", "Guerrero al Instante", "Sinaloa Noticias", "Tabasco News"): a newspaper or portal.
* ``natural_region_name`` — a state name naming a landform that reaches beyond the state:
  after "península de", "desierto de", "peninsula of", "desert of", or before "Peninsula" /
  "Desert" ("la Península de Yucatán", "el desierto de Sonora", "the Sonora Desert in
  Arizona", "the Baja California peninsula"): the peninsula or desert, not the state; and
  (``sea_area``, issue 14 sixth round) a sea area after "Bay of", "Bahía de", "Sonda de"
  ("a storm in the Bay of Campeche", "plataformas de la Sonda de Campeche"), like the Gulf of
  Mexico;
* ``road_toward`` — a state or city name as the destination that names a road: after
  "carretera (libre|federal|de cuota)? a/hacia", "autopista a", "salida a", "libramiento a",
  "highway to" ("la carretera libre a Mazatlán", "avenida López Portillo, salida a Mérida",
  "the highway to Monterrey"; road_between: "la carretera Manzanillo a Cihuatlán"): the road's
  name, not the place (GUIDE: highway names).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Collection

from extractors.tagger.base import name_before_de

_CAP = r"[A-ZÁÉÍÓÚÑ][\w'’.-]*"
_ACR = r"(?:\s*\([A-Z]{2,6}\))?"
_CARTEL_AFTER = re.compile(
    rf"(?:\s+{_CAP}){{0,3}}{_ACR}(?:\s*(?:,|and|y|&)\s+{_CAP}(?:\s+{_CAP}){{0,3}}{_ACR}){{0,3}}"
    r"\s+(?i:(?:drug[\s-]+(?:trafficking[\s-]+)?)?c[aá]rtel(?:e?s)?)\b"
)
_CARTELES_BEFORE = re.compile(
    rf"(?i:c[aá]rteles|cartels)\s+(?:(?:de|del|de los|of)\s+)?"
    rf"(?:{_CAP}(?:\s+{_CAP})*{_ACR}\s*(?:,|y|e|and)\s+(?:(?:de|del|de los)\s+)?){{0,3}}$"
)
_VENUE_WORDS = (
    r"calles?|avenidas?|avs?\.|colonias?|fraccionamientos?|barrios?|bulevares|boulevards?"
    r"|streets?|avenues?|esquina(?:\s+(?:de|con))?|cruce\s+(?:de|entre)|cruzamiento\s+de"
    r"|intersecci[oó]n\s+de|corner\s+of|intersection\s+of"
)
# a list element: a capitalised name or a numbered street ("la calle 300 y Jalisco")
_VENUE_ELEM = rf"(?:{_CAP}(?:\s+{_CAP}){{0,3}}|\d{{1,4}}(?:\s+{_CAP})?)"
_VENUE_LIST_BEFORE = re.compile(
    rf"(?i:\b(?:{_VENUE_WORDS}))\s+(?:{_VENUE_ELEM}\s*(?:,|y|e|and|&|con)\s+){{0,5}}$"
)
_STREETS_AFTER = re.compile(
    r"\s+(?:y|and|&)\s+" + _CAP + r"(?:\s+" + _CAP + r")*\s+(?i:streets|avenues|calles)\b"
)
_ENTRE_BEFORE = re.compile(rf"(?i:\bentre|\bbetween)\s+(?:{_CAP}\s+(?:y|and)\s+)?$")
_STREET_CUE = re.compile(
    r"(?i:\b(?:calles?|avenidas?|esquina|cruce|street|avenue|boulevard|bulevar|colonia)\b)"
)


_ORG_HEADS = (
    "Sol|Diario|Periódico|Periodico|Noticias|Heraldo|Informador|Imparcial|Mañana|Cervecería"
    "|Cerveceria|Banco|Grupo|Asociación|Asociacion|Federación|Federacion|Confederación"
    "|Confederacion|Unión|Union|Sindicato|Fundación|Fundacion|Liga|Festival|Bank|Association"
    "|Federation|Foundation|League|Newspaper|Universidad|University|Colegio|College"
    # orchestra_name: "la Orquesta Sinfónica de Guadalajara", "the Philharmonic of Jalisco"
    "|Orquesta|Filarmónica|Filarmonica|Orchestra|Philharmonic|Symphony"
)
_ORG_BEFORE = re.compile(
    rf"\b(?:{_ORG_HEADS})(?:\s+(?:{_CAP}|de|del|la|las|los|y|of|the|and)){{0,5}}?\s+(?:de|del|of)\s+$"
)


_NOT_TEAM = frozenset(
    [
        "Policías",
        "Policias",
        "Fuerzas",
        "Fiscalías",
        "Fiscalias",
        "Secretarías",
        "Secretarias",
        "Autoridades",
        "Corporaciones",
        "Instituciones",
        "Estados",
        "Municipios",
        "Ciudades",
        "Comunidades",
        "Regiones",
        "Zonas",
        "Sierras",
        "Costas",
        "Aguas",
        "Tierras",
        "Montañas",
        "Universidades",
        "Escuelas",
        "Gobiernos",
        "Congresos",
        "Diputados",
        "Senadores",
        "Alcaldes",
        "Gobernadores",
        "Presidentes",
        "Habitantes",
        "Pobladores",
        "Vecinos",
        "Familias",
        "Mexicanos",
        "Altos",
        "Valles",
        "Fronteras",
        "Carreteras",
        "Calles",
        "Colonias",
        "Avenidas",
        "Playas",
        "Islas",
    ]
)
_TEAM_BEFORE = re.compile(
    r"(?:^|\b)(?:los|las|Los|Las|the|The)\s+(?P<head>[A-ZÁÉÍÓÚÑ][a-záéíóúñ]+s)"
    r"(?:\s+[A-ZÁÉÍÓÚÑ][a-záéíóúñ]+s)?\s+(?:de|del)\s+$"
)


def in_team_name(text: str, start: int) -> bool:
    """The name ends a team's (or gang's) plural name (see module doc)."""
    tail = text[max(0, start - 5) : start]
    if not tail.endswith(("de ", "del ")):
        return False
    m = _TEAM_BEFORE.search(text, max(0, start - 45), start)
    return m is not None and m.group("head") not in _NOT_TEAM


def in_org_name(text: str, start: int) -> bool:
    """The name ends an organization's name (see module doc)."""
    tail = text[max(0, start - 5) : start]
    if not tail.endswith(("de ", "del ", "of ")):
        return False
    return _ORG_BEFORE.search(text, max(0, start - 90), start) is not None


_ORG_LIST_BEFORE = re.compile(
    rf"\b(?:{_ORG_HEADS})(?:\s+(?:{_CAP}|de|del|la|las|los|y|of|the|and)){{0,5}}?\s+(?:de|del|of)\s+"
    rf"(?:{_CAP}(?:\s+{_CAP}){{0,2}}\s*(?:,|\by|\be|\band)\s+){{1,5}}$"
)
_LIST_TAIL = re.compile(r"(?:,|\sy|\se|\sand)\s+$")


def org_name_list(text: str, start: int) -> bool:
    """``org_name_list``: the name is a later element of a list that ends an organization's
    name (see module doc)."""
    if not _LIST_TAIL.search(text, max(0, start - 6), start):
        return False
    return _ORG_LIST_BEFORE.search(text, max(0, start - 150), start) is not None


_CROSSING_AFTER = re.compile(
    r"\s+(?:(?i:port\s+of\s+entry|ports?\b|international\s+bridge|bridge\b|crossing\b)"
    r"|(?:Station|Sector)\b)"
)
_CROSSING_BEFORE = re.compile(
    r"(?i:puertos?\s+de\s+entrada\s+(?:de|en)|estaci[oó]n\s+de\s+la\s+patrulla\s+fronteriza"
    r"\s+(?:de|en))\s+$"
)


def us_crossing_name(text: str, start: int, end: int) -> bool:
    """``us_crossing_name``: the name names a US port of entry or Border Patrol station or
    sector (see module doc)."""
    if _CROSSING_AFTER.match(text, end):
        return True
    return _CROSSING_BEFORE.search(text, max(0, start - 60), start) is not None


_MUNICIPALITY_BEFORE = re.compile(
    r"(?i:\bmunicipio(?:\s+[a-záéíóúñ]+){0,2}?\s+(?:de|del)|\bmunicipality\s+of|\btown\s+of|\bpoblado\s+de"
    r"|\blocalidad\s+de|\bcabecera\s+municipal\s+de|\bvilla\s+de)\s+$"
)
_MUNICIPALITY_AFTER = re.compile(r"\s+(?i:municipality|municipio)\b")


def municipality_named_like_state(text: str, start: int, end: int) -> bool:
    """``municipality_named_like_state``: the (hero) state name names a municipality (see
    module doc); the caller asks only for state names in ``HERO_SURNAMES``."""
    if _MUNICIPALITY_AFTER.match(text, end):
        return True
    return _MUNICIPALITY_BEFORE.search(text, max(0, start - 40), start) is not None


# ``cartels_such_as``: "los cárteles de las drogas, como los de Sinaloa, del Golfo y Jalisco",
# "cartels such as those of Sinaloa and Jalisco": a list after "como los de" / "such as those
# of" in a clause that began with "cárteles"/"cartels"
_CARTELES_LIKE_BEFORE = re.compile(
    rf"(?i:c[aá]rteles|cartels)\b[^.;]{{0,80}}?(?i:\bcomo\s+(?:los|el)\s+(?:de|del)"
    rf"|\b(?:such\s+as|like)\s+those\s+of)\s*"
    rf"(?:{_CAP}(?:\s+{_CAP})*{_ACR}\s*(?:,|y|e|and)\s+(?:(?:de|del|de los|the)\s+)?){{0,3}}$"
)


def in_group_name(text: str, start: int, end: int) -> bool:
    """The name is part of a cartel's name (see module doc)."""
    if _CARTEL_AFTER.match(text, end):
        return True
    if _CARTELES_BEFORE.search(text, max(0, start - 120), start) is not None:
        return True
    return _CARTELES_LIKE_BEFORE.search(text, max(0, start - 200), start) is not None


def in_venue_list(text: str, start: int, end: int, sentence: Callable[[int], str]) -> bool:
    """The name is a street, avenue or neighbourhood in a list or intersection.
    ``sentence(pos)`` gives the sentence around a position (asked only for "entre")."""
    if _VENUE_LIST_BEFORE.search(text, max(0, start - 120), start):
        return True
    if _STREETS_AFTER.match(text, end):
        return True
    return bool(
        _ENTRE_BEFORE.search(text, max(0, start - 60), start)
        and _STREET_CUE.search(sentence(start))
    )


_LIST_SEP = re.compile(r"\s*(?:,|\by\b|\band\b)\s*$")


def town_of_other_state(
    text: str,
    end: int,
    next_state_at: int | None,
    next_state_end: int | None,
    state_starts: Collection[int] = (),
) -> bool:
    """``X, <other state>`` closing the phrase: X is a town of the other state. The caller
    gives the next state's offsets when a state name follows X after ", ", and the start
    offsets of all state names (a list of states goes on only when another state follows)."""
    if next_state_at is None or next_state_end is None:
        return False
    if not re.fullmatch(r",\s*", text[end:next_state_at]):
        return False
    # a list of states goes on ("Sonora, Chihuahua y el propio Durango", "Sonora, Chihuahua,
    # Durango"); a comma goes on a list only before another state: "Hidalgo, Nuevo León, cerca
    # de ..." and "HIDALGO, Coah., (apro)" do not
    tail = text[next_state_end : next_state_end + 6]
    if re.match(r"\s*(?:y\b|e\b|and\b|&)", tail):
        return False
    m = re.match(r"\.?\s*,\s*(?:(?:y|e|and|&)\s+)?", text[next_state_end : next_state_end + 12])
    return m is None or next_state_end + m.end() not in state_starts


_ELEM = rf"{_CAP}(?:\s+{_CAP}){{0,3}}{_ACR}"
_COORD_EN = re.compile(
    rf"(?P<list>{_ELEM}(?:\s*,\s*{_ELEM})*\s*,?\s+(?:and|&)\s+{_ELEM})\s+(?i:(?:drug[\s-]+(?:trafficking[\s-]+)?)?cartels)\b"
)
_DE = r"(?:(?:de|del|de los)\s+)"
_COORD_ES = re.compile(
    rf"(?i:c[aá]rteles)\s+(?P<list>{_DE}?{_ELEM}(?:\s*,\s*{_DE}?{_ELEM})*"
    rf"\s+(?:y|e)\s+{_DE}?{_ELEM})"
)
_SPLIT = re.compile(r"\s*(?:,|\band\b|&|\by\b|\be\b)\s*")


def coordinated_cartels(text: str) -> list[tuple[int, int, str]]:
    """``coordinated_cartels``: the names in "the Sinaloa and Gulf cartels", "los cárteles del
    Pacífico y de los Carrillo Fuentes": (start, end, name) of each element, acronym dropped."""
    out: list[tuple[int, int, str]] = []
    for rx in (_COORD_EN, _COORD_ES):
        for m in rx.finditer(text):
            base = m.start("list")
            pos = 0
            for part in _SPLIT.split(m.group("list")):
                name = re.sub(r"^(?:de los|del|de|the|The|los|Los|el|El)\s+", "", part.strip())
                name = re.sub(r"\s*\([A-Z]{2,6}\)$", "", name)
                if not name:
                    continue
                i = m.group("list").find(name, pos)
                pos = i + len(name)
                out.append((base + i, base + pos, name))
    return out


_MUNICIPALITY_LIST_BEFORE = re.compile(
    rf"(?i:\bmunicipios|\bmunicipalities|\btowns|\bpoblados|\blocalidades)\s+(?i:de|of)\s+"
    rf"(?P<list>(?:{_CAP}(?:\s+{_CAP}){{0,2}}\s*(?:,|\by|\be|\band)\s+){{0,5}})$"
)
_LIST_AFTER = re.compile(rf"(?:\s*(?:,|\by\b|\be\b|\band\b)\s+{_CAP}(?:\s+{_CAP}){{0,2}}){{1,5}}")
_ELEM_SPLIT = re.compile(r"\s*(?:,|\by\b|\be\b|\band\b)\s*")


def municipality_list(
    text: str,
    start: int,
    end: int,
    is_state: Callable[[str], bool],
    is_hero: Callable[[str], bool],
    state_starts: Collection[int],
) -> bool:
    """``municipality_list``: the (hero) state name is an element of a list of two or more
    after a plural municipality word (see module doc). Every other element is a hero name or
    not a state; after "municipios"/"municipalities" (which can mean a state's municipalities)
    the list must also hold a place that is not a state, or be followed by another state
    ("municipios de Morelos y Guerrero, Chihuahua")."""
    m = _MUNICIPALITY_LIST_BEFORE.search(text, max(0, start - 90), start)
    if m is None:
        return False
    a = _LIST_AFTER.match(text, end)
    after = a.end() if a is not None else end
    rest = [e for e in _ELEM_SPLIT.split(m.group("list")) if e]
    if a is not None:
        tail = [e for e in _ELEM_SPLIT.split(a.group()) if e]
        # "…, Guerrero, Chihuahua": a last element after a comma that is another state (not a
        # hero name) closes the list as the towns' state
        last = a.group().rfind(",")
        if (
            tail
            and last >= 0
            and is_state(tail[-1])
            and not is_hero(tail[-1])
            and a.group()[last + 1 :].strip() == tail[-1]
        ):
            tail.pop()
            after = end + last
        rest += tail
    if not rest or not all(is_hero(e) or not is_state(e) for e in rest):
        return False
    if not m.group(0).lower().startswith("municip"):
        return True
    if any(not is_state(e) for e in rest):
        return True
    t = re.match(r",\s*|\s+(?:en|in)\s+(?:(?:el\s+)?estado\s+de\s+)?", text[after : after + 30])
    return t is not None and after + t.end() in state_starts


_VENUE_NAME_BEFORE = re.compile(
    r"(?i:\b(?:colonias?|fraccionamientos?|fracc\.|calles?|avenidas?|barrios?|bulevar|privada"
    r"|residencial|unidad habitacional))\s+[A-ZÁÉÍÓÚÑ][a-záéíóúñ]+s(?:\s+[A-ZÁÉÍÓÚÑ][a-záéíóúñ]+s)?"
    r"\s+(?:de|del)\s+$"
)


def venue_name_tail(text: str, start: int) -> bool:
    """``venue_name_tail``: "colonia Jardines de Morelos" (see module doc)."""
    return name_before_de(text, start, _VENUE_NAME_BEFORE, 60)


_ARTICLES = frozenset(["Los", "Las", "Les", "The", "Unos", "Unas", "Sus", "Nuestros", "Nuestras"])
_COLLECTIVE_BEFORE = re.compile(
    rf"(?i:\bcolectivos?|\bcollective|\bagrupaci[oó]n|\bclub)\s+(?:{_CAP}\s+){{1,4}}(?:de|del)\s+$"
)
_TWO_PLURALS_BEFORE = re.compile(
    r"(?<![\w.])(?P<head>[A-ZÁÉÍÓÚÑ][a-záéíóúñ]+s)\s+(?P<second>[A-ZÁÉÍÓÚÑ][a-záéíóúñ]+s)"
    r"\s+(?:de|del)\s+$"
)


def collective_name(text: str, start: int) -> bool:
    """``collective_name``: "el colectivo Guerreros Buscadores de Jalisco", "Madres Buscadoras
    de Sonora" (see module doc)."""
    if not text[max(0, start - 5) : start].endswith(("de ", "del ")):
        return False
    if _COLLECTIVE_BEFORE.search(text, max(0, start - 70), start):
        return True
    m = _TWO_PLURALS_BEFORE.search(text, max(0, start - 45), start)
    return (
        m is not None
        and m.group("head") not in _ARTICLES
        and m.group("head") not in _NOT_TEAM
        and m.group("second") not in _NOT_TEAM
    )


_OUTLET_AFTER = re.compile(
    r" (?:Ahora|Hoy|Noticias|Informa|Digital|Press|News|Today|Times|Post|Online|Express"
    r"|TV|Televisión|Television|(?:al|Al) Instante|(?:en|En) Línea|(?:en|En) Linea)\b"
)


def outlet_name(text: str, end: int) -> bool:
    """``outlet_name``: "Quintana Roo Ahora", "Guerrero al Instante" (see module doc)."""
    return _OUTLET_AFTER.match(text, end) is not None


_LANDFORM_BEFORE = re.compile(
    r"(?i:\bpen[ií]nsula|\bdesierto|\bpeninsula|\bdesert|\bbay|\bbah[ií]a|\bsonda)\s+(?:de|del|of)\s+"
    r"(?:la\s+|the\s+)?$"
)
_LANDFORM_AFTER = re.compile(r"\s+(?i:peninsula|pen[ií]nsula|desert)\b")


def natural_region_name(text: str, start: int, end: int) -> bool:
    """``natural_region_name``: "la Península de Yucatán", "the Sonora Desert" (see module
    doc)."""
    if _LANDFORM_BEFORE.search(text, max(0, start - 30), start):
        return True
    return _LANDFORM_AFTER.match(text, end) is not None


_ROAD_TOWARD_BEFORE = re.compile(
    r"(?i:\b(?:super)?carretera|\bautopista|\blibramiento|\bsalida|\bhighway|\bfreeway)"
    r"(?:\s+(?:libre|federal|estatal|de\s+cuota|vieja|nueva|costera))?"
    # road_between: the origin named too ("la carretera Manzanillo a Cihuatlán")
    r"(?:\s+[A-ZÁÉÍÓÚÑ][\w'’.-]*(?:\s+(?:de\s+)?[A-ZÁÉÍÓÚÑ][\w'’.-]*)?)?"
    r"\s+(?:a|hacia|to)\s+$"
)


def road_toward(text: str, start: int) -> bool:
    """``road_toward``: "la carretera libre a Mazatlán", "salida a Mérida" (see module doc)."""
    return _ROAD_TOWARD_BEFORE.search(text, max(0, start - 40), start) is not None
