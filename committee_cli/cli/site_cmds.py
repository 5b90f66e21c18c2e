"""``committee site``: the registry as a static website (docs/site.md)."""

from __future__ import annotations

from pathlib import Path

import typer

from committee_cli.cli.base import PRODUCE, app, registry_dir
from committee_cli.cli.env import environment
from committee_cli.cli.options import as_of_option, parse_date_option
from committee_cli.i18n import tr
from committee_cli.services.site import run_site


@app.command("site", rich_help_panel=PRODUCE)
def site(
    ctx: typer.Context,
    out: Path = typer.Option(..., "--out", "-o", metavar="DIR",
                             help="The folder to write the site into (rebuilt on each run)."),
    as_of: str | None = as_of_option(),
    base_url: str | None = typer.Option(None, "--base-url", metavar="URL", show_default=False,
                                        help="The address the site is published at (canonical "
                                        "links); links inside the site stay relative."),
    downloads: str | None = typer.Option(
        None, "--downloads", metavar="FORMATS", show_default=False,
        help="The files offered beside each decision, comma-separated: docx, pdf, md (default: "
        "all; pdf when WeasyPrint or LibreOffice is installed)."),
) -> None:
    """Build a static website of the registry: committees, people, decisions and search.

    Pages in Vietnamese with the documents' wording, a page per committee (members today,
    duties, tasks, timeline), per person and per decision (the document, downloads, what it
    changed), and a search that ignores tones and case. It works from file:// or any web host.

    Example: committee site --out public/ --base-url https://example.gov.vn/ban-chi-dao/
    """
    when = parse_date_option(as_of) or environment(ctx).today
    result = run_site(registry_dir(ctx), out, when, base_url, downloads)
    for name, why in result.skipped[:1]:
        typer.echo(tr("note: {count} download(s) not written ({name}: {why})",
                      count=len(result.skipped), name=name, why=why), err=True)
    typer.echo(tr("wrote {count} files into {out}", count=len(result.pages), out=out))
