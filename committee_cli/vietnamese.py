"""Vietnamese conventions in one place: NFC, collation, dates, symbols, honorifics, folding.

Everything else in the package calls these; nothing else re-implements them.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date

from committee_cli.i18n import tr

# --- NFC ---------------------------------------------------------------------------------


def nfc(text: str) -> str:
    """Return ``text`` in Unicode NFC (the one form the registry stores)."""
    return unicodedata.normalize("NFC", text)


def is_nfc(text: str) -> bool:
    """True when ``text`` is already NFC."""
    return unicodedata.is_normalized("NFC", text)


# --- folding for search -----------------------------------------------------------------

_FOLD_EXTRA = str.maketrans({"đ": "d", "Đ": "d"})
# the combining marks of the Combining Diacritical Marks block (every Vietnamese tone mark and
# diacritic once decomposed), removed in one pass; any other combining mark one at a time
_COMBINING_BLOCK = re.compile("[{}]+".format("".join(
    chr(cp) for cp in range(0x300, 0x370) if unicodedata.combining(chr(cp)))))


def fold(text: str) -> str:
    """Lower-case, tone- and diacritic-free form for matching ("Trương Hải Long" -> "truong hai long")."""
    stripped = _COMBINING_BLOCK.sub("", unicodedata.normalize("NFD", text.translate(_FOLD_EXTRA)))
    if not stripped.isascii():
        stripped = "".join(c for c in stripped if not unicodedata.combining(c))
    return " ".join(stripped.casefold().split())


def slugify(text: str) -> str:
    """An ASCII id made from a Vietnamese text ("Phạm Thị Thanh Trà" -> "pham-thi-thanh-tra")."""
    return re.sub(r"[^a-z0-9]+", "-", fold(text)).strip("-")


# --- collation (CLDR "vi") --------------------------------------------------------------

# Letters of the Vietnamese alphabet in order, with the Latin letters Vietnamese does not use
# (f, j, w, z) where CLDR puts them. Each base+modifier pair is one letter.
_ALPHABET = "a ă â b c d đ e ê f g h i j k l m n o ô ơ p q r s t u ư v w x y z".split()
_LETTER_RANK = {letter: 100 + i for i, letter in enumerate(_ALPHABET)}
_MODIFIERS = {"\u0306", "\u0302", "\u031b"}  # breve, circumflex, horn: part of the letter
# Tones in CLDR order: none, huyền, hỏi, ngã, sắc, nặng.
_TONES = {"\u0300": 1, "\u0309": 2, "\u0303": 3, "\u0301": 4, "\u0323": 5}


def _collation_elements(text: str) -> tuple[tuple[int, ...], tuple[int, ...], tuple[int, ...]]:
    primary: list[int] = []
    secondary: list[int] = []
    tertiary: list[int] = []
    for ch in nfc(text):
        decomposed = unicodedata.normalize("NFD", ch)
        base, marks = decomposed[0], decomposed[1:]
        lower = base.lower()
        upper = 1 if base != lower else 0
        letter = lower + "".join(m for m in marks if m in _MODIFIERS)
        letter = unicodedata.normalize("NFC", letter)
        tone = max((_TONES.get(m, 0) for m in marks), default=0)
        if letter == "đ" or (lower == "đ"):
            letter = "đ"
        if letter in _LETTER_RANK:
            primary.append(_LETTER_RANK[letter])
        elif lower.isdigit():
            primary.append(50 + int(unicodedata.digit(lower, 0)))
        elif lower.isspace():
            primary.append(1)
        elif unicodedata.category(lower).startswith(("P", "S")):
            primary.append(2 + (ord(lower) % 40))
        else:
            primary.append(1000 + ord(lower))
        secondary.append(tone)
        tertiary.append(upper)
    return tuple(primary), tuple(secondary), tuple(tertiary)


def collation_key(text: str) -> tuple[tuple[int, ...], tuple[int, ...], tuple[int, ...]]:
    """Sort key for Vietnamese text in CLDR "vi" order: letters first, then tones, then case."""
    return _collation_elements(text)


def name_sort_key(full_name: str) -> tuple[object, ...]:
    """Sort key for a personal name: given name (last word) first, then family and middle names."""
    words = nfc(full_name).split()
    if not words:
        return (collation_key(""), collation_key(""))
    return (collation_key(words[-1]), collation_key(" ".join(words[:-1])))


# --- dates --------------------------------------------------------------------------------


def day_str(day: int) -> str:
    """Day of month as written in documents: below 10 with a leading zero."""
    return f"{day:02d}"


def month_str(month: int) -> str:
    """Month as written in documents: 01 and 02 take a leading zero, the others do not."""
    return f"{month:02d}" if month <= 2 else str(month)


def long_date(d: date) -> str:
    """``ngày 30 tháng 8 năm 2021``, ``ngày 05 tháng 01 năm 2020``."""
    return f"ngày {day_str(d.day)} tháng {month_str(d.month)} năm {d.year}"


def short_date(d: date) -> str:
    """``30/8/2021``, ``01/3/2022``, ``05/01/2020`` (the same leading-zero rule, with slashes)."""
    return f"{day_str(d.day)}/{month_str(d.month)}/{d.year}"


def place_date(place: str, d: date) -> str:
    """``Hà Nội, ngày 30 tháng 8 năm 2021``."""
    return f"{place}, {long_date(d)}"


_DMY = re.compile(r"^\s*(\d{1,2})/(\d{1,2})/(\d{4})\s*$")
_ISO = re.compile(r"^\s*(\d{4})-(\d{1,2})-(\d{1,2})\s*$")


def parse_date(text: str) -> date:
    """Parse ``2021-08-30`` or ``30/8/2021``; raise ValueError with a readable message."""
    m = _ISO.match(text)
    if m:
        y, mo, d = (int(g) for g in m.groups())
    else:
        m = _DMY.match(text)
        if not m:
            raise ValueError(tr("'{text}' is not a date: write 2021-08-30 or 30/8/2021", text=text))
        d, mo, y = (int(g) for g in m.groups())
    try:
        return date(y, mo, d)
    except ValueError as exc:
        raise ValueError(tr("'{text}' is not a real date ({exc})", text=text, exc=exc)) from None


# --- numbers and symbols -----------------------------------------------------------------

DOCUMENT_TYPES = {
    "QĐ": "Quyết định",
    "QC": "Quy chế",
    "KH": "Kế hoạch",
    "TB": "Thông báo",
    "BC": "Báo cáo",
    "TTr": "Tờ trình",
}


def number_symbol(number: int, symbol: str) -> str:
    """``913/QĐ-BNV``; numbers below 10 take a leading zero (``05/QĐ-BNV``)."""
    return f"{number:02d}/{symbol}"


def short_citation(number: int | None, symbol: str) -> str:
    """``QĐ 913/QĐ-BNV`` as used in running text and diffs; a draft is ``dự thảo``."""
    if number is None:
        return f"dự thảo {symbol}"
    doc_type = symbol.split("-", 1)[0]
    return f"{doc_type} {number_symbol(number, symbol)}"


# Points in a clause: the Vietnamese alphabet, without f, j, w, z.
POINT_LETTERS = "a b c d đ e g h i k l m n o p q r s t u v x y".split()


def point_label(index: int) -> str:
    """0 -> ``a)``, 5 -> ``e)``: the label of the index-th point of a clause."""
    if index < len(POINT_LETTERS):
        return f"{POINT_LETTERS[index]})"
    return f"{POINT_LETTERS[index // len(POINT_LETTERS) - 1]}{POINT_LETTERS[index % len(POINT_LETTERS)]})"


# --- case and honorifics -----------------------------------------------------------------


def upper(text: str) -> str:
    """Vietnamese upper case (``str.upper`` maps đ -> Đ and keeps tones)."""
    return nfc(text).upper()


def sentence_case(text: str) -> str:
    """First letter capital, the rest untouched (``bộ trưởng`` -> ``Bộ trưởng``)."""
    return text[:1].upper() + text[1:] if text else text


HONORIFICS = ("Ông", "Bà")


def honorific_lower(honorific: str) -> str:
    """``ông`` / ``bà`` for use inside a sentence."""
    return honorific.lower()


def same_text(a: str, b: str) -> bool:
    """Compare two texts as documents do: NFC, and "HOÀ"/"HÒA" spellings taken as equal."""

    def canon(s: str) -> str:
        s = nfc(s)
        for old, new in (("oà", "òa"), ("OÀ", "ÒA"), ("oá", "óa"), ("OÁ", "ÓA"), ("oạ", "ọa"),
                         ("OẠ", "ỌA"), ("oả", "ỏa"), ("oã", "õa"), ("uý", "úy"), ("UÝ", "ÚY"),
                         ("uỷ", "ủy"), ("UỶ", "ỦY")):
            s = s.replace(old, new)
        return s

    return canon(a) == canon(b)
