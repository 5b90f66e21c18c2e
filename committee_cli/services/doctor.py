"""`committee doctor`: is this computer ready for committee-cli, and what to install or change.

Each check says what it found and, when something is missing, what to do. The essential ones
(Python, git, a readable registry of a schema version this release reads) decide the exit code;
the others (PDF engines and fonts, the optional extras, the cache folder) only warn, because the
commands that need them say so themselves when run.
"""

from __future__ import annotations

import importlib.util
import shutil
import subprocess
import sys
import tempfile
import warnings
from dataclasses import dataclass
from pathlib import Path

import yaml

from committee_cli.exchange import SIGN_PACKAGES
from committee_cli.i18n import current_language, tr
from committee_cli.model.records import CONFIG_FILE, SCHEMA_VERSION
from committee_cli.render.pdf import _soffice
from committee_cli.store.cache import cache_root
from committee_cli.store.loader import PARALLEL_FROM
from committee_cli.store.parallel import JOBS_ENV, bad_setting, jobs

MIN_PYTHON = (3, 11)
PDF_FONTS = ("Times New Roman", "Liberation Serif")  # Liberation Serif has the same metrics


@dataclass(frozen=True)
class Check:
    """One finding: ``status`` is ok, warn or fail; ``fix`` says what to install or change."""

    name: str
    status: str
    found: str
    fix: str = ""
    essential: bool = False

    def as_dict(self) -> dict[str, object]:
        """The JSON shape of a check."""
        return {"check": self.name, "status": self.status, "found": self.found, "fix": self.fix,
                "essential": self.essential}


def check_python() -> Check:
    """Python 3.11 or newer."""
    version = ".".join(str(n) for n in sys.version_info[:3])
    if sys.version_info[:2] >= MIN_PYTHON:
        return Check("python", "ok", f"Python {version} ({sys.executable})", essential=True)
    return Check("python", "fail", f"Python {version}",
                 tr("install Python 3.11 or newer and reinstall committee-cli with it"),
                 essential=True)


def check_git() -> Check:
    """git on PATH (the registry lives in git; diff, --base, --rev and --commit use it)."""
    git = shutil.which("git")
    if git is None:
        return Check("git", "fail", tr("git is not on PATH"),
                     tr("install git (Debian/Ubuntu: apt-get install git; Windows: git-scm.com)"),
                     essential=True)
    done = subprocess.run([git, "--version"], capture_output=True, text=True, check=False)
    return Check("git", "ok" if done.returncode == 0 else "fail", done.stdout.strip() or git,
                 "" if done.returncode == 0 else tr("reinstall git: `git --version` fails"),
                 essential=True)


def check_registry(root: Path, how: str) -> list[Check]:
    """The registry folder exists, holds registry.yaml, and its schema version is one we read."""
    where = f"{root} ({how})"
    config = root / CONFIG_FILE
    if not config.is_file():
        return [Check("registry", "fail", tr("no {file} in {folder}", file=CONFIG_FILE, folder=where),
                      tr("pass --registry DIR (or set COMMITTEE_REGISTRY), or create one with "
                         "`committee init DIR`"), essential=True)]
    checks = [Check("registry", "ok", where, essential=True)]
    try:
        data = yaml.safe_load(config.read_text(encoding="utf-8"))
        version = data.get("schema_version") if isinstance(data, dict) else None
    except (OSError, UnicodeDecodeError, ValueError, yaml.YAMLError) as exc:
        return [*checks, Check("schema", "fail", tr("{file} cannot be read: {problem}",
                                                   file=config, problem=exc),
                               tr("run `committee validate` and fix what it reports"),
                               essential=True)]
    if version == SCHEMA_VERSION:
        checks.append(Check("schema", "ok", tr("schema version {version}", version=version),
                            essential=True))
    elif isinstance(version, int) and version > SCHEMA_VERSION:
        checks.append(Check("schema", "fail", tr("schema version {version}; this release reads "
                                                 "{supported}", version=version,
                                                 supported=SCHEMA_VERSION),
                            tr("upgrade committee-cli (pip install -U committee-cli)"),
                            essential=True))
    else:
        checks.append(Check("schema", "fail", tr("schema version {version} is not valid",
                                                 version=version),
                            tr("set schema_version: {supported} in {file}",
                               supported=SCHEMA_VERSION, file=config), essential=True))
    return checks


