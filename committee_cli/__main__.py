"""``python -m committee_cli``, and the ``committee`` program, run the command line.

Only the program imports this module: the cycle collector is off from its first import on
(``committee_cli.bulk.collect_after_start_up``; the command turns it back on when it runs), as
``committee_cli.cli.app.main`` keeps it for the imports it makes itself. A library caller that
imports ``committee_cli.cli.app`` keeps the collector as it is."""

from committee_cli.bulk import collect_after_start_up

collect_after_start_up()

from committee_cli.cli.app import main  # noqa: E402

__all__ = ["main"]

if __name__ == "__main__":
    main()
