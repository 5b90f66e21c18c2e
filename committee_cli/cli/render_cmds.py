"""Commands that produce documents: render decision | roster | tasks, and render --all."""

from __future__ import annotations

from datetime import date
from enum import Enum
from pathlib import Path
from typing import Any

import typer

from committee_cli.cli.base import PRODUCE, app, registry_dir
from committee_cli.cli.complete import complete_committee, complete_decision
from committee_cli.cli.env import Environment, environment
from committee_cli.cli.options import as_of_option, parse_date_option
from committee_cli.errors import ExitCode, UsageError
from committee_cli.i18n import tr
from committee_cli.queries.content import contents_kept
from committee_cli.render.document import Document
from committee_cli.render.documents import (
    decision_document,
    refuse_empty_decision,
    roster_document,
    tasks_document,
)
from committee_cli.render.service import (
    BINARY_FORMATS,
    Workspace,
    choose_format,
    encode,
    open_workspace,
    refuse_registry_target,
    render_all,
    target_path,
    write_file,
)
from committee_cli.services.resolve import decision_by_citation
from committee_cli.services.sealing import refuse_unsealed


class RenderFormat(str, Enum):
    md = "md"
    html = "html"
    docx = "docx"
    pdf = "pdf"


render_app = typer.Typer(
    name="render", no_args_is_help=False, invoke_without_command=True,
    help="Produce documents laid out per Nghị định 30/2020/NĐ-CP (docs/rendering.md).")
app.add_typer(render_app, rich_help_panel=PRODUCE)


def _format_option() -> Any:
    return typer.Option(None, "--format", "-f", show_default=False,
                        help="md (default), html, docx or pdf; default: from --out's suffix.")


def _out_option(what: str) -> Any:
    return typer.Option(None, "--out", "-o", show_default=False,
                        metavar="PATH",
                        help=f"{what}; a folder (existing, or ending in /) gets <id>.<format>. "
                        "Default: stdout (md, html).")


def _rev_option() -> Any:
    return typer.Option(None, "--rev", metavar="REV", show_default=False,
                        help="Render the registry as it was at this git revision (the work "
                        "tree is not touched).")


def _as_of(ctx: typer.Context, text: str | None) -> date:
    return parse_date_option(text) or environment(ctx).today


def _workspace(ctx: typer.Context, rev: str | None) -> Workspace:
    return open_workspace(registry_dir(ctx), rev)


def _emit(ctx: typer.Context, document: Document, fmt: RenderFormat | None,
          out: str | None) -> None:
    """Write the document where asked (a file, or stdout) and say where it went."""
    env = environment(ctx)
    chosen = choose_format(fmt.value if fmt else None, out)
    if out is None:
        if chosen in BINARY_FORMATS and env.is_terminal(env.stdout):
            raise UsageError(tr("a .{format} file is binary: give --out FILE.{format} (or "
                                "redirect stdout to a file)", format=chosen))
        data = encode(document, chosen)
        stdout = env.stdout
        stream = stdout.buffer if hasattr(stdout, "buffer") else None
        if stream is None:
            stdout.write(data.decode("utf-8", "replace"))
        else:
            stdout.flush()
            stream.write(data)
            stream.flush()
        return
    path = target_path(out, document.name, chosen)
    refuse_registry_target(path, registry_dir(ctx))
    write_file(path, encode(document, chosen))
    typer.echo(tr("wrote {path}", path=path))


@render_app.callback()
def render(
    ctx: typer.Context,
    all_decisions: bool = typer.Option(False, "--all", help="Render every decision into --out."),
    out: Path | None = typer.Option(None, "--out", "-o", show_default=False,
                                    help="With --all: the folder to write <id>.<format> into."),
    fmt: RenderFormat = typer.Option(RenderFormat.md, "--format", "-f",
                                     help="With --all: md, html, docx or pdf."),
    rev: str | None = _rev_option(),
) -> None:
    """Produce documents: a decision, a committee's roster or tasks, or every decision.

    Documents are laid out per Nghị định 30/2020/NĐ-CP from the templates: Markdown for a pull
    request, HTML to read, .docx for the văn thư, PDF when WeasyPrint or LibreOffice is there.
    --all writes every decision into a folder.

    Example: committee render decision qd-913-2021 --format docx --out out/
    """
    if ctx.invoked_subcommand is not None:
        if all_decisions or out is not None or rev is not None:
            raise UsageError(tr("put --all/--out/--rev after 'render {kind}' (or use render "
                                "--all --out DIR without a document kind)",
                                kind=ctx.invoked_subcommand))
        return
    if not all_decisions:
        typer.echo(ctx.get_help())
        raise typer.Exit(2)
    if out is None:
        raise UsageError(tr("render --all needs --out DIR: the folder to write the documents into"))
    if out.exists() and not out.is_dir():
        raise UsageError(tr("--out {path} is a file: render --all writes one file per decision "
                            "into a folder", path=out))
    refuse_registry_target(out / f"x.{fmt.value}", registry_dir(ctx), shown=out)
    _render_all(environment(ctx), _workspace(ctx, rev), out, fmt.value)


