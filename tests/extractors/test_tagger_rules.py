"""Issue 14 rules, each with its own English and Spanish cases (fictional text written for
these tests). Officials named here are invented; places and groups are the watchlist's."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from config.watchlist_loader import load_watchlist
from extractors.tagger import Tagger, TagResult
from extractors.tagger.open_officials import find_titled_people
from extractors.tagger.rules import RULES, table
from extractors.tagger.variants import acronyms, cartel_forms, lowercase_article

ROOT = Path(__file__).resolve().parents[2]
D = dt.date(2020, 5, 1)


@pytest.fixture(scope="module")
def tagger() -> Tagger:
    return Tagger(load_watchlist(ROOT / "config" / "watchlist.yaml"))


def others(res: TagResult) -> list[tuple[str, str]]:
    return [(o.name, o.role) for o in res.other_officials]


def listed(res: TagResult) -> set[str]:
    return {o.id for o in res.officials}


def states(res: TagResult) -> set[str]:
    return {s.id for s in res.states}


def groups(res: TagResult) -> set[str]:
    return {g.id for g in res.groups}


# ------------------------------------------------------------------ officials as an open class


@pytest.mark.parametrize(
    ("text", "expect"),
    [
        # title_then_name
        ("El fiscal Ramón Quiroga Soto abrió una carpeta.", [("Ramón Quiroga Soto", "fiscal")]),
        (
            "Port Director Dana Whitfield said lanes reopened.",
            [("Dana Whitfield", "Port Director")],
        ),
        # modifiers between title and name
        (
            "El alcalde morenista Julio Cantú Rey salió ileso.",
            [("Julio Cantú Rey", "alcalde")],
        ),
        # title_complement_comma_name (with a state after the complement's comma)
        (
            "Atacaron al presidente municipal de San Telmo, Oaxaca, Rodrigo Paredes Luna, ayer.",
            [("Rodrigo Paredes Luna", "presidente municipal de San Telmo")],
        ),
        (
            "The mayor of Yuma, Tom Leary Smith, met agents.",
            [("Tom Leary Smith", "mayor of Yuma")],
        ),
        # name_comma_title
        (
            "Laura Ibarra Pons, alcaldesa de Tepalcingo, dijo que no habrá feria.",
            [("Laura Ibarra Pons", "alcaldesa de Tepalcingo")],
        ),
        ("Mark Delgado Ames, the county sheriff, said so.", [("Mark Delgado Ames", "sheriff")]),
        # title_copula_name / name_copula_title
        (
            "Tras la renuncia, el nuevo fiscal será Ramón Quiroga Soto, informó el Congreso.",
            [("Ramón Quiroga Soto", "fiscal")],
        ),
        (
            "Dana Whitfield Moss was appointed to be the mayor in his stead.",
            [("Dana Whitfield Moss", "mayor")],
        ),
        # a title that is also a head of government ("el mandatario")
        (
            "El mandatario Ramón Quiroga Soto visitó Pachuca.",
            [("Ramón Quiroga Soto", "mandatario")],
        ),
        # governed_by
        (
            "Durante el gobierno de Rodrigo Paredes Luna hubo más robos.",
            [("Rodrigo Paredes Luna", "el gobierno de")],
        ),
        (
            "The state governed by Rodrigo Paredes saw fewer thefts.",
            [("Rodrigo Paredes", "governed by")],
        ),
    ],
)
def test_titled_people(tagger: Tagger, text: str, expect: list[tuple[str, str]]) -> None:
    assert others(tagger.tag(text, published=D)) == expect


@pytest.mark.parametrize(
    "text",
    [
        # not_foreign
        "El presidente guatemalteco Mario Ortega Ruiz visitó la frontera.",
        "Colombia's president, Mario Ortega Ruiz, visited the border.",
        # not_org_president
        "Toros President Kyle Benton said the season is over.",
        "El presidente de la Cámara de Comercio, Luis Ortega Ruiz, pidió seguridad.",
        # name_comma_title needs the title to close the apposition
        "En Palacio Nacional, el presidente defendió a la Guardia Nacional.",
        # governed_by: a place is not a person
        "El gobierno de Chiapas anunció patrullajes.",
        # Spanish "mayor" is not the English title
        "El mayor Juan Ortega Ruiz dirigió el operativo.",
    ],
)
def test_not_titled_people(tagger: Tagger, text: str) -> None:
    assert others(tagger.tag(text, published=D)) == []


def test_bare_surname_after_full_mention_is_the_same_person(tagger: Tagger) -> None:
    es = "El fiscal Ramón Quiroga Soto habló. Quiroga Soto dijo que el fiscal Quiroga seguirá."
    assert others(tagger.tag(es, published=D)) == [("Ramón Quiroga Soto", "fiscal")]
    en = "Sheriff Mark Delgado Ames spoke. Later, Sheriff Delgado said more."
    assert others(tagger.tag(en, published=D)) == [("Mark Delgado Ames", "Sheriff")]


def test_titled_name_of_a_listed_official_gets_the_id(tagger: Tagger) -> None:
    # a partial name the automaton does not list as an alias ("Enrique Alfaro" is listed in
    # full); the titled-person rule maps it to the listed official, not an unlisted one
    res = tagger.tag("El gobernador Enrique Alfaro Ramírez habló.", published=D)
    assert listed(res) == {"enrique-alfaro"} and others(res) == []


# ------------------------------------------------------------------ institutions / apposition


@pytest.mark.parametrize(
    "text",
    [
        "Elementos de la Secretaría de Marina llegaron a Sinaloa.",
        "Elementos de la Secretaria de Marina (Semar) llegaron a Sinaloa.",
        "Agents of the Secretaría de la Defensa Nacional arrived in Sinaloa.",
    ],
)
def test_institution_is_not_a_person(tagger: Tagger, text: str) -> None:
    assert listed(tagger.tag(text, published=D)) == set()


def test_secretary_title_still_resolves(tagger: Tagger) -> None:
    res = tagger.tag("El secretario de Marina habló en Sinaloa.", published=D)
    assert len(listed(res)) == 1  # the navy secretary on the date


@pytest.mark.parametrize(
    "text",
    [
        "El gobernador de Jalisco, Ramón Quiroga Soto, inauguró el puente.",
        "Jalisco's governor, Ramón Quiroga Soto, opened the bridge.",
    ],
)
def test_named_apposition_wins_over_role_by_date(tagger: Tagger, text: str) -> None:
    res = tagger.tag(text, published=D)
    assert "enrique-alfaro" not in listed(res)  # the governor of Jalisco on the date
    assert [n for n, _ in others(res)] == ["Ramón Quiroga Soto"]


def test_role_by_date_without_a_name_stays(tagger: Tagger) -> None:
    res = tagger.tag("El gobernador de Jalisco inauguró el puente.", published=D)
    assert listed(res) == {"enrique-alfaro"}


# ------------------------------------------------------------------ states that are not places


@pytest.mark.parametrize(
    ("text", "expect_states", "expect_groups"),
    [
        # in_group_name / coordinated_cartels
        (
            "The Sinaloa and Gulf cartels fought for the route.",
            set(),
            {"sinaloa-cartel", "gulf-cartel"},
        ),
        (
            "Los cárteles de Sinaloa y del Golfo pelean la ruta.",
            set(),
            {"sinaloa-cartel", "gulf-cartel"},
        ),
        ("The Jalisco New Generation Cartel grew.", set(), {"cjng"}),
        # group variants: "del" where the name has "de"; lowercase article
        ("Una célula del Cártel del Sinaloa fue detenida.", set(), {"sinaloa-cartel"}),
        ("La pugna entre los Metros y otra célula siguió.", set(), {"los-metros"}),
    ],
)
def test_state_inside_group_names(
    tagger: Tagger, text: str, expect_states: set[str], expect_groups: set[str]
) -> None:
    res = tagger.tag(text, published=D)
    assert states(res) == expect_states
    assert groups(res) == expect_groups


@pytest.mark.parametrize(
    ("text", "expect"),
    [
        # in_venue_list
        ("Un hombre fue hallado en las calles Durango y Oaxaca de Culiacán.", {"sinaloa"}),
        ("Dos autos chocaron en el cruce de Sonora y Amsterdam en Culiacán.", {"sinaloa"}),
        ("A man was shot at the corner of Sonora and Amsterdam streets in Culiacán.", {"sinaloa"}),
        ("Cateos en las colonias Reforma y Jalisco de Culiacán.", {"sinaloa"}),
        ("Sobre la calle, entre Tabasco y Campeche, quedó el auto. Fue en Culiacán.", {"sinaloa"}),
        # town_of_other_state
        ("Balacera en Hidalgo, Nuevo León.", {"nuevo-leon"}),
        ("A shooting in Guerrero, Tamaulipas.", {"tamaulipas"}),
        # a real list of states stays
        ("Operativos en Sonora, Chihuahua y Durango.", {"sonora", "chihuahua", "durango"}),
        ("Operations in Hidalgo, Puebla and Tlaxcala.", {"hidalgo", "puebla", "tlaxcala"}),
        # geography, not streets: "entre" with no street in the sentence
        ("La frontera entre Tabasco y Campeche.", {"tabasco", "campeche"}),
    ],
)
def test_states_that_are_not_places(tagger: Tagger, text: str, expect: set[str]) -> None:
    assert states(tagger.tag(text, published=D)) == expect


# ------------------------------------------------------------------ variants by rule


def test_cartel_forms_and_acronyms() -> None:
    assert cartel_forms("Cártel de Sinaloa") == {
        "Cártel de Sinaloa",
        "Cártel del Sinaloa",
        "Cártel Sinaloa",
        "Sinaloa Cartel",
        "Sinaloa drug cartel",
        "Sinaloa drug-trafficking cartel",
        "Sinaloa drug trafficking cartel",
    }
    assert cartel_forms("Juárez Cartel") == {
        "Cártel de Juárez",
        "Cártel del Juárez",
        "Cártel Juárez",
        "Juárez Cartel",
        "Juárez drug cartel",
        "Juárez drug-trafficking cartel",
        "Juárez drug trafficking cartel",
    }
    assert cartel_forms("Los Metros") == set()
    assert acronyms("Cártel Santa Rosa de Lima") == {"CSRL", "CSRDL"}
    assert acronyms("Cártel de Jalisco Nueva Generación") == {"CJNG", "CDJNG"}
    assert acronyms("Los Metros") == set()
    assert lowercase_article("Los Metros") == "los Metros"
    assert lowercase_article("Gente Nueva") is None


def test_rule_table_is_one_ordered_table() -> None:
    assert [r[0] for r in RULES] == list(range(1, len(RULES) + 1))
    assert table().count("\n") == len(RULES) + 1


def test_find_titled_people_offsets() -> None:
    text = "Ayer, el fiscal Ramón Quiroga Soto habló."
    (p,) = find_titled_people(text, frozenset())
    assert text[p.start : p.end] == "Ramón Quiroga Soto"
    assert text[p.title_start : p.title_end] == "fiscal"


@pytest.mark.parametrize(
    ("text", "day", "expect"),
    [
        # distinctive_surname: the one listed official with that surname in office on the date
        ("Homan said the raids will go on.", dt.date(2025, 6, 1), {"tom-homan"}),
        ("Fayad aseguró que habrá más patrullas.", dt.date(2018, 6, 1), {"omar-fayad"}),
        # out of office on the date, glued to another given name, or a common surname: no one
        ("Fayad aseguró que habrá más patrullas.", dt.date(2025, 6, 1), set()),
        ("Ayer Rubén Fayad aseguró que no.", dt.date(2018, 6, 1), set()),
        ("Homan Street was closed.", dt.date(2025, 6, 1), set()),
    ],
)
def test_distinctive_surname(tagger: Tagger, text: str, day: dt.date, expect: set[str]) -> None:
    assert listed(tagger.tag(text, published=day)) == expect


@pytest.mark.parametrize(
    ("text", "expect"),
    [
        # in_org_name: newspapers, businesses, associations name no state
        ("Según El Sol de Sinaloa, llovió toda la noche.", set()),
        ("La Asociación Ganadera Local de Sonora pidió apoyo.", set()),
        ("The Bank of Tabasco opened a branch.", set()),
        ("Grupo Cementos de Chihuahua reported earnings.", set()),
        # a state agency still names its state
        ("La Fiscalía de Sonora abrió una carpeta.", {"sonora"}),
        # in_team_name
        ("Anoche ganaron los Dorados de Sinaloa en casa.", set()),
        ("The Gallos Blancos de Querétaro lost again.", set()),
        # plural heads that are people or institutions of the place still name it
        ("Las Policías de Sonora reforzaron la vigilancia.", {"sonora"}),
    ],
)
def test_org_names(tagger: Tagger, text: str, expect: set[str]) -> None:
    assert states(tagger.tag(text, published=D)) == expect


@pytest.mark.parametrize(
    ("text", "expect"),
    [
        # short_cartel
        ("Una célula del Cártel Jalisco fue detenida.", {"cjng"}),
        ("The Jalisco Cartel expanded its routes.", {"cjng"}),
        # caps_headline: a case-sensitive multiword name written in capitals
        ("DETIENEN A MIEMBROS DE LOS METROS EN REYNOSA", {"los-metros"}),
    ],
)
def test_group_short_and_caps_forms(tagger: Tagger, text: str, expect: set[str]) -> None:
    assert groups(tagger.tag(text, published=D)) == expect


def test_short_cartel_forms() -> None:
    from extractors.tagger.variants import short_cartel_forms

    st = frozenset({"jalisco", "sinaloa"})
    assert short_cartel_forms("Cártel de Jalisco Nueva Generación", st) == {
        "Cártel Jalisco",
        "Cártel de Jalisco",
        "Jalisco Cartel",
    }
    assert short_cartel_forms("Cártel de Sinaloa", st) == set()  # already the short name
    assert short_cartel_forms("Cártel Santa Rosa de Lima", st) == set()


# ------------------------------------------------------------------ issue 14, second round


@pytest.mark.parametrize(
    ("text", "expect"),
    [
        # org_name_list: every element of a list that ends an organization's name
        ("La Asociación de Municipios de Sonora, Sinaloa y Chihuahua pidió apoyo.", set()),
        ("The Bank of Sonora and Sinaloa opened a branch.", set()),
        # a list that ends no organization's name still names the states
        (
            "Gobernadores de Sonora, Sinaloa y Chihuahua se reunieron.",
            {"sonora", "sinaloa", "chihuahua"},
        ),
        ("Troops arrived in Sonora, Sinaloa and Chihuahua.", {"sonora", "sinaloa", "chihuahua"}),
    ],
)
def test_org_name_list(tagger: Tagger, text: str, expect: set[str]) -> None:
    assert states(tagger.tag(text, published=D)) == expect


@pytest.mark.parametrize(
    ("text", "expect"),
    [
        # us_crossing_name: a US port of entry or Border Patrol unit named like a state
        ("Agents at the Hidalgo port of entry seized 40 pounds of meth.", set()),
        ("Hidalgo Station agents arrested two men.", set()),
        ("El puerto de entrada de Hidalgo registró un decomiso récord.", set()),
        # the state itself
        ("Enfrentamiento en Hidalgo deja dos muertos.", {"hidalgo"}),
        ("Soldiers were deployed to Hidalgo after the attack.", {"hidalgo"}),
    ],
)
def test_us_crossing_name(tagger: Tagger, text: str, expect: set[str]) -> None:
    assert states(tagger.tag(text, published=D)) == expect


@pytest.mark.parametrize(
    ("text", "expect"),
    [
        # person_apposition: a one-word state name followed by a person's role or affiliation
        ("Guerrero, of the Texas Department of Public Safety, said the driver fled.", set()),
        ("Hidalgo, a spokesman for the sheriff, said the driver fled.", set()),
        ("Guerrero, vocero de la Fiscalía, informó del ataque.", set()),
        ("Hidalgo, el agente a cargo, declaró ante el juez.", set()),
        # an apposition that describes a place keeps the state
        ("Guerrero, a state torn by violence, saw 20 killings.", {"guerrero"}),
        ("Guerrero, el estado más violento, registró 20 asesinatos.", {"guerrero"}),
        # second_surname: a given name, a surname, then the state name
        ("Detienen a José Guerrero Hidalgo en Reynosa.", {"tamaulipas"}),
        ("Police arrested Juan Carlos Morelos Guerrero, 41.", set()),
        ("Detuvieron a María López Guerrero, de 34 años.", set()),
        ("Llegaron a Guerrero y Michoacán.", {"guerrero", "michoacan"}),
        ("Ana Pérez, Guerrero y Michoacán.", {"guerrero", "michoacan"}),
        # English street words after the name, even in lower case (venue)
        ("A man was killed near Durango street in El Paso.", set()),
        ("Un hombre murió en Durango, la capital.", {"durango"}),
    ],
)
def test_person_apposition_and_street(tagger: Tagger, text: str, expect: set[str]) -> None:
    assert states(tagger.tag(text, published=D)) == expect


@pytest.mark.parametrize(
    ("text", "expect"),
    [
        # faction_forms
        ("Gunmen of the Gulf cartel's Metros faction fired.", {"gulf-cartel", "los-metros"}),
        (
            "Sicarios de la facción Metros del Cártel del Golfo dispararon.",
            {"gulf-cartel", "los-metros"},
        ),
        ("La célula Metros opera en Reynosa.", {"los-metros"}),
        ("the Aztecas gang in Ciudad Juárez", {"barrio-azteca"}),
        # the bare word is no group ("metros" = metres)
        ("Metros de distancia separaban a los autos.", set()),
        ("A 200 metros del retén", set()),
        # faction_forms as the factions sign ("Grupo X", "Operativa X")
        ("Una manta firmada por el Grupo Escorpiones apareció en Matamoros.", {"los-escorpiones"}),
        ("Signed 'Operativa Metros', the banner threatened rivals.", {"los-metros"}),
        # names added in the second round (ordinary words stay case-sensitive)
        ("Gunmen of the Gente del Guano faction clashed with soldiers.", {"los-guanos"}),
        ("La Resistencia y Los Torcidos pelearon Guadalajara.", {"la-resistencia", "cjng"}),
        ("Pidió no caer en la resistencia al cambio.", set()),
        (
            "The Scorpions faction and the Cyclones fought in Matamoros.",
            {"los-escorpiones", "los-ciclones"},
        ),
        # hyphen_forms
        ("the Beltrán-Leyva Organization", {"beltran-leyva"}),
        ("la organización de los Arellano-Félix", {"tijuana-cartel"}),
    ],
)
def test_faction_and_hyphen_forms(tagger: Tagger, text: str, expect: set[str]) -> None:
    assert groups(tagger.tag(text, published=D)) == expect


def test_faction_and_hyphen_form_generators() -> None:
    from extractors.tagger.variants import faction_forms, hyphen_forms

    assert faction_forms("Los Metros") == {
        "Metros faction",
        "Metros cell",
        "Metros gang",
        "facción Metros",
        "célula Metros",
        "Grupo Metros",
        "Operativa Metros",
        "the Metros",
        "The Metros",
    }
    assert faction_forms("Gente Nueva") == set()  # no article
    assert faction_forms("Los Hijos del Diablo") == set()  # more than two capitalised words
    assert hyphen_forms("Organización Beltrán Leyva") == {"Organización Beltrán-Leyva"}
    assert hyphen_forms("Cártel Arellano-Félix") == {"Cártel Arellano Félix"}
    assert hyphen_forms("Cártel de Sinaloa") == set()


@pytest.mark.parametrize(
    ("text", "day", "expect"),
    [
        # recently_left: a bare distinctive surname days after the official left office
        ("Manzo was shot at the festival.", dt.date(2025, 11, 4), {"carlos-manzo"}),
        ("Velaron a Manzo en la plaza.", dt.date(2025, 11, 4), {"carlos-manzo"}),
        # more than 30 days after: no one
        ("Manzo was shot at the festival.", dt.date(2026, 1, 15), set()),
    ],
)
def test_distinctive_surname_recently_left(
    tagger: Tagger, text: str, day: dt.date, expect: set[str]
) -> None:
    assert listed(tagger.tag(text, published=day)) == expect


@pytest.mark.parametrize(
    ("text", "expect"),
    [
        # municipality_named_like_state: a hero-named state name that names a municipality
        ("Ocurrió en el municipio de Morelos, en Chihuahua.", {"chihuahua"}),
        ("Gunmen attacked the town of Guerrero, Coahuila, on Monday.", {"coahuila"}),
        ("Police in Hidalgo municipality found two bodies.", set()),
        # the state: its government, its municipalities (plural), the state alone
        ("El gobierno de Morelos desplegó policías.", {"morelos"}),
        ("Los municipios de Guerrero registraron 40 homicidios.", {"guerrero"}),
        ("Violence in Guerrero left ten dead.", {"guerrero"}),
    ],
)
def test_municipality_named_like_state(tagger: Tagger, text: str, expect: set[str]) -> None:
    assert states(tagger.tag(text, published=D)) == expect


@pytest.mark.parametrize("text", ["The Metros fired first.", "Then the Metros fired first."])
def test_faction_forms_both_capitalisations(tagger: Tagger, text: str) -> None:
    # "The X" and "the X" share one folded key: both forms are kept (the index once kept
    # whichever came first out of a set, so the result depended on the hash seed)
    res = tagger.tag(text, published=D)
    assert [
        (m.entity_id, text[m.start : m.end]) for m in res.mentions if m.entity_type == "group"
    ] == [("los-metros", text[text.index("he Metros") - 1 : text.index("Metros") + 6])]


# ------------------------------------------------------------------ flag policy, unlisted officials


def _with_rules(tagger: Tagger, *conds: tuple[str, ...]) -> Tagger:
    import dataclasses

    from config.watchlist_model import FlagPolicy, FlagRule

    rules = tuple(FlagRule(" + ".join(c), c) for c in conds)
    return Tagger(dataclasses.replace(tagger.wl, flag_policy=FlagPolicy(rules=rules)))


@pytest.mark.parametrize(
    ("text", "in_disputed", "any_unlisted"),
    [
        ("El alcalde de Reynosa, Julio Cantú Rey, pidió apoyo.", True, True),
        ("Mayor Dana Whitfield of Nuevo Laredo asked for help.", True, True),
        # the disputed state is in another sentence: an unlisted official, not in the state
        ("El alcalde Julio Cantú Rey inauguró un parque. Ayer llovió en Reynosa.", False, True),
        ("Port Director Dana Whitfield opened a lane. It rained in Nuevo Laredo.", False, True),
        # no title, no unlisted official
        ("Julio Cantú Rey pidió apoyo en Reynosa.", False, False),
    ],
)
def test_flag_policy_can_use_unlisted_officials(
    tagger: Tagger, text: str, in_disputed: bool, any_unlisted: bool
) -> None:
    t1 = _with_rules(tagger, ("unlisted_official_in_disputed_state",))
    res = t1.tag(text, published=D)
    assert res.flagged is in_disputed
    if in_disputed:
        (o,) = res.other_officials
        assert res.reasons == (
            f"unlisted official {o.name} ({o.role}) in disputed state Tamaulipas",
        )
    t2 = _with_rules(tagger, ("unlisted_official", "state"))
    assert t2.tag(text, published=D).flagged is any_unlisted
    # the default policy flags none of these (no group, no violence, no listed official)
    assert tagger.tag(text, published=D).flagged is False


def test_loader_accepts_the_unlisted_official_conditions() -> None:
    from config.watchlist_model import FLAG_CONDITIONS

    assert {"unlisted_official", "unlisted_official_in_disputed_state"} <= FLAG_CONDITIONS


def test_one_mention_type_for_tagger_and_storage(tagger: Tagger) -> None:
    from extractors.models import Mention, MentionRecord
    from flows.pipeline.extraction_pool import mention_records

    assert MentionRecord is Mention
    res = tagger.tag("Balacera en Culiacán.", published=D)
    (m,) = [m for m in res.mentions if m.entity_type == "place"]
    assert isinstance(m, MentionRecord)
    assert (m.entity_id, m.name, m.surface, m.start, m.end, m.state_id) == (
        "culiacan-sin",
        "Culiacán",
        "Culiacán",
        12,
        20,
        "sinaloa",
    )
    assert mention_records(res) == res.mentions


@pytest.mark.parametrize(
    ("text", "st", "grp"),
    [
        # cartel_forms "X drug cartel": the group, and the state inside its name is no place
        ("Members of the Sinaloa drug cartel were arrested.", set(), {"sinaloa-cartel"}),
        ("Gunmen of the Juarez drug-trafficking cartel fled.", set(), {"juarez-cartel"}),
        # coordinated_cartels with "drug cartels"
        ("the Sinaloa and Juarez drug cartels fought", set(), {"sinaloa-cartel", "juarez-cartel"}),
        # "La Familia" with a cartel word is La Familia Michoacana
        ("the La Familia cartel grew in Michoacan", {"michoacan"}, {"la-familia-michoacana"}),
        ("Integrantes del cártel de La Familia atacaron.", set(), {"la-familia-michoacana"}),
        # the family, not the cartel
        ("La familia de la víctima pidió justicia en Sinaloa.", {"sinaloa"}, set()),
    ],
)
def test_drug_cartel_forms(tagger: Tagger, text: str, st: set[str], grp: set[str]) -> None:
    res = tagger.tag(text, published=D)
    assert (states(res), groups(res)) == (st, grp)


@pytest.mark.parametrize(
    ("text", "expect"),
    [
        # titles: foreign / security ministers, Border Patrol sector chiefs
        (
            "Foreign Minister Dana Whitfield spoke on Monday.",
            [("Dana Whitfield", "Foreign Minister")],
        ),
        (
            "Chief Patrol Agent Ramón Quiroga Soto said arrests fell.",
            [("Ramón Quiroga Soto", "Chief Patrol Agent")],
        ),
        (
            "El canciller Ramón Quiroga Soto viajó a Washington.",
            [("Ramón Quiroga Soto", "canciller")],
        ),
        # a Spanish "ministro" (also a Supreme Court justice) is no title here
        ("El ministro Ramón Quiroga Soto votó en contra.", []),
    ],
)
def test_more_titles(tagger: Tagger, text: str, expect: list[tuple[str, str]]) -> None:
    assert others(tagger.tag(text, published=D)) == expect


# ------------------------------------------------------------------ third round (other real text)


@pytest.mark.parametrize(
    ("text", "expect"),
    [
        # complement_parenthetical
        (
            "El alcalde del municipio de Churumuco (estado de Michoacán), Ramón Quiroga Soto, "
            "fue atacado.",
            [("Ramón Quiroga Soto", "alcalde del municipio de Churumuco (estado de Michoacán)")],
        ),
        (
            "The mayor of Sunland Park (New Mexico), Tom Leary Smith, met agents.",
            [("Tom Leary Smith", "mayor of Sunland Park (New Mexico)")],
        ),
        # sentence_start_name: a capitalised word and its full stop do not glue to the name
        (
            "Hubo otro ataque en Aguililla. Laura Ibarra Pons, alcaldesa de Tepalcingo, huyó.",
            [("Laura Ibarra Pons", "alcaldesa de Tepalcingo")],
        ),
        (
            "Agents met in Laredo. Mark Delgado Ames, the county sheriff, said so.",
            [("Mark Delgado Ames", "sheriff")],
        ),
        # party_in_apposition ("por el PRI"); English "for the ..." already closes it
        (
            "Fue Laura Ibarra Pons, presidenta municipal de Tepalcingo por el PRI, la víctima.",
            [("Laura Ibarra Pons", "presidenta municipal de Tepalcingo por el PRI")],
        ),
        (
            "It was Mark Delgado Ames, mayor of Yuma for the Democrats, who spoke.",
            [("Mark Delgado Ames", "mayor of Yuma for the Democrats")],
        ),
    ],
)
def test_third_round_titled_people(
    tagger: Tagger, text: str, expect: list[tuple[str, str]]
) -> None:
    assert others(tagger.tag(text, published=D)) == expect


@pytest.mark.parametrize(
    ("text", "grp"),
    [
        # quoted_forms: the article outside the quotes
        ("La lucha entre los «Chapitos» y los «Mayitos» sigue.", {"los-chapitos", "la-mayiza"}),
        ("Detuvieron a miembros de la “Mayiza” en Navolato.", {"la-mayiza"}),
        ('Gunmen of the "Metros" faction fled.', {"los-metros"}),
        ("the 'Escorpiones' cell attacked", {"los-escorpiones"}),
        # not a group: lower-case word in quotes
        ("Llegaron los «metros» de tela.", set()),
    ],
)
def test_quoted_forms(tagger: Tagger, text: str, grp: set[str]) -> None:
    assert groups(tagger.tag(text, published=D)) == grp


@pytest.mark.parametrize(
    ("text", "expect"),
    [
        # baja_california_not_us: "California" inside "Baja California" is no US state
        (
            "El gobernador de Baja California dijo que la policía estatal ayudará en Tijuana.",
            {"marina-del-pilar"},
        ),
        (
            "Baja California Governor Marina del Pilar Avila said the state police would help.",
            {"marina-del-pilar"},
        ),
        # the US state alone still names its governor
        ("The California governor said the Guard would help in San Diego.", {"gavin-newsom"}),
    ],
)
def test_baja_california_is_not_california(tagger: Tagger, text: str, expect: set[str]) -> None:
    assert listed(tagger.tag(text, published=dt.date(2022, 5, 1))) == expect


@pytest.mark.parametrize(
    ("text", "expect"),
    [
        # more_security_titles: County Attorney (ES: "fiscal del condado", a fiscal already)
        (
            "County Attorney Dana Whitfield said the clerk leaked files.",
            [("Dana Whitfield", "County Attorney")],
        ),
        (
            "El fiscal del condado de Pima, Ramón Quiroga Soto, acusó al empleado.",
            [("Ramón Quiroga Soto", "fiscal del condado de Pima")],
        ),
        # special agent in charge / agente especial a cargo
        (
            "It ended, said Mark Delgado Ames, the DEA's special agent in charge for Tucson.",
            [("Mark Delgado Ames", "special agent in charge for Tucson")],
        ),
        (
            "El agente especial a cargo Ramón Quiroga Soto habló en Tijuana.",
            [("Ramón Quiroga Soto", "agente especial a cargo")],
        ),
        # director of a Department of Public Safety / director de Seguridad Pública
        (
            "Mark Delgado Ames, director of the Arizona Department of Public Safety, spoke.",
            [("Mark Delgado Ames", "director of the Arizona Department of Public Safety")],
        ),
        (
            "Laura Ibarra Pons, directora de Seguridad Pública, habló en Nogales.",
            [("Laura Ibarra Pons", "directora de Seguridad Pública")],
        ),
        # a complement with "por" (party or district) before the comma and the name
        (
            "La diputada local por Morena, Laura Ibarra Pons, exigió justicia.",
            [("Laura Ibarra Pons", "diputada local por Morena")],
        ),
        (
            "The state senator for Laredo, Mark Delgado Ames, spoke.",
            [("Mark Delgado Ames", "senator for Laredo")],
        ),
    ],
)
def test_more_security_titles_and_por(
    tagger: Tagger, text: str, expect: list[tuple[str, str]]
) -> None:
    assert others(tagger.tag(text, published=D)) == expect


@pytest.mark.parametrize(
    ("text", "st"),
    [
        # nickname: a state name after "alias / apodado / known as / conocido como"
        ('The suspect, known as "Tamaulipas", was arrested in McAllen.', set()),
        ("Detuvieron a un hombre apodado «Sonora» en la central de autobuses.", set()),
        ('A man alias "Durango" was charged.', set()),
        # the state itself, after "como" without a nickname cue
        ("Estados como Sonora registran menos robos.", {"sonora"}),
        # title_surname_state: a person title, a surname, then the state as second surname
        ("El doctor Hidalgo Morelos atendió a las víctimas.", set()),
        ("Agent Ruiz Sonora was hurt in the crash.", set()),
        # the state after a title and a place word is still the state
        ("El agente llegó a Sonora ayer.", {"sonora"}),
    ],
)
def test_nickname_and_title_surname_state(tagger: Tagger, text: str, st: set[str]) -> None:
    assert states(tagger.tag(text, published=D)) == st


@pytest.mark.parametrize(
    ("text", "expect"),
    [
        # title_place_name: title, "de" + a known place, the name without a comma
        (
            "El exalcalde de Iguala Rodrigo Paredes Luna fue detenido.",
            [("Rodrigo Paredes Luna", "exalcalde de Iguala")],
        ),
        (
            "The former mayor of Iguala Rodrigo Paredes Luna was arrested.",
            [("Rodrigo Paredes Luna", "former mayor of Iguala")],
        ),
        # no name right after the place: nobody
        ("El alcalde de Iguala habló con Ana Ruiz sobre el tema.", []),
    ],
)
def test_title_place_name(tagger: Tagger, text: str, expect: list[tuple[str, str]]) -> None:
    assert others(tagger.tag(text, published=D)) == expect


@pytest.mark.parametrize(
    ("text", "expect"),
    [
        # caucus_leader: a party's leader in a chamber is a legislator
        (
            "El coordinador de la bancada de Morena, Rodrigo Paredes Luna, votó en contra.",
            [("Rodrigo Paredes Luna", "coordinador de la bancada de Morena")],
        ),
        (
            "Senate Majority Leader Dana Whitfield and House Speaker Mark Delgado Ames met.",
            [("Dana Whitfield", "Senate Majority Leader"), ("Mark Delgado Ames", "House Speaker")],
        ),
        # the White House / the House: no title
        ("The White House said the House voted on Tuesday.", []),
    ],
)
def test_caucus_leader(tagger: Tagger, text: str, expect: list[tuple[str, str]]) -> None:
    assert others(tagger.tag(text, published=D)) == expect


# ------------------------------------------------------------------ fourth round (officials recall)


@pytest.mark.parametrize(
    ("text", "expect"),
    [
        # head_covering_match: a title right before another does not hide the second one
        (
            "Llegó con el alcalde y del secretario general de gobierno, Rodrigo Paredes "
            "Luna, al acto.",
            [("Rodrigo Paredes Luna", "secretario general de gobierno")],
        ),
        (
            "He met the mayor and sheriff Mark Delgado Ames on Monday.",
            [("Mark Delgado Ames", "sheriff")],
        ),
    ],
)
def test_head_covering_match(tagger: Tagger, text: str, expect: list[tuple[str, str]]) -> None:
    assert others(tagger.tag(text, published=D)) == expect


@pytest.mark.parametrize(
    ("a", "b", "same"),
    [
        # surname_order: the words of the shorter name in the same order
        ("Paredes Luna", "Rodrigo Paredes Luna", True),
        ("Luna Paredes", "Rodrigo Paredes Luna", False),
        ("Delgado Ames", "Mark Delgado Ames", True),
        ("Ames Delgado", "Mark Delgado Ames", False),
    ],
)
def test_surname_order(a: str, b: str, same: bool) -> None:
    from extractors.tagger.open_officials import same_person

    assert same_person(a, b) is same


@pytest.mark.parametrize(
    ("text", "expect"),
    [
        # more_security_titles: Border Patrol ranks with a prefix, a state security commissioner
        (
            "Deputy Chief Patrol Agent Dana Whitfield said so; Tucson Sector Chief Patrol Agent "
            "Mark Delgado Ames agreed.",
            [
                ("Dana Whitfield", "Deputy Chief Patrol Agent"),
                ("Mark Delgado Ames", "Sector Chief Patrol Agent"),
            ],
        ),
        (
            "The state commissioner for security and development, Mark Delgado Ames, spoke.",
            [("Mark Delgado Ames", "commissioner for security and development")],
        ),
        # acting_head: "encargado de despacho" / "encargado de la Secretaría"
        (
            "El encargado de despacho de la Fiscalía, Rodrigo Paredes Luna, informó del caso.",
            [("Rodrigo Paredes Luna", "encargado de despacho de la Fiscalía")],
        ),
        (
            "Laura Ibarra Pons fue designada como encargada de la Secretaría de Seguridad.",
            [("Laura Ibarra Pons", "encargada de la")],
        ),
        # the acting head of a committee is nobody
        ("El encargado del comité vecinal, Rodrigo Paredes Luna, habló.", []),
        # county_judge: a Texas county judge is the county's executive; a court judge is not
        (
            "Kerr County Judge Dana Whitfield declared a disaster.",
            [("Dana Whitfield", "County Judge")],
        ),
        ("Judge Dana Whitfield sentenced the smuggler.", []),
        ("El juez Rodrigo Paredes Luna dictó sentencia.", []),
        # title modifiers: "secretario ejecutivo / técnico"
        (
            "El Secretario Ejecutivo del Sistema Estatal de Seguridad, Rodrigo Paredes Luna, "
            "habló.",
            [
                (
                    "Rodrigo Paredes Luna",
                    "Secretario Ejecutivo del Sistema Estatal de Seguridad",
                )
            ],
        ),
    ],
)
def test_fourth_round_titles(tagger: Tagger, text: str, expect: list[tuple[str, str]]) -> None:
    assert others(tagger.tag(text, published=D)) == expect


@pytest.mark.parametrize(
    ("text", "expect"),
    [
        # former_apposition: "quien fuera / who served as" + title
        (
            "Rodrigo Paredes Luna, quien fuera alcalde de Tepic, fue detenido ayer.",
            [("Rodrigo Paredes Luna", "alcalde de Tepic")],
        ),
        (
            "Rodrigo Paredes Luna, quien fue gobernador de Nayarit y luego senador, fue detenido.",
            [("Rodrigo Paredes Luna", "gobernador de Nayarit y luego senador")],
        ),
        (
            "Mark Delgado Ames, who served as mayor of Yuma, was arrested.",
            [("Mark Delgado Ames", "mayor of Yuma")],
        ),
        # parenthetical_title: "X (gobernador de Y 1993-1999)" names a former governor
        (
            "Rodrigo Paredes Luna (gobernador de Nayarit 1993-1999) fue detenido.",
            [("Rodrigo Paredes Luna", "gobernador de Nayarit 1993-1999")],
        ),
        # electo before the title in apposition; "desde <year>" inside it
        (
            "La víctima fue Rodrigo Paredes Luna, electo presidente municipal de Tepic por el "
            "nuevo partido local.",
            [("Rodrigo Paredes Luna", "presidente municipal de Tepic por el nuevo partido local")],
        ),
        (
            "Laura Ibarra Pons, secretaria de Seguridad del estado desde 2021, dijo que no.",
            [("Laura Ibarra Pons", "secretaria de Seguridad del estado desde 2021")],
        ),
        # relative_apposition: a relative clause needs no closing punctuation
        (
            "Rodrigo Paredes Luna, quien fue gobernador de Nayarit sigue preso sin condena.",
            [("Rodrigo Paredes Luna", "gobernador de Nayarit sigue preso sin condena")],
        ),
        # a relative clause that is no office
        ("Rodrigo Paredes Luna, quien fue detenido ayer, habló con el alcalde.", []),
        ("Mark Delgado Ames, who was arrested, spoke to the mayor.", []),
    ],
)
def test_former_and_parenthetical_apposition(
    tagger: Tagger, text: str, expect: list[tuple[str, str]]
) -> None:
    assert others(tagger.tag(text, published=D)) == expect


@pytest.mark.parametrize(
    ("text", "expect"),
    [
        # rank_before_name: a rank or honorific between the comma and the name
        (
            "El secretario de Seguridad del Estado, General Rodrigo Paredes Luna, renunció.",
            [("Rodrigo Paredes Luna", "secretario de Seguridad del Estado")],
        ),
        (
            "El subsecretario de Seguridad, Mayor Rodrigo Paredes Luna, dijo que no.",
            [("Rodrigo Paredes Luna", "subsecretario de Seguridad")],
        ),
        (
            "The police chief, Capt. Mark Delgado Ames, said the suspect fled.",
            [("Mark Delgado Ames", "police chief")],
        ),
        # modifier_comma_name: "municipal" before the comma
        (
            "El jefe de la policía municipal, Rodrigo Paredes Luna, renunció.",
            [("Rodrigo Paredes Luna", "jefe de la policía")],
        ),
        (
            "Aventajaba al presidente municipal con licencia, Rodrigo Paredes Luna, por poco.",
            [("Rodrigo Paredes Luna", "presidente municipal")],
        ),
        # quoted_nickname: the nickname inside the name is dropped
        (
            "El presidente municipal, Rodrigo “El Güero” Paredes Luna, fue detenido.",
            [("Rodrigo Paredes Luna", "presidente municipal")],
        ),
        (
            'The mayor, Mark "Chip" Delgado Ames, resigned.',
            [("Mark Delgado Ames", "mayor")],
        ),
        # possessive_ends_name
        (
            "President Dana Whitfield's July call was discussed.",
            [("Dana Whitfield", "President")],
        ),
        # a rank without a title: a soldier, not an official
        ("Llegó el General Rodrigo Paredes Luna con tropas.", []),
    ],
)
def test_rank_nickname_possessive(tagger: Tagger, text: str, expect: list[tuple[str, str]]) -> None:
    assert others(tagger.tag(text, published=D)) == expect


@pytest.mark.parametrize(
    ("text", "expect"),
    [
        # takes_office_as: the oath or the office taken "como" / "as" + title
        (
            "Laura Ibarra Pons rindió protesta como presidenta municipal provisional.",
            [("Laura Ibarra Pons", "presidenta municipal")],
        ),
        (
            "Laura Ibarra Pons tomó protesta de manera oficial como alcaldesa de Tepic.",
            [("Laura Ibarra Pons", "alcaldesa")],
        ),
        (
            "Rodrigo Paredes Luna asumió ayer como alcalde de Tepic y fue atacado.",
            [("Rodrigo Paredes Luna", "alcalde")],
        ),
        (
            "El momento esperado fue la protesta de Laura Ibarra Pons como alcaldesa.",
            [("Laura Ibarra Pons", "alcaldesa")],
        ),
        (
            "Dana Whitfield took office as mayor of Yuma on Monday.",
            [("Dana Whitfield", "mayor")],
        ),
        (
            "Dana Whitfield assumed office as sheriff in January.",
            [("Dana Whitfield", "sheriff")],
        ),
        # not an oath: another verb, or an office that is no title
        ("Laura Ibarra Pons tomó un café como alcaldesa invitada.", []),
        ("Laura Ibarra Pons tomó protesta como presidenta del comité vecinal.", []),
        ("Dana Whitfield took a photo as the mayor watched.", []),
    ],
)
def test_takes_office_as(tagger: Tagger, text: str, expect: list[tuple[str, str]]) -> None:
    assert others(tagger.tag(text, published=D)) == expect


@pytest.mark.parametrize(
    ("text", "expect"),
    [
        # oath_of_office: "la toma de protesta de X" names the one sworn in
        (
            "Durante la toma de protesta de Rodrigo Paredes Luna, en Tepic, hubo disparos.",
            [("Rodrigo Paredes Luna", "toma de protesta de")],
        ),
        (
            "At the swearing-in of Dana Whitfield, the crowd cheered.",
            [("Dana Whitfield", "swearing-in of")],
        ),
        # with "como" + a non-office: nobody; no name: nobody
        ("La toma de protesta de Rodrigo Paredes Luna como dirigente del sindicato.", []),
        ("La toma de protesta de la nueva mesa directiva fue ayer.", []),
    ],
)
def test_oath_of_office(tagger: Tagger, text: str, expect: list[tuple[str, str]]) -> None:
    assert others(tagger.tag(text, published=D)) == expect


@pytest.mark.parametrize(
    ("text", "expect"),
    [
        # plural_title_list: every name of a list after a plural title
        (
            "Se suma a otros alcaldes como Rodrigo Paredes Luna (Tepic), Laura Ibarra Pons "
            "(Colima) y Julio Cantú Rey (Tecomán).",
            [
                ("Rodrigo Paredes Luna", "alcaldes como"),
                ("Laura Ibarra Pons", "alcaldes como"),
                ("Julio Cantú Rey", "alcaldes como"),
            ],
        ),
        (
            "Los alcaldes de Tepic, Rodrigo Paredes Luna, y de Colima, Laura Ibarra Pons, "
            "pidieron apoyo.",
            [
                ("Rodrigo Paredes Luna", "alcaldes de"),
                ("Laura Ibarra Pons", "alcaldes de"),
            ],
        ),
        (
            "Sheriffs Mark Delgado of Kerr County and Dana Whitfield of Bee County met.",
            [
                ("Mark Delgado", "Sheriffs"),
                ("Dana Whitfield", "Sheriffs"),
            ],
        ),
        (
            "Judges Mark Delgado of Kerr County and Dana Whitfield of Bee County declared "
            "disasters.",
            [("Mark Delgado", "Judges"), ("Dana Whitfield", "Judges")],
        ),
        # not officials: other plural nouns, court judges, places, parties
        ("Periodistas como Rodrigo Paredes Luna y Laura Ibarra Pons fueron amenazados.", []),
        ("Judges Mark Delgado and Dana Whitfield dismissed the case.", []),
        ("Los alcaldes de Monterrey y Guadalupe se reunieron ayer.", []),
        ("Los diputados del PAN y Morena votaron la reforma.", []),
    ],
)
def test_plural_title_list(tagger: Tagger, text: str, expect: list[tuple[str, str]]) -> None:
    assert others(tagger.tag(text, published=D)) == expect


@pytest.mark.parametrize(
    ("text", "expect"),
    [
        # surname_full_mention: a one-word titled name takes the text's fuller form
        (
            "Rodrigo Paredes, del PRD, murió en el ataque. Fue asesinado el alcalde Paredes.",
            [("Rodrigo Paredes", "alcalde")],
        ),
        (
            "Mark Delgado, a Democrat, was shot. Mayor Delgado died later.",
            [("Mark Delgado", "Mayor")],
        ),
        # two fuller forms: ambiguous, the surname stays
        (
            "Rodrigo Paredes y Julio Paredes hablaron. El alcalde Paredes se fue.",
            [("Paredes", "alcalde")],
        ),
        # org_president_complement: a committee's president is nobody; a municipal one is
        ("Rodrigo Paredes Luna, presidente del comité vecinal, habló.", []),
        ("The president of the chamber of commerce, Mark Delgado Ames, spoke.", []),
        # "la presidenta de <municipio>" is the mayor
        (
            "La presidenta de Tepalcingo, Laura Ibarra Pons, fue atacada.",
            [("Laura Ibarra Pons", "presidenta de Tepalcingo")],
        ),
        (
            "In an interview with the municipal president of the town, Mark Delgado Ames, said",
            [("Mark Delgado Ames", "municipal president of the town")],
        ),
        # caucus_leader: "coordinador de los legisladores"
        (
            "Llegó el coordinador de los diputados, Rodrigo Paredes Luna, al acto.",
            [("Rodrigo Paredes Luna", "coordinador de los diputados")],
        ),
    ],
)
def test_full_mention_and_org_president(
    tagger: Tagger, text: str, expect: list[tuple[str, str]]
) -> None:
    assert others(tagger.tag(text, published=D)) == expect


@pytest.mark.parametrize(
    ("text", "expect"),
    [
        # surname_pair_speaker: a bare pair of surnames that speaks + a bare title that speaks
        (
            "Paredes Luna detalló que hubo tres detenidos.\nEl secretario expresó que faltan "
            "recursos.",
            [("Paredes Luna", "secretario")],
        ),
        (
            "Delgado Ames said three were arrested. The sheriff added that more would come.",
            [("Delgado Ames", "sheriff")],
        ),
        # two pairs: whose title is it? nobody
        (
            "Paredes Luna dijo que sí. Ibarra Pons dijo que no. El secretario explicó el plan.",
            [],
        ),
        # the title does not speak, or the pair starts with a given name: nobody
        ("Paredes Luna detalló que hubo detenidos. El secretario no respondió.", []),
        ("Julio Paredes dijo que sí. El alcalde explicó el plan.", []),
    ],
)
def test_surname_pair_speaker(tagger: Tagger, text: str, expect: list[tuple[str, str]]) -> None:
    assert others(tagger.tag(text, published=D)) == expect


@pytest.mark.parametrize(
    ("text", "expect"),
    [
        # committee_chair: the chair of a committee of Congress is a legislator
        (
            "House Homeland Security Committee Chairman Mark Delgado Ames said so.",
            [("Mark Delgado Ames", "Chairman")],
        ),
        (
            "Mark Delgado Ames, chairman of the Senate Judiciary Committee, said so.",
            [("Mark Delgado Ames", "chairman of the Senate Judiciary Committee")],
        ),
        (
            "La presidenta de la Comisión de Seguridad del Senado, Laura Ibarra Pons, dijo que no.",
            [("Laura Ibarra Pons", "presidenta de la Comisión de Seguridad del Senado")],
        ),
        # a company's or a board's chair, a sports commission's president: nobody
        ("Company Chairman Mark Delgado Ames said profits rose.", []),
        ("Mark Delgado Ames, chairman of the board, said so.", []),
        ("El presidente de la Comisión de Box, Rodrigo Paredes Luna, habló.", []),
    ],
)
def test_committee_chair(tagger: Tagger, text: str, expect: list[tuple[str, str]]) -> None:
    assert others(tagger.tag(text, published=D)) == expect


@pytest.mark.parametrize(
    ("text", "expect"),
    [
        # in_venue_list: a numbered street in the list ("la calle 300 y Jalisco")
        ("El cuerpo quedó en la calle 12 y Zacatecas, en Mexicali.", {"baja-california"}),
        ("Shots hit a car at the intersection of 300 and Jalisco in Ciudad Obregón.", {"sonora"}),
        # a number that is not a street list: the state stays
        ("La calle 12 fue cerrada y Zacatecas registró tres homicidios.", {"zacatecas"}),
        ("Street 12 was closed and Zacatecas reported three murders.", {"zacatecas"}),
        # venue_name_tail: a neighbourhood named "<Plurals> de <State>"
        ("Vecinos de la colonia Lomas de Guerrero, en Culiacán, oyeron disparos.", {"sinaloa"}),
        ("Gunmen shot a man in colonia Jardines de Morelos, in Ecatepec.", {"estado-de-mexico"}),
        # a singular head is the place: "colonia Centro de Puebla"
        ("Asaltaron una tienda en la colonia Centro de Puebla.", {"puebla"}),
        ("A store was robbed on a street in Morelos.", {"morelos"}),
    ],
)
def test_numbered_street_and_venue_name_tail(tagger: Tagger, text: str, expect: set[str]) -> None:
    assert states(tagger.tag(text, published=D)) == expect


@pytest.mark.parametrize(
    ("text", "expect"),
    [
        # in_org_name: universities and colleges
        ("La Universidad Autónoma de Sinaloa suspendió clases por la violencia.", set()),
        ("Students of the Autonomous University of Sinaloa protested.", set()),
        ("La Fiscalía de Sinaloa investiga el ataque.", {"sinaloa"}),
        ("A university study found more murders in Sinaloa.", {"sinaloa"}),
        # collective_name: a named collective or search group
        ("Integrantes del colectivo Guerreros Buscadores de Jalisco hallaron una fosa.", set()),
        ("Madres Buscadoras de Sonora hallaron restos en un predio.", set()),
        ("The collective Rastreadoras Unidas de Sonora found remains.", set()),
        # plural heads that name the state's people or institutions keep the state
        ("Fuerzas Estatales de Sonora detuvieron a dos hombres.", {"sonora"}),
        ("Las Policías de Sonora reforzaron la vigilancia.", {"sonora"}),
        ("Search teams from Sonora found remains.", {"sonora"}),
        # outlet_name: a news outlet named after a state
        ("Así lo publicó Guerrero al Instante tras el ataque.", set()),
        ("Quintana Roo Ahora reported the killing.", set()),
        ("En Sinaloa hoy hubo tres ataques armados.", {"sinaloa"}),
        ("Violence in Sonora today left three dead.", {"sonora"}),
    ],
)
def test_university_collective_and_outlet_names(
    tagger: Tagger, text: str, expect: set[str]
) -> None:
    assert states(tagger.tag(text, published=D)) == expect


@pytest.mark.parametrize(
    ("text", "expect"),
    [
        # municipality_list: hero-named towns in a list after a plural municipality word
        ("Hubo operativos en los municipios de Hidalgo, Guerrero y Piedras Negras.", {"coahuila"}),
        ("Hubo bloqueos en los municipios de Morelos y Guerrero, Chihuahua.", {"chihuahua"}),
        ("The convoy fled toward the towns of Hidalgo and Guerrero in Coahuila.", {"coahuila"}),
        # municipality_named_like_state with an adjective: "el municipio fronterizo de Hidalgo"
        ("Emboscaron a policías en el municipio fronterizo de Hidalgo.", set()),
        # the states' municipalities: both states stay
        (
            "Los municipios de Guerrero y Michoacán registraron 40 homicidios.",
            {"guerrero", "michoacan"},
        ),
        (
            "The municipalities of Guerrero and Morelos reported 40 murders.",
            {"guerrero", "morelos"},
        ),
        # town_of_other_state: "X, <state>," followed by more text is still a town
        (
            "El enfrentamiento ocurrió en Hidalgo, Nuevo León, cerca de la carretera.",
            {"nuevo-leon"},
        ),
        ("HIDALGO, Coah., (apro).- Dos policías resultaron heridos.", {"coahuila"}),
        ("It happened in Guerrero, Coahuila, near the border.", {"coahuila"}),
        # a list of states goes on after a comma or a conjunction
        (
            "Hubo ataques en Guerrero, Michoacán, Sonora y Sinaloa.",
            {"guerrero", "michoacan", "sonora", "sinaloa"},
        ),
        ("Violence hit Guerrero, Michoacán, and Sonora.", {"guerrero", "michoacan", "sonora"}),
    ],
)
def test_municipality_list_and_town_of_other_state(
    tagger: Tagger, text: str, expect: set[str]
) -> None:
    assert states(tagger.tag(text, published=D)) == expect


@pytest.mark.parametrize(
    ("text", "expect"),
    [
        # us_town_service: a city service of a US town named like a state, with a US cue
        ("The Durango Police Department said the man fled toward the La Plata County line.", set()),
        (
            "HIDALGO - Two men were arrested near the port of entry. Hidalgo Police Chief Ana"
            " Ruiz said they used a levee drain in Hidalgo.",
            set(),
        ),
        (
            "El Departamento de Policía de Hidalgo detuvo a dos hombres cerca del puerto"
            " de entrada.",
            set(),
        ),
        # Mexican police are state or municipal: the state stays, even with a US cue
        ("Sinaloa state police found two bodies near the Arizona border.", {"sinaloa"}),
        ("La Policía Estatal de Hidalgo detuvo a dos hombres que iban a Texas.", {"hidalgo"}),
        # no US cue: the rule does not fire
        ("El Departamento de Policía de Durango informó de dos detenidos.", {"durango"}),
    ],
)
def test_us_town_service(tagger: Tagger, text: str, expect: set[str]) -> None:
    assert states(tagger.tag(text, published=D)) == expect


@pytest.mark.parametrize(
    ("text", "expect"),
    [
        # dateline_date: "<name>, 3 de septiembre" is a dateline's date, not a person's age
        (
            "Matamoros, Tamaulipas, 3 de septiembre de 2025.- Hubo un enfrentamiento.",
            {"tamaulipas"},
        ),
        ("The report was signed in Sinaloa, 12 de mayo de 2024, by local police.", {"sinaloa"}),
        # an age after the name is still a person
        ("Guerrero, 45, dijo que huyó de la casa.", set()),
        ("Police said Guerrero, 45, was driving the truck.", set()),
        # cartels_such_as: an elliptical list of cartels after "como los de" / "such as those of"
        (
            "Los cárteles de la droga, como los de Sinaloa, del Golfo y Jalisco, operan"
            " en Yucatán.",
            {"yucatan"},
        ),
        ("Cartels such as those of Sinaloa and Jalisco operate in Yucatán.", {"yucatan"}),
        # states listed after "como" / "such as" are states
        ("Los cárteles operan en estados como Sinaloa y Jalisco.", {"sinaloa", "jalisco"}),
        ("Cartels operate in states such as Sinaloa and Jalisco.", {"sinaloa", "jalisco"}),
        # headline_not_attached: a headline's place is not attached to the next line's dateline
        (
            "Balacera deja un muerto en Guadalajara\nACAPULCO, Gro.- Un hombre fue detenido.",
            {"jalisco", "guerrero"},
        ),
        (
            "Two killed in Guadalajara\nACAPULCO, Guerrero - Police made an arrest.",
            {"jalisco", "guerrero"},
        ),
        # on one line a different state still makes it another place of that name
        (
            "Emboscaron a policías en Coatepec Harinas, en el Estado de México.",
            {"estado-de-mexico"},
        ),
    ],
)
def test_dateline_date_cartels_such_as_and_headline(
    tagger: Tagger, text: str, expect: set[str]
) -> None:
    assert states(tagger.tag(text, published=D)) == expect


@pytest.mark.parametrize(
    ("text", "expect"),
    [
        # natural_region_name: a peninsula or desert named after a state is the landform
        ("Se esperan chubascos en Puebla y en la Península de Yucatán.", {"puebla"}),
        ("Los migrantes cruzaron el desierto de Sonora hacia Arizona.", set()),
        ("The hikers got lost in the Sonora Desert near Tucson.", set()),
        ("Storms will reach Oaxaca and the Yucatan Peninsula on Friday.", {"oaxaca"}),
        ("Rains hit the Baja California peninsula and Sinaloa.", {"sinaloa"}),
        # the state itself stays
        ("Lluvias intensas en Yucatán y Campeche este viernes.", {"yucatan", "campeche"}),
        ("Two bodies were found in the desert in Sonora, officials said.", {"sonora"}),
        # road_toward: a city or state as the destination that names a road
        ("Hallaron un cuerpo en la carretera libre a Mazatlán, en el kilómetro 30.", set()),
        ("Dispararon cerca de la avenida Norte, salida a Mérida.", set()),
        ("Truckers were robbed on the highway to Monterrey.", set()),
        ("Dejaron el auto en la carretera a Tepic y huyeron a Culiacán.", {"sinaloa"}),
        # a destination that is not a road's name stays
        ("Los detenidos fueron trasladados a Mazatlán.", {"sinaloa"}),
        ("The convoy drove from the border to Monterrey.", {"nuevo-leon"}),
    ],
)
def test_natural_region_and_road_names(tagger: Tagger, text: str, expect: set[str]) -> None:
    assert states(tagger.tag(text, published=D)) == expect


@pytest.mark.parametrize(
    ("text", "expect"),
    [
        # orchestra_name (in_org_name heads): an orchestra named after a state or city
        ("Tocó con la Orquesta Sinfónica de Guadalajara en Morelia.", {"michoacan"}),
        ("La Orquesta de Jalisco ensayó toda la tarde.", set()),
        ("The Philharmonic of Jalisco played in Tijuana.", {"baja-california"}),
        ("The concert was held in Jalisco by a visiting orchestra.", {"jalisco"}),
        # road_between: "carretera <origin> a <destination>" is a road's name
        ("Hubo un choque en la carretera Manzanillo a Cihuatlán.", {"colima"}),
        ("Rocks blocked the highway Manzanillo to Cihuatlán on Monday.", {"colima"}),
        # a trip between two places stays
        ("Viajó de Manzanillo a Cihuatlán y luego a Guadalajara.", {"colima", "jalisco"}),
    ],
)
def test_orchestra_and_road_between(tagger: Tagger, text: str, expect: set[str]) -> None:
    assert states(tagger.tag(text, published=D)) == expect


# ------------------------------------------------------------------ name_in_venue


@pytest.mark.parametrize(
    ("text", "expect"),
    [
        # a listed official's name after a street / venue noun names the place
        ("Un choque en la avenida Rubén Rocha Moya dejó dos heridos.", set()),
        ("Vecinos de la colonia Samuel García denunciaron robos.", set()),
        ("Los padres cerraron la escuela Rocío Nahle por la mañana.", set()),
        # ... and before a capitalised street / venue word
        ("A crash on Greg Abbott Boulevard closed two lanes.", set()),
        ("Flights left the Greg Abbott Airport late.", set()),
        # the person: a title, a verb, a comma, a lower-case noun after the name
        ("El gobernador Rubén Rocha Moya inauguró la avenida.", {"ruben-rocha-moya"}),
        ("En la plaza, Samuel García habló con vecinos.", {"samuel-garcia"}),
        ("Greg Abbott said the boulevard will reopen.", {"greg-abbott"}),
        ("Greg Abbott airport visits drew protests.", {"greg-abbott"}),
    ],
)
def test_name_in_venue(tagger: Tagger, text: str, expect: set[str]) -> None:
    res = tagger.tag(text, published=dt.date(2025, 3, 1))
    assert listed(res) == expect, text
