"""Commands for reviewers and CI: diff (what changed, in words) and textconv (for git diff)."""

from __future__ import annotations

from enum import Enum
from pathlib import Path

import typer

from committee_cli.cli.base import CHECK, app, find_registry, registry_dir
from committee_cli.cli.env import Environment, environment
from committee_cli.cli.output import dumps_json
from committee_cli.i18n import tr
from committee_cli.model.registry import Registry
from committee_cli.services.review import Change, default_base, load_revision, semantic_diff
from committee_cli.services.textconv import describe_file


class DiffFormat(str, Enum):
    text = "text"
    md = "md"
    json = "json"


@app.command(rich_help_panel=CHECK)
def diff(
    ctx: typer.Context,
    rev_a: str | None = typer.Argument(None, help="Base revision (default: the merge base with "
                                       "the default branch)."),
    rev_b: str | None = typer.Argument(None, help="Revision to compare (default: the work tree)."),
    fmt: DiffFormat = typer.Option(DiffFormat.text, "--format", "-f",
                                   help="text (coloured in a terminal), md (pull-request "
                                   "comment) or json."),
) -> None:
    """Show what changed between two states of the registry, in words, grouped by committee.

    Each change is one sentence in Vietnamese, as a reviewer would say it ("Ủy viên: + Bà …"),
    rather than lines of YAML. With no revision, compares the work tree with the merge base of
    the default branch; --format md gives a pull-request comment.

    Example: committee diff origin/main --format md
    """
    root = registry_dir(ctx)
    base_rev = rev_a if rev_a is not None else default_base(root)
    old = load_revision(root, base_rev)
    new = load_revision(root, rev_b)
    changes = semantic_diff(old.registry, new.registry, environment(ctx).today)
    label_b = rev_b or tr("work tree")
    _print_changes(environment(ctx), changes, new.registry, fmt,
                   f"{rev_a or base_rev[:12]} → {label_b}")


def _print_changes(env: Environment, changes: list[Change], registry: Registry, fmt: DiffFormat,
                   title: str) -> None:
    if fmt is DiffFormat.json:
        typer.echo(dumps_json({"range": title, "changes": [c.as_dict() for c in changes]}))
        return
    committees = registry.committees
    groups: dict[str, list[Change]] = {}
    for change in changes:
        groups.setdefault(change.committee, []).append(change)
    out = env.stdout
    colour = fmt is DiffFormat.text and env.is_terminal(out)
    if fmt is DiffFormat.md:
        out.write(f"### Thay đổi trong sổ đăng ký ({title})\n\n")
    if not changes:
        out.write("Không có thay đổi.\n" if fmt is DiffFormat.md else tr("no changes") + "\n")
        return
    for committee_id, items in groups.items():
        committee = committees.get(committee_id)
        heading = committee.name if committee else (committee_id if committee_id else "Chung")
        if fmt is DiffFormat.md:
            out.write(f"#### {heading}\n\n")
            for c in items:
                out.write(f"- {c.text}" + (f" — `{c.file}`" if c.file else "") + "\n")
            out.write("\n")
        else:
            out.write((f"\x1b[1m{heading}\x1b[0m" if colour else heading) + "\n")
            for c in items:
                text = c.text
                if colour:
                    tint = {"added": 32, "ended": 31, "removed": 31, "signed": 36}.get(c.action, 33)
                    text = f"\x1b[{tint}m{text}\x1b[0m"
                out.write(f"  {text}\n")


@app.command(rich_help_panel=CHECK)
def textconv(
    ctx: typer.Context,
    file: Path = typer.Argument(..., help="A registry YAML file (git passes it)."),
) -> None:
    """Print one registry file as facts in words, for `git diff` (a git textconv driver).

    With the driver set up (and `*.yaml diff=committee` in .gitattributes), `git diff` and
    `git log -p` show the facts that changed rather than YAML. docs/ci.md shows the setup.

    Example: git config diff.committee.textconv "committee textconv"
    """
    root = environment(ctx).registry or find_registry(Path.cwd())
    typer.echo(describe_file(file, root), nl=False)
