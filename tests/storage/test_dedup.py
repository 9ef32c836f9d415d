"""Deduplication in storage, on both engines: exact copies, republications, story clusters."""

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select

from config.sources import FeedSource
from extractors.fingerprint import content_hash, minhash_signature, title_key
from extractors.models import ArticleRecord
from extractors.urls import site_of
from storage import articles as articles_db
from storage import dedup as dedup_db
from storage import feeds as feeds_db
from storage.db import session_scope
from storage.tables import Article, StoryCluster

WIRE = (
    "Un comando armado atacó la madrugada del martes una base de la Guardia Nacional en el "
    "municipio de Fresnillo, Zacatecas, donde dos elementos resultaron heridos. Según la "
    "fiscalía estatal, los agresores llegaron en tres camionetas y dispararon durante varios "
    "minutos contra las instalaciones antes de huir por un camino de terracería hacia la sierra. "
    "Las autoridades desplegaron un operativo con apoyo del Ejército y un helicóptero, sin que "
    "hasta el momento se reporten detenidos. Vecinos de la comunidad relataron que escucharon "
    "detonaciones y explosiones durante cerca de media hora y que varias familias se refugiaron "
    "en sus casas. La zona ha registrado enfrentamientos entre grupos criminales que se disputan "
    "el control de las rutas de trasiego hacia el norte del país."
)


def _rec(url, text, feed_id, title="Atacan base en Fresnillo", published=None):
    return ArticleRecord(
        canonical_url=url,
        url=url,
        feed_id=feed_id,
        text=text,
        content_hash=content_hash(text),
        title=title,
        published_at=published or datetime(2026, 11, 20, 9, tzinfo=UTC),
        site=site_of(url),
        title_key=title_key(title),
        signature=minhash_signature(text),
    )


def _feeds(s):
    return feeds_db.sync_feeds(s, [FeedSource(n, f"https://{n}.example/feed") for n in "abcd"])


def test_wire_copies_with_new_intro_cluster_across_outlets(engine):
    intros = [
        "ZACATECAS, Zac.- ",
        "Información de agencias. ",
        "En un nuevo hecho violento en la entidad, ",
    ]
    with session_scope(engine) as s:
        f = _feeds(s)
        ids = []
        for intro, outlet in zip(intros, "abc", strict=True):
            aid, created = articles_db.store_article(
                s, _rec(f"https://{outlet}.example/nota-fresnillo", intro + WIRE, f[outlet])
            )
            assert created
            ids.append(aid)
        clusters = {s.get(Article, i).cluster_id for i in ids}
        assert len(clusters) == 1
        cluster = s.get(StoryCluster, clusters.pop())
        assert cluster.size == 3 and cluster.representative_id == ids[0]


def test_different_attack_same_city_same_style_does_not_cluster(engine):
    other = (
        "Un grupo armado atacó la noche del viernes un bar en el centro de Fresnillo, Zacatecas, "
        "donde murieron cuatro personas y otras seis resultaron heridas. De acuerdo con la "
        "policía municipal, los agresores llegaron a pie, dispararon contra los clientes y "
        "escaparon en una motocicleta rumbo a la colonia Plan de Ayala. Paramédicos de la Cruz "
        "Roja atendieron a los lesionados, que fueron trasladados al hospital general. El "
        "ayuntamiento suspendió los eventos nocturnos del fin de semana y pidió a la población "
        "denunciar cualquier actividad sospechosa a través de la línea de emergencias."
    )
    with session_scope(engine) as s:
        f = _feeds(s)
        a, _ = articles_db.store_article(s, _rec("https://a.example/base", WIRE, f["a"]))
        b, _ = articles_db.store_article(
            s, _rec("https://b.example/bar", other, f["b"], "Ataque a bar")
        )
        assert s.get(Article, a).cluster_id != s.get(Article, b).cluster_id


