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
from dataclasses import dataclass
from functools import lru_cache

from extractors.lexicon import FOREIGN_COUNTRIES, FOREIGN_TWO_WORD, GIVEN_NAMES, words
from extractors.textfold import fold

# (regex, role id); case-insensitive; order matters only for readability (longest alternatives
# are listed first inside each regex).
_TITLES: list[tuple[str, str]] = [
    (
        r"presidente municipal|presidenta municipal|municipal president|alcaldesa|alcalde|edil"
        r"|mayor-elect|mayor",
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
        r"|coordinador(?:a)? de (?:la )?bancada|coordinador(?:a)? de (?:los|las) (?:legisladores"
        r"|diputados|senadores|legisladoras|diputadas|senadoras)"
        r"|(?:house|senate) (?:majority|minority) leader"
        r"|speaker of the house|house speaker",
        "legislator",
    ),
    (
        r"subsecretari[oa]|secretari[oa]|secretary|canciller|foreign minister"
        r"|(?:security|defen[cs]e|interior) minister",
        "secretary",
    ),
    (r"titular", "head"),
    # ``acting_head``: "el encargado de despacho de la Fiscalía, X", "X fue designado como
    # encargado de la Secretaría de Seguridad" (an agency's acting head)
    (
        r"encargad[oa](?: interin[oa]| provisional)? (?:de(?:l)? despacho"
        r"|de la(?= (?:secretar[ií]a|fiscal[ií]a|procuradur[ií]a|polic[ií]a|direcci[oó]n de"
        r"|ssp|ssc|fge|fgj|presidencia municipal)))",
        "head",
    ),
    # ``county_judge``: a Texas county judge is the county's elected executive (not a
    # court judge): "Hidalgo County Judge Ana Ruiz", "County Judge Tom Lee"
    (r"county judge", "county-judge"),
    (r"director(?:a)? del puerto|port director", "port-director"),
    (
        r"jef[ea] de (?:la )?polic[ií]a|jef[ea] policiac[oa]|director(?:a)? de (?:la )?polic[ií]a"
        r"|director(?:a)? de seguridad p[uú]blica|comisari[oa]|comisionad[oa]"
        r"|chief of police|police chief|sheriff|border czar|czar fronterizo",
        "police-chief",
    ),
    (
        r"(?:(?:deputy|acting|assistant|sector) )?chief patrol agent"
        r"|special agent in charge|agente especial a cargo"
        # ``more_security_titles``: "the state commissioner for security, X"
        r"|commissioner for (?:public )?security(?: and [a-z]+)?"
        r"|director(?:a)? (?:of|de) (?:the |la )?(?:[\w.'’]+ ){0,3}(?:department of public safety"
        r"|police department|public safety department|seguridad p[uú]blica)"
        r"|(?:(?:police|port|patrol|dps|fbi|dea|ice|cbp|hsi|atf|security|safety|customs"
        r"|immigration|field office|sector|acting|deputy) )(?:director|chief|commissioner"
        r"|administrator|commander)",
        "security-chief",
    ),
    (r"presidenta|presidente|president|vice president|pres\.", "president"),
    # ``committee_chair``: a chair of a committee of Congress is a legislator; checked by
    # :func:`committee_context` ("House Homeland Security Committee Chairman X")
    (r"chairman|chairwoman|chairperson", "committee-chair"),
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
        mandataria minister special especial coordinador coordinadora house senate speaker
        encargado encargada judge exprocuradora exfiscal exdirector exjefe exsubsecretario
        exsubsecretaria exedil exmandatario exmandataria chairman chairwoman chairperson"""
    )
)
# head words of the separate finders: each regex is tried only near its own heads (speed)
PLURAL_HEADS = frozenset(
    words(
        """alcaldes alcaldesas ediles presidentes presidentas mayors gobernadores gobernadoras
        mandatarios governors fiscales procuradores prosecutors attorneys senadores senadoras
        senators diputados diputadas legisladores legisladoras lawmakers congressmen sheriffs
        jefes chiefs judges"""
    )
)
OATH_HEADS = frozenset(words("toma swearing-in swearing"))
# the folded head words one of which every ``_GOVERNED_BY`` match holds (all in
# ``TITLE_HEADS``): without one of them among the heads the caller found, nothing to look for
GOVERNED_HEADS = frozenset(
    words(
        """gobierno gobiernos administracion sexenio gobierna gobernado gobernada governed
        administration"""
    )
)
TITLE_HEADS = TITLE_HEADS | PLURAL_HEADS | OATH_HEADS
_BACK = 16  # a title may start this many characters before its head word ("U.S. Attorney")

_UP = "A-ZÁÉÍÓÚÑÜ"
_LOW = "a-záéíóúñüàèç"
_TOK = rf"(?:[{_UP}][{_LOW}{_UP}'’-]*[{_LOW}][{_LOW}{_UP}'’-]*|[{_UP}]\.)"
_CONN = r"(?:de la|de los|del|de|y|van|von|da|la)"
# ``quoted_nickname``: a nickname in quotes inside the name ("Juan “El Güero” Pérez Soto");
# ``_clean_name`` drops it
_NICK = r"(?:\s+[“\"«][^”\"»\n]{1,25}[”\"»])"
_NAME = rf"{_TOK}(?:{_NICK}?\s+(?:{_CONN}\s+)?{_TOK}){{0,5}}(?:,?\s+(?:Jr\.|Sr\.|III|II))?"
_NICK_RX = re.compile(_NICK)
_NAME_AT = re.compile(rf"\s*(?P<name>{_NAME})")
# modifiers allowed between a title and the name ("el alcalde morenista X", "el fiscal
# morelense X", "la diputada federal electa X", "the Zacatecan mayor X")
_MODIFIER = re.compile(
    r"(?:\s+(?:federal|local|electo|electa|interino|interina|estatal|municipal|general|saliente"
    r"|(?i:ejecutiv[oa]|t[eé]cnic[oa]|particular)|provisional|suplente|sustitut[oa]"
    r"|con licencia|en funciones|entrante|actual|morenista|priista|panista|perredista"
    r"|emecista|petista|verde|capitalino"
    r"|capitalina|[a-záéíóúñ]+(?:ense|eño|eña|teco|teca)))*"
)
_NAME_BEFORE_TAIL = (
    # ``former_apposition``: "X, quien fuera alcalde de Y", "X, who served as mayor of Y";
    # ``parenthetical_title``: "X (gobernador de Y 1993-1999)"
    r"(?:,\s+|\s*\()(?:(?i:quien|who)\s+(?i:fue|fuera|era|es|ha sido"
    r"|había sido|fungió como|fungía como|se desempeñó como|se desempeñaba como|was|is|had been"
    r"|has been|served as|serves as|once served as)\s+)?"
    rf"(?:(?i:the|el|la|an?|former|ex|then|entonces|actual|current"
    rf"|now|also|nuevo|nueva|new|outgoing|electo|electa|reelecto|reelecta)\s+)*(?:(?:[{_UP}][\w.]*(?:'s)?|(?i:county|city|state"
    rf"|border|police|municipal|federal|local|acting|interim|deputy|assistant))\s+){{0,2}}$"
)
_NAME_BEFORE = re.compile(rf"(?P<name>{_NAME})" + _NAME_BEFORE_TAIL)
# the tail alone: it holds no comma or parenthesis after its delimiter, so a match of
# ``_NAME_BEFORE`` has its delimiter at the last "," or "(" before the title; the tail is
# checked there first (the name's regex is the slow part)
_TAIL_AT_COMMA = re.compile(_NAME_BEFORE_TAIL)
_COMPLEMENT = re.compile(
    r"(?P<comp>(?:\s+(?i:mexican[oa]|estadounidense|federal|estatal|municipal|local|electo|electa"
    r"|ejecutiv[oa]|t[eé]cnic[oa]|particular|provisional|suplente"
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
# capitalised words that may stand right before an English "President" title
_PRES_QUALIFIERS = frozenset(
    fold(w)
    for w in words(
        """U.S. US Mexican Mexico's America's American Vice Former Then The Municipal
    Interim Acting Outgoing Incoming Late Said Told By And But When As La El Del Al Y Según"""
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
    words_ = fold(title).lstrip("ex- ").split()
    if words_[-1] not in ("president", "presidente", "presidenta") or "municipal" in words_:
        return False
    prev = text[max(0, title_start - 30) : title_start].split()
    if prev and prev[-1][:1].isupper() and fold(prev[-1]) not in _PRES_QUALIFIERS:
        return True
    # ``org_president_complement``: a complement that names an organisation ("presidenta del
    # comité vecinal", "president of the chamber of commerce"); "la presidenta de Tepic" is
    # the mayor. (The complement kept the title's space, so this branch never ran before.)
    nxt = fold(text[title_end : title_end + 40]).lstrip()
    if nxt.startswith(("de ", "del ", "of ")):
        rest = [w for w in nxt.split()[1:4] if w not in ("la", "el", "los", "las", "the", "a")]
        if " ".join(rest).startswith(("camara de diputados", "camara de senadores")):
            return False  # the head of a chamber of Congress is a legislator
        if rest and rest[0] == "comision" and _CONGRESS.search(nxt):
            return False  # ``committee_chair``: a committee of Congress
        return bool(rest) and rest[0] in _ORG_WORDS
    return False


_CONGRESS = re.compile(
    r"\b(?:de la camara|del senado|del congreso|de diputados|de senadores|legislativ[oa]"
    r"|of the (?:house|senate)|congressional)\b"
)
_COMMITTEE_BEFORE = re.compile(r"\b(?:sub)?committee(?: on [\w ,&'’-]{1,40})?\s+$")
_COMMITTEE_AFTER = re.compile(r"\s+of the [^,.;:\n]{0,50}\b(?:sub)?committee\b")


def committee_context(text: str, start: int, end: int) -> bool:
    """``committee_chair``: "Chairman" is a legislator's title only for a committee of
    Congress: "<...> Committee Chairman X", "X, chairman of the House ... Committee"."""
    before = fold(text[max(0, start - 70) : start])
    before = re.split(r"[.;:\n]", before)[-1]
    if _COMMITTEE_BEFORE.search(before):
        return True
    return _COMMITTEE_AFTER.match(fold(text[end : end + 80])) is not None


_ORG_WORDS = frozenset(
    words(
        """comite comision consejo camara club asociacion sindicato federacion confederacion
        fundacion colegio partido patronato empresa grupo cooperativa union liga
        equipo barra coparmex canaco canacintra cce pri pan prd morena pt pvem mc committee
        commission council chamber association union federation foundation party board
        company club league team corporation bank"""
    )
)


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
    toks = _NICK_RX.sub("", raw).split()
    # ``possessive_ends_name``: "President Ann Lee's July call": the name ends at the 's
    for i, t in enumerate(toks):
        if t.endswith(("'s", "’s")):
            toks = toks[:i] + [t[:-2]]
            break
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
        nm = _NAME_AT.match(text, _skip_rank(text, pos))
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


# ``takes_office_as``: a name that takes the oath or office as the title: "Ana Ruiz rindió
# protesta como alcaldesa", "Ana Ruiz asumió ayer como alcalde", "la toma de protesta de Ana
# Ruiz como presidenta municipal", "Tom Lee took office as mayor"
_TAKES_OFFICE_BEFORE = re.compile(
    rf"(?:(?P<name>{_NAME})\s+(?:asumi[oó]|asume|asumirá|asumía|tom[oó]|toma|tomaba|tomará"
    r"|rindi[oó]|rinde|rendirá|took|takes|will take|assumed|assumes|will assume)\b"
    r"(?P<mid>[^.;:\n()]{0,45}?)"
    rf"|(?i:protesta|posesi[oó]n|juramentaci[oó]n|swearing-in|swearing in)\s+(?i:de|of)\s+"
    rf"(?P<name2>{_NAME}))\s+(?i:como|as)\s+(?:(?i:el|la|nuev[oa]|primer[oa]?|mujer|the|new"
    r"|first)\s+)*$"
)
_OFFICE_MID = re.compile(r"(?i:protesta|posesi[oó]n|cargo|office|oath|\A\s*(?:ayer|hoy)?\s*\Z)")


def name_takes_office(text: str, start: int, geo: frozenset[str]) -> tuple[str, int, int] | None:
    """``takes_office_as``: the name before "rindió protesta como" / "took office as" + title
    (a name of two words or more; the verb's complement must name the oath or the office)."""
    near = text[max(0, start - 14) : start].lower()
    if " como " not in near and " as " not in near:  # cheap check before the regex
        return None
    m = _TAKES_OFFICE_BEFORE.search(text, max(0, start - 130), start)
    if m is None:
        return None
    key = "name" if m.group("name") is not None else "name2"
    mid = m.group("mid")
    verb = text[m.end("name") : m.start("mid")] if key == "name" else ""
    if key == "name" and not (
        _OFFICE_MID.search(mid or "") or verb.lower().strip().startswith("asum")
    ):
        return None
    got = _clean_name(m.group(key), geo)
    if got is None or len(got[0].split()) < 2:
        return None
    s = m.start(key) + got[1]
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


# ``rank_before_name``: a rank or honorific between the comma and the name ("el secretario de
# Seguridad, General Ana Ruiz", "el subsecretario, Mayor Luis Mora", "the chief, Capt. Tom Lee")
_RANK = re.compile(
    r"\s*(?:(?:el|la)\s+)?(?:General(?: [Bb]rigadier| de [Bb]rigada| de [Dd]ivisi[oó]n)?|Gral\."
    r"|Mayor|Capit[aá]n|Capt\.|Comisari[oa]|Comandante|Coronel|Col\.|Almirante|Vicealmirante"
    r"|Contralmirante|Licenciad[oa]|Lic\.|Maestr[oa]|Mtr[oa]\.|Doctor[a]?|Dr[a]?\.|Ing\."
    r"|Ingenier[oa])(?=\s+[A-ZÁÉÍÓÚÑ])"
)


def _skip_rank(text: str, pos: int) -> int:
    """The offset after a rank word at ``pos`` (``rank_before_name``), else ``pos``."""
    m = _RANK.match(text, pos)
    return m.end() if m is not None else pos


def title_comma_name(text: str, end: int, geo: frozenset[str]) -> tuple[str, int, int] | None:
    """Title, comma, a name of two words or more ("Laredo's mayor, Pete Lopez"); the title's
    modifiers may stand before the comma (``modifier_comma_name``: "el jefe de la policía
    municipal, Ana Ruiz")."""
    mm = _MODIFIER.match(text, end)
    if mm is not None:
        end = mm.end()
    if text[end : end + 1] != ",":
        return None
    nm = _NAME_AT.match(text, _skip_rank(text, end + 1))
    if nm is None:
        return None
    return _full_name(nm, geo)


def name_comma_title(text: str, start: int, geo: frozenset[str]) -> tuple[str, int, int] | None:
    """A name of two words or more, a comma, then the title ("Ana Ruiz, alcaldesa de San Juan",
    "Tom Lee, the Yuma mayor")."""
    lo = max(0, start - 90)
    # the tail holds no comma or parenthesis: its delimiter is the last one before the title
    delim = max(text.rfind(",", lo, start), text.rfind("(", lo, start))
    if delim < 0 or _TAIL_AT_COMMA.match(text, delim, start) is None:
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
    r"(?:(?i:de|del|la|las|los|el|y|of|the|for|en|in|and|por|desde|since)(?:\s+[a-záéíóúñ]+){0,4}"
    r"|[A-ZÁÉÍÓÚÑ][\w.'’-]*|\d{4}(?:\s*[-–]\s*\d{4})?)"
)
_APPOS_END = re.compile(
    rf"(?:\s+{_APPOS_UNIT}){{0,8}}\s*(?:[,.;:)\n]|$|\s+(?i:said|says|told|dijo|afirm[oó]"
    r"|señal[oó]|inform[oó]|declar[oó]|explic[oó]|asegur[oó]|indic[oó]))"
)


_RELATIVE_BEFORE = re.compile(
    r",\s+(?i:quien|who)\s+(?:[a-záéíóúñ]+\s+){1,3}(?:(?i:el|la|the|an?)\s+)?$"
)


def relative_apposition(text: str, start: int) -> bool:
    """``former_apposition``: the title opens a relative clause after a comma ("X, quien fue
    gobernador de Y y después ...", "X, who served as mayor ..."): no closing is needed."""
    return _RELATIVE_BEFORE.search(text, max(0, start - 40), start) is not None


def closes_apposition(text: str, end: int) -> bool:
    """``name_comma_title`` needs the title to close the apposition: "X, alcalde de Y, dijo",
    "X, the mayor." — not "En Palacio Nacional, el presidente defendió ..." (a subject)."""
    return _APPOS_END.match(text, end) is not None


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
    (r"diputados|diputadas|legisladores|legisladoras|lawmakers|congressmen", "legislator"),
    (r"sheriffs|jefes de (?:la )?polic[ií]a|police chiefs", "police-chief"),
    (r"county judges", "county-judge"),
    # "Judges Ana Ruiz of Kerr County and ...": county judges only (each item's note names
    # a county, checked below); court judges are not officials
    (r"judges", "judge"),
]
_PLURAL_RX = re.compile(
    r"(?<!\w)(?i:(?:ex-?|former )?(?:"
    + "|".join(f"(?P<p{i}>{rx})" for i, (rx, _) in enumerate(_PLURAL_TITLES))
    + r"))(?!\w)(?:\s+[a-záéíóúñ]+){0,6}?"
    r"(?:\s+(?:como|tales como|such as|including|like|entre ellos|entre ellas|among them"
    r"|son los de|son las de|fueron los de)\s+|:\s*|\s+(?=[A-ZÁÉÍÓÚÑ]))"
)
_PLURAL_ROLE = {f"p{i}": role for i, (_, role) in enumerate(_PLURAL_TITLES)}
_LIST_NAME = re.compile(
    # an item may repeat the title's preposition: "los alcaldes de Tepic, Ana Ruiz, y de
    # Colima, Luis Mora" (one-word items, the places, are skipped)
    rf"(?:(?:de|del|of)\s+)?(?P<name>{_TOK}(?:\s+(?:(?:de la|de los|del|de)\s+)?{_TOK}){{0,4}})"
    r"(?P<note>\s*\([^()\n]{1,40}\)|\s+(?:of|de|del|en|in)\s+(?:(?:la|el)\s+)?"
    r"[A-ZÁÉÍÓÚÑ][\w.'’-]*(?:\s+(?:(?:de|del|la)\s+)?[A-ZÁÉÍÓÚÑ][\w.'’-]*){0,3})?"
)
_LIST_SEP = re.compile(r"\s*(?:,\s*(?:(?:y|e|o|and|or)\s+)?|\s(?:y|e|o|and|or)\s+)")


