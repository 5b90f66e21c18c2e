"""Keep the message catalogues in step with the source (needs Babel: ``pip install -e '.[test]'``).

    python -m tools.catalogue update    # extract messages, merge into the vi and en .po files
    python -m tools.catalogue compile   # write the .mo files shipped in the package
    python -m tools.catalogue check     # exit 1 if a message lacks a translation or a .mo is stale

Messages are found two ways: Babel extracts every ``tr("…")`` and ``N_("…")`` call from
``committee_cli``; the help texts (docstrings and ``help=`` of options) are read from the built
command tree, exactly as Typer will show them. The English catalogue is the identity; the
Vietnamese one must give every message a translation with the same ``{placeholders}``.
"""

from __future__ import annotations

import ast
import datetime
import io
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "committee_cli"
LOCALE = PACKAGE / "locale"
DOMAIN = "committee"
LANGUAGES = ("vi", "en")
KEYWORDS = {"tr": None, "N_": None}
# Fixed header dates: an update without new messages changes nothing, and compiling is reproducible.
STABLE_DATE = datetime.datetime(2026, 1, 1, tzinfo=datetime.UTC)
PLACEHOLDER = re.compile(r"\{([a-z_][a-z0-9_]*)(?:![rsa])?(?::[^}]*)?\}")


def po_path(language: str) -> Path:
    """Where the editable catalogue of ``language`` lives."""
    return LOCALE / language / "LC_MESSAGES" / f"{DOMAIN}.po"


def mo_path(language: str) -> Path:
    """Where the compiled catalogue of ``language`` lives (shipped in the wheel)."""
    return po_path(language).with_suffix(".mo")


def source_messages() -> dict[str, list[tuple[str, int]]]:
    """Every message marked in the source, with where it is written."""
    from babel.messages.extract import extract_from_dir

    found: dict[str, list[tuple[str, int]]] = {}
    for filename, lineno, message, _comments, _context in extract_from_dir(
            str(PACKAGE), keywords=KEYWORDS):
        if isinstance(message, str) and message:
            found.setdefault(message, []).append((f"committee_cli/{filename}", lineno))
    return found


def help_messages() -> list[str]:
    """Every help text of the command tree, in the source's English."""
    from committee_cli.cli.localise import help_texts
    from tools.docgen import loaded_root

    return help_texts(loaded_root())  # every command module loaded (they load lazily)


def all_messages() -> dict[str, list[tuple[str, int]]]:
    """Source messages and help texts together: what the catalogues must translate."""
    found = source_messages()
    for text in help_messages():
        found.setdefault(text, [])
    return found


def unmarked_calls() -> list[str]:
    """``tr``/``N_`` calls whose message is not a plain string literal (Babel cannot see them)."""
    bad: list[str] = []
    for path in sorted(PACKAGE.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
        for node in ast.walk(tree):
            if (isinstance(node, ast.Call) and isinstance(node.func, ast.Name)
                    and node.func.id in KEYWORDS and node.args):
                first = node.args[0]
                if not (isinstance(first, ast.Constant) and isinstance(first.value, str)):
                    bad.append(f"{path.relative_to(ROOT)}:{node.lineno}: {node.func.id}() needs a "
                               "string literal (no f-string): use named placeholders")
    return bad


def read_catalogue(language: str):  # type: ignore[no-untyped-def]
    """The .po catalogue of ``language`` (an empty one when the file does not exist yet)."""
    from babel.messages.catalog import Catalog
    from babel.messages.pofile import read_po

    path = po_path(language)
    if not path.exists():
        return Catalog(locale=language, domain=DOMAIN)
    with path.open("rb") as handle:
        return read_po(handle, locale=language, domain=DOMAIN)


def update() -> dict[str, int]:
    """Merge the messages of the source into both .po files; return how many are untranslated."""
    from babel.messages.catalog import Catalog
    from babel.messages.pofile import write_po

    messages = all_messages()
    missing: dict[str, int] = {}
    for language in LANGUAGES:
        old = read_catalogue(language)
        new = Catalog(locale=language, domain=DOMAIN, project="committee-cli",
                      copyright_holder="committee-cli developers", fuzzy=False,
                      creation_date=STABLE_DATE, revision_date=STABLE_DATE)
        count = 0
        for msgid in sorted(messages):
            previous = old.get(msgid)
            text = previous.string if previous is not None and previous.string else ""
            if language == "en":
                text = msgid
            count += not text
            new.add(msgid, text, locations=messages[msgid])
        path = po_path(language)
        path.parent.mkdir(parents=True, exist_ok=True)
        buffer = io.BytesIO()
        write_po(buffer, new, width=100, omit_header=False, sort_output=True,
                 include_lineno=False)
        path.write_bytes(buffer.getvalue())
        missing[language] = count
    return missing


def compiled(language: str) -> bytes:
    """The .mo bytes of ``language``'s current .po file."""
    from babel.messages.mofile import write_mo

    buffer = io.BytesIO()
    write_mo(buffer, read_catalogue(language), use_fuzzy=False)
    return buffer.getvalue()


def _messages_of(mo: bytes) -> dict[str, str]:
    """The translations a .mo file holds (its header, which names the Babel version, aside)."""
    import gettext

    catalogue = gettext.GNUTranslations(io.BytesIO(mo))
    return {k: v for k, v in catalogue._catalog.items() if k != ""}  # type: ignore[attr-defined]


def compile_all() -> None:
    """Write the .mo file of each language."""
    for language in LANGUAGES:
        mo_path(language).write_bytes(compiled(language))


def problems() -> list[str]:
    """What is wrong with the catalogues: messages without translation, placeholders, stale .mo."""
    found = unmarked_calls()
    messages = all_messages()
    for language in LANGUAGES:
        catalogue = read_catalogue(language)
        for msgid in sorted(messages):
            entry = catalogue.get(msgid)
            where = ", ".join(f"{f}:{n}" for f, n in messages[msgid][:2]) or "help text"
            if entry is None or not entry.string:
                found.append(f"{language}: no translation for {msgid!r} ({where})")
                continue
            if sorted(PLACEHOLDER.findall(msgid)) != sorted(PLACEHOLDER.findall(entry.string)):
                found.append(f"{language}: placeholders differ in the translation of {msgid!r}")
        if not mo_path(language).exists() or (_messages_of(mo_path(language).read_bytes())
                                               != _messages_of(compiled(language))):
            found.append(f"{language}: {mo_path(language).relative_to(ROOT)} is stale: run "
                         "python -m tools.catalogue compile")
    return found


def main(argv: list[str]) -> int:
    """Run ``update``, ``compile`` or ``check``."""
    command = argv[0] if argv else "check"
    if command == "update":
        for language, count in update().items():
            print(f"{po_path(language).relative_to(ROOT)}: {count} message(s) to translate")
        return 0
    if command == "compile":
        compile_all()
        print("compiled " + ", ".join(str(mo_path(lang).relative_to(ROOT)) for lang in LANGUAGES))
        return 0
    if command == "check":
        found = problems()
        for line in found:
            print(line)
        print(f"{len(found)} problem(s)" if found else "catalogues complete")
        return 1 if found else 0
    print(__doc__)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
