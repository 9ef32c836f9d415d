"""Settings and the data files (feeds, watchlist)."""

from config.settings import Settings, get_settings, load_settings
from config.sources import load_feeds, parse_feeds, read_yaml

__all__ = ["Settings", "get_settings", "load_settings", "load_feeds", "parse_feeds", "read_yaml"]
