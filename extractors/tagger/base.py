"""Shared internals of the tagger: candidates, spans, the regexes and role tables, small helpers."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from functools import lru_cache
from typing import TYPE_CHECKING

from extractors.lexicon import (
    FOREIGN_COUNTRIES,
    FOREIGN_TWO_WORD,
    FUNCTION_WORDS,
    PERSON_TITLES,
    US_STATE_WORDS,
    VENUE_AFTER,
    VENUE_BEFORE,
    words,
)
from extractors.tagger.border_rules import TEAM_NICKNAMES
from extractors.textfold import FoldedText, fold

if TYPE_CHECKING:
    from extractors.tagger.index import Tagger


# --------------------------------------------------------------------------- internals


@dataclass(frozen=True, slots=True)
class _Cand:
    kind: str  # state | place | group | official | surname | term
    id: str
    exact: str | None = None  # de-accented alias that must match case-sensitively
    prefix: bool = False  # violence term with a trailing '*'
    is_name: bool = False  # the canonical/surname alias is one word (person-name rules apply)
    amb: bool = False  # a place that needs its state pinned by the text


@dataclass(frozen=True, slots=True)
class UsNameHit:
    """A US jurisdiction name ("texas", "new mexico") found in the folded text by the
    automaton's pass (``us_name_cues``); the same accessors as a regex match."""

    s: int
    e: int
    name: str

    def group(self) -> str:
        return self.name

    def start(self) -> int:
        return self.s

    def end(self) -> int:
        return self.e


@dataclass(slots=True)
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
# one leading character class (the regex engine then skips fast to the candidates); the
# lookbehinds pick the branch: punctuation + closing quotes + spaces before a capital, or a
# newline run
_SENT_END = re.compile(
    r"[.!?…\n](?:(?<=[.!?…])[\"'”’»)\]]*\s+(?=[\"'“‘«(¿¡]?[A-ZÁÉÍÓÚÑÜ0-9])|(?<=\n)\s*)"
)
_ATTACHED = re.compile(
    r"(?:\s+[A-ZÁÉÍÓÚÑ][\w'-]*){0,2}\s*[,(]\s*(?:(?:in|en)\s+)?(?:(?:the|el)\s+)?"
    r"(?:(?:state of|estado de)\s+)?",
    re.IGNORECASE,
)
# function words counted for the language guess (``DocumentMixin.lang``)
EN_FUNCTION = frozenset(words("the and of said was were with from that has"))
ES_FUNCTION = frozenset(words("el los las del que por con una fue dijo se"))
_EN_WORDS = re.compile(r"\b(?:" + "|".join(sorted(EN_FUNCTION)) + r")\b")
_ES_WORDS = re.compile(r"\b(?:" + "|".join(sorted(ES_FUNCTION)) + r")\b")
# ASCII characters that are not ``\w``, made spaces: an ASCII text's words are then its
# ``split()``
ASCII_NON_WORD = str.maketrans(
    {chr(i): " " for i in range(128) if not chr(i).isalnum()} | {"_": "_"}
)
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
# the title words of ``_BARE_GOV`` (all title heads the automaton finds)
_GOV_HEADS = frozenset({"gobernador", "gobernadora", "governor", "mandatario", "mandataria"})
_WORD_END = re.compile(r"[a-záéíóúñ]{4,}\.$")
_ABBREV_END = re.compile(r"(?:\b[A-ZÁÉÍÓÚa-z]{1,4}\.|\b[A-Z]\.)$")


