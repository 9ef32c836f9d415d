"""`borderwatch web`: the review web app (FastAPI, server-rendered with Jinja2).

:func:`create_app` builds the app: the :class:`~flows.web.deps.Web` every route depends on, the
guard middleware (token, CSRF cookie, security headers: flows/web/security.py), the static files
and one router per resource (flows/web/routes/).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from pathlib import Path

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates
from sqlalchemy import Engine

from config.settings import Settings
from flows.web.deps import Web, load_watchlist_meta
from flows.web.routes import articles, entities, export, feeds, overview, stories
from flows.web.security import install_guard
from storage import review_queue as review_queue_db
from storage.db import open_database
from storage.tables import utcnow

HERE = Path(__file__).resolve().parent


def create_app(
    settings: Settings,
    engine: Engine | None = None,
    *,
    clock: Callable[[], datetime] = utcnow,
) -> FastAPI:
    """The web app over ``settings.db_url`` (or the given engine). ``clock`` gives "now" for the
    overview's windows, the charts and spikes (tests pass a fixed one)."""
    eng = engine or open_database(settings.db_url)
    app = FastAPI(title="borderwatch", docs_url=None, redoc_url=None, openapi_url=None)
    app.state.engine = eng
    app.mount("/static", StaticFiles(directory=str(HERE / "static")), name="static")
    templates = Jinja2Templates(directory=str(HERE / "templates"))
    web = Web(settings, eng, clock, templates, load_watchlist_meta(settings))
    app.state.web = web
    templates.env.globals.update(
        local=web.local, names=web.names, statuses=review_queue_db.STATUSES
    )
    install_guard(app, settings.web_token)
    for module in (overview, stories, entities, articles, feeds, export):
        app.include_router(module.router)
    return app
