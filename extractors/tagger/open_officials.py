"""Officials as an open class: a person the text itself names with an office title.

The watchlist lists some officials; real news names many more ("el fiscal X", "X, alcalde de
Y", "Port Director X", "Rep. X"). :func:`find_titled_people` finds every person named with an
office title, in both orders, with the title's complement ("de <municipio>", "of <city>") as
the role's jurisdiction. The titles are in ``official_titles``; the rules, each a
predicate (the name patterns and the predicates that find a name next to a title are in
``official_names``, the forms of several people or of a government below):

* ``title_then_name`` — a title followed by a capitalised name: "el fiscal Ana Ruiz Soto",
  "Mayor Pete Lopez", "Sen. Ann Smith", "Border Patrol Chief Ann Smith";
* ``title_complement_comma_name`` — a title, its complement, a comma and a name of at least two
  words: "el presidente municipal de San Juan, Ana Ruiz", "the mayor of Yuma, Tom Lee". A
  state or place name after the complement's comma is part of the complement ("alcalde de
  Apodaca, Nuevo León, Ana Ruiz");
* ``name_comma_title`` — a name of at least two words, a comma, an optional article or
  "former/ex" and a title: "Ana Ruiz, alcaldesa de San Juan", "Tom Lee, the Yuma mayor";
* ``complement_parenthetical`` — the complement may hold a parenthesis ("alcalde del municipio
  de Churumuco (estado de Michoacán), Ana Ruiz");
* ``sentence_start_name`` — in ``name_comma_title``, a name that starts a sentence right after
  a capitalised word and its full stop ("... de Aguililla. Ana Ruiz, alcaldesa de X") is a name;
* ``party_in_apposition`` — the apposition may name the party: "Ana Ruiz, presidenta municipal
  de X por el PRI, ..." (``closes_apposition`` takes "por" + words);
* ``title_place_name`` — title, "de" + a known place and the name with no comma ("el
  exalcalde de Iguala José Luis Abarca");
* ``caucus_leader`` — "el coordinador de la bancada de Morena, X", "Senate Majority Leader X",
  "House Speaker X" (legislators);
* ``more_security_titles`` — "County Attorney" (a prosecutor), "special agent in charge" /
  "agente especial a cargo" and "director of the <state> Department of Public Safety" (heads of
  a security agency's office);
* the complement may start with "por" (a party or district: "la diputada local por Morena, Ana
  Ruiz", "el senador por Tamaulipas, Ana Ruiz");
* ``not_a_name`` — a candidate whose first word is a sentence word (El, The, Según ...), an
  institution word (Secretaría, Fiscalía, Department ...) or a place is not a person;
* one-word names ("el alcalde Ruiz") are kept only after a title directly; a one-word name that
  is a word of a longer name found in the same text is that person (``same_person``).

Fourth round (issue 14, recall on outside real text): ``acting_head`` ("el encargado de
despacho de la Fiscalía, X"), ``county_judge`` (a Texas county judge is the county's elected
executive; court judges stay out), ``rank_before_name`` ("..., General X"),
``modifier_comma_name`` ("el jefe de la policía municipal, X"), ``quoted_nickname``,
``possessive_ends_name``, ``former_apposition`` ("X, quien fuera alcalde de Y"),
``parenthetical_title`` ("X (gobernador de Y 1993-1999)"), ``takes_office_as`` ("X rindió
protesta como alcaldesa"), ``oath_of_office`` ("la toma de protesta de X"),
``plural_title_list`` ("alcaldes como X (Tepic), Y (Colima) y Z"), ``surname_full_mention``
("el alcalde Mendoza" + "Conrado Mendoza"), ``surname_order`` in :func:`same_person` and
``head_covering_match`` in :func:`_matches`.

Titles that are also institution heads ("Director", "Chief", "Commissioner", "Administrator")
count only with a security qualifier before them ("Port Director", "DPS Director", "Police
Chief", "DEA Administrator").
"""

from __future__ import annotations

import re
from functools import lru_cache

