"""Issue 14, sixth round (``extractors/tagger/local_names.py``): names of local things that
carry a state's or a town's name. Each rule has English and Spanish cases and a control that
still names the state. Fictional text written for these tests; people are invented, places
are the watchlist's."""

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


def states(res: TagResult) -> set[str]:
    return {s.id for s in res.states}


def _check(tagger: Tagger, text: str, expect: set[str]) -> None:
    assert states(tagger.tag(text, published=D)) == expect, text


# ------------------------------------------------------------------ venue_head_name


@pytest.mark.parametrize(
    ("text", "expect"),
    [
        ("Los vecinos se reunieron en la plaza Hidalgo antes de la misa.", set()),
        ("El cuerpo fue hallado en el panteón Jalisco, en Tepic.", {"nayarit"}),
        ("La kermés será en el parque Morelos y en el jardín Zaragoza.", set()),
        ("Fue velado en la funeraria Durango y sepultado el lunes.", set()),
        ("Los productores del ejido Sinaloa pidieron agua para el riego.", set()),
        ("The vigil was held at Plaza Hidalgo downtown.", set()),
        ("Mourners gathered at the Panteón Jalisco in Tepic.", {"nayarit"}),
        # control: "la plaza de Sinaloa" (a territory) still names the state
        ("La plaza de Sinaloa está en disputa desde hace un año.", {"sinaloa"}),
    ],
)
def test_venue_head_name(tagger: Tagger, text: str, expect: set[str]) -> None:
    _check(tagger, text, expect)


# ------------------------------------------------------------------ hero_de_tail


@pytest.mark.parametrize(
    ("text", "expect"),
    [
        ("Nació en Chalcatongo de Hidalgo, en la Mixteca de Oaxaca.", {"oaxaca"}),
        ("El choque fue en la alcaldía Cuajimalpa de Morelos, rumbo a la caseta.", set()),
        ("The crash happened in Cuajimalpa de Morelos, near the toll booth.", set()),
        # controls: agencies and regions of the state
        (
            "La Contraloría de Hidalgo y la Fiscalía de Morelos investigan el desvío.",
            {"hidalgo", "morelos"},
        ),
        ("En la Tierra Caliente de Guerrero hubo dos balaceras.", {"guerrero"}),
        ("Hidalgo de nuevo encabeza la lista de lluvias.", {"hidalgo"}),
    ],
)
def test_hero_de_tail(tagger: Tagger, text: str, expect: set[str]) -> None:
    _check(tagger, text, expect)


# ------------------------------------------------------------------ other_tail_town


@pytest.mark.parametrize(
    ("text", "expect"),
    [
        ("La delegación de Acatlán de Pérez Figueroa bailó en la Guelaguetza.", set()),
        ("Dancers from Acatlán de Pérez Figueroa opened the fair.", set()),
        # control: the short form alone is the gazetteer's town
        ("Llegaron a Acatlán para la feria del fin de semana.", {"puebla"}),
    ],
)
def test_other_tail_town(tagger: Tagger, text: str, expect: set[str]) -> None:
    _check(tagger, text, expect)


# ------------------------------------------------------------------ municipal_office_of + one sense


@pytest.mark.parametrize(
    ("text", "expect"),
    [
        (
            "El alcalde de Morelos, Julián Treviño Garza, inauguró la feria. En Morelos habrá"
            " verbena el domingo.",
            set(),
        ),
        ("La presidenta municipal de Hidalgo inauguró la obra del mercado.", set()),
        ("The mayor of Hidalgo, Ray Dunlap, closed the shelter.", set()),
        # hero_town_one_sense after "municipio de"
        (
            "En el municipio de Guerrero hallaron un cuerpo. La fiscalía dijo que Guerrero"
            " registra tres homicidios este año.",
            set(),
        ),
        # controls: the governor of a state; "estado de" keeps the state
        ("El gobernador de Morelos visitó Cuautla.", {"morelos"}),
        (
            "En el municipio de Hidalgo, Nuevo León, hubo lluvias, mientras en el estado de"
            " Hidalgo cayó granizo.",
            {"nuevo-leon", "hidalgo"},
        ),
    ],
)
def test_municipal_office_of(tagger: Tagger, text: str, expect: set[str]) -> None:
    _check(tagger, text, expect)


# ------------------------------------------------------------------ club_name


@pytest.mark.parametrize(
    ("text", "expect"),
    [
        ("El Racing de Veracruz venció 2-0 al Deportivo de Guerrero.", set()),
        ("Racing de Veracruz beat the visitors 2-0 on Saturday.", set()),
        ("El partido se jugó en Veracruz ante diez mil aficionados.", {"veracruz"}),
    ],
)
def test_club_name(tagger: Tagger, text: str, expect: set[str]) -> None:
    _check(tagger, text, expect)


# ------------------------------------------------------------------ association_name


