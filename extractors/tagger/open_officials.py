"""Officials as an open class: a person the text itself names with an office title.

The watchlist lists some officials; real news names many more ("el fiscal X", "X, alcalde de
Y", "Port Director X", "Rep. X"). :func:`find_titled_people` finds every person named with an
office title, in both orders, with the title's complement ("de <municipio>", "of <city>") as
the role's jurisdiction. The rules, each a predicate below:

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

Titles that are also institution heads ("Director", "Chief", "Commissioner", "Administrator")
count only with a security qualifier before them ("Port Director", "DPS Director", "Police
Chief", "DEA Administrator").
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from extractors.lexicon import FOREIGN_COUNTRIES, FOREIGN_TWO_WORD, words
from extractors.textfold import fold

# (regex, role id); case-insensitive; order matters only for readability (longest alternatives
# are listed first inside each regex).
_TITLES: list[tuple[str, str]] = [
    (
        r"presidente municipal|presidenta municipal|alcaldesa|alcalde|edil|mayor-elect|mayor",
        "mayor",
    ),
    (
        r"gobernadora|gobernador|lieutenant governor|lt\. gov\.|governor|gov\."
        r"|mandatari[oa](?: estatal)?",
        "governor",
    ),
    (r"jef[ea] de gobierno", "governor"),
    (
        r"fiscal general(?: del estado)?|fiscal anticorrupci[oó]n|fiscal|vicefiscal"
        r"|procurador(?:a)?(?: general)?(?: de justicia)?|attorney general|district attorney"
        r"|u\.s\. attorney|u\.s\. atty\.|atty\. gen\.|atty\.|county attorney"
        r"|(?:state |federal |county )?prosecutor",
        "prosecutor",
    ),
    (r"senadora|senador|senator|sen\.|state sen\.", "senator"),
    (
        r"diputad[oa](?: federal| local)?|congresswoman|congressman|representative|rep\."
        # ``caucus_leader``: a party's leader in a chamber is a legislator
        r"|coordinador(?:a)? de (?:la )?bancada|(?:house|senate) (?:majority|minority) leader"
        r"|speaker of the house|house speaker",
        "legislator",
    ),
    (
        r"subsecretari[oa]|secretari[oa]|secretary|canciller|foreign minister"
        r"|(?:security|defen[cs]e|interior) minister",
        "secretary",
    ),
    (r"titular", "head"),
    (r"director(?:a)? del puerto|port director", "port-director"),
    (
        r"jef[ea] de (?:la )?polic[ií]a|jef[ea] policiac[oa]|director(?:a)? de (?:la )?polic[ií]a"
        r"|director(?:a)? de seguridad p[uú]blica|comisari[oa]|comisionad[oa]"
        r"|chief of police|police chief|sheriff|border czar|czar fronterizo",
        "police-chief",
    ),
    (
        r"chief patrol agent|special agent in charge|agente especial a cargo"
        r"|director(?:a)? (?:of|de) (?:the |la )?(?:[\w.'’]+ ){0,3}(?:department of public safety"
        r"|police department|public safety department|seguridad p[uú]blica)"
        r"|(?:(?:police|port|patrol|dps|fbi|dea|ice|cbp|hsi|atf|security|safety|customs"
        r"|immigration|field office|sector|acting|deputy) )(?:director|chief|commissioner"
        r"|administrator|commander)",
        "security-chief",
    ),
    (r"presidenta|presidente|president|vice president|pres\.", "president"),
]
_TITLE_RX = re.compile(
    r"(?<![\w.])(?i:(?:ex-?|former |then-)?)(?i:"
    + "|".join(f"(?P<t{i}>{rx})" for i, (rx, _) in enumerate(_TITLES))
    + r")(?!\w)"
)
_ROLE_OF = {f"t{i}": role for i, (_, role) in enumerate(_TITLES)}
# folded head words where a title or a "governed by" phrase may start: the caller finds them
# with its automaton and ``find_titled_people`` tries the regexes only around them (speed).
# Short abbreviations carry their dot ("sen.") so they do not hit inside ordinary words.
TITLE_HEADS = frozenset(
    words(
        """presidente presidenta president pres. vice alcalde alcaldesa edil mayor gobernador
        gobernadora governor gov. lieutenant lt. jefe jefa fiscal vicefiscal procurador
        procuradora attorney atty. prosecutor senador senadora senator sen. diputado diputada
        congressman congresswoman representative rep. secretario secretaria secretary subsecretario
        subsecretaria canciller titular director directora comisario comisaria comisionado
        comisionada chief sheriff czar commissioner administrator commander exgobernador
        exgobernadora exalcalde exalcaldesa exfiscal expresidente expresidenta exsecretario
        exsecretaria exdiputado exdiputada exsenador exsenadora exprocurador gobierno gobiernos
        administracion sexenio gobierna gobernado gobernada governed administration mandatario
        mandataria minister special especial coordinador coordinadora house senate speaker"""
    )
)
_BACK = 16  # a title may start this many characters before its head word ("U.S. Attorney")

_UP = "A-ZÁÉÍÓÚÑÜ"
_LOW = "a-záéíóúñüàèç"
_TOK = rf"(?:[{_UP}][{_LOW}{_UP}'’-]*[{_LOW}][{_LOW}{_UP}'’-]*|[{_UP}]\.)"
_CONN = r"(?:de la|de los|del|de|y|van|von|da|la)"
_NAME = rf"{_TOK}(?:\s+(?:{_CONN}\s+)?{_TOK}){{0,5}}(?:,?\s+(?:Jr\.|Sr\.|III|II))?"
_NAME_AT = re.compile(rf"\s*(?P<name>{_NAME})")
# modifiers allowed between a title and the name ("el alcalde morenista X", "el fiscal
# morelense X", "la diputada federal electa X", "the Zacatecan mayor X")
_MODIFIER = re.compile(
    r"(?:\s+(?:federal|local|electo|electa|interino|interina|estatal|municipal|general|saliente"
    r"|entrante|actual|morenista|priista|panista|perredista|emecista|petista|verde|capitalino"
    r"|capitalina|[a-záéíóúñ]+(?:ense|eño|eña|teco|teca)))*"
)
_NAME_BEFORE_TAIL = (
    rf",\s+(?:(?i:the|el|la|an?|former|ex|then|entonces|actual|current"
    rf"|now|also|nuevo|nueva|new|outgoing)\s+)*(?:(?:[{_UP}][\w.]*(?:'s)?|(?i:county|city|state"
    rf"|border|police|municipal|federal|local|acting|interim|deputy|assistant))\s+){{0,2}}$"
)
_NAME_BEFORE = re.compile(rf"(?P<name>{_NAME})" + _NAME_BEFORE_TAIL)
# the tail alone: it holds no comma, so a match of ``_NAME_BEFORE`` has its comma at the last
# one before the title; the tail is checked there first (the name's regex is the slow part)
_TAIL_AT_COMMA = re.compile(_NAME_BEFORE_TAIL)
_COMPLEMENT = re.compile(
    r"(?P<comp>(?:\s+(?i:mexican[oa]|estadounidense|federal|estatal|municipal|local|electo|electa"
    r"|interino|interina|saliente|morenista|priista|panista|general))*"
    r"\s+(?i:de|del|of|for|en|in|por)\s+[^,.;:\n“”\"()]{1,60}?"
    # ``complement_parenthetical``: a parenthesis inside the complement ("alcalde de Churumuco
    # (estado de Michoacán), Ana Ruiz", "the mayor of Sunland Park (New Mexico), Tom Lee")
    r"(?:\s*\([^()\n]{1,40}\))?),\s*"
)
_WORD = re.compile(r"[^\W\d_][\w'’.-]*")

# first words that never start a person's name
_NOT_FIRST = frozenset(
    fold(w)
    for w in words(
        """El La Los Las Lo Un Una The A An This That These Those Según Ayer Hoy Por Para
    En De Del Con Sin Tras Ante Bajo Durante Desde Hasta Mientras Cuando Donde Aunque Pero Y O
    Además También Asimismo In On At For From With By After Before During When While Although
    But And Or Also However Meanwhile Secretaría Fiscalía Procuraduría Policía Gobierno
    Ayuntamiento Congreso Senado Cámara Department Office County City State Police Sheriff's
    Border Patrol Mayor Governor Gobernador Alcalde Presidente President Secretary Director Chief
    Sen Rep Gov Ciudad Estado Municipio Guardia Ejército Marina Defensa Dirección Comisión
    Agencia Instituto Universidad Consejo Tribunal Juzgado Corte Court Council Agency Instituto
    Homeland Security Customs Immigration Enforcement National Nacional Federal General Pública
    Seguridad Public Safety Mr Mrs Ms Dr Sr Sra Lic Ing Don Doña Señor Señora Usted Su Sus Mexico
    México US EU EE UU Lunes Martes Miércoles Jueves Viernes Sábado Domingo Monday Tuesday Wednesday
    Thursday Friday Saturday Sunday Enero Febrero Marzo Abril Mayo Junio Agosto Septiembre
    Octubre Noviembre Diciembre January February March April May June July August September
    October November December Fue Es Era Será Ha Han He She They We It His Her Their Its
    Morena PRI PAN PRD MC PT PVEM Democrat Democrats Republican Republicans Estatal Municipal
    Ministerial Preventiva Investigadora Federal Judicial Civil Especial Regional Palacio
    Casa Blanca White House Capitol Capitolio Estados Unidos United States Unión Americana
    Gobierno Government Administración Administration"""
    )
)
# words that end a name (a name stops before them)
_NOT_IN_NAME = frozenset(
    fold(w)
    for w in words(
        """Mexico México Texas Arizona California Said Dijo County City Police Department
    Sheriff Mayor Governor Gobernador Alcalde Fiscal Senator Senador Rep Sen Gov Says Told"""
    )
)


_FOREIGN_RX = re.compile(
    r"\b(?:"
    + "|".join(sorted(FOREIGN_COUNTRIES | set(FOREIGN_TWO_WORD)))
    + r"|salvadoren\w*|salvadoran|guatemaltec\w*|guatemalan|hondure\w+|colombian\w*"
    r"|venezolan\w*|venezuelan|argentin\w*|brasilen\w*|brazilian|chilen\w*|chilean|peruan\w*"
    r"|peruvian|ecuatorian\w*|ecuadorian|cuban\w*|nicaraguens\w*|nicaraguan|costarricens\w*"
    r"|paname\w+|espanol\w*|spanish|frances\w*|french|rus[oa]s?|russian|chin[oa]s?|chinese"
    r"|ucranian\w*|ukrainian|canadiense\w*|canadian|colombia's|salvador's)\b"
)
# a head of state / government complement that makes "presidente de ..." a public office
_PRESIDENCY = re.compile(
    r"\b(?:la republica|mexico|estados unidos|ee ?uu|eua|eu|the united states|the u\.?s\.?|u\.?s"
    r"|the republic|mexican[oa]?|estadounidense|american|municipal|the municipality)\b"
)
# capitalised words that may stand right before an English "President" title
_PRES_QUALIFIERS = frozenset(
    fold(w)
    for w in words(
        """U.S. US Mexican Mexico's America's American Vice Former Then The Municipal
    Interim Acting Outgoing Incoming Late Said Told By And But When As"""
    )
)


_CLAUSE_BREAK = re.compile(r"[,.;:\n]")


def foreign_office(text: str, title_start: int, title_end: int) -> bool:
    """``not_foreign``: the title is of another country ("el presidente salvadoreño X",
    "Colombia's president, X", "presidente de Guatemala, X")."""
    before = _CLAUSE_BREAK.split(text[max(0, title_start - 25) : title_start])[-1]
    after = _CLAUSE_BREAK.split(text[title_end : title_end + 40])[0]
    return _FOREIGN_RX.search(fold(before + " " + after)) is not None


def organization_president(text: str, title_start: int, title_end: int, title: str) -> bool:
    """``not_org_president``: a president of a club, company or association, not of a country
    or municipality ("Chihuahuas President X", "presidente de la Cámara de Comercio, X")."""
    if fold(title).lstrip("ex- ").split()[-1] not in ("president", "presidente", "presidenta"):
        return False
    prev = text[max(0, title_start - 30) : title_start].split()
    if prev and prev[-1][:1].isupper() and fold(prev[-1]) not in _PRES_QUALIFIERS:
        return True
    nxt = fold(text[title_end : title_end + 40])
    if nxt.startswith(("de ", "del ", "of ")):
        return _PRESIDENCY.match(nxt.split(" ", 1)[1]) is None
    return False


@dataclass(frozen=True)
class TitledPerson:
    """A person the text names with an office title."""

    name: str
    role: str  # role id of the title kind: mayor, governor, prosecutor, ...
    title: str  # the title and its complement as written ("alcalde de San Juan")
    start: int  # the name's offsets in the text
    end: int
    title_start: int  # the title's (and complement's) offsets
    title_end: int


def _clean_name(raw: str, geo: frozenset[str]) -> tuple[str, int] | None:
    """Trim sentence words from the left, stop words from the right; (name, left trim) or None."""
    toks = raw.split()
    if toks and toks[-1].endswith(("'s", "’s")):
        toks[-1] = toks[-1][:-2]
    lead = 0
    while toks and fold(toks[0]).rstrip(".") in _NOT_FIRST:
        lead += 1
        toks = toks[1:]
    for i, t in enumerate(toks):
        if fold(t).rstrip(".") in _NOT_IN_NAME:
            toks = toks[:i]
            break
    while toks and fold(toks[-1]) in ("de", "del", "la", "los", "y", "van", "von", "da"):
        toks = toks[:-1]
    if not toks or toks[-1].endswith(".") and len(toks[-1]) == 2:
        return None
    name = " ".join(toks)
    if fold(name) in geo or fold(toks[0]) in geo and len(toks) == 1:
        return None
    if all(fold(t) in geo for t in toks):
        return None
    skip = len(" ".join(raw.split()[:lead])) + (1 if lead else 0)
    return name, skip


def title_then_name(text: str, end: int, geo: frozenset[str]) -> tuple[str, int, int] | None:
    """A capitalised name right after the title and its modifiers ("el fiscal Ana Ruiz", "el
    alcalde morenista Ana Ruiz", "Mayor Pete Lopez"). A one-word name followed by a comma and a
    longer name is the title's jurisdiction ("el alcalde Sanjuán, Ana Ruiz")."""
    mm = _MODIFIER.match(text, end)
    if mm is not None:
        end = mm.end()
    m = _NAME_AT.match(text, end)
    if m is None or text[end : m.start("name")].strip() != "":
        return None
    if "\n" in text[end : m.start("name")]:
        return None
    got = _clean_name(m.group("name"), geo)
    if got is None or got[1]:
        return None
    name = got[0]
    s = m.start("name")
    if len(name.split()) == 1 and m.end() == s + len(name) and text[s + len(name) :][:1] == ",":
        nxt = title_comma_name(text, s + len(name), geo)
        if nxt is not None:
            return nxt
    return name, s, s + len(name)


def title_complement_comma_name(
    text: str, end: int, geo: frozenset[str]
) -> tuple[str, int, int, int] | None:
    """Title, complement, comma, a name of two words or more ("alcalde de San Juan, Ana Ruiz").
    Returns (name, start, end, complement end)."""
    m = _COMPLEMENT.match(text, end)
    if m is None:
        return None
    pos = m.end()
    # places after the comma belong to the complement ("de Apodaca, Nuevo León, Ana Ruiz")
    for _ in range(2):
        nm = _NAME_AT.match(text, pos)
        if nm is None:
            return None
        got = _clean_name(nm.group("name"), geo)
        raw = nm.group("name")
        if got is None and fold(raw) in geo and text[nm.end() : nm.end() + 1] == ",":
            pos = nm.end() + 1
            while pos < len(text) and text[pos] == " ":
                pos += 1
            continue
        if got is None or got[1] or len(got[0].split()) < 2:
            return None
        s = nm.start("name")
        return got[0], s, s + len(got[0]), m.end("comp")
    return None


_COPULA_AFTER_TITLE = re.compile(
    r"\s+(?i:ser[aá]|es|fue|is|was|will be|sigue siendo|remains)\s+(?=[A-ZÁÉÍÓÚÑ])"
)
_COPULA_BEFORE_TITLE = re.compile(
    rf"(?P<name>{_NAME})\s+(?i:fue|es|será|was|is|will be|has been|ha sido)"
    r"(?:\s+(?i:appointed|named|elected|sworn in|nombrad[oa]|designad[oa]|elect[oa]|ratificad[oa]"
    r"|nuevamente))?(?:\s+(?i:as|to be|como))?(?:\s+(?i:the|el|la|an?|nuevo|nueva|new|interim"
    r"|interin[oa]))*\s+$"
)


_COPULA_CUE = re.compile(r"\b(?:fue|es|será|sera|was|is|be|been|sido)\b")


def _full_name(nm: re.Match[str], geo: frozenset[str]) -> tuple[str, int, int] | None:
    """The cleaned name of ``nm`` with its span, when it is a full name (two words or more)."""
    got = _clean_name(nm.group("name"), geo)
    if got is None or got[1] or len(got[0].split()) < 2:
        return None
    s = nm.start("name")
    return got[0], s, s + len(got[0])


def title_copula_name(text: str, end: int, geo: frozenset[str]) -> tuple[str, int, int] | None:
    """``title_copula_name``: "el nuevo fiscal será Ana Ruiz Soto", "the mayor is Tom Lee"
    (a name of two words or more)."""
    m = _COPULA_AFTER_TITLE.match(text, end)
    if m is None:
        return None
    nm = _NAME_AT.match(text, m.end())
    if nm is None:
        return None
    return _full_name(nm, geo)


def name_copula_title(text: str, start: int, geo: frozenset[str]) -> tuple[str, int, int] | None:
    """``name_copula_title``: "Ana Ruiz Soto fue nombrada fiscal", "Tom Lee was appointed to
    be the mayor" (a name of two words or more)."""
    near = text[max(0, start - 45) : start].lower()
    if not _COPULA_CUE.search(near):  # cheap check before the name regex
        return None
    m = _COPULA_BEFORE_TITLE.search(text, max(0, start - 110), start)
    if m is None:
        return None
    got = _clean_name(m.group("name"), geo)
    if got is None or len(got[0].split()) < 2:
        return None
    s = m.start("name") + got[1]
    return got[0], s, s + len(got[0])


_OF_PLACE = re.compile(r"\s+(?i:de|del|of)\s+(?=[A-ZÁÉÍÓÚÑ])")
_CAP_WORD = re.compile(r"\s*([A-ZÁÉÍÓÚÑ][\w'’.-]*|(?:de|del|la|los|las|el)(?=\s))")


def title_place_name(text: str, end: int, geo: frozenset[str]) -> tuple[str, int, int] | None:
    """``title_place_name``: title, "de" + a known place, then a name of two words or more
    with no comma between ("el exalcalde de Iguala José Luis Abarca", "the mayor of Laredo
    Pete Lopez Saenz"): the place is the longest run of words that is a place name."""
    m = _OF_PLACE.match(text, end)
    if m is None:
        return None
    pos = m.end()
    words_at: list[tuple[str, int]] = []
    p = pos
    for _ in range(5):
        wm = _CAP_WORD.match(text, p)
        if wm is None:
            break
        words_at.append((wm.group(1), wm.end()))
        p = wm.end()
    for k in range(len(words_at), 0, -1):
        place = " ".join(w for w, _ in words_at[:k])
        if fold(place) not in geo:
            continue
        after = words_at[k - 1][1]
        nm = _NAME_AT.match(text, after)
        if nm is None or text[after : nm.start("name")].strip() != "":
            return None
        return _full_name(nm, geo)
    return None


def title_comma_name(text: str, end: int, geo: frozenset[str]) -> tuple[str, int, int] | None:
    """Title, comma, a name of two words or more ("Laredo's mayor, Pete Lopez")."""
    if text[end : end + 1] != ",":
        return None
    nm = _NAME_AT.match(text, end + 1)
    if nm is None:
        return None
    return _full_name(nm, geo)


def name_comma_title(text: str, start: int, geo: frozenset[str]) -> tuple[str, int, int] | None:
    """A name of two words or more, a comma, then the title ("Ana Ruiz, alcaldesa de San Juan",
    "Tom Lee, the Yuma mayor")."""
    lo = max(0, start - 90)
    comma = text.rfind(",", lo, start)
    if comma < 0 or _TAIL_AT_COMMA.match(text, comma, start) is None:
        return None
    m = _NAME_BEFORE.search(text, lo, start)
    if m is None:
        return None
    got = _clean_name(m.group("name"), geo)
    if got is None or len(got[0].split()) < 2:
        return None
    s = m.start("name") + got[1]
    # the name must start a word run: no capitalised word glued before it
    prev = _WORD.findall(text[max(0, s - 25) : s])
    if (
        prev
        and text[s - 1 : s] == " "
        and prev[-1][:1].isupper()
        and fold(prev[-1]) not in _NOT_FIRST
        and not sentence_end(prev[-1])
    ):
        return None
    return got[0], s, s + len(got[0])


def sentence_end(word: str) -> bool:
    """``sentence_start_name``: a capitalised word that ends a sentence ("... de Aguililla.")
    does not glue to the name that starts the next one: a word of three letters or more before
    its full stop, not an abbreviation with inner dots ("U.S.") or a title ("Gov.", "Lic.")."""
    if not word.endswith(".") or "." in word[:-1]:
        return False
    core = word[:-1]
    return len(core) >= 3 and fold(core) not in _ABBREVIATIONS


_ABBREVIATIONS = frozenset(
    words("gov sen rep lic ing dip sra srta gral mex col ave blvd calif ariz jan feb aug sept oct")
)

_APPOS_UNIT = (
    r"(?:(?i:de|del|la|las|los|el|y|of|the|for|en|in|and|por)(?:\s+[a-záéíóúñ]+){0,2}"
    r"|[A-ZÁÉÍÓÚÑ][\w.'’-]*)"
)
_APPOS_END = re.compile(
    rf"(?:\s+{_APPOS_UNIT}){{0,8}}\s*(?:[,.;:)\n]|$|\s+(?i:said|says|told|dijo|afirm[oó]"
    r"|señal[oó]|inform[oó]|declar[oó]|explic[oó]|asegur[oó]|indic[oó]))"
)


def closes_apposition(text: str, end: int) -> bool:
    """``name_comma_title`` needs the title to close the apposition: "X, alcalde de Y, dijo",
    "X, the mayor." — not "En Palacio Nacional, el presidente defendió ..." (a subject)."""
    return _APPOS_END.match(text, end) is not None


_GOVERNED_BY = re.compile(
    r"(?<!\w)(?i:(?:el |la |los )?(?:gobiernos? de|administraci[oó]n de|sexenio de|que gobierna"
    r"|gobernad[oa] por|governed by|administration of))\s+(?=[A-ZÁÉÍÓÚÑ])"
)


# the folded head words one of which every ``_GOVERNED_BY`` match holds (all in
# ``TITLE_HEADS``): without one of them among the heads the caller found, nothing to look for
GOVERNED_HEADS = frozenset(
    words(
        """gobierno gobiernos administracion administration sexenio gobierna gobernado gobernada
        governed"""
    )
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


_WORD_START = re.compile(r"\b\w")


def _matches(rx: re.Pattern[str], text: str, heads: list[int] | None) -> list[re.Match[str]]:
    """``rx``'s matches in ``text``; with ``heads``, only those starting near a head word."""
    if heads is None:
        return list(rx.finditer(text))
    found: dict[int, re.Match[str]] = {}
    for h in sorted(set(heads)):
        # what ``rx.search(text, h - _BACK, h + 60)`` would find, kept only when it starts at
        # ``h`` or before: try just the word starts there, leftmost first, as ``search`` does
        # (both regexes match only from a word character that follows no word character)
        m = None
        for w in _WORD_START.finditer(text, max(0, h - _BACK), h + 1):
            m = rx.match(text, w.start(), h + 60)
            if m is not None:
                break
        if m is not None and m.start() not in found:
            # re-match without the window's end so complements are not cut
            full = rx.match(text, m.start())
            found[m.start()] = full if full is not None else m
    return [found[k] for k in sorted(found)]


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
    out: list[TitledPerson] = governed_by(text, geo, heads) if governed else []
    for m in _matches(_TITLE_RX, text, heads):
        role = next(_ROLE_OF[k] for k, v in m.groupdict().items() if v is not None)
        title = m.group(0)
        # Spanish "mayor" is an adjective or a military rank ("la mayor parte", "el mayor
        # Ruiz"): the English title only
        if fold(title) == "mayor" and (lang == "es" or _spanish_around(text, m.start())):
            continue
        if foreign_office(text, m.start(), m.end()) or organization_president(
            text, m.start(), m.end(), title
        ):
            continue
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
        hit = title_copula_name(text, te, geo) or name_copula_title(text, m.start(), geo)
        if hit is not None:
            out.append(TitledPerson(hit[0], role, title, hit[1], hit[2], m.start(), te))
            continue
        hit = name_comma_title(text, m.start(), geo) if closes_apposition(text, te) else None
        if hit is not None:
            comp_m = re.match(r"\s+(?i:de|del|of|for)\s+[^,.;:\n“”\"()]{1,40}", text[te:])
            full = title + (comp_m.group(0) if comp_m else "")
            out.append(
                TitledPerson(hit[0], role, " ".join(full.split()), hit[1], hit[2], m.start(), te)
            )
    out.sort(key=lambda p: p.start)
    return out


def _spanish_around(text: str, pos: int) -> bool:
    window = text[max(0, pos - 60) : pos + 60].lower()
    return sum(f" {w} " in window for w in ("el", "la", "de", "que", "los", "las", "y")) >= 2


@lru_cache(maxsize=8192)
def _person_words(name: str) -> tuple[str, ...]:
    return tuple(
        w for w in fold(name).replace(".", " ").split() if w not in ("de", "del", "la", "y")
    )


def same_person(a: str, b: str) -> bool:
    """Two names of one person: the shorter's words are all in the longer one."""
    wa, wb = _person_words(a), _person_words(b)
    if not wa or not wb:
        return False
    short, long_ = (wa, wb) if len(wa) <= len(wb) else (wb, wa)
    return set(short) <= set(long_)
