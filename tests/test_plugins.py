"""Other installed packages' pydantic plugins (entry points of the ``pydantic`` group) are not
loaded by the command line (cli/app.py): such a plugin would run inside every command and see,
or change, every record validated. Setting PYDANTIC_DISABLE_PLUGINS yourself is honoured."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import ROOT, SAMPLE, command_script

PLUGIN = '''
import os
from pathlib import Path
Path(os.environ["PLUGIN_MARK"]).write_text("loaded", encoding="utf-8")


class Plugin:
    def new_schema_validator(self, *args, **kwargs):
        return None, None, None


plugin = Plugin()
'''


@pytest.mark.parametrize(("setting", "loaded"), [(None, False), ("", True)])
def test_a_pydantic_plugin_installed_beside_is_not_loaded(
        tmp_path: Path, setting: str | None, loaded: bool) -> None:
    site = tmp_path / "site"
    (site / "planted_plugin-1.0.dist-info").mkdir(parents=True)
    (site / "planted_plugin-1.0.dist-info" / "METADATA").write_text(
        "Metadata-Version: 2.1\nName: planted-plugin\nVersion: 1.0\n", encoding="utf-8")
    (site / "planted_plugin-1.0.dist-info" / "entry_points.txt").write_text(
        "[pydantic]\nplanted = planted_plugin:plugin\n", encoding="utf-8")
    (site / "planted_plugin.py").write_text(PLUGIN, encoding="utf-8")
    mark = tmp_path / "mark"
    env = {key: value for key, value in os.environ.items() if key != "PYDANTIC_DISABLE_PLUGINS"}
    env.update(PYTHONPATH=os.pathsep.join([str(ROOT), str(site)]), PLUGIN_MARK=str(mark),
               COMMITTEE_CACHE="off")
    if setting is not None:
        env["PYDANTIC_DISABLE_PLUGINS"] = setting
    done = subprocess.run([sys.executable, "-m", "committee_cli", "--registry", str(SAMPLE),
                           "validate"], capture_output=True, text=True, env=env, cwd=tmp_path,
                          check=False)
    assert done.returncode == 0, done.stderr
    assert mark.exists() is loaded


_METADATA_READ = command_script("", """
print("importlib.metadata" in sys.modules, "pydantic.plugin._loader" in sys.modules)
""")


@pytest.mark.parametrize(("setting", "read"), [(None, False), ("__all__", False), ("1", False),
                                               ("", True), ("planted", True)])
def test_no_package_metadata_is_read_while_every_plugin_is_disabled(
        tmp_path: Path, setting: str | None, read: bool) -> None:
    """pydantic's plugin loader imports importlib.metadata only to be told by the setting to
    load nothing: the command line answers for it then (and builds every record as before);
    a setting that allows some plugin keeps pydantic's own loader."""
    env = {key: value for key, value in os.environ.items() if key != "PYDANTIC_DISABLE_PLUGINS"}
    env.update(PYTHONPATH=str(ROOT), COMMITTEE_CACHE="off")
    if setting is not None:
        env["PYDANTIC_DISABLE_PLUGINS"] = setting
    done = subprocess.run([sys.executable, "-c", _METADATA_READ, "--registry", str(SAMPLE),
                           "members", "--format", "json"], capture_output=True, text=True,
                          env=env, cwd=tmp_path, check=False)
    assert done.returncode == 0, done.stderr
    assert '"role"' in done.stdout  # the seats, built and validated
    assert done.stdout.split()[-2:] == [str(read), "True"]
