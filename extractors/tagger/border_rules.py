"""Issue 14, sixth round (English border news): predicates for place and group names.

Each predicate is cheap and is asked only near its own cue (the callers gate on a key or a
word first).

* ``border_twin`` — an ambiguous Mexican place name ("Juárez", "Matamoros", "Camargo") left
  unpinned by the state names of its sentence and paragraph is the twin of a US border city it
  is coordinated with ("Brownsville and Matamoros", "El Paso-Juárez", "Brownsville, Texas, and
  Matamoros, Mexico") or that its sentence says it lies across from or is linked to ("the city
  across from El Paso", "El Paso's sister city", "the bridge linking Matamoros to
  Brownsville"): "El Paso" →
  Chihuahua, "Brownsville" → Tamaulipas (:func:`twin_places`). A name merely in the same text
  as the US city ("crossed into El Paso from Juarez") stays unpinned.
* ``dog_breed`` — "adopt a Chihuahua", "the Chihuahua is the smallest dog breed": the state's
  name as the dog breed, when the sentence or the one before it speaks of dogs and the name is
  not attached to a place word ("in Chihuahua", "Chihuahua, Mexico", "Chihuahua state").
* ``street_in_place`` — "on a Culiacán street", "a Juárez road": after an indefinite article a
  lower-case street word makes the name the place the street is in, not the street's name (the
  venue rule still reads "on Durango street" as a street named Durango).
* ``team_nickname`` — "Chivas Guadalajara", "Rayados Monterrey", "Xolos Tijuana": a club's
  nickname right before a city name is the team, not the city.
* ``la_familia`` — "La Familia" (both words capitalised, no third capitalised word) in a text
  about crime is La Familia Michoacana's short name.
* ``article_dropped`` — "Gente Nueva and Linea", "los Chapitos y Mayos": a capitalised word
  coordinated with a group's name is the group whose one-word name after its article it is
  ("La Línea", "Los Mayos").
* ``lowercase_cartel`` — "the gulf cartel", "sinaloa cartel members", "el cártel de sinaloa":
  a group's "X Cartel" / "Cártel de X" name written all in lower case (informal copy) is still
  the group; other names keep their capital letter.
* ``rojos_of_the_gulf`` — "the Metros and the Rojos": Los Rojos in a text about the Gulf
  Cartel's factions or Tamaulipas (and not about Guerrero) are the Gulf Cartel's faction.
"""

from __future__ import annotations

import re
from collections.abc import Collection

# US border city -> its Mexican twin city's place id (case-sensitive, whole words)
_TWINS: dict[str, str] = {
    "El Paso": "ciudad-juarez-chih",
    "Presidio": "ojinaga-chih",
    "Brownsville": "matamoros-tamps",
    "McAllen": "reynosa-tamps",
    "Pharr": "reynosa-tamps",
    "Laredo": "nuevo-laredo-tamps",
    "Rio Grande City": "camargo-tamps",
    "Eagle Pass": "piedras-negras-coah",
    "Del Rio": "ciudad-acuna-coah",
    "Calexico": "mexicali-bc",
    "San Diego": "tijuana-bc",
    "San Ysidro": "tijuana-bc",
    "Yuma": "san-luis-rio-colorado-son",
}
_TWIN_ALT = "|".join(re.escape(k) for k in _TWINS)
# the Mexican name coordinated with the US city ("Brownsville and Matamoros", "El Paso-Juárez",
# "between Juárez and El Paso") ...
_US_STATE = r"(?:\s*,\s*(?:Texas|Tex\.|California|Calif\.|Arizona|Ariz\.))?"
_CONJ = r"\s*,?\s*(?:-|–|/|\band\b|\by\b|&)\s*"
_TWIN_AFTER = re.compile(r"(?:\s*,\s*(?:Mexico|México))?" + _CONJ + r"(" + _TWIN_ALT + r")\b")
_TWIN_BEFORE = re.compile(r"(?<!Nuevo )\b(" + _TWIN_ALT + r")" + _US_STATE + _CONJ + r"$")
# ... or said to lie across from it ("the city across from El Paso", "El Paso's sister city",
# "the bridge linking Matamoros to Brownsville")
_TWIN_ACROSS = re.compile(
    r"(?i:\bacross\s+(?:the\s+(?:border|river|Rio Grande)\s+)?from|\bfrente\s+a"
    r"|\b(?:link(?:s|ing|ed)?|connect(?:s|ing|ed)?|unen?|conectan?)\s+"
    r"[A-ZÁÉÍÓÚÑ][\w]+(?:\s+[A-ZÁÉÍÓÚÑ][\w]+)?\s+(?:to|with|and|con|y))\s+("
    + _TWIN_ALT
    + r")\b|\b("
    + _TWIN_ALT
    + r")(?:'s|’s)\s+(?:sister|twin)\s+city"
)


