from pathlib import Path

import pytest

from config.errors import ConfigError
from config.settings import CONFIG_DIR, load_settings
from config.sources import load_feeds


def test_defaults_and_env(monkeypatch, tmp_path):
    for k in (
        "BORDERWATCH_DATABASE_URL",
        "BORDERWATCH_DATA_DIR",
        "BORDERWATCH_ALLOW_PRIVATE_ADDRESSES",
    ):
        monkeypatch.delenv(k, raising=False)
    s = load_settings()
    assert s.db_url == "sqlite:///data/borderwatch.db"
    assert s.allow_private_addresses is False
    monkeypatch.setenv("BORDERWATCH_DATABASE_URL", "postgres://u@h/db")
    monkeypatch.setenv("BORDERWATCH_ALLOW_PRIVATE_ADDRESSES", "1")
    s = load_settings()
    assert s.db_url == "postgresql+psycopg://u@h/db"
    assert s.allow_private_addresses is True


def test_bad_env_value_names_the_variable(monkeypatch):
    monkeypatch.setenv("BORDERWATCH_PER_HOST_DELAY", "soon")
    with pytest.raises(ConfigError) as exc:
        load_settings()
    assert "BORDERWATCH_PER_HOST_DELAY" in str(exc.value)


def test_shipped_feeds_file_loads():
    feeds = load_feeds(CONFIG_DIR / "feeds.yaml")
    assert len(feeds) >= 20
    assert {f.language for f in feeds} >= {"en", "es"}
    assert len({f.name for f in feeds}) == len(feeds)


def test_other_tools_shape_is_readable(tmp_path: Path):
    p = tmp_path / "f.yaml"
    p.write_text(
        "feeds:\n  - name: X\n    url: https://x.example/feed\n"
        "    language: es\n    country: MX\n    tags: [a, b]\n"
        "  - name: Y\n    url: http://y.example/rss\n",
        encoding="utf-8",
    )
    feeds = load_feeds(p)
    assert [(f.name, f.tags) for f in feeds] == [("X", ("a", "b")), ("Y", ())]


@pytest.mark.parametrize(
    "body,needle",
    [
        ("feeds: nope\n", "expected a top-level 'feeds:' list"),
        ("feeds:\n  - name: X\n", "feeds[0] (X): 'url' must be an http(s) URL"),
        ("feeds:\n  - url: https://x.example/\n", "feeds[0]: missing 'name'"),
        ("feeds:\n  - name: X\n    url: ftp://x.example/\n", "feeds[0] (X)"),
        (
            "feeds:\n  - name: X\n    url: https://x/\n  - name: X\n    url: https://y/\n",
            "feeds[1] (X): duplicate feed name",
        ),
        (
            "feeds:\n  - name: X\n    url: https://x/\n    colour: red\n",
            "unknown key(s) ['colour']",
        ),
        ("feeds:\n  - name: [unclosed\n", "invalid YAML"),
    ],
)
def test_bad_feeds_file_names_file_and_entry(tmp_path: Path, body, needle):
    p = tmp_path / "feeds.yaml"
    p.write_text(body, encoding="utf-8")
    with pytest.raises(ConfigError) as exc:
        load_feeds(p)
    assert str(p) in str(exc.value)
    assert needle in str(exc.value)


def test_missing_file(tmp_path):
    with pytest.raises(ConfigError, match="file not found"):
        load_feeds(tmp_path / "nope.yaml")