def check_pdf() -> list[Check]:
    """A PDF engine (WeasyPrint or LibreOffice) and Times New Roman or a metric twin."""
    checks: list[Check] = []
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            import weasyprint
        checks.append(Check("weasyprint", "ok", f"WeasyPrint {weasyprint.__version__}"))
    except ImportError:
        checks.append(Check("weasyprint", "warn", tr("not installed (only for --format pdf)"),
                            tr("pip install 'committee-cli[pdf]'")))
    except OSError as exc:
        checks.append(Check("weasyprint", "warn", tr("installed, but its system libraries are "
                                                     "missing: {problem}", problem=exc),
                            tr("install Pango (Debian/Ubuntu: apt-get install libpango-1.0-0 "
                               "libpangoft2-1.0-0)")))
    soffice = _soffice()
    checks.append(Check("libreoffice", "ok", soffice) if soffice else Check(
        "libreoffice", "warn", tr("not on PATH (another way to make PDF)"),
        tr("apt-get install libreoffice-writer-nogui, or rely on WeasyPrint")))
    checks.append(check_fonts())
    return checks


def check_fonts() -> Check:
    """What fontconfig gives for Times New Roman (the font of Nghị định 30/2020)."""
    fc_match = shutil.which("fc-match")
    if fc_match is None:
        return Check("fonts", "warn", tr("fc-match is not on PATH: cannot tell which font PDF "
                                         "will use"),
                     tr("install fontconfig and fonts-liberation2 (apt-get install fontconfig "
                        "fonts-liberation2)"))
    done = subprocess.run([fc_match, "--format=%{family}", "Times New Roman"], capture_output=True,
                          text=True, check=False)
    family = done.stdout.strip()
    if any(name in family.split(",") for name in PDF_FONTS):
        return Check("fonts", "ok", tr("Times New Roman → {family}", family=family))
    return Check("fonts", "warn", tr("Times New Roman → {family}: PDF lines will not break as in "
                                     "Word", family=family or "?"),
                 tr("install Times New Roman or its metric twin Liberation Serif "
                    "(apt-get install fonts-liberation2)"))


def check_extras() -> list[Check]:
    """The optional ICU collation (exact CLDR Vietnamese order at very large scale), and the
    sign extra (edXML, PDF signatures) with its PKCS#11 part."""
    if importlib.util.find_spec("icu") is not None:
        checks = [Check("icu", "ok", tr("PyICU installed"))]
    else:
        checks = [Check("icu", "warn", tr("PyICU not installed (the built-in Vietnamese order is "
                                          "used)"),
                        tr("pip install 'committee-cli[icu]' for ICU collation"))]
    return [*checks, *check_sign()]


def check_sign() -> list[Check]:
    """The sign extra (export edxml, sign, verify) and python-pkcs11 (signing on a token)."""
    missing = [m for m in SIGN_PACKAGES if importlib.util.find_spec(m) is None]
    if missing:
        sign = Check("sign", "warn", tr("not installed: {modules} (only for export edxml, sign "
                                        "and verify)", modules=", ".join(missing)),
                     tr("pip install 'committee-cli[sign]'"))
    else:
        sign = Check("sign", "ok", ", ".join(SIGN_PACKAGES))
    if importlib.util.find_spec("pkcs11") is not None:
        return [sign, Check("pkcs11", "ok", tr("python-pkcs11 installed"))]
    return [sign, Check("pkcs11", "warn", tr("python-pkcs11 not installed (only for sign "
                                             "--pkcs11, a key on a token)"),
                        tr("pip install 'committee-cli[pkcs11]'"))]


def check_cache() -> Check:
    """The cache folder can be written (otherwise every run re-reads every file)."""
    root = cache_root()
    if root is None:
        return Check("cache", "ok", tr("off (COMMITTEE_CACHE=off)"))
    try:
        root.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=root, prefix=".doctor-"):
            pass
    except OSError as exc:
        return Check("cache", "warn", tr("{folder} is not writable: {problem}", folder=root,
                                         problem=exc.strerror or exc),
                     tr("set COMMITTEE_CACHE_DIR to a writable folder (runs are slower without "
                        "a cache)"))
    return Check("cache", "ok", str(root))


def check_jobs() -> Check:
    """How many processes parse a large registry's files when no cache holds them."""
    bad = bad_setting()
    if bad is not None:
        return Check("jobs", "warn", tr("{variable}={value} is not a whole number of processes: "
                                        "files are parsed in one", variable=JOBS_ENV, value=bad),
                     tr("set {variable} to a whole number such as 2, or unset it",
                        variable=JOBS_ENV))
    count = jobs()
    if count < 2:
        return Check("jobs", "ok", tr("files are parsed in one process"))
    return Check("jobs", "ok", tr("{count} processes parse a registry of {files} files or more",
                                  count=count, files=PARALLEL_FROM))


def check_language() -> Check:
    """The language of messages (--lang, COMMITTEE_LANG, the locale, else English)."""
    return Check("language", "ok", current_language())


def diagnose(registry: Path, how: str) -> list[Check]:
    """Every check, essential ones first."""
    return [check_python(), check_git(), *check_registry(registry, how), check_cache(),
            check_jobs(), *check_pdf(), *check_extras(), check_language()]


def healthy(checks: list[Check]) -> bool:
    """True when every essential check passed."""
    return all(c.status == "ok" for c in checks if c.essential)