from extractors.lexicon import GIVEN_NAMES, words
from extractors.tagger.official_full_form import (  # noqa: F401 (re-exported for tests)
    _full_form,
    _full_form_rx,
    _may_have_full_form,
)
from extractors.tagger.official_more import (
    chamber_name,
    council_secretary,
    drop_place_lead,
    judiciary_president,
    more_people,
    title_office_complement_name,
)
from extractors.tagger.official_names import (
    _LOW,
    _NAME_AT,
    _NOT_FIRST,
    _TOK,
    _UP,
    TitledPerson,
    _clean_name,
    _full_name,
    closes_apposition,
    committee_context,
    foreign_office,
    name_comma_title,
    name_copula_title,
    name_takes_office,
    organization_president,
    relative_apposition,
    title_comma_name,
    title_complement_comma_name,
    title_copula_name,
    title_place_name,
    title_then_name,
)
from extractors.tagger.official_titles import (
    _BACK,
    _ROLE_OF,
    _TITLE_RX,
    GOVERNED_HEADS,
    MORE_HEADS,
    OATH_HEADS,
    PLURAL_HEADS,
)
from extractors.textfold import fold

_GOVERNED_BY = re.compile(
    r"(?<!\w)(?i:(?:el |la |los )?(?:gobiernos? de|administraci[oó]n de|sexenio de|que gobierna"
    r"|gobernad[oa] por|governed by|administration of))\s+(?=[A-ZÁÉÍÓÚÑ])"
)


def governed_by(
    text: str, geo: frozenset[str], heads: list[int] | None = None
) -> list[TitledPerson]:
    """``governed_by``: a head of government named through the government they lead ("el
    gobierno de Ana Ruiz Soto", "the state governed by Ana Ruiz", "la administración de Tom
    Lee"). Two words at least; a place ("el gobierno de Chiapas") is not a person."""
    out: list[TitledPerson] = []
    for m in _matches(_GOVERNED_BY, text, heads):
        nm = _NAME_AT.match(text, m.end())
        if nm is None:
            continue
        got = _clean_name(nm.group("name"), geo)
        if got is None or got[1] or len(got[0].split()) < 2:
            continue
        s = nm.start("name")
        title = " ".join(m.group(0).split())
        out.append(TitledPerson(got[0], "head", title, s, s + len(got[0]), m.start(), m.end()))
    return out


# ``plural_title_list``: a plural title, an optional short lowercase stretch and a cue, then a
# list of names, each optionally with its place: "alcaldes como Ana Ruiz (Tepic), Luis Mora
# (Colima) y Eva Sol", "Sheriffs Tom Lee of Kerr County and Ann Fox of Bee County"
_PLURAL_TITLES: list[tuple[str, str]] = [
    (r"alcaldes|alcaldesas|ediles|presidentes municipales|presidentas municipales|mayors", "mayor"),
    (r"gobernadores|gobernadoras|mandatarios estatales|governors", "governor"),
    (r"fiscales|procuradores|prosecutors|district attorneys|attorneys general", "prosecutor"),
    (r"senadores|senadoras|senators", "senator"),
    # ``plural_representatives``: "Representatives X and Y", "Reps. X and Y"
    (
        r"diputados|diputadas|legisladores|legisladoras|lawmakers|congressmen|congresswomen"
        r"|representatives|reps\.|congresistas",
        "legislator",
    ),
    (r"sheriffs|jefes de (?:la )?polic[ií]a|police chiefs", "police-chief"),
    (r"county judges", "county-judge"),
    # "Judges Ana Ruiz of Kerr County and ...": county judges only (each item's note names
    # a county, checked below); court judges are not officials
    (r"judges", "judge"),
]
_PLURAL_RX = re.compile(
    r"(?<!\w)(?i:(?:ex[- ]?|former )?(?:"
    + "|".join(f"(?P<p{i}>{rx})" for i, (rx, _) in enumerate(_PLURAL_TITLES))
    + r"))(?!\w)(?:\s+[a-záéíóúñ]+){0,6}?"
    r"(?:\s+(?:como|tales como|such as|including|like|entre ellos|entre ellas|among them"
    r"|son los de|son las de|fueron los de)\s+|:\s*|\s+(?=[A-ZÁÉÍÓÚÑ]))"
)
_PLURAL_ROLE = {f"p{i}": role for i, (_, role) in enumerate(_PLURAL_TITLES)}
_LIST_NAME = re.compile(
    # an item may repeat the title's preposition: "los alcaldes de Tepic, Ana Ruiz, y de
    # Colima, Luis Mora" (one-word items, the places, are skipped)
    rf"(?:(?:de|del|of)\s+)?(?P<name>{_TOK}(?:\s+(?:(?:de la|de los|del|de)\s+)?{_TOK}){{0,7}})"
    r"(?P<note>\s*\([^()\n]{1,40}\)|\s+(?:of|de|del|en|in)\s+(?:(?:la|el)\s+)?"
    r"[A-ZÁÉÍÓÚÑ][\w.'’-]*(?:\s+(?:(?:de|del|la)\s+)?[A-ZÁÉÍÓÚÑ][\w.'’-]*){0,3})?"
)
# (``semicolon_list``: "; " separates items too)
_LIST_SEP = re.compile(r"\s*(?:[,;]\s*(?:(?:y|e|o|and|or)\s+)?|\s(?:y|e|o|and|or)\s+)")


