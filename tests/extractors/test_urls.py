import pytest
from hypothesis import given
from hypothesis import strategies as st

from extractors.urls import canonical_url, link_header_canonical, registrable_domain, same_site


@pytest.mark.parametrize(
    "url,expected",
    [
        ("HTTPS://News.Example.COM:443/a/b/", "https://news.example.com/a/b"),
        ("http://news.example.com:80/a", "http://news.example.com/a"),
        ("http://news.example.com:8080/a", "http://news.example.com:8080/a"),
        ("https://news.example.com/a?utm_source=rss&utm_medium=feed", "https://news.example.com/a"),
        (
            "https://news.example.com/a?b=2&fbclid=XYZ&a=1&gclid=1",
            "https://news.example.com/a?a=1&b=2",
        ),
        ("https://news.example.com/a#comments", "https://news.example.com/a"),
        ("https://news.example.com/2026/11/x/amp/", "https://news.example.com/2026/11/x"),
        ("https://news.example.com/x?outputType=amp", "https://news.example.com/x"),
        ("https://m.news.example.com/x", "https://news.example.com/x"),
        ("https://news.example.com", "https://news.example.com/"),
        ("https://news.example.com//a//b", "https://news.example.com/a/b"),
        ("https://news.example.com/nota.amp.html", "https://news.example.com/nota.html"),
    ],
)
def test_rules(url, expected):
    assert canonical_url(url) == expected


def test_meaningful_query_kept():
    assert canonical_url("https://x.example.com/?p=123") == "https://x.example.com/?p=123"


segment = st.text(alphabet="abcxyz0123-_~%", min_size=0, max_size=8)


@given(
    host=st.sampled_from(["Example.com", "m.news.example.mx", "127.0.0.1:8080", "a.b.c.example"]),
    path=st.lists(segment, max_size=4),
    query=st.lists(
        st.tuples(st.sampled_from(["utm_source", "p", "id", "fbclid", "q", "amp"]), segment),
        max_size=4,
    ),
    frag=segment,
)
def test_idempotent_and_no_tracking(host, path, query, frag):
    url = f"https://{host}/{'/'.join(path)}?{'&'.join(f'{k}={v}' for k, v in query)}#{frag}"
    c = canonical_url(url)
    assert canonical_url(c) == c
    assert "utm_" not in c and "fbclid" not in c and "#" not in c


@pytest.mark.parametrize(
    ("a", "b", "same"),
    [
        # two outlets under one public suffix are two sites
        ("https://www.milenio.com.mx/policia/x", "https://www.eluniversal.com.mx/estados/y", False),
        ("https://sspc.gob.mx/a", "https://fgr.gob.mx/b", False),
        ("https://www.bbc.co.uk/news/a", "https://www.theguardian.co.uk/b", False),
        ("https://borderreport.blogspot.com/a", "https://narcoblog.blogspot.com/b", False),
        ("https://news.example.com/a", "https://example.org/a", False),
        # one outlet under several host names is one site
        ("https://www.milenio.com.mx/a", "https://amp.milenio.com.mx/a", True),
        ("https://news.bbc.co.uk/a", "https://www.bbc.co.uk/b", True),
        ("https://sspc.gob.mx/a", "https://www.sspc.gob.mx/b", True),
        ("https://borderreport.blogspot.com/a", "https://BorderReport.blogspot.com/b", True),
        ("https://m.elpais.com/a", "https://elpais.com/b", True),
        # addresses and single-label hosts are their own site; no host is no site
        ("http://127.0.0.1:8000/a", "http://127.0.0.1:9000/b", True),
        ("http://127.0.0.1/a", "http://127.0.0.2/a", False),
        ("http://localhost/a", "http://localhost/b", True),
        ("/relative/path", "https://example.com/a", False),
    ],
)
def test_same_site_follows_the_public_suffix_list(a: str, b: str, same: bool) -> None:
    assert same_site(a, b) is same


def test_registrable_domain() -> None:
    assert registrable_domain("www.milenio.com.mx") == "milenio.com.mx"
    assert registrable_domain("news.bbc.co.uk") == "bbc.co.uk"
    assert registrable_domain("foo.blogspot.com") == "foo.blogspot.com"
    assert registrable_domain("com.mx") == "com.mx"
    assert registrable_domain("[::1]") == "[::1]"


@pytest.mark.parametrize(
    ("header", "base", "expected"),
    [
        ('<https://a.com/nota>; rel="canonical"', "https://a.com/amp/nota", "https://a.com/nota"),
        ("<https://a.com/nota>; rel=canonical", "https://a.com/x", "https://a.com/nota"),
        # relative target, several link-values, several relation types in one rel
        (
            '<https://cdn.a.com/s.css>; rel=preload; as=style, </n/1>; rel="alternate canonical"',
            "https://a.com/amp/n/1",
            "https://a.com/n/1",
        ),
        (
            '<https://a.com/nota>; title="x, y"; REL="Canonical"',
            "https://a.com/",
            "https://a.com/nota",
        ),
        ('<https://a.com/2>; rel="next"', "https://a.com/", None),
        ('<javascript:alert(1)>; rel="canonical"', "https://a.com/", None),
        ("", "https://a.com/", None),
        (None, "https://a.com/", None),
    ],
)
def test_link_header_canonical(header, base, expected):
    assert link_header_canonical(header, base) == expected
