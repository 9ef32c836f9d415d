"""Tag Mexican states (directly or through a place), officials and criminal groups in a text.

One Aho-Corasick automaton over folded aliases (case- and accent-insensitive) is built once per
watchlist; ``Tagger.tag`` runs it once over the folded text, keeps whole-word hits, resolves
overlaps (the longest name wins: "Cártel de Sinaloa" hides "Sinaloa") and then applies general
context rules. The rules, in the order applied:

Match validity
  * whole words only; ``exact_aliases`` must match case-sensitively (accents ignored);
  * in mixed-case text an alias must contain a capital letter ("la paz" / "reforma" / "queso
    cotija" are words, "La Paz" is a name).

States and places (a span dropped by a rule still hides the shorter names inside it)
  * group context: after "cartel/cártel (de|del)" or before "cartel" → part of a group name;
  * venue: right after calle/avenida/av./hotel/club/colonia/estadio ... or right before
    Street/Avenue/Lake/Hotel/FC/Stadium ... → a street, venue or team ("avenida Chihuahua",
    "Hotel Colima", "Club Puebla", "Toluca Lake");
  * United States: followed by a US state name or postal code, with or without a comma
    ("Durango, Colorado", "Laredo TX", "Nogales, Ariz."), or a county ("Hidalgo County",
    "condado de Hidalgo") → not Mexican; a Mexican state abbreviation wins over a US one
    ("Apatzingán, Mich.");
  * abroad: "<name>, <country>" / "<name> (<country>)" ("Mérida, Venezuela"; not in a list of
    regions: "Chiapas, Guatemala y Honduras");
  * one sense per article: a name read as a US / foreign place is that place in all its
    mentions, unless a mention is attached to a Mexican state ("Nogales, Sonora");
  * named after a state: before sauce/cheese/dog ... or after queso/salsa/perro ...
    ("Tabasco sauce", "queso Oaxaca"); after his/her/their ... when no noun follows;
  * person: a single-word name right after a capitalised given name or an initial ("Vicente
    Guerrero", "Miguel Hidalgo", "José María Morelos"), after a title ("el fiscal Guerrero",
    "Sr. Hidalgo"), before a speech verb or ", who/quien/de 45 años" ("Guerrero dijo") → person;
  * "New/Nuevo" + name ("New Mexico State") → not the name;
  * Spanish article: states and towns take none: "el/al/del Puebla", "ante el Toluca" (teams),
    "la Sonora Santanera" (la/los/las + state) → not the place (abbreviations, "Estado de",
    "Ciudad de", crossings and ports excepted);
  * sport: in a sentence about sport, a place right after ante/contra/vs/beat/"ahead of"/
    "vencieron a" ... is the opponent team; "<team noun> de <name>" ("la selección de
    Guerrero", "el equipo de Sonora", "Sultanes de Monterrey") and an elided "y la de Sonora"
    after it are teams;
  * longer toponym: "<Capitalised> de|del <name>" where name is an ambiguous place or a hero's
    surname (Matamoros, Juárez, Hidalgo ...) and the capitalised word is not a generic head
    (Estado, Fiscalía, Costa, Sierra ...) → tail of another place name ("Tlacolula de
    Matamoros");
    In English text any "<Capitalised> de <name>" with a non-generic head is a longer name
    ("Grupo Cementos de Chihuahua");
  * longer proper name: a capitalised word right before the name that is not a sentence start,
    title, compass / institution word, acronym or another place ("Dodge Durango", "Cervecería
    Cuauhtémoc", "Puerto Morelos"); in Spanish, a capitalised word right after a one-word
    name that is not a title, given name, place or the start of a full name ("Guerrero Negro",
    "Sonora Santanera"). Not applied on Title Case / ALL CAPS lines (headlines);
  * route: places joined by hyphens after a route word (carretera, autopista, highway, pipeline,
    gasoducto, tramo ...) or before one ("the Culiacán-Mazatlán highway") are not place
    mentions. When every end of the route is a known place or state and all of them lie in ONE
    state, that state is tagged (via the route name): an event on the "carretera
    Culiacán-Mazatlán" is in Sinaloa; the "autopista México-Querétaro" places nothing.
  * a state name that is also the name of its capital (Chihuahua, Colima, Oaxaca, "Mexico
    City" ...) is the state, unless written as a city ("ciudad de Chihuahua", "Chihuahua City");
  * ambiguous places (``ambiguous: true``) count only when the text pins their state: a
    candidate state named in the same sentence (nearest wins), else in the same paragraph,
    "alcaldía X" (Mexico City), or an unambiguous place of that state named in the article
    whose name contains it. A short form of a place named in full in the article IS that
    place ("Ciudad Juárez" … "Juárez" is Ciudad Juárez, not the municipality entry);
  * derived short names: "Zinapécuaro de Figueroa" → "Zinapécuaro"; "Ciudad Apodaca" →
    "Apodaca", "Ciudad General Escobedo" → "Escobedo" (always ambiguous); crossings "Puente
    (Internacional) X" → "X bridge", "X International Bridge".

Officials (role resolved at the article's date; no date = today)
  * full names and aliases; a bare surname only after the full name (or an alias) appeared
    earlier in the article (title included), or right after a title word of an office the
    person holds at the date ("el gobernador Alfaro", "Governor Abbott"); a surname right after
    another given name ("Juan Alfaro") is someone else;
  * role phrases: "el gobernador de Jalisco", "Jalisco's governor", "the Mexican president",
    "la presidenta" (grammatical gender must fit the holder), "jefa de Gobierno", "secretario de
    la Defensa", "alcalde de Culiacán", "Texas Gov." ... → whoever held that office at the date.
    "ex/former/then/entonces/candidato a" before the title → not resolved. "Mexico's new
    president", "the Mexican leader", "líder mexicano" → the president;
  * bare "el presidente" / "la presidenta" / "la mandataria" (no name, no "de ...", gender must
    fit): Mexico's president when the article is Mexican (Mexico, a Mexican place, Palacio
    Nacional, mañanera ...); when it also speaks of another country's president (Trump, "el
    presidente de Guatemala" ...), and always for English "the president", only if the same
    holder was already named in the article;
  * bare governor ("el gobernador", "la gobernadora del estado", "el mandatario estatal", "the
    governor", "the state's governor"; no name or "de X" after it): the governor already named
    in the article if exactly one; else the governor of the one state (or US state) the article
    names (a state only in the dateline counts when no other does); never when the article
    names a governor the watchlist does not know;
  * a role mention makes the holder's bare surname usable afterwards ("the Mexican leader" …
    "Sheinbaum").

Groups: every alias; a distinctive one-word name without its Spanish article is derived from
the case-insensitive aliases and matched case-sensitively ("the Chapitos", "the Mayiza").

Violence terms: whole words, case-insensitive; a trailing ``*`` in the config allows any ending.

Title: when ``title`` is given it is tagged as if prepended to ``text`` with a newline (its own
paragraph). Offsets of all mentions index ``text``; a mention found in the title has NEGATIVE
offsets: ``title[m.start + len(title) + 1 : m.end + len(title) + 1]`` is its surface.
"""

from __future__ import annotations

import datetime as dt
import re
from bisect import bisect_right
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

import ahocorasick

from extractors.lexicon import (
    AFTER_NOUN_USE,
    COMMON_NOUN_AFTER,
    COMMON_NOUN_BEFORE,
    COMMON_SURNAMES,
    DERIVED_HEAD_STOP,
    FOREIGN_COUNTRIES,
    FOREIGN_PRESIDENT_CUES,
    FOREIGN_TWO_WORD,
    FORMER_WORDS,
    FUNCTION_WORDS,
    GENERIC_HEADS,
    GIVEN_NAMES,
    HERO_SURNAMES,
    NAME_PREFIX_OK,
    NAME_SUFFIX_OK,
    ORDINALS,
    PERSON_TITLES,
    POSSESSIVES_EN,
    ROUTE_AFTER,
    ROUTE_BEFORE,
    SPEECH_BEFORE,
    SPEECH_VERBS,
    SPORTS_CUES,
    SPORTS_OPPONENT_BEFORE,
    SPORTS_OPPONENT_BEFORE2,
    TEAM_HEADS,
    US_JURISDICTION_NAMES,
    US_STATE_CODES,
    US_STATE_WORDS,
    US_TWO_WORD,
    VENUE_AFTER,
    VENUE_BEFORE,
    words,
)
from extractors.tagger.open_officials import (
    TITLE_HEADS,
    TitledPerson,
    find_titled_people,
    same_person,
)
from extractors.tagger.place_rules import (
    coordinated_cartels,
    in_group_name,
    in_venue_list,
    town_of_other_state,
)
from extractors.tagger.variants import acronyms, cartel_forms, lowercase_article
from extractors.textfold import FoldedText, fold
from extractors.watchlist import (
    TAGGER_VERSION,
    Group,
    OfficeTerm,
    Official,
    Place,
    State,
    Watchlist,
)

__all__ = [
    "TAGGER_VERSION",
    "GroupHit",
    "Mention",
    "OfficialHit",
    "OtherOfficial",
    "StateHit",
    "TagResult",
    "Tagger",
    "Watchlist",
]

_MAX_SNIPPET = 400


@dataclass(frozen=True)
class Mention:
    entity_type: str  # state | place | official | group | term
    entity_id: str
    name: str
    surface: str
    start: int
    end: int
    snippet: str
    state_id: str | None = None
    role: str | None = None


@dataclass(frozen=True)
class StateHit:
    id: str
    name: str
    via: tuple[str, ...]
    disputed: bool


@dataclass(frozen=True)
class OfficialHit:
    id: str
    name: str
    role: str | None
    listed: bool = True


@dataclass(frozen=True)
class OtherOfficial:
    """An official the watchlist does not list, named with an office title in the text."""

    name: str
    role: str  # the title as written, with its complement ("alcalde de San Juan")
    kind: str  # the title's role kind: mayor, governor, prosecutor, ...
    start: int  # offsets of the first full mention in ``text`` (negative: in the title)
    end: int

    @property
    def id(self) -> None:
        return None

    @property
    def listed(self) -> bool:
        return False


@dataclass(frozen=True)
class GroupHit:
    id: str
    name: str


@dataclass(frozen=True)
class TagResult:
    mentions: tuple[Mention, ...] = ()
    states: tuple[StateHit, ...] = ()
    officials: tuple[OfficialHit, ...] = ()
    groups: tuple[GroupHit, ...] = ()
    flagged: bool = False
    reasons: tuple[str, ...] = ()
    places: tuple[str, ...] = ()  # place ids, in order of first mention
    terms: tuple[str, ...] = ()
    other_officials: tuple[OtherOfficial, ...] = ()  # unlisted, named with a title

    def to_json(self) -> dict[str, Any]:
        return {
            "states": [{"id": s.id, "name": s.name, "via": list(s.via)} for s in self.states],
            "officials": [
                {"id": o.id, "name": o.name, "role": o.role, "listed": True} for o in self.officials
            ]
            + [
                {"id": None, "name": o.name, "role": o.role, "listed": False}
                for o in self.other_officials
            ],
            "groups": [{"id": g.id, "name": g.name} for g in self.groups],
            "flagged": self.flagged,
            "reasons": list(self.reasons),
        }


