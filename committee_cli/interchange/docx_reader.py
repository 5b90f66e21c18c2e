"""Reading a Quyết định from Word (.docx) into plain facts: header, căn cứ, articles, members, signing.

The reader knows the layout of Nghị định 30/2020 (DOCUMENT-FORMAT.md) and both member-list
layouts of ISSUERS.md; it never guesses silently: every paragraph it could not place is kept in
``unread`` with the reason. Clause numbers come from the text ("1.", "a)") or, for Word's
automatic numbering, from the paragraph's ``w:numPr`` (counted per list and level).
``.doc`` files are converted with LibreOffice when it is installed.
"""

from __future__ import annotations

import datetime as dt
import re
import shutil
import subprocess
import tempfile
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from committee_cli.errors import CommitteeError, ExitCode, UsageError
from committee_cli.i18n import tr
from committee_cli.vietnamese import fold, nfc

# --- the paragraphs of a document -------------------------------------------------------------


_LAYOUT = str.maketrans({"\u00a0": " ", "\u200b": None, "\u2028": " ", "\n": " ", "\u202f": " "})


def layout_free(text: str) -> str:
    """A paragraph's words without the marks a layout adds (non-breaking spaces, preferred and
    forced line breaks), spaces made single: what the decision says."""
    return " ".join(nfc(text).translate(_LAYOUT).split())


@dataclass(frozen=True)
class Para:
    """One paragraph as read: its text, where it stood, and its Word list numbering if any."""

    text: str
    index: int  # 1-based position among the document's paragraphs
    place: str  # "body", "header" (the header table), "closing-left", "closing-right", "box"
    level: int | None = None  # Word numbering level (0: 1. 2. …, 1: a) b) …)
    number: int | None = None  # the number Word shows (1-based, counted per list and level)


def _convert_doc(path: Path, workdir: Path) -> Path:
    office = shutil.which("soffice") or shutil.which("libreoffice")
    if office is None:
        raise CommitteeError(tr("{path} is a .doc (Word 97-2003) file: install LibreOffice to read "
                                "it, or save it as .docx in Word and import that", path=path),
                             ExitCode.USAGE)
    profile = (workdir / "profile").as_uri()  # a private profile: no clash with an open office
    done = subprocess.run([office, "--headless", f"-env:UserInstallation={profile}",
                           "--convert-to", "docx", "--outdir", str(workdir), str(path)],
                          capture_output=True, text=True, timeout=180, check=False)
    converted = workdir / (path.stem + ".docx")
    if done.returncode != 0 or not converted.is_file():
        raise CommitteeError(tr("LibreOffice could not convert {path} to .docx: {detail}",
                                path=path, detail=(done.stderr or done.stdout).strip()[:300]),
                             ExitCode.IO)
    return converted


def read_paragraphs(path: Path) -> list[Para]:
    """Every paragraph of a .docx (or .doc) file in reading order, tables included."""
    if not path.is_file():
        raise CommitteeError(tr("no file {path}", path=path), ExitCode.IO)
    if path.suffix.lower() == ".doc":
        with tempfile.TemporaryDirectory() as workdir:
            return read_paragraphs(_convert_doc(path, Path(workdir)))

    from docx import Document
    from docx.opc.exceptions import PackageNotFoundError

    try:
        document = Document(str(path))
    except (PackageNotFoundError, zipfile.BadZipFile, KeyError, ValueError) as exc:
        raise UsageError(tr("{path} is not a Word .docx file ({detail})", path=path,
                            detail=exc)) from None
    return list(_walk(document))


