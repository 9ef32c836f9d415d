"""The digest as a Prefect flow (artifact morning-digest) and its daily deployment."""

from __future__ import annotations

import asyncio

import pytest

from storage.db import open_database


def test_daily_digest_deployment(settings):
    from flows.orchestration.digest import digest_deployment

    dep = digest_deployment(settings)
    assert dep.name == "digest"
    sched = dep.schedules[0].schedule
    assert sched.cron == "0 7 * * *" and sched.timezone == "America/Mexico_City"
    other = settings.model_copy(update={"digest_cron": "30 6 * * 1-5", "timezone": "UTC"})
    sched = digest_deployment(other).schedules[0].schedule
    assert (sched.cron, sched.timezone) == ("30 6 * * 1-5", "UTC")


def test_serve_registers_the_digest_deployment(settings):
    # no try/skip: a broken import or signature in the deployments must fail here
    from flows.orchestration.deployments import build_deployments

    got = {
        (d.flow_name, d.name): (
            [(s.schedule.cron, s.schedule.timezone) for s in d.schedules],
            d.parameters,
        )
        for d in build_deployments(settings)
    }
    assert got == {
        ("poll", "scheduled"): ([("*/15 * * * *", "America/Mexico_City")], {"due_only": True}),
        ("digest", "digest"): ([("0 7 * * *", "America/Mexico_City")], {}),
        ("retag", "adhoc"): ([], {}),
        ("backfill", "adhoc"): ([], {}),
        ("backfill-cycle", "fanout"): ([], {}),
    }


@pytest.mark.prefect
@pytest.mark.slow
def test_digest_flow_publishes_the_markdown_artifact(settings):
    from prefect import get_client
    from prefect.client.schemas.filters import ArtifactFilter, ArtifactFilterKey
    from prefect.testing.utilities import prefect_test_harness

    from flows.orchestration.digest import digest
    from tests.flows.review.seed import seed

    engine = open_database(settings.db_url)
    seed(engine)
    engine.dispose()
    with prefect_test_harness(server_startup_timeout=120):
        state = digest(return_state=True)
        assert state.is_completed(), state
        summary = state.result()
        assert summary["stories"] == 6 and summary["spikes"][0]["name"] == "Zacatecas"
        assert {p.rsplit(".", 1)[1] for p in summary["files"]} == {"md", "html"}

        async def artifacts():
            async with get_client() as client:
                return await client.read_artifacts(
                    artifact_filter=ArtifactFilter(key=ArtifactFilterKey(any_=["morning-digest"]))
                )

        found = asyncio.run(artifacts())
        assert found and found[0].type == "markdown"
        assert "## Zacatecas" in found[0].data and "## Spikes" in found[0].data
