"""Every page and feed of the demo site, rendered for one base URL: RSS, Atom, news sitemaps,
article pages (and their AMP twins), outlet home pages, the index and the 404 page."""

from __future__ import annotations

import hashlib
import html
import json
from xml.sax.saxutils import escape as xml_escape
from xml.sax.saxutils import quoteattr

from demo.content import LABELS, OUTLETS, Article, FeedSpec, Outlet, human_date, rfc822, slugify


def _e(text: str) -> str:
    return html.escape(text, quote=True)


def _cdata(text: str) -> str:
    return "<![CDATA[" + text.replace("]]>", "]]]]><![CDATA[>") + "]]>"


def _body_html(a: Article) -> list[str]:
    out = []
    for p in a.body:
        if p.startswith("## "):
            out.append(f"<h2>{_e(p[3:].strip())}</h2>")
        else:
            out.append(f"<p>{_e(p)}</p>")
    return out


class Pages:
    """The renderers of one site: ``url`` makes absolute links from the base URL."""

    def __init__(self, base_url: str, articles: list[Article]) -> None:
        self.base_url = base_url
        self.articles = articles

    def url(self, path: str) -> str:
        return self.base_url + path

    def _link(self, a: Article, suffix: str) -> str:
        url = self.url(a.path)
        if suffix.startswith("/"):
            suffix = suffix[1:]  # "amp/" → .../slug/amp/
        return url + suffix

    def rss(self, outlet: Outlet, spec: FeedSpec, items: list[Article]) -> bytes:
        home = self.url(f"/{outlet.slug}/")
        lines = [
            f'<?xml version="1.0" encoding="{outlet.encoding.upper()}"?>',
            '<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/" '
            'xmlns:dc="http://purl.org/dc/elements/1.1/" '
            'xmlns:atom="http://www.w3.org/2005/Atom">',
            "<channel>",
            f"<title>{xml_escape(spec.name)}</title>",
            f"<link>{xml_escape(home)}</link>",
            f'<atom:link href={quoteattr(self.url(spec.path))} rel="self" '
            'type="application/rss+xml"/>',
            f"<description>{xml_escape(outlet.tagline)}</description>",
            f"<language>{outlet.lang}-{outlet.country.lower()}</language>",
            f"<lastBuildDate>{rfc822(max(a.published for a in items))}</lastBuildDate>",
            "<generator>borderwatch demo site</generator>",
            "<ttl>15</ttl>",
        ]
        for a in items:
            for n, suffix in enumerate(a.feed_links):
                guid = f"{outlet.slug}:{a.id}" + (f":{n}" if n else "")
                lines += [
                    "<item>",
                    f"<title>{xml_escape(a.title)}</title>",
                    f"<link>{xml_escape(self._link(a, suffix))}</link>",
                    f'<guid isPermaLink="false">{xml_escape(guid)}</guid>',
                    f"<pubDate>{rfc822(a.published)}</pubDate>",
                    f"<dc:creator>{xml_escape(a.author)}</dc:creator>",
                    f"<category>{xml_escape(a.section.capitalize())}</category>",
                    f"<description>{xml_escape(a.summary)}</description>",
                ]
                if outlet.full_content:
                    full = "".join(_body_html(a))
                    lines.append(f"<content:encoded>{_cdata(full)}</content:encoded>")
                lines.append("</item>")
        lines += ["</channel>", "</rss>", ""]
        return "\n".join(lines).encode(outlet.encoding, errors="xmlcharrefreplace")

    def atom(self, outlet: Outlet, spec: FeedSpec, items: list[Article]) -> bytes:
        home = self.url(f"/{outlet.slug}/")
        updated = max(a.published for a in items).isoformat()
        lines = [
            f'<?xml version="1.0" encoding="{outlet.encoding}"?>',
            f'<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="{outlet.lang}">',
            f"<title>{xml_escape(spec.name)}</title>",
            f"<subtitle>{xml_escape(outlet.tagline)}</subtitle>",
            f"<id>tag:{outlet.slug}.example,2026:feed</id>",
            f'<link rel="self" type="application/atom+xml" href={quoteattr(self.url(spec.path))}/>',
            f'<link rel="alternate" type="text/html" href={quoteattr(home)}/>',
            f"<updated>{updated}</updated>",
            '<generator uri="https://example.invalid/borderwatch-demo">'
            "borderwatch demo</generator>",
        ]
        for a in items:
            for n, suffix in enumerate(a.feed_links):
                entry_id = f"tag:{outlet.slug}.example,2026:{a.id}" + (f":{n}" if n else "")
                lines += [
                    "<entry>",
                    f'<title type="text">{xml_escape(a.title)}</title>',
                    f'<link rel="alternate" type="text/html" '
                    f"href={quoteattr(self._link(a, suffix))}/>",
                    f"<id>{xml_escape(entry_id)}</id>",
                    f"<published>{a.published.isoformat()}</published>",
                    f"<updated>{a.published.isoformat()}</updated>",
                    f"<author><name>{xml_escape(a.author)}</name></author>",
                    f"<category term={quoteattr(a.section)}/>",
                    f'<summary type="text">{xml_escape(a.summary)}</summary>',
                    "</entry>",
                ]
        lines += ["</feed>", ""]
        return "\n".join(lines).encode(outlet.encoding, errors="xmlcharrefreplace")

    def sitemap(self, outlet: Outlet, items: list[Article]) -> bytes:
        lines = [
            '<?xml version="1.0" encoding="utf-8"?>',
            '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" '
            'xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">',
        ]
        for a in items:
            lines += [
                "<url>",
                f"<loc>{xml_escape(self.url(a.path))}</loc>",
                f"<lastmod>{a.published.isoformat()}</lastmod>",
                "<news:news><news:publication>"
                f"<news:name>{xml_escape(outlet.name)}</news:name>"
                f"<news:language>{outlet.lang}</news:language></news:publication>"
                f"<news:publication_date>{a.published.isoformat()}</news:publication_date>"
                f"<news:title>{xml_escape(a.title)}</news:title></news:news>",
                "</url>",
            ]
        lines += ["</urlset>", ""]
        return "\n".join(lines).encode("utf-8")

    # -------------------------------------------------------- HTML pages

    def _others(self, a: Article, n: int, *, same_outlet: bool) -> list[Article]:
        pool = [b for b in self.articles if b.id != a.id and (b.outlet == a.outlet) == same_outlet]
        # deterministic but varied: rotate by a stable hash of the article id
        if not pool:
            return []
        start = int(hashlib.sha1(a.id.encode()).hexdigest(), 16) % len(pool)
        return (pool[start:] + pool[:start])[:n]

    def _chrome_top(self, outlet: Outlet, title: str, head_extra: str, lang: str) -> list[str]:
        lab = LABELS[outlet.lang]
        nav = "".join(
            f'<li><a href="/{outlet.slug}/{slugify(x)}/">{_e(x)}</a></li>' for x in lab["nav"]
        )
        states = [
            "Chihuahua",
            "Sonora",
            "Tamaulipas",
            "Sinaloa",
            "Guanajuato",
            "Michoacán",
            "Baja California",
            "Nuevo León",
        ]
        subnav = "".join(
            f'<li><a href="/{outlet.slug}/estados/{slugify(s)}/">{_e(s)}</a></li>' for s in states
        )
        return (
            [
                "<!DOCTYPE html>",
                f'<html lang="{lang}"{head_extra and " " + head_extra}>',
            ]
            + [
                "<head>",
                '<meta charset="utf-8">',
                '<meta name="viewport" content="width=device-width, initial-scale=1">',
                f"<title>{_e(title)}</title>",
            ]
            + [
                "__HEAD__",
                "</head>",
                f'<body class="{outlet.slug} {outlet.kind}-outlet">',
                f'<a class="skip-link" href="#main">{lab["skip"]}</a>',
                '<div id="cookie-banner" class="cookie-consent" role="dialog">'
                f'<p>{_e(lab["cookie"])}</p><button type="button">{lab["accept"]}</button></div>',
                '<header class="site-header">',
                f'<div class="brand"><a href="/{outlet.slug}/" rel="home">{_e(outlet.name)}</a>'
                f'<span class="tagline">{_e(outlet.tagline)}</span></div>',
                f'<form class="search" action="/{outlet.slug}/buscar/"><input name="q" '
                f'placeholder="{lab["search"]}"></form>',
                f'<nav class="main-nav" aria-label="principal"><ul>{nav}</ul></nav>',
                f'<nav class="states-nav"><ul>{subnav}</ul></nav>',
                "</header>",
            ]
        )

    def _chrome_bottom(self, outlet: Outlet) -> list[str]:
        lab = LABELS[outlet.lang]
        about = " | ".join(
            f'<a href="/{outlet.slug}/{slugify(x)}/">{_e(x)}</a>' for x in lab["about"]
        )
        return [
            '<footer class="site-footer">',
            f'<div class="newsletter"><p>{_e(lab["newsletter"])}</p>'
            f'<form><input type="email"><button>{lab["subscribe"]}</button></form></div>',
            f'<div class="footer-links">{about}</div>',
            f'<p class="copyright">© 2026 {_e(outlet.name)}. {_e(lab["rights"])}</p>',
            "</footer>",
            "<script>window.dataLayer=window.dataLayer||[];"
            "function gtag(){dataLayer.push(arguments);}</script>",
            "</body>",
            "</html>",
            "",
        ]

    def article_html(self, a: Article, *, amp: bool) -> str:
        outlet = OUTLETS[a.outlet]
        lab = LABELS[outlet.lang]
        canonical = self.url(a.path)
        title = f"{a.title} | {outlet.name}"
        ld = {
            "@context": "https://schema.org",
            "@type": "NewsArticle",
            "headline": a.title,
            "datePublished": a.published.isoformat(),
            "dateModified": a.published.isoformat(),
            "author": {"@type": "Person", "name": a.author},
            "publisher": {"@type": "Organization", "name": outlet.name},
            "mainEntityOfPage": canonical,
            "inLanguage": a.lang,
            "description": a.summary,
        }
        head = [
            f'<link rel="canonical" href="{_e(canonical)}">',
            f'<meta name="description" content="{_e(a.summary)}">',
            f'<meta name="author" content="{_e(a.author)}">',
            '<meta property="og:type" content="article">',
            f'<meta property="og:site_name" content="{_e(outlet.name)}">',
            f'<meta property="og:title" content="{_e(a.title)}">',
            f'<meta property="og:description" content="{_e(a.summary)}">',
            f'<meta property="og:url" content="{_e(canonical)}">',
            f'<meta property="og:locale" content="{a.lang}_{outlet.country}">',
            f'<meta property="article:published_time" content="{a.published.isoformat()}">',
            f'<meta property="article:section" content="{_e(a.section.capitalize())}">',
            '<meta name="twitter:card" content="summary_large_image">',
            '<script type="application/ld+json">'
            + json.dumps(ld, ensure_ascii=False).replace("</", "<\\/")
            + "</script>",
        ]
        if not amp:
            head.append(f'<link rel="amphtml" href="{_e(canonical)}amp/">')
        else:
            head.append('<script async src="https://cdn.ampproject.org/v0.js"></script>')
        top = self._chrome_top(outlet, title, "amp" if amp else "", a.lang)
        top[top.index("__HEAD__")] = "\n".join(head)

        most_read = self._others(a, 5, same_outlet=True)
        related = self._others(a, 3, same_outlet=False)
        ticker = self._others(a, 1, same_outlet=True)
        share = "".join(
            f'<li><a class="share-{i}" href="#share-{i}">{_e(s)}</a></li>'
            for i, s in enumerate(lab["share"])
        )
        tags = "".join(
            f'<li><a href="/{outlet.slug}/tema/{slugify(t)}/">{_e(t)}</a></li>'
            for t in (a.section.capitalize(), "Frontera" if a.lang == "es" else "Border")
        )
        out = (
            top
            + [
                '<div class="ticker">'
                + (
                    f'<strong>{lab["ticker"]}:</strong> <a href="{_e(self.url(ticker[0].path))}">'
                    f"{_e(ticker[0].title)}</a>"
                    if ticker
                    else ""
                )
                + "</div>",
                '<div class="layout">',
                '<main id="main" class="content">',
                f'<nav class="breadcrumbs"><a href="/{outlet.slug}/">{_e(outlet.name)}</a> › '
                f'<a href="/{outlet.slug}/{a.section}/">{_e(a.section.capitalize())}</a></nav>',
                '<article class="story" itemscope itemtype="https://schema.org/NewsArticle">',
                '<header class="story-header">',
                f'<p class="kicker">{_e(a.section.capitalize())}</p>',
                f'<h1 itemprop="headline">{_e(a.title)}</h1>',
                f'<p class="dek">{_e(a.summary)}</p>',
                f'<p class="byline">{lab["by"]} <span class="author" itemprop="author">'
                f"{_e(a.author)}</span> · "
                f'<time datetime="{a.published.isoformat()}" itemprop="datePublished">'
                f"{human_date(a.published, a.lang)}</time></p>",
                f'<ul class="share-buttons">{share}</ul>',
                "</header>",
                '<div class="story-body" itemprop="articleBody">',
                *_body_html(a),
                "</div>",
                f'<footer class="story-tags"><span>{lab["tags"]}:</span><ul>{tags}</ul></footer>',
                "</article>",
                '<section class="related-stories">',
                f"<h2>{lab['related']}</h2>",
                "<ul>"
                + "".join(
                    f'<li><a href="{_e(self.url(b.path))}">{_e(b.title)}</a></li>' for b in related
                )
                + "</ul>",
                "</section>",
                f'<section class="comments"><p>{lab["comments"]}</p></section>',
                "</main>",
                '<aside class="sidebar">',
                '<div class="most-read">',
                f"<h2>{lab['most_read']}</h2>",
                "<ol>"
                + "".join(
                    f'<li><a href="{_e(self.url(b.path))}">{_e(b.title)}</a></li>'
                    for b in most_read
                )
                + "</ol>",
                "</div>",
                '<div class="ad-slot" data-slot="sidebar-1"></div>',
                "</aside>",
                "</div>",
            ]
            + self._chrome_bottom(outlet)
        )
        return "\n".join(out)

    def home_html(self, outlet: Outlet, items: list[Article]) -> str:
        top = self._chrome_top(outlet, outlet.name, "", outlet.lang)
        feeds = "".join(
            f'<link rel="alternate" type="application/{outlet.kind}+xml" '
            f'title="{_e(f.name)}" href="{_e(self.url(f.path))}">'
            for f in outlet.feeds
        )
        top[top.index("__HEAD__")] = feeds
        cards = "".join(
            f'<li class="card"><h2><a href="{_e(self.url(a.path))}">{_e(a.title)}</a></h2>'
            f'<p>{_e(a.summary)}</p><time datetime="{a.published.isoformat()}">'
            f"{human_date(a.published, a.lang)}</time></li>"
            for a in items
        )
        return "\n".join(
            top
            + [f'<main id="main"><ul class="cards">{cards}</ul></main>']
            + self._chrome_bottom(outlet)
        )

    def index_html(self) -> str:
        rows = "".join(
            f'<li><a href="{_e(self.url("/" + o.slug + "/"))}">{_e(o.name)}</a> ({o.lang}) — '
            + ", ".join(f'<a href="{_e(self.url(f.path))}">{_e(f.path)}</a>' for f in o.feeds)
            + "</li>"
            for o in OUTLETS.values()
        )
        return (
            '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">'
            "<title>borderwatch demo news site</title></head><body>"
            "<h1>borderwatch demo news site</h1><p>Fictional outlets, fictional events; "
            f"{len(self.articles)} articles.</p><ul>{rows}</ul></body></html>\n"
        )

    def page_404(self, path: str) -> bytes:
        return (
            '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>404 Not Found'
            f"</title></head><body><h1>Not found</h1><p>{_e(path)}</p></body></html>\n"
        ).encode()