def _walk(document: object) -> Iterator[Para]:
    from docx.oxml.ns import qn
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    body = document.element.body  # type: ignore[attr-defined]
    counters: dict[tuple[str, int], int] = {}
    index = 0
    tables = 0

    def para(element: object, parent: object, place: str) -> Para:
        nonlocal index
        index += 1
        paragraph = Paragraph(element, parent)  # type: ignore[arg-type]
        level = number = None
        num_pr = element.find(qn("w:pPr") + "/" + qn("w:numPr"))  # type: ignore[attr-defined]
        if num_pr is None and paragraph.style is not None:  # numbering given by the style
            num_pr = paragraph.style.element.find(qn("w:pPr") + "/" + qn("w:numPr"))
        if num_pr is not None:
            ilvl = num_pr.find(qn("w:ilvl"))
            num_id = num_pr.find(qn("w:numId"))
            level = int(ilvl.get(qn("w:val"))) if ilvl is not None else 0
            list_id = num_id.get(qn("w:val")) if num_id is not None else "0"
            for (other, other_level) in list(counters):
                if other == list_id and other_level > level:
                    del counters[(other, other_level)]  # a new clause restarts its points
            number = counters[(list_id, level)] = counters.get((list_id, level), 0) + 1
        return Para(layout_free(paragraph.text), index, place, level, number)

    for element in body.iterchildren():
        if element.tag == qn("w:p"):
            yield para(element, document, "body")
        elif element.tag == qn("w:tbl"):
            tables += 1
            table = Table(element, document)  # type: ignore[arg-type]
            cells = [cell for row in table.rows for cell in row.cells]
            texts = " ".join(layout_free(p.text) for c in cells for p in c.paragraphs)
            if len(cells) == 1:
                place = "box"
            elif "Nơi nhận" in texts or any("Nơi nhận" in c.paragraphs[0].text for c in cells):
                place = "closing"
            elif "CỘNG HÒA" in texts.upper() or "CỘNG HOÀ" in texts.upper():
                place = "header"
            else:
                place = "table"
            for n, cell in enumerate(cells):
                where = place
                if place == "closing":
                    where = "closing-left" if n % 2 == 0 else "closing-right"
                elif place == "header":
                    where = "header-left" if n % 2 == 0 else "header-right"
                for p in cell.paragraphs:
                    yield para(p._p, cell, where)


# --- what a decision says ----------------------------------------------------------------------


@dataclass
class Unread:
    """A paragraph the reader could not place, and why."""

    index: int
    text: str
    reason: str

    def as_dict(self) -> dict[str, object]:
        return {"paragraph": self.index, "text": self.text, "reason": self.reason}


@dataclass
class Clause:
    """A numbered clause of an article and its points a) b) …."""

    number: int
    text: str
    index: int
    points: list[tuple[str, int]] = field(default_factory=list)  # (text, paragraph index)


@dataclass
class Article:
    """An article (Điều N.): its lead text and its clauses."""

    number: int
    text: str
    index: int
    clauses: list[Clause] = field(default_factory=list)


@dataclass
class Basis:
    """A căn cứ as written, and its parts when it cites a numbered document."""

    text: str
    index: int
    kind: str | None = None
    number: str | None = None
    date: dt.date | None = None
    issuer: str | None = None
    title: str | None = None


@dataclass
class MemberLine:
    """One member of the list: who (a person, or a post at a unit), their titles and their role."""

    order: int
    role: str
    index: int
    text: str
    honorific: str | None = None
    name: str | None = None
    titles: list[str] = field(default_factory=list)
    post: str | None = None
    unit: str | None = None


@dataclass
class ChangeLine:
    """One clause of a change of members, as Nghị định 30 decisions word them:
    ``add`` (Bổ sung bà X, TITLE, làm ROLE), ``leave`` (Ông X, TITLE, thôi tham gia BODY),
    ``replace`` (Ông X, TITLE, thay ông Y, TITLE, làm ROLE) and ``role`` (Ông X, TITLE,
    OLD ROLE, làm ROLE). ``role`` texts name the committee too (``Ủy viên Ban Chỉ đạo``)."""

    kind: str
    index: int
    text: str
    holder: MemberLine
    role: str | None = None
    previous: MemberLine | None = None
    previous_role: str | None = None


@dataclass
class DutyChange:
    """A duty a change decision adds (``add``) or ends (``end``)."""

    kind: str
    text: str
    index: int


@dataclass
class Signing:
    """The signature block: mode, the lines above the name, and the name."""

    mode: str = "direct"
    lines: list[str] = field(default_factory=list)  # as written (upper case)
    signer: str | None = None


