"""Issue 14, sixth round (groups): plural_head, prefix_forms, quoted_bare, family_cartel,
numbered_name, sports_nickname, longer_name, hyphen_partner, cartel_ellipsis, homonym_by_context,
the data.
Fictional text written for these tests; the people are invented, places and groups are the
watchlist's."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from config.watchlist_loader import load_watchlist
from extractors.tagger import Tagger, TagResult
from extractors.tagger.variants import (
    family_cartel,
    plural_head,
    prefix_forms,
    quoted_bare,
)

ROOT = Path(__file__).resolve().parents[2]
D = dt.date(2024, 5, 1)


@pytest.fixture(scope="module")
def tagger() -> Tagger:
    return Tagger(load_watchlist(ROOT / "config" / "watchlist.yaml"))


def groups(res: TagResult) -> set[str]:
    return {g.id for g in res.groups}


@pytest.mark.parametrize(
    ("text", "expect"),
    [
        # plural_head
        ("Las Tropas del Infierno bloquearon dos calles del centro.", {"tropa-del-infierno"}),
        ("Soldiers clashed with the Tropas del Infierno near the river.", {"tropa-del-infierno"}),
        # prefix_forms
        ("Detuvieron a dos integrantes de la Fuerza Antiunión en el mercado.", {"anti-union"}),
        ("Police arrested two members of the Fuerza Anti Unión downtown.", {"anti-union"}),
        ("Agents charged six members of the Antitren gang in Houston.", {"anti-tren"}),
        # quoted_bare and quoted_forms for an English 'the X' alias
        (
            "Pistoleros de “Metros” y de “Ciclones” se enfrentaron en la brecha.",
            {"los-metros", "los-ciclones"},
        ),
        ("The “Scorpions” of the border town paraded their trucks.", {"los-escorpiones"}),
        ("Rival cells, 'Metros’ and “Scorpions”, kept a truce.", {"los-metros", "los-escorpiones"}),
        # family_cartel
        ("El cártel de los hermanos Beltrán Leyva controlaba la plaza.", {"beltran-leyva"}),
        ("Gunmen of the Cártel de los hermanos Beltrán Leyva fled.", {"beltran-leyva"}),
        # lower-case cartel names (main's border_rules.lowercase_cartel since the merge)
        ("Gunmen of the gulf cartel fired at a patrol in Reynosa.", {"gulf-cartel"}),
        ("Sicarios del cártel del golfo atacaron una patrulla en Reynosa.", {"gulf-cartel"}),
        ("El cártel de santa llenó la Arena Monterrey.", set()),
    ],
)
def test_group_variant_forms(tagger: Tagger, text: str, expect: set[str]) -> None:
    assert groups(tagger.tag(text, published=D)) == expect


def test_group_variant_generators() -> None:
    assert plural_head("Tropa del Infierno") == "Tropas del Infierno"
    assert plural_head("Clan del Golfo") == "Clanes del Golfo"
    assert plural_head("Cártel del Golfo") is None
    assert plural_head("Hermanos de Pistoleros Latinos") is None
    assert prefix_forms("Fuerza Anti-Unión") == {"Fuerza Anti Unión", "Fuerza Antiunión"}
    assert prefix_forms("Los Metros") == set()
    assert '"Metros"' in quoted_bare("Los Metros")
    assert 'the "Scorpions' in quoted_bare("the Scorpions")
    assert quoted_bare("Cártel del Golfo") == set()
    assert family_cartel("Cártel de los Beltrán Leyva") == "Cártel de los hermanos Beltrán Leyva"
    assert family_cartel("Cártel del Golfo") is None


@pytest.mark.parametrize(
    ("text", "expect"),
    [
        # numbered_name: a metro / bus line, not La Línea
        ("La Línea 12 del Metro cerró tres estaciones por obras.", set()),
        ("La Línea del Metrobús tendrá horario especial el domingo.", set()),
        ("Riders waited as La Línea 3 resumed service.", set()),
        # the group itself still counts
        (
            "La Línea, brazo armado del Cártel de Juárez, atacó a dos agentes.",
            {"la-linea", "juarez-cartel"},
        ),
        ("Gunmen of La Línea attacked a bar, officials said.", {"la-linea"}),
        # sports_nickname: an ordinary-word name in a sentence about sport
        ("Los Rojos ganaron el juego de béisbol con un jonrón en la novena entrada.", set()),
        ("Los Rojos won the league game at the stadium on Sunday.", set()),
        ("Los Rojos atacaron a los pobladores de Chilapa, Guerrero.", {"los-rojos"}),
        ("Los Rojos ambushed villagers near Chilapa, Guerrero.", {"los-rojos"}),
        # longer_name: 'de/del' + a capitalised word that is no place or group of the text
        ("Un colegio de los Legionarios de Cristo abrió en Puebla.", set()),
        ("A school run by the Legionarios de Cristo opened in Puebla.", set()),
        ("Los Metros de Reynosa atacaron a una patrulla.", {"los-metros"}),
        ("Gunmen of Los Metros del CDG attacked a patrol.", {"los-metros", "gulf-cartel"}),
    ],
)
def test_group_name_as_something_else(tagger: Tagger, text: str, expect: set[str]) -> None:
    assert groups(tagger.tag(text, published=D)) == expect


@pytest.mark.parametrize(
    ("text", "expect"),
    [
        # homonym_by_context: the Gulf Cartel cell in Tamaulipas, the Guerrero group elsewhere
        ("Los Rojos atacaron a una patrulla en Reynosa.", {"rojos-cdg"}),
        (
            "The Rojos answer to the Gulf Cartel in Reynosa.",
            {"rojos-cdg", "gulf-cartel"},
        ),
        ("Los Rojos atacaron a una patrulla en Chilpancingo.", {"los-rojos"}),
        ("Los Rojos attacked a patrol in Chilpancingo and Reynosa.", {"los-rojos"}),
    ],
)
def test_homonym_by_context(tagger: Tagger, text: str, expect: set[str]) -> None:
    assert groups(tagger.tag(text, published=D)) == expect


@pytest.mark.parametrize(
    ("text", "expect"),
    [
        # data added in the sixth round (watchlist entries and aliases)
        ("Una célula de El Maíz bloqueó la carretera en Frontera Comalapa.", {"el-maiz"}),
        ("Members of the so-called Fundación Maíz blocked a road.", {"el-maiz"}),
        (
            "Hubo choques con la facción Mayo Zambada del Cártel de Sinaloa.",
            {"la-mayiza", "sinaloa-cartel"},
        ),
        (
            "Gunmen of the Cártel de Chiapas y Guatemala clashed with soldiers.",
            {"cartel-chiapas-guatemala"},
        ),
        ("Detuvieron a tres integrantes del Cártel de Tepito.", {"cartel-de-tepito"}),
        ("Banners signed by CDG Nueva Era hung from a bridge.", {"cdg-nueva-era"}),
        ("El maíz subió de precio en Chiapas.", set()),
        ("The United Warriors gang was blamed for the attack.", {"guerreros-unidos"}),
        ("Zambada’s faction took the hill after a long night of shooting.", {"la-mayiza"}),
        (
            "Sicarios de United Warriors, como los llama la prensa en inglés, huyeron.",
            {"guerreros-unidos"},
        ),
    ],
)
def test_sixth_round_groups_data(tagger: Tagger, text: str, expect: set[str]) -> None:
    assert groups(tagger.tag(text, published=D)) == expect


@pytest.mark.parametrize(
    ("text", "expect"),
    [
        # hyphen_partner: the bare name hyphenated to a group is that group too
        ("The Chapitos-Mayos war emptied the streets of Culiacán.", {"los-chapitos", "la-mayiza"}),
        ("La guerra Mayos–Chapitos vació las calles de Culiacán.", {"los-chapitos", "la-mayiza"}),
        # alone, the bare word stays an ordinary word or a people's name
        ("Mayos and Yaquis held a festival in Navojoa.", set()),
        ("La frontera México-Estados Unidos amaneció cerrada.", set()),
    ],
)
def test_hyphen_partner(tagger: Tagger, text: str, expect: set[str]) -> None:
    assert groups(tagger.tag(text, published=D)) == expect


def _states(res: TagResult) -> set[str]:
    return {st.id for st in res.states}


@pytest.mark.parametrize(
    ("text", "expect", "expect_states"),
    [
        # cartel_ellipsis: "el de X" after a cartel, or after "cárteles como"
        (
            "La guerra entre el Cártel de Sinaloa y el de Jalisco Nueva Generación siguió.",
            {"sinaloa-cartel", "cjng"},
            set(),
        ),
        ("El CJNG y el de Juárez se disputan la sierra.", {"cjng", "juarez-cartel"}, set()),
        (
            "La guerra del Cártel de Sinaloa contra el de Jalisco dejó cien muertos.",
            {"sinaloa-cartel", "cjng"},
            set(),
        ),
        (
            "Operan cárteles como el de Sinaloa y el del Golfo.",
            {"sinaloa-cartel", "gulf-cartel"},
            set(),
        ),
        ("El Cártel del Golfo y el de la colonia vecina no se conocen.", {"gulf-cartel"}, set()),
        # English text quoting the Spanish; an English 'that of' is left alone
        (
            'Residents blamed "el Cártel de Sinaloa y el de Juárez" for the fires.',
            {"sinaloa-cartel", "juarez-cartel"},
            set(),
        ),
        ("The Gulf Cartel and that of Juárez met in Chihuahua.", {"gulf-cartel"}, {"chihuahua"}),
    ],
)
def test_cartel_ellipsis(
    tagger: Tagger, text: str, expect: set[str], expect_states: set[str]
) -> None:
    res = tagger.tag(text, published=D)
    assert (groups(res), _states(res)) == (expect, expect_states)