@lru_cache(maxsize=16384)
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
_VENUE_CUE_WORDS = tuple(
    words(
        """calle avenida av. avs. colonia fracc barrio bulevar boulevard street avenue esquina cruce
        cruzamiento interseccion intersection corner entre between"""
    )
)
_VENUE_CUE = re.compile("|".join(re.escape(w) for w in _VENUE_CUE_WORDS))
# ``substring_cues``: folded substrings (inside words too) whose places some rules need, found
# by the automaton's one pass instead of a scan of the text per rule: name -> substrings. No
# substring of a name is a prefix of another, and none overlaps itself, so the occurrences are
# those of ``re.finditer`` over the same alternatives (``DocumentMixin._cue_starts``)
SUBSTRING_CUES: dict[str, tuple[str, ...]] = {
    "cartel": ("cartel",),  # _CARTEL_CUE
    "venue": _VENUE_CUE_WORDS,  # _VENUE_CUE
    "cartels": ("cartels", "carteles"),
    "mayor": ("mayor",),
    # natural_region_name (and its sea_area: "Bay of Campeche", "Sonda de Campeche")
    "landform": ("peninsul", "desiert", "desert", "bay of", "bahia de", "sonda de"),
    "road": ("carretera", "autopista", "libramiento", "salida", "highway", "freeway"),
    "team": tuple(sorted(TEAM_NICKNAMES)),  # border_rules.team_nickname
}


_MAX_SNIPPET = 400
_DOTTED = frozenset(
    w for w in (*VENUE_BEFORE, *VENUE_AFTER, *PERSON_TITLES, *US_STATE_WORDS) if w.endswith(".")
)


def name_before_de(text: str, start: int, rx: re.Pattern[str], window: int) -> bool:
    """A name ending in "de " / "del " right before ``start`` that ``rx`` (anchored with
    ``$``) finds in the ``window`` characters before it: "colonia Jardines de", "Racing de",
    "Cámara Nacional de Comercio de" (the cheap suffix check first)."""
    return (
        text[max(0, start - 5) : start].endswith(("de ", "del "))
        and rx.search(text, max(0, start - window), start) is not None
    )


def _norm(word: str) -> str:
    """Folded word; a trailing period is dropped unless it makes a known abbreviation."""
    w = fold(word)
    return w if w in _DOTTED else w.rstrip(".")


_NAME_WORD = re.compile(r"[^\W\d_][^\s\-/]*")


@lru_cache(maxsize=16384)
def _capitalised(surface: str) -> bool:
    """A name in mixed-case text: one of its content words starts with a capital."""
    words = _NAME_WORD.findall(surface)
    content = [w for w in words if fold(w) not in FUNCTION_WORDS] or words
    return not content or any(w[:1].isupper() for w in content)


def _resolve(spans: list[_Span]) -> list[_Span]:
    """Longest span wins; among equal lengths the leftmost. Result in text order.

    The characters already taken are marked in a bytearray, so each span costs its own length
    (a sorted list of taken intervals cost O(n) per insertion: quadratic on a 5 MB text)."""
    if not spans:
        return []
    spans.sort(key=lambda s: (-(s.fe - s.fs), s.fs))
    taken = bytearray(max(s.fe for s in spans))
    keep: list[_Span] = []
    for s in spans:
        if taken.find(1, s.fs, s.fe) != -1:
            continue
        taken[s.fs : s.fe] = b"\x01" * (s.fe - s.fs)
        keep.append(s)
    keep.sort(key=lambda s: s.fs)
    return keep


class _RunState:
    """The attributes of one ``tag`` call (set by ``run._Run.__init__``), declared for the
    mixins that make up ``_Run``."""

    tg: Tagger
    doc: str
    shift: int
    day: dt.date
    ft: FoldedText
    f: str
    mixed: bool
    triggers: list[tuple[int, str]]
    _role_keys: set[tuple[int, int, str]]
    title_heads: list[int]
    governed_heads: bool
    gov_heads: list[int]
    cue_at: dict[str, list[tuple[int, int]]]
    _sent: list[int] | None
    _local_snippets: int
    _snippets_expected: int
    _us_name_hits: list[UsNameHit] | None
    _sports: bool | None  # sports_names.sports_report, computed once when asked
    us_hits: list[UsNameHit]
    _para: list[int] | None
    _lang: str | None
    _route_states: list[tuple[int, int, str, str]]
    _plain: dict[int, bool]