@dataclass
class ReadDecision:
    """Everything read from one decision document."""

    source: str
    draft: bool = False
    issuer_lines: list[str] = field(default_factory=list)
    number: int | None = None
    symbol: str | None = None
    place: str | None = None
    date: dt.date | None = None
    subject: str | None = None
    authority: str | None = None
    bases: list[Basis] = field(default_factory=list)
    proposer: str | None = None
    articles: list[Article] = field(default_factory=list)
    members: list[MemberLine] = field(default_factory=list)
    layout: str | None = None  # "lines" or "grouped"
    duties: list[str] = field(default_factory=list)
    changes: list[ChangeLine] = field(default_factory=list)
    duty_changes: list[DutyChange] = field(default_factory=list)
    printed_date: tuple[int | None, int | None, int | None] = (None, None, None)  # day, month, year
    signing: Signing = field(default_factory=Signing)
    recipients: list[str] = field(default_factory=list)
    unread: list[Unread] = field(default_factory=list)
    texts: list[str] = field(default_factory=list)  # every paragraph, for restoring case

    def restore_case(self, upper_text: str) -> str:
        """The phrase as the document writes it in running text ("BỘ NỘI VỤ" -> "Bộ Nội vụ"),
        else in sentence case."""
        wanted = " ".join(upper_text.split())
        key = wanted.casefold()
        for text in self.texts:
            at = text.casefold().find(key)
            while at >= 0:
                found = text[at:at + len(wanted)]
                if found != found.upper() and (at + len(wanted) >= len(text)
                                               or not text[at + len(wanted)].isalnum()):
                    return found
                at = text.casefold().find(key, at + 1)
        lowered = wanted.lower()
        return lowered[:1].upper() + lowered[1:]


_NUMBER = re.compile(r"^Số\s*:\s*(?:(\d+)\s*)?/\s*(\S+)$")
_BLANK = r"[\s.…_-]*"  # a draft leaves the day (or more) blank: "ngày    tháng 3", "ngày … tháng …"
_PLACE_DATE = re.compile(rf"^(.+?),\s*ngày{_BLANK}(\d{{1,2}})?{_BLANK}tháng{_BLANK}(\d{{1,2}})?"
                         rf"{_BLANK}năm{_BLANK}(\d{{4}})?{_BLANK}$")
_ARTICLE = re.compile(r"^Điều\s+(\d+)\s*[.:]\s*(.*)$")
_CLAUSE = re.compile(r"^(\d+)\s*[.)]\s+(.*)$")
_POINT = re.compile(r"^([a-zđ]{1,2})\)\s+(.*)$")
_LONG_DATE = r"ngày\s+(\d{1,2})\s+tháng\s+(\d{1,2})\s+năm\s+(\d{4})"
_BASIS = re.compile(rf"^Căn cứ\s+(.+?)\s+số\s+(\S+)\s+{_LONG_DATE}\s+của\s+(.+?)[;.]?$")
_SIGN_MODE = re.compile(r"^(KT|Q|TM|TL|TUQ)\.\s*(.*)$")
_KNOWN_ISSUERS = ("Ủy ban Thường vụ Quốc hội", "Thủ tướng Chính phủ", "Chính phủ", "Quốc hội",
                  "Chủ tịch nước", "Bộ Chính trị", "Ban Bí thư")
# First words of the subject of a cited document ("… của Chính phủ quy định …").
_TITLE_START = {"quy", "ve", "phe", "ban", "huong", "sua", "thanh", "giao", "kien", "cong",
                "dieu", "bo", "phan", "thuc", "trien", "chuyen", "hop", "giai", "ke"}


def _date(day: str, month: str, year: str) -> dt.date | None:
    try:
        return dt.date(int(year), int(month), int(day))
    except ValueError:
        return None


def _basis(text: str, index: int) -> Basis:
    basis = Basis(text, index)
    found = _BASIS.match(text)
    if not found:
        return basis
    kind, number, day, month, year, rest = found.groups()
    rest = rest.rstrip(";. ")
    issuer = next((k for k in _KNOWN_ISSUERS if rest.startswith(k + " ")), None)
    if issuer is None:
        words = rest.split()
        cut = next((i for i, w in enumerate(words) if i > 0 and w.islower()
                    and fold(w) in _TITLE_START), len(words))
        issuer = " ".join(words[:cut])
    title = rest[len(issuer):].strip()
    if not title:
        return basis
    basis.kind, basis.number, basis.issuer, basis.title = kind, number, issuer, title
    basis.date = _date(day, month, year)
    return basis


def _strip_end(text: str) -> str:
    return text.rstrip().rstrip(";.").rstrip()


