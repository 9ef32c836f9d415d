"""Load the data files of config/ into frozen dataclasses. Errors name the file and the entry."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import yaml

from config.errors import ConfigError


@dataclass(frozen=True)
class FeedSource:
    """One entry of feeds.yaml."""

    name: str
    url: str
    language: str | None = None
    country: str | None = None
    tags: tuple[str, ...] = ()


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
    if isinstance(data, dict) and "feeds" in data and data["feeds"] is None:
        data = {**data, "feeds": []}  # `feeds:` with no entries yet
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


def _yaml_scalar(value: str) -> str:
    return (
        yaml.safe_dump(value, default_flow_style=True, allow_unicode=True)
        .strip()
        .removesuffix("\n...")
    )


def feed_block(src: FeedSource) -> str:
    lines = [f"  - name: {_yaml_scalar(src.name)}", f"    url: {_yaml_scalar(src.url)}"]
    if src.language:
        lines.append(f"    language: {_yaml_scalar(src.language)}")
    if src.country:
        lines.append(f"    country: {_yaml_scalar(src.country)}")
    if src.tags:
        lines.append(f"    tags: [{', '.join(_yaml_scalar(t) for t in src.tags)}]")
    return "\n".join(lines) + "\n"


def append_feeds(path: Path, new: list[FeedSource]) -> list[FeedSource]:
    """Add feeds to the file (comments and layout kept). Feeds whose URL is already listed are
    skipped; returns those actually added. The result is validated before it is written."""
    text = path.read_text(encoding="utf-8") if path.exists() else "feeds:\n"
    existing = parse_feeds(yaml.safe_load(text) or {"feeds": []}, str(path))
    urls = {f.url for f in existing}
    added = [f for f in new if f.url not in urls]
    if not added:
        return []
    text = re.sub(r"^feeds:[ \t]*\[\][ \t]*$", "feeds:", text, flags=re.M)
    if not text.endswith("\n"):
        text += "\n"
    candidate = text + "".join(feed_block(f) for f in added)
    parse_feeds(yaml.safe_load(candidate), str(path))  # duplicate names etc. fail here
    path.write_text(candidate, encoding="utf-8")
    return added


def remove_feed(path: Path, name: str) -> bool:
    """Remove a feed by name (or URL). Leading comment lines of the file are kept."""
    text = path.read_text(encoding="utf-8")
    data = read_yaml(path)
    feeds = parse_feeds(data, str(path))
    keep = [f for f in feeds if name not in (f.name, f.url)]
    if len(keep) == len(feeds):
        return False
    header = []
    for line in text.splitlines():
        if line.startswith("#") or not line.strip():
            header.append(line)
        else:
            break
    body = "feeds:\n" + "".join(feed_block(f) for f in keep) if keep else "feeds: []\n"
    path.write_text("\n".join(header) + ("\n" if header else "") + body, encoding="utf-8")
    return True


def read_opml(path: Path) -> list[FeedSource]:
    """Feeds of an OPML file (Miniflux/FreshRSS export): every outline with an xmlUrl."""
    import xml.etree.ElementTree as ET

    try:
        root = ET.parse(path).getroot()
    except (OSError, ET.ParseError) as exc:
        raise ConfigError(f"cannot read OPML: {exc}", path=str(path)) from None
    feeds: list[FeedSource] = []
    names: set[str] = set()
    for i, node in enumerate(root.iter("outline")):
        url = (node.get("xmlUrl") or "").strip()
        if not url:
            continue
        if urlsplit(url).scheme not in ("http", "https"):
            raise ConfigError(
                f"xmlUrl must be http(s), got {url!r}", path=str(path), entry=f"outline[{i}]"
            )
        name = (node.get("title") or node.get("text") or urlsplit(url).netloc).strip()
        base, n = name, 2
        while name in names:
            name, n = f"{base} ({n})", n + 1
        names.add(name)
        lang = node.get("language") or None
        feeds.append(FeedSource(name=name, url=url, language=lang))
    return feeds


def to_opml(feeds: list[FeedSource], title: str = "borderwatch feeds") -> str:
    from xml.sax.saxutils import quoteattr

    rows = "\n".join(
        f'    <outline type="rss" text={quoteattr(f.name)} title={quoteattr(f.name)} '
        f"xmlUrl={quoteattr(f.url)}"
        + (f" language={quoteattr(f.language)}" if f.language else "")
        + "/>"
        for f in feeds
    )
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n<opml version="2.0">\n'
        f"  <head><title>{title}</title></head>\n  <body>\n{rows}\n  </body>\n</opml>\n"
    )
