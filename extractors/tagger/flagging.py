"""Flagging: the watchlist's flag policy over states, groups, officials and violence terms."""

from __future__ import annotations

from extractors.tagger.officials import (
    OfficialsMixin,
)
from extractors.tagger.result import (
    GroupHit,
    Mention,
    OfficialHit,
    OtherOfficial,
    StateHit,
)


class FlagMixin(OfficialsMixin):
    """Flagging: the watchlist's flag policy over states, groups, officials and violence terms."""

    def _flag(
        self,
        states: tuple[StateHit, ...],
        officials: tuple[OfficialHit, ...],
        groups: tuple[GroupHit, ...],
        terms: tuple[str, ...],
        mentions: list[Mention],
        state_mentions: list[tuple[int, str]],
        others: tuple[OtherOfficial, ...] = (),
    ) -> tuple[bool, tuple[str, ...]]:
        tg = self.tg
        disputed = [s for s in states if s.disputed]
        watched = [o for o in officials if o.id in tg._watched]
        # officials in a disputed state: by office at the date, or named in the same sentence
        in_disputed: list[tuple[OfficialHit, str]] = []
        disputed_ids = {s.id for s in disputed}

        def disputed_in_sentence(start: int) -> str | None:
            """The first disputed state named in the sentence of the text offset ``start``."""
            sent = self.sent_id(start + self.shift)
            return next(
                (st for p, st in state_mentions if st in disputed_ids and self.sent_id(p) == sent),
                None,
            )

        for o in watched:
            off = tg._officials[o.id]
            sid = self._state_of(off)
            role_state = None
            for m in mentions:
                if m.entity_type == "official" and m.entity_id == o.id and m.state_id:
                    role_state = m.state_id
                    break
            sid = role_state or sid
            if sid in disputed_ids:
                in_disputed.append((o, tg._states[sid].name))
                continue
            for m in mentions:
                if m.entity_type != "official" or m.entity_id != o.id:
                    continue
                hit = disputed_in_sentence(m.start)
                if hit:
                    in_disputed.append((o, tg._states[hit].name))
                    break
        # unlisted officials (named with a title) whose title or sentence names a disputed state
        other_in_disputed: list[tuple[OtherOfficial, str]] = []
        if others and disputed_ids:
            for oo in others:
                hit = disputed_in_sentence(oo.start)
                if hit:
                    other_in_disputed.append((oo, tg._states[hit].name))
        cond = {
            "disputed_state": bool(disputed),
            "state": bool(states),
            "group": bool(groups),
            "violence_term": bool(terms),
            "official": bool(watched),
            "official_in_disputed_state": bool(in_disputed),
            "unlisted_official": bool(others),
            "unlisted_official_in_disputed_state": bool(other_in_disputed),
        }
        reasons: list[str] = []
        for rule in tg.wl.flag_policy.rules:
            if not all(cond[c] for c in rule.conditions):
                continue
            parts = []
            for c in rule.conditions:
                if c == "disputed_state":
                    parts.append("disputed state " + ", ".join(s.name for s in disputed))
                elif c == "state":
                    parts.append("state " + ", ".join(s.name for s in states))
                elif c == "group":
                    parts.append(
                        "criminal group " + ", ".join(self._group_label(g.id) for g in groups)
                    )
                elif c == "violence_term":
                    parts.append(
                        "violence term " + ", ".join(f"'{tg._terms.get(t, t)}'" for t in terms[:5])
                    )
                elif c == "official":
                    parts.append("official " + ", ".join(o.name for o in watched))
                elif c == "official_in_disputed_state":
                    parts.append(
                        "; ".join(
                            f"official {o.name}"
                            + (f" ({o.role})" if o.role else "")
                            + f" in disputed state {st}"
                            for o, st in in_disputed
                        )
                    )
                elif c == "unlisted_official":
                    parts.append(
                        "unlisted official " + ", ".join(f"{o.name} ({o.role})" for o in others)
                    )
                elif c == "unlisted_official_in_disputed_state":
                    parts.append(
                        "; ".join(
                            f"unlisted official {o.name} ({o.role}) in disputed state {st}"
                            for o, st in other_in_disputed
                        )
                    )
            reason = " + ".join(parts)
            if reason not in reasons:
                reasons.append(reason)
        return bool(reasons), tuple(reasons)

    def _group_label(self, gid: str) -> str:
        g = self.tg._groups[gid]
        acr = next((a for a in g.exact_aliases if a.isupper() and len(a) <= 5), None)
        return f"{g.name} ({acr})" if acr else g.name
