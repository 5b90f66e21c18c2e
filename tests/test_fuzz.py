"""Fuzzing: hostile registries fed to `validate`, every query and `render decision`.

Each example is a copy of the sample registry with some files replaced by random bytes or random
YAML, or mutated (fields deleted, types swapped, ids renamed, NFD, BOMs, huge strings, deep
nesting, files removed or duplicated). Every command must end with exit 0, or with a message
(exit 1 or 2, a rule code when the registry is at fault), never a traceback (the ``cli``
fixture fails on any escaped exception), within the example deadline and a memory ceiling.

Profiles: the default one (CI) runs a bounded number of derandomised examples; ``--run-slow``
adds the same properties with the long profile, and ``HYPOTHESIS_PROFILE=long`` runs the
default tests with it too.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import re
import resource
import shutil
import subprocess
import sys
import tempfile
import unicodedata
from collections.abc import Callable
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, Phase, example, given, settings
from hypothesis import strategies as st
from hypothesis.database import DirectoryBasedExampleDatabase

from tests.conftest import ROOT, SAMPLE, Run

# 12 fixed examples per property in `make test` (derandomized: the same ones each run, so a run
# that fails fails again); the long profile (--run-slow, HYPOTHESIS_PROFILE=long) explores
settings.register_profile(
    "fuzz-ci", max_examples=12, deadline=dt.timedelta(seconds=15), derandomize=True,
    database=None, print_blob=True, phases=[Phase.explicit, Phase.reuse, Phase.generate, Phase.shrink],
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow,
                           HealthCheck.data_too_large, HealthCheck.large_base_example])
settings.register_profile(
    "fuzz-long", parent=settings.get_profile("fuzz-ci"), max_examples=1500, derandomize=False,
    deadline=dt.timedelta(seconds=30), print_blob=True,
    database=DirectoryBasedExampleDatabase(str(ROOT / ".hypothesis" / "examples")))
LONG = os.environ.get("HYPOTHESIS_PROFILE") == "long"
PROFILE = settings.get_profile("fuzz-long" if LONG else "fuzz-ci")
LONG_PROFILE = settings.get_profile("fuzz-long")

MEMORY_CEILING_KIB = 3 * 1024 * 1024  # peak resident memory of the whole test process
RULE_CODE = re.compile(r"\bR\d{3}\b")
FILES = sorted(p.relative_to(SAMPLE).as_posix() for p in SAMPLE.rglob("*.yaml"))
IDS = sorted({rel.split("/")[-1][:-5] for rel in FILES if "/" in rel})
DATES = ["2021-08-30", "30/8/2021", "2019-01-01", "2030-12-31", "1/1/1", "2021-02-29", "x"]


# --- what every command must do ---------------------------------------------------------------


def commands(draw_args: dict[str, Any]) -> list[tuple[str, ...]]:
    """`validate`, every query and `render decision`, with the drawn arguments."""
    fmt = ("--format", draw_args["format"])
    committee = (draw_args["committee"],) if draw_args["committee"] else ()
    as_of = ("--as-of", draw_args["as_of"]) if draw_args["as_of"] else ()
    return [
        ("validate", "--format", "json"),
        ("validate",),
        ("show", *committee, *as_of, *fmt),
        ("members", *committee, *as_of, *fmt),
        ("duties", *committee, *as_of, *fmt),
        ("tasks", *committee, *as_of, *fmt),
        ("decisions", *committee, *fmt),
        ("person", draw_args["person"], *as_of, *fmt),
        ("history", *committee, *fmt),
        ("render", "decision", draw_args["decision"], "--format", "md"),
    ]


ARGS = st.fixed_dictionaries({
    "format": st.sampled_from(["table", "json", "csv", "yaml"]),
    "committee": st.sampled_from([None, "bcd-cpdt", "to-cong-tac-cpdt", "Ban Chỉ đạo"]),
    "as_of": st.sampled_from([None, *DATES]),
    "person": st.sampled_from(["truong hai long", "pham-thi-thanh-tra", "Phạm", "zz"]),
    "decision": st.sampled_from(["qd-913-2021", "qd-913-2021", "nope"]),
})


def check_all(cli: Run, root: Path, args: dict[str, Any]) -> dict[str, int]:
    """Run every command on ``root``; each ends cleanly. Returns exit codes by command."""
    codes: dict[str, int] = {}
    valid = None
    before = snapshot(root)
    for argv in commands(args):
        result = cli(*argv, registry=root)
        name = " ".join(argv[:2]) if argv[0] == "render" else argv[0]
        assert "Traceback" not in result.output, (argv, result.output)
        assert result.exit_code in (0, 1, 2), (argv, result.exit_code, result.output[-2000:])
        if result.exit_code != 0:  # a message on stderr (validate --format json: on stdout)
            machine = argv[0] == "validate" and "json" in argv
            assert (result.stdout if machine else result.stderr).strip(), \
                (argv, "failed without a message")
        if argv[0] == "validate":
            if result.exit_code == 1:
                assert RULE_CODE.search(result.output), (argv, result.output[-2000:])
            else:
                assert result.exit_code == 0, (argv, result.output[-2000:])
            valid = result.exit_code == 0
        elif result.exit_code == 1:
            # a query or render refuses a registry that does not load, naming the rule, or a
            # template that cannot word this data
            assert RULE_CODE.search(result.stderr) or "template" in result.stderr, \
                (argv, result.stderr[-2000:])
            if valid:
                assert "template" in result.stderr, (argv, "a valid registry was refused",
                                                     result.stderr[-2000:])
        codes[name] = result.exit_code
    assert snapshot(root) == before, "a reading command changed the registry folder"
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    assert peak < MEMORY_CEILING_KIB, f"peak memory {peak / 1024:.0f} MiB"
    return codes


def snapshot(root: Path) -> dict[str, bytes]:
    """Every file and folder under ``root``, hidden ones included."""
    return {p.relative_to(root).as_posix(): p.read_bytes() if p.is_file() else b"/"
            for p in sorted(root.rglob("*"))}


class Registry:
    """A private copy of the sample, for one example."""

    def __init__(self) -> None:
        self._tmp = tempfile.TemporaryDirectory(prefix="fuzz-")
        self.root = Path(self._tmp.name) / "registry"
        shutil.copytree(SAMPLE, self.root)

    def __enter__(self) -> Registry:
        return self

    def __exit__(self, *_: object) -> None:
        self._tmp.cleanup()

    def write(self, rel: str, data: bytes) -> None:
        path = self.root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)


# --- random bytes and random YAML ---------------------------------------------------------------

YAML_SOUP = st.lists(st.sampled_from([
    *":-?[]{},#&*!|>'\"%@` \n\t\r\\", "a", "b", "x:", "- ", "  ", "~", "null", "yes", "0x1F",
    "0o17", "1e400", ".inf", ".nan", "2021-08-30", "2021-02-30", "12:30", "\u00a0", "\ufeff",
    "\u0000", "ế", "e\u0302\u0301", "\U0001f600", "&a ", "*a", "!!python/object ", "!!binary ",
    "<<: ", "---\n", "...\n", "%YAML 1.1\n", "? ", "committee: ", "person: ", "start:\n  ",
]), max_size=300).map("".join)

SCALARS = st.one_of(
    st.none(), st.booleans(), st.integers(min_value=-(2**70), max_value=2**70),
    st.floats(allow_nan=True, allow_infinity=True), st.text(max_size=60),
    st.dates(min_value=dt.date(1, 1, 1), max_value=dt.date(9999, 12, 31)),
    st.sampled_from([*IDS, "", " ", "../x", "bcd-cpdt", "qd-913-2021", "uy-vien"]))
TREES = st.recursive(SCALARS, lambda inner: st.one_of(
    st.lists(inner, max_size=5), st.dictionaries(st.text(max_size=12), inner, max_size=6)),
    max_leaves=30)


def dump(data: Any, flow: bool | None = False) -> bytes:
    """YAML text of plain data (dates as dates, NaN as .nan)."""
    return yaml.safe_dump(data, allow_unicode=True, default_flow_style=flow, sort_keys=False,
                           width=4096).encode("utf-8")


@settings(PROFILE)
@given(rel=st.sampled_from(FILES), data=st.binary(max_size=3000), args=ARGS)
def test_random_bytes(cli: Run, rel: str, data: bytes, args: dict[str, Any]) -> None:
    with Registry() as reg:
        reg.write(rel, data)
        check_all(cli, reg.root, args)


@settings(PROFILE)
@given(rel=st.sampled_from(FILES), text=YAML_SOUP, args=ARGS)
def test_random_yaml_text(cli: Run, rel: str, text: str, args: dict[str, Any]) -> None:
    with Registry() as reg:
        reg.write(rel, text.encode("utf-8", "surrogatepass"))
        check_all(cli, reg.root, args)


@settings(PROFILE)
@given(rel=st.sampled_from(FILES), tree=TREES, flow=st.sampled_from([False, True, None]),
       args=ARGS)
def test_random_yaml_documents(cli: Run, rel: str, tree: Any, flow: bool | None,
                               args: dict[str, Any]) -> None:
    with Registry() as reg:
        reg.write(rel, dump(tree, flow))
        check_all(cli, reg.root, args)


# --- mutated copies of the sample ---------------------------------------------------------------


def _paths(node: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    """Every path to a value inside a parsed file."""
    found: list[tuple[Any, ...]] = [prefix] if prefix else []
    if isinstance(node, dict):
        for key, value in node.items():
            found += _paths(value, (*prefix, key))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            found += _paths(value, (*prefix, index))
    return found


def _parent(tree: Any, path: tuple[Any, ...]) -> Any:
    for step in path[:-1]:
        tree = tree[step]
    return tree


HOSTILE_VALUES = st.one_of(
    SCALARS, st.just([]), st.just({}), st.just([[]]), st.just({"x": None}),
    st.just(float("nan")), st.just(2**64), st.just(-1), st.just(0),
    st.builds(lambda n: "Đ" * n, st.integers(1000, 200_000)),
    st.builds(lambda n: list(range(n)), st.integers(100, 5000)),
    st.builds(lambda n: ["qd-913-2021"] * n, st.integers(100, 3000)),
    st.sampled_from(["2021-02-29", "30/8/2021", "9999-99-99", "a\nb", "| x", "@article y",
                     "{{ x }}", "{% raw %}", "<script>alert(1)</script>", "\u202e", "\u0000",
                     "e\u0302\u0301", "\ufeffx"]))


@st.composite
def mutation(draw: st.DrawFn) -> tuple[str, Any]:
    """One change to one file: (kind, argument)."""
    kind = draw(st.sampled_from([
        "delete-field", "swap-type", "swap-type", "add-field", "rename-id", "duplicate",
        "delete-file", "nfd", "bom", "bom-inside", "crlf", "utf16", "nested", "huge-string",
        "reference", "folder-gone", "truncate"]))
    return kind, draw(st.one_of(HOSTILE_VALUES, st.integers(0, 10_000)))


def apply(reg: Registry, rel: str, kind: str, value: Any, pick: Callable[[list[Any]], Any]) -> None:
    """Apply one mutation to ``rel`` in the example's registry."""
    path = reg.root / rel
    if not path.is_file():
        return
    raw = path.read_bytes()
    text = raw.decode("utf-8", "replace")
    if kind in ("nfd", "bom", "bom-inside", "crlf", "utf16", "truncate"):
        new = {"nfd": lambda: unicodedata.normalize("NFD", text).encode(),
               "bom": lambda: b"\xef\xbb\xbf" + raw,
               "bom-inside": lambda: raw.replace(b"\n", b"\n\xef\xbb\xbf", 1),
               "crlf": lambda: raw.replace(b"\n", b"\r\n"),
               "utf16": lambda: text.encode("utf-16"),
               "truncate": lambda: raw[: len(raw) * (int(value) % 100 if isinstance(value, int)
                                                     else 50) // 100]}[kind]()
        path.write_bytes(new)
        return
    if kind == "rename-id":
        target = str(value) if isinstance(value, str) and value else pick(IDS)
        name = target.replace("/", "_")[:100] or "x"
        path.rename(path.with_name(f"{name}.yaml"))
        return
    if kind == "duplicate":
        path.with_name(f"{pick(IDS)}-copy.yaml").write_bytes(raw)
        return
    if kind == "delete-file":
        path.unlink()
        return
    if kind == "folder-gone":
        shutil.rmtree(path.parent) if path.parent != reg.root else path.unlink()
        return
    try:
        tree = yaml.safe_load(text)
    except (yaml.YAMLError, RecursionError):
        return  # an earlier mutation made it unreadable: nothing to edit
    if not isinstance(tree, dict) or not tree:
        return
    paths = _paths(tree)
    where = pick(paths)
    parent = _parent(tree, where)
    if kind == "delete-field":
        del parent[where[-1]]
    elif kind in ("swap-type", "reference"):
        parent[where[-1]] = pick(IDS) if kind == "reference" else value
    elif kind == "add-field":
        target = parent if isinstance(parent, dict) else tree
        target[f"x_{value}"[:40] if not isinstance(value, str) else value[:40] or "x"] = value
    elif kind == "nested":
        depth = value % 200 + 1 if isinstance(value, int) else 70
        nested = parent[where[-1]]
        for _ in range(depth):
            nested = [nested]
        parent[where[-1]] = nested
    elif kind == "huge-string":
        size = abs(value) % 10_001 * 500 if isinstance(value, int) else 1_000_000
        parent[where[-1]] = "Bộ Nội vụ " * (size // 10 + 1)
    with contextlib.suppress(yaml.YAMLError, RecursionError, ValueError):
        path.write_bytes(dump(tree))


MUTATIONS = st.lists(st.tuples(st.sampled_from(FILES), mutation()), min_size=1, max_size=3)


def mutated(cli: Run, changes: list[tuple[str, tuple[str, Any]]], args: dict[str, Any],
            data: st.DataObject) -> None:
    """Apply the mutations to a copy of the sample and run every command on it."""
    def pick(options: list[Any]) -> Any:
        return data.draw(st.sampled_from(options))

    with Registry() as reg:
        for rel, (kind, value) in changes:
            apply(reg, rel, kind, value, pick)
        check_all(cli, reg.root, args)


@settings(PROFILE, max_examples=PROFILE.max_examples * 3)
@given(changes=MUTATIONS, args=ARGS, data=st.data())
def test_mutated_sample(cli: Run, changes: list[tuple[str, tuple[str, Any]]],
                        args: dict[str, Any], data: st.DataObject) -> None:
    mutated(cli, changes, args, data)


@pytest.mark.slow
@settings(LONG_PROFILE)
@given(changes=st.lists(st.tuples(st.sampled_from(FILES), mutation()), min_size=1, max_size=5),
       args=ARGS, data=st.data())
def test_mutated_sample_long(cli: Run, changes: list[tuple[str, tuple[str, Any]]],
                             args: dict[str, Any], data: st.DataObject) -> None:
    mutated(cli, changes, args, data)


@pytest.mark.slow
@settings(LONG_PROFILE)
@given(rel=st.sampled_from(FILES), data=st.binary(max_size=20_000), text=YAML_SOUP,
       tree=TREES, args=ARGS)
def test_random_input_long(cli: Run, rel: str, data: bytes, text: str, tree: Any,
                           args: dict[str, Any]) -> None:
    for content in (data, text.encode("utf-8", "surrogatepass"), dump(tree)):
        with Registry() as reg:
            reg.write(rel, content)
            check_all(cli, reg.root, args)


# --- query arguments and values in documents ---------------------------------------------------


@settings(PROFILE)
@given(word=st.text(max_size=80), as_of=st.text(max_size=20),
       fmt=st.sampled_from(["table", "json", "csv", "yaml"]))
def test_random_query_arguments(cli: Run, word: str, as_of: str, fmt: str) -> None:
    word = word.replace("\x00", "") or "x"
    for argv in (("members", word), ("show", word, "--as-of", as_of or "x"), ("person", word),
                 ("history", word), ("render", "decision", word), ("tasks", "--as-of", as_of),
                 ("decisions", word, "--format", fmt)):
        result = cli(*argv, registry=SAMPLE)
        assert result.exit_code in (0, 2), (argv, result.output)
        if result.exit_code == 2:
            assert result.stderr.startswith(("error: ", "Usage: ")), (argv, result.stderr)


class _Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)


def _tags(html: str) -> list[str]:
    parser = _Tags()
    parser.feed(html)
    return parser.tags


@settings(PROFILE)
@example(subject="0", proposer="\x1b")  # was an internal error writing .docx (XML forbids it)
@example(subject="<script>alert(1)</script>", proposer="**Ông** | A\n@article X")
@given(subject=st.text(min_size=1, max_size=200).filter(lambda s: s.strip()),
       proposer=st.text(min_size=1, max_size=80).filter(lambda s: s.strip()))
def test_data_never_becomes_markup(cli: Run, subject: str, proposer: str) -> None:
    """Whatever a decision's fields hold, the HTML has the same elements as the sample's and
    Markdown keeps its structure: data is escaped, never interpreted."""
    rendered = {}
    with Registry() as reg:
        rel = reg.root / "decisions" / "qd-913-2021.yaml"
        tree = yaml.safe_load(rel.read_text(encoding="utf-8"))
        tree["status"] = "draft"  # a signed decision's text is frozen by its fingerprint
        tree.pop("signature", None)
        for case, values in (("plain", ("Về việc thử", "Ông A")), ("drawn", (subject, proposer))):
            tree["subject"], tree["proposer"] = values
            rel.write_bytes(dump(tree))
            rendered[case] = [cli("render", "decision", "qd-913-2021", "--format", fmt,
                                  *(["--out", str(reg.root.parent / "d.docx")]
                                    if fmt == "docx" else []), registry=reg.root)
                              for fmt in ("html", "md", "docx")]
    (baseline, _, _), (html, md, docx) = rendered["plain"], rendered["drawn"]
    assert baseline.exit_code == 0, baseline.stderr
    if html.exit_code != 0:  # e.g. a subject that is not NFC or has control characters
        assert html.exit_code == 1 and RULE_CODE.search(html.stderr), html.stderr
        return
    assert md.exit_code == 0, md.stderr
    assert docx.exit_code == 0, docx.stderr
    assert _tags(html.stdout) == _tags(baseline.stdout)
    assert "<script" not in html.stdout.lower().replace("&lt;script", "")


# --- worst cases as separate processes under hard limits ---------------------------------------

BOMB = "a: &a [x, x, x, x, x, x, x, x, x]\n" + "".join(
    f"{chr(98 + i)}: &{chr(98 + i)} [*{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, "
    f"*{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, "
    f"*{chr(97 + i)}]\n" for i in range(9))
WORST = {
    "alias-bomb": BOMB.encode(),
    "deep-flow": b"name: " + b"[" * 200_000 + b"]" * 200_000 + b"\n",
    "deep-block": b"".join(b"  " * i + b"k:\n" for i in range(3000)),
    "just-under-limit": b"name: '" + b"x" * (5 * 1024 * 1024 - 20) + b"'\n",
    "over-limit": b"name: x\n" + b"# " + b"y" * (6 * 1024 * 1024) + b"\n",
    "many-lines": b"recipients:\n" + b"  - a\n" * 700_000,
    "long-key": b"x" * 1_000_000 + b": 1\n",
    # 5,000 errors in one file: each was located by parsing the file again (minutes)
    "many-errors": b"recipients:\n" + b"  - {}\n" * 5000 + b"unknown: 1\n",
}
HEAVY = {"many-lines", "just-under-limit"}  # near the size limit: `validate` alone


@pytest.mark.skipif(os.name != "posix", reason="resource limits")
@pytest.mark.parametrize("case", sorted(WORST))
def test_worst_inputs_stay_within_time_and_memory(tmp_path: Path, case: str) -> None:
    """A real process with 2 GiB of address space and 60 s of CPU reads each worst case and
    reports it: bounded by the 5 MiB file limit, the depth limit and refusing aliases."""
    root = tmp_path / "registry"
    shutil.copytree(SAMPLE, root)
    (root / "decisions" / "qd-913-2021.yaml").write_bytes(WORST[case])

    def limits() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (2 * 1024**3, 2 * 1024**3))
        resource.setrlimit(resource.RLIMIT_CPU, (60, 60))

    env = {**os.environ, "PYTHONPATH": str(ROOT), "COMMITTEE_CACHE": "off"}
    runs = [("validate",), ("members",), ("render", "decision", "qd-913-2021")]
    for argv in runs[:1] if case in HEAVY else runs:
        started = dt.datetime.now()
        done = subprocess.run([sys.executable, "-m", "committee_cli", "--registry", str(root),
                               *argv], capture_output=True, text=True, env=env, cwd=ROOT,
                              preexec_fn=limits, timeout=120, check=False)
        took = (dt.datetime.now() - started).total_seconds()
        assert done.returncode in (0, 1), (case, argv, done.returncode, done.stderr[-2000:])
        assert "Traceback" not in done.stderr and "MemoryError" not in done.stderr
        assert took < 30, (case, argv, took)
        if done.returncode == 1:
            assert RULE_CODE.search(done.stdout + done.stderr), (case, argv, done.stderr[-500:])
