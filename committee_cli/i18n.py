"""Messages in Vietnamese or English: gettext catalogues shipped in ``committee_cli/locale``.

Source code writes messages in English and wraps them: ``tr("no seat '{seat}'", seat=sid)``
translates, then fills the named placeholders; ``N_("…")`` only marks a string for the
catalogue (it is translated later, where it is shown). The language is chosen once per run by
``choose_language``: ``--lang``, else ``COMMITTEE_LANG``, else the locale, else English. Rule
codes, JSON keys and other machine-read values are never translated.
"""

from __future__ import annotations

import gettext
import os
from collections.abc import Mapping
from pathlib import Path

DOMAIN = "committee"
LOCALE_DIR = Path(__file__).resolve().parent / "locale"
LANGUAGES = ("en", "vi")
DEFAULT_LANGUAGE = "en"
LOCALE_VARIABLES = ("LC_ALL", "LC_MESSAGES", "LANG")

_state: dict[str, object] = {"language": DEFAULT_LANGUAGE,
                             "catalogue": gettext.NullTranslations()}


def normalise(value: str | None) -> str | None:
    """``vi``/``vi_VN.UTF-8`` → ``vi``, ``en``/``en_US`` → ``en``; anything else → None."""
    if not value:
        return None
    head = value.strip().lower().replace("-", "_").split("_")[0].split(".")[0]
    return head if head in LANGUAGES else None


def choose_language(explicit: str | None = None, environ: Mapping[str, str] | None = None) -> str:
    """The language of this run: ``explicit`` (--lang), else COMMITTEE_LANG, else the locale."""
    env = os.environ if environ is None else environ
    for value in (explicit, env.get("COMMITTEE_LANG")):
        chosen = normalise(value)
        if chosen:
            return chosen
    for variable in LOCALE_VARIABLES:
        value = env.get(variable)
        if value:
            return "vi" if value.lower().startswith("vi") else DEFAULT_LANGUAGE
    return DEFAULT_LANGUAGE


def catalogue(language: str) -> gettext.NullTranslations:
    """The compiled catalogue of ``language`` (a null one when it is not shipped)."""
    return gettext.translation(DOMAIN, localedir=str(LOCALE_DIR), languages=[language],
                               fallback=True)


def set_language(language: str) -> None:
    """Translate every later message into ``language`` (``en`` or ``vi``)."""
    chosen = normalise(language) or DEFAULT_LANGUAGE
    _state["catalogue"] = catalogue(chosen)
    _state["language"] = chosen


def current_language() -> str:
    """The language messages are translated into now."""
    return str(_state["language"])


def gettext_(message: str) -> str:
    """The translation of ``message`` (itself when the catalogue has none)."""
    if not message:
        return message
    translations: gettext.NullTranslations = _state["catalogue"]  # type: ignore[assignment]
    return translations.gettext(message)


def tr(message: str, /, **values: object) -> str:
    """Translate ``message`` and fill its ``{named}`` placeholders with ``values``."""
    text = gettext_(message)
    return text.format(**values) if values else text


def N_(message: str) -> str:
    """Mark ``message`` for the catalogue without translating it now."""
    return message
