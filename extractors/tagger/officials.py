"""Officials by name: listed names, aliases and surnames, and the open class (titled people,
listed or unlisted; a named person in apposition wins over role-by-date)."""

from __future__ import annotations

import datetime as dt
import re

from config.watchlist_model import Official
from extractors.lexicon import (
    COMMON_SURNAMES,
    FORMER_WORDS,
    GIVEN_NAMES,
    HERO_SURNAMES,
    VENUE_AFTER,
    VENUE_BEFORE,
)
from extractors.tagger.base import (
    _TITLE_KIND,
    _norm,
    _Span,
)
from extractors.tagger.local_names import VENUE_HEADS_MORE
from extractors.tagger.official_names import TitledPerson
from extractors.tagger.open_officials import (
    find_titled_people,
    same_person,
)
from extractors.tagger.result import (
    Mention,
    OtherOfficial,
)
from extractors.tagger.roles import (
    RolesMixin,
)
from extractors.textfold import fold

_GLUED_AFTER = re.compile(r" [A-ZÁÉÍÓÚÑ]")


# ``name_in_venue``: capitalised words after a person's name that make it a place's name
_VENUE_AFTER_NAMES = VENUE_AFTER | frozenset(
    ["airport", "bridge", "highway", "freeway", "park", "building", "center", "library", "middle"]
)


class OfficialsMixin(RolesMixin):
    """Officials by name: listed names, aliases and surnames, and the open class (titled people,"""

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
            if offs and self._name_in_venue(sp):
                continue
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
                chosen = self._distinctive_surname(sp, ids)
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

    def _name_in_venue(self, sp: _Span) -> bool:
        """``name_in_venue``: a listed official's name right after a street or venue noun ("la
        avenida Ana Ruiz", "colonia Ana Ruiz", "la escuela Ana Ruiz") or right before a
        capitalised street / venue word ("Ana Ruiz Boulevard", "Ana Ruiz Airport") names the
        place, not the person."""
        before = self.words_before(sp.start, 1)
        if before and self._adjacent_before(sp.start, before[-1]):
            w = _norm(before[-1])
            if w in VENUE_BEFORE or w in VENUE_HEADS_MORE:
                return True
        after = self.words_after(sp.end, 1)
        return (
            bool(after)
            and after[0][:1].isupper()
            and self.doc[sp.end : sp.end + 1] == " "
            and _norm(after[0]) in _VENUE_AFTER_NAMES
        )

    def _titled_people(self, offs: list[Mention]) -> tuple[list[Mention], list[OtherOfficial]]:
        """Officials as an open class (``open_officials``): a person named with a title is the
        listed official of that name, or an unlisted one; a named person in apposition wins
        over the role resolved by date ("el gobernador de Jalisco, Ana Ruiz")."""
        tg = self.tg
        if not self.title_heads:
            return offs, []
        # only "mayor" (anywhere in the folded text) needs the language
        lang = self.lang if "mayor" in self.cue_at else ""
        people = find_titled_people(
            self.doc, tg._geo_names, lang, self.title_heads, self.governed_heads
        )
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
                    entity_type="official",
                    entity_id=oid,
                    surface=self.doc[p.start : p.end],
                    start=p.start - self.shift,
                    end=p.end - self.shift,
                    snippet=self.snippet(p.start, p.end),
                    state_id=self._state_of(o),
                    role=o.role_on(self.day),
                    name=o.name,
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

    def _distinctive_surname(self, sp: _Span, ids: list[str]) -> str | None:
        """``distinctive_surname``: a bare surname alone ("Homan dijo", "said Fayad") is the one
        listed official with that surname in office on the article's date (or, when none is,
        ``recently_left``: the one whose term ended in the 30 days before it, as news of a killed
        or removed official goes on naming them), when the surname is
        distinctive (five letters at least, not a common surname or given name), written with a
        capital and not glued to another capitalised word (a longer name)."""
        key = sp.key
        if len(key) < 5 or " " in key or key in COMMON_SURNAMES or key in GIVEN_NAMES:
            return None
        if key in HERO_SURNAMES:
            return None
        now = [i for i in ids if self.tg._officials[i].term_on(self.day) is not None]
        if not now:
            now = [i for i in ids if _recently_left(self.tg._officials[i], self.day)]
        if len(now) != 1:
            return None
        if _GLUED_AFTER.match(self.doc, sp.end):
            return None
        before = self.words_before(sp.start, 1)
        if before and before[-1][:1].isupper() and self._adjacent_before(sp.start, before[-1]):
            return None
        return now[0]


RECENTLY_LEFT_DAYS = 30


def _recently_left(o: Official, day: dt.date) -> bool:
    """``recently_left``: a term of ``o`` ended at most ``RECENTLY_LEFT_DAYS`` before ``day``."""
    return any(
        t.end is not None and dt.timedelta(0) < day - t.end <= dt.timedelta(RECENTLY_LEFT_DAYS)
        for t in o.terms
    )
