"""Issue 14 (sixth round): ``sports_team_name`` — in a sports report, a state or city name
used bare as a team's ("Querétaro venció 3-1 a Puebla", "sumar tres puntos ante Puebla", "los
triunfos de Veracruz y Morelia", "empatados con Guadalajara (7)"): GUIDE.md counts no state
inside a team's name, and a team called by its city's or state's name is the same team.

Only in a sports report: at least two different strong sports words in the text (gol, liga,
jornada, torneo, marcador, estadio, descenso, jonrón, novena ...; not "partido" or "equipo",
which politics uses too). A name is read as a team when

* it is the subject of a match-result verb ("Querétaro venció", "Puebla se impuso",
  "Querétaro suma tres puntos", "Puebla se quedó con 3") and no preposition of place stands
  before it ("en Puebla ganó el local" keeps the place);
* it follows a match verb and "a", or "ante", "contra", "vs", "empató con" ("venció 3-1 a
  Puebla", "visitar a Toluca", "cayó ante Querétaro");
* it follows "triunfo(s) / victoria(s) / derrota(s) / empate(s) de", or stands before a
  standings number in parentheses ("Guadalajara (7)");
* ``team_one_sense`` (in ``pins``): another bare mention of a name read as a team in the same
  report, not after a preposition of place ("en", "desde", "hacia", "rumbo a") and not a
  dateline or apposition (not followed by a comma, dash or parenthesis), or the next element
  of a list ("Chiapas y Veracruz") whose other element is a team.
"""

from __future__ import annotations

import re

_STRONG_SPORTS = re.compile(
    r"\b(?:gol|goles|autogol|goleador|futbol|beisbol|liga|jornada|liguilla|torneo|marcador"
    r"|estadio|aficion|descenso|campeonato|cancha|entrenador|jonron|novena|arbitro|portero"
    r"|delantero|remontada|standings?|playoffs?|touchdown|goals?|league|stadium|coach)\b"
    # a match score ("se impusieron 3-1"), not a date range
    r"|(?<![\d-])\d{1,2} ?- ?\d{1,2}(?![\d-])"
)


def sports_report(folded: str) -> bool:
    """At least two different strong sports words in the (folded) text."""
    seen: set[str] = set()
    for m in _STRONG_SPORTS.finditer(folded):
        seen.add("score" if m.group()[:1].isdigit() else m.group())
        if len(seen) >= 2:
            return True
    return False


_RESULT_VERBS = (
    r"venci[oó]|vencieron|derrot[oó]|derrotaron|gole[oó]|golearon|empat[oó]|empataron"
    r"|igual[oó]|remont[oó]|elimin[oó]|eliminaron|cay[oó]|perdi[oó]|gan[oó]|barri[oó]"
    r"|blanque[oó]|super[oó]|salv[oó]"
)
_SUBJECT_AFTER = re.compile(
    rf"\s+(?:(?:{_RESULT_VERBS})\b|se\s+impus(?:o|ieron)\b|se\s+qued[oó]\s+con\s+\d"
    r"|(?:sum[oó]|suma)\s+(?:\d+|uno|un|dos|tres|cuatro|seis)\s+puntos?"
    r"|lleg[oó]\s+a\s+\d+\s+puntos)"
)
_PLACE_PREP = re.compile(
    r"(?i:\b(?:en|desde|hacia|rumbo\s+a|ciudad\s+de|estado\s+de|capital\s+de|de|del|por|para"
    r"|entre|sobre)\s+)$"
)
_OBJECT_BEFORE = re.compile(
    rf"(?:\b(?:{_RESULT_VERBS}|vencer|derrotar|golear|superar|eliminar|barrer|visitar[aá]?"
    r"|visita|enfrentar[aá]?|enfrenta|recibir[aá]?|recibe|recibi[oó])"
    r"(?:\s+(?:de\s+visita|en\s+casa|\d{1,2}\s*[-–]\s*\d{1,2}))?\s+a"
    r"|\b(?:ante|contra|vs\.?|(?:empat|igual)[a-z]*\s+con))\s+$"
)
_RESULT_NOUN_BEFORE = re.compile(
    r"\b(?:triunfos?|victorias?|derrotas?|empates?)\s+(?:de|del|sobre|ante)\s+"
    r"(?:[A-ZÁÉÍÓÚÑ][\w'’.-]*\s+(?:y|e)\s+)?$"
)
_STANDING_AFTER = re.compile(r"\s*\(\d{1,3}\)")


# cheap pre-checks: the word before (object, result noun) and the one after (subject verb)
_BEFORE_WORDS = frozenset(
    ["a", "al", "ante", "contra", "vs", "vs.", "con", "de", "del", "sobre", "y", "e"]
)
_AFTER_STEMS = ("venc", "derr", "gole", "empa", "igua", "remo", "elim", "cay", "perd", "gan")
_AFTER_STEMS2 = ("barr", "blan", "supe", "salv", "se ", "sum", "lleg")


def _worth_trying(text: str, start: int, end: int) -> bool:
    parts = text[max(0, start - 12) : start].split()
    if parts and parts[-1].lower() in _BEFORE_WORDS:
        return True
    nxt = text[end : end + 6].lstrip().lower()
    return nxt.startswith(("(", *_AFTER_STEMS, *_AFTER_STEMS2))


def team_read(text: str, start: int, end: int) -> bool:
    """``sports_team_name`` (see module doc), without the sports-report gate (the caller
    checks it once per document, and only after this is true)."""
    if not _worth_trying(text, start, end):
        return False
    lo = max(0, start - 40)
    if _OBJECT_BEFORE.search(text, lo, start) or _RESULT_NOUN_BEFORE.search(text, lo, start):
        return True
    if _STANDING_AFTER.match(text, end):
        return True
    return bool(_SUBJECT_AFTER.match(text, end)) and not _PLACE_PREP.search(text, lo, start)


_NOT_BARE_AFTER = re.compile(r"\s*(?:[,(]|\.?\s*[-–—])")


def bare_team_mention(text: str, start: int, end: int) -> bool:
    """``team_one_sense``: a mention that can be the same team again (see module doc)."""
    if _PLACE_PREP.search(text, max(0, start - 20), start):
        return False
    return _NOT_BARE_AFTER.match(text, end) is None
