import pytest
from hypothesis import given
from hypothesis import strategies as st

from extractors.urls import canonical_url


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
