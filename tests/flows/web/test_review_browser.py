"""The web app in real headless Chromium (tests/flows/web/chromium.py). On both engines."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.flows.web.chromium import ARTIFACTS, launch, serve


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    with launch() as b:
        yield b


@pytest.fixture
def live_url(seeded, settings) -> Iterator[str]:
    from flows.web import create_app

    with serve(create_app(settings, seeded.engine)) as url:
        yield url


def test_filter_open_mark_reviewed_and_no_script_runs(browser, live_url, seeded, db_url):
    engine_name = "sqlite" if db_url.startswith("sqlite") else "postgres"
    ARTIFACTS.mkdir(exist_ok=True)
    ctx = browser.new_context(viewport={"width": 1400, "height": 900})
    page = ctx.new_page()
    errors: list[str] = []
    dialogs: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    try:
        page.goto(f"{live_url}/articles")
        assert page.locator("#total").inner_text() == "7 articles"
        # the stored <script> in a headline is shown as text and never runs
        assert page.get_by_text("Bloqueos en Reynosa <script>window.pwned=2</script>").count() == 1
        assert page.evaluate("typeof window.pwned") == "undefined"

        # filter by a state: the select submits the form on change (app.js)
        with page.expect_navigation():
            page.select_option("select[name=state]", "zacatecas")
        assert "state=zacatecas" in page.url
        assert page.locator("#total").inner_text() == "4 articles"
        assert page.locator("table.articles tbody tr").count() == 4
        page.screenshot(path=str(ARTIFACTS / f"review-list-{engine_name}.png"), full_page=True)

        # open an article, mark it reviewed with a note
        page.get_by_role("link", name="Hallan cinco cuerpos en Jerez").click()
        page.wait_for_load_state()
        assert page.locator("#headline").inner_text() == "Hallan cinco cuerpos en Jerez"
        assert page.locator("#status").inner_text() == "new"
        assert page.locator("#text mark.m-place").first.inner_text() == "Jerez"
        page.fill("input[name=note]", "confirmado por la fiscalía")
        with page.expect_navigation():
            page.get_by_role("button", name="Reviewed").click()
        assert page.locator("#status").inner_text() == "reviewed"

        # reload: it persisted
        page.reload()
        assert page.locator("#status").inner_text() == "reviewed"
        assert page.input_value("input[name=note]") == "confirmado por la fiscalía"
        page.screenshot(path=str(ARTIFACTS / f"review-article-{engine_name}.png"), full_page=True)
        page.go_back()
        page.goto(f"{live_url}/articles?state=zacatecas&status=reviewed")
        assert page.locator("#total").inner_text() == "1 article"

        # the article whose body carries <script> and onerror payloads
        page.goto(f"{live_url}/articles/{seeded.ids['xss']}")
        body = page.locator("#text").inner_text()
        assert "<script>window.pwned = true;</script>" in body
        assert '<img src=x onerror="window.pwned=1">' in body
        assert page.locator("#text script, #text img").count() == 0
        page.wait_for_timeout(200)
        assert page.evaluate("typeof window.pwned") == "undefined"
        page.screenshot(path=str(ARTIFACTS / f"review-xss-{engine_name}.png"), full_page=True)

        # a forged POST from page script without the CSRF field is refused
        status = page.evaluate(
            """async (id) => (await fetch(`/articles/${id}/review`, {method: 'POST',
                 headers: {'Content-Type': 'application/x-www-form-urlencoded'},
                 body: 'status=dismissed'})).status""",
            seeded.ids["xss"],
        )
        assert status == 403
        assert not dialogs and not errors, (dialogs, errors)
    finally:
        ctx.close()
