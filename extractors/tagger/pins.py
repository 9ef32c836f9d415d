"""Issue-14 place rules (group names, street lists, towns named like states), coordinated
cartels, conflicting places, routes and pinning ambiguous places to their state."""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Mapping

from config.watchlist_model import Group
from extractors.lexicon import (
    HERO_SURNAMES,
    ROUTE_AFTER,
    ROUTE_BEFORE,
    SPORTS_CUES,
)
from extractors.tagger.base import (
    _ATTACHED,
    _WORD,
    _Cand,
    _Span,
)
from extractors.tagger.border_rules import (
    TEAM_NICKNAMES,
    article_dropped,
    dog_breed,
    la_familia,
    one_word_names,
    team_nickname,
    twin_places,
)
from extractors.tagger.local_names import MUNICIPALITY, local_name_reason, village_word_before
from extractors.tagger.place_rules import (
    collective_name,
    coordinated_cartels,
    in_group_name,
    in_org_name,
    in_team_name,
    in_venue_list,
    municipality_list,
    municipality_named_like_state,
    natural_region_name,
    org_name_list,
    outlet_name,
    road_toward,
    town_of_other_state,
    us_crossing_name,
    venue_name_tail,
)
from extractors.tagger.places import (
    PlaceRulesMixin,
)
from extractors.tagger.sports_names import bare_team_mention, sports_report, team_read
from extractors.textfold import fold

SPORTS_TEAM = "team (sports report)"
_BARE_TEAM = frozenset([SPORTS_TEAM, "team (article)", "team (opponent)"])