def read_decision(path: Path, roles: list[str]) -> ReadDecision:
    """Read a decision document; ``roles`` are the role names to recognise in the member list
    (document and plain names, e.g. "Trưởng ban", "Chủ tịch Ủy ban")."""
    paragraphs = read_paragraphs(path)
    doc = ReadDecision(source=str(path))
    doc.texts = [p.text for p in paragraphs if p.text]
    stage = "top"
    article: Article | None = None
    for p in paragraphs:
        text = p.text
        if not text:
            continue
        if p.place == "box":
            doc.draft = doc.draft or fold(text) == "du thao"
            continue
        if p.place.startswith("header"):
            _header_line(doc, p)
            continue
        if p.place == "closing-left":
            if not text.startswith("Nơi nhận"):
                doc.recipients.append(_strip_end(text.lstrip("-–• ").strip()))
            continue
        if p.place == "closing-right":
            _sign_line(doc, text)
            continue
        if stage == "top":
            if text == "QUYẾT ĐỊNH":
                stage = "subject"
            elif _NUMBER.match(text) or _PLACE_DATE.match(text):
                _header_line(doc, p)
            elif fold(text) == "du thao":
                doc.draft = True
            else:
                doc.unread.append(Unread(p.index, text, tr("text before the heading QUYẾT ĐỊNH")))
            continue
        if stage == "subject":
            doc.subject = text
            stage = "authority"
            continue
        if stage == "authority":
            if text.startswith("Căn cứ") or text.startswith("Theo đề nghị"):
                stage = "bases"
            else:
                doc.authority = text
                stage = "bases"
                continue
        if stage == "bases":
            if text.startswith("Căn cứ"):
                doc.bases.append(_basis(_strip_end(text), p.index))
            elif text.startswith("Theo đề nghị của"):
                doc.proposer = _strip_end(text[len("Theo đề nghị của"):].strip())
            elif text.rstrip(":") == "QUYẾT ĐỊNH":
                stage = "articles"
            else:
                doc.unread.append(Unread(p.index, text, tr("not a căn cứ or a proposal")))
            continue
        found = _ARTICLE.match(text)
        if found:
            article = Article(int(found.group(1)), found.group(2).strip(), p.index)
            doc.articles.append(article)
            continue
        if article is None:
            doc.unread.append(Unread(p.index, text, tr("text before Điều 1")))
            continue
        point = _POINT.match(text) if p.level is None else None
        if p.level is not None and p.level >= 1 and article.clauses:
            article.clauses[-1].points.append((text, p.index))
        elif point and article.clauses:
            article.clauses[-1].points.append((point.group(2).strip(), p.index))
        elif p.level is not None:
            article.clauses.append(Clause(p.number or len(article.clauses) + 1, text, p.index))
        elif clause := _CLAUSE.match(text):
            article.clauses.append(Clause(int(clause.group(1)), clause.group(2).strip(), p.index))
        elif article.clauses:
            article.clauses[-1].text += " " + text  # a clause continued in a new paragraph
        else:
            article.text += " " + text
    _members(doc, roles)
    _duties(doc)
    _changes(doc, roles)
    return doc


def _header_line(doc: ReadDecision, p: Para) -> None:
    text = p.text
    number = _NUMBER.match(text)
    if number:
        doc.number = int(number.group(1)) if number.group(1) else None
        doc.symbol = number.group(2)
        return
    place = _PLACE_DATE.match(text)
    if place:
        doc.place = place.group(1).strip()
        day, month, year = place.groups()[1:]
        doc.printed_date = (int(day) if day else None, int(month) if month else None,
                            int(year) if year else None)
        doc.date = _date(day, month, year) if day and month and year else None
        doc.draft = doc.draft or day is None  # a blank day: the document is not yet signed
        return
    if p.place == "header-left":
        doc.issuer_lines.append(text)


def _sign_line(doc: ReadDecision, text: str) -> None:
    if text == text.upper() and any(c.isalpha() for c in text):
        found = _SIGN_MODE.match(text)
        if found and not doc.signing.lines:
            doc.signing.mode = found.group(1)
            text = found.group(2)
        elif found:
            text = found.group(0)
        doc.signing.lines.append(text)
    elif doc.signing.signer is None:
        doc.signing.signer = " ".join(text.split())


