"""The `borderwatch` command line. Output shapes documented in the README are contracts.

One module per command group, each command a plain function registered here, in the order
`borderwatch --help` lists them: ``poll`` (poll, serve), ``articles`` (tag, articles),
``backfill`` (backfill, retag), ``db`` (prune, db upgrade), ``feeds`` (feeds and its
subcommands), ``review`` (review, digest, web); ``_common`` holds the consoles and helpers.
"""

from __future__ import annotations

import logging

import typer

from flows.cli import articles, backfill, db, feeds, poll, review

app = typer.Typer(
    add_completion=False,
    no_args_is_help=True,
    help="borderwatch: border and cartel-violence news monitoring.",
)
app.add_typer(db.db_app, name="db")
app.add_typer(feeds.feeds_app, name="feeds")
app.command()(poll.poll)
app.command()(articles.tag)
app.command()(articles.articles)
app.command()(backfill.backfill)
app.command()(backfill.retag)
app.command()(db.prune)
app.command()(poll.serve)
review.register(app)


def main() -> None:
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    app()


__all__ = ["app", "main"]
