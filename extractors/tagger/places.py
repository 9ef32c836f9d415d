"""Context rules for state and place names (venue, US / abroad, person, team, longer names ...)."""

from __future__ import annotations

import re
from bisect import bisect_right

from extractors.lexicon import (
    AFTER_NOUN_USE,
    COMMON_NOUN_AFTER,
    COMMON_NOUN_BEFORE,
    FOREIGN_COUNTRIES,
    FOREIGN_TWO_WORD,
    FUNCTION_WORDS,
    GENERIC_HEADS,
    GIVEN_NAMES,
    HERO_SURNAMES,
    MONTHS_ES,
    NAME_PREFIX_OK,
    NAME_SUFFIX_OK,
    PERSON_TITLES,
    POSSESSIVES_EN,
    SPEECH_BEFORE,
    SPEECH_VERBS,
    SPORTS_CUES,
    SPORTS_OPPONENT_BEFORE,
    SPORTS_OPPONENT_BEFORE2,
    TEAM_HEADS,
    US_STATE_CODES,
    US_STATE_WORDS,
    US_TWO_WORD,
    VENUE_AFTER,
    VENUE_BEFORE,
)
from extractors.tagger.base import (
    _NO_ARTICLE,
    _PLACE_HEADS,
    _PREPOSITIONS,
    _TITLE_KIND,
    _WORD,
    _Cand,
    _norm,
    _Span,
)
from extractors.tagger.border_rules import street_in_place
from extractors.tagger.document import (
    DocumentMixin,
)
from extractors.textfold import fold

# "Durango street": an English street word after the name, even in lower case
_STREET_WORDS_EN = frozenset(["street", "st.", "avenue", "ave.", "boulevard", "blvd.", "road"])
# ``person_apposition``: a role noun (optionally after an article) right after "<name>, "
_APPOSITION_ROLES = frozenset(
    [
        "spokesman",
        "spokeswoman",
        "spokesperson",
        "agent",
        "officer",
        "sergeant",
        "sgt.",
        "detective",
        "deputy",
        "lieutenant",
        "captain",
        "investigator",
        "attorney",
        "lawyer",
        "prosecutor",
        "director",
        "chief",
        "supervisor",
        "commander",
        "vocero",
        "vocera",
        "portavoz",
        "agente",
        "titular",
        "director",
        "directora",
        "jefe",
        "jefa",
        "comandante",
        "delegado",
        "delegada",
        "abogado",
        "abogada",
        "investigador",
        "investigadora",
        "coordinador",
        "coordinadora",
    ]
)


def person_apposition(fa: list[str]) -> bool:
    """``person_apposition``: "Guerrero, a spokesman for ...", "Hidalgo, of the Texas
    Department of Public Safety", "Guerrero, vocero de ...", "Hidalgo, el agente ...": the
    folded words after "<name>," describe a person (a role noun, optionally after an article),
    or "of the" + organization (a person's affiliation; a state is "in", not "of the")."""
    if not fa:
        return False
    w = fa[1] if fa[0] in ("a", "an", "the", "el", "la") and len(fa) > 1 else fa[0]
    if w in _APPOSITION_ROLES:
        return True
    return fa[0] == "of" and len(fa) > 1 and fa[1] == "the"


# ``dateline_date``: "Matamoros, Tamaulipas, 3 de septiembre de 2025.-" — the number after
# "<name>, " starts a date (a Spanish month follows), not a person's age ("Guerrero, 45,")
_MONTHS_ES = frozenset((*MONTHS_ES, "setiembre"))


def dateline_date(fa: list[str]) -> bool:
    """``dateline_date``: the folded words after "<name>, " are a day and a Spanish month."""
    return len(fa) >= 3 and fa[1] == "de" and fa[2] in _MONTHS_ES


# ``nickname``: a state name right after "alias", "apodado", "a.k.a.", "known as", "conocido
# como" (with an optional quote and article) is a person's nickname, not the state
_NICKNAME_BEFORE = re.compile(
    r"(?i:\b(?:alias|apodad[oa]|a\.k\.a\.|aka|(?:known|conocid[oa]) (?:as|como)))"
    r"\s*[\"'“”«‘’]?\s*(?i:el |la |the )?$"
)


