"""Load config/watchlist.yaml: follow its ``include:`` list, merge, validate, build the Watchlist.

The top-level file may hold entity lists itself (``states:``, ``places:`` ...) and, for the tagger,
``flag_policy:`` and ``violence_terms:``. Included files (paths relative to the including file)
hold entity lists; they may include further files. Any problem raises ``ConfigError`` naming
the file and the entry.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from config.errors import ConfigError
from config.sources import read_yaml
from config.watchlist_model import Watchlist
from config.watchlist_parse import (
    build_watchlist,
    parse_flag_policy,
    parse_groups,
    parse_officials,
    parse_places,
    parse_states,
    parse_violence_terms,
)

_ENTITY_KEYS = ("states", "places", "officials", "groups")
_TOP_KEYS = {"version", "include", "flag_policy", "violence_terms", *_ENTITY_KEYS}


def _collect(path: Path, seen: list[Path], out: list[tuple[Path, Any]]) -> None:
    real = path.resolve()
    if real in seen:
        raise ConfigError("include cycle", path=str(path))
    seen.append(real)
    data = read_yaml(path)
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise ConfigError("expected a mapping at the top level", path=str(path))
    unknown = sorted(set(data) - _TOP_KEYS)
    if unknown:
        raise ConfigError(f"unknown top-level key(s) {unknown}", path=str(path))
    out.append((path, data))
    inc = data.get("include") or []
    if isinstance(inc, str):
        inc = [inc]
    if not isinstance(inc, list):
        raise ConfigError("'include:' must be a list of paths", path=str(path))
    for i, rel in enumerate(inc):
        if not isinstance(rel, str) or not rel.strip():
            raise ConfigError(f"not a path: {rel!r}", path=str(path), entry=f"include[{i}]")
        child = path.parent / rel.strip()
        if not child.exists():
            raise ConfigError(
                f"included file not found: {child}", path=str(path), entry=f"include[{i}]"
            )
        _collect(child, seen, out)
    seen.pop()


def load_watchlist(path: Path) -> Watchlist:
    """Read the watchlist file and everything it includes; build and validate the Watchlist."""
    path = Path(path)
    files: list[tuple[Path, Any]] = []
    _collect(path, [], files)
    states, places, officials, groups = [], [], [], []
    terms: list[str] = []
    policy = None
    policy_path = str(path)
    raw: dict[str, Any] = {}
    for fpath, data in files:
        p = str(fpath)
        states += [(s, p, e) for s, e in parse_states(data, p)]
        places += [(x, p, e) for x, e in parse_places(data, p)]
        officials += [(o, p, e) for o, e in parse_officials(data, p)]
        groups += [(g, p, e) for g, e in parse_groups(data, p)]
        terms += parse_violence_terms(data, p)
        fp = parse_flag_policy(data, p)
        if fp is not None:
            if policy is not None:
                raise ConfigError("'flag_policy:' given twice", path=p)
            policy, policy_path = fp, p
        for key in (*_ENTITY_KEYS, "violence_terms", "flag_policy"):
            if data.get(key) is not None:
                v = data[key]
                raw[key] = raw.get(key, []) + v if isinstance(v, list) else v
    return build_watchlist(
        states=states,
        places=places,
        officials=officials,
        groups=groups,
        violence_terms=terms,
        flag_policy=policy,
        policy_path=policy_path,
        raw_for_hash=raw,
    )
