"""``committee doctor``: check this computer and say what to install or change."""

from __future__ import annotations

from enum import Enum
from pathlib import Path

import typer

from committee_cli.cli.base import CHECK, app, find_registry
from committee_cli.cli.env import environment
from committee_cli.cli.output import dumps_json
from committee_cli.errors import ExitCode
from committee_cli.i18n import N_, gettext_, tr
from committee_cli.resources import package_data
from committee_cli.services.doctor import diagnose, healthy


class DoctorFormat(str, Enum):
    text = "text"
    json = "json"


_STATUS = {"ok": N_("ok"), "warn": N_("warn"), "fail": N_("FAIL")}


@app.command(rich_help_panel=CHECK)
def doctor(
    ctx: typer.Context,
    fmt: DoctorFormat = typer.Option(DoctorFormat.text, "--format", "-f",
                                     help="text, or json for scripts."),
) -> None:
    """Check this computer: Python, git, the registry and its schema, PDF engines and fonts.

    Each check says what it found and, when something is missing, what to install or change.
    Exit 0 when the essential checks pass (Python, git, a registry whose schema version this
    release reads), 1 otherwise; PDF, fonts, optional extras and the cache only warn.

    Example: committee --registry registry doctor
    """
    given = environment(ctx).registry
    if given is not None:
        root, how = given, tr("given by --registry or COMMITTEE_REGISTRY")
    elif (found := find_registry(Path.cwd())) is not None:
        root, how = found, tr("found from the current folder")
    else:
        root, how = package_data("registry"), tr("the sample shipped with committee-cli; "
                                                 "amendments never write to it")
    checks = diagnose(root, how)
    ok = healthy(checks)
    if fmt is DoctorFormat.json:
        typer.echo(dumps_json({"healthy": ok, "checks": [c.as_dict() for c in checks]}))
    else:
        width = max(len(c.name) for c in checks)
        for c in checks:
            typer.echo(f"{gettext_(_STATUS[c.status]):<9} {c.name:<{width}}  {c.found}")
            if c.fix:
                typer.echo(f"{'':<9} {'':<{width}}  → {c.fix}")
        typer.echo(tr("essential checks passed") if ok
                   else tr("an essential check failed: fix what FAIL says above"), err=not ok)
    raise typer.Exit(ExitCode.OK if ok else ExitCode.PROBLEMS)
