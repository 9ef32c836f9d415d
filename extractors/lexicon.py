"""Word lists the tagger's context rules use (folded: lowercase, no accents).

These are linguistic resources (Spanish and English), not gazetteer data: titles that precede a
person's name, frequent given names, words that turn a following/preceding toponym into the name
of a street, venue or team, US state names, speech verbs, route words ...
"""

from __future__ import annotations


def words(text: str) -> list[str]:
    """The whitespace-separated words of ``text`` (keeps long word lists readable)."""
    return text.split()


# Month names in their written form, January first: the demo site's dates and the tagger's
# dateline rule (which folds them and adds the variant "setiembre").
MONTHS_ES: tuple[str, ...] = tuple(
    words(
        """enero febrero marzo abril mayo junio julio agosto septiembre octubre noviembre
        diciembre"""
    )
)
MONTHS_EN: tuple[str, ...] = tuple(
    words(
        """January February March April May June July August September October November
        December"""
    )
)

# A toponym right after one of these is the name of a street, venue, team ... (not the place).
VENUE_BEFORE = frozenset(
    words(
        """calle avenida av av. avda avda. avenue ave ave. bulevar boulevard blvd blvd. calzada
        calz calz. paseo privada andador glorieta circuito prolongacion periferico hotel motel
        hostal club colonia col. fraccionamiento fracc fracc. estadio stadium restaurante
        restaurant bar cantina cafe cafeteria taqueria escuela colegio primaria secundaria cine
        teatro edificio torre deportivo equipo condado county salon mercado supermercado tienda
        barrio unidad"""
    )
)
# ... or right before one of these.
VENUE_AFTER = frozenset(
    words(
        """street st st. avenue ave ave. road rd rd. boulevard blvd blvd. drive lane lake county
        hotel motel restaurant grill cafe bar club fc f.c. stadium mall market school elementary
        high apartments bakery tacos cantina fc. sc"""
    )
)
# A toponym after "<X> de" where X is one of these is still the toponym ("Fiscalía de Guerrero",
# "la Costa Chica de Guerrero"). After any other capitalised X it is part of a longer name
# ("Tlacolula de Matamoros") when the toponym is a person's surname or an ambiguous place.
GENERIC_HEADS = frozenset(
    words(
        """estado ciudad municipio municipal gobierno fiscalia procuraduria secretaria congreso
        policia universidad puerto capital region zona area norte sur centro oriente poniente
        occidente noreste noroeste sureste suroeste costa chica grande caliente tierra sierra
        montana altos valles valle bajio huasteca istmo mixteca frontera golfo entidad diocesis
        arquidiocesis obispado penal carcel cereso aeropuerto hospital general tribunal juzgado
        consejo comision instituto camara colegio delegacion alcaldia ayuntamiento cabildo
        presidencia gobernador gobernadora alcalde alcaldesa fiscal jefe jefa sur norte pueblo
        pueblos comunidad comunidades localidad ejido ranchos rancho carretera autopista zonas
        municipios estados ciudades habitantes vecinos pobladores sociedad iglesia obispo cruz
        roja guardia nacional ejercito marina sedena semar fgr fge ssp sspc cartel cartel
        periferia afueras limites corredor ruta"""
    )
)
# Titles / nouns that introduce a person's name: "el fiscal Juan Guerrero", "Sr. Hidalgo".
PERSON_TITLES = frozenset(
    words(
        """senor senora sr sr. sra sra. srta don dona mr mr. mrs mrs. ms ms. dr dr. dra dra. lic
        lic. licenciado licenciada ing ing. ingeniero diputado diputada senador senadora sen
        sen. rep rep. representative comandante capitan capitana teniente coronel sargento sgt
        sgt. lt lt. capt capt. cabo agente agent officer oficial sheriff deputy detective juez
        jueza judge magistrado magistrada obispo padre sacerdote profesor profesora maestro
        maestra periodista reportero reportera activista abogado abogada empresario empresaria
        doctor doctora vocero vocera portavoz spokesman spokeswoman fiscal prosecutor regidor
        regidora sindico sindica candidato candidata militante lider dirigente pastor hermano
        hermana hijo hija esposo esposa sobrino sobrina primo prima tio tia joven menor senor.
        mister miss madam madame"""
    )
)
# Verbs that follow or precede a person's name ("Guerrero dijo", "said Hidalgo").
SPEECH_VERBS = frozenset(
    words(
        """dijo dice decia declaro afirmo aseguro indico senalo explico anadio agrego comento
        sostuvo advirtio pidio insistio reconocio respondio confirmo nego escribio recordo
        subrayo lamento detallo denuncio acuso informo preciso expreso manifesto cuestiono
        considero said says told added explained declared affirmed noted claimed stated
        confirmed denied wrote warned asked argued insisted acknowledged recalled testified
        tweeted posted admitted responded replied"""
    )
)
SPEECH_BEFORE = frozenset(
    words(
        """dijo declaro afirmo anadio agrego explico senalo indico aseguro said added told
        explained noted"""
    )
)
# Common given names (folded). A capitalised one right before a surname-like toponym makes it a
# person ("Vicente Guerrero", "Miguel Hidalgo", "Juan Guerrero").
GIVEN_NAMES = frozenset(
    words(
        """jose juan luis carlos jorge miguel francisco antonio pedro manuel jesus javier alejandro
        fernando ricardo roberto eduardo rafael sergio arturo alberto mario raul enrique oscar
        victor hector daniel david martin pablo andres diego gerardo ramon salvador rodrigo
        ignacio guillermo alfredo alfonso armando gustavo adrian hugo ruben omar ernesto rogelio
        marco marcos cesar julio jaime felipe santiago sebastian emilio emiliano benito vicente
        venustiano lazaro alvaro agustin ivan tomas nicolas gabriel samuel joaquin teodoro
        octavio leonardo mauricio gilberto abel abraham adolfo aurelio baltazar bernardo
        clemente cristobal efrain eleazar eliseo esteban evaristo fabian federico felix gonzalo
        heriberto hilario isidro jacinto jeronimo leopoldo lorenzo lucio margarito melchor
        moises nazario noe pascual porfirio reynaldo rigoberto saul silvestre timoteo ulises
        valentin wenceslao zacarias cuauhtemoc plutarco dionisio narciso genaro mariano
        marcelino maria guadalupe rosa ana juana josefa carmen leticia patricia elena laura
        sofia lucia isabel teresa veronica claudia adriana gabriela alejandra mariana fernanda
        daniela andrea monica sandra silvia martha marta norma beatriz alicia araceli yolanda
        lorena paola diana karla karina rocio margarita susana irma josefina esperanza dolores
        angelica griselda cecilia ximena valeria regina victoria luz estela gloria ofelia olga
        raquel john james robert michael william richard joseph thomas charles christopher mark
        paul steven kevin brian george edward ronald anthony ryan jason matthew gary timothy
        larry jeffrey frank scott eric stephen andrew raymond gregory joshua jerry dennis walter
        patrick peter harold douglas henry arthur greg doug chad pete troy chris rodney kristi
        katie gavin michelle jennifer linda elizabeth barbara susan jessica sarah karen nancy
        lisa betty dorothy sandra ashley kimberly donna emily carol amanda melissa deborah
        stephanie rebecca sharon cynthia kathleen amy angela shirley anna brenda pamela nicole
        emma ruth janet"""
    )
)
# Toponyms that are also the surnames of historical figures: after "<Capitalised> de" they are
# usually the tail of a longer place name ("Tlacolula de Matamoros", "Naucalpan de Juárez").
HERO_SURNAMES = frozenset(
    words(
        """hidalgo morelos guerrero juarez matamoros zaragoza allende aldama madero obregon
        cardenas carranza zapata victoria bravo galeana abasolo comonfort arteaga ocampo
        escobedo lerdo alvarez iturbide mina rayon degollado mier teran"""
    )
)
# Words that start a route name built from two places: "carretera Culiacán-Mazatlán";
# ``camino_route`` (issue 14, sixth round): rural roads and junctions, "el camino E.C.
# (Villahermosa–Chetumal)", "la brecha Ojinaga-Coyame", "el entronque Mazatlán-Durango"
ROUTE_BEFORE = frozenset(
    words(
        """carretera autopista libramiento tramo gasoducto oleoducto poliducto ducto acueducto
        ferrocarril tren via ruta corredor supercarretera maxipista highway freeway expressway
        pipeline railway railroad road route corridor toll camino caminos brecha entronque"""
    )
)
ROUTE_AFTER = frozenset(
    words(
        """highway freeway expressway pipeline railway railroad road route corridor toll motorway"""
    )
)
# Names that, after a place and an optional comma, put it in the United States.
US_STATE_WORDS = frozenset(
    words(
        """texas tex. arizona ariz. california calif. colorado colo. oklahoma okla. nevada nev.
        utah florida fla. illinois ill. georgia louisiana la. kansas kan. missouri mo. nebraska
        neb. iowa ohio michigan mich. washington wash. oregon ore. idaho montana wyoming wyo.
        dakota minnesota minn. wisconsin wis. tennessee tenn. kentucky ky. alabama ala.
        mississippi miss. arkansas ark. indiana ind. virginia carolina maryland md. delaware
        del. jersey york pennsylvania pa. massachusetts mass. connecticut conn. vermont vt.
        maine hampshire alaska hawaii"""
    )
)
US_STATE_CODES = frozenset(
    words(
        """TX AZ CA NM CO OK NV UT FL IL GA LA KS MO NE IA OH MI WA OR ID MT WY ND SD MN WI TN KY
        AL MS AR IN VA NC SC MD DE NJ NY PA MA CT VT ME NH AK HI"""
    )
)
US_TWO_WORD = ("new mexico", "n.m.", "new york", "new jersey", "n.y.", "n.j.", "n.c.", "s.c.")
# US jurisdictions of the officials' data (us-governor).
US_JURISDICTION_NAMES = {
    "texas": "us-tx",
    "arizona": "us-az",
    "new mexico": "us-nm",
    "california": "us-ca",
}
# Spanish/English determiners that may precede a person's title: "el gobernador", "la alcaldesa".
FORMER_WORDS = frozenset(
    words(
        """ex former then entonces otrora exgobernador exalcalde expresidente candidato candidata
        aspirante virtual"""
    )
)
# Heads that are generic words: "Valle de Bravo" is not shortened to "Valle".
DERIVED_HEAD_STOP = frozenset(
    words(
        """valle ciudad villa puerto real santa santo nuevo nueva playa playas tierra cerro lagos
        cabo bahia isla colonia pueblo rancho hacienda heroica mineral salinas salina rincon
        pabellon puente presa laguna barra estacion congregacion ejido general victoria dolores
        soledad concepcion asuncion natividad magdalena trinidad"""
    )
)
# Words that are not content words of a name ("La Familia Michoacana": Familia, Michoacana).
FUNCTION_WORDS = frozenset(words("""la el los las de del y e en a al the of and da do das dos"""))
# "el segundo presidente de México", "the first Indigenous president of Mexico": historical.
ORDINALS = frozenset(
    words(
        """primer primera primero segundo segunda tercer tercera tercero cuarto cuarta quinto
        quinta ultimo ultima first second third fourth fifth sixth last late"""
    )
)
# A sentence with one of these makes "<Plural> de <place>" a team name.
SPORTS_CUES = frozenset(
    words(
        """equipo club beisbol futbol liga partido estadio jugador jugadores aficion afición
        marcador gol goles temporada torneo team baseball soccer football league match game
        season stadium goal goals scored win wins won victory standings playoff playoffs coach
        jornada liguilla copa cup campeon champion campeonato empate empataron tied seleccion
        entrenador"""
    )
)
# Team nouns: "la selección de Guerrero", "el equipo de Sonora" → a team, not the state.
TEAM_HEADS = frozenset(
    words(
        """seleccion selecciones equipo equipos club representativo quinteta novena once escuadra
        plantel squad team"""
    )
)
# In a sentence about sport, a place right after one of these is the opponent team ("cayó ante
# el Toluca", "beat Monterrey", "ahead of Toluca").
SPORTS_OPPONENT_BEFORE = frozenset(
    words(
        """ante contra vs vs. versus against beat beats beating defeated defeat defeats edged
        routed visit visits visiting host hosts hosting"""
    )
)
SPORTS_OPPONENT_BEFORE2 = frozenset(
    words(
        """ahead behind vencio vencieron derroto derrotaron goleo golearon supero superaron
        enfrenta enfrentara enfrentaron enfrento recibe recibira recibio visita visitara visito
        empato empataron elimino eliminaron"""
    )
)
# Nouns that make a state's name a thing named after it ("Tabasco sauce", "queso Oaxaca",
# "a Chihuahua dog", "a gray Durango SUV", "Durango boots").
COMMON_NOUN_AFTER = frozenset(
    words(
        """sauce sauces cheese pepper peppers chili chile chiles dog dogs puppy puppies breed
        suv suvs boots"""
    )
)
COMMON_NOUN_BEFORE = frozenset(
    words("""queso quesillo salsa chile chiles perro perros perrito perrita raza""")
)
# English possessive determiners: "his Chihuahua" is a dog, not the state — when no noun
# follows ("their Sinaloa stronghold" is the state).
POSSESSIVES_EN = frozenset(words("""his her my your our their its"""))
AFTER_NOUN_USE = frozenset(
    words("""behind at in on to and or was is had has that who named called with from""")
)
# Capitalised words that may stand right before a state / place name without making it part of
# a longer proper name ("Mexico's Sinaloa state", "Northern Sinaloa", "Gobierno Sinaloa").
NAME_PREFIX_OK = frozenset(
    words(
        """mexico mexico's mexican mexicana mexicano northern southern eastern western central
        northeastern northwestern southeastern southwestern north south east west norte sur
        oriente poniente centro state estado greater metro gov gov. governor
        gobernador gobernadora mayor alcalde alcaldesa u.s. us civil publica seguridad salud
        judicial estatal ciudadana ministerial proteccion gobierno fiscalia policia congreso
        secretaria poder instituto universidad"""
    )
)
# Capitalised words that may follow a state / place name in Spanish text without making it part
# of a longer proper name.
NAME_SUFFIX_OK = frozenset(
    words("""sur norte nueva nuevo estado state city capital centro oriente poniente""")
)
# Other countries (folded): "<place>, <country>" is a place abroad ("Mérida, Venezuela").
FOREIGN_COUNTRIES = frozenset(
    words(
        """espana spain argentina venezuela colombia chile peru ecuador bolivia uruguay paraguay
        brasil brazil honduras guatemala nicaragua panama cuba haiti italia italy francia france
        portugal filipinas philippines canada canadá belice belize alemania germany"""
    )
)
FOREIGN_TWO_WORD = (
    "costa rica",
    "el salvador",
    "puerto rico",
    "republica dominicana",
    "dominican republic",
)
# Very common Hispanic surnames: a place short name equal to one of them ("Ciudad Guzmán" ->
# "Guzmán") is not derived.
COMMON_SURNAMES = frozenset(
    words(
        """garcia lopez hernandez martinez gonzalez perez sanchez ramirez torres flores rivera
        gomez diaz reyes morales cruz ortiz gutierrez chavez ramos ruiz alvarez mendoza castillo
        jimenez vazquez romero herrera medina aguilar moreno guzman rodriguez fernandez castro
        vargas salazar ortega delgado estrada nunez rojas soto contreras silva luna mejia
        dominguez"""
    )
)
# Words that point to another country's head of state ("el presidente de Estados Unidos").
FOREIGN_PRESIDENT_CUES = (
    "trump",
    "biden",
    "obama",
    "white house",
    "casa blanca",
    "u.s. president",
    "president of the united states",
    "presidente de estados unidos",
    "presidente de los estados unidos",
    "presidente estadounidense",
    "presidente norteamericano",
    "mandatario estadounidense",
)
