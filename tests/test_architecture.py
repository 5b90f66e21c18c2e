"""The architecture holds: no import hides inside a function, `--help` and `--version` load no
command module, the command index is fresh, and the run's environment reaches the commands."""

from __future__ import annotations

import ast
import gc
import json
import os
import shutil
import subprocess
import sys
import tempfile
import tomllib
from datetime import date
from pathlib import Path

import pytest

from committee_cli.cli.env import Environment
from committee_cli.cli.index import COMMAND_MODULES, COMMANDS, INDEX_MARKER
from committee_cli.store import RegistryStore
from tests.conftest import ROOT, SAMPLE, Run, command_script
from tools import docgen

PACKAGE = ROOT / "committee_cli"

# An import inside a function is allowed only to defer a heavy dependency to the runs that use
# it; each entry says why. Anything else belongs at the top of the module (a cycle it would
# create is a design error that `lint-imports` reports).
DEFERRED: dict[tuple[str, str], str] = {
    ("cli/output.py", "rich.console"): "rich (~0.1 s) draws the spinner only at a terminal",
    ("cli/rows.py", "rich.console"): "rich (~0.1 s) draws tables only at a terminal",
    ("cli/rows.py", "rich.table"): "rich (~0.1 s) draws tables only at a terminal",
    ("cli/render_cmds.py", "rich.console"): "rich (~0.1 s) draws render --all's progress bar",
    ("cli/render_cmds.py", "rich.progress"): "rich (~0.1 s) draws render --all's progress bar",
    ("render/pdf.py", "weasyprint"): "the optional [pdf] extra, imported when making a PDF",
    ("services/doctor.py", "weasyprint"): "doctor probes whether the optional [pdf] extra is there",
    ("render/pdf.py", "committee_cli.render.docx"): "python-docx (~0.25 s): LibreOffice's PDF only",
    ("render/service.py", "committee_cli.render.docx"): "python-docx (~0.25 s): .docx runs only",
    ("render/service.py", "committee_cli.render.html"): "the HTML writer and the stdlib's html "
        "(~1 ms) for .html only",
    ("render/pdf.py", "committee_cli.render.html"): "the HTML writer (~1 ms), WeasyPrint's PDF only",
    ("render/pdf.py", "logging"): "logging (~1 ms), to quiet WeasyPrint's PDF only",
    ("store/yamlio.py", "ruamel.yaml"): "ruamel.yaml (~70 ms) only for writing; reading uses libyaml",
    ("cli/formats.py", "committee_cli.interchange.xlsx"): "openpyxl, the optional [xlsx] extra",
    ("cli/formats.py", "committee_cli.render.service"): "jinja2 and the templates (~0.1 s), which "
        "the query commands need only to write --out",
    ("cli/formats.py", "committee_cli.interchange.ics"): "icalendar, the optional [ics] extra",
    ("store/cache.py", "platformdirs"): "platformdirs (~3 ms of every run) only to find the "
        "user's cache folder, not when COMMITTEE_CACHE_DIR names it",
    ("cli/query_cmds.py", "committee_cli.cli.formats"): "the xlsx and ics writers, for those "
        "formats only (~1 ms of every query)",
    ("interchange/docx_reader.py", "docx"): "python-docx (~0.25 s): import docx runs only",
    ("interchange/docx_reader.py", "docx.opc.exceptions"): "python-docx: import docx runs only",
    ("interchange/docx_reader.py", "docx.oxml.ns"): "python-docx: import docx runs only",
    ("interchange/docx_reader.py", "docx.table"): "python-docx: import docx runs only",
    ("interchange/docx_reader.py", "docx.text.paragraph"): "python-docx: import docx runs only",
    ("exchange/pdfsign.py", "pyhanko.config.pkcs11"): "the optional [pkcs11] extra, for tokens",
    ("exchange/pdfsign.py", "pyhanko.sign.pkcs11"): "the optional [pkcs11] extra, for tokens",
    ("interchange/ics.py", "icalendar"): "icalendar, the optional [ics] extra",
    ("interchange/xlsx.py", "openpyxl"): "openpyxl, the optional [xlsx] extra",
    ("interchange/xlsx.py", "openpyxl.styles"): "openpyxl, the optional [xlsx] extra",
    ("interchange/xlsx.py", "openpyxl.utils"): "openpyxl, the optional [xlsx] extra",
    ("services/exchange.py", "cryptography.hazmat.primitives.serialization"):
        "cryptography, of the optional [sign] extra, when verifying",
    # issue 17: what a warm `validate` or a one-committee query never runs (≈ 30 ms of
    # dataclasses in queries/content.py alone, against the 1.3× of a one-command app)
    ("queries/indexed.py", "committee_cli.queries.people"): "only `person` matches names",
    ("cli/prompts.py", "committee_cli.queries.people"): "only a person asked for at a terminal",
    ("queries/committee_history.py", "committee_cli.queries.content"): "only `history` pairs the changes",
    ("services/validation.py", "committee_cli.services.sealing"):
        "the signed-text check runs only when the cached result does not hold",
    ("cli/check_cmds.py", "committee_cli.services.review"): "only `validate --base`",
    ("cli/query_cmds.py", "committee_cli.cli.export_cmds"): "only `person` across registries",
    ("store/loader.py", "committee_cli.store"): "yamlio (and libyaml): only when a file is parsed",
    ("store/loader.py", "committee_cli.store.parallel"): "worker processes (multiprocessing, "
        "concurrent.futures): only a cold parse of many files",
    ("cli/rows.py", "committee_cli.store.yamlio"): "only `--format yaml`",
    ("cli/app.py", "committee_cli.cli.base"): "git starts first (cli/early.py), then Typer and the "
        "commands are imported while it runs",
    ("cli/early.py", "committee_cli.store.gitstart"): "only a command that reads a registry "
        "starts git: --help and --version import no store module",
}
# Files another branch extends this session; their imports move to the top after that merge.
PENDING: set[str] = set()


