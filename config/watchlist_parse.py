"""Build the watchlist model (config/watchlist_model.py) from parsed YAML dicts, and validate it.

No file access here: ``config/watchlist_loader.py`` reads the files, follows ``include:`` and
calls :func:`build_watchlist`. Every problem raises ``ConfigError`` naming the file and the entry
(``states[3] (jalisco)``).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
from collections.abc import Mapping, Sequence
from typing import Any

from config.errors import ConfigError
from config.watchlist_model import (
    FLAG_CONDITIONS,
    PLACE_KINDS,
    ROLE_JURISDICTIONS,
    ROLES,
    TAGGER_VERSION,
    US_JURISDICTIONS,
    FlagPolicy,
    FlagRule,
    Group,
    OfficeTerm,
    Official,
    Place,
    State,
    Watchlist,
)

_SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
_US_DISTRICT = re.compile(r"^(us-(?:ca|az|nm|tx))-([1-9][0-9]?)$")

# --------------------------------------------------------------------------- parsing helpers


def _err(msg: str, path: str, entry: str) -> ConfigError:
    return ConfigError(msg, path=path, entry=entry)


def _str(
    raw: Mapping[str, Any],
    key: str,
    path: str,
    entry: str,
    *,
    required: bool = True,
    default: str = "",
) -> str:
    v = raw.get(key)
    if v is None:
        if required:
            raise _err(f"missing '{key}'", path, entry)
        return default
    if not isinstance(v, str | int | float) or isinstance(v, bool):
        raise _err(f"'{key}' must be a string, got {type(v).__name__}", path, entry)
    s = str(v).strip()
    if required and not s:
        raise _err(f"'{key}' is empty", path, entry)
    return s


def _strs(raw: Mapping[str, Any], key: str, path: str, entry: str) -> tuple[str, ...]:
    v = raw.get(key)
    if v is None:
        return ()
    if isinstance(v, str):
        v = [v]
    if not isinstance(v, list):
        raise _err(f"'{key}' must be a list of strings", path, entry)
    out: list[str] = []
    for x in v:
        if not isinstance(x, str) or not x.strip():
            raise _err(f"'{key}' must be a list of non-empty strings, got {x!r}", path, entry)
        out.append(x.strip())
    return tuple(out)


def _bool(raw: Mapping[str, Any], key: str, path: str, entry: str) -> bool:
    v = raw.get(key, False)
    if v is None:
        return False
    if not isinstance(v, bool):
        raise _err(f"'{key}' must be true or false, got {v!r}", path, entry)
    return v


def _date(v: Any, what: str, path: str, entry: str, *, nullable: bool) -> dt.date | None:
    if v is None:
        if nullable:
            return None
        raise _err(f"missing '{what}' date", path, entry)
    if isinstance(v, dt.datetime):
        return v.date()
    if isinstance(v, dt.date):
        return v
    if isinstance(v, str):
        try:
            return dt.date.fromisoformat(v.strip())
        except ValueError:
            pass
    raise _err(f"'{what}' must be a date YYYY-MM-DD, got {v!r}", path, entry)


def _id(raw: Mapping[str, Any], path: str, entry: str) -> str:
    ident = _str(raw, "id", path, entry)
    if not _SLUG.match(ident):
        raise _err(f"'id' must be a lowercase slug, got {ident!r}", path, entry)
    return ident


def _entries(data: Any, key: str, path: str) -> list[tuple[str, Mapping[str, Any]]]:
    items = data.get(key) if isinstance(data, Mapping) else None
    if items is None:
        return []
    if not isinstance(items, list):
        raise ConfigError(f"'{key}:' must be a list", path=path)
    out = []
    for i, raw in enumerate(items):
        entry = f"{key}[{i}]"
        if not isinstance(raw, Mapping):
            raise ConfigError("each entry must be a mapping", path=path, entry=entry)
        rid = raw.get("id")
        out.append((f"{entry} ({rid})" if rid else entry, raw))
    return out


def parse_states(data: Any, path: str) -> list[tuple[State, str]]:
    out = []
    for entry, raw in _entries(data, "states", path):
        out.append(
            (
                State(
                    id=_id(raw, path, entry),
                    name=_str(raw, "name", path, entry),
                    name_en=_str(raw, "name_en", path, entry, required=False),
                    iso=_str(raw, "iso", path, entry, required=False),
                    capital=_str(raw, "capital", path, entry, required=False),
                    aliases=_strs(raw, "aliases", path, entry),
                    exact_aliases=_strs(raw, "exact_aliases", path, entry),
                    disputed=_bool(raw, "disputed", path, entry),
                    disputed_reason=_str(raw, "disputed_reason", path, entry, required=False),
                    groups_reported=_strs(raw, "groups_reported", path, entry),
                    source=_str(raw, "source", path, entry, required=False),
                ),
                entry,
            )
        )
    return out


def parse_places(data: Any, path: str) -> list[tuple[Place, str]]:
    out = []
    for entry, raw in _entries(data, "places", path):
        kind = _str(raw, "kind", path, entry, required=False, default="city")
        if kind not in PLACE_KINDS:
            raise _err(f"'kind' must be one of {sorted(PLACE_KINDS)}, got {kind!r}", path, entry)
        pop = raw.get("population")
        if pop is not None and (not isinstance(pop, int) or isinstance(pop, bool) or pop < 0):
            raise _err(f"'population' must be a non-negative integer, got {pop!r}", path, entry)
        out.append(
            (
                Place(
                    id=_id(raw, path, entry),
                    name=_str(raw, "name", path, entry),
                    state=_str(raw, "state", path, entry),
                    kind=kind,
                    aliases=_strs(raw, "aliases", path, entry),
                    exact_aliases=_strs(raw, "exact_aliases", path, entry),
                    ambiguous=_bool(raw, "ambiguous", path, entry),
                    population=pop,
                    source=_str(raw, "source", path, entry, required=False),
                ),
                entry,
            )
        )
    return out


def parse_officials(data: Any, path: str) -> list[tuple[Official, str]]:
    out = []
    for entry, raw in _entries(data, "officials", path):
        terms_raw = raw.get("terms") or []
        if not isinstance(terms_raw, list):
            raise _err("'terms' must be a list", path, entry)
        terms = []
        for j, t in enumerate(terms_raw):
            te = f"{entry} terms[{j}]"
            if not isinstance(t, Mapping):
                raise _err("each term must be a mapping", path, te)
            role = _str(t, "role", path, te)
            if role not in ROLES:
                raise _err(f"unknown role {role!r} (one of {sorted(ROLES)})", path, te)
            start = _date(t.get("from"), "from", path, te, nullable=False)
            end = _date(t.get("to"), "to", path, te, nullable=True)
            assert start is not None
            if end is not None and end < start:
                raise _err(f"term ends ({end}) before it starts ({start})", path, te)
            terms.append(
                OfficeTerm(
                    role=role,
                    jurisdiction=_str(t, "jurisdiction", path, te),
                    start=start,
                    end=end,
                    title_es=_str(t, "title_es", path, te, required=False),
                    title_en=_str(t, "title_en", path, te, required=False),
                )
            )
        out.append(
            (
                Official(
                    id=_id(raw, path, entry),
                    name=_str(raw, "name", path, entry),
                    aliases=_strs(raw, "aliases", path, entry),
                    exact_aliases=_strs(raw, "exact_aliases", path, entry),
                    surname=_str(raw, "surname", path, entry, required=False),
                    country=_str(raw, "country", path, entry, required=False, default="MX"),
                    terms=tuple(sorted(terms, key=lambda t: t.start)),
                    source=_str(raw, "source", path, entry, required=False),
                ),
                entry,
            )
        )
    return out


def parse_groups(data: Any, path: str) -> list[tuple[Group, str]]:
    out = []
    for entry, raw in _entries(data, "groups", path):
        parent = raw.get("parent")
        if parent is not None and not isinstance(parent, str):
            raise _err("'parent' must be a group id or null", path, entry)
        out.append(
            (
                Group(
                    id=_id(raw, path, entry),
                    name=_str(raw, "name", path, entry),
                    name_en=_str(raw, "name_en", path, entry, required=False),
                    aliases=_strs(raw, "aliases", path, entry),
                    exact_aliases=_strs(raw, "exact_aliases", path, entry),
                    parent=parent or None,
                    states=_strs(raw, "states", path, entry),
                    us_states=_strs(raw, "us_states", path, entry),
                    source=_str(raw, "source", path, entry, required=False),
                ),
                entry,
            )
        )
    return out


def parse_violence_terms(data: Any, path: str) -> tuple[str, ...]:
    v = data.get("violence_terms") if isinstance(data, Mapping) else None
    if v is None:
        return ()
    if not isinstance(v, list):
        raise ConfigError("'violence_terms:' must be a list of strings", path=path)
    out = []
    for i, t in enumerate(v):
        if not isinstance(t, str) or not t.strip().rstrip("*").strip():
            raise ConfigError(f"not a term: {t!r}", path=path, entry=f"violence_terms[{i}]")
        out.append(t.strip())
    return tuple(out)


def parse_flag_policy(data: Any, path: str) -> FlagPolicy | None:
    v = data.get("flag_policy") if isinstance(data, Mapping) else None
    if v is None:
        return None
    if not isinstance(v, Mapping):
        raise ConfigError("'flag_policy:' must be a mapping with 'rules:'", path=path)
    rules_raw = v.get("rules")
    if not isinstance(rules_raw, list) or not rules_raw:
        raise ConfigError("'rules' must be a non-empty list", path=path, entry="flag_policy")
    rules = []
    for i, r in enumerate(rules_raw):
        entry = f"flag_policy.rules[{i}]"
        if not isinstance(r, Mapping):
            raise ConfigError("each rule must be a mapping {name, all}", path=path, entry=entry)
        name = _str(r, "name", path, entry)
        conds = _strs(r, "all", path, entry)
        if not conds:
            raise ConfigError("'all' must list at least one condition", path=path, entry=entry)
        bad = [c for c in conds if c not in FLAG_CONDITIONS]
        if bad:
            raise ConfigError(
                f"unknown condition(s) {bad} (one of {sorted(FLAG_CONDITIONS)})",
                path=path,
                entry=entry,
            )
        rules.append(FlagRule(name, conds))
    watched = v.get("watched_officials", "all")
    if watched in (None, "all"):
        ids: frozenset[str] = frozenset()
    elif isinstance(watched, list) and all(isinstance(x, str) for x in watched):
        ids = frozenset(watched)
    else:
        raise ConfigError(
            "'watched_officials' must be 'all' or a list of official ids",
            path=path,
            entry="flag_policy",
        )
    return FlagPolicy(tuple(rules), ids)


def _check_unique(items: Sequence[tuple[Any, str, str]], what: str) -> None:
    seen: dict[str, tuple[str, str]] = {}
    for obj, path, entry in items:
        if obj.id in seen:
            p0, e0 = seen[obj.id]
            raise ConfigError(
                f"duplicate {what} id {obj.id!r} (first at {p0}: {e0})", path=path, entry=entry
            )
        seen[obj.id] = (path, entry)


def _jurisdiction_problem(t: OfficeTerm, state_ids: set[str], place_ids: set[str]) -> str:
    """Why ``t.jurisdiction`` does not fit ``t.role`` ('' when it fits)."""
    kind = ROLE_JURISDICTIONS[t.role]
    j = t.jurisdiction
    if kind in ("mx", "us"):
        ok = j == kind
        want = repr(kind)
    elif kind == "mx-state":
        ok = j in state_ids
        want = "a state id"
    elif kind == "place":
        ok = j in place_ids or not place_ids
        want = "a place id"
    elif kind == "us-state":
        ok = j in US_JURISDICTIONS
        want = f"one of {sorted(US_JURISDICTIONS)}"
    elif kind == "us-any":
        ok = j == "us" or j in US_JURISDICTIONS
        want = f"'us' or one of {sorted(US_JURISDICTIONS)}"
    else:  # us-district
        ok = _US_DISTRICT.match(j) is not None
        want = "a border-state House district like 'us-tx-16'"
    return "" if ok else f"jurisdiction {j!r} does not fit role {t.role!r} (want {want})"


def build_watchlist(
    *,
    states: Sequence[tuple[State, str, str]],
    places: Sequence[tuple[Place, str, str]] = (),
    officials: Sequence[tuple[Official, str, str]] = (),
    groups: Sequence[tuple[Group, str, str]] = (),
    violence_terms: Sequence[str] = (),
    flag_policy: FlagPolicy | None = None,
    policy_path: str = "<watchlist>",
    raw_for_hash: Any = None,
) -> Watchlist:
    """Cross-check references and build the Watchlist. Items are ``(entity, path, entry)``."""
    _check_unique(states, "state")
    _check_unique(places, "place")
    _check_unique(officials, "official")
    _check_unique(groups, "group")
    state_ids = {s.id for s, _, _ in states}
    place_ids = {p.id for p, _, _ in places}
    group_ids = {g.id for g, _, _ in groups}
    official_ids = {o.id for o, _, _ in officials}
    if not states:
        raise ConfigError("no states: the watchlist needs its 'states:' list", path=policy_path)
    for s, path, entry in states:
        bad = [g for g in s.groups_reported if g not in group_ids]
        if bad and group_ids:
            raise ConfigError(
                f"unknown group id(s) in groups_reported: {bad}", path=path, entry=entry
            )
    for p, path, entry in places:
        if p.state not in state_ids:
            raise ConfigError(f"unknown state {p.state!r}", path=path, entry=entry)
    for g, path, entry in groups:
        if g.parent is not None and g.parent not in group_ids:
            raise ConfigError(f"unknown parent group {g.parent!r}", path=path, entry=entry)
        bad = [x for x in g.states if x not in state_ids]
        if bad:
            raise ConfigError(f"unknown state id(s) {bad}", path=path, entry=entry)
        bad = [x for x in g.us_states if x not in US_JURISDICTIONS]
        if bad:
            raise ConfigError(
                f"unknown US state id(s) {bad} (one of {sorted(US_JURISDICTIONS)})",
                path=path,
                entry=entry,
            )
    for o, path, entry in officials:
        for j, t in enumerate(o.terms):
            problem = _jurisdiction_problem(t, state_ids, place_ids)
            if problem:
                raise ConfigError(problem, path=path, entry=f"{entry} terms[{j}]")
    policy = flag_policy or FlagPolicy()
    unknown = sorted(policy.watched_officials - official_ids)
    if unknown:
        raise ConfigError(
            f"unknown official id(s) {unknown}",
            path=policy_path,
            entry="flag_policy.watched_officials",
        )
    payload = (
        raw_for_hash
        if raw_for_hash is not None
        else {
            "states": [s for s, _, _ in states],
            "places": [p for p, _, _ in places],
            "officials": [o for o, _, _ in officials],
            "groups": [g for g, _, _ in groups],
            "violence_terms": list(violence_terms),
            "flag_policy": [[r.name, list(r.conditions)] for r in policy.rules],
            "watched_officials": sorted(policy.watched_officials),
        }
    )
    digest = hashlib.sha256(
        json.dumps(payload, sort_keys=True, default=repr, ensure_ascii=False).encode()
    ).hexdigest()[:12]
    return Watchlist(
        states=tuple(s for s, _, _ in states),
        places=tuple(p for p, _, _ in places),
        officials=tuple(o for o, _, _ in officials),
        groups=tuple(g for g, _, _ in groups),
        violence_terms=tuple(violence_terms),
        flag_policy=policy,
        version=f"{TAGGER_VERSION}+{digest}",
    )


def watchlist_from_dict(data: Mapping[str, Any], path: str = "<watchlist>") -> Watchlist:
    """Build a Watchlist from one dict holding every key (states, places, ... flag_policy)."""
    return build_watchlist(
        states=[(s, path, e) for s, e in parse_states(data, path)],
        places=[(p, path, e) for p, e in parse_places(data, path)],
        officials=[(o, path, e) for o, e in parse_officials(data, path)],
        groups=[(g, path, e) for g, e in parse_groups(data, path)],
        violence_terms=parse_violence_terms(data, path),
        flag_policy=parse_flag_policy(data, path),
        policy_path=path,
        raw_for_hash=data,
    )
