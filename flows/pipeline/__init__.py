"""The poll pipeline, plain Python (no Prefect): one module per responsibility.

* ``poll``: ``run_poll`` (the cycle, step by step, in lanes), the stage functions;
* ``run``: ``PollRun``, one mixin per step: ``leases`` (lease, record, release; the lease
  keeper), ``feeds`` (fetch feeds, select new entries; ``probe_feeds``), ``gap_fill`` (gaps),
  ``articles`` (fetch, extract, tag, store; stub re-fetches); shared state in ``state``;
* ``records``: what the steps pass on (FeedOutcome, ArticleTask, PollSummary …);
* ``extraction_pool``: the process pool that extracts, tags and fingerprints pages;
* ``cadence``: per-feed next check and health; ``stubs``: the stub retry policy;
* ``backfill``: date-range backfills; ``retag``: re-tagging stored articles.

This file imports nothing: the extraction processes import ``flows.pipeline.extraction_pool``
and must not load the rest of the pipeline (and the modules import each other freely).
"""
