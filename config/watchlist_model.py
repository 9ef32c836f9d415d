"""The watchlist (gazetteer) data model: plain frozen dataclasses and the vocabulary they use
(role ids and their jurisdictions, place kinds, flag conditions).

``config/watchlist_parse.py`` builds them from parsed YAML dicts; ``config/watchlist_loader.py``
reads the files; the tagger (``extractors/tagger``) reads them.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

TAGGER_VERSION = "tagger-1.0"

# Every role id and the kind of jurisdiction its terms name:
#   "mx"          Mexico's federal government (jurisdiction ``mx``)
#   "us"          the US federal government (jurisdiction ``us``)
#   "mx-state"    a state id of states.yaml
#   "place"       a place id (places.yaml / places_extra.yaml)
#   "us-state"    a key of US_JURISDICTIONS (``us-tx``)
#   "us-district" a US House district of a border state (``us-tx-16``)
#   "us-any"      ``us`` (federal) or a key of US_JURISDICTIONS (a state's own post)
# Role ids are stable: the tagger and stored tags use them.
ROLE_JURISDICTIONS: dict[str, str] = {
    # Mexico, federal
    "president": "mx",
    "security-secretary": "mx",
    "defense-secretary": "mx",
    "navy-secretary": "mx",
    "interior-secretary": "mx",
    "attorney-general": "mx",
    "national-guard-commander": "mx",
    # Mexico, states and municipalities
    "governor": "mx-state",  # includes the CDMX head of government
    "police-chief": "mx-state",  # Mexico City's security secretary (SSC)
    "state-attorney-general": "mx-state",  # fiscal general / procurador of a state
    "state-security-secretary": "mx-state",  # secretario de seguridad (pública) of a state
    "mayor": "place",
    # United States, federal
    "us-president": "us",
    "us-vice-president": "us",
    "us-attorney-general": "us",
    "dhs-secretary": "us",
    "cbp-commissioner": "us",
    "border-patrol-chief": "us",
    "dea-administrator": "us",
    "border-czar": "us-any",  # White House (``us``) or a state's border czar (``us-tx``)
    # United States, border states
    "us-governor": "us-state",
    "dps-director": "us-state",  # state Department of Public Safety director
    "us-state-attorney-general": "us-state",  # a US border state's own attorney general
    "us-senator": "us-state",
    "us-representative": "us-district",
}
ROLES = frozenset(ROLE_JURISDICTIONS)
PLACE_KINDS = frozenset({"city", "municipality", "town", "crossing", "port"})
US_JURISDICTIONS = {
    "us-ca": "California",
    "us-az": "Arizona",
    "us-nm": "New Mexico",
    "us-tx": "Texas",
}
FLAG_CONDITIONS = frozenset(
    {
        "disputed_state",
        "state",
        "group",
        "violence_term",
        "official",
        "official_in_disputed_state",
        "unlisted_official",
        "unlisted_official_in_disputed_state",
    }
)


@dataclass(frozen=True)
class State:
    id: str
    name: str
    name_en: str = ""
    iso: str = ""
    capital: str = ""
    aliases: tuple[str, ...] = ()
    exact_aliases: tuple[str, ...] = ()
    disputed: bool = False
    disputed_reason: str = ""
    groups_reported: tuple[str, ...] = ()
    source: str = ""


@dataclass(frozen=True)
class Place:
    id: str
    name: str
    state: str
    kind: str = "city"
    aliases: tuple[str, ...] = ()
    exact_aliases: tuple[str, ...] = ()
    ambiguous: bool = False
    population: int | None = None
    source: str = ""


@dataclass(frozen=True)
class OfficeTerm:
    role: str
    jurisdiction: str
    start: dt.date
    end: dt.date | None
    title_es: str = ""
    title_en: str = ""

    def holds_on(self, day: dt.date) -> bool:
        return self.start <= day and (self.end is None or day <= self.end)


@dataclass(frozen=True)
class Official:
    id: str
    name: str
    aliases: tuple[str, ...] = ()
    exact_aliases: tuple[str, ...] = ()
    surname: str = ""
    country: str = "MX"
    terms: tuple[OfficeTerm, ...] = ()
    source: str = ""

    def term_on(self, day: dt.date) -> OfficeTerm | None:
        for t in self.terms:
            if t.holds_on(day):
                return t
        return None

    def role_on(self, day: dt.date) -> str | None:
        """Title held on ``day`` (``governor of Jalisco``); ``former ...`` after the last term."""
        t = self.term_on(day)
        if t is not None:
            return t.title_en or t.role
        past = [t for t in self.terms if t.end is not None and t.end < day]
        if past:
            last = max(past, key=lambda t: t.start)
            return f"former {last.title_en or last.role}"
        return None


@dataclass(frozen=True)
class Group:
    id: str
    name: str
    name_en: str = ""
    aliases: tuple[str, ...] = ()
    exact_aliases: tuple[str, ...] = ()
    parent: str | None = None
    states: tuple[str, ...] = ()
    us_states: tuple[str, ...] = ()  # US_JURISDICTIONS keys (prison gangs, US-side cells)
    source: str = ""


@dataclass(frozen=True)
class FlagRule:
    name: str
    conditions: tuple[str, ...]


DEFAULT_FLAG_RULES = (
    FlagRule("disputed state + criminal group", ("disputed_state", "group")),
    FlagRule("disputed state + violence", ("disputed_state", "violence_term")),
    FlagRule("watched official in a disputed state", ("official_in_disputed_state",)),
)


@dataclass(frozen=True)
class FlagPolicy:
    """Flag when ANY rule holds; a rule holds when ALL of its conditions hold.

    Conditions: ``disputed_state`` (a disputed state is mentioned, directly or via a place),
    ``state``, ``group``, ``violence_term``, ``official`` (a watched official),
    ``official_in_disputed_state`` (a watched official whose office at the article's date is in
    a disputed state, or who is named in the same sentence as a disputed state),
    ``unlisted_official`` (an official the watchlist does not list, named with an office title:
    ``other_officials``), ``unlisted_official_in_disputed_state`` (such an official whose title
    or sentence names a disputed state, directly or through a place: "el alcalde de Reynosa,
    Juan Pérez").
    ``watched_officials`` empty = every official of the watchlist is watched.
    """

    rules: tuple[FlagRule, ...] = DEFAULT_FLAG_RULES
    watched_officials: frozenset[str] = frozenset()


@dataclass(frozen=True)
class Watchlist:
    states: tuple[State, ...]
    places: tuple[Place, ...] = ()
    officials: tuple[Official, ...] = ()
    groups: tuple[Group, ...] = ()
    violence_terms: tuple[str, ...] = ()
    flag_policy: FlagPolicy = field(default_factory=FlagPolicy)
    version: str = TAGGER_VERSION