def test_exact_same_text_new_url_same_outlet_is_one_article(engine):
    with session_scope(engine) as s:
        f = _feeds(s)
        a, _ = articles_db.store_article(s, _rec("https://a.example/nota?id=1", WIRE, f["a"]))
        b, created = articles_db.store_article(s, _rec("https://a.example/otra-url", WIRE, f["a"]))
        assert (b, created) == (a, False)
        c, created = articles_db.store_article(s, _rec("https://b.example/nota", WIRE, f["b"]))
        assert created and c != a  # another outlet: its own row, same cluster
        assert s.get(Article, c).cluster_id == s.get(Article, a).cluster_id


def test_same_headline_same_outlet_within_a_week_is_a_republication(engine):
    t0 = datetime(2026, 11, 20, 9, tzinfo=UTC)
    edited = WIRE.replace("dos elementos resultaron heridos", "tres elementos resultaron heridos")
    with session_scope(engine) as s:
        f = _feeds(s)
        a, _ = articles_db.store_article(
            s, _rec("https://a.example/v1", WIRE, f["a"], published=t0)
        )
        b, created = articles_db.store_article(
            s, _rec("https://a.example/v2", edited, f["a"], published=t0 + timedelta(days=2))
        )
        assert (b, created) == (a, False)
        # same headline, but eight days later: a new article
        c, created = articles_db.store_article(
            s,
            _rec(
                "https://a.example/v3",
                edited + " Actualización.",
                f["a"],
                published=t0 + timedelta(days=8),
            ),
        )
        assert created
        # same headline, same week, but a substantially different text: a new article
        different = "Texto distinto sobre otro tema: " + " ".join(reversed(WIRE.split()))
        d, created = articles_db.store_article(
            s, _rec("https://a.example/v4", different, f["a"], published=t0 + timedelta(days=1))
        )
        assert created
        assert s.scalar(select(func.count()).select_from(Article)) == 3


def test_clusters_listing_and_prune_keeps_text(engine):
    from storage.tables import utcnow

    with session_scope(engine) as s:
        f = _feeds(s)
        a, _ = articles_db.store_article(s, _rec("https://a.example/x", WIRE, f["a"]))
        b, _ = articles_db.store_article(
            s, _rec("https://b.example/x", "Versión local. " + WIRE, f["b"])
        )
        rows = dedup_db.list_clusters(s)
        assert len(rows) == 1
        assert rows[0].outlets == ["a.example", "b.example"]
        assert sorted(rows[0].article_ids) == sorted([a, b])
        assert [r.cluster_id for r in articles_db.list_articles(s)] == [rows[0].id] * 2
    with session_scope(engine) as s:
        assert articles_db.prune_raw_html(s, utcnow() - timedelta(days=1)) == 0
        assert (
            articles_db.prune_raw_html(s, utcnow() + timedelta(seconds=1)) == 0
        )  # no raw_html stored
        s.get(Article, a).raw_html = b"\x1f\x8b compressed"
    with session_scope(engine) as s:
        assert articles_db.prune_raw_html(s, utcnow() + timedelta(seconds=1)) == 1
        art = s.get(Article, a)
        assert art.raw_html is None and art.text == WIRE and art.cluster_id is not None


@pytest.mark.parametrize(
    ("gap", "joins"),
    [(timedelta(days=29, hours=23), True), (timedelta(days=30, hours=1), False)],
    ids=["29d23h", "30d1h"],
)
def test_cluster_window_is_thirty_days(engine, gap, joins):
    """A copy stored more than 30 days after the first stays out of its cluster; one stored
    within 30 days joins it (the window is over when the copies were stored)."""
    from config import clock

    t0 = datetime(2026, 11, 1, 12, tzinfo=UTC)
    with session_scope(engine) as s:
        f = _feeds(s)
        with clock.travel(t0):
            first, _ = articles_db.store_article(s, _rec("https://a.example/n", WIRE, f["a"]))
        with clock.travel(t0 + gap):
            later, _ = articles_db.store_article(
                s, _rec("https://b.example/n", "B. " + WIRE, f["b"])
            )
        clusters = dict(
            s.execute(
                select(Article.id, Article.cluster_id).where(Article.id.in_([first, later]))
            ).all()
        )
    assert (clusters[later] == clusters[first]) is joins
