"""A page's own rel=canonical wins only on the same site (by the Public Suffix List): a page of
one outlet that names another outlet's URL as canonical must not become that outlet's article."""

from __future__ import annotations

import pytest

from config.settings import load_settings
from flows.pipeline.extraction_pool import PageJob, init_worker, process_page

BODY = " ".join(
    ["Autoridades reportaron un enfrentamiento en la carretera federal durante la madrugada."] * 8
)


def _page(canonical: str) -> bytes:
    return (
        f'<html><head><link rel="canonical" href="{canonical}"><title>Nota</title></head>'
        f"<body><article><h1>Nota</h1><p>{BODY}</p></article></body></html>"
    ).encode()


@pytest.mark.parametrize(
    ("page_url", "declared", "stored"),
    [
        # another outlet on the same public suffix: the page keeps its own URL
        (
            "https://www.milenio.com.mx/policia/nota-1",
            "https://www.eluniversal.com.mx/estados/nota-1",
            "https://www.milenio.com.mx/policia/nota-1",
        ),
        # another blog on blogspot.com: likewise
        (
            "https://frontera.blogspot.com/2026/12/nota.html",
            "https://otro.blogspot.com/2026/12/nota.html",
            "https://frontera.blogspot.com/2026/12/nota.html",
        ),
        # the same outlet under another host name: the declared canonical wins
        (
            "https://amp.milenio.com.mx/policia/nota-2",
            "https://www.milenio.com.mx/policia/nota-2-completa",
            "https://www.milenio.com.mx/policia/nota-2-completa",
        ),
    ],
)
def test_page_canonical_only_on_the_same_site(page_url: str, declared: str, stored: str) -> None:
    init_worker(str(load_settings().watchlist))
    job = PageJob(link=page_url, canonical=page_url, final_url=page_url, content=_page(declared))
    res = process_page(job)
    assert res.record is not None, res.error
    assert res.record.canonical_url == stored


def _bare_page() -> bytes:  # no canonical in the HTML
    return (
        "<html><head><title>Nota</title></head>"
        f"<body><article><h1>Nota</h1><p>{BODY}</p></article></body></html>"
    ).encode()


@pytest.mark.parametrize(
    ("page_url", "header", "html", "stored"),
    [
        # only the HTTP Link header names it, on the same site: it wins
        (
            "https://amp.milenio.com.mx/amp/policia/nota-3.amp",
            "https://www.milenio.com.mx/policia/nota-3",
            None,
            "https://www.milenio.com.mx/policia/nota-3",
        ),
        # a header naming another outlet does not count
        (
            "https://www.milenio.com.mx/policia/nota-4",
            "https://www.eluniversal.com.mx/estados/nota-4",
            None,
            "https://www.milenio.com.mx/policia/nota-4",
        ),
        # the HTML link and the header disagree: the HTML link counts first
        (
            "https://www.milenio.com.mx/policia/nota-5-amp",
            "https://www.milenio.com.mx/policia/nota-5-header",
            "https://www.milenio.com.mx/policia/nota-5-html",
            "https://www.milenio.com.mx/policia/nota-5-html",
        ),
    ],
)
def test_link_header_canonical_counts_like_the_html_link(page_url, header, html, stored):
    init_worker(str(load_settings().watchlist))
    content = _page(html) if html else _bare_page()
    job = PageJob(
        link=page_url,
        canonical=page_url,
        final_url=page_url,
        content=content,
        header_canonical=header,
    )
    res = process_page(job)
    assert res.record is not None, res.error
    assert res.record.canonical_url == stored
