"""Issue 14, sixth round (border_rules): English and Spanish cases for each rule, fictional
text written for these tests (invented people; places and groups are the watchlist's)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from config.watchlist_loader import load_watchlist
from extractors.tagger import Tagger, TagResult

ROOT = Path(__file__).resolve().parents[2]
D = dt.date(2023, 5, 1)


@pytest.fixture(scope="module")
def tagger() -> Tagger:
    return Tagger(load_watchlist(ROOT / "config" / "watchlist.yaml"))


def states(res: TagResult) -> set[str]:
    return {s.id for s in res.states}


def groups(res: TagResult) -> set[str]:
    return {g.id for g in res.groups}


# ------------------------------------------------------------------ border_twin


@pytest.mark.parametrize(
    ("text", "expect"),
    [
        ("Shelters in Brownsville and Matamoros filled up over the weekend.", {"tamaulipas"}),
        ("Bridge traffic between Juárez and El Paso slowed on Monday.", {"chihuahua"}),
        ("Police found a body in Juarez, the city across from El Paso.", {"chihuahua"}),
        ("Los albergues de Brownsville y Matamoros se llenaron el fin de semana.", {"tamaulipas"}),
        ("El tránsito entre El Paso y Juárez se detuvo el lunes.", {"chihuahua"}),
        (
            "Vendors wait at the crossing between Brownsville, Texas, and Matamoros, Mexico.",
            {"tamaulipas"},
        ),
        ("Mayors of Juarez, Mexico and El Paso, Texas signed a water deal.", {"chihuahua"}),
        ("A truck stalled on the bridge linking Matamoros to Brownsville.", {"tamaulipas"}),
        ("Un camión se descompuso en el puente que une Matamoros con Brownsville.", {"tamaulipas"}),
        # merely in the same text as the US city: not pinned
        ("Migrants crossed into El Paso from Juarez over the weekend.", set()),
        ("Los migrantes llegaron a Matamoros; otros esperan en Reynosa.", {"tamaulipas"}),
        # no US twin at all: the ambiguous name stays unpinned
        ("Families in Matamoros and Saltillo waited for news.", {"coahuila"}),
    ],
)
def test_border_twin(tagger: Tagger, text: str, expect: set[str]) -> None:
    assert states(tagger.tag(text, published=D)) == expect


def test_border_twin_picks_the_city(tagger: Tagger) -> None:
    res = tagger.tag("Lines at the El Paso-Juárez crossings grew.", published=D)
    assert states(res) == {"chihuahua"}
    assert "ciudad-juarez-chih" in res.places


# ------------------------------------------------------------------ dog_breed


@pytest.mark.parametrize(
    ("text", "expect"),
    [
        ("The shelter asked families to adopt a Chihuahua or another small dog.", set()),
        ("These small dogs are loyal. Chihuahua owners say they bark a lot.", set()),
        ("Vets say the Chihuahua is a breed prone to dental problems.", set()),
        ("Adoptamos un perro de raza Chihuahua en el refugio.", set()),
        ("Mi vecino tiene un Chihuahua que ladra; es un perro pequeño y nervioso.", set()),
        # the state, even near a dog word
        ("Police dogs searched a ranch in Chihuahua after the shooting.", {"chihuahua"}),
        ("Los perros de la policía rastrearon un rancho en Chihuahua.", {"chihuahua"}),
        ("A dog was rescued in Chihuahua state, officials said.", {"chihuahua"}),
        # no dog word: the state
        ("Ranchers in the north complain that a Chihuahua dam is dry.", {"chihuahua"}),
    ],
)
def test_dog_breed(tagger: Tagger, text: str, expect: set[str]) -> None:
    assert states(tagger.tag(text, published=D)) == expect


# ------------------------------------------------------------------ street_in_place


@pytest.mark.parametrize(
    ("text", "expect"),
    [
        ("Gunmen left a body on a Culiacán street early Sunday.", {"sinaloa"}),
        ("Residents blocked a Reynosa road for hours.", {"tamaulipas"}),
        # a street named after the place (no indefinite article)
        ("The shop on Durango street in San Antonio closed.", set()),
        ("Vecinos de la calle Durango en San Antonio protestaron.", set()),
        # Spanish: the street word comes first ("una calle de Culiacán" is the city anyway)
        ("Dejaron un cuerpo en una calle de Culiacán.", {"sinaloa"}),
    ],
)
def test_street_in_place(tagger: Tagger, text: str, expect: set[str]) -> None:
    assert states(tagger.tag(text, published=D)) == expect


# ------------------------------------------------------------------ team_nickname


@pytest.mark.parametrize(
    ("text", "expect"),
    [
        ("Chivas Guadalajara tied Rayados Monterrey 1-1 in a league match.", set()),
        ("Xolos Tijuana scored twice in the second half of the game.", set()),
        ("Los Tigres Monterrey ganaron el partido de liga.", set()),
        ("Chivas Guadalajara empató con Rayados Monterrey en la jornada 5.", set()),
        # a capitalised word that is no club's nickname: the city
        ("Northern Monterrey saw heavy rain on Sunday.", {"nuevo-leon"}),
        ("Lluvias en Monterrey y Guadalajara dejaron inundaciones.", {"nuevo-leon", "jalisco"}),
    ],
)
def test_team_nickname(tagger: Tagger, text: str, expect: set[str]) -> None:
    assert states(tagger.tag(text, published=D)) == expect


# ------------------------------------------------------------------ la_familia


@pytest.mark.parametrize(
    ("text", "expect"),
    [
        (
            "Analysts say La Familia grew from a band of drug traffickers.",
            {"la-familia-michoacana"},
        ),
        (
            "La Familia cobra extorsiones a comerciantes del sur, dijo la fiscalía.",
            {"la-familia-michoacana"},
        ),
        # no crime word: a family, a show, a shop
        ("The mural at La Familia welcomes visitors every weekend.", set()),
        ("La Familia Restaurant opened a second dining room.", set()),
    ],
)
def test_la_familia(tagger: Tagger, text: str, expect: set[str]) -> None:
    assert groups(tagger.tag(text, published=D)) == expect


# ------------------------------------------------------------------ article_dropped


@pytest.mark.parametrize(
    ("text", "expect"),
    [
        ("Gente Nueva and Linea gunmen traded fire near a ranch.", {"gente-nueva", "la-linea"}),
        (
            "Pistoleros de Gente Nueva y Linea se balearon cerca de un rancho.",
            {"gente-nueva", "la-linea"},
        ),
        ("Gunmen of Los Chapitos and Mayos fought again.", {"los-chapitos", "la-mayiza"}),
        # a surname coordinated with a group is no group
        ("Gente Nueva and Paredes were named in the report.", {"gente-nueva"}),
        ("Gente Nueva y Granados aparecen en el informe.", {"gente-nueva"}),
    ],
)
def test_article_dropped(tagger: Tagger, text: str, expect: set[str]) -> None:
    assert groups(tagger.tag(text, published=D)) == expect


# ------------------------------------------------------------------ rojos_of_the_gulf


@pytest.mark.parametrize(
    ("text", "expect"),
    [
        (
            "The Metros and the Rojos, two factions of the Gulf Cartel, fought for Reynosa.",
            {"los-metros", "rojos-cdg", "gulf-cartel"},
        ),
        (
            "Los Metros y Los Rojos, facciones del Cártel del Golfo, pelearon en Reynosa.",
            {"los-metros", "rojos-cdg", "gulf-cartel"},
        ),
        # Guerrero's Los Rojos
        (
            "Los Rojos and Los Ardillos clashed near Chilapa, Guerrero.",
            {"los-rojos", "los-ardillos"},
        ),
        ("Los Rojos y Los Ardillos se enfrentaron en Guerrero.", {"los-rojos", "los-ardillos"}),
    ],
)
def test_rojos_of_the_gulf(tagger: Tagger, text: str, expect: set[str]) -> None:
    assert groups(tagger.tag(text, published=D)) == expect


# ------------------------------------------------------------------ quoted_faction_forms


@pytest.mark.parametrize(
    ("text", "expect"),
    [
        ("Gunmen of the “Scorpions” faction set up a checkpoint.", {"los-escorpiones"}),
        (
            "Police said “Metros’ of Reynosa lost a safe house to the Zetas.",
            {"los-metros", "los-zetas"},
        ),
        ("Un convoy de los “Escorpiones” de Matamoros cruzó el puente.", {"los-escorpiones"}),
        ("Pistoleros de la célula “Metros” de Reynosa atacaron un retén.", {"los-metros"}),
        # quoted words that are no group's bare name
        ("The “Scorpions” of the local league won again.", set()),
    ],
)
def test_quoted_faction_forms(tagger: Tagger, text: str, expect: set[str]) -> None:
    assert groups(tagger.tag(text, published=D)) == expect


# ------------------------------------------------------------------ lowercase_cartel


@pytest.mark.parametrize(
    ("text", "expect"),
    [
        ("Members of the gulf cartel were arrested in the raid.", {"gulf-cartel"}),
        ("Detuvieron a integrantes del cártel de sinaloa en la redada.", {"sinaloa-cartel"}),
        # other names keep their capital letter
        ("The family said the new metros line opened.", set()),
        ("Los metros de tela se vendieron en el mercado.", set()),
    ],
)
def test_lowercase_cartel(tagger: Tagger, text: str, expect: set[str]) -> None:
    assert groups(tagger.tag(text, published=D)) == expect


# ------------------------------------------------------------------ watchlist: English names


@pytest.mark.parametrize(
    ("text", "expect"),
    [
        (
            "Gunmen of the “Hell’s Troop” patrolled the city in armored trucks.",
            {"tropa-del-infierno"},
        ),
        ("The attackers belonged to the Inferno Troop, officials said.", {"tropa-del-infierno"}),
        ("Hallaron chalecos con la leyenda Tropas del Infierno.", {"tropa-del-infierno"}),
    ],
)
def test_tropa_del_infierno_english(tagger: Tagger, text: str, expect: set[str]) -> None:
    assert groups(tagger.tag(text, published=D)) == expect


# ------------------------------------------------------------------ sea_area, vehicle / brand


@pytest.mark.parametrize(
    ("text", "expect"),
    [
        ("A tropical depression formed in the Bay of Campeche on Tuesday.", set()),
        ("La tormenta se formó en la Bahía de Campeche, informó el SMN.", set()),
        ("Pemex reportó una fuga en una plataforma de la Sonda de Campeche.", set()),
        ("Fishermen in Campeche said the sea was calm.", {"campeche"}),
        ("Los pescadores de Campeche dijeron que el mar estaba en calma.", {"campeche"}),
    ],
)
def test_sea_area(tagger: Tagger, text: str, expect: set[str]) -> None:
    assert states(tagger.tag(text, published=D)) == expect


@pytest.mark.parametrize(
    ("text", "expect"),
    [
        ("The suspect fled in a gray Durango SUV, police said.", set()),
        ("She wore Durango boots to the rodeo.", set()),
        ("El sospechoso huyó en una Durango SUV gris, dijo la policía.", set()),
        ("Gunmen attacked a Durango police post at night.", {"durango"}),
        ("Hombres armados atacaron una base policial en Durango.", {"durango"}),
    ],
)
def test_vehicle_and_brand(tagger: Tagger, text: str, expect: set[str]) -> None:
    assert states(tagger.tag(text, published=D)) == expect