def twin_places(doc: str, start: int, end: int, sentence: str) -> frozenset[str]:
    """``border_twin``: the Mexican twin cities (place ids) of the US border cities that the
    name at ``start``..``end`` is coordinated with, or that its ``sentence`` says it lies
    across from (see module doc)."""
    found = []
    m = _TWIN_AFTER.match(doc, end)
    if m:
        found.append(m.group(1))
    b = _TWIN_BEFORE.search(doc, max(0, start - 40), start)
    if b:
        found.append(b.group(1))
    for a in _TWIN_ACROSS.finditer(sentence):
        found.append(a.group(1) or a.group(2))
    return frozenset(_TWINS[k] for k in found)


_DOG_CUE = re.compile(
    r"(?i:\b(?:dogs?|pupp(?:y|ies)|breeds?|pets?|canines?|terriers?|leash|barks?|barking"
    r"|perros?|perrit[oa]s?|cachorr[oa]s?|mascotas?|raza)\b)"
)
_PLACE_BEFORE = re.compile(
    r"(?i:\b(?:in|from|of|near|to|en|de|desde|state|estado|ciudad|city)\s+)$"
)
_PLACE_AFTER = re.compile(r"(?i:\s*,\s*(?:Mexico|México|Mex\.)|\s+(?:state|City|capital)\b)")


def dog_breed(doc: str, start: int, end: int, window: str) -> bool:
    """``dog_breed``: the name (Chihuahua) is the dog breed (see module doc); ``window`` is the
    sentence around the name and the one before it."""
    if _PLACE_BEFORE.search(doc, max(0, start - 12), start):
        return False
    if _PLACE_AFTER.match(doc, end):
        return False
    return _DOG_CUE.search(window) is not None


_INDEFINITE = frozenset(["a", "an", "another", "one"])


def street_in_place(prev_word: str, next_word: str) -> bool:
    """``street_in_place``: "a Culiacán street" — an indefinite article before the name and a
    lower-case street word after it (``prev_word`` folded, ``next_word`` as written)."""
    return prev_word in _INDEFINITE and next_word[:1].islower()


# club nicknames written right before the city in English sports copy (common words and
# surnames such as Santos, Leones or Toros are left out: the rule's cue words stay rare)
TEAM_NICKNAMES = frozenset(
    [
        "chivas",
        "rayados",
        "tigres",
        "xolos",
        "pumas",
        "tuzos",
        "rojinegros",
        "dorados",
        "venados",
        "cimarrones",
        "correcaminos",
        "jaibas",
        "sultanes",
        "naranjeros",
        "tomateros",
        "algodoneros",
        "charros",
        "yaquis",
        "caneros",
        "acereros",
        "saraperos",
        "tecolotes",
        "pericos",
        "alacranes",
        "freseros",
    ]
)
# nicknames that name nothing but a club: no sports word needed in the sentence
_CLUB_ONLY = frozenset(["chivas", "rayados", "xolos", "tuzos", "rojinegros"])


def team_nickname(prev_folded: str, sports_sentence: bool) -> bool:
    """``team_nickname``: the capitalised word right before the city (``prev_folded``) is a
    club's nickname, and the sentence is about sport (or the nickname names only a club)."""
    return prev_folded in TEAM_NICKNAMES and (sports_sentence or prev_folded in _CLUB_ONLY)


