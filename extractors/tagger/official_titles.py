"""The office titles of the open class of officials (``open_officials``): the title table
(regex, role), its compiled regex and the head words the automaton pass finds them by."""

from __future__ import annotations

import re

from extractors.lexicon import words

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
        # ``us_attorney_undotted``: "US Attorney" / "U.S. Attorney"
        r"|u\.?s\.? attorney|u\.s\. atty\.|atty\. gen\.|atty\.|county attorney"
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
        # ``ranking_member``: a committee's ranking member is a legislator
        r"|ranking member"
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
        # ``federal_agency_director``: CBP's office heads ("Director of Field Operations X",
        # "X, CBP field operations director", "Director of Air and Marine Operations") and the
        # head of a federal security agency ("X, the director of U.S. Immigration and Customs
        # Enforcement")
        r"|(?:cbp )?director(?:a)? (?:of|de) (?:the )?"
        r"(?:field operations?|air and marine operations)"
        r"|field operations? director"
        r"|director(?:a)? (?:of|del?) (?:the |la )?(?:u\.?s\.? )?"
        r"(?:immigration and customs enforcement"
        r"|customs and border protection|border patrol|drug enforcement administration"
        r"|federal bureau of investigation|fbi|ice|cbp|dea|atf|secret service"
        r"|(?:u\.?s\.? )?marshals service)"
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
    # ``ex_space_title``: "ex gobernador", "ex alcaldesa" (the prefix written apart) too
    r"(?<![\w.])(?i:(?:ex[- ]?|former |then-)?)(?i:"
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
        exsubsecretaria exedil exmandatario exmandataria chairman chairwoman chairperson
        ranking operations"""
    )
)
# head words of the separate finders: each regex is tried only near its own heads (speed)
PLURAL_HEADS = frozenset(
    words(
        """alcaldes alcaldesas ediles presidentes presidentas mayors gobernadores gobernadoras
        mandatarios governors fiscales procuradores prosecutors attorneys senadores senadoras
        senators diputados diputadas legisladores legisladoras lawmakers congressmen sheriffs
        jefes chiefs judges representatives reps. congresswomen congresistas"""
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
# head words of ``official_more.more_people`` (governed_apposition, agency_headed_by)
MORE_HEADS = frozenset(
    words("goberno governed encabezada encabezado dirigida dirigido comandada headed")
)
TITLE_HEADS = TITLE_HEADS | PLURAL_HEADS | OATH_HEADS | MORE_HEADS
_BACK = 16  # a title may start this many characters before its head word ("U.S. Attorney")