class PinsMixin(PlaceRulesMixin):
    """Issue-14 place rules (group names, street lists, towns named like states), coordinated"""

    def _not_places(self, spans: list[_Span]) -> None:
        """Issue 14 rules (``place_rules``): a state or place name inside a cartel's name, in a
        list of streets or an intersection, or a town named like a state in another state."""
        doc = self.doc
        geo = [sp for sp in spans if any(c.kind in ("state", "place") for c in sp.ents)]
        if not geo:
            return
        # cue words found once on the folded text; the regexes run only near a cue
        cartel_at = self._cue_starts("cartel")  # _CARTEL_CUE's matches
        venue_at = self._cue_starts("venue")  # _VENUE_CUE's matches
        landform_at = self._cue_starts("landform")  # natural_region_name's cue words
        road_at = self._cue_starts("road")  # road_toward's cue words
        team_at = self._cue_starts("team")  # team_nickname's club nicknames

        def is_state(name: str) -> bool:
            return fold(name) in self.tg._state_by_key

        def is_hero(name: str) -> bool:
            return fold(name) in HERO_SURNAMES

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
            if not why and in_org_name(doc, sp.start):
                why = "organization name"
            if not why and org_name_list(doc, sp.start):
                why = "organization name"
            if not why and in_team_name(doc, sp.start):
                why = "team name"
            if not why and (collective_name(doc, sp.start) or outlet_name(doc, sp.end)):
                why = "organization name"
            if not why and venue_name_tail(doc, sp.start):
                why = "street list"
            if (
                not why
                and near(landform_at, sp.fs - 30, sp.fe + 12)
                and natural_region_name(doc, sp.start, sp.end)
            ):
                why = "natural region"
            if not why and near(road_at, sp.fs - 40, sp.fs) and road_toward(doc, sp.start):
                why = "road name"
            if not why and us_crossing_name(doc, sp.start, sp.end):
                why = "US crossing"
            if not why and sp.key == "chihuahua" and self._dog_breed(sp):
                why = "dog breed"
            if not why and near(team_at, sp.fs - 16, sp.fs) and self._team_nickname(sp):
                why = "team name"
            if not why and sp.key in HERO_SURNAMES and self._town_named_like_state(geo, i):
                why = "town of another state"
            if (
                not why
                and sp.key in HERO_SURNAMES
                and any(c.kind == "state" for c in sp.ents)
                and (
                    municipality_named_like_state(doc, sp.start, sp.end)
                    or municipality_list(
                        doc, sp.start, sp.end, is_state, is_hero, self._state_starts(geo)
                    )
                )
            ):
                why = MUNICIPALITY
            if not why:
                why = self._local_name(sp)
            if not why and team_read(doc, sp.start, sp.end) and self._sports_report():
                why = SPORTS_TEAM
            if why:
                sp.ents = [c for c in sp.ents if c.kind not in ("state", "place")]
                sp.dropped = why
        self._hero_town_one_sense(geo)
        self._team_one_sense(spans)
        self._village_of_other_state(geo)

    def _village_of_other_state(self, geo: list[_Span]) -> None:
        """``village_of_other_state`` (``local_names``): a town named as a village in an
        article about another state, where nothing else is in the town's state."""
        villages = [
            sp
            for sp in geo
            if not sp.dropped
            and any(c.kind == "place" and not c.amb for c in sp.ents)
            and not any(c.kind == "state" for c in sp.ents)
            and village_word_before(self.doc, sp.start)
        ]
        if not villages:
            return
        places = self.tg._places
        direct: set[str] = set()
        for sp in geo:
            if not sp.dropped:
                direct |= {c.id for c in sp.ents if c.kind == "state"}
        for sp in villages:
            own = {places[c.id].state for c in sp.ents if c.kind == "place"}
            if not direct or direct & own:
                continue
            others = [
                o
                for o in geo
                if o is not sp
                and not o.dropped
                and any(
                    c.kind == "place" and not c.amb and places[c.id].state in own for c in o.ents
                )
            ]
            if not others:
                sp.ents = [c for c in sp.ents if c.kind != "place"]
                sp.dropped = "village of another state"

    def _sports_report(self) -> bool:
        """``sports_names.sports_report`` of this document, computed once when first asked."""
        if self._sports is None:
            self._sports = sports_report(self.f)
        return self._sports

    def _team_one_sense(self, spans: list[_Span]) -> None:
        """``team_one_sense`` (``sports_names``): in a sports report, the other bare mentions
        of a name read as a team, and the next element of a list after a team."""
        doc = self.doc

        def is_team(sp: _Span) -> bool:
            """The name itself read as a team ("el Puebla", "ante Puebla", "el Club Puebla");
            not the place in a team's name ("los Dorados de Sinaloa")."""
            return sp.dropped in _BARE_TEAM or (
                sp.dropped == "venue" and doc[max(0, sp.start - 5) : sp.start].lower() == "club "
            )

        teams = {sp.key for sp in spans if sp.dropped in _BARE_TEAM}
        if not any(is_team(sp) for sp in spans):
            return
        if not self._sports_report():
            return
        prev: _Span | None = None
        for sp in spans:
            if not any(c.kind in ("state", "place") for c in sp.cands):
                continue
            if sp.dropped or not any(c.kind in ("state", "place") for c in sp.ents):
                prev = sp
                continue
            listed = (
                prev is not None
                and is_team(prev)
                and re.fullmatch(r"\s*(?:,|y|e)\s*", doc[prev.end : sp.start]) is not None
            )
            if listed or (sp.key in teams and bare_team_mention(doc, sp.start, sp.end)):
                sp.ents = [c for c in sp.ents if c.kind not in ("state", "place")]
                sp.dropped = SPORTS_TEAM
            prev = sp

    def _local_name(self, sp: _Span) -> str:
        """The ``local_names`` rules (issue 14, sixth round) for one span."""
        states = any(c.kind == "state" for c in sp.ents)
        places = self.tg._places

        def names() -> list[tuple[str, ...]]:
            if states:
                return []
            return [
                (places[c.id].name, *places[c.id].aliases) for c in sp.ents if c.kind == "place"
            ]

        return local_name_reason(
            self.doc,
            sp.start,
            sp.end,
            states and sp.key in HERO_SURNAMES,
            names,
            self.tg._state_by_key.__contains__,
        )

    def _hero_town_one_sense(self, geo: list[_Span]) -> None:
        """``hero_town_one_sense``: a hero name read once as a municipality ("el municipio de
        Morelos", "el alcalde de Morelos", "Hidalgo, Nuevo León") is that municipality at its
        other bare mentions in the article too, not after "estado de" / "state of"."""
        towns = {sp.key for sp in geo if sp.dropped in (MUNICIPALITY, "town of another state")}
        if not towns:
            return
        for sp in geo:
            if sp.key not in towns or sp.dropped:
                continue
            if not any(c.kind == "state" for c in sp.ents):
                continue
            before = fold(self.doc[max(0, sp.start - 12) : sp.start])
            if re.search(r"(?:estado|state) (?:de|of) $", before):
                continue
            sp.ents = [c for c in sp.ents if c.kind not in ("state", "place")]
            sp.dropped = MUNICIPALITY

    def _dog_breed(self, sp: _Span) -> bool:
        """``dog_breed`` (border_rules): the sentence around the name and the one before it."""
        sents = self._sentences()
        si = self.sent_id(sp.start)
        lo = sents[max(0, si - 1)]
        hi = sents[si + 1] if si + 1 < len(sents) else len(self.doc)
        return dog_breed(self.doc, sp.start, sp.end, self.doc[lo:hi])

    def _team_nickname(self, sp: _Span) -> bool:
        """``team_nickname`` (border_rules): "Chivas Guadalajara" in a sentence about sport."""
        m = _PREV_CAP_WORD.search(self.doc, max(0, sp.start - 16), sp.start)
        if m is None:  # no capitalised word right before the name (most names)
            return False
        prev = fold(m.group(1))
        if prev not in TEAM_NICKNAMES:
            return False
        words = {fold(x) for x in _WORD.findall(self.sentence_of(sp.start))}
        return team_nickname(prev, bool(words & SPORTS_CUES))

    def _short_group_forms(self, spans: list[_Span]) -> list[tuple[int, int, str]]:
        """``la_familia`` and ``article_dropped`` (border_rules): groups named by a short form
        ("La Familia"; "Linea" coordinated with "Gente Nueva"). (start, end, group id)."""
        out: list[tuple[int, int, str]] = []
        if "La Familia" in self.doc:
            lfm = self.tg._group_keys.get("la familia michoacana")
            if lfm is not None:
                out += [(a, b, lfm) for a, b in la_familia(self.doc)]
        groups = [sp for sp in spans if any(c.kind == "group" for c in sp.ents)]
        if groups:
            short = _one_word_groups(self.tg._groups)
            for sp in groups:
                for a, b, word in article_dropped(self.doc, sp.start, sp.end):
                    gid = short.get(fold(word))
                    if gid is not None:
                        out.append((a, b, gid))
        if not out:
            return out
        taken = [(sp.start, sp.end) for sp in spans if sp.ents]
        return [(a, b, g) for a, b, g in out if not any(s < b and a < e for s, e in taken)]

    def _coordinated(self, spans: list[_Span]) -> list[tuple[int, int, str]]:
        """Groups named in a coordination ("the Sinaloa and Gulf cartels"): each element is
        looked up as "Cártel de X" / "X Cartel" / "X Organization" / "X" among group names."""
        if "cartels" not in self.cue_at:  # neither "cartels" nor "carteles" in the text
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

    def _state_starts(self, geo: list[_Span]) -> set[int]:
        """Start offsets of the spans that still read as a state."""
        return {sp.start for sp in geo if any(c.kind == "state" for c in sp.ents)}

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
                and town_of_other_state(doc, sp.end, nxt.start, nxt.end, self._state_starts(geo))
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
            # a headline's place is not attached to the dateline on the next line
            # ("… en Guadalajara\nACAPULCO, Gro., 8 de febrero")
            if "\n" in between or not _ATTACHED.fullmatch(between):
                continue
            sid = state_at[starts[i]]
            bad = [c for c in places if self.tg._places[c.id].state != sid]
            if bad and len(bad) == len(places):
                sp.ents = [c for c in sp.ents if c not in bad]
                sp.dropped = "another place (different state attached)"

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
            if chosen is None:  # ``border_twin``: "Brownsville and Matamoros"
                twins = twin_places(self.doc, sp.start, sp.end, self.sentence_of(sp.start))
                hit = [p for p in twins if p in tg._places and tg._places[p].state in cand_states]
                if len(hit) == 1:
                    chosen = tg._places[hit[0]].state
                    if fold(tg._places[hit[0]].name).endswith(sp.key):  # "Juárez": Ciudad Juárez
                        longer[chosen] = hit[0]
            others = [c for c in sp.ents if c.kind != "place"]
            if chosen is None:
                sp.ents = others
                sp.dropped = sp.dropped or "ambiguous place, state not pinned"
            elif chosen in longer:
                sp.ents = [_Cand("place", longer[chosen]), *others]
            else:
                sp.ents = [cand_states[chosen], *others]


