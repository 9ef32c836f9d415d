"""storage.review_queue, search and spikes on both engines: queue, decisions, markers, filters,
search, spikes, export."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import inspect, select, text

from flows.review.spikes import detect_spikes, spikes_at
from storage import review_queue as review_queue_db
from storage import search as search_db
from storage import spikes as spikes_db
from storage import tagging as tagging_db
from storage.db import current_revision, downgrade, make_engine, session_scope, upgrade
from storage.tables import Article, ReviewEvent
from tests.flows.review import seed

seeded = seed.seeded  # the fixture (tests/flows/review/seed.py)


def test_flagged_queue_and_marks_persist(seeded):
    ids = seeded.ids
    with session_scope(seeded.engine) as s:
        arts = review_queue_db.flagged_articles(s, statuses=("new",))
        got = {a.id for a in arts}
        assert ids["fresnillo"] in got and ids["xss"] in got and ids["border"] in got
        assert ids["routine"] not in got and ids["sinaloa_1"] not in got
        a = next(a for a in arts if a.id == ids["culiacan"])
        assert a.feed == "Noroeste" and [e.id for e in a.states] == ["sinaloa"]
        assert a.officials[0].role == "governor" and a.groups[0].id == "sinaloa-cartel"
        assert review_queue_db.mark(s, [ids["culiacan"]], "important", "escalating") == 1
        review_queue_db.mark(s, [ids["culiacan"]], None, "  ")  # note only: blank clears it
        review_queue_db.mark(s, [ids["jerez"]], "dismissed")
    with session_scope(seeded.engine) as s:
        art = s.get(Article, ids["culiacan"])
        assert art.review_status == "important" and art.review_note is None
        assert art.reviewed_at is not None
        events = s.scalars(
            select(ReviewEvent).where(ReviewEvent.article_id == ids["culiacan"])
        ).all()
        assert [(e.status, e.note) for e in events] == [
            ("important", "escalating"),
            ("important", None),
        ]
        left = {a.id for a in review_queue_db.flagged_articles(s, statuses=("new",))}
        assert ids["culiacan"] not in left and ids["jerez"] not in left
        detail = review_queue_db.article_detail(s, ids["culiacan"])
        assert detail is not None and len(detail.history) == 2
        assert review_queue_db.review_counts(s)["important"] == 1


def test_mark_rejects_unknown_status(seeded):
    import pytest

    with session_scope(seeded.engine) as s, pytest.raises(ValueError):
        review_queue_db.mark(s, [seeded.ids["jerez"]], "deleted")


def test_markers_round_trip(engine):
    from storage.tables import utcnow

    now = utcnow()
    with session_scope(engine) as s:
        assert review_queue_db.get_marker(s, review_queue_db.LAST_DIGEST) is None
        review_queue_db.set_marker(s, review_queue_db.LAST_DIGEST, now)
    with session_scope(engine) as s:
        review_queue_db.set_marker(s, review_queue_db.LAST_DIGEST, now + timedelta(hours=1))
    with session_scope(engine) as s:
        assert review_queue_db.get_marker(s, review_queue_db.LAST_DIGEST) == now + timedelta(
            hours=1
        )


def test_since_window_uses_arrival_time(seeded):
    with session_scope(seeded.engine) as s:
        assert review_queue_db.flagged_articles(s, since=seeded.now + timedelta(minutes=5)) == []
        assert (
            len(review_queue_db.flagged_articles(s, since=seeded.now - timedelta(minutes=5))) == 7
        )


def test_detail_has_cluster_copies_and_mentions(seeded):
    ids = seeded.ids
    with session_scope(seeded.engine) as s:
        d = review_queue_db.article_detail(s, ids["fresnillo"])
        assert d is not None
        assert [o.id for o in d.cluster] == [ids["fresnillo_copy"]]
        assert d.cluster[0].feed == "Imagen Zacatecas"
        for m in d.mentions:
            assert d.text[m.start : m.end] == m.surface
        assert review_queue_db.article_detail(s, 10**9) is None


def _ids(page):
    return {a.id for a in page.rows}


def test_search_filters(seeded):
    ids = seeded.ids
    with session_scope(seeded.engine) as s:
        everything = search_db.search_articles(s, search_db.ArticleFilter())
        assert everything.total == 7
        # newest first
        whens = [a.when for a in everything.rows]
        assert whens == sorted(whens, reverse=True)
        zac = search_db.search_articles(s, search_db.ArticleFilter(state="zacatecas"))
        assert _ids(zac) == {
            ids["fresnillo"],
            ids["fresnillo_copy"],
            ids["jerez"],
            ids["guadalupe"],
        }
        # a place mention counts for its state (Reynosa → Tamaulipas) even without state text
        assert _ids(search_db.search_articles(s, search_db.ArticleFilter(state="tamaulipas"))) == {
            ids["xss"]
        }
        assert _ids(search_db.search_articles(s, search_db.ArticleFilter(group="cjng"))) == {
            ids["fresnillo"],
            ids["fresnillo_copy"],
        }
        assert _ids(
            search_db.search_articles(s, search_db.ArticleFilter(official="david-monreal"))
        ) == {ids["guadalupe"]}
        assert _ids(search_db.search_articles(s, search_db.ArticleFilter(outlet="Noroeste"))) == {
            ids["culiacan"],
            ids["xss"],
        }
        assert _ids(search_db.search_articles(s, search_db.ArticleFilter(language="en"))) == {
            ids["border"]
        }
        review_queue_db.mark(s, [ids["jerez"]], "reviewed")
        assert _ids(search_db.search_articles(s, search_db.ArticleFilter(status="reviewed"))) == {
            ids["jerez"]
        }
        win = search_db.ArticleFilter(
            date_from=seeded.now - timedelta(hours=4, minutes=30),
            date_to=seeded.now - timedelta(hours=1, minutes=30),
        )
        assert _ids(search_db.search_articles(s, win)) == {
            ids["fresnillo_copy"],
            ids["jerez"],
            ids["guadalupe"],
        }
        all_scope = search_db.search_articles(
            s, search_db.ArticleFilter(flagged_only=False, state="sinaloa")
        )
        assert all_scope.total == 15


def test_full_text_search(seeded):
    ids = seeded.ids
    with session_scope(seeded.engine) as s:
        hit = search_db.search_articles(s, search_db.ArticleFilter(q="helicóptero"))
        assert _ids(hit) == {ids["fresnillo"], ids["fresnillo_copy"]}
        assert _ids(search_db.search_articles(s, search_db.ArticleFilter(q="cinco cuerpos"))) == {
            ids["jerez"]
        }
        assert (
            _ids(search_db.search_articles(s, search_db.ArticleFilter(q="Jerez", state="sinaloa")))
            == set()
        )
        # FTS syntax in user input is neutralised, not an error: the words still match, the
        # operators are no operators, and a query of no words matches nothing
        assert _ids(search_db.search_articles(s, search_db.ArticleFilter(q='helicóptero* ("'))) == {
            ids["fresnillo"],
            ids["fresnillo_copy"],
        }
        assert search_db.search_articles(s, search_db.ArticleFilter(q='"OR * NEAR( -x')).total == 0
        assert search_db.search_articles(s, search_db.ArticleFilter(q="***")).total == 0


def test_search_follows_the_text_not_the_tags(seeded):
    """The search rows change with an article's title or text, never with its tags or flag:
    a retag must not rewrite the search index (revision 0010; on PostgreSQL the row version of
    the article's ``articles_fts`` row stays the same)."""
    eng, aid = seeded.engine, seeded.ids["jerez"]
    pg = eng.dialect.name == "postgresql"

    def found(q: str) -> set[int]:
        with session_scope(eng) as s:
            return _ids(
                search_db.search_articles(s, search_db.ArticleFilter(q=q, flagged_only=False))
            )

    def search_row_version() -> str | None:
        if not pg:
            return None
        with eng.connect() as c:
            return str(
                c.execute(
                    text("SELECT xmin::text FROM articles_fts WHERE article_id = :i"), {"i": aid}
                ).scalar_one()
            )

    before = search_row_version()
    with session_scope(eng) as s:
        tagging_db.replace_tags_many(s, [tagging_db.TagWrite(aid, False, (), {}, "v-other", ())])
    assert search_row_version() == before
    assert found("cinco cuerpos") == {aid}
    with eng.begin() as c:
        c.execute(
            text(
                "UPDATE articles SET title = 'Un tlacuache', text = 'hallan un tlacuache en "
                "la plaza' WHERE id = :i"
            ),
            {"i": aid},
        )
    assert found("tlacuache") == {aid}
    assert found("cinco cuerpos") == set()
    if pg:
        assert search_row_version() != before


def test_pagination(seeded):
    with session_scope(seeded.engine) as s:
        p1 = search_db.search_articles(s, search_db.ArticleFilter(), page=1, per_page=3)
        p3 = search_db.search_articles(s, search_db.ArticleFilter(), page=3, per_page=3)
        assert p1.total == 7 and p1.pages == 3 and len(p1.rows) == 3 and len(p3.rows) == 1
        p2 = search_db.search_articles(s, search_db.ArticleFilter(), page=2, per_page=3)
        assert not (_ids(p1) & _ids(p2)) and not (_ids(p2) & _ids(p3))


def test_export_and_options(seeded):
    with session_scope(seeded.engine) as s:
        rows = list(
            search_db.export_articles(s, search_db.ArticleFilter(state="zacatecas"), batch=2)
        )
        assert len(rows) == 4
        opts = search_db.filter_options(s)
        assert {"zacatecas", "sinaloa", "tamaulipas"} <= set(opts.states)
        assert "cjng" in opts.groups and "david-monreal" in opts.officials
        assert "Border Report" in opts.outlets and set(opts.languages) == {"en", "es"}


def test_spike_for_zacatecas_not_for_steady_sinaloa(seeded):
    with session_scope(seeded.engine) as s:
        series = {(x.entity_type, x.entity_id): x for x in spikes_db.entity_series(s, seeded.now)}
        zac = series[("state", "zacatecas")]
        # three distinct stories today: the two-outlet Fresnillo story counts once
        assert zac.daily[0] == 3 and sum(zac.daily[1:]) == 0
        sin = series[("state", "sinaloa")]
        assert sin.daily == [1] * 15
        assert series[("group", "cjng")].daily[0] == 1  # two outlets, one story
        assert series[("official", "david-monreal")].daily[0] == 1
        found = detect_spikes(series.values())
        assert [(sp.entity_type, sp.entity_id) for sp in found] == [("state", "zacatecas")]
        full = spikes_db.entity_evidence(s, zac, seeded.now)
        assert full.name == "Zacatecas"
        assert {a.id for a in full.evidence} == {
            seeded.ids[k] for k in ("fresnillo", "fresnillo_copy", "jerez", "guadalupe")
        }
        spikes = spikes_at(s, seeded.now)
        assert [sp.name for sp in spikes] == ["Zacatecas"]
        assert spikes[0].threshold == 3.0 and len(spikes[0].evidence) == 4
        # a day later the surge is the baseline's newest day: no spike
        assert spikes_at(s, seeded.now + timedelta(days=1)) == []


def test_migration_0003_down_and_up(tmp_path):
    engine = make_engine(f"sqlite:///{tmp_path / 'm.db'}")
    try:
        upgrade(engine, "0003")
        assert current_revision(engine) == "0003"
        downgrade(engine, "0002")
        names = set(inspect(engine).get_table_names())
        assert "review_events" not in names and "review_state" not in names
        upgrade(engine)
        idx = {i["name"] for i in inspect(engine).get_indexes("mentions")}
        assert "ix_mentions_state_id" in idx
    finally:
        engine.dispose()
