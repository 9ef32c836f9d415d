"""Group rules on spans (issue 14, sixth round): a group name that is something else here.

* ``numbered_name`` — an articled one-word group name followed by a number or by a transit
  system ("la Línea 12", "la Línea 3 del Metro", "Line 2 of the metro") is a metro or bus
  line, not the group;
* ``sports_nickname`` — an articled one-word group name that is an ordinary word ("los Rojos")
  in a sentence about sport (a league, a stadium, a coach, goals, innings) is a team's
  nickname, not the group;
* ``longer_name`` — an articled one-word group name that is an ordinary word or a surname
  ("Los Legionarios", "Los Rojos") followed by "de/del" and a capitalised word that is no
  place, state or group of the text ("Los Legionarios de Cristo", "Los Rojos del Águila") is
  part of a longer name: a congregation, a team, a family's business; "Los Metros de Reynosa"
  stays the group;
* ``hyphen_partner`` — a group joined by a hyphen to the bare name of another ("Chapitos-Mayos
  war", "Mayos-Chapitos"): the bare name ("Mayos", of "Los Mayos") is that group too, though
  alone it is an ordinary word or a people's name;
* ``cartel_ellipsis`` — a cartel named by "el de X" / "el del X" ("contra el de X", "frente
  al de X") right after another cartel or after "cárteles como" ("el Cártel de Sinaloa y el
  de Jalisco Nueva Generación", "cárteles como el de Sinaloa y el del Golfo") is the cartel
  "Cártel de X"; a place or state inside X is then part of the name, not a place ("el de
  Juárez" is no Ciudad Juárez);
* ``homonym_by_context`` — a group listed twice under one name ("Los Rojos" of Guerrero and
  "Los Rojos (Cártel del Golfo)") is the second when the text names its parent group or one
  of its states and none of the first one's states.

Each rule runs only on group spans (few per text) and reads a few words around them.
"""

from __future__ import annotations

import re

from extractors.tagger.base import _Cand, _Span
from extractors.tagger.document import DocumentMixin
from extractors.textfold import fold

_ARTICLED_ONE = re.compile(r"^(?:los|las|la|el|the) [^\s]+$")
_NUMBER = re.compile(r"\s{0,2}\d{1,3}\b")
_TRANSIT = re.compile(
    r"\s{1,2}(?:del?|of the)\s{1,2}(?:metro|metrobus|tren|trolebus|cablebus|mexicable"
    r"|macrobus|metrorrey|transmetro|subway|light rail)\b"
)
_SPORT = frozenset(
    {
        "beisbol", "futbol", "soccer", "jonron", "jonrones", "pitcher", "lanzador", "entrenador",
        "estadio", "torneo", "campeonato", "goles", "gol", "marcador", "liga", "playoffs",
        "novena", "aficion", "aficionados", "baseball", "stadium", "coach", "league", "innings",
        "inning", "playoff", "season", "goals",
    }
)  # fmt: skip
_WORDS = re.compile(r"[a-z]+")
_HYPHEN_AFTER = re.compile(r"[-\u2010\u2011\u2013](?P<w>[A-ZÁÉÍÓÚÑ][a-záéíóúñ]{2,})\b")
_HYPHEN_BEFORE = re.compile(r"\b(?P<w>[A-ZÁÉÍÓÚÑ][a-záéíóúñ]{2,})[-\u2010\u2011\u2013]$")
_CAP_WORD = r"[A-ZÁÉÍÓÚÑ][\w'’-]*"
_ELIDED = re.compile(
    rf"\s*,?\s*(?:(?:y|e|o|u|and|contra|con|frente|vs\.?|versus)\s+)?(?:el|la|al|del)\s+"
    rf"(?P<de>del?)\s+"
    rf"(?P<x>{_CAP_WORD}(?:\s+(?:de\s+)?{_CAP_WORD}){{0,3}})"
)
_SUCH_AS = re.compile(r"c[aá]rteles(?:\s+[\w-]+){0,3}?\s+como(?=\s+(?:el|la)\s+del?\s)", re.I)
_OF_NAME = re.compile(
    r"\s{1,2}(?:de|del)\s{1,2}(?:(?:la|las|los|el)\s{1,2})?(?=[A-ZÁÉÍÓÚÑ][a-záéíóúñ])"
)


