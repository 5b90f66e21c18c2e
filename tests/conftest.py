"""Shared fixtures: the sample registry copied to a temp folder, and a CLI runner."""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
from typer.testing import CliRunner

from committee_cli.cli.app import app
from committee_cli.cli.env import Environment

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "registry"


def command_script(before: str, after: str) -> str:
    """A Python script that runs the ``committee`` command line (``cli.app.main``, as the
    installed command does) on the script's own arguments: ``before`` first (to trace what the
    command does), ``after`` once the command has exited (to print what was seen)."""
    return (f"import json, sys\n{before.strip()}\nfrom committee_cli.cli.app import main\n"
            "sys.argv = ['committee', *sys.argv[1:]]\ntry:\n    main()\nexcept SystemExit:\n"
            f"    pass\n{after.strip()}\n")


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--run-slow", action="store_true", default=False,
                     help="run long fuzz and scale profiles")


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if config.getoption("--run-slow"):
        return
    skip = pytest.mark.skip(reason="long profile: run with --run-slow")
    for item in items:
        if "slow" in item.keywords:
            item.add_marker(skip)


@pytest.fixture(autouse=True)
def private_cache(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Each test gets its own cache folder, never the user's."""
    folder = tmp_path_factory.mktemp("cache")
    monkeypatch.setenv("COMMITTEE_CACHE_DIR", str(folder))
    return folder


@pytest.fixture(autouse=True)
def english_by_default(monkeypatch: pytest.MonkeyPatch) -> None:
    """Messages are English unless a test chooses Vietnamese (whatever the machine's locale)."""
    for variable in ("COMMITTEE_LANG", "LC_ALL", "LC_MESSAGES", "LANGUAGE"):
        monkeypatch.delenv(variable, raising=False)
    monkeypatch.setenv("LANG", "C.UTF-8")


@dataclass
class Result:
    """What a CLI run printed and returned."""

    exit_code: int
    stdout: str
    stderr: str
    exception: BaseException | None

    @property
    def output(self) -> str:
        return self.stdout + self.stderr


Run = Callable[..., Result]


@pytest.fixture
def cli(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Run:
    """Run ``committee ARGS`` in-process; no traceback may escape (that fails the test)."""
    monkeypatch.delenv("COMMITTEE_REGISTRY", raising=False)
    monkeypatch.setenv("COLUMNS", "200")
    monkeypatch.setenv("COMMITTEE_DEBUG", "1")  # a bug raises here instead of exit 70

    def run(*args: str, input: str | None = None, registry: Path | None = None,
            env: Environment | None = None) -> Result:
        """``env``: the run's environment (e.g. ``Environment(terminal=True)``, a fixed today)."""
        argv = [*(["--registry", str(registry)] if registry else []), *args]
        runner = CliRunner()
        outcome = runner.invoke(app, argv, input=input, catch_exceptions=True, obj=env)
        if outcome.exception is not None and not isinstance(outcome.exception, SystemExit):
            import traceback

            raise AssertionError("the CLI raised instead of reporting:\n" + "".join(
                traceback.format_exception(outcome.exception)))
        # exit 70 means "a bug in committee-cli": no input the suite feeds may end that way
        # (only a test that plants a bug on purpose turns COMMITTEE_DEBUG off to see it)
        if os.environ.get("COMMITTEE_DEBUG"):
            assert outcome.exit_code != 70, f"exit 70 for {argv}: {outcome.stderr}"
        return Result(outcome.exit_code, outcome.stdout, outcome.stderr, outcome.exception)

    return run


@pytest.fixture
def sample(tmp_path: Path) -> Path:
    """A private copy of the sample registry (Decision 913)."""
    target = tmp_path / "registry"
    shutil.copytree(SAMPLE, target)
    return target