# a capitalised word and one space right before a name ("Chivas Guadalajara")
_PREV_CAP_WORD = re.compile(r"(?<![\w.])([A-ZÁÉÍÓÚÑ][a-záéíóúñ]+) $")
_ONE_WORD_CACHE: dict[int, tuple[object, dict[str, str]]] = {}
# one-word group names that are also common surnames or words: never taken without their article
_SHORT_OK_SINGULAR = frozenset(["linea", "barredora", "mayiza", "chapiza", "resistencia"])
_SHORT_NEVER = frozenset(["granados", "paredes", "negros", "menores", "rusos", "memos"])


def _one_word_groups(groups: Mapping[str, Group]) -> dict[str, str]:
    """``article_dropped``: the one-word group names after their article (plural gang names,
    and a few singular ones), folded, from every name and alias; computed once per tagger."""
    hit = _ONE_WORD_CACHE.get(id(groups))
    if hit is not None and hit[0] is groups:
        return hit[1]
    names: dict[str, str] = {}
    for gid, g in groups.items():
        for n in (g.name, g.name_en, *g.aliases, *g.exact_aliases):
            if n:
                names.setdefault(fold(n), gid)
    short = {
        w: g
        for w, g in one_word_names(names).items()
        if (w.endswith("s") or w in _SHORT_OK_SINGULAR) and w not in _SHORT_NEVER
    }
    _ONE_WORD_CACHE[id(groups)] = (groups, short)
    return short
