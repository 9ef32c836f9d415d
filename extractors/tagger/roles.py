"""Officials by role: role phrases resolved to the holder on the article's date, institutions,
bare "el presidente" / "the governor", governor / mayor + jurisdiction."""

from __future__ import annotations

import re

from config.watchlist_model import OfficeTerm, Official
from extractors.lexicon import (
    FOREIGN_PRESIDENT_CUES,
    FORMER_WORDS,
    FUNCTION_WORDS,
    ORDINALS,
    US_JURISDICTION_NAMES,
    US_STATE_WORDS,
)
from extractors.tagger.base import (
    _BARE_PRES_STOP,
    _DATELINE,
    _FEM_TITLES,
    _FOREIGN_PRES_RX,
    _GOV_TITLE,
    _MAYOR_WORDS,
    _POST_ROLE,
    _PRE_ROLE,
    _PRE_ROLE_HINT,
    _WORD,
    UsNameHit,
    _norm,
    _Span,
)
from extractors.tagger.pins import (
    PinsMixin,
)
from extractors.tagger.result import (
    Mention,
)
from extractors.textfold import fold

# ``not_the_holder``: a deputy, an incoming or a future head is not the office's holder on the
# date ("the acting deputy commissioner of CBP", "the incoming mayor of Monterrey, X", "el
# próximo fiscal"); like the former words, they stop role-by-date resolution
NOT_HOLDER_WORDS = frozenset(
    ("deputy", "assistant", "associate", "incoming", "future", "entrante", "proximo", "futuro")
)
# ``subnational_qualifier``: a national role phrase followed by "Municipal" / "Estatal" / "del
# Estado" names a local office of the same name ("secretario de Seguridad y Protección
# Ciudadana Municipal"), not the federal head
_SUBNATIONAL = re.compile(
    r"\s*(?:municipal|estatal|del estado|de la entidad|local|of the state|for the state"
    r"|of the municipality|of the city)\b"
)

# ``baja_california_not_us``: "California" inside "Baja California (Sur)" is the Mexican state,
# so "Baja California Governor X" is no US governor (folded text: one space between words)
_US_NAMES_RX = re.compile(
    r"\b(?<!baja )(?:" + "|".join(re.escape(n) for n in US_JURISDICTION_NAMES) + r")\b"
)


class RolesMixin(PinsMixin):
    """Officials by role: role phrases resolved to the holder on the article's date."""

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
            entity_type="official",
            entity_id=o.id,
            surface=self.doc[start:end],
            start=start - self.shift,
            end=end - self.shift,
            snippet=self.snippet(start, end),
            state_id=self._state_of(o, t),
            role=role,
            name=o.name,
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
            any(w in FORMER_WORDS or w in NOT_HOLDER_WORDS for w in words[-2:])
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
                if _SUBNATIONAL.match(f, m.end()):
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
        for u in self._us_names():
            name = u.group()
            self._role_around(u.start(), u.end(), [("us", us_names[name])], name, roles, out)
        return out

    def _us_names(self) -> list[UsNameHit]:
        """The US jurisdiction names ("texas", "new mexico" ...) in the folded text, found by
        the automaton's pass (``us_name_cues``); the regex only without an automaton."""
        if self._us_name_hits is None:
            if self.tg._has_keys:
                self._us_name_hits = self.us_hits  # ``us_name_cues``: the automaton's pass
            else:
                self._us_name_hits = [
                    UsNameHit(m.start(), m.end(), m.group()) for m in _US_NAMES_RX.finditer(self.f)
                ]
        return self._us_name_hits

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
        if not self.gov_heads:  # no title word of ``_BARE_GOV`` (found by the automaton)
            return
        found = [m for m in self._bare_gov_matches() if not self._is_former(m.start("title"))]
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
        for jid in dict.fromkeys(US_JURISDICTION_NAMES[m.group()] for m in self._us_names()):
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