def _imports_in_functions(path: Path) -> list[tuple[int, str]]:
    found: list[tuple[int, str]] = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            for inner in ast.walk(node):
                if isinstance(inner, ast.ImportFrom):
                    found.append((inner.lineno, inner.module or "."))
                elif isinstance(inner, ast.Import):
                    found += [(inner.lineno, alias.name) for alias in inner.names]
    return found


# The modules of the optional [sign] extra's formats (pyHanko, signxml, pypdf, cryptography at
# their top) are imported by the commands that sign, verify or exchange, when they run.
DEFERRED_PACKAGES = ("committee_cli.exchange.",)
DEFERRED_PACKAGE = "committee_cli.exchange"  # `from committee_cli.exchange import pdfsign`


def test_no_import_inside_a_function() -> None:
    bad = []
    for path in sorted(PACKAGE.rglob("*.py")):
        rel = path.relative_to(PACKAGE).as_posix()
        if rel in PENDING:
            continue
        bad += [f"committee_cli/{rel}:{line}: import {module}"
                for line, module in _imports_in_functions(path) if (rel, module) not in DEFERRED
                and not module.startswith(DEFERRED_PACKAGES) and module != DEFERRED_PACKAGE]
    assert bad == [], "imports inside functions (move them to the top of the module):\n" + \
        "\n".join(bad)


def test_the_check_finds_an_import_inside_a_function(tmp_path: Path) -> None:
    module = tmp_path / "m.py"
    module.write_text("import os\n\ndef f():\n    from committee_cli import errors\n    return errors\n")
    assert _imports_in_functions(module) == [(4, "committee_cli")]


def test_every_deferred_import_is_still_there() -> None:
    present = {(path.relative_to(PACKAGE).as_posix(), module)
               for path in PACKAGE.rglob("*.py") for _, module in _imports_in_functions(path)}
    assert set(DEFERRED) <= present, set(DEFERRED) - present


_LOADED = command_script("import os", "with open(os.environ['MODULES_OUT'], 'w') as out:\n"
                         "    out.write('\\n'.join(sorted(sys.modules)))")


