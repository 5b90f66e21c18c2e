"""The start-up floor: a one-command Typer app with the same help settings as `committee`."""

from __future__ import annotations

import typer
from typer.core import TyperGroup

app = typer.Typer(cls=TyperGroup, name="floor", no_args_is_help=True, pretty_exceptions_enable=False,
                  rich_markup_mode=None, add_completion=True,
                  context_settings={"help_option_names": ["-h", "--help"]})


def _version(value: bool) -> None:
    if value:
        typer.echo("floor 0")
        raise typer.Exit()


@app.callback()
def root(version: bool = typer.Option(False, "--version", callback=_version, is_eager=True,
                                      help="Show the version and exit.")) -> None:
    """A minimal app."""


@app.command()
def hello(name: str = typer.Argument("world", help="Who to greet.")) -> None:
    """Say hello."""
    typer.echo(f"hello {name}")


if __name__ == "__main__":
    app()