# ``us_town_service``: a city service named after the name ("the Durango Police Department",
# "Hidalgo police chief", "Departamento de Policía de Hidalgo") is a US town's when the text
# also has a US cue (a border state, a county, the Border Patrol, a port of entry); Mexican
# police are state or municipal ("Sinaloa state police", "la Policía Estatal de Hidalgo")
_US_SERVICE_AFTER = re.compile(
    r" (?:[Pp]olice (?:[Dd]epartment|[Dd]ept\.?|[Cc]hief|[Oo]fficers?)|City Council|city council"
    r"|Fire Department|Independent School District|ISD)\b"
)
_US_SERVICE_BEFORE = re.compile(
    r"(?:Departamento de Polic[ií]a|Departamento del Sheriff|Oficina del Sheriff) de $"
)
_US_CUE = re.compile(
    r"\b(?:Texas|Tex\.|Colorado|Colo\.|Arizona|Ariz\.|California|Calif\.|New Mexico|N\.M\."
    r"|Nuevo México|Nuevo Mexico|County|Condado|Border Patrol|Patrulla Fronteriza"
    r"|port of entry|puerto de entrada)"
)


class PlaceRulesMixin(DocumentMixin):
    """Context rules for state and place names (venue, US, abroad, person, team, longer names)."""

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
                fa
                and gap.strip() == ""
                and fa[0] in VENUE_AFTER
                and (after[0][:1].isupper() or fa[0] in _STREET_WORDS_EN)
                and not street_in_place(prev, after[0])  # "a Culiacán street": the city's
            ):
                reason = "venue"
            # United States
            elif self._us_after(sp.end, after, fa, gap) or self._us_town_service(sp):
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

    def _us_town_service(self, sp: _Span) -> bool:
        """``us_town_service`` (see ``_US_SERVICE_AFTER``): the name's city police, council,
        fire department or school district, in a text with a US cue."""
        doc = self.doc
        if not (
            _US_SERVICE_AFTER.match(doc, sp.end)
            or _US_SERVICE_BEFORE.search(doc, max(0, sp.start - 40), sp.start)
        ):
            return False
        # the document-wide cue is searched only after a service word matched (rare)
        return _US_CUE.search(doc) is not None

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
        if adjacent_prev and self._person_before(before, fb, sp.start):
            return True
        # nickname: 'known as "Tamaulipas"', 'alias "Sonora"', 'apodado «Durango»'
        if _NICKNAME_BEFORE.search(self.doc, max(0, sp.start - 40), sp.start):
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
                or (fa[0].isdigit() and len(fa[0]) <= 2 and not dateline_date(fa))
                or (fa[0] == "de" and len(fa) > 1 and fa[1].isdigit())
                or person_apposition(fa)
            )
        )

    def _adjacent_before(self, pos: int, word: str) -> bool:
        """``word`` ends right before ``pos`` (only spaces between)."""
        seg = self.doc[max(0, pos - len(word) - 3) : pos]
        i = seg.rfind(word)
        return i >= 0 and seg[i + len(word) :].strip() == ""

    def _person_before(self, before: list[str], fb: list[str], pos: int = -1) -> bool:
        w = before[-1]
        if fb[-1] in PERSON_TITLES and (fb[-1] not in ("fiscal", "general") or w[:1].islower()):
            return True
        if not w[:1].isupper():
            return False
        if fb[-1] in GIVEN_NAMES:
            return True
        # second_surname: "José Guerrero Hidalgo" (a given name, a capitalised surname, then
        # the state name as the second surname)
        if (
            len(before) >= 2
            and fb[-2] in GIVEN_NAMES
            and before[-2][:1].isupper()
            and w[1:].islower()
            and pos >= 0
            and self.doc[max(0, pos - len(w) - len(before[-2]) - 3) : pos].endswith(
                f"{before[-2]} {w} "
            )
        ):
            return True
        # title_surname_state: "el doctor Hidalgo Morelos", "Agent Ruiz Sonora" (a person
        # title, a capitalised surname, then the state name as the second surname)
        if (
            len(before) >= 2
            and fb[-2] in PERSON_TITLES
            and fb[-2] not in ("fiscal", "general")
            and w[1:].islower()
            and pos >= 0
            and self.doc[max(0, pos - len(w) - len(before[-2]) - 3) : pos].endswith(
                f"{before[-2]} {w} "
            )
        ):
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