# --- the member list ---------------------------------------------------------------------------

_HONORIFIC = re.compile(r"^(Ông|Bà|ông|bà)\s+(.+)$")
_POST = re.compile(r"^(Đại diện lãnh đạo|Lãnh đạo|Đại diện)\s+(.+)$")
_MEMBERS_LEAD = re.compile(r"(gồm|bao gồm)\s+(các\s+)?(ông|bà|ông,\s*bà|thành viên)\b.*:?\s*$|"
                           r"thành viên.*gồm.*:\s*$", re.IGNORECASE)
# The second word folded when it ends a title's head ("Vụ trưởng", "Bộ trưởng"), and
# two-word title heads.
_TITLE_HEADS = {"giam doc", "chanh van", "chanh thanh", "chu tich", "thu tuong", "thong doc",
                "tong thanh", "tong giam", "tong thu", "bi thu", "chu nhiem", "chuyen vien",
                "thu ky", "uy vien", "can bo"}


def _starts_title(part: str) -> bool:
    words = fold(part).split()
    if not words:
        return False
    if words[0] in ("pho", "truong", "quyen"):
        return True
    return len(words) > 1 and (words[1] == "truong" or " ".join(words[:2]) in _TITLE_HEADS)


def _role_match(text: str, roles: list[str]) -> str | None:
    key = fold(text)
    if key.startswith("cac "):
        key = key[4:]
    for role in sorted(roles, key=len, reverse=True):
        if fold(role) == key:
            return role
    return None


def _split_holder(line: MemberLine, text: str) -> bool:
    """Fill who holds the seat from "Bà X, title, title" or "Đại diện lãnh đạo UNIT"."""
    parts = [p.strip() for p in text.split(",")]
    who = parts[0]
    titles: list[str] = []
    for part in parts[1:]:
        if not part:
            continue
        if titles and not _starts_title(part):
            titles[-1] += ", " + part  # "Bộ trưởng Bộ Văn hóa, Thể thao và Du lịch"
        else:
            titles.append(part)
    honorific = _HONORIFIC.match(who)
    if honorific:
        line.honorific = honorific.group(1).capitalize()
        line.name = " ".join(honorific.group(2).split())
        line.titles = titles
        return bool(line.name) and all(w[:1].isupper() for w in line.name.split())
    post = _POST.match(who)
    if post and not titles:
        line.post, line.unit = post.group(1), post.group(2)
        return True
    return False


def _member_line(order: int, text: str, index: int, roles: list[str],
                 role: str | None = None) -> MemberLine | None:
    body = _strip_end(text)
    if role is None:
        head, _, last = body.rpartition(",")
        role = _role_match(last.strip(), roles) if head else None
        if role is None:
            return None
        body = head
    line = MemberLine(order, role, index, text)
    return line if _split_holder(line, body.strip()) else None


def _members(doc: ReadDecision, roles: list[str]) -> None:
    """The member list of the first article that introduces one (both layouts)."""
    for article in doc.articles:
        grouped = [c for c in article.clauses if ":" in c.text
                   and _role_match(c.text.split(":", 1)[0], roles)]
        lines = [c for c in article.clauses if _member_line(0, c.text, c.index, roles)]
        if not _MEMBERS_LEAD.search(article.text) and not grouped and len(lines) < 2:
            continue
        doc.layout = "grouped" if len(grouped) > len(lines) else "lines"
        order = 0
        for clause in article.clauses:
            if doc.layout == "grouped":
                head, _, rest = clause.text.partition(":")
                role = _role_match(head, roles)
                entries = [(rest.strip(), clause.index)] if rest.strip() else []
                entries += clause.points
                if role is None or not entries:
                    doc.unread.append(Unread(clause.index, clause.text,
                                             tr("a member-list clause without a known role")))
                    continue
                for entry, index in entries:
                    order += 1
                    member = _member_line(order, entry, index, roles, role)
                    if member is None:
                        order -= 1
                        doc.unread.append(Unread(index, entry, tr("a member line that names "
                                                                  "neither a person nor a post")))
                    else:
                        doc.members.append(member)
                continue
            member = _member_line(order + 1, clause.text, clause.index, roles)
            if member is None:
                doc.unread.append(Unread(clause.index, clause.text, tr(
                    "a member line not of the form \"Ông/Bà NAME, TITLE, ROLE\" or \"Đại diện "
                    "lãnh đạo UNIT, ROLE\" with a known role")))
                continue
            order += 1
            doc.members.append(member)
        return


