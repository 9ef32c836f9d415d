"""Prefect over the plain pipeline: the flows and their tasks (``pipeline_flows``: poll,
retag, backfill and their fan-outs; ``digest``: the morning digest) and the deployments that
``borderwatch serve`` builds and serves (``deployments``).

No module here is named ``flows`` or ``prefect``: Prefect puts an entrypoint's folder on
sys.path, where such a name would hide the library (or this package)."""