def _modules_imported(*args: str) -> set[str]:
    """Every module loaded by a run of the command line. (``-X importtime`` would miss the ones
    loaded from ``committee_cli.lazy`` names and the command index, which is why the run's
    ``sys.modules`` is read instead.)"""
    with tempfile.TemporaryDirectory() as folder:
        out = Path(folder) / "modules.txt"
        subprocess.run([sys.executable, "-c", _LOADED, *args], capture_output=True, text=True,
                       check=True, cwd=ROOT, env={**os.environ, "MODULES_OUT": str(out)})
        return set(out.read_text(encoding="utf-8").split("\n"))


@pytest.mark.parametrize("option", ["--help", "--version"])
def test_help_and_version_import_no_command_module(option: str) -> None:
    imported = _modules_imported(option)
    # --help is the application's; --version alone is answered before Typer is imported
    assert ("committee_cli.cli.base" in imported) == (option == "--help")
    assert ("typer" in imported) == (option == "--help")
    imported.discard("pydantic.plugin._loader")  # cli.app's stand-in module, not pydantic's
    heavy = {m for m in imported if m in COMMAND_MODULES or m.split(".")[0] in {
        "pydantic", "ruamel", "yaml", "jinja2", "docx", "rich"}
             or m.startswith(("committee_cli.services", "committee_cli.store",
                              "committee_cli.queries", "committee_cli.render"))}
    assert heavy == set()


_BUILT = """
import runpy, sys
sys.argv = ["committee", *sys.argv[1:]]
try:
    runpy.run_module("committee_cli", run_name="__main__")
except SystemExit:
    pass
from committee_cli.model.records import KINDS
print(sorted(kind for kind, (_, model) in KINDS.items() if model.__pydantic_complete__))
"""


# the query modules (besides base and indexed) each command loads: its own family only
FAMILIES = {"members": {"member_list"},
            "show": {"committee_overview", "decision_list", "duty_list", "task_list"},
            "person": {"people", "task_list"}}


@pytest.mark.parametrize("command", ["members", "show", "person"])
def test_a_query_imports_no_rule(command: str) -> None:
    """A query borrows a helper of ``committee_cli.rules.base`` (did-you-mean): it loads neither
    the catalogue of rules nor their runner and the results they keep (``rules/__init__.py``
    imports its names when first asked for), and of the queries only its own family
    (``queries/__init__.py`` names them lazily)."""
    args = {"members": ["members"], "show": ["show"], "person": ["person", "truong-hai-long"]}
    for _ in range(2):  # cold, then warm
        imported = _modules_imported("--registry", str(SAMPLE), *args[command])
        assert "committee_cli.rules.base" in imported
        assert {"committee_cli.rules.catalogue", "committee_cli.rules.run"} & imported == set()
        assert {"committee_cli.cli.export_cmds", "committee_cli.queries.across"} & imported \
            == set()  # one registry: nothing of the commands across several
        family = {m.rsplit(".", 1)[1] for m in imported
                  if m.startswith("committee_cli.queries.")} - {"base", "indexed"}
        assert family == FAMILIES[command]


def test_a_warm_validate_loads_no_rule(tmp_path: Path) -> None:
    """A validate whose answer is cached runs no rule: neither their catalogue nor their runner
    is loaded (``services/validation.py`` and ``cli/check_cmds.py`` ask ``committee_cli.rules``
    for them when a state is checked); the first, cold run loads both."""
    registry = tmp_path / "registry"
    shutil.copytree(SAMPLE, registry)
    runner = {"committee_cli.rules.catalogue", "committee_cli.rules.run"}
    cold = _modules_imported("--registry", str(registry), "validate")
    warm = _modules_imported("--registry", str(registry), "validate")
    assert runner <= cold and runner & warm == set()