@pytest.mark.parametrize(
    ("text", "expect"),
    [
        (
            "La Coordinadora Estatal de Trabajadores de la Educación de Guerrero bloqueó la"
            " autopista.",
            set(),
        ),
        ("La Cámara Nacional de Comercio de Tabasco pidió más patrullas.", set()),
        ("El Consejo Coordinador Empresarial de Chihuahua criticó la medida.", set()),
        ("El Frente Cívico de Tamaulipas pidió la renuncia del edil.", set()),
        ("The Tecnológico de Monterrey opened a campus.", set()),
        # control: a state council is an agency of the state
        ("El Consejo Estatal de Seguridad de Guerrero sesionó el lunes.", {"guerrero"}),
    ],
)
def test_association_name(tagger: Tagger, text: str, expect: set[str]) -> None:
    _check(tagger, text, expect)


# ------------------------------------------------------------------ acronym_chapter


@pytest.mark.parametrize(
    ("text", "expect"),
    [
        ("La CNC-Oaxaca pidió apoyos para los productores de café.", set()),
        ("The CNTE-Oaxaca teachers marched on Monday.", set()),
        # control: a state's own acronym makes a route, not a chapter
        ("Un tráiler volcó en Culiacán, Sinaloa, cerca de la caseta.", {"sinaloa"}),
    ],
)
def test_acronym_chapter(tagger: Tagger, text: str, expect: set[str]) -> None:
    _check(tagger, text, expect)


# ------------------------------------------------------------------ camino_route (ROUTE_BEFORE)


@pytest.mark.parametrize(
    ("text", "expect"),
    [
        ("Reparan el camino E.C. (Villahermosa–Chetumal) cerca de la caseta.", set()),
        ("La brecha Ojinaga-Coyame quedó cerrada por la lluvia.", set()),
        ("Gunmen blocked the brecha Ojinaga-Coyame on Sunday.", set()),
        # control: the town alone is a place
        ("Llovió en Ojinaga durante toda la noche.", {"chihuahua"}),
    ],
)
def test_camino_route(tagger: Tagger, text: str, expect: set[str]) -> None:
    _check(tagger, text, expect)


# ------------------------------------------------- sports_team_name + team_one_sense


@pytest.mark.parametrize(
    ("text", "expect"),
    [
        # subject and object of a match result; one sense for the later bare mention
        ("Querétaro venció 3-1 a Puebla en la jornada 12. Puebla sumó tres puntos menos.", set()),
        # team_one_sense: a later bare mention, the next element of a list after a team
        (
            "Querétaro venció 3-1 a Puebla en la jornada 12. Puebla sorprendió al minuto 33"
            " con un gol.",
            set(),
        ),
        ("La jornada abrió con el Club Puebla y Querétaro, con goles en el estadio.", set()),
        # results of; a list after a team
        (
            "Con el empate, el torneo sigue: los triunfos de Veracruz y Morelia complicaron la"
            " tabla del descenso.",
            set(),
        ),
        # standings numbers
        ("Querétaro (6) trails Puebla (7) in the league standings after Saturday's goals.", set()),
        # controls: places in a sports report, a dateline, a text that is not a sports report
        (
            "La liga anunció que el torneo se jugará en Guadalajara y Monterrey tendrá la final"
            " en su estadio.",
            {"jalisco", "nuevo-leon"},
        ),
        ("En Puebla ganó el equipo local 2-0 ante su afición en la jornada 3.", {"puebla"}),
        (
            "PUEBLA, Puebla.- El Puebla cayó 0-1 en la jornada 5 del torneo. Puebla se quedó"
            " con 3 puntos.",
            {"puebla"},
        ),
        (
            "Guanajuato superó a Chihuahua en homicidios dolosos durante el primer trimestre.",
            {"guanajuato", "chihuahua"},
        ),
    ],
)
def test_sports_team_name(tagger: Tagger, text: str, expect: set[str]) -> None:
    _check(tagger, text, expect)


# ------------------------------------------------------------------ village_of_other_state


@pytest.mark.parametrize(
    ("text", "expect"),
    [
        (
            "En Cuernavaca, Morelos, hallaron a una mujer en el poblado de Tezoyuca, cerca de la"
            " avenida principal.",
            {"morelos"},
        ),
        (
            "The body was found in the village of Tezoyuca; state police in Morelos are"
            " investigating.",
            {"morelos"},
        ),
        # controls: the town's own state named, another of its places named, no other state
        ("Hallaron un cuerpo en el poblado de Tezoyuca, Estado de México.", {"estado-de-mexico"}),
        (
            "Vecinos de la comunidad de Tezoyuca y de Texcoco bloquearon la carretera; la Ciudad"
            " de México envió pipas.",
            {"ciudad-de-mexico", "estado-de-mexico"},
        ),
        ("La comunidad de Ocoyoacac recibió apoyos.", {"estado-de-mexico"}),
    ],
)
def test_village_of_other_state(tagger: Tagger, text: str, expect: set[str]) -> None:
    _check(tagger, text, expect)