# --------------------------------------------------------------------------- internals


@dataclass(frozen=True)
class _Cand:
    kind: str  # state | place | group | official | surname | term
    id: str
    exact: str | None = None  # de-accented alias that must match case-sensitively
    prefix: bool = False  # violence term with a trailing '*'
    is_name: bool = False  # the canonical/surname alias is one word (person-name rules apply)
    amb: bool = False  # a place that needs its state pinned by the text


@dataclass
class _Span:
    fs: int  # folded start/end
    fe: int
    start: int  # offsets into the combined document
    end: int
    key: str
    cands: list[_Cand]
    ents: list[_Cand] = field(default_factory=list)  # surviving candidates
    pinned: dict[str, str] = field(default_factory=dict)  # place id -> state id
    dropped: str = ""


_WORD = re.compile(r"[^\W_]+(?:[.'][^\W_]+)*\.?")
# a sentence end: the punctuation mark, closing quotes/brackets and spaces before a capital or a
# digit, or a newline; the mark itself is not part of the boundary (``_sentences`` skips it).
# (Consuming the mark instead of a look-behind makes the scan ~1.5x faster, same boundaries.)
_SENT_END = re.compile(r"[.!?…][\"'”’»)\]]*\s+(?=[\"'“‘«(¿¡]?[A-ZÁÉÍÓÚÑÜ0-9])|\n\s*")
_ATTACHED = re.compile(
    r"(?:\s+[A-ZÁÉÍÓÚÑ][\w'-]*){0,2}\s*[,(]\s*(?:(?:in|en)\s+)?(?:(?:the|el)\s+)?"
    r"(?:(?:state of|estado de)\s+)?",
    re.IGNORECASE,
)
_EN_WORDS = re.compile(r"\b(?:the|and|of|said|was|were|with|from|that|has)\b")
_ES_WORDS = re.compile(r"\b(?:el|los|las|del|que|por|con|una|fue|dijo|se)\b")
# keys that may follow an article ("el Estado de México", "la CDMX", "el Distrito Federal")
# heads of town names ("Puerto Morelos", "Ciudad Guerrero"): not generic before a name
_LOWER_WORD = re.compile(r"(?<![\w'-])[a-zà-ÿ]{5,}")
_PLACE_HEADS = frozenset({"puerto", "ciudad", "villa", "playa", "bahia", "isla", "cd"})
_NO_ARTICLE = ("estado", "ciudad", "state", "edo", "distrito", "capital", "baja", "cd")
_DATELINE = re.compile(
    r"[ \t]*[A-ZÁÉÍÓÚÑ][A-ZÁÉÍÓÚÑ.' ]{2,40}(?:,[^\n—]{1,30}?)?\s*(?:\([^)\n]{1,40}\))?"
    r"\s*(?:—|–|--?|\.-)"
)
_GOV_TITLE = re.compile(r"\b(?:Gov\.|[Gg]overnor|[Gg]obernadora?)(?![\w.])")
_BARE_GOV = re.compile(
    r"\b(?:el|la|the|the state's|the state|al|del)\s+(?P<title>gobernador|gobernadora|governor"
    r"|mandatari[oa](?= estatal))(?:\s+(?:del estado|de la entidad|estatal))?\b"
)
_WORD_END = re.compile(r"[a-záéíóúñ]{4,}\.$")
_ABBREV_END = re.compile(r"(?:\b[A-ZÁÉÍÓÚa-z]{1,4}\.|\b[A-Z]\.)$")


def _deaccent(s: str) -> str:
    """Fold accents and spaces but keep case (for exact aliases)."""
    import unicodedata

    d = unicodedata.normalize("NFKD", s)
    d = "".join(c for c in d if not unicodedata.combining(c))
    return " ".join(d.replace("\u2019", "'").split())


