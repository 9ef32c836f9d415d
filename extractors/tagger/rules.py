"""The tagger's rule order as one table (issue 14). ``core``'s docstring details the older
rules; this table is the order ``run._Run._result`` applies them in. Each row: (step, rule, where,
what it decides). Tests: tests/extractors/test_tagger.py, test_tagger_rules.py and (the
sixth round's group rules) test_tagger_rules_grps.py."""

from __future__ import annotations

RULES: tuple[tuple[int, str, str, str], ...] = (
    (1, "automaton", "index.Tagger / run._raw_spans", "folded aliases, whole words, longest wins"),
    (
        2,
        "group_variants",
        "variants",
        "Cártel de/del X, X Cartel, Cártel Jalisco, acronyms, faction_forms, hyphen_forms,"
        " quoted_forms ('los «Mayitos»')",
    ),
    (3, "caps_headline", "run._caps_form", "'LOS METROS' in a caps headline is Los Metros"),
    (
        4,
        "group_variants (sixth round)",
        "variants",
        "plural_head ('Tropas del Infierno'), prefix_forms ('Fuerza Antiunión'), quoted_bare"
        " ('“Metros”', 'the “Scorpions’'), family_cartel ('el cártel de los hermanos Beltrán"
        " Leyva')",
    ),
    (
        5,
        "context_rules",
        "places._context_rules",
        "venue, US / abroad, person (person_apposition, second_surname, title_surname_state,"
        " nickname; dateline_date: 'Tamaulipas, 3 de septiembre' is no age), team,"
        " us_town_service ('the Durango Police Department' + a US cue) ...",
    ),
    (
        6,
        "group_context",
        "group_rules._group_context",
        "numbered_name ('la Línea 12 del Metro': a line, no group), sports_nickname ('los Rojos'"
        " in a sentence about a league, a stadium, innings: a team), longer_name ('los Legionarios"
        " de Cristo': a congregation; 'Los Metros de Reynosa' stays)",
    ),
    (
        7,
        "in_group_name",
        "place_rules via pins._not_places",
        "a state inside a cartel's name is not a place (cartels_such_as: 'como los de Sinaloa')",
    ),
    (
        8,
        "in_venue_list",
        "place_rules",
        "streets in lists and intersections are not places ('la calle 300 y Jalisco' too)",
    ),
    (9, "in_team_name", "place_rules", "'los Dorados de Sinaloa': a team, not the place"),
    (
        10,
        "in_org_name",
        "place_rules",
        "'El Sol de Sinaloa', 'Bank of Tabasco', 'Universidad Autónoma de Sinaloa', orchestra_name"
        " 'la Orquesta Sinfónica de Guadalajara': no state",
    ),
    (11, "org_name_list", "place_rules", "'Asociación de Municipios de Sonora, Sinaloa y ...'"),
    (12, "us_crossing_name", "place_rules", "'the Hidalgo port of entry': Hidalgo, Texas"),
    (13, "municipality_named_like_state", "place_rules", "'municipio de Morelos': a town"),
    (14, "town_of_other_state", "place_rules", "'Hidalgo, Nuevo León': a town of the other"),
    (
        15,
        "municipality_list",
        "place_rules",
        "'los municipios de Hidalgo, Guerrero y Piedras Negras': towns",
    ),
    (16, "venue_name_tail", "place_rules", "'colonia Jardines de Morelos': a neighbourhood's name"),
    (
        17,
        "collective_name",
        "place_rules",
        "'el colectivo Guerreros Buscadores de Jalisco': a group's name",
    ),
    (
        18,
        "outlet_name",
        "place_rules",
        "'Quintana Roo Ahora', 'Guerrero al Instante': a news outlet",
    ),
    (
        19,
        "natural_region_name",
        "place_rules",
        "'la Península de Yucatán', 'the Sonora Desert': the landform, not the state;"
        " sea_area 'the Bay of Campeche', 'la Sonda de Campeche'",
    ),
    (
        20,
        "road_toward",
        "place_rules",
        "'la carretera libre a Mazatlán', 'salida a Mérida', 'highway to X', road_between"
        " 'la carretera Manzanillo a Cihuatlán': a road's name",
    ),
    (
        21,
        "local_names",
        "local_names via pins._not_places",
        "venue_head_name 'la plaza Hidalgo', 'el ejido Sinaloa'; hero_de_tail 'Chalcatongo de"
        " Hidalgo'; other_tail_town 'Acatlán de Pérez Figueroa' (not Acatlán de Osorio);"
        " municipal_office_of 'el alcalde de Morelos' + hero_town_one_sense; club_name 'Racing"
        " de Veracruz'; association_name 'la Cámara Nacional de Comercio de Tabasco';"
        " acronym_chapter 'la CNC-Oaxaca'; sports_names (sports reports only):"
        " sports_team_name 'Querétaro venció 3-1 a Puebla', 'los triunfos de Veracruz y"
        " Morelia', 'Guadalajara (7)' + team_one_sense; village_of_other_state 'el poblado de"
        " Tezoyuca' in an article about Morelos",
    ),
    (
        22,
        "one_sense / conflicts / route / pins",
        "places / pins",
        "one sense per article, pin places (headline_not_attached: no attachment across a"
        " line break); a route's places and state are no mentions (GUIDE.md: a highway's"
        " name), its one state only helps resolve 'el gobernador'; camino_route: 'camino',"
        " 'brecha', 'entronque' start a route too ('el camino E.C. (Villahermosa–Chetumal)')",
    ),
    (
        23,
        "homonym_by_context",
        "group_rules._homonym_groups",
        "'Los Rojos' in Reynosa (a state of 'Los Rojos (Cártel del Golfo)', none of the Guerrero"
        " group's) or next to its parent: the Gulf Cartel cell; hyphen_partner ('the Chapitos-Mayos"
        " war': both factions); cartel_ellipsis ('el Cártel de Sinaloa y el de Juárez': two"
        " cartels, no Ciudad Juárez)",
    ),
    (24, "coordinated_cartels", "place_rules", "'the Sinaloa and Gulf cartels': two groups"),
    # issue 14, sixth round (English border news): border_rules
    (
        25,
        "border_rules (places)",
        "border_rules via pins / places",
        "border_twin 'Brownsville and Matamoros', 'the city across from El Paso' (pins an"
        " ambiguous place); dog_breed 'adopt a Chihuahua'; street_in_place 'a Culiacán street';"
        " team_nickname 'Chivas Guadalajara'",
    ),
    (
        26,
        "border_rules (groups)",
        "border_rules via pins._short_group_forms / run",
        "la_familia 'La Familia' in a crime text; article_dropped 'Gente Nueva and Linea';"
        " rojos_of_the_gulf 'the Metros and the Rojos' (Gulf Cartel faction); lowercase_cartel"
        " 'the gulf cartel'; variants.quoted_faction_forms '“Scorpions” faction', '“Metros’ of"
        " Reynosa' (quoted_of_place)",
    ),
    (
        27,
        "listed officials",
        "officials._officials",
        "names, aliases, surnames after a full mention; name_in_venue: 'la avenida Ana Ruiz',"
        " 'Ana Ruiz Boulevard' name a place, not the person",
    ),
    (28, "distinctive_surname", "officials", "'Homan said': the one in office (or recently_left)"),
    (
        29,
        "role phrases by date",
        "roles._role_phrases",
        "'el gobernador de X' -> holder on date (baja_california_not_us: no US governor;"
        " not_the_holder: 'the deputy / incoming X' is nobody; subnational_qualifier: 'secretario"
        " de Seguridad y Protección Ciudadana Municipal' is no federal head)",
    ),
    (30, "institution_not_person", "roles._institution", "'Secretaría de Marina (Semar)' no one"),
    (
        31,
        "titled people",
        "open_officials (titles: official_titles, names: official_names)",
        "a person named with an office title (open class); head_covering_match: a title just"
        " before another does not hide it; each finder runs only near its own head words",
    ),
    (32, "apposition wins", "officials._titled_people", "a named person beats role-by-date"),
    (33, "listed or unlisted", "officials._listed_match", "a titled name of a listed official: id"),
    (34, "flagging", "flagging._flag", "flag policy over states, groups, officials, terms"),
)

