"""The web app's security rules.

* bound to 127.0.0.1 by default; :func:`check_bind` refuses any other address unless
  ``BORDERWATCH_WEB_TOKEN`` is set. With a token every request must present it: header
  ``Authorization: Bearer <token>``, cookie ``bw_token``, or once ``?token=<token>`` (which sets
  the cookie and redirects to the same URL without it).
* article text is HTML-escaped by the templates (and by
  :func:`flows.review.highlight.highlight_html`, which escapes each piece between mention
  offsets); a strict Content-Security-Policy (``script-src 'self'``) keeps any inline script
  from running even if escaping failed.
* every state-changing request is a POST carrying a CSRF token: a random per-session value in
  the cookie ``bw_csrf`` (SameSite=Strict) that must equal the form field ``csrf_token``;
  otherwise 403 (:func:`csrf_ok`).

The token and CSRF cookie are checked in a middleware (:func:`install_guard`), not a FastAPI
dependency, so they cover the static files too.
"""

from __future__ import annotations

import hmac
import ipaddress
import secrets
from collections.abc import Awaitable, Callable
from typing import Any
from urllib.parse import urlencode

from fastapi import FastAPI, Request, Response
from fastapi.responses import PlainTextResponse, RedirectResponse

CSRF_COOKIE = "bw_csrf"
TOKEN_COOKIE = "bw_token"
CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' "
    "data:; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
)


class BindError(RuntimeError):
    pass


def is_loopback(host: str) -> bool:
    if host in ("localhost", "localhost.localdomain"):
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def check_bind(host: str, token: str) -> None:
    """Refuse a non-loopback bind address without a token."""
    if not is_loopback(host) and not token:
        raise BindError(
            f"refusing to listen on {host}: set BORDERWATCH_WEB_TOKEN to serve beyond loopback"
        )


def install_guard(app: FastAPI, token: str) -> None:
    """The middleware: the token (when set), the CSRF cookie and the security headers."""

    @app.middleware("http")
    async def guard(
        request: Request, call_next: Callable[[Request], Awaitable[Response]]
    ) -> Response:
        if token:
            given = request.query_params.get("token")
            if given is not None and hmac.compare_digest(given.encode(), token.encode()):
                rest = [(k, v) for k, v in request.query_params.multi_items() if k != "token"]
                target = request.url.path + ("?" + urlencode(rest) if rest else "")
                resp: Response = RedirectResponse(target, status_code=303)
                resp.set_cookie(
                    TOKEN_COOKIE, token, httponly=True, samesite="strict", max_age=30 * 86400
                )
                return resp
            auth = request.headers.get("authorization", "")
            presented = auth[7:] if auth.lower().startswith("bearer ") else None
            presented = presented or request.cookies.get(TOKEN_COOKIE)
            if not presented or not hmac.compare_digest(presented.encode(), token.encode()):
                return PlainTextResponse("token required", status_code=401)
        csrf = request.cookies.get(CSRF_COOKIE)
        fresh = not csrf or len(csrf) < 20
        request.state.csrf = secrets.token_urlsafe(32) if fresh else csrf
        resp = await call_next(request)
        if fresh:
            resp.set_cookie(CSRF_COOKIE, request.state.csrf, httponly=True, samesite="strict")
        resp.headers.setdefault("Content-Security-Policy", CSP)
        resp.headers.setdefault("X-Content-Type-Options", "nosniff")
        resp.headers.setdefault("Referrer-Policy", "no-referrer")
        resp.headers.setdefault("X-Frame-Options", "DENY")
        return resp


def csrf_ok(request: Request, form_token: Any) -> bool:
    """The form's ``csrf_token`` equals the CSRF cookie."""
    cookie = request.cookies.get(CSRF_COOKIE)
    return (
        isinstance(form_token, str)
        and bool(cookie)
        and hmac.compare_digest(form_token.encode(), str(cookie).encode())
    )


def safe_next(nxt: Any, default: str) -> str:
    """Where a review POST redirects: the form's ``next`` when it is a local path, else
    ``default``."""
    if isinstance(nxt, str) and nxt.startswith("/") and not nxt.startswith("//"):
        return nxt
    return default