def _slug(s: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", fold(s)).strip("-")


_FEM_TITLES = ("presidenta", "gobernadora", "secretaria", "jefa", "alcaldesa", "fiscal general")

# national offices: (regex over folded text, role); a match starts at one of _ROLE_TRIGGERS
_NATIONAL_ROLE_PATTERNS: list[tuple[str, str]] = [
    (
        r"(?:presidente|presidenta) (?:de mexico|mexican[oa]|de la republica)|mexican "
        r"(?:president|leader)|president of mexico|mexico's (?:(?:new|incoming|current|leftist"
        r"|populist|nationalist|first female|first woman|outgoing) )?(?:president|leader)"
        r"|mandatari[oa] (?:mexican[oa]|federal)|lider(?:esa)? mexican[oa]"
        r"|titular del (?:poder )?ejecutivo federal",
        "president",
    ),
    (
        r"secretari[oa] de seguridad (?:y proteccion ciudadana|federal)|titular de la sspc"
        r"|(?:mexico's|mexican|federal) (?:public )?security (?:secretary|chief|minister)"
        r"|secretary of security and citizen protection",
        "security-secretary",
    ),
    (
        r"secretari[oa] de la defensa(?: nacional)?|titular de la (?:sedena|defensa nacional)"
        r"|(?:mexico's|mexican) (?:defen[cs]e secretary|defen[cs]e minister|army chief)",
        "defense-secretary",
    ),
    (
        r"secretari[oa] de marina|titular de (?:la )?(?:semar|secretaria de marina)"
        r"|(?:mexico's|mexican) (?:navy secretary|navy minister|navy chief)",
        "navy-secretary",
    ),
    (
        r"secretari[oa] de gobernacion|titular de (?:la )?(?:segob|secretaria de gobernacion)"
        r"|(?:mexico's|mexican) interior (?:secretary|minister)",
        "interior-secretary",
    ),
    (
        r"fiscal general de la republica|fiscal general de mexico|titular de la fgr"
        r"|(?:mexico's|mexican) attorney general|attorney general of mexico",
        "attorney-general",
    ),
    (
        r"comandante de la guardia nacional|(?:mexico's|mexican) national guard (?:commander|chief)"
        r"|commander of (?:mexico's|the mexican) national guard",
        "national-guard-commander",
    ),
    (
        r"secretari[oa] de seguridad nacional de (?:ee\.? ?uu\.?|estados unidos|eua)"
        r"|homeland security secretary|secretary of homeland security|dhs secretary"
        r"|secretari[oa] del dhs|head of (?:the )?dhs|jef[ea] del dhs",
        "dhs-secretary",
    ),
    (
        r"cbp commissioner|commissioner of (?:u\.s\. )?customs and border protection"
        r"|comisionad[oa] de (?:la )?cbp|head of (?:u\.s\. )?(?:cbp|customs and border protection)"
        r"|jef[ea] de (?:la )?cbp|cbp chief",
        "cbp-commissioner",
    ),
]
# Mexico City offices (jurisdiction fixed)
_CDMX_ROLE_PATTERNS: list[tuple[str, str]] = [
    (
        r"jef[ea] de gobierno(?: de la ciudad de mexico| capitalin[oa]| de la cdmx| del df)?"
        r"|mexico city(?:'s)? mayor|mayor of mexico city|head of government of mexico city",
        "governor",
    ),
    (
        r"(?:secretari[oa] de seguridad ciudadana|jef[ea] de (?:la )?policia|jef[ea] policiac[oa])"
        r" (?:de la ciudad de mexico|capitalin[oa]|de la cdmx)|mexico city(?:'s)? (?:police chief"
        r"|security (?:chief|secretary|minister)|police commissioner)|(?:police|security) chief "
        r"of mexico city",
        "police-chief",
    ),
]
_ROLE_TRIGGERS = frozenset(
    words(
        """presidente presidenta mexican president mexico's mandatario mandataria titular
        secretario secretaria federal secretary fiscal attorney comandante commander homeland
        dhs head jefe jefa cbp commissioner comisionado comisionada mayor police security lider
        lideresa"""
    )
) | {"mexico city"}
_PRE_ROLE_HINT = re.compile(r"gob|gov|alcald|mayor|edil|municipal|mandatari")
_GOV_WORDS = r"(?:gobernador|gobernadora|governor|gov\.|gov|mandatari[oa] (?:estatal|de))"
_MAYOR_WORDS = r"(?:alcalde|alcaldesa|mayor|presidente municipal|presidenta municipal|edil)"
_PRE_ROLE = re.compile(
    r"\b(?P<title>" + _GOV_WORDS + "|" + _MAYOR_WORDS + r")\s+(?:del estado de |de la ciudad de "
    r"|del municipio de |of the state of |of the city of |de |del |of |en )$"
)
_POST_ROLE = re.compile(r"^(?:'s?)?\s*(?P<title>" + _GOV_WORDS + "|" + _MAYOR_WORDS + r")\b")
_TITLE_KIND = {
    "gobernador": ("governor", "us-governor"),
    "gobernadora": ("governor", "us-governor"),
    "governor": ("governor", "us-governor"),
    "gov.": ("governor", "us-governor"),
    "gov": ("governor", "us-governor"),
    "mandatario": ("governor",),
    "mandataria": ("governor",),
    "alcalde": ("mayor",),
    "alcaldesa": ("mayor",),
    "mayor": ("mayor",),
    "edil": ("mayor",),
    "presidente municipal": ("mayor",),
    "presidenta municipal": ("mayor",),
    "presidente": ("president",),
    "presidenta": ("president",),
    "president": ("president",),
    "pres.": ("president",),
    "secretario": (
        "security-secretary",
        "defense-secretary",
        "navy-secretary",
        "interior-secretary",
        "dhs-secretary",
    ),
    "secretaria": (
        "security-secretary",
        "defense-secretary",
        "navy-secretary",
        "interior-secretary",
        "dhs-secretary",
    ),
    "secretary": (
        "security-secretary",
        "defense-secretary",
        "navy-secretary",
        "interior-secretary",
        "dhs-secretary",
    ),
    "fiscal": ("attorney-general",),
    "general": ("defense-secretary", "national-guard-commander"),
    "gen.": ("defense-secretary", "national-guard-commander"),
    "almirante": ("navy-secretary",),
    "admiral": ("navy-secretary",),
    "adm.": ("navy-secretary",),
    "comisionado": ("cbp-commissioner",),
    "commissioner": ("cbp-commissioner",),
    "jefa": ("governor", "police-chief"),
    "jefe": ("governor", "police-chief"),
}
_PREPOSITIONS = frozenset(
    words(
        """de del en a al desde hacia para por sobre entre of in from to at for across near by into
        within"""
    )
)
_FOREIGN_PRES_RX = re.compile(
    r"\bpresident[ea]?s? (?:(?:de|del|of) (?:la |the )?)?(?:"
    + "|".join(
        sorted(
            FOREIGN_COUNTRIES
            | set(FOREIGN_TWO_WORD)
            | {"estados unidos", "ee.uu", "eua", "united states"}
        )
    )
    + r")\b|\b(?:"
    + "|".join(sorted(FOREIGN_COUNTRIES | set(FOREIGN_TWO_WORD)))
    + r")'s president\b|\bpresident[ea]?s? (?:guatemaltec|hondurena?|salvadoren|colombian"
    r"|venezolan|argentin|brasilen|chilen|peruan|ecuatorian|cuban|frances|rus[oa]|chin[oa]"
    r"|ucranian)"
)
_BARE_PRES_STOP = frozenset(
    words(
        """de del municipal electo electa estatal nacional ejecutivo ejecutiva interino interina
        saliente entrante estadounidense norteamericano norteamericana americano guatemalteco
        salvadoreno hondureno colombiano venezolano ruso chino frances y o que of elect del
        de"""
    )
)


# words (folded) whose presence near a name lets the group-name / street-list rules run
_CARTEL_CUE = re.compile(r"cartel")
_VENUE_CUE = re.compile(
    r"calle|avenida|avs?\.|colonia|fracc|barrio|bulevar|boulevard|street|avenue|esquina|cruce"
    r"|cruzamiento|interseccion|intersection|corner|entre|between"
)


class Tagger:
    """Built once per watchlist (cheap, picklable); ``tag`` is thread-safe."""

    def __init__(self, wl: Watchlist) -> None:
        self.wl = wl
        self.version = wl.version
        self._states: dict[str, State] = {s.id: s for s in wl.states}
        self._places: dict[str, Place] = {p.id: p for p in wl.places}
        self._officials: dict[str, Official] = {o.id: o for o in wl.officials}
        self._geo_names = frozenset(
            fold(n)
            for n in (
                *(
                    x
                    for st in wl.states
                    for x in (st.name, st.name_en, *st.aliases, *st.exact_aliases)
                ),
                *(x for pl in wl.places for x in (pl.name, *pl.aliases, *pl.exact_aliases)),
            )
            if n
        )
        # folded name word -> officials whose name or alias has that word
        self._off_words: dict[str, set[str]] = {}
        for o in wl.officials:
            for n in (o.name, *o.aliases, *o.exact_aliases):
                for w in fold(n).split():
                    if len(w) > 3:
                        self._off_words.setdefault(w, set()).add(o.id)
        self._groups: dict[str, Group] = {g.id: g for g in wl.groups}
        self._watched = wl.flag_policy.watched_officials or frozenset(self._officials)
        self._terms: dict[str, str] = {}
        keys: dict[str, list[_Cand]] = {}

        def add(alias: str, cand: _Cand) -> None:
            k = fold(alias).strip()
            if not k or not any(c.isalnum() for c in k):
                return
            lst = keys.setdefault(k, [])
            if cand not in lst:
                lst.append(cand)

        def add_names(
            kind: str, ident: str, names: Iterable[str], exact: Iterable[str], amb: bool = False
        ) -> None:
            exact = list(exact)
            exact_keys = {fold(n) for n in exact}
            for n in names:
                if fold(n) in exact_keys:  # listed as exact: never case-insensitive
                    continue
                add(n, _Cand(kind, ident, is_name=" " not in n.strip(), amb=amb))
            for n in exact:
                add(
                    n, _Cand(kind, ident, exact=_deaccent(n), is_name=" " not in n.strip(), amb=amb)
                )

        for s in wl.states:
            extra = [s.name_en] if s.name_en and "(" not in s.name_en else []
            add_names("state", s.id, [s.name, *extra, *s.aliases], s.exact_aliases)
        for p in wl.places:
            add_names("place", p.id, [p.name, *p.aliases], p.exact_aliases, p.ambiguous)
        for g in wl.groups:
            extra = [g.name_en] if g.name_en and "(" not in g.name_en else []
            add_names("group", g.id, [g.name, *extra, *g.aliases], g.exact_aliases)
        # "the Chapitos", "the Mayiza": a distinctive one-word group name without its Spanish
        # article (derived from the case-insensitive aliases only; matched case-sensitively)
        for g in wl.groups:
            exact_keys = {fold(n) for n in g.exact_aliases}
            for n in (g.name, *g.aliases):
                m = re.fullmatch(r"(?:Los|Las|La|El) ([A-ZÁÉÍÓÚÑ][a-záéíóúñ]{4,})", n.strip())
                if not m or fold(n) in exact_keys:
                    continue
                bare = m.group(1)
                k = fold(bare)
                if k in keys or k in GIVEN_NAMES or k in COMMON_SURNAMES:
                    continue
                add(bare, _Cand("group", g.id, exact=_deaccent(bare), is_name=True))
        self._surname_of: dict[str, list[str]] = {}
        for o in wl.officials:
            add_names("official", o.id, [o.name, *o.aliases], o.exact_aliases)
            if o.surname:
                add(o.surname, _Cand("surname", o.id, is_name=True))
                self._surname_of.setdefault(fold(o.surname), []).append(o.id)
        self._add_derived(wl, keys)
        self._add_group_variants(wl, keys)
        for w in _ROLE_TRIGGERS:
            add(w, _Cand("trigger", w))
        for w in TITLE_HEADS:  # where a title may start (open-class officials)
            add(w, _Cand("title", w))
        for t in wl.violence_terms:
            base = t.rstrip("*").strip()
            tid = _slug(base)
            self._terms[tid] = base
            add(base, _Cand("term", tid, prefix=t.endswith("*")))
        # state / place lookups for role phrases and pins
        self._state_by_key: dict[str, str] = {}
        for s in wl.states:
            for n in (s.name, *s.aliases, *s.exact_aliases):
                self._state_by_key.setdefault(fold(n), s.id)
        self._places_by_name: dict[str, list[str]] = {}
        for p in wl.places:
            for n in (p.name, *p.aliases):
                self._places_by_name.setdefault(fold(n), []).append(p.id)
        self._mayor_places = {
            t.jurisdiction for o in wl.officials for t in o.terms if t.role == "mayor"
        }
        self._group_keys: dict[str, str] = {
            k: cs[0].id for k, cs in keys.items() if len(cs) == 1 and cs[0].kind == "group"
        }
        auto = ahocorasick.Automaton()
        for k, cands in keys.items():
            auto.add_word(k, (len(k), tuple(cands)))
        if keys:
            auto.make_automaton()
        self._auto = auto
        self._has_keys = bool(keys)
        self._role_rx: list[tuple[re.Pattern[str], str, str | None]] = [
            (re.compile(r"(?:" + p + r")\b"), r, None) for p, r in _NATIONAL_ROLE_PATTERNS
        ] + [
            (re.compile(r"(?:" + p + r")\b"), r, "ciudad-de-mexico") for p, r in _CDMX_ROLE_PATTERNS
        ]

    @staticmethod
    def _add_group_variants(wl: Watchlist, keys: dict[str, list[_Cand]]) -> None:
        """Spelling variants of group names, by the rules of ``variants`` (a variant never
        takes a key another entity already has)."""

        def free(k: str, gid: str) -> bool:
            return all(c.kind == "group" and c.id == gid for c in keys.get(k, []))

        for g in wl.groups:
            names = [n for n in (g.name, g.name_en, *g.aliases) if n and "(" not in n]
            exact_keys = {fold(n) for n in g.exact_aliases}
            for n in names:
                for v in cartel_forms(n):
                    k = fold(v)
                    if k not in exact_keys and free(k, g.id):
                        cand = _Cand("group", g.id)
                        if cand not in keys.setdefault(k, []):
                            keys[k].append(cand)
            for n in g.exact_aliases:
                low = lowercase_article(n)
                if low is not None and free(fold(low), g.id):
                    cand = _Cand("group", g.id, exact=_deaccent(low))
                    if cand not in keys.setdefault(fold(low), []):
                        keys[fold(low)].append(cand)
            for n in names:
                for a in acronyms(n):
                    k = fold(a)
                    if k not in keys:
                        keys[k] = [_Cand("group", g.id, exact=_deaccent(a))]

    @staticmethod
    def _add_derived(wl: Watchlist, keys: dict[str, list[_Cand]]) -> None:
        """Short names the press uses for gazetteer places, derived by general rules.

        * "Zinapécuaro de Figueroa" -> "Zinapécuaro" (one distinctive head word before
          de/del; not when the head is a generic word or already names something else; a
          head shared by several places is ambiguous);
        * "Ciudad Apodaca" -> "Apodaca", "Ciudad General Escobedo" -> "Escobedo" (always
          ambiguous: used only when the text pins the state; not for common surnames);
        * crossings "Puente (Internacional) X" -> "X bridge", "X International Bridge".
        """
        derived: dict[str, set[str]] = {}
        amb: set[str] = set()
        short: dict[str, set[str]] = {}  # "Ciudad Apodaca" -> "Apodaca" (always ambiguous)
        for p in wl.places:
            names = [p.name, *p.aliases]
            if p.kind in ("city", "municipality", "town"):
                for n in names:
                    m = re.match(
                        r"^(?:Ciudad|Cd\.) (?:(?:General|Heroica) )?([A-ZÁÉÍÓÚÑ]\S+"
                        r"(?: [A-ZÁÉÍÓÚÑ]\S+)*)$",
                        n,
                    )
                    if not m:
                        continue
                    tail = m.group(1)
                    k = fold(tail)
                    if (
                        len(k) < 4
                        or k in keys
                        or k in COMMON_SURNAMES
                        or k in DERIVED_HEAD_STOP - {"victoria"}
                    ):
                        continue
                    short.setdefault(k, set()).add(p.id)
                for n in names:
                    m = re.match(r"^(\S+) (?:de|del) \S", n)
                    if not m:
                        continue
                    head = fold(m.group(1))
                    if (
                        len(head) < 5
                        or head in DERIVED_HEAD_STOP
                        or head in GIVEN_NAMES
                        or head in keys
                    ):
                        continue
                    derived.setdefault(head, set()).add(p.id)
                    if p.ambiguous:
                        amb.add(head)
            if p.kind == "crossing":
                for n in names:
                    m = re.match(
                        r"^Puente (?:Internacional )?([A-ZÁÉÍÓÚÑ]\S*"
                        r"(?: [A-ZÁÉÍÓÚÑ]\S*)*)$",
                        n,
                    )
                    if m and len(m.group(1)) >= 4:
                        for form in (f"{m.group(1)} bridge", f"{m.group(1)} International Bridge"):
                            k = fold(form)
                            if k not in keys:
                                keys[k] = [_Cand("place", p.id, amb=p.ambiguous)]
        for head, ids in derived.items():
            a = head in amb or len(ids) > 1
            keys[head] = [_Cand("place", pid, is_name=True, amb=a) for pid in sorted(ids)]
        for k, ids in short.items():
            if k not in keys:
                keys[k] = [
                    _Cand("place", pid, is_name=" " not in k, amb=True) for pid in sorted(ids)
                ]

    # pickling: rebuild from the watchlist (the automaton is rebuilt in the worker)
    def __getstate__(self) -> dict[str, Any]:
        return {"wl": self.wl}

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.__init__(state["wl"])  # type: ignore[misc]

    # ------------------------------------------------------------------ public API

    def tag(
        self,
        text: str,
        published: dt.date | dt.datetime | None = None,
        title: str | None = None,
    ) -> TagResult:
        """Tag ``text`` (and ``title``). Never raises on content."""
        if not isinstance(text, str):
            text = "" if text is None else str(text)
        if isinstance(published, dt.datetime):
            day = published.date()
        elif isinstance(published, dt.date):
            day = published
        else:
            day = dt.date.today()
        shift = 0
        doc = text
        if title and isinstance(title, str) and title.strip():
            doc = title + "\n" + text
            shift = len(title) + 1
        return _Run(self, doc, shift, day).result()


class _Run:
    """The state of one ``tag`` call."""

    def __init__(self, tg: Tagger, doc: str, shift: int, day: dt.date) -> None:
        self.tg = tg
        self.doc = doc
        self.shift = shift
        self.day = day
        self.ft = FoldedText(doc)
        self.f = self.ft.folded
        # upper- and lower-case letters both present (a text without letters has no matches)
        self.mixed = not doc.islower() and not doc.isupper()
        self.triggers: list[tuple[int, str]] = []
        self._role_keys: set[tuple[int, int, str]] = set()
        self.title_heads: list[int] = []  # original offsets of title head words
        self._sent: list[int] | None = None
        self._para: list[int] | None = None
        self._lang: str | None = None
        self._route_states: list[tuple[int, int, str, str]] = []
        self._plain: dict[int, bool] = {}

    # ------------------------------------------------------------ helpers on the document

    def _sentences(self) -> list[int]:
        if self._sent is None:
            starts = [0]
            doc = self.doc
            for m in _SENT_END.finditer(doc):
                start = m.start() if doc[m.start()] == "\n" else m.start() + 1
                head = doc[max(0, start - 6) : start]
                # "Gto." / "Sr." / "N.L." ... : not a sentence end unless a newline
                if (
                    "\n" not in doc[start : m.end()]
                    and _ABBREV_END.search(head)
                    and not head.endswith(("..", "!", "?"))
                    and not _WORD_END.search(head)
                ):
                    continue
                starts.append(m.end())
            self._sent = starts
        return self._sent

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
        s = self._sentences()
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
        m = re.match(r"[^\w]*", self.doc[pos : pos + 20])
        return m.group() if m else ""

    # ------------------------------------------------------------ pipeline

    def result(self) -> TagResult:
        try:
            return self._result()
        except RecursionError:  # pragma: no cover - defensive: never raise on content
            return TagResult()

    def _raw_spans(self) -> tuple[list[_Span], list[_Span]]:
        f = self.f
        n = len(f)
        ents: list[_Span] = []
        terms: list[_Span] = []
        if not self.tg._has_keys or not f:
            return ents, terms
        for end_idx, (klen, cands) in self.tg._auto.iter(f):
            fs = end_idx - klen + 1
            fe = end_idx + 1
            key = f[fs:fe]
            if fs > 0 and key[0].isalnum() and f[fs - 1].isalnum():
                continue
            right_ok = fe >= n or not key[-1].isalnum() or not f[fe].isalnum()
            start = self.ft.orig_start(fs)
            end = self.ft.orig_end(fe)
            surface = self.doc[start:end]
            ok: list[_Cand] = []
            for c in cands:
                if not right_ok and not c.prefix:
                    continue
                if c.kind == "trigger":
                    self.triggers.append((fs, c.id))
                    continue
                if c.kind == "title":
                    self.title_heads.append(start)
                    continue
                if c.exact is not None:
                    if _deaccent(surface) != c.exact:
                        continue
                elif self.mixed and c.kind != "term" and not _capitalised(surface):
                    continue
                if c.kind == "surname" and not surface[:1].isupper():
                    continue
                ok.append(c)
            if not ok:
                continue
            if ok[0].prefix and not right_ok:
                # extend a prefix term to the end of the word
                j = fe
                while j < n and f[j].isalnum():
                    j += 1
                fe = j
                end = self.ft.orig_end(fe)
            span = _Span(fs, fe, start, end, f[fs:fe], [c for c in ok if c.kind != "term"])
            tspan = [c for c in ok if c.kind == "term"]
            if span.cands:
                ents.append(span)
            if tspan:
                terms.append(_Span(fs, fe, start, end, f[fs:fe], tspan))
        return _resolve(ents), _resolve(terms)

    def _result(self) -> TagResult:
        spans, term_spans = self._raw_spans()
        for sp in spans:
            sp.ents = list(sp.cands)
        self._context_rules(spans)
        self._not_places(spans)
        self._drop_conflicting_places(spans)
        route_states = self._route_rule(spans)
        self._route_states = route_states
        self._pin_places(spans)
        mentions: list[Mention] = []
        state_first: dict[str, int] = {}
        via: dict[str, list[str]] = {}

        def add_state(sid: str, pos: int, surface: str) -> None:
            if sid not in state_first or pos < state_first[sid]:
                state_first[sid] = min(pos, state_first.get(sid, pos))
            v = via.setdefault(sid, [])
            if surface not in v:
                v.append(surface)

        place_order: list[str] = []
        state_mentions: list[tuple[int, str]] = []  # (pos, state id) for sentence checks
        for sp in spans:
            surface = self.doc[sp.start : sp.end]
            for c in sp.ents:
                if c.kind == "state":
                    st = self.tg._states[c.id]
                    add_state(c.id, sp.start, surface)
                    state_mentions.append((sp.start, c.id))
                    mentions.append(self._mention("state", c.id, st.name, sp, c.id, None))
                elif c.kind == "place":
                    pl = self.tg._places[c.id]
                    sid = sp.pinned.get(c.id, pl.state)
                    add_state(sid, sp.start, surface)
                    state_mentions.append((sp.start, sid))
                    if c.id not in place_order:
                        place_order.append(c.id)
                    mentions.append(self._mention("place", c.id, pl.name, sp, sid, None))
                elif c.kind == "group":
                    g = self.tg._groups[c.id]
                    mentions.append(self._mention("group", c.id, g.name, sp, None, None))
        for pos, end, sid, surface in route_states:
            add_state(sid, pos, surface)
            state_mentions.append((pos, sid))
            mentions.append(
                Mention(
                    "state",
                    sid,
                    self.tg._states[sid].name,
                    surface,
                    pos - self.shift,
                    end - self.shift,
                    self.snippet(pos, end),
                    sid,
                    None,
                )
            )
        for start, end, gid in self._coordinated(spans):
            g = self.tg._groups[gid]
            mentions.append(
                Mention(
                    "group",
                    gid,
                    g.name,
                    self.doc[start:end],
                    start - self.shift,
                    end - self.shift,
                    self.snippet(start, end),
                    None,
                    None,
                )
            )
        off_mentions, off_roles = self._officials(spans)
        off_mentions, others = self._titled_people(off_mentions)
        mentions += off_mentions
        for sp in term_spans:
            c = sp.cands[0]
            mentions.append(
                self._mention("term", c.id, self.tg._terms.get(c.id, c.id), sp, None, None)
            )
        mentions.sort(key=lambda m: (m.start, -m.end, m.entity_type, m.entity_id))
        # document-level
        states = tuple(
            StateHit(sid, self.tg._states[sid].name, tuple(via[sid]), self.tg._states[sid].disputed)
            for sid in sorted(state_first, key=lambda s: state_first[s])
        )
        off_first: dict[str, int] = {}
        for m in mentions:
            if m.entity_type == "official":
                off_first.setdefault(m.entity_id, m.start)
        officials = tuple(
            OfficialHit(
                oid,
                self.tg._officials[oid].name,
                off_roles.get(oid) or self.tg._officials[oid].role_on(self.day),
            )
            for oid in sorted(off_first, key=lambda o: off_first[o])
        )
        grp_first: dict[str, int] = {}
        for m in mentions:
            if m.entity_type == "group":
                grp_first.setdefault(m.entity_id, m.start)
        groups = tuple(GroupHit(gid, self.tg._groups[gid].name) for gid in grp_first)
        terms = tuple(dict.fromkeys(m.entity_id for m in mentions if m.entity_type == "term"))
        flagged, reasons = self._flag(states, officials, groups, terms, mentions, state_mentions)
        return TagResult(
            tuple(mentions),
            states,
            officials,
            groups,
            flagged,
            reasons,
            tuple(place_order),
            terms,
            tuple(others),
        )

    def _mention(
        self, etype: str, eid: str, name: str, sp: _Span, state_id: str | None, role: str | None
    ) -> Mention:
        return Mention(
            etype,
            eid,
            name,
            self.doc[sp.start : sp.end],
            sp.start - self.shift,
            sp.end - self.shift,
            self.snippet(sp.start, sp.end),
            state_id,
            role,
        )

    # ------------------------------------------------------------ context rules

    def _context_rules(self, spans: list[_Span]) -> None:
        tg = self.tg
        starts = {sp.fs for sp in spans}
        ends = {sp.fe for sp in spans if any(c.kind in ("state", "place") for c in sp.cands)}
        team_sents: set[int] = set()
        for sp in spans:
            geo = [c for c in sp.ents if c.kind in ("state", "place")]
            if not geo:
                continue
            before = self.words_before(sp.start, 4)
            after = self.words_after(sp.end, 3)
            fb = [_norm(w) for w in before]
            fa = [_norm(w) for w in after]
            gap = self.gap_after(sp.end)
            reason = ""
            single = " " not in sp.key.strip()
            prev = fb[-1] if fb else ""
            prev_orig = before[-1] if before else ""
            adjacent_prev = bool(before) and self._adjacent_before(sp.start, prev_orig)
            only_states = all(c.kind == "state" for c in geo)
            towns = all(
                c.kind == "state" or tg._places[c.id].kind in ("city", "municipality", "town")
                for c in geo
            )
            abbrev = any(c.exact is not None for c in geo) or sp.key.startswith(_NO_ARTICLE)
            # group context
            if (
                (prev in ("cartel", "carteles", "cartels") and adjacent_prev)
                or (len(fb) >= 2 and fb[-2] in ("cartel", "carteles") and prev in ("de", "del"))
                or (fa and fa[0] in ("cartel", "cartels", "carteles") and gap.strip() == "")
            ):
                reason = "group name"
            # US county ("Hidalgo County", "condado de Hidalgo")
            elif (
                (fa and gap.strip() == "" and fa[0] in ("county", "co.") and after[0][:1].isupper())
                or (adjacent_prev and prev == "condado")
                or (len(fb) >= 2 and fb[-2] in ("condado", "county") and prev in ("de", "of"))
            ):
                reason = "US place"
            # venue / street / team
            elif (adjacent_prev and prev in VENUE_BEFORE) or (
                fa and gap.strip() == "" and fa[0] in VENUE_AFTER and after[0][:1].isupper()
            ):
                reason = "venue"
            # United States
            elif self._us_after(sp.end, after, fa, gap):
                reason = "US place"
            elif self._foreign_after(after, fa, gap):
                reason = "foreign place"
            # things named after a state: "Tabasco sauce", "queso Oaxaca", "his Chihuahua"
            elif (
                (fa and gap == " " and fa[0] in COMMON_NOUN_AFTER)
                or (adjacent_prev and prev in COMMON_NOUN_BEFORE)
                or (
                    adjacent_prev
                    and prev in POSSESSIVES_EN
                    and prev_orig.islower()
                    and (not fa or gap.strip() or fa[0] in AFTER_NOUN_USE)
                )
            ):
                reason = "named after"
            elif single and self._person_context(sp, before, fb, after, fa, gap, adjacent_prev):
                reason = "person name"
            elif adjacent_prev and prev in ("new", "nuevo", "nueva") and prev_orig[:1].isupper():
                reason = "longer name"
            # Spanish article: states and towns take none ("el Toluca", "del Puebla" = team;
            # "la Sonora Santanera")
            elif (
                adjacent_prev
                and not abbrev
                and towns
                and (prev in ("el", "al", "del") or (prev in ("la", "las", "los") and only_states))
            ):
                reason = "team (article)"
            elif adjacent_prev and self._sports_opponent(sp.start, fb):
                reason = "team (opponent)"
                team_sents.add(self.sent_id(sp.start))
            elif (
                adjacent_prev
                and prev in ("de", "del")
                and len(before) >= 2
                and (self._team_head(sp.start, before, fb, team_sents))
            ):
                reason = "team name"
                team_sents.add(self.sent_id(sp.start))
            elif (
                adjacent_prev
                and (self._de_tail(sp, before, fb, geo) or self._name_prefix(sp, before, fb, ends))
            ) or (single and self.lang == "es" and self._name_suffix(sp, after, fa, gap, starts)):
                reason = "longer name"
            if reason:
                sp.ents = [c for c in sp.ents if c.kind not in ("state", "place")]
                sp.dropped = reason
                continue
            # state name that is also its capital's name: the state unless written as a city
            st_ids = {c.id for c in geo if c.kind == "state"}
            same = [c for c in geo if c.kind == "place" and tg._places[c.id].state in st_ids]
            if st_ids and same:
                as_city = (
                    (fa and fa[0] == "city" and gap.strip() == "")
                    or (len(fb) >= 2 and fb[-2] in ("ciudad", "city") and prev in ("de", "of"))
                    or (prev in ("capital",))
                )
                if as_city:
                    sp.ents = [c for c in sp.ents if c.kind != "state"]
                else:
                    sp.ents = [c for c in sp.ents if c not in same]
        self._one_sense(spans)

    def _team_head(self, pos: int, before: list[str], fb: list[str], team_sents: set[int]) -> bool:
        """ "la selección de Guerrero", "el equipo de Sonora", "Sultanes de Monterrey" (in a
        sentence about sport), "… y la de Sonora" after a team in the same sentence."""
        if fb[-2] in TEAM_HEADS:
            return True
        if fb[-2] in ("la", "el", "las", "los") and self.sent_id(pos) in team_sents:
            return True
        return self._team_name(pos, before, fb)

    def _de_tail(self, sp: _Span, before: list[str], fb: list[str], geo: list[_Cand]) -> bool:
        """ "Tlacolula de Matamoros", "Cementos de Chihuahua" (English text): the name after
        "<Capitalised> de" is the tail of a longer name, unless the head is generic
        ("Fiscalía de Guerrero", "Costa Chica de Guerrero")."""
        if fb[-1] not in ("de", "del") or len(before) < 2:
            return False
        head = before[-2]
        if (
            not head[:1].isupper()
            or fb[-2] in GENERIC_HEADS
            or (len(fb) >= 3 and fb[-3] in ("de", "del", "la"))
        ):
            return False
        return (
            (sp.key in HERO_SURNAMES and any(c.kind == "place" for c in geo))
            or any(c.kind == "place" and c.amb for c in geo)
            or (self.lang == "en" and head != head.upper())
        )

    def _not_places(self, spans: list[_Span]) -> None:
        """Issue 14 rules (``place_rules``): a state or place name inside a cartel's name, in a
        list of streets or an intersection, or a town named like a state in another state."""
        doc = self.doc
        geo = [sp for sp in spans if any(c.kind in ("state", "place") for c in sp.ents)]
        if not geo:
            return
        # cue words found once on the folded text; the regexes run only near a cue
        cartel_at = [m.start() for m in _CARTEL_CUE.finditer(self.f)]
        venue_at = [m.start() for m in _VENUE_CUE.finditer(self.f)]

        def near(pos: list[int], lo: int, hi: int) -> bool:
            i = bisect_right(pos, lo - 1)
            return i < len(pos) and pos[i] <= hi

        for i, sp in enumerate(geo):
            why = ""
            if near(cartel_at, sp.fs - 120, sp.fe + 80) and in_group_name(doc, sp.start, sp.end):
                why = "group name"
            elif near(venue_at, sp.fs - 120, sp.fe + 30) and in_venue_list(
                doc, sp.start, sp.end, self.sentence_of
            ):
                why = "street list"
            if not why and sp.key in HERO_SURNAMES and self._town_named_like_state(geo, i):
                why = "town of another state"
            if why:
                sp.ents = [c for c in sp.ents if c.kind not in ("state", "place")]
                sp.dropped = why

    def _coordinated(self, spans: list[_Span]) -> list[tuple[int, int, str]]:
        """Groups named in a coordination ("the Sinaloa and Gulf cartels"): each element is
        looked up as "Cártel de X" / "X Cartel" / "X Organization" / "X" among group names."""
        if "cartels" not in self.f and "carteles" not in self.f:
            return []
        keys = self.tg._group_keys
        out = []
        for start, end, name in coordinated_cartels(self.doc):
            x = fold(name)
            for k in (f"cartel de {x}", f"cartel del {x}", f"{x} cartel", f"{x} organization", x):
                if k in keys:
                    out.append((start, end, keys[k]))
                    break
        return out

    def _town_named_like_state(self, geo: list[_Span], i: int) -> bool:
        """``town_of_other_state``: "Hidalgo, Nuevo León" (a hero-named state name followed by
        another state closing the phrase), or a state name between two places of one other
        state in a list ("Camargo, Guerrero, Díaz Ordaz")."""
        sp = geo[i]
        sids = {c.id for c in sp.ents if c.kind == "state"}
        if not sids or sp.key not in HERO_SURNAMES:
            return False
        doc = self.doc
        nxt = geo[i + 1] if i + 1 < len(geo) else None
        prv = geo[i - 1] if i > 0 else None
        before = doc[max(0, sp.start - 3) : sp.start]
        if nxt is not None and not re.search(r"(?:,|\by|\band)\s*$", before):
            nstates = {c.id for c in nxt.ents if c.kind == "state"}
            if (
                nstates
                and not nstates & sids
                and town_of_other_state(doc, sp.end, nxt.start, nxt.end)
            ):
                return True
        if prv is None or nxt is None:
            return False
        sep = re.compile(r"\s*(?:,|y|e|and)\s*")
        if not (sep.fullmatch(doc[prv.end : sp.start]) and sep.fullmatch(doc[sp.end : nxt.start])):
            return False
        around: set[str] = set()
        for o in (prv, nxt):
            ps = [c for c in o.ents if c.kind == "place"]
            if not ps or any(c.kind == "state" for c in o.ents):
                return False
            around |= {o.pinned.get(c.id, self.tg._places[c.id].state) for c in ps}
        return len(around) == 1 and not around & sids

    def _one_sense(self, spans: list[_Span]) -> None:
        """One sense per article: a name read as a US / foreign place ("DURANGO, Colo.") is
        that place everywhere in the article, unless a mention is attached to a Mexican state
        ("Nogales, Ariz." … "Nogales, Sonora")."""
        abroad = {sp.key for sp in spans if sp.dropped in ("US place", "foreign place")}
        if not abroad:
            return
        state_at = {sp.start for sp in spans if any(c.kind == "state" for c in sp.ents)}
        for sp in spans:
            if sp.key not in abroad or sp.dropped:
                continue
            if not any(c.kind in ("state", "place") for c in sp.ents):
                continue
            m = re.match(r"\s*[,(]\s*", self.doc[sp.end : sp.end + 4])
            if m and sp.end + m.end() in state_at:
                continue
            sp.ents = [c for c in sp.ents if c.kind not in ("state", "place")]
            sp.dropped = "US place"

    @property
    def lang(self) -> str:
        """ "es" or "en": the article's language, by function-word counts (cheap, cached)."""
        if self._lang is None:
            sample = self.f[:3000]
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

    def _name_prefix(self, sp: _Span, before: list[str], fb: list[str], ends: set[int]) -> bool:
        """ "Dodge Durango", "Cervecería Cuauhtémoc", "Puerto Morelos": a capitalised word
        right before the name (not a sentence start, title, compass word, acronym or another
        place) makes it part of a longer proper name."""
        w = before[-1]
        p = fb[-1]
        if not w[:1].isupper() or w.isupper() or w.endswith(("'s", "’s")) or "." in w:
            return False
        if (
            p in NAME_PREFIX_OK
            or p in FUNCTION_WORDS
            or p in _PREPOSITIONS
            or (p in GENERIC_HEADS and p not in _PLACE_HEADS)
            or p in PERSON_TITLES
            or p in VENUE_BEFORE
            or p in self.tg._state_by_key
        ):
            return False
        if sp.fs - 1 in ends or sp.fs in ends:
            return False
        return self._plain_line(sp.start) and not self._word_starts_sentence(sp.start)

    def _name_suffix(
        self, sp: _Span, after: list[str], fa: list[str], gap: str, starts: set[int]
    ) -> bool:
        """Spanish text: "Guerrero Negro", "Sonora Santanera" — a capitalised word right after a
        one-word name (not a title, compass word or another place) makes a longer name."""
        if gap != " " or not after:
            return False
        w = after[0]
        if not w[:1].isupper() or w.isupper() or "." in w:
            return False
        a = fa[0]
        if (
            a in NAME_SUFFIX_OK
            or a in FUNCTION_WORDS
            or a in PERSON_TITLES
            or a in _TITLE_KIND
            or a in self.tg._state_by_key
            or a in VENUE_AFTER
            or a in GIVEN_NAMES
        ):
            return False
        # "En Sinaloa Ovidio Guzmán …": a full name follows (two capitalised words)
        if (
            len(after) >= 2
            and after[1][:1].isupper()
            and re.match(
                r"\s*" + re.escape(w) + r" " + re.escape(after[1]), self.doc[sp.end : sp.end + 80]
            )
        ):
            return False
        return sp.fe + 1 not in starts and self._plain_line(sp.start)

    def _sports_opponent(self, pos: int, fb: list[str]) -> bool:
        """ "cayó ante Toluca", "beat Monterrey", "ahead of Toluca" in a sentence about sport."""
        prev = fb[-1]
        hit = prev in SPORTS_OPPONENT_BEFORE or (
            prev in ("of", "a") and len(fb) >= 2 and fb[-2] in SPORTS_OPPONENT_BEFORE2
        )
        if not hit:
            return False
        s = self._sentences()
        i = bisect_right(s, pos) - 1
        lo = s[i] if i >= 0 else 0
        hi = s[i + 1] if i + 1 < len(s) else len(self.doc)
        return bool({fold(x) for x in _WORD.findall(self.doc[lo:hi])} & SPORTS_CUES)

    def _team_name(self, pos: int, before: list[str], fb: list[str]) -> bool:
        """ "Sultanes de Monterrey": plural capitalised word + de, in a sports sentence."""
        w = before[-2]
        if not (w[:1].isupper() and fb[-2].endswith("s") and fb[-2] not in GENERIC_HEADS):
            return False
        s = self._sentences()
        i = bisect_right(s, pos) - 1
        lo = s[i] if i >= 0 else 0
        hi = s[i + 1] if i + 1 < len(s) else len(self.doc)
        words = {fold(x) for x in _WORD.findall(self.doc[lo:hi])}
        return bool(words & SPORTS_CUES)

    def _drop_conflicting_places(self, spans: list[_Span]) -> None:
        """ "Coatepec Harinas, in the State of Mexico": a place followed by a DIFFERENT state
        (after at most two more capitalised words and a comma/parenthesis) is another place."""
        state_at: dict[int, str] = {}
        for sp in spans:
            for c in sp.ents:
                if c.kind == "state":
                    state_at[sp.start] = c.id
        if not state_at:
            return
        starts = sorted(state_at)
        for sp in spans:
            places = [c for c in sp.ents if c.kind == "place" and not c.amb]
            if not places:
                continue
            i = bisect_right(starts, sp.end)
            if i >= len(starts) or starts[i] - sp.end > 60:
                continue
            between = self.doc[sp.end : starts[i]]
            if not _ATTACHED.fullmatch(between):
                continue
            sid = state_at[starts[i]]
            bad = [c for c in places if self.tg._places[c.id].state != sid]
            if bad and len(bad) == len(places):
                sp.ents = [c for c in sp.ents if c not in bad]
                sp.dropped = "another place (different state attached)"

    def _person_context(
        self,
        sp: _Span,
        before: list[str],
        fb: list[str],
        after: list[str],
        fa: list[str],
        gap: str,
        adjacent_prev: bool,
    ) -> bool:
        """A one-word name used as a person's name ("Vicente Guerrero", "el fiscal Guerrero",
        "Guerrero dijo", "said Guerrero.", "Guerrero, 45,", "Guerrero, quien ...")."""
        prev = fb[-1] if fb else ""
        if adjacent_prev and self._person_before(before, fb):
            return True
        if (
            fa
            and fa[0] in SPEECH_VERBS
            and gap.strip() in ("", ",")
            and prev not in _PREPOSITIONS
            and not (adjacent_prev and (prev in NAME_PREFIX_OK or prev in GENERIC_HEADS))
        ):
            return True
        if (
            adjacent_prev
            and prev in SPEECH_BEFORE
            and self.doc[sp.end : sp.end + 1] in (".", ",", "")
        ):
            return True
        return (
            gap.strip() == ","
            and bool(fa)
            and (
                fa[0] in ("who", "quien", "whose", "cuyo", "cuya")
                or (fa[0].isdigit() and len(fa[0]) <= 2)
                or (fa[0] == "de" and len(fa) > 1 and fa[1].isdigit())
            )
        )

    def _adjacent_before(self, pos: int, word: str) -> bool:
        """``word`` ends right before ``pos`` (only spaces between)."""
        seg = self.doc[max(0, pos - len(word) - 3) : pos]
        i = seg.rfind(word)
        return i >= 0 and seg[i + len(word) :].strip() == ""

    def _person_before(self, before: list[str], fb: list[str]) -> bool:
        w = before[-1]
        if fb[-1] in PERSON_TITLES and (fb[-1] not in ("fiscal", "general") or w[:1].islower()):
            return True
        if not w[:1].isupper():
            return False
        if fb[-1] in GIVEN_NAMES:
            return True
        if re.fullmatch(r"[A-Z]\.", w):  # an initial: "Francisco I. Madero"
            return len(fb) >= 2 and fb[-2] in GIVEN_NAMES
        return False

    def _us_after(self, end: int, after: list[str], fa: list[str], gap: str) -> bool:
        if not after or gap.strip() not in ("", ",", "(", ", ("):
            return False
        if fold(after[0]) in self.tg._state_by_key:  # "Apatzingán, Mich." is Michoacán
            return False
        if fa[0] in US_STATE_WORDS and after[0][:1].isupper():
            return (
                fa[0]
                not in ("georgia", "la.", "del.", "ind.", "mo.", "miss.", "wash.", "pa.", "ill.")
                or gap.strip() == ","
            )
        if after[0].rstrip(".") in US_STATE_CODES and after[0].rstrip(".").isupper():
            return gap.strip() in (",", "")
        two = " ".join(fa[:2])
        return any(two.startswith(t) for t in US_TWO_WORD) and after[0][:1].isupper()

    def _foreign_after(self, after: list[str], fa: list[str], gap: str) -> bool:
        """ "Mérida, Venezuela", "Zaragoza (España)": a place abroad (not in a list of regions:
        "Chiapas, Guatemala y Honduras")."""
        if not after or gap.strip() not in (",", "(") or not after[0][:1].isupper():
            return False
        two = " ".join(fa[:2])
        if fa[0] in FOREIGN_COUNTRIES:
            rest = fa[1:2]
        elif any(two == t for t in FOREIGN_TWO_WORD):
            rest = fa[2:3]
        else:
            return False
        return not rest or rest[0] not in ("y", "and", "e", "o", "or")

    def _route_rule(self, spans: list[_Span]) -> list[tuple[int, int, str, str]]:
        """Places/states joined by hyphens in a route name. Returns route-derived states."""
        out: list[tuple[int, int, str, str]] = []
        geo_spans = [sp for sp in spans if any(c.kind in ("state", "place") for c in sp.cands)]
        i = 0
        f = self.f
        while i < len(geo_spans):
            chain = [geo_spans[i]]
            j = i
            while j + 1 < len(geo_spans):
                a, b = geo_spans[j], geo_spans[j + 1]
                if re.fullmatch(r" ?- ?", f[a.fe : b.fs]):
                    chain.append(b)
                    j += 1
                else:
                    break
            # a hyphen touching an unknown name also makes a chain ("México-Querétaro")
            left = re.search(
                r"([^\W\d_]+(?: [^\W\d_]+)?) ?- ?$", f[max(0, chain[0].fs - 40) : chain[0].fs]
            )
            right = re.match(r" ?- ?([^\W\d_]+)", f[chain[-1].fe : chain[-1].fe + 40])
            unknown_end = bool(left) or bool(right)
            if len(chain) >= 2 or unknown_end:
                hi = chain[-1].fe + (len(right.group(0)) if right else 0)
                wb = [
                    fold(w) for w in _WORD.findall(self.f[max(0, chain[0].fs - 60) : chain[0].fs])
                ][-5:]
                wa = [fold(w).rstrip(".") for w in _WORD.findall(self.f[hi : hi + 30])][:2]
                if any(w in ROUTE_BEFORE for w in wb) or any(w in ROUTE_AFTER for w in wa):
                    states: set[str] = set()
                    for sp in chain:
                        ids = {
                            c.id if c.kind == "state" else self.tg._places[c.id].state
                            for c in sp.ents
                            if c.kind in ("state", "place")
                        }
                        states |= ids if len(ids) == 1 else {"?"}
                        sp.ents = [c for c in sp.ents if c.kind not in ("state", "place")]
                        sp.dropped = "route"
                    if not unknown_end and len(states) == 1 and "?" not in states:
                        s0 = self.ft.orig_start(chain[0].fs)
                        e0 = self.ft.orig_end(chain[-1].fe)
                        out.append((s0, e0, next(iter(states)), self.doc[s0:e0]))
            i = j + 1
        return out

    def _pin_places(self, spans: list[_Span]) -> None:
        tg = self.tg
        state_pos: list[tuple[int, str]] = []
        # (folded name, state, id) of unambiguous places, each once
        clear_set: dict[tuple[str, str, str], None] = {}
        for sp in spans:
            for c in sp.ents:
                if c.kind == "state":
                    state_pos.append((sp.start, c.id))
                elif c.kind == "place" and not c.amb:
                    clear_set[(sp.key, tg._places[c.id].state, c.id)] = None
        clear_places = list(clear_set)
        longer_of: dict[str, dict[str, str]] = {}
        for sp in spans:
            amb = [c for c in sp.ents if c.kind == "place" and c.amb]
            if not amb:
                continue
            clear = [c for c in sp.ents if c.kind == "place" and not c.amb]
            if clear:  # an unambiguous reading exists: keep it, drop the ambiguous ones
                sp.ents = [c for c in sp.ents if c not in amb]
                continue
            cand_states = {tg._places[c.id].state: c for c in amb}
            chosen: str | None = None
            before = self.words_before(sp.start, 1)
            if (
                before
                and fold(before[-1]) in ("alcaldia", "delegacion")
                and "ciudad-de-mexico" in cand_states
            ):
                chosen = "ciudad-de-mexico"
            if chosen is None:
                sid_ = self.sent_id(sp.start)
                best: tuple[int, str] | None = None
                for pos, st in state_pos:
                    if st in cand_states and self.sent_id(pos) == sid_:
                        d = abs(pos - sp.start)
                        if best is None or d < best[0]:
                            best = (d, st)
                if best is None:
                    pid = self.para_id(sp.start)
                    for pos, st in state_pos:
                        if st in cand_states and self.para_id(pos) == pid:
                            d = abs(pos - sp.start)
                            if best is None or d < best[0]:
                                best = (d, st)
                if best is not None:
                    chosen = best[1]
            # a short form of a place named in full in the article is that place ("Ciudad
            # Juárez" … "Juárez", "Ciudad Apodaca" … "Apodaca")
            if sp.key not in longer_of:
                lg: dict[str, str] = {}
                rx = re.compile(r"\b" + re.escape(sp.key) + r"\b")
                for key, st, lpid in clear_places:
                    if key != sp.key and st not in lg and rx.search(key):
                        lg[st] = lpid
                longer_of[sp.key] = lg
            longer = {st: pid for st, pid in longer_of[sp.key].items() if st in cand_states}
            if chosen is None and longer:
                chosen = next(iter(longer))
            others = [c for c in sp.ents if c.kind != "place"]
            if chosen is None:
                sp.ents = others
                sp.dropped = sp.dropped or "ambiguous place, state not pinned"
            elif chosen in longer:
                sp.ents = [_Cand("place", longer[chosen]), *others]
            else:
                sp.ents = [cand_states[chosen], *others]

    # ------------------------------------------------------------ officials

    def _officials(self, spans: list[_Span]) -> tuple[list[Mention], dict[str, str]]:
        tg = self.tg
        out: list[Mention] = []
        roles: dict[str, str] = {}
        seen_full: dict[str, int] = {}  # official id -> last full-name position
        named: dict[str, int] = {}  # official id -> first full-name / alias position
        for sp in spans:
            for c in sp.ents:
                if c.kind == "official":
                    named.setdefault(c.id, sp.start)
        role_out = self._role_phrases(spans, roles, named)
        self._role_keys = {(m.start, m.end, m.entity_id) for m in role_out}
        # a role phrase names its holder: a later bare surname refers to them ("the Mexican
        # leader" … "Sheinbaum")
        for m in role_out:
            pos = m.start + self.shift
            if m.entity_id not in seen_full or pos < seen_full[m.entity_id]:
                seen_full[m.entity_id] = pos
        for sp in spans:
            offs = [c for c in sp.ents if c.kind == "official"]
            surs = [c for c in sp.ents if c.kind == "surname"]
            if offs:
                oid = offs[0].id
                seen_full[oid] = sp.start
                o = tg._officials[oid]
                out.append(
                    self._mention(
                        "official", oid, o.name, sp, self._state_of(o), o.role_on(self.day)
                    )
                )
                continue
            if not surs:
                continue
            before = self.words_before(sp.start, 3)
            fb = [_norm(w) for w in before]
            adjacent = bool(before) and self._adjacent_before(sp.start, before[-1])
            ids = [c.id for c in surs]
            chosen: str | None = None
            prior = [(seen_full[i], i) for i in ids if i in seen_full and seen_full[i] < sp.start]
            # "Juan Alfaro": someone else, unless the given name is the official's own
            if (
                adjacent
                and fb
                and fb[-1] in GIVEN_NAMES
                and before[-1][:1].isupper()
                and not any(fb[-1] in fold(tg._officials[i].name).split() for i in ids)
            ):
                continue
            if prior:
                chosen = max(prior)[1]
            elif adjacent and fb:
                kinds = _TITLE_KIND.get(fb[-1])
                if kinds is None and len(fb) >= 2:
                    kinds = _TITLE_KIND.get(f"{fb[-2]} {fb[-1]}")
                if kinds and not (len(fb) >= 2 and fb[-2] in FORMER_WORDS):
                    now = [
                        i
                        for i in ids
                        if (t := tg._officials[i].term_on(self.day)) and t.role in kinds
                    ]
                    ever = [i for i in ids if any(t.role in kinds for t in tg._officials[i].terms)]
                    if len(now) == 1:
                        chosen = now[0]
                    elif not now and len(ever) == 1:
                        chosen = ever[0]
            if chosen is None:
                continue
            seen_full.setdefault(chosen, sp.start)
            o = tg._officials[chosen]
            out.append(
                self._mention(
                    "official", chosen, o.name, sp, self._state_of(o), o.role_on(self.day)
                )
            )
        out += role_out
        return out, roles

    def _titled_people(self, offs: list[Mention]) -> tuple[list[Mention], list[OtherOfficial]]:
        """Officials as an open class (``open_officials``): a person named with a title is the
        listed official of that name, or an unlisted one; a named person in apposition wins
        over the role resolved by date ("el gobernador de Jalisco, Ana Ruiz")."""
        tg = self.tg
        if not self.title_heads:
            return offs, []
        lang = self.lang if "mayor" in self.f else ""  # only "mayor" needs the language
        people = find_titled_people(self.doc, tg._geo_names, lang, self.title_heads)
        if not people:
            return offs, []
        found = {m.entity_id for m in offs}
        listed_hits: list[tuple[TitledPerson, str]] = []
        unlisted: list[TitledPerson] = []
        for p in people:
            oid = self._listed_match(p.name, found)
            if oid is None:
                unlisted.append(p)
            else:
                listed_hits.append((p, oid))
        # apposition wins over role-by-date
        drop: set[tuple[int, int, str]] = set()
        for m in offs:
            key = (m.start, m.end, m.entity_id)
            if key not in self._role_keys:
                continue
            ms, me = m.start + self.shift, m.end + self.shift
            for p in people:
                if p.title_start < me and ms < p.title_end:
                    o = tg._officials[m.entity_id]
                    if not any(same_person(p.name, n) for n in (o.name, *o.aliases)):
                        drop.add(key)
        out = [m for m in offs if (m.start, m.end, m.entity_id) not in drop]
        for p, oid in listed_hits:
            o = tg._officials[oid]
            out.append(
                Mention(
                    "official",
                    oid,
                    o.name,
                    self.doc[p.start : p.end],
                    p.start - self.shift,
                    p.end - self.shift,
                    self.snippet(p.start, p.end),
                    self._state_of(o),
                    o.role_on(self.day),
                )
            )
        kept = {m.entity_id for m in out}
        listed_names = [
            n for oid in kept for n in (tg._officials[oid].name, *tg._officials[oid].aliases)
        ]
        others: list[OtherOfficial] = []
        for p in sorted(unlisted, key=lambda p: -len(p.name)):
            if any(same_person(p.name, n) for n in listed_names):
                continue
            if any(same_person(p.name, o.name) for o in others):
                continue
            others.append(
                OtherOfficial(p.name, p.title, p.role, p.start - self.shift, p.end - self.shift)
            )
        others.sort(key=lambda o: o.start)
        return out, others

    def _listed_match(self, name: str, found: set[str]) -> str | None:
        """The listed official a titled name refers to, if any."""
        tg = self.tg
        ws = [w for w in fold(name).split() if len(w) > 3]
        count: dict[str, int] = {}
        for w in set(ws):
            for oid in tg._off_words.get(w, ()):
                count[oid] = count.get(oid, 0) + 1
        need = min(2, len(set(ws)))
        cands = {oid for oid, n in count.items() if n >= need}
        if not cands:
            return None
        hits = [
            oid
            for oid in cands
            if any(
                same_person(name, n) for n in (tg._officials[oid].name, *tg._officials[oid].aliases)
            )
        ]
        if len(name.split()) == 1:
            hits = [h for h in hits if h in found] or [
                h for h in hits if tg._officials[h].term_on(self.day) is not None
            ]
        if len(hits) == 1:
            return hits[0]
        pref = [h for h in hits if h in found]
        return pref[0] if len(pref) == 1 else None

    def _state_of(self, o: Official, term: OfficeTerm | None = None) -> str | None:
        t = term or o.term_on(self.day)
        if t is None:
            return None
        if t.role in ("governor", "police-chief"):
            return t.jurisdiction
        if t.role == "mayor":
            p = self.tg._places.get(t.jurisdiction)
            return p.state if p else None
        return None

    def _holder(
        self, role: str, jurisdiction: str | None, fem: bool | None = None
    ) -> tuple[Official, OfficeTerm] | None:
        for o in self.tg._officials.values():
            for t in o.terms:
                if (
                    t.role == role
                    and (jurisdiction is None or t.jurisdiction == jurisdiction)
                    and t.holds_on(self.day)
                ):
                    if fem is not None:
                        tfem = fold(t.title_es).startswith(_FEM_TITLES)
                        if tfem != fem:
                            return None
                    return o, t
        return None

    def _role_mention(
        self, fs: int, fe: int, held: tuple[Official, OfficeTerm], roles: dict[str, str]
    ) -> Mention:
        o, t = held
        start, end = self.ft.orig_start(fs), self.ft.orig_end(fe)
        role = t.title_en or t.role
        roles.setdefault(o.id, role)
        return Mention(
            "official",
            o.id,
            o.name,
            self.doc[start:end],
            start - self.shift,
            end - self.shift,
            self.snippet(start, end),
            self._state_of(o, t),
            role,
        )

    def _institution(self, fs: int, fe: int) -> bool:
        """``institution_not_person``: the phrase names a ministry, not its head: written
        "Secretaría" (the accent marks the ministry; "secretaria" is a woman secretary), or
        followed by its acronym in parentheses ("Secretaria de Marina (Semar)")."""
        start, end = self.ft.orig_start(fs), self.ft.orig_end(fe)
        head = self.doc[start : start + 11]
        if head[:10].lower() == "secretaría":
            return True
        return (
            re.match(r"\s*\((?:[A-Z][A-Za-z]{2,}|[A-Z]{2,})\)", self.doc[end : end + 14])
            is not None
        )

    def _is_former(self, fs: int) -> bool:
        """Former / candidate / historical ("el segundo presidente de México") office."""
        words = [fold(w) for w in _WORD.findall(self.f[max(0, fs - 40) : fs])][-3:]
        tail = self.f[max(0, fs - 6) : fs]
        return (
            any(w in FORMER_WORDS for w in words[-2:])
            or any(w in ORDINALS for w in words)
            or tail.endswith(("ex-", "then-"))
        )

    def _mexican_context(self, spans: list[_Span]) -> bool:
        f = self.f
        return (
            "mexic" in f
            or "palacio nacional" in f
            or "mananera" in f
            or "conferencia matutina" in f
            or any(c.kind in ("state", "place") for sp in spans for c in sp.ents)
        )

    def _foreign_president(self) -> bool:
        """The article speaks of another country's head of state."""
        f = self.f
        return any(c in f for c in FOREIGN_PRESIDENT_CUES) or _FOREIGN_PRES_RX.search(f) is not None

    def _role_phrases(
        self, spans: list[_Span], roles: dict[str, str], named: dict[str, int]
    ) -> list[Mention]:
        f = self.f
        out: list[Mention] = []
        has_mexico: bool | None = None
        foreign: bool | None = None
        done: set[int] = set()
        for fs, word in sorted(self.triggers):
            if fs in done:
                continue
            for rx, role, fixed in self.tg._role_rx:
                m = rx.match(f, fs)
                if m is None or self._is_former(fs) or self._institution(m.start(), m.end()):
                    continue
                held = self._holder(role, fixed)
                if held:
                    out.append(self._role_mention(m.start(), m.end(), held, roles))
                    done.add(fs)
                    break
            if fs in done or word not in (
                "presidente",
                "presidenta",
                "president",
                "mandatario",
                "mandataria",
            ):
                continue
            # bare "la presidenta" / "el presidente" / "la mandataria" (Mexican context, gender
            # must fit); English "the president" only refers back to a Mexican president
            # already named in the article
            art_len = 4 if word == "president" else 3
            art = f[max(0, fs - art_len) : fs]
            if art not in ("el ", "la ", "the ") or (
                fs > art_len and f[fs - art_len - 1].isalnum()
            ):
                continue
            if (word == "president") != (art == "the "):
                continue
            fe = fs + len(word)
            nxt = _WORD.findall(f[fe : fe + 30])
            oe = self.ft.orig_end(fe)
            nxt_orig = _WORD.findall(self.doc[oe : oe + 30])
            if f[fe : fe + 1] == "-" or (
                nxt and (nxt[0] in _BARE_PRES_STOP or (nxt_orig and nxt_orig[0][:1].isupper()))
            ):
                continue
            if self._is_former(fs - art_len):
                continue
            if word.startswith("mandatari") and "gobernador" in f:
                continue  # "la mandataria" is then as likely the governor
            if has_mexico is None:
                has_mexico = self._mexican_context(spans)
                foreign = self._foreign_president()
            if not has_mexico:
                continue
            held = self._holder(
                "president", None, fem=None if word == "president" else word.endswith("a")
            )
            if not held:
                continue
            earlier = held[0].id in named and named[held[0].id] < self.ft.orig_start(fs)
            earlier = earlier or any(m.entity_id == held[0].id for m in out)
            if (foreign or word == "president") and not earlier:
                continue
            out.append(self._role_mention(fs - art_len, fe, held, roles))
        self._bare_governor(spans, roles, named, out)
        # governor / mayor + jurisdiction, both orders
        us_names = US_JURISDICTION_NAMES
        for sp in spans:
            geo = [c for c in sp.ents if c.kind in ("state", "place")]
            juris: list[tuple[str, str]] = []  # (kind, id)
            for c in geo:
                if c.kind == "state":
                    juris.append(("state", c.id))
                else:
                    juris.append(("place", c.id))
            if not geo and sp.dropped == "":
                continue
            self._role_around(sp.fs, sp.fe, juris, sp.key, roles, out)
        for name, jid in us_names.items():
            if name not in f:
                continue
            for m in re.finditer(r"\b" + re.escape(name) + r"\b", f):
                self._role_around(m.start(), m.end(), [("us", jid)], name, roles, out)
        return out

    def _dateline_end(self) -> int:
        """End of a wire dateline at the start of the text ("CULIACÁN, Sin. (EFE).-",
        "MEXICO CITY (AP) —"), or -1."""
        m = _DATELINE.match(self.doc, self.shift)
        return m.end() if m else -1

    def _other_governor(self, spans: list[_Span]) -> bool:
        """The article names a governor the watchlist does not know ("Oklahoma Gov. Kevin
        Stitt", "el gobernador Juan Pérez"): a bare "the governor" may be them."""
        off_at = {
            sp.start for sp in spans if any(c.kind in ("official", "surname") for c in sp.ents)
        }
        for m in _GOV_TITLE.finditer(self.doc):
            nxt = re.match(r"\s+([A-ZÁÉÍÓÚÑ][\w'-]+)", self.doc[m.end() : m.end() + 40])
            if (
                nxt
                and m.end() + nxt.start(1) not in off_at
                and fold(nxt.group(1)) not in FUNCTION_WORDS
                and fold(nxt.group(1)) not in self.tg._state_by_key
            ):
                return True
            prev = self.words_before(m.start(), 1)
            if (
                prev
                and _norm(prev[0]) in US_STATE_WORDS
                and fold(prev[0]) not in US_JURISDICTION_NAMES
            ):
                return True
        return False

    def _bare_governor(
        self, spans: list[_Span], roles: dict[str, str], named: dict[str, int], out: list[Mention]
    ) -> None:
        """ "el gobernador", "la gobernadora del estado", "el mandatario estatal", "the
        governor" with no state named next to it: the governor of the one state (or US state)
        the article is about, or the governor already named in it."""
        f = self.f
        if "gobernador" not in f and "governor" not in f and "mandatari" not in f:
            return
        found = [m for m in _BARE_GOV.finditer(f) if not self._is_former(m.start("title"))]
        if not found:
            return
        tg = self.tg
        # governors named in the article (by name or role), at the date
        gov_named = {
            oid
            for oid in named
            if (t := tg._officials[oid].term_on(self.day)) and t.role in ("governor", "us-governor")
        }
        gov_named |= {
            m.entity_id
            for m in out
            if m.role
            and (t := tg._officials[m.entity_id].term_on(self.day))
            and t.role in ("governor", "us-governor")
        }
        dl = self._dateline_end()
        st_pos: dict[str, list[int]] = {}
        for sp in spans:
            for c in sp.ents:
                sid = (
                    c.id
                    if c.kind == "state"
                    else (
                        sp.pinned.get(c.id, tg._places[c.id].state) if c.kind == "place" else None
                    )
                )
                if sid:
                    st_pos.setdefault(sid, []).append(sp.start)
        for rpos, _e, rsid, _s in self._route_states:
            st_pos.setdefault(rsid, []).append(rpos)
        body = {s for s, ps in st_pos.items() if max(ps) >= dl}
        juris: list[tuple[str, str]] = [("governor", s) for s in (body or set(st_pos))]
        for name, jid in US_JURISDICTION_NAMES.items():
            if re.search(r"\b" + re.escape(name) + r"\b", f):
                juris.append(("us-governor", jid))
        if self._other_governor(spans):
            return
        for m in found:
            fe = m.end()
            oe = self.ft.orig_end(fe)
            nxt_orig = self.doc[oe : oe + 40]
            # a name or a jurisdiction follows: other rules handle it
            if re.match(r"\s*(?:,\s*)?[A-ZÁÉÍÓÚÑ]", nxt_orig) or re.match(
                r"\s*(?:de|del|of|electo|electa|elect|-elect|saliente|interino|interina)\b",
                f[fe : fe + 12],
            ):
                continue
            title = m.group("title")
            fem = None if title == "governor" else title.endswith("a")
            held: tuple[Official, OfficeTerm] | None = None
            if len(gov_named) == 1:
                oid = next(iter(gov_named))
                t = tg._officials[oid].term_on(self.day)
                if t is not None and (
                    fem is None or fold(t.title_es).startswith(_FEM_TITLES) == fem
                ):
                    held = (tg._officials[oid], t)
            elif not gov_named and len(juris) == 1:
                held = self._holder(juris[0][0], juris[0][1], fem)
            if held:
                out.append(self._role_mention(m.start(), fe, held, roles))

    def _role_around(
        self,
        fs: int,
        fe: int,
        juris: list[tuple[str, str]],
        key: str,
        roles: dict[str, str],
        out: list[Mention],
    ) -> None:
        f = self.f
        window = f[max(0, fs - 60) : fs]
        pre = _PRE_ROLE.search(window) if _PRE_ROLE_HINT.search(window) else None
        post = _POST_ROLE.match(f[fe : fe + 40])
        for m, is_pre in ((pre, True), (post, False)):
            if m is None:
                continue
            title = m.group("title")
            if is_pre:
                ps = fs - (len(f[max(0, fs - 60) : fs]) - m.start())
                pe = fe
            else:
                ps = fs
                pe = fe + m.end()
                if f[pe : pe + 6].startswith(("-elect", " elect")):
                    continue
            if self._is_former(ps):
                continue
            mayor = (
                re.match(_MAYOR_WORDS, title) is not None
                and title not in ("mayor",)
                or title == "mayor"
            )
            held: tuple[Official, OfficeTerm] | None = None
            for kind, jid in juris:
                if mayor and title != "gobernador":
                    if kind == "place":
                        held = self._mayor_of(jid)
                    if held is None and kind == "state":
                        # "alcalde de Chihuahua" → the capital of that name
                        for pid in self.tg._places_by_name.get(key, []):
                            held = self._mayor_of(pid)
                            if held:
                                break
                else:
                    if kind == "state":
                        held = self._holder("governor", jid)
                    elif kind == "us":
                        held = self._holder("us-governor", jid)
                if held:
                    break
            if held:
                out.append(self._role_mention(ps, pe, held, roles))

    def _mayor_of(self, place_id: str) -> tuple[Official, OfficeTerm] | None:
        tg = self.tg
        p = tg._places.get(place_id)
        cands = [place_id]
        if p is not None:
            # "alcalde de Juárez" → the mayor of Ciudad Juárez (same state, longer name)
            k = fold(p.name)
            for pid in tg._mayor_places:
                q = tg._places.get(pid)
                if (
                    q is not None
                    and q.state == p.state
                    and pid != place_id
                    and re.search(r"\b" + re.escape(k) + r"\b", fold(q.name))
                ):
                    cands.append(pid)
        for pid in cands:
            if pid in tg._mayor_places:
                h = self._holder("mayor", pid)
                if h:
                    return h
        return None

    # ------------------------------------------------------------ flag policy

    def _flag(
        self,
        states: tuple[StateHit, ...],
        officials: tuple[OfficialHit, ...],
        groups: tuple[GroupHit, ...],
        terms: tuple[str, ...],
        mentions: list[Mention],
        state_mentions: list[tuple[int, str]],
    ) -> tuple[bool, tuple[str, ...]]:
        tg = self.tg
        disputed = [s for s in states if s.disputed]
        watched = [o for o in officials if o.id in tg._watched]
        # officials in a disputed state: by office at the date, or named in the same sentence
        in_disputed: list[tuple[OfficialHit, str]] = []
        disputed_ids = {s.id for s in disputed}
        for o in watched:
            off = tg._officials[o.id]
            sid = self._state_of(off)
            role_state = None
            for m in mentions:
                if m.entity_type == "official" and m.entity_id == o.id and m.state_id:
                    role_state = m.state_id
                    break
            sid = role_state or sid
            if sid in disputed_ids:
                in_disputed.append((o, tg._states[sid].name))
                continue
            for m in mentions:
                if m.entity_type != "official" or m.entity_id != o.id:
                    continue
                pos = m.start + self.shift
                sent = self.sent_id(pos)
                hit = next(
                    (
                        st
                        for p, st in state_mentions
                        if st in disputed_ids and self.sent_id(p) == sent
                    ),
                    None,
                )
                if hit:
                    in_disputed.append((o, tg._states[hit].name))
                    break
        cond = {
            "disputed_state": bool(disputed),
            "state": bool(states),
            "group": bool(groups),
            "violence_term": bool(terms),
            "official": bool(watched),
            "official_in_disputed_state": bool(in_disputed),
        }
        reasons: list[str] = []
        for rule in tg.wl.flag_policy.rules:
            if not all(cond[c] for c in rule.conditions):
                continue
            parts = []
            for c in rule.conditions:
                if c == "disputed_state":
                    parts.append("disputed state " + ", ".join(s.name for s in disputed))
                elif c == "state":
                    parts.append("state " + ", ".join(s.name for s in states))
                elif c == "group":
                    parts.append(
                        "criminal group " + ", ".join(self._group_label(g.id) for g in groups)
                    )
                elif c == "violence_term":
                    parts.append(
                        "violence term " + ", ".join(f"'{tg._terms.get(t, t)}'" for t in terms[:5])
                    )
                elif c == "official":
                    parts.append("official " + ", ".join(o.name for o in watched))
                elif c == "official_in_disputed_state":
                    parts.append(
                        "; ".join(
                            f"official {o.name}"
                            + (f" ({o.role})" if o.role else "")
                            + f" in disputed state {st}"
                            for o, st in in_disputed
                        )
                    )
            reason = " + ".join(parts)
            if reason not in reasons:
                reasons.append(reason)
        return bool(reasons), tuple(reasons)

    def _group_label(self, gid: str) -> str:
        g = self.tg._groups[gid]
        acr = next((a for a in g.exact_aliases if a.isupper() and len(a) <= 5), None)
        return f"{g.name} ({acr})" if acr else g.name


_DOTTED = frozenset(
    w for w in (*VENUE_BEFORE, *VENUE_AFTER, *PERSON_TITLES, *US_STATE_WORDS) if w.endswith(".")
)


def _norm(word: str) -> str:
    """Folded word; a trailing period is dropped unless it makes a known abbreviation."""
    w = fold(word)
    return w if w in _DOTTED else w.rstrip(".")


def _capitalised(surface: str) -> bool:
    """A name in mixed-case text: one of its content words starts with a capital."""
    words = re.findall(r"[^\W\d_][^\s\-/]*", surface)
    content = [w for w in words if fold(w) not in FUNCTION_WORDS] or words
    return not content or any(w[:1].isupper() for w in content)


def _resolve(spans: list[_Span]) -> list[_Span]:
    """Longest span wins; among equal lengths the leftmost. Result in text order."""
    if not spans:
        return []
    spans.sort(key=lambda s: (-(s.fe - s.fs), s.fs))
    taken: list[tuple[int, int]] = []
    keep: list[_Span] = []
    import bisect

    starts: list[int] = []
    for s in spans:
        i = bisect.bisect_right(starts, s.fs)
        if i > 0 and taken[i - 1][1] > s.fs:
            continue
        if i < len(taken) and taken[i][0] < s.fe:
            continue
        taken.insert(i, (s.fs, s.fe))
        starts.insert(i, s.fs)
        keep.append(s)
    keep.sort(key=lambda s: s.fs)
    return keep
