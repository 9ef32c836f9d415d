"""`borderwatch web`: the review web app.

* ``app.py``: :func:`create_app`, the app factory;
* ``deps.py``: :class:`~flows.web.deps.Web` (settings, engine, clock, watchlist, templates,
  caches) and ``WebDep``, the one dependency of every route;
* ``security.py``: bind check, token and CSRF middleware, security headers;
* ``routes/``: one router per resource (overview, stories, entities, articles, feeds, export);
* ``templates/``, ``static/``: the pages, CSS and the keyboard script.
"""

from flows.web.app import create_app
from flows.web.security import BindError, check_bind

__all__ = ["BindError", "check_bind", "create_app"]
