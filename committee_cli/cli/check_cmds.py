"""``committee validate``: check the registry (and a change against a base revision)."""

from __future__ import annotations

from enum import Enum
from pathlib import Path

import typer

from committee_cli import rules
from committee_cli.cli.base import CHECK, app, registry_dir
from committee_cli.cli.env import environment
from committee_cli.cli.output import busy, print_problems
from committee_cli.errors import ExitCode
from committee_cli.i18n import gettext_, tr
from committee_cli.services.validation import check_dir, errors_only, validate_dir


class ProblemFormat(str, Enum):
    text = "text"
    json = "json"
    github = "github"


@app.command(rich_help_panel=CHECK)
def validate(
    ctx: typer.Context,
    fmt: ProblemFormat = typer.Option(ProblemFormat.text, "--format", "-f",
                                      help="text (grouped by file), json, or github annotations."),
    base: str | None = typer.Option(None, "--base", help="Also check the change against this "
                                    "git revision (signed decisions frozen, numbers free, …)."),
    list_rules: bool = typer.Option(False, "--list-rules", help="List every rule code and exit."),
) -> None:
    """Check the registry: YAML, types, references and every rule; exit 1 on errors.

    Reads every file of the registry and reports each problem with its file, line, rule code
    and what to do. Warnings do not change the exit code. With --base, also checks the change
    against a git revision, as CI does on a pull request.

    Example: committee validate --format github
    """
    if list_rules:
        for rule in rules.rule_catalogue():
            suffix = " " + tr("(needs --base)") if rule.needs_base else ""
            typer.echo(f"{rule.code}  {gettext_(rule.title)}{suffix}")
        return
    env = environment(ctx)
    root = registry_dir(ctx)
    with busy(tr("checking the registry…"), env):
        if base is None:
            files, problems = check_dir(root)
        else:
            from committee_cli.services.review import base_problems  # (only with --base)

            result, problems = validate_dir(root)
            files = len(result.texts)
            problems = sorted([*problems, *base_problems(root, base, result)],
                              key=lambda p: p.sort_key())
    label = _label(root)
    print_problems(problems, fmt=fmt.value, registry_label=label, env=env)
    errors = errors_only(problems)
    if fmt is ProblemFormat.text:
        summary = tr("{errors} error(s), {warnings} warning(s) in {files} file(s)",
                     errors=len(errors), warnings=len(problems) - len(errors),
                     files=files) if problems else (
            tr("ok: {files} file(s), no problems", files=files))
        typer.echo(summary, err=bool(errors))
    raise typer.Exit(ExitCode.PROBLEMS if errors else ExitCode.OK)


def _label(root: Path) -> str:
    try:
        return root.resolve().relative_to(Path.cwd().resolve()).as_posix()
    except ValueError:
        return str(root)
