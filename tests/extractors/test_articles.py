import pytest

from extractors.articles import detect_language, extract_article
from extractors.errors import ExtractionEmpty

PAGE = """<!doctype html><html lang="es"><head><title>Ataque armado en Irapuato | Diario</title>
<link rel="canonical" href="https://diario.example.mx/2026/11/ataque-irapuato">
<meta property="og:title" content="Ataque armado en Irapuato">
<meta property="article:published_time" content="2026-11-20T08:00:00-06:00"></head><body>
<nav><a href="/">Inicio</a><a href="/seguridad">Seguridad</a><a href="/deportes">Deportes</a></nav>
<article><h1>Ataque armado en Irapuato deja cinco muertos</h1>
<p class="byline">Por Laura Méndez</p>
<p>Un grupo de hombres armados irrumpió la noche del jueves en un bar de la colonia Centro de
Irapuato y disparó contra los clientes, informó la fiscalía estatal en un comunicado.</p>
<p>Cinco personas murieron en el lugar y otras tres fueron trasladadas a un hospital. Las
autoridades no han detenido a ningún sospechoso y el municipio reforzó la vigilancia.</p>
<p>Vecinos de la zona dijeron que el establecimiento había recibido amenazas semanas antes del
ataque, y que varios comercios cercanos cerraron temprano por miedo a nuevos hechos.</p>
</article><footer>© 2026 Diario. Todos los derechos reservados. Aviso de privacidad.</footer>
</body></html>"""


def test_extracts_text_title_date_language_canonical():
    art = extract_article(
        PAGE.encode(), url="https://diario.example.mx/2026/11/ataque-irapuato?utm_source=rss"
    )
    assert "irrumpió la noche del jueves" in art.text
    assert "Todos los derechos reservados" not in art.text
    assert art.title and "Irapuato" in art.title
    assert art.language == "es"
    assert art.published is not None and art.published.date().isoformat() == "2026-11-20"
    assert art.canonical_url == "https://diario.example.mx/2026/11/ataque-irapuato"


def test_feed_content_fallback_when_page_has_no_text():
    art = extract_article(
        b"<html><body><div id=app></div></body></html>",
        url="https://x.example/a",
        fallback_html="<p>" + "Texto completo del feed sobre Culiacán. " * 10 + "</p>",
        fallback_title="Título del feed",
    )
    assert "Texto completo del feed" in art.text
    assert art.title == "Título del feed"


def test_nothing_anywhere_raises_typed_error():
    with pytest.raises(ExtractionEmpty) as exc:
        extract_article(b"<html><body></body></html>", url="https://x.example/a")
    assert exc.value.kind == "no_text"


def test_garbage_bytes_do_not_crash():
    with pytest.raises(ExtractionEmpty):
        extract_article(b"\x00\xff\xfe" * 100, url="https://x.example/a")


def test_detect_language():
    assert detect_language("The governor said that the attack was the work of the cartel.") == "en"
    assert (
        detect_language("El gobernador dijo que el ataque fue obra de un grupo del cártel.") == "es"
    )
    assert detect_language("CJNG") is None