def plural_title_list(
    text: str, geo: frozenset[str], heads: list[int] | None = None
) -> list[TitledPerson]:
    """``plural_title_list``: every name of a list introduced by a plural title. An item
    counts when it has two words or more and a known given name, a place note or three
    words (so a list of places or parties is not a list of people)."""
    out: list[TitledPerson] = []
    for m in _matches(_PLURAL_RX, text, heads):
        if chamber_name(text, m.start()):
            continue
        role = next(_PLURAL_ROLE[k] for k, v in m.groupdict().items() if v is not None)
        pos = m.end()
        title = " ".join(text[m.start() : m.end()].split())
        head = m.group(next(k for k, v in m.groupdict().items() if v is not None))
        if head == "representatives":
            continue  # lowercase: a generic noun ("representatives of the X cartel")
        cap_title = (
            head[:1].isupper()
            and text[m.end() - 1 : m.end()] == " "
            and head == title[-len(head) :]
        )
        for _ in range(12):
            nm = _LIST_NAME.match(text, pos)
            if nm is None:
                break
            raw, lead = drop_place_lead(nm.group("name"), geo)
            got = _clean_name(raw, geo)
            if got is None or got[1]:
                if nm.group("name") is None or len(nm.group("name").split()) > 1:
                    break
                got = (nm.group("name"), 0)  # a one-word place item: skipped below
            name = got[0]
            ws = name.split()
            note = nm.group("note") or ""
            if role == "judge" and not note.rstrip().endswith("County"):
                break
            # ``capitalised_plural_title``: a capitalised plural title right before the list
            # ("Representatives Tom Lee and Ann Fox", "Former PRI Governors X and Y") is enough
            if len(ws) >= 2 and (fold(ws[0]) in GIVEN_NAMES or note or len(ws) >= 3 or cap_title):
                s = nm.start("name") + lead
                kind = "county-judge" if role == "judge" else role
                out.append(TitledPerson(name, kind, title, s, s + len(name), m.start(), m.end()))
            sep = _LIST_SEP.match(text, nm.end())
            if sep is None:
                break
            pos = sep.end()
    return out


# ``oath_of_office``: "durante la toma de protesta de Ana Ruiz, en San Juan" names the one
# sworn into office; with "como" the office must be a title (``takes_office_as``)
_OATH_OF = re.compile(
    r"(?<!\w)(?i:toma de protesta|toma de posesi[oó]n|swearing-in|swearing in)\s+(?i:de|of)\s+"
    rf"(?=[{_UP}])"
)


def oath_of_office(
    text: str, geo: frozenset[str], heads: list[int] | None = None
) -> list[TitledPerson]:
    """``oath_of_office``: the person of "la toma de protesta de X" (two words or more), when
    no "como"/"as" + office follows (that case is ``takes_office_as``'s, with a title)."""
    out: list[TitledPerson] = []
    for m in _matches(_OATH_OF, text, heads):
        nm = _NAME_AT.match(text, m.end())
        if nm is None:
            continue
        got = _full_name(nm, geo)
        if got is None or re.match(r"\s+(?i:como|as)\b", text[got[2] : got[2] + 6]):
            continue
        title = " ".join(m.group(0).split())
        out.append(TitledPerson(got[0], "official", title, got[1], got[2], m.start(), m.end()))
    return out


