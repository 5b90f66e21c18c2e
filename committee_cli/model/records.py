"""Registry records, format version 1 (docs/registry-format.md).

One record per YAML file; the file name (without ``.yaml``) is the record's id, so ids are not
repeated inside the files. Field order here is the canonical key order that ``committee fmt``
writes. Unknown fields are errors.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
import re
import typing
from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, StringConstraints

SCHEMA_VERSION = 1

# Characters no document format can carry (XML 1.0 forbids them; .docx is XML).
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _no_control_characters(text: str) -> str:
    found = _CONTROL.search(text)
    if found:
        raise ValueError(f"holds the control character U+{ord(found.group()):04X} at "
                         f"position {found.start() + 1}: remove it")
    return text


ID_MAX_LENGTH = 80  # characters of a record id (and so of its file name); docs/registry-format.md
EARLIEST_DATE = dt.date(1945, 1, 1)  # no date of the registry can be earlier (or later than:)
LATEST_DATE = dt.date(2100, 12, 31)


def _plausible_date(day: dt.date) -> dt.date:
    if not EARLIEST_DATE <= day <= LATEST_DATE:
        raise ValueError(f"{day.isoformat()} is outside {EARLIEST_DATE.isoformat()} to "
                         f"{LATEST_DATE.isoformat()}: check the year")
    return day


SAFE_ID = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")  # a record id, and so its file's name
Id = Annotated[str, StringConstraints(pattern=SAFE_ID.pattern, max_length=ID_MAX_LENGTH)]


def safe_id(text: str) -> bool:
    """Whether ``text`` can be a record id (and so the stem of its file's name)."""
    return len(text) <= ID_MAX_LENGTH and SAFE_ID.match(text) is not None
Date = Annotated[dt.date, AfterValidator(_plausible_date)]
Text = Annotated[str, StringConstraints(min_length=1, max_length=20_000),
                 AfterValidator(_no_control_characters)]


class Record(BaseModel):
    """Base of every record: unknown fields are errors."""

    model_config = ConfigDict(extra="forbid", validate_default=False, str_strip_whitespace=False,
                              defer_build=True)

    @classmethod
    def field_record(cls, name: str) -> type[Record] | None:
        """The record type a field holds (directly, in a list or optional), if any."""
        info = cls.model_fields.get(name)
        return None if info is None else record_type(info.annotation)


def record_type(annotation: object) -> type[Record] | None:
    """The Record subclass inside a type annotation (``Event | None``, ``list[Duty]``)."""
    if isinstance(annotation, type) and issubclass(annotation, Record):
        return annotation
    for arg in typing.get_args(annotation):
        found = record_type(arg)
        if found is not None:
            return found
    return None


# --- registry.yaml ---------------------------------------------------------------------------


class Role(Record):
    """A role in a body's vocabulary: its name, protocol rank and how many may hold it at once."""

    id: Id
    name: Text
    rank: int = Field(ge=1, le=1000)
    max: int | None = Field(default=None, ge=1, description="holders at once; null = any number")
    head: bool = False
    document_name: Text | None = Field(
        default=None, description="the role's name in documents, e.g. Chủ tịch Ủy ban (default: name)"
    )


DEFAULT_ROLE_SETS: dict[str, list[dict[str, object]]] = {
    "ban-chi-dao": [
        {"id": "truong-ban", "name": "Trưởng ban", "rank": 1, "max": 1, "head": True},
        {"id": "pho-truong-ban-thuong-truc", "name": "Phó Trưởng ban thường trực", "rank": 2,
         "max": 1},
        {"id": "pho-truong-ban", "name": "Phó Trưởng ban", "rank": 3},
        {"id": "uy-vien-thuong-truc", "name": "Ủy viên thường trực", "rank": 4},
        {"id": "uy-vien", "name": "Ủy viên", "rank": 5},
        {"id": "thu-ky", "name": "Thư ký", "rank": 6},
    ],
    "to-cong-tac": [
        {"id": "to-truong", "name": "Tổ trưởng", "rank": 1, "max": 1, "head": True},
        {"id": "to-pho", "name": "Tổ phó", "rank": 2},
        {"id": "thanh-vien", "name": "Thành viên", "rank": 3},
    ],
}


@functools.cache
def _default_roles(role_set: str) -> dict[str, Role]:
    return {str(r["id"]): Role.model_validate(r) for r in DEFAULT_ROLE_SETS.get(role_set, [])}


class RegistryConfig(Record):
    """``registry.yaml``: the registry's format version, name and role vocabularies."""

    schema_version: int
    name: Text
    default_place: Text = "Hà Nội"
    issuer: Id | None = Field(default=None, description="the organisation that issues the decisions")
    member_list: Literal["lines", "grouped"] = Field(
        default="lines", description="member lists one line per member, or grouped by role"
    )
    role_sets: dict[Id, list[Role]] = Field(default_factory=dict)

    def roles(self, role_set: str) -> dict[str, Role]:
        """The roles of a set, by id (the registry's own sets override the built-in ones)."""
        if role_set in self.role_sets:
            return {r.id: r for r in self.role_sets[role_set]}
        return dict(_default_roles(role_set))

    def role_set_names(self) -> set[str]:
        """Every role set this registry knows."""
        return set(DEFAULT_ROLE_SETS) | set(self.role_sets)


# --- organisations, people, legal bases ------------------------------------------------------


OrganisationCode = Annotated[str, StringConstraints(pattern=r"^\d{3}\.\d{2}\.\d{2}\.[A-Z]\d{2}$")]
"""Mã định danh điện tử (QĐ 20/2020/QĐ-TTg), e.g. ``000.00.00.G09``."""


class OrganisationChange(Record):
    """A dated change of an organisation's name, symbol, parent, code or titles (from ``since``)."""

    since: Date
    name: Text | None = None
    abbreviation: Text | None = None
    parent: Id | None = None
    code: OrganisationCode | None = None
    head_title: Text | None = None
    deputy_title: Text | None = None
    authority: Text | None = None
    decision: Id | None = Field(default=None, description="a registry decision that made the change")
    reason: Text | None = None


@dataclasses.dataclass(frozen=True, slots=True)
class OrganisationFacts:
    """An organisation's dated facts as they stood on one date (see ``Organisation.on``)."""

    name: str
    abbreviation: str | None
    parent: str | None
    code: str | None
    head_title: str | None
    deputy_title: str | None
    authority: str | None
    collective: bool


class Organisation(Record):
    """A body or unit: name, symbol abbreviation, parent, code and titles, each dated by ``changes``.

    The top-level fields are the facts from ``since`` (or from always); each entry of ``changes``
    overrides the fields it sets from its own ``since`` on, so a renamed or merged body keeps its
    old name on old documents.
    """

    name: Text
    abbreviation: Text | None = None
    parent: Id | None = None
    code: OrganisationCode | None = Field(default=None, description="mã định danh điện tử")
    head_title: Text | None = Field(default=None, description="e.g. Bộ trưởng, Vụ trưởng")
    deputy_title: Text | None = Field(default=None, description="e.g. Thứ trưởng, Phó Vụ trưởng")
    authority: Text | None = Field(
        default=None,
        description="the phrase naming its authority above the căn cứ, e.g. Bộ trưởng Bộ Nội vụ, "
        "Thủ tướng Chính phủ, Ủy ban nhân dân tỉnh Quảng Ninh",
    )
    collective: bool = Field(default=False, description="a collective body (signs TM.)")
    since: Date | None = Field(default=None, description="when the body came into being")
    until: Date | None = Field(default=None, description="when it ceased (merged, dissolved)")
    changes: list[OrganisationChange] = Field(default_factory=list)
    address: Text | None = None
    email: Text | None = None
    telephone: Text | None = None
    fax: Text | None = None
    website: Text | None = None
    note: Text | None = None

    def on(self, day: dt.date | None) -> OrganisationFacts:
        """The organisation's facts as they stood on ``day`` (``None``: as recorded at the top)."""
        facts = {f: getattr(self, f) for f in _DATED_FIELDS}
        if day is not None:
            for change in sorted(self.changes, key=lambda c: c.since):
                if change.since > day:
                    break
                facts.update({f: v for f in _DATED_FIELDS if (v := getattr(change, f)) is not None})
        return OrganisationFacts(collective=self.collective, **facts)


_DATED_FIELDS = ("name", "abbreviation", "parent", "code", "head_title", "deputy_title", "authority")


class Position(Record):
    """A title a person held at an organisation over a period (``until`` exclusive)."""

    title: Text
    organisation: Id
    since: Date
    until: Date | None = None


ExternalId = Annotated[str, StringConstraints(pattern=r"^[^\s\x00-\x1f\x7f]{1,64}$")]
"""A person's identifier issued outside the registry (e.g. the mã định danh cá nhân): up to 64
characters, no spaces; registries sharing it hold the same person."""


class Person(Record):
    """A person: full name (family name first), honorific and positions over time."""

    name: Text
    honorific: Literal["Ông", "Bà"]
    external_id: ExternalId | None = Field(default=None, description=(
        "an identifier issued outside the registry (e.g. the mã định danh cá nhân): up to 64 "
        "characters, no spaces; other registries' people with the same one are this person"))
    positions: list[Position] = Field(default_factory=list)
    note: Text | None = None


class LegalBasis(Record):
    """A legal document cited in decisions: written once, cited by id."""

    kind: Text = Field(description="Nghị định, Nghị quyết, Quyết định, Luật, …")
    number: Text = Field(description="34/2017/NĐ-CP")
    date: Date
    issuer: Text = Field(description="Chính phủ, Thủ tướng Chính phủ, …")
    title: Text = Field(description="the subject as cited, without the kind and number")
    replaced_by: Id | None = None


# --- decisions ---------------------------------------------------------------------------------

DecisionKind = Literal[
    "establish",
    "approve-members",
    "consolidate",
    "change-members",
    "dissolve",
    "issue-regulation",
    "amend-regulation",
    "issue-plan",
    "assign-tasks",
    "other",
]
CustomKind = Annotated[str, StringConstraints(pattern=r"^[a-z0-9]+(-[a-z0-9]+)*$", max_length=60)]
"""A kind a registry adds with its own template ``templates/decision-<kind>.j2`` (docs/rendering.md)."""
SigningMode = Literal["direct", "KT", "Q", "TM", "TL", "TUQ"]


class Signing(Record):
    """Who signs and how: ``KT. BỘ TRƯỞNG`` / ``THỨ TRƯỞNG`` / name."""

    mode: SigningMode = "direct"
    authority: Text = Field(description="the title the decision is issued under, e.g. Bộ trưởng")
    signer_title: Text | None = Field(
        default=None, description="the signer's own title when not the authority (KT., TL., …)"
    )
    body: Text | None = Field(default=None, description="for TM.: the collective body's name")
    signer: Id | None = None


Fingerprint = Annotated[str, StringConstraints(pattern=r"^sha256:[0-9a-f]{64}$")]


class FactChangeRecord(Record):
    """One fact a correction changed: its path in the decision's facts, before and after."""

    fact: Text
    before: str | int | bool | None = None
    after: str | int | bool | None = None


class PriorFingerprint(Record):
    """A fingerprint the signature held before (an upgrade of the scheme, or a correction)."""

    scheme: int = Field(ge=1)
    fingerprint: Fingerprint


class Correction(Record):
    """An acknowledged change of a signed decision's facts (``committee decision correct``)."""

    date: Date
    reason: Text
    changes: list[FactChangeRecord] = Field(default_factory=list)
    fingerprint: Fingerprint = Field(description="the fingerprint after the correction")


FINGERPRINT_SCHEME = 2
"""The fingerprint scheme this release signs with (docs/signed-decisions.md)."""


class Signature(Record):
    """Set by ``committee decision sign``: the date and a fingerprint of the frozen content.

    Scheme 1 fingerprinted the decision's own file; scheme 2 fingerprints every fact its
    document states, wherever in the registry it lives (docs/signed-decisions.md).
    """

    date: Date
    fingerprint: Fingerprint
    scheme: int = Field(default=1, ge=1, description="the fingerprint scheme (2: the facts)")
    forced: list[Text] = Field(default_factory=list, description="recorded --force-signed uses")
    previous: list[PriorFingerprint] = Field(
        default_factory=list, description="the fingerprints it held before, oldest first")
    corrections: list[Correction] = Field(default_factory=list,
                                          description="acknowledged changes of its facts")

    def extends(self, base: Signature) -> bool:
        """True when this is ``base`` with only history appended (an upgrade or corrections)."""
        if self == base:
            return True
        prior = [p.fingerprint for p in self.previous] + [self.fingerprint]
        return (self.date == base.date and base.fingerprint in prior
                and self.previous[:len(base.previous)] == base.previous
                and self.corrections[:len(base.corrections)] == base.corrections
                and self.forced[:len(base.forced)] == base.forced)


class Decision(Record):
    """A decision (Quyết định): its own metadata; what it changed is found from records citing it."""

    status: Literal["draft", "signed"] = "draft"
    kind: DecisionKind | CustomKind
    committee: Id | None = None
    number: int | None = Field(default=None, ge=1)
    symbol: Annotated[str, StringConstraints(pattern=r"^[A-Za-zĐđ]+-[A-Za-zĐđ0-9]+$")]
    date: Date
    place: Text | None = None
    issuer: Id
    subject: Text
    signing: Signing
    legal_bases: list[Id] = Field(default_factory=list)
    proposer: Text | None = Field(default=None, description="… in 'Theo đề nghị của …'")
    replaces: list[Id] = Field(default_factory=list)
    recipients: list[Text] = Field(default_factory=list)
    attachments: list[Id] = Field(default_factory=list, description="regulations issued with it")
    signature: Signature | None = None


# --- committees, seats, duties, regulation, tasks -------------------------------------------


class Event(Record):
    """A start or end of something, citing the decision that did it."""

    decision: Id
    date: Date | None = Field(default=None, description="defaults to the decision's date")
    reason: Text | None = None
    forced: Text | None = Field(
        default=None, description="--force-signed: why a decision already signed is cited")


class Duty(Record):
    """A duty of a committee (one clause of Điều 2 in its decision)."""

    id: Id
    text: Text
    start: Event
    end: Event | None = None


class StandingBody(Record):
    """The unit that acts as the committee's standing body (cơ quan thường trực)."""

    unit: Id
    tasks: Text | None = Field(default=None, description="what it does, as the decision says")


class Committee(Record):
    """A steering committee, or a working group under one (``parent``)."""

    name: Text
    short_name: Text | None = None
    organisation: Id
    parent: Id | None = Field(default=None, description="parent committee (for a working group)")
    role_set: Id = "ban-chi-dao"
    established: Event | None = None
    dissolved: Event | None = None
    working_mode: Literal["part-time", "full-time"] = "part-time"
    seal: Id | None = Field(default=None, description="organisation whose seal it may use")
    standing_body: StandingBody | None = None
    regulation_issuer: Id | None = Field(
        default=None, description="role that issues the operating regulation"
    )
    duties: list[Duty] = Field(default_factory=list)
    note: Text | None = None


class Seat(Record):
    """A membership: a person (or only a post at a unit) in a role, started and ended by decisions."""

    committee: Id
    role: Id
    order: int = Field(ge=1, description="protocol order within the committee")
    person: Id | None = None
    post: Text | None = Field(default=None, description="when the decision names a post only")
    unit: Id | None = Field(default=None, description="the unit of the post")
    start: Event
    end: Event | None = None
    replaces: Id | None = Field(default=None, description="the seat this one took over")


class Clause(Record):
    """A clause of an article; its points are a) b) c) …."""

    text: Text
    points: list[Text] = Field(default_factory=list)


class Article(Record):
    """An article (Điều) of a regulation."""

    title: Text
    text: Text | None = None
    clauses: list[Clause] = Field(default_factory=list)


class Chapter(Record):
    """A chapter (Chương) of a regulation."""

    title: Text
    articles: list[Article] = Field(default_factory=list)


class Regulation(Record):
    """A version of a committee's operating regulation (Quy chế hoạt động)."""

    committee: Id
    title: Text
    version: int = Field(ge=1)
    issued_by: Id = Field(description="the decision that issues it")
    replaces: Id | None = None
    chapters: list[Chapter] = Field(default_factory=list)


TaskStatus = Literal["open", "in-progress", "done", "cancelled"]


class TaskStatusEntry(Record):
    """A dated change of a task's status."""

    date: Date
    status: TaskStatus
    note: Text | None = None


class Task(Record):
    """A task assigned by a decision or plan: lead, coordinators, product, deadline, status."""

    committee: Id
    title: Text
    lead_unit: Id | None = None
    lead_person: Id | None = None
    coordinators: list[Id] = Field(default_factory=list)
    product: Text | None = None
    assigned_by: Id
    assigned: Date | None = Field(default=None, description="defaults to the decision's date")
    deadline: Date | None = None
    status: TaskStatus = "open"
    completed: Date | None = None
    history: list[TaskStatusEntry] = Field(default_factory=list)


# Kind name -> (folder, model). The folder holds one ``<id>.yaml`` per record.
KINDS: dict[str, tuple[str, type[Record]]] = {
    "organisation": ("organisations", Organisation),
    "person": ("people", Person),
    "legal-basis": ("legal-bases", LegalBasis),
    "decision": ("decisions", Decision),
    "committee": ("committees", Committee),
    "seat": ("seats", Seat),
    "regulation": ("regulations", Regulation),
    "task": ("tasks", Task),
}
FOLDER_KIND = {folder: kind for kind, (folder, _) in KINDS.items()}
CONFIG_FILE = "registry.yaml"