_DUTIES_LEAD = re.compile(r"có\s+(các\s+)?nhiệm vụ", re.IGNORECASE)


def _duties(doc: ReadDecision) -> None:
    for article in doc.articles:
        if _DUTIES_LEAD.search(article.text) and article.text.rstrip().endswith(":"):
            doc.duties = [_strip_end(c.text) for c in article.clauses]
            return


# --- a change of members ------------------------------------------------------------------------

_CHANGE_LEAD = re.compile(r"^(Điều chỉnh|Bổ sung|Thay đổi)\s+thành viên", re.IGNORECASE)
_DUTY_CHANGE_LEAD = re.compile(r"^Điều chỉnh nhiệm vụ", re.IGNORECASE)
_ADD = re.compile(r"^Bổ sung\s+(.+?),?\s+làm\s+(.+)$")
_LEAVE = re.compile(r"^(.+?),?\s+thôi tham gia\s+(.+)$")
_REPLACE = re.compile(r"^(.+?),?\s+thay\s+(.+?),?\s+làm\s+(.+)$")
_ROLE = re.compile(r"^(.+),\s+([^,]+),\s+làm\s+(.+)$")


def _holder(text: str, index: int) -> MemberLine | None:
    """Who a change names ("bà Đỗ Thị Giang, Phó Vụ trưởng Vụ Pháp chế", "đại diện lãnh đạo
    Văn phòng Bộ"), or None when it names neither a person nor a post."""
    text = text.strip()
    line = MemberLine(0, "", index, text)
    return line if _split_holder(line, text[:1].upper() + text[1:]) else None


def _change(text: str, index: int, roles: list[str]) -> ChangeLine | None:
    body = _strip_end(text)
    if added := _ADD.match(body):
        holder = _holder(added.group(1), index)
        return ChangeLine("add", index, text, holder, added.group(2)) if holder else None
    if left := _LEAVE.match(body):
        holder = _holder(left.group(1), index)
        return ChangeLine("leave", index, text, holder) if holder else None
    if replaced := _REPLACE.match(body):
        holder, previous = _holder(replaced.group(1), index), _holder(replaced.group(2), index)
        if holder and previous:
            return ChangeLine("replace", index, text, holder, replaced.group(3), previous)
        return None
    if moved := _ROLE.match(body):
        was = moved.group(2).strip()
        holder = _holder(moved.group(1), index)
        if holder and any(fold(was).startswith(fold(r)) for r in roles):
            return ChangeLine("role", index, text, holder, moved.group(3), previous_role=was)
    return None


def _changes(doc: ReadDecision, roles: list[str]) -> None:
    """The clauses of an article changing the members (``Điều chỉnh thành viên … như sau:``)
    and of one changing the duties (``Bổ sung nhiệm vụ: …``, ``Thôi thực hiện nhiệm vụ: …``)."""
    for article in doc.articles:
        if _CHANGE_LEAD.match(article.text) and not doc.members:
            for clause in article.clauses:
                change = _change(clause.text, clause.index, roles)
                if change is None:
                    doc.unread.append(Unread(clause.index, clause.text, tr(
                        "a change of members not worded \"Bổ sung …, làm ROLE\", \"…, thôi "
                        "tham gia …\", \"… thay …, làm ROLE\" or \"…, ROLE, làm ROLE\"")))
                else:
                    doc.changes.append(change)
        elif _DUTY_CHANGE_LEAD.match(article.text):
            for clause in article.clauses:
                head, _, duty = clause.text.partition(":")
                kind = {"bo sung nhiem vu": "add", "thoi thuc hien nhiem vu": "end"}.get(
                    fold(head.strip()))
                duty = _strip_end(duty).strip()
                if kind is None or not duty:
                    doc.unread.append(Unread(clause.index, clause.text, tr(
                        "a change of duties not worded \"Bổ sung nhiệm vụ: …\" or \"Thôi thực "
                        "hiện nhiệm vụ: …\"")))
                    continue
                doc.duty_changes.append(DutyChange(kind, duty[:1].upper() + duty[1:],
                                                   clause.index))