def test_rendering_a_decision_loads_no_unit_of_work(tmp_path: Path) -> None:
    """Rendering only reads: naming the decision by its citation (``services/resolve.py``)
    loads neither the unit of work nor what it writes with (the lock, the YAML round-trip)
    nor the rules it runs on a change; with the records cached, no YAML parser either (the
    output file is written by ``store/tempfiles.py``)."""
    out = tmp_path / "qd.docx"
    args = ("--registry", str(SAMPLE), "render", "decision", "913/QĐ-BNV", "--format", "docx",
            "--out", str(out))
    assert "yaml" in _modules_imported(*args)  # the first run parses the registry, and caches it
    out.unlink()
    imported = _modules_imported(*args)
    assert out.is_file() and "committee_cli.services.resolve" in imported
    assert {"committee_cli.services.unit_of_work", "filelock", "committee_cli.rules.run",
            "ruamel.yaml", "yaml", "committee_cli.store.yamlio"} & imported == set()


def test_an_amendment_loads_no_name_search(cli: Run, sample: Path) -> None:
    """An amendment names its person by id: the name search (``queries/people.py``) is loaded
    only by a prompt at a terminal."""
    for args in (("decision", "new", "-c", "bcd-cpdt", "--kind", "change-members", "--number",
                  "1050", "--symbol", "QĐ-BNV", "--date", "2022-03-01", "--subject",
                  "Về việc kiện toàn", "--signer", "pham-thi-thanh-tra"),
                 ("amend", "person", "add", "--name", "Nguyễn Văn A", "--honorific", "Ông",
                  "--title", "Vụ trưởng", "--organisation", "bnv-vpc", "--since", "2021-01-01")):
        assert cli(*args, registry=sample).exit_code == 0
    imported = _modules_imported("--registry", str(sample), "amend", "seat", "replace",
                                 "bcd-cpdt-05", "--person", "nguyen-van-a", "--decision",
                                 "1050/QĐ-BNV")
    assert any("nguyen-van-a" in p.read_text(encoding="utf-8")
               for p in (sample / "seats").glob("*.yaml"))  # (written)
    assert "committee_cli.services.unit_of_work" in imported
    assert "committee_cli.queries.people" not in imported


def test_a_warm_validate_builds_no_record_validator(cli: Run) -> None:
    """Record models build their validators on first use (``defer_build``): a validate whose
    answer is cached validates no record, so it builds none (about 40 ms of start-up)."""
    assert cli("validate", registry=SAMPLE).exit_code == 0  # warms the cache
    done = subprocess.run([sys.executable, "-c", _BUILT, "--registry", str(SAMPLE), "validate"],
                          capture_output=True, text=True, check=True, cwd=ROOT)
    assert "no problems" in done.stdout and done.stdout.splitlines()[-1] == "[]", done.stdout


def test_a_warm_query_builds_no_record_validator(cli: Run, sample: Path) -> None:
    """A query served by the index rebuilds its records by their field types
    (``model/trusted.py``): it builds no validator (about 10 ms of a one-committee query)."""
    assert cli("members", "bcd-cpdt", registry=sample).exit_code == 0  # builds the index
    for args in (["members", "bcd-cpdt"], ["person", "truong-hai-long"], ["show", "bcd-cpdt"]):
        done = subprocess.run([sys.executable, "-c", _BUILT, "--registry", str(sample), *args],
                              capture_output=True, text=True, check=True, cwd=ROOT)
        assert done.stdout.splitlines()[-1] == "[]", (args, done.stdout)


def test_a_warm_render_builds_no_record_validator(cli: Run, sample: Path, tmp_path: Path) -> None:
    """The records a document reads come from the snapshot, rebuilt by their field types up to
    ``TRUSTED_FIRST`` a model (``store/cache.py``): rendering one decision builds none of the
    records' validators (about 12 ms of the sample's ``render --format docx``)."""
    out = tmp_path / "d.md"
    args = ["render", "decision", "qd-913-2021", "--format", "md", "--out", str(out)]
    assert cli(*args, registry=sample).exit_code == 0  # warms the cache
    done = subprocess.run([sys.executable, "-c", _BUILT, "--registry", str(sample), *args],
                          capture_output=True, text=True, check=True, cwd=ROOT)
    assert out.is_file() and done.stdout.splitlines()[-1] == "[]", done.stdout


