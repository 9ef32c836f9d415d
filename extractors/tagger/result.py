"""The tagger's result types: the document-level hits and the result (one mention is
``extractors.models.Mention``, the same type storage keeps)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from extractors.models import Mention

__all__ = ["GroupHit", "Mention", "OfficialHit", "OtherOfficial", "StateHit", "TagResult"]


@dataclass(frozen=True)
class StateHit:
    id: str
    name: str
    via: tuple[str, ...]
    disputed: bool


@dataclass(frozen=True)
class OfficialHit:
    id: str
    name: str
    role: str | None
    listed: bool = True


@dataclass(frozen=True)
class OtherOfficial:
    """An official the watchlist does not list, named with an office title in the text."""

    name: str
    role: str  # the title as written, with its complement ("alcalde de San Juan")
    kind: str  # the title's role kind: mayor, governor, prosecutor, ...
    start: int  # offsets of the first full mention in ``text`` (negative: in the title)
    end: int

    @property
    def id(self) -> None:
        return None

    @property
    def listed(self) -> bool:
        return False


@dataclass(frozen=True)
class GroupHit:
    id: str
    name: str


@dataclass(frozen=True)
class TagResult:
    mentions: tuple[Mention, ...] = ()
    states: tuple[StateHit, ...] = ()
    officials: tuple[OfficialHit, ...] = ()
    groups: tuple[GroupHit, ...] = ()
    flagged: bool = False
    reasons: tuple[str, ...] = ()
    places: tuple[str, ...] = ()  # place ids, in order of first mention
    terms: tuple[str, ...] = ()
    other_officials: tuple[OtherOfficial, ...] = ()  # unlisted, named with a title

    def to_json(self) -> dict[str, Any]:
        return {
            "states": [{"id": s.id, "name": s.name, "via": list(s.via)} for s in self.states],
            "officials": [
                {"id": o.id, "name": o.name, "role": o.role, "listed": True} for o in self.officials
            ]
            + [
                {"id": None, "name": o.name, "role": o.role, "listed": False}
                for o in self.other_officials
            ],
            "groups": [{"id": g.id, "name": g.name} for g in self.groups],
            "flagged": self.flagged,
            "reasons": list(self.reasons),
        }
