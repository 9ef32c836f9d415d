"""The web app's token and CSRF rules (flows/web/security.py), through the ASGI interface, on both
engines: every way of presenting a wrong token is refused, the right one sets a long-lived
HttpOnly SameSite=strict cookie and drops itself from the URL, and a POST without the right
CSRF token changes nothing."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from flows.web import create_app
from storage.db import session_scope
from storage.tables import Article, ReviewEvent

TOKEN = "right-token-0123456789"


def cookie_attrs(set_cookie: str) -> tuple[str, str, dict[str, str]]:
    """(name, value, {attribute (lower-case): value}) of one Set-Cookie header."""
    first, *rest = [p.strip() for p in set_cookie.split(";")]
    name, _, value = first.partition("=")
    attrs = {}
    for p in rest:
        k, _, v = p.partition("=")
        attrs[k.lower()] = v
    return name, value, attrs


def set_cookies(r: Any) -> dict[str, tuple[str, dict[str, str]]]:
    out = {}
    for h in r.headers.get_list("set-cookie"):
        name, value, attrs = cookie_attrs(h)
        out[name] = (value, attrs)
    return out


@pytest.fixture
def app(seeded, settings):
    return create_app(settings.model_copy(update={"web_token": TOKEN}), seeded.engine)


@pytest.fixture
def client(app) -> Iterator[TestClient]:
    with TestClient(app) as c:
        yield c


def _review_state(engine) -> tuple[list[Any], int]:
    with session_scope(engine) as s:
        rows = s.execute(
            select(
                Article.id, Article.review_status, Article.review_note, Article.reviewed_at
            ).order_by(Article.id)
        ).all()
        events = s.scalar(select(func.count()).select_from(ReviewEvent))
    return [tuple(r) for r in rows], int(events or 0)


@pytest.mark.parametrize(
    "how",
    ["none", "query", "header", "cookie", "query+header", "right-cookie-wrong-header-scheme"],
)
def test_a_wrong_token_is_refused_every_way(app, seeded, how):
    with TestClient(app) as c:
        kwargs: dict[str, Any] = {}
        url = "/articles"
        if "query" in how:
            url += "?token=wrong-token"
        if "header" in how and how != "right-cookie-wrong-header-scheme":
            kwargs["headers"] = {"Authorization": "Bearer wrong-token"}
        if how == "cookie":
            c.cookies.set("bw_token", "wrong-token")
        if how == "right-cookie-wrong-header-scheme":
            kwargs["headers"] = {"Authorization": f"Basic {TOKEN}"}
        r = c.get(url, follow_redirects=False, **kwargs)
        assert (r.status_code, r.text) == (401, "token required")
        assert r.headers.get_list("set-cookie") == []  # no session, no CSRF cookie
        # a prefix or an extension of the token is not the token
        for wrong in (TOKEN[:-1], TOKEN + "x"):
            r = c.get("/articles", headers={"Authorization": f"Bearer {wrong}"})
            assert r.status_code == 401


def test_the_right_query_token_sets_the_cookie_and_redirects_without_it(client):
    r = client.get(f"/articles?state=sinaloa&token={TOKEN}&page=1", follow_redirects=False)
    assert r.status_code == 303
    assert r.headers["location"] == "/articles?state=sinaloa&page=1"
    cookies = set_cookies(r)
    assert list(cookies) == ["bw_token"]
    assert cookies["bw_token"] == (
        TOKEN,
        {"httponly": "", "max-age": "2592000", "path": "/", "samesite": "strict"},
    )
    r = client.get(f"/feeds?token={TOKEN}", follow_redirects=False)
    assert (r.status_code, r.headers["location"]) == (303, "/feeds")
    # from now on the cookie alone lets the browser in, and the page sets the CSRF cookie
    r = client.get("/articles?state=sinaloa", follow_redirects=False)
    assert r.status_code == 200
    value, attrs = set_cookies(r)["bw_csrf"]
    assert attrs == {"httponly": "", "path": "/", "samesite": "strict"}
    assert len(value) >= 40
    # the bearer header works without any cookie
    with TestClient(client.app) as other:
        ok = other.get("/articles", headers={"Authorization": f"Bearer {TOKEN}"})
        assert ok.status_code == 200


def _wrong(token: str) -> str:
    """The token with its last character changed (to another one, whatever it was)."""
    return token[:-1] + ("B" if token.endswith("A") else "A")


def test_a_post_with_a_wrong_csrf_token_is_refused_and_changes_nothing(client, seeded):
    aid = seeded.ids["jerez"]
    client.get(f"/?token={TOKEN}")
    page = client.get(f"/articles/{aid}")
    assert page.status_code == 200
    form_token = re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)
    assert client.cookies.get("bw_csrf") == form_token
    before = _review_state(seeded.engine)
    assert before[1] == 0
    for data in (
        {"status": "dismissed", "note": "x", "csrf_token": _wrong(form_token)},
        {"status": "dismissed", "note": "x", "csrf_token": ""},
        {"status": "dismissed", "note": "x"},
    ):
        r = client.post(f"/articles/{aid}/review", data=data, follow_redirects=False)
        assert r.status_code == 403
        assert "missing or wrong CSRF token" in r.text
    # the right CSRF token without the auth token is refused before anything else
    with TestClient(client.app) as stranger:
        stranger.cookies.set("bw_csrf", form_token)
        r = stranger.post(
            f"/articles/{aid}/review",
            data={"status": "dismissed", "csrf_token": form_token},
            follow_redirects=False,
        )
        assert (r.status_code, r.text) == (401, "token required")
    assert _review_state(seeded.engine) == before
    # and the same form with the right token does change it (the refusals above were real)
    r = client.post(
        f"/articles/{aid}/review",
        data={"status": "dismissed", "note": "x", "csrf_token": form_token},
        follow_redirects=False,
    )
    assert (r.status_code, r.headers["location"]) == (303, f"/articles/{aid}")
    rows, events = _review_state(seeded.engine)
    changed = [row for row, old in zip(rows, before[0], strict=True) if row != old]
    assert [(r[0], r[1], r[2]) for r in changed] == [(aid, "dismissed", "x")]
    assert events == 1
