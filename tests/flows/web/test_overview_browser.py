"""Issue 17 in real headless Chromium over the demo database: the overview map with the demo's
shading (exact counts), a click on a state to its entity page with the chart, a story with its
copies side by side, marking it reviewed, the j/k/r shortcuts. Screenshots of every page go to
test-artifacts/ (git-ignored).

The demo database is made by the real pipeline over the bundled offline news site
(demo/site.py), as ``make demo`` does; the web app gets a fixed clock (2026-11-25 00:00 in
Mexico City, the day after the demo's last article), so no count depends on today's date.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest

from tests.flows.web.chromium import ARTIFACTS, launch, serve

CLOCK = datetime(2026, 11, 25, 6, 0, tzinfo=UTC)  # 2026-11-25 00:00 America/Mexico_City

# distinct flagged stories per state in the demo, 7 days before CLOCK (from the demo content:
# see test_expected_counts_match_the_demo_tags, which derives them a second way)
DEMO_7D = {
    "chihuahua": 3,
    "ciudad-de-mexico": 1,
    "colima": 1,
    "durango": 1,
    "estado-de-mexico": 1,
    "guanajuato": 3,
    "guerrero": 3,
    "jalisco": 2,
    "michoacan": 1,
    "sinaloa": 2,
    "sonora": 1,
    "tamaulipas": 5,
}
DEMO_7D_STORIES = 16


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[object, object]]:
    from config.settings import load_settings
    from config.sources import load_feeds
    from demo.site import DemoSite
    from flows.pipeline.poll import run_poll
    from storage.db import open_database

    tmp = tmp_path_factory.mktemp("demo")
    url = f"sqlite:///{tmp / 'demo.db'}"
    settings = load_settings(
        data_dir=tmp,
        database_url=url,
        allow_private_addresses=True,
        per_host_delay=0.0,
        workers=1,
    )
    engine = open_database(url)
    with DemoSite() as site:
        feeds = tmp / "feeds.yaml"
        site.write_feeds_yaml(feeds)
        run_poll(settings, engine, load_feeds(feeds))
    yield settings, engine
    engine.dispose()


def test_expected_counts_match_the_demo_tags(demo):
    """DEMO_7D a second way: the articles' stored tags (not the mentions table) and cluster ids,
    counted in Python."""
    from storage import articles as articles_db
    from storage.db import session_scope

    _, engine = demo
    start = CLOCK - timedelta(days=7)
    per_state: dict[str, set[object]] = defaultdict(set)
    stories: set[object] = set()
    with session_scope(engine) as s:
        for r in articles_db.list_articles(s, flagged=True):
            when = r.published_at or r.fetched_at
            if not start <= when < CLOCK:
                continue
            key = r.cluster_id if r.cluster_id is not None else ("a", r.id)
            stories.add(key)
            for sid in r.states:
                per_state[sid].add(key)
    assert {k: len(v) for k, v in per_state.items()} == DEMO_7D
    assert len(stories) == DEMO_7D_STORIES


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    with launch() as b:
        yield b


@pytest.fixture(scope="module")
def live(demo) -> Iterator[str]:
    from flows.web import create_app

    settings, engine = demo
    with serve(create_app(settings, engine, clock=lambda: CLOCK)) as url:
        yield url


def test_overview_map_state_story_review(browser, live):
    from flows.review import charts

    ARTIFACTS.mkdir(exist_ok=True)
    ctx = browser.new_context(viewport={"width": 1400, "height": 1000})
    page = ctx.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    try:
        page.goto(f"{live}/")
        assert page.url == f"{live}/overview"
        # the map: every one of the 32 states with its exact count, the busiest the darkest
        shading = page.evaluate(
            """() => Object.fromEntries(Array.from(document.querySelectorAll(
                 '#map path[data-state]')).map(p => [p.dataset.state,
                 [Number(p.dataset.count), p.getAttribute('fill'), p.dataset.disputed]]))"""
        )
        assert len(shading) == 32
        assert {k: v[0] for k, v in shading.items() if v[0]} == DEMO_7D
        assert shading["tamaulipas"][1] == charts.SCALE[-1]  # 5 of 5
        assert shading["chihuahua"][1] == charts.SCALE[2]  # 3 of 5 → class 3
        assert shading["yucatan"][1] == charts.EMPTY
        assert shading["tamaulipas"][2] == "true" and shading["yucatan"][2] == "false"
        assert page.locator("#map [data-context]").count() == 4
        assert page.locator("#window-total").inner_text() == str(DEMO_7D_STORIES)
        # the top groups beside the map, with the change against the previous 7 days
        first = page.locator("#top-groups tbody tr, #top-groups tr:has(td)").first
        assert first.locator("td").nth(0).inner_text() == "Cártel del Golfo"
        assert first.locator("td").nth(1).inner_text() == "5"
        page.screenshot(path=str(ARTIFACTS / "overview.png"), full_page=True)

        # click a state on the map → its entity page with the chart
        with page.expect_navigation():
            page.locator("#map-chihuahua").click()
        assert page.url == f"{live}/entity/state/chihuahua?window=7d"
        assert page.locator("#entity-name").inner_text().startswith("Chihuahua")
        bars = page.evaluate(
            """() => Array.from(document.querySelectorAll('#timeline rect.bar')).map(
                 r => [r.dataset.day, Number(r.dataset.count)])"""
        )
        assert bars == [["2026-11-11", 1], ["2026-11-15", 1], ["2026-11-21", 1], ["2026-11-23", 2]]
        assert page.locator("#chart-total").inner_text() == "5"
        assert page.locator("#timeline polyline.threshold").count() == 1
        page.screenshot(path=str(ARTIFACTS / "entity-chihuahua.png"), full_page=True)

        # a story with copies from three outlets, side by side
        page.goto(f"{live}/entity/state/tamaulipas")
        row = page.locator("#latest tr.story", has=page.locator("td.size", has_text="3"))
        assert row.count() == 1
        with page.expect_navigation():
            row.locator("a.title").click()
        assert page.locator("#copies article.copy").count() == 3
        outlets = page.locator("#copies article.copy p.meta").all_inner_texts()
        assert sorted(o.split(" · ")[0] for o in outlets) == [
            "El Bajío Informa",
            "Frontera Norte Hoy",
            "Noticias del Golfo",
        ]
        assert page.locator("#story-status").inner_text() == "new"
        with page.expect_navigation():
            page.locator("form.review:not(.mini) button[value=reviewed]").click()
        assert page.locator("#story-status").inner_text() == "reviewed"
        assert page.locator(".copy-status").all_inner_texts() == ["reviewed"] * 3
        page.screenshot(path=str(ARTIFACTS / "story.png"), full_page=True)

        # the review list: one row per story; j j r marks the second story reviewed
        page.goto(f"{live}/stories?status=new")
        assert page.locator("#total").inner_text() == "31 stories (33 articles)"
        second = page.locator("#review-list tr.story").nth(1)
        key = second.get_attribute("data-key")
        page.keyboard.press("j")
        page.keyboard.press("j")
        assert page.locator("#review-list tr.sel").get_attribute("data-key") == key
        with page.expect_navigation():
            page.keyboard.press("r")
        assert page.locator("#total").inner_text() == "30 stories (32 articles)"
        assert page.locator(f'#review-list tr[data-key="{key}"]').count() == 0
        # the selection stays in place: the row that took the marked one's place; d dismisses
        now_second = page.locator("#review-list tr.story").nth(1).get_attribute("data-key")
        assert page.locator("#review-list tr.sel").get_attribute("data-key") == now_second
        with page.expect_navigation():
            page.keyboard.press("d")
        assert page.locator("#total").inner_text() == "29 stories (31 articles)"
        page.goto(f"{live}/stories?status=dismissed")
        assert page.locator("#review-list tr.story").get_attribute("data-key") == now_second
        page.goto(f"{live}/stories?status=new")
        page.keyboard.press("j")
        with page.expect_navigation():
            page.keyboard.press("i")
        assert page.locator("#total").inner_text() == "28 stories (30 articles)"
        page.goto(f"{live}/stories?status=important")
        assert page.locator("#total").inner_text() == "1 story (1 article)"
        page.goto(f"{live}/stories?status=new")
        page.screenshot(path=str(ARTIFACTS / "stories.png"), full_page=True)
        assert not errors, errors
    finally:
        ctx.close()
    dark = browser.new_context(viewport={"width": 1400, "height": 1000}, color_scheme="dark")
    try:
        p = dark.new_page()
        p.goto(f"{live}/overview?window=30d")
        bg = p.evaluate("getComputedStyle(document.body).backgroundColor")
        assert bg == "rgb(20, 24, 31)"
        p.screenshot(path=str(ARTIFACTS / "overview-dark.png"), full_page=True)
    finally:
        dark.close()


def test_html_digest_shows_the_map_without_network(browser, demo, tmp_path):
    """The HTML digest at CLOCK: its inline map (the 7 days before) and 7-day chart render in
    a browser context that is offline and refuses every request but the file itself."""
    from flows.review.digest import collect_digest, render_html, render_markdown
    from storage.db import session_scope

    settings, engine = demo
    with session_scope(engine) as s:
        d = collect_digest(
            s,
            since=CLOCK - timedelta(days=1),
            now=CLOCK,
            timezone=settings.timezone,
            web_url="http://127.0.0.1:8765",
        )
    md = render_markdown(d)
    assert (
        "Map and charts of this period: "
        "<http://127.0.0.1:8765/overview?window=custom&from=2026-11-24&to=2026-11-25>"
    ) in md.splitlines()
    assert md.count("/entity/state/") == 0  # the Markdown digest links only the overview
    html = render_html(d)
    assert html.count('<a href="http://127.0.0.1:8765/entity/state/') == 32
    html_file = tmp_path / "digest.html"
    html_file.write_text(html, encoding="utf-8")
    ARTIFACTS.mkdir(exist_ok=True)
    ctx = browser.new_context(viewport={"width": 900, "height": 1000}, offline=True)
    requests: list[str] = []

    def only_the_file(route):
        requests.append(route.request.url)
        if route.request.url.startswith("file:"):
            route.continue_()
        else:
            route.abort()

    ctx.route("**/*", only_the_file)
    try:
        page = ctx.new_page()
        page.goto(html_file.as_uri())
        cells = page.evaluate(
            """() => Array.from(document.querySelectorAll('#digest-map path[data-state]')).map(
                 p => { const b = p.getBBox(); return [p.dataset.state, Number(p.dataset.count),
                 b.width > 0 && b.height > 0]; })"""
        )
        assert len(cells) == 32 and all(ok for _, _, ok in cells)
        assert {k: n for k, n, _ in cells if n} == DEMO_7D
        bars = page.evaluate(
            """() => Array.from(document.querySelectorAll('#digest-chart rect.bar')).map(
                 r => [r.dataset.day, Number(r.dataset.count)])"""
        )
        # flagged stories per local day, 11-19 … 11-25 (the 24th's two articles are routine)
        assert bars == [
            ["2026-11-19", 2],
            ["2026-11-20", 3],
            ["2026-11-21", 2],
            ["2026-11-22", 4],
            ["2026-11-23", 3],
        ]
        assert requests == [html_file.as_uri()]
        page.screenshot(path=str(ARTIFACTS / "digest.png"), full_page=True)
    finally:
        ctx.close()