def plural_title_list(
    text: str, geo: frozenset[str], heads: list[int] | None = None
) -> list[TitledPerson]:
    """``plural_title_list``: every name of a list introduced by a plural title. An item
    counts when it has two words or more and a known given name, a place note or three
    words (so a list of places or parties is not a list of people)."""
    out: list[TitledPerson] = []
    for m in _matches(_PLURAL_RX, text, heads):
        role = next(_PLURAL_ROLE[k] for k, v in m.groupdict().items() if v is not None)
        pos = m.end()
        title = " ".join(text[m.start() : m.end()].split())
        for _ in range(12):
            nm = _LIST_NAME.match(text, pos)
            if nm is None:
                break
            got = _clean_name(nm.group("name"), geo)
            if got is None or got[1]:
                if nm.group("name") is None or len(nm.group("name").split()) > 1:
                    break
                got = (nm.group("name"), 0)  # a one-word place item: skipped below
            name = got[0]
            ws = name.split()
            note = nm.group("note") or ""
            if role == "judge" and not note.rstrip().endswith("County"):
                break
            if len(ws) >= 2 and (fold(ws[0]) in GIVEN_NAMES or note or len(ws) >= 3):
                s = nm.start("name")
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
        immigration field vice chairman chairwoman chairperson"""
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
    gov_h, plural_h, oath_h, title_h = heads, heads, heads, heads
    if heads is not None:
        kinds = [(h, _head_word(text, h)) for h in heads]
        gov_h = [h for h, w in kinds if w in GOVERNED_HEADS]
        plural_h = [h for h, w in kinds if w in PLURAL_HEADS]
        oath_h = [h for h, w in kinds if w in OATH_HEADS]
        title_h = [
            h for h, w in kinds if w not in OATH_HEADS and (w not in PLURAL_HEADS or w in _BOTH)
        ]
    if not governed:
        gov_h = []
    out: list[TitledPerson] = (
        (governed_by(text, geo, gov_h) if gov_h != [] else [])
        + (plural_title_list(text, geo, plural_h) if plural_h != [] else [])
        + (oath_of_office(text, geo, oath_h) if oath_h != [] else [])
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
        if foreign_office(text, m.start(), m.end()) or organization_president(
            text, m.start(), m.end(), title
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


@lru_cache(maxsize=1024)
def _full_form_rx(name: str) -> re.Pattern[str]:
    return re.compile(
        rf"(?<![\w.])([{_UP}][{_LOW}'’-]+\s+(?:(?:de la|del|de)\s+)?){re.escape(name)}\b"
    )


_UP_SET = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZÁÉÍÓÚÑÜ")
_LOW_SET = frozenset("abcdefghijklmnopqrstuvwxyzáéíóúñüàèç'’-")


def _first_word_ok(text: str, j: int, geo: frozenset[str]) -> bool:
    """A word of ``_full_form_rx``'s first group ("[UP][LOW]+" after no word character or
    dot) ends at ``j``, and ``_full_form`` would keep it (not a sentence word or a place)."""
    k = j
    while k > 0 and text[k - 1] in _LOW_SET:
        k -= 1
    if k == j or k == 0 or text[k - 1] not in _UP_SET:
        return False
    c = text[k - 2] if k >= 2 else ""
    if c.isalnum() or c in ("_", "."):
        return False
    first = fold(text[k - 1 : j])
    return first not in _NOT_FIRST and first not in geo


def _may_have_full_form(text: str, name: str, geo: frozenset[str]) -> bool:
    """Cheap necessary condition for ``_full_form`` to find a form (speed): ``name`` occurs
    after whitespace after a capitalised word that is no sentence word or place (directly, or
    with "de la" / "del" / "de" between). False: every match of ``_full_form_rx(name)`` in
    ``text`` would be skipped, or there is none."""
    i = text.find(name)
    while i >= 0:
        j = i
        while j > 0 and text[j - 1].isspace():
            j -= 1
        if j < i:
            if _first_word_ok(text, j, geo):
                return True
            for conn in ("de la", "del", "de"):
                if j >= len(conn) and text.startswith(conn, j - len(conn)):
                    k = j - len(conn)
                    while k > 0 and text[k - 1].isspace():
                        k -= 1
                    if k < j - len(conn) and _first_word_ok(text, k, geo):
                        return True
        i = text.find(name, i + 1)
    return False


def _full_form(text: str, p: TitledPerson, geo: frozenset[str]) -> TitledPerson:
    """``surname_full_mention``: a one-word titled name ("el alcalde Mendoza") takes the one
    fuller form the text gives elsewhere without a title ("Conrado Mendoza, del PRD, ...")."""
    if " " in p.name or len(p.name) < 3 or not _may_have_full_form(text, p.name, geo):
        return p
    rx = _full_form_rx(p.name)
    forms = set()
    for m in rx.finditer(text):
        first = m.group(1).split()[0]
        if fold(first) in _NOT_FIRST or fold(first) in geo:
            continue
        forms.add(" ".join((m.group(1) + p.name).split()))
    if len(forms) != 1:
        return p
    return TitledPerson(forms.pop(), p.role, p.title, p.start, p.end, p.title_start, p.title_end)


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
