"""Commands that maintain a registry: fmt (canonical layout), schema (JSON Schema), init."""

from __future__ import annotations

import json
from pathlib import Path

import typer

from committee_cli.cli.base import CHANGE, CHECK, PRODUCE, app, registry_dir
from committee_cli.cli.env import environment
from committee_cli.cli.output import print_problems
from committee_cli.errors import ExitCode, UsageError
from committee_cli.i18n import tr
from committee_cli.rules.base import did_you_mean
from committee_cli.services import setup
from committee_cli.services.formatting import format_registry
from committee_cli.store.transaction import write_files
from committee_cli.vietnamese import nfc


@app.command(rich_help_panel=CHECK)
def fmt(
    ctx: typer.Context,
    check: bool = typer.Option(False, "--check", help="Only list files that would change; "
                               "exit 1 if any."),
) -> None:
    """Rewrite files in the canonical layout (key order, indentation, quoting, NFC), keeping comments.

    Only the layout changes, never a value: run it before committing so that diffs stay small.
    Files that do not load are left alone and reported. With --check nothing is written (for CI).

    Example: committee fmt --check
    """
    env = environment(ctx)
    root = registry_dir(ctx)
    result = format_registry(root, check=check)
    for note in result.notes:
        typer.echo(tr("note: {note}", note=note), err=True)
    for rel in result.changed:
        typer.echo(tr("would reformat {file}", file=rel) if check
                   else tr("reformatted {file}", file=rel))
    if result.problems:
        print_problems(result.problems, stream=env.stderr, env=env)
        typer.echo(tr("files with errors were left as they are; fix them first"), err=True)
        raise typer.Exit(ExitCode.PROBLEMS)
    if check and result.changed:
        typer.echo(tr("{count} file(s) not in canonical form: run `committee fmt`",
                      count=len(result.changed)), err=True)
        raise typer.Exit(ExitCode.PROBLEMS)
    if not result.changed:
        typer.echo(tr("all files canonical"), err=True)


@app.command(rich_help_panel=PRODUCE)
def schema(
    kind: str | None = typer.Argument(None, help="One file kind (registry, person, seat, …); "
                                      "default: all, as one JSON object by kind."),
    out: Path | None = typer.Option(None, "--out", help="Write one <kind>.schema.json per kind "
                                    "into this folder instead of printing."),
) -> None:
    """Print the JSON Schema of the registry files, for editors and other tools.

    Editors that read JSON Schema (VS Code with the YAML extension, for one) then complete
    field names and flag mistakes while you type. Without KIND, prints every kind at once.

    Example: committee schema seat
    """
    all_schemas = setup.schemas()
    if kind is not None and kind not in all_schemas:
        raise UsageError(tr("unknown file kind '{kind}'{suggestion}; kinds: {kinds}", kind=kind,
                            suggestion=did_you_mean(kind, all_schemas), kinds=", ".join(all_schemas)))
    chosen = {kind: all_schemas[kind]} if kind else all_schemas
    if out is not None:
        out.mkdir(parents=True, exist_ok=True)
        write_files(out, {f"{k}.schema.json": json.dumps(v, ensure_ascii=False, indent=2) + "\n"
                          for k, v in chosen.items()})
        typer.echo(tr("wrote {count} schema file(s) to {folder}", count=len(chosen), folder=out))
        return
    typer.echo(json.dumps(chosen[kind] if kind else chosen, ensure_ascii=False, indent=2))


@app.command(rich_help_panel=CHANGE)
def init(
    directory: Path = typer.Argument(..., help="Folder for the new registry (new or empty)."),
    name: str = typer.Option("Sổ đăng ký Ban Chỉ đạo", "--name", help="The registry's name."),
) -> None:
    """Create a new, empty, valid registry whose files point editors to the JSON Schema.

    Writes registry.yaml (the role vocabularies) and one folder per kind of record. Add the
    organisations and people first, then draft the founding decision with `committee decision
    new`.

    Example: committee init my-registry --name "UBND tỉnh X"
    """
    written = setup.init_registry(directory, nfc(name))
    typer.echo(tr("created registry in {folder} ({count} files); next: "
                  "committee --registry {folder} validate", folder=directory, count=len(written)))