# the predicates of the "titled people" step, in the order tried for each title
OPEN_OFFICIAL_PREDICATES: tuple[str, ...] = (
    "not_foreign / not_org_president (skip the title)",
    "title_then_name (titles incl. caucus_leader, more_security_titles)",
    "title_complement_comma_name (complement_parenthetical: 'de X (estado de Y), Ana Ruiz')",
    "title_comma_name",
    "title_place_name ('el exalcalde de Iguala Ana Ruiz': a known place, no comma)",
    "name_comma_title (needs closes_apposition; party_in_apposition 'por el PRI';"
    " sentence_start_name after 'Aguililla.')",
    "governed_by (separately: 'el gobierno de X', 'governed by X')",
    # issue 14, fourth round (officials recall on outside real text)
    "acting_head ('el encargado de despacho de la Fiscalía, X'), county_judge ('Kerr County"
    " Judge X': the county's executive; court judges are not officials), more_security_titles"
    " ('Deputy / Sector Chief Patrol Agent X', 'commissioner for security, X')",
    "rank_before_name ('el secretario de Seguridad, General X'), modifier_comma_name ('el jefe"
    " de la policía municipal, X'), quoted_nickname ('Juan “El Güero” Pérez'),"
    ' possessive_ends_name ("President X\'s July call")',
    "former_apposition ('X, quien fuera alcalde de Y, ...', 'X, who served as mayor'),"
    " parenthetical_title ('X (gobernador de Y 1993-1999)')",
    "takes_office_as ('X rindió protesta como alcaldesa', 'X took office as mayor') after"
    " title_copula_name / name_copula_title",
    "plural_title_list (separately: 'alcaldes como X (Tepic), Y (Colima) y Z', 'Sheriffs X of"
    " A County and Y of B County'; 'Judges' only with a county each)",
    "oath_of_office (separately: 'la toma de protesta de X' without 'como' + another office)",
    "surname_full_mention ('el alcalde Mendoza' + 'Conrado Mendoza' elsewhere: the full form)",
    "committee_chair ('House ... Committee Chairman X', 'X, chairman of the Senate ..."
    " Committee', 'presidenta de la Comisión de Seguridad del Senado, X': legislators; a"
    " company's chairman is nobody)",
    "surname_pair_speaker (only when nobody else is titled: 'Torres Sánchez detalló ...' + 'El"
    " secretario expresó ...': the one bare speaking pair of surnames is that official)",
    "surname_order (same_person: 'Lomelí Martínez' is not 'Martínez Lomelí');"
    " org_president_complement ('presidenta del comité vecinal': nobody; 'municipal"
    " president': a mayor)",
    # issue 14, sixth round (officials on outside real text; official_more holds the new ones)
    "titles: ex_space_title ('ex gobernador'), us_attorney_undotted, federal_agency_director"
    " ('Director of Field Operations X', 'X, the director of ICE'), ranking_member,"
    " plural_representatives / capitalised_plural_title ('Representatives X and Y')",
    "appositions: appos_tail_words ('X, director de Seguridad Pública estatal', '... (SGG);',"
    " '(2005-2010)'), list_item_follows ('... (FGE) y Ana Ruiz, alcaldesa'),"
    " punctuation_unglues ('En Sonora, X, alcalde'), curly_possessive_tail, como_apposition"
    " ('a X, como nuevo secretario'), initial_not_article ('Sheriff A. Tom Lee'), n_initial"
    " ('Juan de Dios N, exedil'), plural_possessive ('Mayor Lee’s' / 'Mayor Ruiz’')",
    "title_office_complement_name ('el secretario de Gobierno Ana Ruiz': office words, then the"
    " name, no comma); council_secretary and judiciary_president: nobody;"
    " full_form_not_title_word ('Ranking Member X' is not 'Member X')",
    "plural lists: semicolon_list and place_led_item ('los gobernadores de Sonora Ana Ruiz;"
    " Colima Luis Mora'); official_more.more_people (separately, near their verbs):"
    " governed_apposition ('X, quien gobernó Chihuahua de 2010 a 2016') and agency_headed_by"
    " ('la Fiscalía (FGE), encabezada por X', 'the DPS, headed by X'; a gang is no agency)",
)


def table() -> str:
    """The rule order as a markdown table."""
    lines = ["| step | rule | where | decides |", "|---|---|---|---|"]
    lines += [f"| {n} | {r} | {w} | {d} |" for n, r, w, d in RULES]
    return "\n".join(lines)
