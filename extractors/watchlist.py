"""TEMPORARY facade (issue 18): deleted at merge.

The watchlist model lives in config/watchlist_model.py and its parsing in
config/watchlist_parse.py (config never imports extractors); rewrite-C.py points every
`from extractors.watchlist import ...` there.
"""

# TEMPORARY facade (issue 18): deleted at merge
from config.watchlist_model import (
    DEFAULT_FLAG_RULES,
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
from config.watchlist_parse import (
    build_watchlist,
    parse_flag_policy,
    parse_groups,
    parse_officials,
    parse_places,
    parse_states,
    parse_violence_terms,
    watchlist_from_dict,
)

__all__ = [
    "DEFAULT_FLAG_RULES",
    "FLAG_CONDITIONS",
    "PLACE_KINDS",
    "ROLE_JURISDICTIONS",
    "ROLES",
    "TAGGER_VERSION",
    "US_JURISDICTIONS",
    "FlagPolicy",
    "FlagRule",
    "Group",
    "OfficeTerm",
    "Official",
    "Place",
    "State",
    "Watchlist",
    "build_watchlist",
    "parse_flag_policy",
    "parse_groups",
    "parse_officials",
    "parse_places",
    "parse_states",
    "parse_violence_terms",
    "watchlist_from_dict",
]
