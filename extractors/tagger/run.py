"""One ``tag`` call: raw spans from the automaton, the rules in order (see ``rules.RULES``),
the result."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

from extractors.tagger.base import (
    _GOV_HEADS,
    UsNameHit,
    _Cand,
    _capitalised,
    _deaccent,
    _resolve,
    _Span,
)
from extractors.tagger.border_rules import (
    lowercase_cartel,
    quoted_of_place,
    rojos_of_the_gulf,
)
from extractors.tagger.flagging import (
    FlagMixin,
)
from extractors.tagger.group_rules import GroupRulesMixin
from extractors.tagger.index import Tagger
from extractors.tagger.official_titles import GOVERNED_HEADS
from extractors.tagger.result import (
    GroupHit,
    Mention,
    OfficialHit,
    StateHit,
    TagResult,
)
from extractors.textfold import FoldedText


class _Run(FlagMixin, GroupRulesMixin):
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
        self.governed_heads = False  # one of them is a "governed by" head (``GOVERNED_HEADS``)
        self.gov_heads: list[int] = []  # folded offsets of governor title words (``_GOV_HEADS``)
        self.cue_at: dict[str, list[tuple[int, int]]] = {}  # ``SUBSTRING_CUES`` name -> spans
        self._sent: list[int] | None = None
        self._local_snippets = 0  # snippets cut without the whole sentence list
        self._snippets_expected = 0  # about how many snippets the result will need
        self._us_name_hits: list[UsNameHit] | None = None
        self.us_hits: list[UsNameHit] = []
        self._para: list[int] | None = None
        self._lang: str | None = None
        self._sports: bool | None = None
        self._route_states: list[tuple[int, int, str, str]] = []
        self._plain: dict[int, bool] = {}

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
        orig_start = self.ft.orig_start
        orig_end = self.ft.orig_end
        doc = self.doc
        mixed = self.mixed
        cue_at = self.cue_at
        for end_idx, (klen, marks, cands, cues) in self.tg.hits(f):
            fs = end_idx - klen + 1
            for name in cues:  # ``substring_cues``: inside words too
                cue_at.setdefault(name, []).append((fs, end_idx + 1))
            # inside a word (most automaton hits): rejected before any slicing
            if fs > 0 and f[fs - 1].isalnum() and f[fs].isalnum():
                continue
            fe = end_idx + 1
            right_ok = fe >= n or not f[end_idx].isalnum() or not f[fe].isalnum()
            if marks and right_ok:  # cue words: only where they are (whole words)
                for kind, ident in marks:
                    if kind == "trigger":
                        self.triggers.append((fs, ident))
                    elif kind == "title":
                        self.title_heads.append(orig_start(fs))
                        if ident in GOVERNED_HEADS:
                            self.governed_heads = True
                        elif ident in _GOV_HEADS:
                            self.gov_heads.append(fs)
                    # "usname": whole word, not the "California" of "Baja California"
                    elif f[max(0, fs - 5) : fs] != "baja ":
                        self.us_hits.append(UsNameHit(fs, fe, f[fs:fe]))
            if not cands:
                continue
            start = orig_start(fs)
            end = orig_end(fe)
            surface = doc[start:end]
            plain: str | None = None  # ``_deaccent(surface)``, computed once if needed
            caps: bool | None = None  # ``_capitalised(surface)``, computed once if needed
            ok: list[_Cand] = []
            for c in cands:
                if not right_ok and not c.prefix:
                    continue
                if c.exact is not None:
                    if plain is None:
                        plain = _deaccent(surface)
                    if (
                        plain != c.exact
                        and not _caps_form(surface, c.exact)
                        and not _quoted_form(surface, c.exact)
                    ) or (c.exact.endswith(_OF_TAILS) and not quoted_of_place(doc, end)):
                        continue
                elif mixed and c.kind != "term":
                    if caps is None:
                        caps = _capitalised(surface)
                    if not caps and not (c.kind == "group" and lowercase_cartel(surface)):
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
                end = orig_end(fe)
            key = f[fs:fe]
            ecands = [c for c in ok if c.kind != "term"]
            if ecands:
                ents.append(_Span(fs, fe, start, end, key, ecands))
            if len(ecands) < len(ok):
                terms.append(_Span(fs, fe, start, end, key, [c for c in ok if c.kind == "term"]))
        return _resolve(ents), _resolve(terms)

    def _result(self) -> TagResult:
        spans, term_spans = self._raw_spans()
        self._snippets_expected = len(spans) + len(term_spans)
        for sp in spans:
            sp.ents = list(sp.cands)
        self._context_rules(spans)
        self._group_context(spans)  # numbered_name, sports_nickname, longer_name
        elided = self._cartel_ellipsis(spans)  # cartel_ellipsis ('y el de Jalisco ...')
        self._not_places(spans)
        self._drop_conflicting_places(spans)
        # a route's state places the event for role resolution only: a state or city inside a
        # highway's name is no state mention (GUIDE.md)
        self._route_states = self._route_rule(spans)
        self._pin_places(spans)
        self._homonym_groups(spans)  # homonym_by_context
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
        for start, end, gid in (
            *self._coordinated(spans),
            *self._short_group_forms(spans),
            *self._hyphen_partners(spans),
            *elided,
        ):
            g = self.tg._groups[gid]
            mentions.append(
                Mention(
                    entity_type="group",
                    entity_id=gid,
                    surface=self.doc[start:end],
                    start=start - self.shift,
                    end=end - self.shift,
                    snippet=self.snippet(start, end),
                    state_id=None,
                    role=None,
                    name=g.name,
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
        # one mention per entity and span: two rules may find the same official at one place
        # (a listed name that is also a titled person); storage keeps each span once too
        seen: set[tuple[str, str, int, int]] = set()
        unique: list[Mention] = []
        for m in mentions:
            key = (m.entity_type, m.entity_id, m.start, m.end)
            if key not in seen:
                seen.add(key)
                unique.append(m)
        mentions = unique
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
        cdg = self.tg._groups.get("rojos-cdg") if "los-rojos" in grp_first else None
        if cdg is not None and rojos_of_the_gulf(grp_first, state_first):
            # ``rojos_of_the_gulf``: the Gulf Cartel's faction, not Guerrero's Los Rojos
            mentions = [
                replace(m, entity_id=cdg.id, name=cdg.name)
                if m.entity_type == "group" and m.entity_id == "los-rojos"
                else m
                for m in mentions
            ]
            grp_first = {}
            for m in mentions:
                if m.entity_type == "group":
                    grp_first.setdefault(m.entity_id, m.start)
        groups = tuple(GroupHit(gid, self.tg._groups[gid].name) for gid in grp_first)
        terms = tuple(dict.fromkeys(m.entity_id for m in mentions if m.entity_type == "term"))
        flagged, reasons = self._flag(
            states, officials, groups, terms, mentions, state_mentions, tuple(others)
        )
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


_OF_TAILS = (" of", " de", " del")  # ``quoted_faction_forms``' '"X" of' forms
_PLAIN_QUOTES = str.maketrans(
    {c: '"' for c in "\u00ab\u00bb\u201c\u201d\u201e"}
    | {c: "'" for c in "\u2018\u2019\u201a`\u00b4"}
)


def _quoted_form(surface: str, exact: str) -> bool:
    """``quoted_forms``: 'los «Mayitos' is the exact form 'los "Mayitos' (any quote mark)."""
    return ('"' in exact or "'" in exact) and _deaccent(surface.translate(_PLAIN_QUOTES)) == exact


def _caps_form(surface: str, exact: str) -> bool:
    """``caps_headline``: a case-sensitive name of two words or more written in capitals
    ("LOS RUSOS" in an all-caps headline) is that name."""
    return " " in exact and surface.isupper() and _deaccent(surface) == exact.upper()