_START_UP_GC = """
import gc, sys
collections = []
gc.callbacks.append(lambda phase, info: collections.append(info) if phase == "start" else None)
import committee_cli.bulk as bulk
seen = {}
real_off, real_on = bulk.collect_after_start_up, bulk.started
def off():
    seen["main"] = len(collections)
    real_off()
def started():
    seen["before"], seen["was_on"] = len(collections) - seen["main"], gc.isenabled()
    real_on()
    seen["on"] = gc.isenabled()
bulk.collect_after_start_up, bulk.started = off, started
sys.argv = ["committee", *sys.argv[1:]]
from committee_cli.cli.app import main
try:
    main()
except SystemExit:
    pass
print(seen["before"], seen["was_on"], seen["on"])
"""


def test_start_up_runs_without_the_cycle_collector(sample: Path) -> None:
    """The ``committee`` process keeps the cycle collector off while it imports (a few hundred
    thousand objects, none garbage: about 10–25 ms of collections a run) from ``main`` on,
    and turns it on, past what start-up built, when the command runs (``bulk.started`` in the
    root callback)."""
    done = subprocess.run([sys.executable, "-c", _START_UP_GC, "--registry", str(sample),
                           "members", "bcd-cpdt"], capture_output=True, text=True, check=True,
                          cwd=ROOT)
    assert done.stdout.splitlines()[-1] == "0 False True", done.stdout[-2000:]


_PROGRAM_GC = """
import gc, runpy, sys
collections = []
gc.callbacks.append(lambda phase, info: collections.append(info) if phase == "start" else None)
import committee_cli.bulk as bulk
real_off, real_on, seen = bulk.collect_after_start_up, bulk.started, {}
def off():
    if "off" not in seen:
        seen["off"], seen["app"] = len(collections), "committee_cli.cli.app" in sys.modules
    real_off()
def started():
    seen["before"] = len(collections) - seen["off"]
    real_on()
bulk.collect_after_start_up, bulk.started = off, started
sys.argv = ["committee", *sys.argv[1:]]
try:
    runpy.run_module("committee_cli", run_name="__main__")
except SystemExit:
    pass
print(seen.get("app"), seen.get("before"), gc.isenabled(), file=sys.stderr)
"""


def test_the_program_runs_its_imports_without_the_cycle_collector(sample: Path) -> None:
    """``python -m committee_cli`` and the ``committee`` script (``committee_cli.__main__``)
    keep the collector off from their first import, before ``main`` (``cli/app.py`` imports
    what finds the registry and prepares the streams: a few collections a run), and on when
    the command has run."""
    done = subprocess.run([sys.executable, "-c", _PROGRAM_GC, "--registry", str(sample),
                           "members", "bcd-cpdt"], capture_output=True, text=True, check=True,
                          cwd=ROOT)
    assert done.stderr.splitlines()[-1] == "False 0 True", done.stderr[-2000:]
    scripts = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    assert scripts["project"]["scripts"]["committee"] == "committee_cli.__main__:main"


_COMMANDS_BUILT = """
import sys, typer.main
built = []
make = typer.main.get_command_from_info
def counted(info, **options):
    built.append(info.name or info.callback.__name__)
    return make(info, **options)
typer.main.get_command_from_info = counted
sys.argv = ["committee", *sys.argv[1:]]
from committee_cli.cli.app import main
try:
    main()
except SystemExit:
    pass
print(sorted(built))
"""


@pytest.mark.parametrize(("args", "built"), [
    (["members", "--help"], ["members"]),
    (["amend", "seat", "replace", "--help"], ["replace"]),
    (["render", "decision", "--help"], ["decision"]),
    (["amend", "seat", "--help"], ["add", "end", "replace", "role"]),  # a group's help lists all
])
def test_a_run_builds_only_the_command_it_runs(args: list[str], built: list[str]) -> None:
    """Typer would turn every command of a loaded module (the 34 of ``amend``) into a click
    command at each run; ``cli/build.py`` builds the one asked for (and a group's help, all its
    own)."""
    done = subprocess.run([sys.executable, "-c", _COMMANDS_BUILT, *args], capture_output=True,
                          text=True, check=True, cwd=ROOT)
    assert done.stdout.splitlines()[-1] == str(built), done.stdout[-2000:]


