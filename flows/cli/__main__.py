"""``python -m flows.cli``: the same as the ``borderwatch`` console script."""

from flows.cli import main

main()
