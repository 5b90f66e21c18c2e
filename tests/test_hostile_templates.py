"""A registry's own template cannot hang a run or end it with exit 70: every bomb ends within
its bound with exit 1, naming the template and the line (real processes)."""

from __future__ import annotations

import shutil
import time
from pathlib import Path

import pytest

from tests.conftest import Run
from tests.hostile_helpers import run_committee
from tests.render_helpers import FIXTURE

BOMBS = {
    "nested-ranges": "{% for i in range(100000) %}{% for j in range(100000) %}"
                     "{% endfor %}{% endfor %}",
    "nested-data-loops": "{% set x = range(1000)|list %}{% for a in x %}{% for b in x %}"
                         "{% for c in x %}{% endfor %}{% endfor %}{% endfor %}",
    "huge-range": "{{ range(10**9)|list|length }}",
    "string-times": "{{ ('a ' * 50000000)|wordwrap(1) }}",
    "list-times": "{{ ([1] * 100000000)|length }}",
    "power": "{{ 10 ** 100000000 }}",
    "format-width": "{{ '%999999999d' % 1 }}",
    "format-star": "{{ '%*d' % (999999999, 1) }}",
    "format-method": "{{ '{:>999999999}'.format(1) }}",
    "format-filter": "{{ '%999999999s'|format('x') }}",
    "center": "{{ 'x'|center(999999999) }}",
    "ljust": "{{ 'x'.ljust(999999999) }}",
    "doubling": "{% set a = 'xxxxxxxxxxxxxxxx' %}" + "".join(
        "{% set a = a ~ a %}" for _ in range(40)) + "{{ a|length }}",
    "join": "{{ range(100000)|join('x' * 100000) }}",
    "replace": "{{ ('x' * 100000)|replace('x', 'y' * 100000) }}",
    "recursion": "{% macro m(n) %}{{ m(n + 1) }}{% endmacro %}{{ m(0) }}",
    "output": "{% for i in range(100000) %}" + "x" * 100 + "{% endfor %}",
}


@pytest.fixture
def registry(tmp_path: Path) -> Path:
    target = tmp_path / "registry"
    shutil.copytree(FIXTURE, target)
    (target / "templates").mkdir()
    return target


# the bombs the red-team pass ran, each as a real process; the others in-process
PROCESS_BOMBS = ("nested-ranges", "nested-data-loops", "string-times", "huge-range",
                 "recursion", "format-width")


def plant(registry: Path, bomb: str) -> None:
    (registry / "templates" / "decision-change-members.j2").write_text(
        "{# a registry template #}\n" + BOMBS[bomb] + "\n", encoding="utf-8")


@pytest.mark.parametrize("bomb", PROCESS_BOMBS)
def test_a_template_bomb_ends_within_its_bound(registry: Path, bomb: str) -> None:
    plant(registry, bomb)
    start = time.monotonic()
    done = run_committee("render", "decision", "qd-120-2021", registry=registry,
                         env={"COMMITTEE_TEMPLATE_TIMEOUT": "3"}, timeout=60)
    elapsed = time.monotonic() - start
    message = done.stderr.decode("utf-8")
    assert done.returncode == 1, (bomb, done.returncode, message)
    assert "decision-change-members.j2, line 2" in message, (bomb, message)
    assert elapsed < 30, (bomb, elapsed)


@pytest.mark.parametrize("bomb", sorted(set(BOMBS) - set(PROCESS_BOMBS)))
def test_every_other_bomb_is_a_template_error(cli: Run, registry: Path, bomb: str,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    plant(registry, bomb)
    monkeypatch.setenv("COMMITTEE_TEMPLATE_TIMEOUT", "3")
    start = time.monotonic()
    result = cli("render", "decision", "qd-120-2021", registry=registry)
    assert result.exit_code == 1, (bomb, result.output)
    assert "decision-change-members.j2, line 2" in result.stderr, (bomb, result.stderr)
    assert time.monotonic() - start < 10, bomb


def test_the_wall_time_is_configurable_and_checked(cli: Run, registry: Path,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    (registry / "templates" / "decision-change-members.j2").write_text(
        "{# a registry template #}\n" + BOMBS["nested-data-loops"] + "\n", encoding="utf-8")
    monkeypatch.setenv("COMMITTEE_TEMPLATE_TIMEOUT", "0.5")
    start = time.monotonic()
    result = cli("render", "decision", "qd-120-2021", registry=registry)
    assert result.exit_code == 1 and "longer than 0.5 s" in result.stderr, result.output
    assert time.monotonic() - start < 10
    monkeypatch.setenv("COMMITTEE_TEMPLATE_TIMEOUT", "soon")
    result = cli("render", "decision", "qd-120-2021", registry=registry)
    assert result.exit_code == 2 and "COMMITTEE_TEMPLATE_TIMEOUT" in result.stderr


def test_an_ordinary_registry_template_is_not_bounded_by_mistake(cli: Run,
                                                                 registry: Path) -> None:
    (registry / "templates" / "decision-change-members.j2").write_text(
        '{% extends "builtin/decision-change-members.j2" %}\n', encoding="utf-8")
    bounded = cli("render", "decision", "qd-120-2021", registry=registry)
    shutil.rmtree(registry / "templates")
    builtin = cli("render", "decision", "qd-120-2021", registry=registry)
    assert bounded.exit_code == 0 and bounded.stdout == builtin.stdout