def _render_all(env: Environment, workspace: Workspace, out: Path, fmt: str) -> None:
    # rich costs ~0.1 s to import and draws only at a terminal; loaded by `render --all` alone
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

    total = len(workspace.registry.decisions)
    progress = Progress(TextColumn(tr("rendering")), BarColumn(), MofNCompleteColumn(),
                        TextColumn("{task.description}"), transient=True,
                        console=Console(file=env.stderr), disable=not env.is_terminal(env.stderr))
    with progress:
        task = progress.add_task("", total=total)
        result = render_all(workspace, out, fmt,
                            step=lambda did: progress.update(task, advance=1, description=did))
    for decision_id, message in result.failed:
        typer.echo(f"{decision_id}: {message}", err=True)
    typer.echo(tr("wrote {written} of {total} decision(s) as .{format} to {folder}",
                  written=len(result.written), total=total, format=fmt, folder=out))
    if result.failed:
        raise typer.Exit(ExitCode.PROBLEMS)


@render_app.command("decision")
def render_decision(
    ctx: typer.Context,
    decision: str = typer.Argument(..., help="The decision's id (its file name), e.g. "
                                   "qd-913-2021, or its citation, e.g. 913/QĐ-BNV.",
                                   autocompletion=complete_decision),
    fmt: RenderFormat | None = _format_option(),
    out: str | None = _out_option("File or folder to write"),
    rev: str | None = _rev_option(),
    current_data: bool = typer.Option(False, "--current-data", help="Render a signed decision "
                                      "from the registry as it is now, even where its facts no "
                                      "longer match what was signed."),
) -> None:
    """Render a decision as the document to sign (a draft says DỰ THẢO).

    The heading, number and date, legal bases, articles, signature block and Nơi nhận come from
    the registry, with the regulation or plan it issues attached. The format follows --format,
    else the suffix of --out, else Markdown. A signed decision whose facts no longer match its
    signature is refused (exit 1) unless --current-data; --rev gives the document as it was.

    Example: committee render decision qd-913-2021 --format docx --out out/qd-913-2021.docx
    """
    workspace = _workspace(ctx, rev)
    decision = decision_by_citation(workspace.registry, decision)
    with contents_kept(workspace.registry):  # (the seal's check and the document both read it)
        refuse_empty_decision(workspace.registry, decision)  # says what is wrong before the seal
        if rev is None and not current_data:
            refuse_unsealed(workspace.registry, decision, registry_dir(ctx))
        document = decision_document(workspace.registry, decision, workspace.templates)
    _emit(ctx, document, fmt, out)


@render_app.command("roster")
def render_roster(
    ctx: typer.Context,
    committee: str | None = typer.Argument(None, show_default=False, autocompletion=complete_committee,
                                           help="Committee id or name (default: the only top-level one)."),
    as_of: str | None = as_of_option(help="The date of the list, 2021-08-30 or 30/8/2021 (default: today)."),
    fmt: RenderFormat | None = _format_option(),
    out: str | None = _out_option("File or folder to write"),
    rev: str | None = _rev_option(),
) -> None:
    """Render the list of a committee's members on a date, in protocol order.

    Each member is shown with the title and unit held on that date, as the annex of a decision
    shows them; seats that name only a post show the post.

    Example: committee render roster bcd-cpdt --as-of 30/8/2021 --out roster.docx
    """
    workspace = _workspace(ctx, rev)
    when = _as_of(ctx, as_of)
    document = roster_document(workspace.registry, committee, when, workspace.templates)
    _emit(ctx, document, fmt, out)


@render_app.command("tasks")
def render_tasks(
    ctx: typer.Context,
    committee: str | None = typer.Argument(None, show_default=False, autocompletion=complete_committee,
                                           help="Committee id or name (default: the only top-level one)."),
    as_of: str | None = as_of_option(help="Status as of this date (default: today)."),
    fmt: RenderFormat | None = _format_option(),
    out: str | None = _out_option("File or folder to write"),
    rev: str | None = _rev_option(),
) -> None:
    """Render a committee's tasks as a table: lead, coordinators, deadline, product, status.

    The status is the one on --as-of, with overdue tasks marked, for a meeting's follow-up
    report.

    Example: committee render tasks bcd-cpdt --format html --out tasks.html
    """
    workspace = _workspace(ctx, rev)
    document = tasks_document(workspace.registry, committee, _as_of(ctx, as_of), workspace.templates)
    _emit(ctx, document, fmt, out)