def test_the_command_index_is_fresh() -> None:
    text = (PACKAGE / "cli" / "index.py").read_text(encoding="utf-8")
    assert INDEX_MARKER in text
    assert text == docgen.render_index(), "committee_cli/cli/index.py is stale: run python -m tools.docgen"


def test_the_index_names_every_command_and_its_module() -> None:
    root = docgen.loaded_root()
    assert list(COMMANDS) == root.list_commands(None)
    for name, entry in COMMANDS.items():
        assert entry.module in COMMAND_MODULES
        assert root.get_command(None, name).rich_help_panel == entry.panel


def test_the_catalogues_see_the_help_of_every_command() -> None:
    pytest.importorskip("babel")
    from tools.catalogue import help_messages

    found = set(help_messages())
    assert {entry.help for entry in COMMANDS.values()} <= found


def _members(cli: Run, *args: str, env: Environment | None = None) -> dict[str, object]:
    result = cli("members", "--format", "json", *args, registry=SAMPLE, env=env)
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)  # type: ignore[no-any-return]


def test_today_comes_from_the_environment(cli: Run, monkeypatch: pytest.MonkeyPatch) -> None:
    asked = _members(cli, "--as-of", "2021-08-30")
    assert _members(cli, env=Environment(given_today=date(2021, 8, 30))) == asked
    monkeypatch.setenv("COMMITTEE_TODAY", "2021-08-30")
    assert _members(cli) == asked
    assert _members(cli, env=Environment(given_today=date(2021, 8, 1))) != asked


def test_a_bad_committee_today_is_a_usage_error(cli: Run, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COMMITTEE_TODAY", "30/8/2021")
    result = cli("members", registry=SAMPLE)
    assert result.exit_code == 2
    assert "COMMITTEE_TODAY=30/8/2021 is not a date" in result.stderr


def test_the_environment_decides_what_is_a_terminal(cli: Run) -> None:
    plain = cli("members", "--as-of", "2021-08-30", registry=SAMPLE)
    drawn = cli("members", "--as-of", "2021-08-30", registry=SAMPLE, env=Environment(terminal=True))
    assert "─" not in plain.stdout and "━" not in plain.stdout
    assert "─" in drawn.stdout or "━" in drawn.stdout


_FROZEN = command_script("import gc", "print(gc.get_freeze_count())")


def test_the_command_keeps_records_built_in_bulk_out_of_the_collector(tmp_path: Path) -> None:
    """The ``committee`` process moves the records it built in bulk out of the cycle
    collector's reach (committee_cli/bulk.py: at the default scale, 0.6 s of collections in a
    3 s ``validate``); the library inside another process (here, pytest) leaves them in."""
    registry = tmp_path / "registry"
    shutil.copytree(SAMPLE, registry)
    env = {**os.environ, "COMMITTEE_CACHE_DIR": str(tmp_path / "cache")}
    frozen = []
    for _ in range(2):  # records parsed from the files, then read from the cache's snapshot
        done = subprocess.run([sys.executable, "-c", _FROZEN, "--registry", str(registry),
                               "validate"], capture_output=True, text=True, check=True,
                              cwd=ROOT, env=env)
        frozen.append(int(done.stdout.splitlines()[-1]))
        (registry / "people" / "nguyen-van-a.yaml").write_text(
            "id: nguyen-van-a\nname: Nguyễn Văn A\n", encoding="utf-8")  # a state not cached
    assert all(count > 10_000 for count in frozen), frozen
    before = gc.get_freeze_count()
    result = RegistryStore(registry).load()
    assert result.registry.table("person")
    assert gc.get_freeze_count() == before
