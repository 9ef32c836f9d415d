"""Load the data files of config/ into frozen dataclasses. Errors name the file and the entry."""

from __future__ import annotations

from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import yaml

from extractors.errors import ConfigError
from extractors.models import FeedSource

_FEED_KEYS = {"name", "url", "language", "country", "tags"}
# keys other tools write into such files; read and ignored
_IGNORED_FEED_KEYS = {
    "outlet",
    "alt_urls",
    "focus",
    "platform",
    "confidence",
    "seen_in",
    "notes",
    "enabled",
}


def read_yaml(path: Path) -> Any:
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ConfigError("file not found", path=str(path)) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"cannot read: {exc}", path=str(path)) from None
    try:
        return yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"line {mark.line + 1}" if mark is not None else None
        problem = getattr(exc, "problem", None) or str(exc)
        raise ConfigError(f"invalid YAML: {problem}", path=str(path), entry=where) from None


def parse_feeds(data: Any, path: str = "<feeds>") -> list[FeedSource]:
    if not isinstance(data, dict) or not isinstance(data.get("feeds"), list):
        raise ConfigError("expected a top-level 'feeds:' list", path=path)
    feeds: list[FeedSource] = []
    names: set[str] = set()
    for i, raw in enumerate(data["feeds"]):
        entry = f"feeds[{i}]"
        if not isinstance(raw, dict):
            raise ConfigError(
                "each feed must be a mapping with 'name' and 'url'", path=path, entry=entry
            )
        if raw.get("enabled") is False:
            continue
        name = raw.get("name") or raw.get("outlet")
        url = raw.get("url")
        if not isinstance(name, str) or not name.strip():
            raise ConfigError("missing 'name'", path=path, entry=entry)
        entry = f"feeds[{i}] ({name})"
        if (
            not isinstance(url, str)
            or urlsplit(url.strip()).scheme not in ("http", "https")
            or not urlsplit(url.strip()).netloc
        ):
            raise ConfigError(f"'url' must be an http(s) URL, got {url!r}", path=path, entry=entry)
        unknown = set(raw) - _FEED_KEYS - _IGNORED_FEED_KEYS
        if unknown:
            raise ConfigError(f"unknown key(s) {sorted(unknown)}", path=path, entry=entry)
        tags = raw.get("tags") or []
        if isinstance(tags, str):
            tags = [tags]
        if not isinstance(tags, list) or not all(isinstance(t, str) for t in tags):
            raise ConfigError("'tags' must be a list of strings", path=path, entry=entry)
        for key in ("language", "country"):
            if raw.get(key) is not None and not isinstance(raw[key], str):
                raise ConfigError(f"'{key}' must be a string", path=path, entry=entry)
        name = name.strip()
        if name in names:
            raise ConfigError("duplicate feed name", path=path, entry=entry)
        names.add(name)
        feeds.append(
            FeedSource(
                name=name,
                url=url.strip(),
                language=raw.get("language"),
                country=raw.get("country"),
                tags=tuple(tags),
            )
        )
    return feeds


def load_feeds(path: Path) -> list[FeedSource]:
    return parse_feeds(read_yaml(path), str(path))
