"""Tag Mexican states (directly or through a place), officials and criminal groups in a text.

One Aho-Corasick automaton over folded aliases (case- and accent-insensitive) is built once per
watchlist; ``Tagger.tag`` runs it once over the folded text, keeps whole-word hits, resolves
overlaps (the longest name wins: "Cártel de Sinaloa" hides "Sinaloa") and then applies general
context rules. The rules, in the order applied:

Match validity
  * whole words only; ``exact_aliases`` must match case-sensitively (accents ignored);
  * in mixed-case text an alias must contain a capital letter ("la paz" / "reforma" / "queso
    cotija" are words, "La Paz" is a name).

States and places (a span dropped by a rule still hides the shorter names inside it)
  * group context: after "cartel/cártel (de|del)" or before "cartel" → part of a group name;
  * venue: right after calle/avenida/av./hotel/club/colonia/estadio ... or right before
    Street/Avenue/Lake/Hotel/FC/Stadium ... → a street, venue or team ("avenida Chihuahua",
    "Hotel Colima", "Club Puebla", "Toluca Lake");
  * United States: followed by a US state name or postal code, with or without a comma
    ("Durango, Colorado", "Laredo TX", "Nogales, Ariz."), or a county ("Hidalgo County",
    "condado de Hidalgo") → not Mexican; a Mexican state abbreviation wins over a US one
    ("Apatzingán, Mich.");
  * abroad: "<name>, <country>" / "<name> (<country>)" ("Mérida, Venezuela"; not in a list of
    regions: "Chiapas, Guatemala y Honduras");
  * one sense per article: a name read as a US / foreign place is that place in all its
    mentions, unless a mention is attached to a Mexican state ("Nogales, Sonora");
  * named after a state: before sauce/cheese/dog ... or after queso/salsa/perro ...
    ("Tabasco sauce", "queso Oaxaca"); after his/her/their ... when no noun follows;
  * person: a single-word name right after a capitalised given name or an initial ("Vicente
    Guerrero", "Miguel Hidalgo", "José María Morelos"), after a title ("el fiscal Guerrero",
    "Sr. Hidalgo"), before a speech verb or ", who/quien/de 45 años" ("Guerrero dijo") → person;
  * "New/Nuevo" + name ("New Mexico State") → not the name;
  * Spanish article: states and towns take none: "el/al/del Puebla", "ante el Toluca" (teams),
    "la Sonora Santanera" (la/los/las + state) → not the place (abbreviations, "Estado de",
    "Ciudad de", crossings and ports excepted);
  * sport: in a sentence about sport, a place right after ante/contra/vs/beat/"ahead of"/
    "vencieron a" ... is the opponent team; "<team noun> de <name>" ("la selección de
    Guerrero", "el equipo de Sonora", "Sultanes de Monterrey") and an elided "y la de Sonora"
    after it are teams;
  * longer toponym: "<Capitalised> de|del <name>" where name is an ambiguous place or a hero's
    surname (Matamoros, Juárez, Hidalgo ...) and the capitalised word is not a generic head
    (Estado, Fiscalía, Costa, Sierra ...) → tail of another place name ("Tlacolula de
    Matamoros");
    In English text any "<Capitalised> de <name>" with a non-generic head is a longer name
    ("Grupo Cementos de Chihuahua");
  * longer proper name: a capitalised word right before the name that is not a sentence start,
    title, compass / institution word, acronym or another place ("Dodge Durango", "Cervecería
    Cuauhtémoc", "Puerto Morelos"); in Spanish, a capitalised word right after a one-word
    name that is not a title, given name, place or the start of a full name ("Guerrero Negro",
    "Sonora Santanera"). Not applied on Title Case / ALL CAPS lines (headlines);
  * route: places joined by hyphens after a route word (carretera, autopista, highway, pipeline,
    gasoducto, tramo ...) or before one ("the Culiacán-Mazatlán highway") are not place
    mentions, and neither is their state: GUIDE.md (the real-news labelling guide) counts no
    state or city inside a highway's name. When every end lies in ONE state, that state still
    places the event for role resolution ("el gobernador" on the "carretera
    Culiacán-Mazatlán" is Sinaloa's), but it is not tagged;
  * a state name that is also the name of its capital (Chihuahua, Colima, Oaxaca, "Mexico
    City" ...) is the state, unless written as a city ("ciudad de Chihuahua", "Chihuahua City");
  * ambiguous places (``ambiguous: true``) count only when the text pins their state: a
    candidate state named in the same sentence (nearest wins), else in the same paragraph,
    "alcaldía X" (Mexico City), or an unambiguous place of that state named in the article
    whose name contains it. A short form of a place named in full in the article IS that
    place ("Ciudad Juárez" … "Juárez" is Ciudad Juárez, not the municipality entry);
  * derived short names: "Zinapécuaro de Figueroa" → "Zinapécuaro"; "Ciudad Apodaca" →
    "Apodaca", "Ciudad General Escobedo" → "Escobedo" (always ambiguous); crossings "Puente
    (Internacional) X" → "X bridge", "X International Bridge".

Officials (role resolved at the article's date; no date = today)
  * full names and aliases; a bare surname only after the full name (or an alias) appeared
    earlier in the article (title included), or right after a title word of an office the
    person holds at the date ("el gobernador Alfaro", "Governor Abbott"); a surname right after
    another given name ("Juan Alfaro") is someone else;
  * role phrases: "el gobernador de Jalisco", "Jalisco's governor", "the Mexican president",
    "la presidenta" (grammatical gender must fit the holder), "jefa de Gobierno", "secretario de
    la Defensa", "alcalde de Culiacán", "Texas Gov." ... → whoever held that office at the date.
    "ex/former/then/entonces/candidato a" before the title → not resolved. "Mexico's new
    president", "the Mexican leader", "líder mexicano" → the president;
  * bare "el presidente" / "la presidenta" / "la mandataria" (no name, no "de ...", gender must
    fit): Mexico's president when the article is Mexican (Mexico, a Mexican place, Palacio
    Nacional, mañanera ...); when it also speaks of another country's president (Trump, "el
    presidente de Guatemala" ...), and always for English "the president", only if the same
    holder was already named in the article;
  * bare governor ("el gobernador", "la gobernadora del estado", "el mandatario estatal", "the
    governor", "the state's governor"; no name or "de X" after it): the governor already named
    in the article if exactly one; else the governor of the one state (or US state) the article
    names (a state only in the dateline counts when no other does); never when the article
    names a governor the watchlist does not know;
  * a role mention makes the holder's bare surname usable afterwards ("the Mexican leader" …
    "Sheinbaum").

Groups: every alias; a distinctive one-word name without its Spanish article is derived from
the case-insensitive aliases and matched case-sensitively ("the Chapitos", "the Mayiza").

Violence terms: whole words, case-insensitive; a trailing ``*`` in the config allows any ending.

Title: when ``title`` is given it is tagged as if prepended to ``text`` with a newline (its own
paragraph). Offsets of all mentions index ``text``; a mention found in the title has NEGATIVE
offsets: ``title[m.start + len(title) + 1 : m.end + len(title) + 1]`` is its surface.
"""

# The tagger used to be this one module; it is now the package ``extractors.tagger``, whose
# ``__init__`` keeps the old import path (``from extractors.tagger import Tagger``) and lists
# the modules. This module keeps only the long description above of the older rules.