_WORD_START = re.compile(r"\b\w")


# the first word (a run of word characters, lower case) of every ``_TITLE_RX`` match: a word
# of ``_TITLE_LEADS``, or one starting with "ex" (the "ex-" / "ex" prefix); ``_matches`` tries
# the regex only at such words (speed; tests: ``_title_lead_ok`` holds at every match)
_TITLE_LEADS = frozenset(
    words(
        """former then presidente presidenta president pres municipal alcaldesa alcalde edil
        mayor gobernadora gobernador lieutenant lt governor gov mandatario mandataria jefe jefa
        fiscal vicefiscal procurador procuradora attorney district u atty county state federal
        prosecutor senadora senador senator sen diputado diputada congresswoman congressman
        representative rep coordinador coordinadora house senate speaker subsecretario
        subsecretaria secretario secretaria secretary canciller foreign security defense defence
        interior titular encargado encargada director directora port comisario comisaria
        comisionado comisionada chief police sheriff border czar deputy acting assistant sector
        special agente commissioner patrol dps fbi dea ice cbp hsi atf safety customs
        immigration field vice chairman chairwoman chairperson ranking us"""
    )
)
_WORD_RUN = re.compile(r"\w+")


def _title_lead_ok(text: str, pos: int) -> bool:
    """False when no ``_TITLE_RX`` match can start at the word start ``pos``: its word (ASCII)
    is no first word of a title (non-ASCII words are always tried: case folding)."""
    m = _WORD_RUN.match(text, pos)
    if m is None:
        return True
    w = m.group(0)
    if not w.isascii():
        return True
    w = w.lower()
    return w in _TITLE_LEADS or w.startswith("ex")


def _matches(
    rx: re.Pattern[str], text: str, heads: list[int] | None, leads: bool = False
) -> list[re.Match[str]]:
    """``rx``'s matches in ``text``; with ``heads``, only those starting near a head word.
    ``leads`` (``_TITLE_RX`` only): skip word starts where ``_title_lead_ok`` is False."""
    if heads is None:
        return list(rx.finditer(text))
    found: dict[int, re.Match[str]] = {}
    for h in sorted(set(heads)):
        # what ``rx.search(text, h - _BACK, h + 60)`` would find, kept only when it starts at
        # ``h`` or before: try just the word starts there, leftmost first, as ``search`` does
        # (both regexes match only from a word character that follows no word character)
        # ``head_covering_match``: only a match that reaches the head word counts, so a title
        # just before another ("del alcalde y del secretario general de gobierno, X") does
        # not hide the second one
        m = None
        for w in _WORD_START.finditer(text, max(0, h - _BACK), h + 1):
            if leads and not _title_lead_ok(text, w.start()):
                continue
            m = rx.match(text, w.start(), h + 60)
            if m is not None and m.end() > h:
                break
            m = None
        if m is not None and m.start() not in found:
            # re-match without the window's end so complements are not cut
            full = rx.match(text, m.start())
            found[m.start()] = full if full is not None else m
    return [found[k] for k in sorted(found)]


_HEAD_WORD = re.compile(r"[\w.'’-]+")
# plural head words that also start a singular title ("presidentes municipales" is plural, but
# "jefes" / "chiefs" / "judges" only ever start a plural list)
_BOTH = frozenset(words("presidentes presidentas"))
# ``more_people``'s head words that start no title ("governed" also starts "governed by")
_MORE_ONLY = MORE_HEADS - GOVERNED_HEADS


def _head_word(text: str, h: int) -> str:
    """The folded word at offset ``h`` (a head word found by the caller's automaton)."""
    m = _HEAD_WORD.match(text, h)
    return _folded_head(m.group(0)) if m is not None else ""


