"""The index: the watchlist's names folded into one Aho-Corasick automaton (with derived short
names and group variants), built once per watchlist; ``Tagger.tag`` runs one ``run._Run``."""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from collections.abc import Iterable
from operator import itemgetter
from pathlib import Path
from typing import Any

import ahocorasick_rs

from config import clock
from config.watchlist_model import Group, Official, Place, State, Watchlist
from extractors.lexicon import (
    COMMON_SURNAMES,
    DERIVED_HEAD_STOP,
    GIVEN_NAMES,
    US_JURISDICTION_NAMES,
)
from extractors.tagger.base import (
    _CDMX_ROLE_PATTERNS,
    _NATIONAL_ROLE_PATTERNS,
    _ROLE_TRIGGERS,
    SUBSTRING_CUES,
    _Cand,
    _deaccent,
    _slug,
)
from extractors.tagger.official_titles import (
    TITLE_HEADS,
)
from extractors.tagger.result import (
    TagResult,
)
from extractors.tagger.variants import (
    acronyms,
    cartel_forms,
    faction_forms,
    family_cartel,
    hyphen_forms,
    lowercase_article,
    plural_head,
    prefix_forms,
    quoted_bare,
    quoted_forms,
    short_cartel_forms,
)
from extractors.textfold import fold

# candidate kinds that mark a cue word's place and are not entities (see ``run._raw_spans``)
_MARKERS = frozenset({"trigger", "title", "usname"})
# a key's value (see ``Tagger.__init__``): (length, markers, candidates, substring cues)
_KeyValue = tuple[int, tuple[tuple[str, str], ...], tuple[_Cand, ...], tuple[str, ...]]
_BY_END = itemgetter(2, 1)  # end, then start: at one end the longest key first


def code_digest(package: Path = Path(__file__).resolve().parent) -> str:
    """A digest of the tagger's own code: its package's modules and the two it reads its words
    and folding from (``extractors/lexicon.py``, ``extractors/textfold.py``). Part of
    ``Tagger.version``, so that new rules give a new version and ``retag`` re-applies them to
    stored articles even when the watchlist did not change."""
    h = hashlib.sha256()
    for f in sorted(package.glob("*.py")) + [
        package.parent / "lexicon.py",
        package.parent / "textfold.py",
    ]:
        h.update(f.name.encode() + b"\0" + f.read_bytes() + b"\0")
    return h.hexdigest()[:8]


_CODE_DIGEST = code_digest()