class GroupRulesMixin(DocumentMixin):
    """The group rules of one ``tag`` call (``numbered_name``, ``sports_nickname``,
    ``longer_name``, ``hyphen_partner``, ``cartel_ellipsis``, ``homonym_by_context``)."""

    def _group_context(self, spans: list[_Span]) -> None:
        """``numbered_name``, ``sports_nickname``, ``longer_name``: drop the group reading of such
        spans."""
        for sp in spans:
            if not any(c.kind == "group" for c in sp.ents):
                continue
            key = sp.key.strip()
            if not _ARTICLED_ONE.match(key):
                continue
            tail = self.doc[sp.end : sp.end + 40]
            if _NUMBER.match(tail) or _TRANSIT.match(fold(tail)):
                reason = "numbered_name"
            elif any(c.kind == "group" and c.exact is not None for c in sp.ents) and (
                _SPORT.intersection(_WORDS.findall(fold(self.sentence_of(sp.start))))
            ):
                reason = "sports_nickname"
            elif (m := _OF_NAME.match(self.doc, sp.end)) and not self._named_at(spans, m.end()):
                if not any(c.kind == "group" and c.exact is not None for c in sp.ents):
                    continue
                reason = "longer_name"
            else:
                continue
            sp.ents = [c for c in sp.ents if c.kind != "group"]
            sp.dropped = sp.dropped or reason

    @staticmethod
    def _named_at(spans: list[_Span], pos: int) -> bool:
        """A place, state or group span starts at ``pos`` (spans are in text order)."""
        for sp in spans:
            if sp.start == pos:
                return any(c.kind in ("state", "place", "group") for c in sp.cands)
            if sp.start > pos:
                break
        return False

    def _hyphen_partners(self, spans: list[_Span]) -> list[tuple[int, int, str]]:
        """``hyphen_partner``: (start, end, group id) of the bare names hyphenated to a group."""
        bare = self.tg._bare_group_names
        out: list[tuple[int, int, str]] = []
        doc = self.doc
        for sp in spans:
            gids = {c.id for c in sp.ents if c.kind == "group"}
            if not gids:
                continue
            m = _HYPHEN_AFTER.match(doc, sp.end, sp.end + 30)
            if m and m.group("w") in bare and bare[m.group("w")] not in gids:
                out.append((m.start("w"), m.end("w"), bare[m.group("w")]))
            b = _HYPHEN_BEFORE.search(doc, max(0, sp.start - 30), sp.start)
            if b and b.group("w") in bare and bare[b.group("w")] not in gids:
                out.append((b.start("w"), b.end("w"), bare[b.group("w")]))
        return out

    def _cartel_ellipsis(self, spans: list[_Span]) -> list[tuple[int, int, str]]:
        """``cartel_ellipsis``: (start, end, group id) of each elided cartel; the place and
        state readings of spans inside its name are dropped."""
        groups = self.tg._groups
        anchors = [
            sp.end
            for sp in spans
            if any(c.kind == "group" and groups[c.id].name.startswith("Cártel") for c in sp.ents)
        ]
        if "cartels" in self.cue_at:
            anchors += [m.end() for m in _SUCH_AS.finditer(self.doc)]
        keys = self.tg._group_keys
        out: list[tuple[int, int, str]] = []
        for pos in anchors:
            while (m := _ELIDED.match(self.doc, pos)) is not None:
                words = m.group("x").split()
                gid = None
                while words and gid is None:  # the longest known cartel name wins
                    gid = keys.get(fold(f"cartel {m.group('de')} {' '.join(words)}"))
                    if gid is None:
                        words.pop()
                if gid is None:
                    break
                start = m.start("x")
                end = start + list(re.finditer(r"\S+", m.group("x")))[len(words) - 1].end()
                out.append((start, end, gid))
                for sp in spans:
                    if start <= sp.start and sp.end <= end:
                        geo = [c for c in sp.ents if c.kind in ("state", "place")]
                        if geo:
                            sp.ents = [c for c in sp.ents if c.kind not in ("state", "place")]
                            sp.dropped = sp.dropped or "group name"
                pos = end
        return out

    def _homonym_groups(self, spans: list[_Span]) -> None:
        """``homonym_by_context`` (after pins: a place's state is known)."""
        homonyms = self.tg._group_homonyms
        if not homonyms or not any(
            c.kind == "group" and c.id in homonyms for sp in spans for c in sp.ents
        ):
            return
        seen_states: set[str] = set()
        seen_groups: set[str] = set()
        for sp in spans:
            for c in sp.ents:
                if c.kind == "state":
                    seen_states.add(c.id)
                elif c.kind == "place":
                    seen_states.add(sp.pinned.get(c.id, self.tg._places[c.id].state))
                elif c.kind == "group":
                    seen_groups.add(c.id)
        for sp in spans:
            for i, c in enumerate(sp.ents):
                if c.kind != "group" or c.id not in homonyms:
                    continue
                if seen_states & set(self.tg._groups[c.id].states):
                    continue
                for hid in homonyms[c.id]:
                    h = self.tg._groups[hid]
                    if (h.parent and h.parent in seen_groups) or seen_states & set(h.states):
                        sp.ents[i] = _Cand("group", hid, exact=c.exact, is_name=c.is_name)
                        break
