"""Names next to an office title (``open_officials``): the name patterns, and the
predicates that find the person a title names, before or after it, with its complement
(title_then_name, title_complement_comma_name, name_comma_title, title_copula_name,
name_copula_title, name_takes_office, title_place_name, title_comma_name; appositions)."""

from __future__ import annotations

import re
from dataclasses import dataclass

from extractors.lexicon import FOREIGN_COUNTRIES, FOREIGN_TWO_WORD, words
from extractors.textfold import fold

_UP = "A-ZÁÉÍÓÚÑÜ"
_LOW = "a-záéíóúñüàèç"
_TOK = rf"(?:[{_UP}][{_LOW}{_UP}'’-]*[{_LOW}][{_LOW}{_UP}'’-]*|[{_UP}]\.)"
_CONN = r"(?:de la|de los|del|de|y|van|von|da|la)"
# ``quoted_nickname``: a nickname in quotes inside the name ("Juan “El Güero” Pérez Soto");
# ``_clean_name`` drops it
_NICK = r"(?:\s+[“\"«][^”\"»\n]{1,25}[”\"»])"
# ``n_initial``: Mexican crime reporting writes a detained person's surname as "N" ("Juan de
# Dios N, exedil de X"): the name ends there and ``_clean_name`` drops the "N"
_NAME = (
    rf"{_TOK}(?:{_NICK}?\s+(?:{_CONN}\s+)?{_TOK}){{0,5}}(?:,?\s+(?:Jr\.|Sr\.|III|II)"
    r"|\s+N\.?(?=[\s,;:]))?"
)
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
    # ``como_apposition``: "designó a X, como nuevo secretario de ..."
    r"(?:(?i:como|as)\s+)?"
    rf"(?:(?i:the|el|la|an?|former|ex|then|entonces|actual|current"
    rf"|now|also|nuevo|nueva|new|outgoing|electo|electa|reelecto|reelecta)\s+)*(?:(?:[{_UP}][\w.]*(?:['’]s)?|(?i:county|city|state"
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
_INITIAL = re.compile(rf"[{_UP}]\.")

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
    Gobierno Government Administración Administration
    Representative Representatives Congressman Congresswoman Senators Governors Mayors Sheriffs
    Diputados Diputadas Senadores Senadoras Alcaldes Gobernadores"""
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
    if len(toks) > 2 and toks[-1] in ("N", "N."):
        toks = toks[:-1]
    # ``possessive_ends_name``: "President Ann Lee's July call": the name ends at the 's
    for i, t in enumerate(toks):
        if t.endswith(("'s", "’s")):
            toks = toks[:i] + [t[:-2]]
            break
        if len(t) > 2 and t.endswith(("s'", "s’")):  # ``plural_possessive``: "Mayor Ruiz’ order"
            toks = toks[:i] + [t[:-1]]
            break
    lead = 0
    # ``initial_not_article``: an initial ("A. Ruiz Soto") is not the article "A"
    while toks and fold(toks[0]).rstrip(".") in _NOT_FIRST and not _INITIAL.fullmatch(toks[0]):
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


def _name_span(m: re.Match[str], group: str, geo: frozenset[str]) -> tuple[str, int, int] | None:
    """The cleaned name of ``m``'s ``group`` with its offsets, when it has two words or more."""
    got = _clean_name(m.group(group), geo)
    if got is None or len(got[0].split()) < 2:
        return None
    s = m.start(group) + got[1]
    return got[0], s, s + len(got[0])


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
    return _name_span(m, "name", geo)


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
    return _name_span(m, key, geo)


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
    span = _name_span(m, "name", geo)
    if span is None:
        return None
    s = span[1]
    # the name must start a word run: no capitalised word glued before it
    prev = _WORD.findall(text[max(0, s - 25) : s])
    # (``punctuation_unglues``: a word before ";", ":", ")" or "," is not glued: "... (SGG); X,
    # ...", "In Nuevo León, X, the mayor of Y")
    if (
        prev
        and text[s - 1 : s] == " "
        and text[: s - 1].rstrip()[-1:] not in (";", ":", ")", ",")
        and prev[-1][:1].isupper()
        and fold(prev[-1]) not in _NOT_FIRST
        and not sentence_end(prev[-1])
    ):
        return None
    return span


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
    r"|[A-ZÁÉÍÓÚÑ][\w.'’-]*|\d{4}(?:\s*[-–]\s*\d{4})?"
    # ``appos_tail_words``: an office modifier after the complement ("X, director de Seguridad
    # Pública estatal, dijo") and a short parenthesis: an acronym or years ("X, titular de la
    # Secretaría General de Gobierno (SGG); Y, ...", "X, ex gobernador de Y (2005-2010), fue")
    r"|(?:estatal|municipal|federal|local|general|interin[oa]|electo|electa|saliente|adjunt[oa]"
    r"|region|regi[oó]n|area|sector|district|distrito|office|zona|zone)\b"
    r"|\((?:[A-ZÁÉÍÓÚÑ][\w.-]{1,9}|\d{4}(?:\s*[-–]\s*\d{4})?)\))"
)
_APPOS_END = re.compile(
    rf"(?:\s+{_APPOS_UNIT}){{0,8}}\s*(?:[,.;:)\n]|$"
    # ``list_item_follows``: "y" / "and" and the next item of a list of "Name, title" ("X,
    # encargado de despacho de la Fiscalía (FGE) y Ana Ruiz, coordinadora ...")
    r"|\s+(?:y|e|and)\s+(?=[A-ZÁÉÍÓÚÑ][\w'’-]+\s+[A-ZÁÉÍÓÚÑ][\w'’-]+(?:\s+[A-ZÁÉÍÓÚÑ][\w'’-]+)?,)"
    r"|\s+(?i:said|says|told|dijo|afirm[oó]"
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
