"""BORDERWATCH_NOTIFY_URLS: a JSON list, or URLs separated by spaces/newlines; a malformed
value is a ConfigError naming the variable (and the CLI exits 2 with it)."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from config.errors import ConfigError
from config.settings import load_settings
from flows.cli import app

VAR = "BORDERWATCH_NOTIFY_URLS"


@pytest.mark.parametrize(
    ("raw", "urls"),
    [
        ('["json://127.0.0.1:9/a", "mailto://u:p@example.org"]', None),
        ("json://127.0.0.1:9/a mailto://u:p@example.org", None),
        ("json://127.0.0.1:9/a\nmailto://u:p@example.org\n", None),
        ("  json://127.0.0.1:9/a \t\n\n  mailto://u:p@example.org  ", None),
        ('  ["json://127.0.0.1:9/a",\n "mailto://u:p@example.org"]\n', None),
        ("tgram://bot/chat", ["tgram://bot/chat"]),
        ("[]", []),
        ("", []),
        ("   \n ", []),
    ],
)
def test_notify_urls_forms(settings, monkeypatch, raw, urls):
    monkeypatch.setenv(VAR, raw)
    expected = ["json://127.0.0.1:9/a", "mailto://u:p@example.org"] if urls is None else urls
    assert load_settings().notify_urls == expected


def test_notify_urls_unset_is_empty(settings, monkeypatch):
    monkeypatch.delenv(VAR, raising=False)
    assert load_settings().notify_urls == []


NOT_JSON = (
    "Value error, starts with '[' but is not a JSON list (Expecting value at character {}); "
    "give a JSON list or URLs separated by spaces"
)


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ('["json://a", ', NOT_JSON.format(12)),
        ("[json://a]", NOT_JSON.format(1)),
        ('["json://a", 3]', "Input should be a valid string"),
        ("[1]", "Input should be a valid string"),
    ],
)
def test_malformed_notify_urls_name_the_variable(settings, monkeypatch, raw, message):
    monkeypatch.setenv(VAR, raw)
    with pytest.raises(ConfigError) as info:
        load_settings()
    assert info.value.entry == VAR
    assert str(info.value) == f"environment: {VAR}: {message}"
    assert "json://a" not in str(info.value)  # a URL may carry a secret: never echoed
    # the CLI stops before doing anything, with the same message and exit code 2
    r = CliRunner().invoke(app, ["digest", "--no-notify"])
    assert r.exit_code == 2
    assert " ".join(r.stderr.split()) == " ".join(
        f"config error: environment: {VAR}: {message}".split()
    )
    assert r.stdout == ""
    assert not (settings.data_dir / "digests").exists()
