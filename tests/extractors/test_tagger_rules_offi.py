"""Issue 14, sixth round (officials recall on outside real text): each rule with English and
Spanish cases written for these tests. Every person named here is invented; places are the
watchlist's."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from config.watchlist_loader import load_watchlist
from extractors.tagger import Tagger, TagResult

ROOT = Path(__file__).resolve().parents[2]
D = dt.date(2024, 5, 1)


@pytest.fixture(scope="module")
def tagger() -> Tagger:
    return Tagger(load_watchlist(ROOT / "config" / "watchlist.yaml"))


def people(res: TagResult) -> set[str]:
    """Unlisted officials by name, listed ones by id."""
    return {o.name for o in res.other_officials} | {o.id for o in res.officials}


CASES = [
    # appos_tail_words: an office modifier, a region word or a short parenthesis (acronym,
    # years) inside the apposition still closes it
    (
        "appos_tail_words",
        "“No hay detenidos”, dijo Rosendo Ablanedo Quiroz, director de Seguridad Pública estatal.",
        {"Rosendo Ablanedo Quiroz"},
    ),
    (
        "appos_tail_words",
        "Wade Hollister, former governor of Arizona (1999-2003), was arrested on Monday.",
        {"Wade Hollister"},
    ),
    (
        "appos_tail_words",
        "Estuvieron presentes Isaura Benavente Lomas, titular de la Secretaría General de"
        " Gobierno (SGG); Efrén Lizcano Durán, secretario de Seguridad Pública (SSP).",
        {"Isaura Benavente Lomas", "Efrén Lizcano Durán"},
    ),
    (
        "appos_tail_words",
        "Orlando Fitzgerald Baeza, ex gobernador de Sonora (1991-1997), fue detenido ayer.",
        {"Orlando Fitzgerald Baeza"},
    ),
    # list_item_follows: "y" + the next "Name, title" item closes the apposition
    (
        "list_item_follows",
        "En la reunión estuvieron Gaspar Ontiveros Real, encargado de despacho de la Fiscalía"
        " General del Estado (FGE) y Leonor Vidaurri Paz, alcaldesa de Tepic.",
        {"Gaspar Ontiveros Real", "Leonor Vidaurri Paz"},
    ),
    (
        "list_item_follows",
        "Present were Dalton Pruitt Vance, the police chief of San Benito in the Rio Grande"
        " Valley (RGV) and Corinne Abernathy, the mayor of Laredo.",
        {"Dalton Pruitt Vance", "Corinne Abernathy"},
    ),
    # punctuation_unglues: a capitalised word before a comma or semicolon is not part of the
    # name that follows it
    (
        "punctuation_unglues",
        "In Sonora, Evaristo Cordero Pike, the mayor of Nogales, opened the new bridge.",
        {"Evaristo Cordero Pike"},
    ),
    (
        "punctuation_unglues",
        "En Michoacán, Remigio Tavares Luna, alcalde de Uruapan, fue atacado.",
        {"Remigio Tavares Luna"},
    ),
    # us_attorney_undotted: "US Attorney" without dots
    (
        "us_attorney_undotted",
        "Hollis Brantley, the US Attorney for the Western District of Texas, said the mayor"
        " took bribes.",
        {"Hollis Brantley"},
    ),
    (
        "us_attorney_undotted",
        "Según Ingrid Salcido Mora, US Attorney en Arizona, hubo sobornos.",
        {"Ingrid Salcido Mora"},
    ),
    # federal_agency_director: CBP office heads and the heads of federal security agencies
    (
        "federal_agency_director",
        "“We see it every year,” said CBP Director of Field Operations Wendell Ostrander.",
        {"Wendell Ostrander"},
    ),
    (
        "federal_agency_director",
        "Perry Lindqvist, the director of U.S. Immigration and Customs Enforcement, said more"
        " agents are coming.",
        {"Perry Lindqvist"},
    ),
    (
        "federal_agency_director",
        "El director of Field Operations Wendell Ostrander dijo que hubo decomisos en"
        " Ciudad Juárez.",
        {"Wendell Ostrander"},
    ),
    (
        "federal_agency_director",
        "Perry Lindqvist, director del FBI, dijo que habrá más agentes en Tijuana.",
        {"Perry Lindqvist"},
    ),
    # ranking_member (+ full_form_not_title_word: "Member" is no first name)
    (
        "ranking_member",
        "The bill passed with help from Ranking Member Thornbury on Friday.",
        {"Thornbury"},
    ),
    (
        "ranking_member",
        "La congresista, Ranking Member Abigail Thornbury, votó en contra del muro.",
        {"Abigail Thornbury"},
    ),
    (
        "ranking_member",
        "Agradeció a la Ranking Member Thornbury por su apoyo al proyecto.",
        {"Thornbury"},
    ),
    # plural_representatives / capitalised_plural_title
    (
        "plural_representatives",
        "The governor thanked Representatives Odell Farrow, Marisol Quent and Bram Ivers.",
        {"Odell Farrow", "Marisol Quent", "Bram Ivers"},
    ),
    (
        "plural_representatives",
        "Se reunieron con los congresistas Odell Farrow Ruiz y Marisol Quent Soto en El Paso.",
        {"Odell Farrow Ruiz", "Marisol Quent Soto"},
    ),
    (
        "capitalised_plural_title",
        "Former PRI Governors Natalio Guevara and Osiel Rentería sat in the front row.",
        {"Natalio Guevara", "Osiel Rentería"},
    ),
    (
        "capitalised_plural_title",
        "Los Diputados Natalio Guevara y Osiel Rentería presentaron la iniciativa.",
        {"Natalio Guevara", "Osiel Rentería"},
    ),
    # title_word_not_name: a title word never starts a name ("sheriffs met Representatives X":
    # the sheriffs' list does not take "Representatives X")
    (
        "title_word_not_name",
        "The sheriffs met Representatives Odell Farrow, Marisol Quent and Bram Ivers.",
        {"Odell Farrow", "Marisol Quent", "Bram Ivers"},
    ),
    (
        "title_word_not_name",
        "Los alcaldes saludaron a Senadores Odell Farrow Ruiz y Marisol Quent Soto.",
        {"Odell Farrow Ruiz", "Marisol Quent Soto"},
    ),
    # chamber_not_plural_title and lowercase "representatives": no list of legislators
    (
        "chamber_not_plural_title",
        "The Senate mourned former House of Representatives Speaker, Obadiah Kentworth.",
        set(),
    ),
    (
        "chamber_not_plural_title",
        "En la Cámara de Diputados Marcelino Osuna Paz, un manifestante, gritó consignas.",
        set(),
    ),
    (
        "plural_representatives",
        "The men said they are representatives of the Santa Rosa de Lima cartel.",
        set(),
    ),
    # semicolon_list + place_led_item: "los gobernadores de Sonora Ana Ruiz; Colima Luis Mora"
    (
        "place_led_item",
        "Asistieron los gobernadores de Sonora Aurelio Banda Ríos; Colima Rebeca Oyervides"
        " Gil; Estado de México Clemente Nájar Paz.",
        {"Aurelio Banda Ríos", "Rebeca Oyervides Gil", "Clemente Nájar Paz"},
    ),
    (
        "place_led_item",
        "The meeting drew the governors of Sonora Aurelio Banda Ríos; Colima Rebeca Oyervides"
        " Gil; and Zacatecas Clemente Nájar Paz.",
        {"Aurelio Banda Ríos", "Rebeca Oyervides Gil", "Clemente Nájar Paz"},
    ),
    # governed_apposition: "X, quien gobernó <lugar> de A a B"
    (
        "governed_apposition",
        "Entre los prófugos estuvo Anselmo Quiñones Riva, quien gobernó Chihuahua de 2004 a 2010.",
        {"Anselmo Quiñones Riva"},
    ),
    (
        "governed_apposition",
        "Among the fugitives was Anselmo Quiñones Riva, who governed Sonora from 2003 to 2009.",
        {"Anselmo Quiñones Riva"},
    ),
    # agency_headed_by: a security agency "encabezada por X" / "led by X"; a gang is not one
    (
        "agency_headed_by",
        "Se coordinará con la Fiscalía General del Estado (FGE), encabezada por Elvira Andrade"
        " Soto, y con la Guardia Nacional.",
        {"Elvira Andrade Soto"},
    ),
    (
        "agency_headed_by",
        "The Texas Department of Public Safety, headed by Harlan Boyce Whitt, sent troopers.",
        {"Harlan Boyce Whitt"},
    ),
    (
        "agency_headed_by",
        "La Fiscalía informó que la banda, encabezada por Ciriaco Lemus Tovar, fue detenida.",
        set(),
    ),
    # title_office_complement_name: office complement, then the name, no comma
    (
        "title_office_complement_name",
        "Lo resaltó el secretario de Gobierno Arsenio Valtierra Ruiz durante la ceremonia.",
        {"Arsenio Valtierra Ruiz"},
    ),
    (
        "title_office_complement_name",
        "La procuradora general de la República Arely Tostado Gil y el secretario general"
        " del CISEN Nemesio Urías Paz asistieron.",
        {"Arely Tostado Gil", "Nemesio Urías Paz"},
    ),
    (
        "title_office_complement_name",
        "The Secretary of Public Safety Dalton Pruitt Vance met the mayors.",
        {"Dalton Pruitt Vance"},
    ),
    # institution_not_name: an institution after the office complement is no person
    (
        "institution_not_name",
        "Growth is slowing, said the president of the Federal Reserve Bank of Dallas.",
        set(),
    ),
    (
        "institution_not_name",
        "Según el titular de Finanzas Públicas Banco Regional del Norte, no hubo pérdidas.",
        set(),
    ),
    # council_secretary: a council's secretary is staff, nobody
    (
        "council_secretary",
        "Also present was the Secretary of the Monterrey City Council, Lucio Barragán Téllez.",
        set(),
    ),
    (
        "council_secretary",
        "Firmó el secretario del Ayuntamiento, Lucio Barragán Téllez, la convocatoria.",
        set(),
    ),
    # judiciary_president: the president of a court or of the judiciary is a judge
    (
        "judiciary_president",
        "Asistió la presidenta del Poder Judicial del Estado, Myrna Aldaco Ruiz.",
        set(),
    ),
    (
        "judiciary_president",
        "The president of the Supreme Court of Sonora, Myrna Aldaco Ruiz, spoke.",
        set(),
    ),
    # plural_possessive: "Mayor Ruiz’ order" ends the name at the apostrophe
    (
        "plural_possessive",
        "Mayor Ulises Mathis signed it. Mayor Mathis’ Declaration states that the city is"
        " overwhelmed.",
        {"Ulises Mathis"},
    ),
    (
        "plural_possessive",
        "El sheriff Brody Mathis habló. Los agentes de Sheriff Mathis’ Office detuvieron a dos.",
        {"Brody Mathis"},
    ),
    # initial_not_article: an initial "A." starts a name
    (
        "initial_not_article",
        "The plan works, Kerr County Sheriff A. Lyndon Parrish said Thursday.",
        {"A. Lyndon Parrish"},
    ),
    (
        "initial_not_article",
        "El sheriff A. Lyndon Parrish dijo que no habrá más detenciones.",
        {"A. Lyndon Parrish"},
    ),
    # curly_possessive_tail: "X, Baja California’s secretary general of the government"
    (
        "curly_possessive_tail",
        "The photo shows Casimiro Zárate Moll, Sonora’s secretary general of government.",
        {"Casimiro Zárate Moll"},
    ),
    (
        "curly_possessive_tail",
        "Según la prensa de Phoenix, Casimiro Zárate Moll, Arizona’s secretary of state, renunció.",
        {"Casimiro Zárate Moll"},
    ),
    # como_apposition: "a X, como nuevo secretario de ..."
    (
        "como_apposition",
        "El Cabildo de Nogales ratificó a Teodoro Quijas Ledesma, como nuevo secretario de"
        " Seguridad y Protección Ciudadana Municipal.",
        {"Teodoro Quijas Ledesma"},
    ),
    (
        "como_apposition",
        "The council confirmed Teodoro Quijas Ledesma, as the new police chief.",
        {"Teodoro Quijas Ledesma"},
    ),
    # n_initial: "Juan de Dios N, exedil de X"
    (
        "n_initial",
        "El sentenciado es Porfirio de Jesús N, exedil de Atlixco, detenido en 2018.",
        {"Porfirio de Jesús"},
    ),
    (
        "n_initial",
        "The convicted man is Porfirio de Jesús N, a former mayor of Atlixco.",
        {"Porfirio de Jesús"},
    ),
]


@pytest.mark.parametrize(("rule", "text", "expect"), CASES, ids=[c[0] for c in CASES])
def test_offi_rules(tagger: Tagger, rule: str, text: str, expect: set[str]) -> None:
    assert people(tagger.tag(text, published=D)) == expect


# role-by-date: not_the_holder and subnational_qualifier (the federal security secretary on
# the date is the watchlist's; a local office of the same name is someone else)
@pytest.mark.parametrize(
    ("text", "expect"),
    [
        (
            "El nuevo secretario de Seguridad y Protección Ciudadana Municipal rindió protesta.",
            set(),
        ),
        ("The secretary of security and citizen protection of the state resigned.", set()),
        (
            "El secretario de Seguridad y Protección Ciudadana habló en Sinaloa.",
            {"rosa-icela-rodriguez"},
        ),
        ("El próximo fiscal general de la República será elegido por el Senado.", set()),
        ("The incoming Mexican attorney general will be chosen in the Senate.", set()),
        ("El fiscal general de la República viajó a Sinaloa.", {"alejandro-gertz-manero"}),
    ],
)
def test_offi_role_by_date(tagger: Tagger, text: str, expect: set[str]) -> None:
    assert {o.id for o in tagger.tag(text, published=D).officials} == expect


# ex_space_title: "ex gobernador" written apart is the title (kept as the role: a former office)
@pytest.mark.parametrize(
    ("text", "expect"),
    [
        (
            "Fue detenido el ex gobernador Anselmo Quiñones Riva en su rancho.",
            {("Anselmo Quiñones Riva", "ex gobernador")},
        ),
        (
            "Police arrested ex mayor Rodrigo Pellicer Ames on Tuesday.",
            {("Rodrigo Pellicer Ames", "ex mayor")},
        ),
    ],
)
def test_offi_ex_space_title(tagger: Tagger, text: str, expect: set[tuple[str, str]]) -> None:
    res = tagger.tag(text, published=D)
    assert {(o.name, o.role) for o in res.other_officials} == expect