_LA_FAMILIA = re.compile(r"\bLa Familia\b(?!\s+[A-ZÁÉÍÓÚÑ])(?!-)")
_CRIME_CUE = re.compile(
    r"(?i:cartel|cártel|narco|drug|droga|crimin|gang|pandill|traffick|tráfico|trafico|extors"
    r"|kidnap|secuestr|sicari|homicid|murder|asesin|michoac)"
)


def la_familia(doc: str) -> list[tuple[int, int]]:
    """``la_familia``: offsets of "La Familia" used as La Familia Michoacana's short name (see
    module doc); none when the text has no crime word."""
    if "La Familia" not in doc:
        return []
    hits = [(m.start(), m.end()) for m in _LA_FAMILIA.finditer(doc)]
    if not hits or _CRIME_CUE.search(doc) is None:
        return []
    return hits


_ARTICLES = ("los ", "las ", "la ", "el ", "the ")
_COORD_AFTER = re.compile(r"\s*(?:,|\band\b|\by\b|\be\b|&|\bor\b|\bo\b)\s*([A-ZÁÉÍÓÚÑ][\w]+)\b")
_COORD_BEFORE = re.compile(r"\b([A-ZÁÉÍÓÚÑ][\w]+)\s*(?:,|\band\b|\by\b|\be\b|&|\bor\b|\bo\b)\s*$")


def one_word_names(names: dict[str, str]) -> dict[str, str]:
    """``article_dropped``: the one word after the article of each group name (folded name ->
    group id): "la linea" -> "linea"; names without an article, or longer, are left out."""
    out: dict[str, str] = {}
    for name, gid in names.items():
        for art in _ARTICLES:
            if name.startswith(art):
                rest = name[len(art) :]
                if rest and " " not in rest:
                    out.setdefault(rest, gid)
    return out


def article_dropped(doc: str, start: int, end: int) -> list[tuple[int, int, str]]:
    """``article_dropped``: the capitalised words coordinated right after or right before a
    group's name at ``start``..``end``: (start, end, word) of each."""
    out: list[tuple[int, int, str]] = []
    m = _COORD_AFTER.match(doc, end)
    if m:
        out.append((m.start(1), m.end(1), m.group(1)))
    b = _COORD_BEFORE.search(doc, max(0, start - 40), start)
    if b:
        out.append((b.start(1), b.end(1), b.group(1)))
    return out


_GULF_IDS = frozenset(["gulf-cartel", "los-metros", "los-ciclones", "los-escorpiones", "cdn"])
_GUERRERO_IDS = frozenset(["los-ardillos", "guerreros-unidos", "los-tlacos", "cida"])


def rojos_of_the_gulf(group_ids: Collection[str], state_ids: Collection[str]) -> bool:
    """``rojos_of_the_gulf``: the text's groups or states place Los Rojos in the Gulf Cartel's
    world (its factions, Tamaulipas) and nothing places them in Guerrero's."""
    if "guerrero" in state_ids or any(g in _GUERRERO_IDS for g in group_ids):
        return False
    return "tamaulipas" in state_ids or any(g in _GULF_IDS for g in group_ids)


_LOW = r"[a-záéíóúñ]+(?: [a-záéíóúñ]+){0,2}"
_LOWER_CARTEL = re.compile(rf"{_LOW} cartel|c[aá]rtel (?:de |del )?{_LOW}")


def lowercase_cartel(surface: str) -> bool:
    """``lowercase_cartel``: the matched group name is an all-lower-case "X Cartel" name."""
    return _LOWER_CARTEL.fullmatch(surface) is not None


_PLACE_NEXT = re.compile(r"\s+[A-ZÁÉÍÓÚÑ]")


def quoted_of_place(doc: str, end: int) -> bool:
    """``quoted_faction_forms``: a '"X" of' / '"X" de' form (ending at ``end``) is a group only
    before a capitalised place name ('“Metros’ of Reynosa', not '“Scorpions” of the league')."""
    return _PLACE_NEXT.match(doc, end) is not None