class Tagger:
    """Built once per watchlist (cheap, picklable); ``tag`` is thread-safe."""

    def __init__(self, wl: Watchlist) -> None:
        self.wl = wl
        # the watchlist's version (its data) + the code's: either changing makes a retag
        self.version = f"{wl.version}+{_CODE_DIGEST}"
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
        # ``us_name_cues``: US jurisdiction names, found in the same pass (no regex rescan)
        for w in US_JURISDICTION_NAMES:
            add(w, _Cand("usname", w))
        # ``substring_cues``: recorded wherever they occur, inside words too
        for name, subs in SUBSTRING_CUES.items():
            for w in subs:
                add(w, _Cand("cue", name))
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
        # ``homonym_by_context``: "Los Rojos (Cártel del Golfo)" is a homonym of "Los Rojos"
        by_name = {g.name: g.id for g in wl.groups}
        self._group_homonyms: dict[str, list[str]] = {}
        for g in wl.groups:
            base = re.sub(r"\s*\([^)]*\)$", "", g.name)
            if base != g.name and base in by_name:
                self._group_homonyms.setdefault(by_name[base], []).append(g.id)
        # ``hyphen_partner``: the bare X of each "Los X" / "La X" group name (one word), when
        # no other group has the same bare X
        bare_ids: dict[str, set[str]] = {}
        for g in wl.groups:
            for n in (g.name, *g.aliases, *g.exact_aliases):
                m = re.fullmatch(r"(?:Los|Las|La|El) ([A-ZÁÉÍÓÚÑ][a-záéíóúñ]{2,})", n.strip())
                if m:
                    bare_ids.setdefault(m.group(1), set()).add(g.id)
        self._bare_group_names: dict[str, str] = {
            w: next(iter(ids)) for w, ids in bare_ids.items() if len(ids) == 1
        }
        self._group_keys: dict[str, str] = {
            k: cs[0].id for k, cs in keys.items() if len(cs) == 1 and cs[0].kind == "group"
        }
        # each key's value: (length, markers, candidates); markers are the cue words that only
        # record where they are (role triggers, title heads, US names: ``_MARKERS``), as
        # (kind, id) pairs, so that the hit loop does not look at them one candidate at a time
        self._values: list[_KeyValue] = []
        for k, cands in keys.items():
            marks = tuple((c.kind, c.id) for c in cands if c.kind in _MARKERS)
            cues = tuple(c.id for c in cands if c.kind == "cue")
            ents = tuple(c for c in cands if c.kind not in _MARKERS and c.kind != "cue")
            self._values.append((len(k), marks, ents, cues))
        # one DFA over all keys (ahocorasick_rs), every occurrence (overlapping): a scan of an
        # article costs about a quarter of pyahocorasick's trie walk; ``hits`` gives its matches
        # in pyahocorasick's order
        self._auto = (
            ahocorasick_rs.AhoCorasick(
                list(keys),
                matchkind=ahocorasick_rs.MATCHKIND_STANDARD,
                implementation=ahocorasick_rs.Implementation.DFA,
            )
            if keys
            else None
        )
        # a character in no key: stands in for lone surrogates (not UTF-8) in a scanned text
        alphabet = set("".join(keys))
        self._blank = next(c for c in "\ufffd\x00\x01" if c not in alphabet)
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

        def add(v: str, gid: str, *, exact: bool, skip: frozenset[str] = frozenset()) -> None:
            """The variant ``v`` of group ``gid`` (matched as written when ``exact``), unless
            its key is in ``skip`` or another entity has it."""
            k = fold(v)
            if k not in skip and free(k, gid):
                cand = _Cand("group", gid, exact=_deaccent(v) if exact else None)
                if cand not in keys.setdefault(k, []):
                    keys[k].append(cand)

        state_names = frozenset(fold(st.name) for st in wl.states)
        short: dict[str, set[str]] = {}
        for g in wl.groups:
            for n in (g.name, g.name_en, *g.aliases):
                for v in short_cartel_forms(n or "", state_names):
                    short.setdefault(fold(v), set()).add(g.id)
        for k, gids in short.items():
            if len(gids) == 1 and k not in keys:
                keys[k] = [_Cand("group", next(iter(gids)))]
        for g in wl.groups:
            names = [n for n in (g.name, g.name_en, *g.aliases) if n and "(" not in n]
            exact_keys = frozenset(fold(n) for n in g.exact_aliases)
            for n in names:
                for v in cartel_forms(n):
                    add(v, g.id, exact=False, skip=exact_keys)
            for n in g.exact_aliases:
                low = lowercase_article(n)
                if low is not None:
                    add(low, g.id, exact=True)
            # case-sensitive forms: several may share a key ("the Zetas" / "The Zetas"); sorted,
            # so that the index never depends on set order
            for n in (*names, *g.exact_aliases):
                for v in sorted(faction_forms(n) | quoted_forms(n)):
                    add(v, g.id, exact=True)
            for n in names:
                for v in sorted(hyphen_forms(n)):
                    add(v, g.id, exact=False)
            for n in (*names, *g.exact_aliases):
                for v in sorted(hyphen_forms(n)):
                    add(v, g.id, exact=True)
            # issue 14, sixth round: plural_head, prefix_forms, family_cartel (as the name:
            # case-insensitive for a case-insensitive name, exact for an exact alias),
            # quoted_bare (exact)
            for n, exact in [(n, False) for n in names] + [(n, True) for n in g.exact_aliases]:
                more = {plural_head(n), family_cartel(n)} - {None}
                for v in sorted(prefix_forms(n) | {m for m in more if m}):
                    add(v, g.id, exact=exact)
            for n in (*names, *g.exact_aliases):
                for v in sorted(quoted_bare(n)):
                    add(v, g.id, exact=True)
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

    def hits(self, f: str) -> list[tuple[int, _KeyValue]]:
        """Every occurrence of a key in the folded text ``f``, overlapping ones too, as (end
        index, key's value), by end and at one end the longest key first (the order of
        pyahocorasick's ``iter``, which the tagger used before: same output)."""
        if self._auto is None or not f:
            return []
        try:
            found = self._auto.find_matches_as_indexes(f, overlapping=True)
        except UnicodeEncodeError:  # lone surrogates: a character in no key, same length
            f = re.sub("[\ud800-\udfff]", self._blank, f)
            found = self._auto.find_matches_as_indexes(f, overlapping=True)
        found.sort(key=_BY_END)
        values = self._values
        return [(e - 1, values[i]) for i, _s, e in found]

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
            day = clock.today()  # the injectable clock (config/clock.py), UTC date
        shift = 0
        doc = text
        if title and isinstance(title, str) and title.strip():
            doc = title + "\n" + text
            shift = len(title) + 1
        from extractors.tagger.run import _Run

        return _Run(self, doc, shift, day).result()
