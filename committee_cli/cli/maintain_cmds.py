"""Commands that maintain a registry: fmt (canonical layout), schema (JSON Schema), init."""

from __future__ import annotations

import json
from pathlib import Path

import typer

from committee_cli.cli.base import CHANGE, CHECK, PRODUCE, app, registry_dir
from committee_cli.cli.env import environment
from committee_cli.cli.output import print_problems
from committee_cli.cli.prompts import interactive
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
    issuer_name: str | None = typer.Option(None, "--issuer-name", help="The issuing body, e.g. "
                                           "Bộ Nội vụ, Ủy ban nhân dân tỉnh X (asked for at a "
                                           "terminal when missing)."),
    issuer_id: str | None = typer.Option(None, "--issuer-id", help="Its id (default: from the "
                                         "abbreviation or name)."),
    abbreviation: str | None = typer.Option(None, "--abbreviation", help="Its symbol in "
                                            "document numbers, e.g. BNV, TTg, UBND."),
    head_title: str | None = typer.Option(None, "--head-title", help="Its head's title, e.g. "
                                          "Bộ trưởng."),
    deputy_title: str | None = typer.Option(None, "--deputy-title", help="A deputy's title, "
                                            "e.g. Thứ trưởng."),
    authority: str | None = typer.Option(None, "--authority", help="The phrase naming its "
                                         "authority, e.g. Bộ trưởng Bộ Nội vụ."),
    code: str | None = typer.Option(None, "--code", help="Its identifier code (000.00.00.G09)."),
    collective: bool = typer.Option(False, "--collective", help="A collective body (signs TM.)."),
    place: str | None = typer.Option(None, "--place", help="The place its decisions are dated "
                                     "at, e.g. Quảng Ninh (default: Hà Nội)."),
    member_list: str | None = typer.Option(None, "--member-list", metavar="lines|grouped",
                                           help="Member lists one line per member (default) or "
                                           "grouped by role."),
    no_git: bool = typer.Option(False, "--no-git", help="Do not make a git repository."),
) -> None:
    """Create a new, valid registry: a git repository with its issuing body recorded.

    Writes registry.yaml, one folder per kind of record, the JSON Schema for editors, and the
    issuing body (from the --issuer-* options, or asked at a terminal), then runs `git init`
    unless the folder is already in a git work tree. Next: add the committee with `committee
    amend committee add` (docs/setting-up-a-body.md).

    Example: committee init my-registry --name "UBND tỉnh X" --issuer-name "Ủy ban nhân dân
    tỉnh X" --abbreviation UBND --head-title "Chủ tịch" --collective
    """
    if issuer_name is None and interactive():
        issuer_name, abbreviation, head_title, deputy_title, authority = _ask_issuer(
            abbreviation, head_title, deputy_title, authority)
    issuer = setup.issuer_spec(issuer_name, issuer_id, abbreviation=abbreviation,
                               head_title=head_title, deputy_title=deputy_title,
                               authority=authority, code=code, collective=collective)
    result = setup.init_registry(directory, nfc(name), issuer, git_repo=not no_git,
                                 place=nfc(place) if place else None, member_list=member_list)
    typer.echo(tr("created registry in {folder} ({count} files); next: "
                  "committee --registry {folder} validate", folder=directory,
                  count=len(result.files)))
    if issuer is not None:
        typer.echo(tr("issuing body: {name} ({org_id})", name=issuer.name, org_id=issuer.org_id))
    else:
        typer.echo(tr("no issuing body recorded: add it with `committee amend org add --issuer`"),
                   err=True)
    notes = {"created": tr("made a git repository in {folder}", folder=directory),
             "missing": tr("git is not installed: no git repository was made")}
    if result.git in notes:
        typer.echo(notes[result.git], err=True)


def _ask_issuer(abbreviation: str | None, head_title: str | None, deputy_title: str | None,
                authority: str | None) -> tuple[str | None, ...]:
    """Ask for the issuing body at a terminal (an empty answer leaves a fact out)."""

    def ask(question: str, given: str | None) -> str | None:
        if given is not None:
            return given
        answer = typer.prompt(question, default="", show_default=False, err=True).strip()
        return answer or None

    name = ask(tr("Issuing body (e.g. Bộ Nội vụ; empty: none for now)"), None)
    if name is None:
        return None, abbreviation, head_title, deputy_title, authority
    return (name, ask(tr("Symbol abbreviation (e.g. BNV)"), abbreviation),
            ask(tr("Head's title (e.g. Bộ trưởng)"), head_title),
            ask(tr("Deputy's title (e.g. Thứ trưởng)"), deputy_title),
            ask(tr("Authority phrase (e.g. Bộ trưởng Bộ Nội vụ)"), authority))