@lru_cache(maxsize=4096)
def _folded_head(word: str) -> str:
    return fold(word).rstrip(".")


def find_titled_people(
    text: str,
    geo: frozenset[str],
    lang: str = "",
    heads: list[int] | None = None,
    governed: bool = True,
) -> list[TitledPerson]:
    """Every person the text names with an office title, in text order. ``lang`` ("es" /
    "en"): in Spanish text "mayor" is never the English title. ``heads``: offsets of title
    head words (``TITLE_HEADS``) found by the caller; None = search the whole text.
    ``governed``: False when the caller found none of ``GOVERNED_HEADS`` (speed)."""
    gov_h, plural_h, oath_h, title_h, more_h = heads, heads, heads, heads, heads
    if heads is not None:
        kinds = [(h, _head_word(text, h)) for h in heads]
        gov_h = [h for h, w in kinds if w in GOVERNED_HEADS]
        plural_h = [h for h, w in kinds if w in PLURAL_HEADS]
        oath_h = [h for h, w in kinds if w in OATH_HEADS]
        more_h = [h for h, w in kinds if w in MORE_HEADS]
        title_h = [
            h
            for h, w in kinds
            if w not in OATH_HEADS and w not in _MORE_ONLY and (w not in PLURAL_HEADS or w in _BOTH)
        ]
    if not governed:
        gov_h = []
    out: list[TitledPerson] = (
        (governed_by(text, geo, gov_h) if gov_h != [] else [])
        + (plural_title_list(text, geo, plural_h) if plural_h != [] else [])
        + (oath_of_office(text, geo, oath_h) if oath_h != [] else [])
        + [
            TitledPerson(n, r, text[ts:te].strip(" ,"), s, e, ts, te)
            for n, r, s, e, ts, te in (more_people(text, geo, more_h) if more_h != [] else [])
        ]
    )
    bare_title: tuple[str, str] | None = None
    for m in _matches(_TITLE_RX, text, title_h, leads=True):
        role = next(_ROLE_OF[k] for k, v in m.groupdict().items() if v is not None)
        title = m.group(0)
        # a bare title at a sentence start that speaks ("El secretario expresó que ...")
        # (the cheap "speaks" check first; both regexes compiled once)
        if (
            bare_title is None
            and _BARE_TITLE_SPEAKS.match(text, m.end())
            and _BARE_TITLE_BEFORE.search(text[max(0, m.start() - 8) : m.start()])
        ):
            bare_title = (role, title)
        # Spanish "mayor" is an adjective or a military rank ("la mayor parte", "el mayor
        # Ruiz"): the English title only
        if fold(title) == "mayor" and (lang == "es" or _spanish_around(text, m.start())):
            continue
        if (
            foreign_office(text, m.start(), m.end())
            or organization_president(text, m.start(), m.end(), title)
            or judiciary_president(text, m.end(), role)
            or council_secretary(text, m.end(), role)
        ):
            continue
        if role == "committee-chair":
            if not committee_context(text, m.start(), m.end()):
                continue
            role = "legislator"
        te = m.end()
        hit = title_then_name(text, te, geo)
        if hit is not None:
            out.append(TitledPerson(hit[0], role, title, hit[1], hit[2], m.start(), te))
            continue
        hit4 = title_complement_comma_name(text, te, geo)
        if hit4 is not None:
            comp = " ".join(text[m.start() : hit4[3]].split())
            out.append(TitledPerson(hit4[0], role, comp, hit4[1], hit4[2], m.start(), hit4[3]))
            continue
        hit = title_comma_name(text, te, geo)
        if hit is not None:
            out.append(TitledPerson(hit[0], role, title, hit[1], hit[2], m.start(), te))
            continue
        hit = title_place_name(text, te, geo)
        if hit is not None:
            comp = " ".join(text[m.start() : hit[1]].split())
            out.append(TitledPerson(hit[0], role, comp, hit[1], hit[2], m.start(), hit[1]))
            continue
        hit = title_office_complement_name(text, te, geo)
        if hit is not None:
            out.append(TitledPerson(hit[0], role, title, hit[1], hit[2], m.start(), te))
            continue
        hit = (
            title_copula_name(text, te, geo)
            or name_copula_title(text, m.start(), geo)
            or name_takes_office(text, m.start(), geo)
        )
        if hit is not None:
            out.append(TitledPerson(hit[0], role, title, hit[1], hit[2], m.start(), te))
            continue
        hit = (
            name_comma_title(text, m.start(), geo)
            if closes_apposition(text, te) or relative_apposition(text, m.start())
            else None
        )
        if hit is not None:
            comp_m = _APPOS_COMPLEMENT.match(text, te)
            comp = comp_m.group(0) if comp_m else ""
            if comp and text[te + len(comp) : te + len(comp) + 1].isalnum():
                comp = comp.rsplit(" ", 1)[0]  # no word cut in half
            full = title + comp
            out.append(
                TitledPerson(hit[0], role, " ".join(full.split()), hit[1], hit[2], m.start(), te)
            )
    out = [_full_form(text, p, geo) for p in out]
    if not out and bare_title is not None:
        out = surname_pair_speaker(text, geo, bare_title)
    out.sort(key=lambda p: p.start)
    return out


