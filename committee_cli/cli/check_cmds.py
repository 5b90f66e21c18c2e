"""Commands that check and maintain a registry: validate, fmt, schema, init."""

from __future__ import annotations

import sys
from enum import Enum
from pathlib import Path

import typer

from committee_cli.cli.base import app, registry_dir
from committee_cli.errors import ExitCode


class ProblemFormat(str, Enum):
    text = "text"
    json = "json"
    github = "github"


@app.command()
def validate(
    ctx: typer.Context,
    fmt: ProblemFormat = typer.Option(ProblemFormat.text, "--format", "-f",
                                      help="text (grouped by file), json, or github annotations."),
    base: str | None = typer.Option(None, "--base", help="Also check the change against this "
                                    "git revision (signed decisions frozen, numbers free, …)."),
    list_rules: bool = typer.Option(False, "--list-rules", help="List every rule code and exit."),
) -> None:
    """Check the registry: YAML, types, references and every rule; exit 1 on errors.

    Example: committee validate --format github
    """
    from committee_cli.cli.output import print_problems
    from committee_cli.services.validation import errors_only, validate_dir

    if list_rules:
        from committee_cli.rules import rule_catalogue

        for rule in rule_catalogue():
            suffix = " (needs --base)" if rule.needs_base else ""
            typer.echo(f"{rule.code}  {rule.title}{suffix}")
        return
    root = registry_dir(ctx)
    result, problems = validate_dir(root)
    if base is not None:
        from committee_cli.services.review import base_problems

        problems = sorted([*problems, *base_problems(root, base, result)],
                          key=lambda p: p.sort_key())
    label = _label(root)
    print_problems(problems, fmt=fmt.value, registry_label=label)
    errors = errors_only(problems)
    if fmt is ProblemFormat.text:
        summary = (f"{len(errors)} error(s), {len(problems) - len(errors)} warning(s) in "
                   f"{len(result.texts)} file(s)") if problems else (
            f"ok: {len(result.texts)} file(s), no problems")
        typer.echo(summary, err=bool(errors))
    raise typer.Exit(ExitCode.PROBLEMS if errors else ExitCode.OK)


def _label(root: Path) -> str:
    try:
        return root.resolve().relative_to(Path.cwd().resolve()).as_posix()
    except ValueError:
        return str(root)


@app.command()
def fmt(
    ctx: typer.Context,
    check: bool = typer.Option(False, "--check", help="Only list files that would change; "
                               "exit 1 if any."),
) -> None:
    """Rewrite files in the canonical layout (key order, indentation, quoting, NFC), keeping comments.

    Example: committee fmt --check
    """
    from committee_cli.cli.output import print_problems
    from committee_cli.services.formatting import format_registry

    root = registry_dir(ctx)
    result = format_registry(root, check=check)
    for rel in result.changed:
        typer.echo(f"{'would reformat' if check else 'reformatted'} {rel}")
    if result.problems:
        print_problems(result.problems, stream=sys.stderr)
        typer.echo("files with errors were left as they are; fix them first", err=True)
        raise typer.Exit(ExitCode.PROBLEMS)
    if check and result.changed:
        typer.echo(f"{len(result.changed)} file(s) not in canonical form: run `committee fmt`",
                   err=True)
        raise typer.Exit(ExitCode.PROBLEMS)
    if not result.changed:
        typer.echo("all files canonical", err=True)


@app.command()
def schema(
    kind: str | None = typer.Argument(None, help="One file kind (registry, person, seat, …); "
                                      "default: all, as one JSON object by kind."),
    out: Path | None = typer.Option(None, "--out", help="Write one <kind>.schema.json per kind "
                                    "into this folder instead of printing."),
) -> None:
    """Print the JSON Schema of the registry files, for editors and other tools.

    Example: committee schema seat
    """
    import json

    from committee_cli.errors import UsageError
    from committee_cli.services.setup import schemas

    all_schemas = schemas()
    if kind is not None and kind not in all_schemas:
        from committee_cli.rules.base import did_you_mean

        raise UsageError(f"unknown file kind '{kind}'{did_you_mean(kind, all_schemas)}; "
                         f"kinds: {', '.join(all_schemas)}")
    chosen = {kind: all_schemas[kind]} if kind else all_schemas
    if out is not None:
        from committee_cli.store.transaction import write_files

        out.mkdir(parents=True, exist_ok=True)
        write_files(out, {f"{k}.schema.json": json.dumps(v, ensure_ascii=False, indent=2) + "\n"
                          for k, v in chosen.items()})
        typer.echo(f"wrote {len(chosen)} schema file(s) to {out}")
        return
    typer.echo(json.dumps(chosen[kind] if kind else chosen, ensure_ascii=False, indent=2))


@app.command()
def init(
    directory: Path = typer.Argument(..., help="Folder for the new registry (new or empty)."),
    name: str = typer.Option("Sổ đăng ký Ban Chỉ đạo", "--name", help="The registry's name."),
) -> None:
    """Create a new, empty, valid registry whose files point editors to the JSON Schema.

    Example: committee init my-registry --name "UBND tỉnh X"
    """
    from committee_cli.services.setup import init_registry
    from committee_cli.vietnamese import nfc

    written = init_registry(directory, nfc(name))
    typer.echo(f"created registry in {directory} ({len(written)} files); next: "
               f"committee --registry {directory} validate")
