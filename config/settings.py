"""The one settings object. Every value comes from an environment variable ``BORDERWATCH_*``.

Build it with :func:`get_settings` (not at import time) so tests can build their own.
"""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path
from typing import Annotated

from pydantic import Field, ValidationError, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

from config import http_defaults
from config.errors import ConfigError

REPO_ROOT = Path(__file__).resolve().parent.parent
CONFIG_DIR = Path(__file__).resolve().parent


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="BORDERWATCH_", extra="ignore")

    data_dir: Path = Field(
        default=Path("data"),
        description="where the SQLite file, digests and the local Prefect server live",
    )
    database_url: str = Field(
        default="", description="SQLAlchemy URL; default sqlite:///<data_dir>/borderwatch.db"
    )
    feeds: Path = Field(default=CONFIG_DIR / "feeds.yaml", description="the feeds file")
    watchlist: Path = Field(
        default=CONFIG_DIR / "watchlist.yaml", description="the gazetteer and flag policy"
    )
    allow_private_addresses: bool = Field(
        default=False, description="allow fetching loopback/private addresses (tests, demo)"
    )

    # HTTP and politeness: defaults in config/http_defaults.py (FetchPolicy shares them)
    user_agent: str = http_defaults.USER_AGENT
    contact_url: str = http_defaults.CONTACT_URL
    connect_timeout: float = http_defaults.CONNECT_TIMEOUT
    read_timeout: float = http_defaults.READ_TIMEOUT
    total_timeout: float = http_defaults.TOTAL_TIMEOUT
    max_feed_bytes: int = http_defaults.MAX_FEED_BYTES
    max_article_bytes: int = http_defaults.MAX_ARTICLE_BYTES
    max_redirects: int = http_defaults.MAX_REDIRECTS
    per_host_concurrency: int = http_defaults.PER_HOST_CONCURRENCY
    per_host_delay: float = http_defaults.PER_HOST_DELAY
    global_concurrency: int = http_defaults.GLOBAL_CONCURRENCY
    retries: int = http_defaults.RETRIES
    workers: int = Field(default=0, description="extraction processes; 0 = one per core")
    batch_size: int = 200
    feed_batch: int = Field(
        default=100,
        description="at most this many feeds per lease (a lease takes a share of the due "
        "feeds sized to the live workers, whole hosts at a time)",
    )
    lease_seconds: int = Field(
        default=900,
        description="a feed lease expires after this; a crashed worker's feeds "
        "are then taken over by another",
    )
    # stubs (a row stored from the feed because its page fetch failed transiently): re-fetched
    # after stub_retry_first_seconds, doubling, at most stub_retry_max_seconds apart, at most
    # stub_retry_tries times (issue 19)
    stub_retry_first_seconds: int = Field(default=http_defaults.STUB_RETRY_FIRST_SECONDS, ge=1)
    stub_retry_max_seconds: int = Field(default=http_defaults.STUB_RETRY_MAX_SECONDS, ge=1)
    stub_retry_tries: int = Field(default=http_defaults.STUB_RETRY_TRIES, ge=0)

    poll_cron: str = "*/15 * * * *"
    timezone: str = "America/Mexico_City"

    # the morning review (issue 7)
    digest_cron: str = Field(
        default="0 7 * * *", description="when the digest deployment runs, in `timezone`"
    )
    notify_urls: Annotated[list[str], NoDecode] = Field(
        default_factory=list,
        description="apprise URLs that receive each digest's summary (mailto://, slack://, "
        "tgram://, matrix://, json://…); a JSON list, or separated by spaces/newlines",
    )
    web_token: str = Field(
        default="", description="token the web app requires; mandatory off loopback"
    )
    web_host: str = Field(default="127.0.0.1", description="`borderwatch web` bind address")
    web_port: int = Field(default=8765, description="`borderwatch web` port")

    @field_validator("database_url")
    @classmethod
    def _normalize_url(cls, v: str) -> str:
        v = v.strip()
        if v.startswith("postgres://"):
            v = "postgresql+psycopg://" + v[len("postgres://") :]
        elif v.startswith("postgresql://"):
            v = "postgresql+psycopg://" + v[len("postgresql://") :]
        return v

    @field_validator("notify_urls", mode="before")
    @classmethod
    def _split_urls(cls, v: object) -> object:
        if isinstance(v, str):
            v = v.strip()
            if v.startswith("["):
                try:
                    return json.loads(v)
                except json.JSONDecodeError as exc:  # the value may hold secrets: not echoed
                    raise ValueError(
                        f"starts with '[' but is not a JSON list ({exc.msg} at character "
                        f"{exc.pos}); give a JSON list or URLs separated by spaces"
                    ) from None
            return v.split()
        return v

    @property
    def db_url(self) -> str:
        if self.database_url:
            return self.database_url
        return f"sqlite:///{(self.data_dir / 'borderwatch.db').as_posix()}"


@lru_cache(maxsize=1)
def _cached() -> Settings:
    return load_settings()


def load_settings(**overrides: object) -> Settings:
    """Build settings from the environment; a bad value is a ConfigError naming the variable."""
    try:
        return Settings(**overrides)  # type: ignore[arg-type]
    except ValidationError as exc:
        err = exc.errors()[0]
        name = "BORDERWATCH_" + str(err["loc"][0]).upper() if err.get("loc") else "settings"
        raise ConfigError(err["msg"], path="environment", entry=name) from exc


def get_settings() -> Settings:
    return _cached()