_SPEECH = (
    r"(?:detall[oó]|dijo|explic[oó]|señal[oó]|afirm[oó]|indic[oó]|inform[oó]|agreg[oó]"
    r"|asegur[oó]|declar[oó]|expres[oó]|puntualiz[oó]|precis[oó]|said|told|added|explained)"
)
_BARE_TITLE_SPEAKS = re.compile(rf"\s+{_SPEECH}\b")
# the complement after an apposition's title (matched at the title's end, no slice copy)
_APPOS_COMPLEMENT = re.compile(r"\s+(?i:de|del|of|for)\s+[^,.;:\n“”\"()]{1,40}")
_BARE_TITLE_BEFORE = re.compile(r"(?:^|[.!?]\s+|\n)(?:El|La|The)\s+$")
_PAIR_SPEAKS = re.compile(
    rf"(?:^|(?<=[.!?]\s)|(?<=\n))(?P<name>[{_UP}][{_LOW}]+\s+[{_UP}][{_LOW}]+)\s+{_SPEECH}\b",
    re.M,
)


def surname_pair_speaker(
    text: str, geo: frozenset[str], title: tuple[str, str]
) -> list[TitledPerson]:
    """``surname_pair_speaker``: a text whose only title is a bare one that speaks ("El
    secretario expresó ...") and that quotes one bare pair of surnames at a sentence start
    ("Torres Sánchez detalló ..."): the pair is that official. Neither word may be a given
    name, a sentence word or a place; exactly one such pair in the text."""
    found: dict[str, re.Match[str]] = {}
    for m in _PAIR_SPEAKS.finditer(text):
        ws = m.group("name").split()
        if any(fold(w) in GIVEN_NAMES or fold(w) in _NOT_FIRST or fold(w) in geo for w in ws):
            continue
        found.setdefault(" ".join(ws), m)
    if len(found) != 1:
        return []
    name, m = next(iter(found.items()))
    role, written = title
    return [TitledPerson(name, role, written, m.start("name"), m.end("name"), 0, 0)]


def _spanish_around(text: str, pos: int) -> bool:
    window = text[max(0, pos - 60) : pos + 60].lower()
    return sum(f" {w} " in window for w in ("el", "la", "de", "que", "los", "las", "y")) >= 2


@lru_cache(maxsize=8192)
def _person_words(name: str) -> tuple[str, ...]:
    return tuple(
        w for w in fold(name).replace(".", " ").split() if w not in ("de", "del", "la", "y")
    )


def same_person(a: str, b: str) -> bool:
    """Two names of one person: the shorter's words are all in the longer one, in the same
    order (``surname_order``: "Lomelí Martínez" is not "Eduardo Martínez Lomelí")."""
    wa, wb = _person_words(a), _person_words(b)
    if not wa or not wb:
        return False
    short, long_ = (wa, wb) if len(wa) <= len(wb) else (wb, wa)
    if not set(short) <= set(long_):
        return False
    rest = iter(long_)
    return all(w in rest for w in short)
