"""The root of borderwatch's errors and the configuration error.

They live in config/ (the bottom layer) so that config never imports extractors; the fetch and
parse errors that extend :class:`BorderwatchError` are in ``extractors/errors.py``.
"""

from __future__ import annotations


class BorderwatchError(Exception):
    """Root of every error borderwatch raises on purpose."""

    kind = "error"

    def __init__(self, message: str, *, url: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.url = url

    def __str__(self) -> str:
        return f"{self.message} ({self.url})" if self.url else self.message


class ConfigError(BorderwatchError):
    """A configuration file or setting is invalid. Names the file and the entry."""

    kind = "config"

    def __init__(self, message: str, *, path: str | None = None, entry: str | None = None) -> None:
        where = ": ".join(p for p in (path, entry) if p)
        super().__init__(f"{where}: {message}" if where else message)
        self.path = path
        self.entry = entry
