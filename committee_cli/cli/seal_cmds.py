"""Commands on signed decisions' seals: ``decision correct`` (an acknowledged correction of the
signed text) and ``migrate`` (upgrade fingerprints to the current scheme)."""

from __future__ import annotations

import typer

from committee_cli.cli.amend_cmds import COMMIT, DRY_RUN, _run, decision_app
from committee_cli.cli.base import CHANGE, app
from committee_cli.cli.complete import complete_decision
from committee_cli.cli.options import parse_date_option as _date
from committee_cli.services.decisions import correct_decision, migrate_signatures


@decision_app.command("correct")
def decision_correct(
    ctx: typer.Context,
    decision: str = typer.Argument(..., metavar="ID", help="The signed decision whose facts "
                                   "were corrected.", autocompletion=complete_decision),
    reason: str = typer.Option(..., "--reason", metavar="TEXT", help="Why the signed text is "
                               "corrected (kept with the correction)."),
    on: str | None = typer.Option(None, "--date", metavar="DATE", help="Date of the "
                                  "correction (default: today)."),
    dry_run: bool = DRY_RUN,
    commit: bool = COMMIT,
) -> None:
    """Record a genuine correction of a signed decision's text (a typo in a name, a title).

    Make the edit first (`amend person update`, or by hand); `validate` then names the changed
    facts. This records them, before and after, with the reason, the date and the new
    fingerprint, in the decision's signature record; `history` and `diff` show it.

    Example: committee decision correct qd-913-2021 --reason "Sửa lỗi chính tả họ tên"
    """
    when = _date(on, "--date")
    _run(ctx, lambda uow: correct_decision(uow, decision, reason=reason, on=when), dry_run,
         commit)


@app.command(rich_help_panel=CHANGE)
def migrate(
    ctx: typer.Context,
    dry_run: bool = DRY_RUN,
    commit: bool = COMMIT,
) -> None:
    """Upgrade signed decisions' fingerprints to the current scheme (their facts).

    A signature of scheme 1 guards only the decision's own file; scheme 2 guards every fact
    its document states. Each upgraded signature keeps its old fingerprint under `previous`.
    A scheme-1 signature that no longer matches its file is refused, not sealed silently.

    Example: committee migrate --commit
    """
    _run(ctx, migrate_signatures, dry_run, commit)
