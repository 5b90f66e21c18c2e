"""Adoption use cases: records proposed from a Word decision or a table of people and seats.

Each use case takes a :class:`~committee_cli.services.unit_of_work.UnitOfWork` (so the result
is validated and written all at once, or not at all) and records what it did in an
:class:`ImportPlan`. People are matched to existing ones by folded name; a name that matches
several people is never resolved by guessing (it is reported). Records are created in bulk
(:func:`create_all`, ``UnitOfWork.add_texts``): the ids are checked here, once, instead of
per record.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from committee_cli.errors import UsageError
from committee_cli.i18n import tr
from committee_cli.interchange.docx_reader import (
    ChangeLine,
    MemberLine,
    ReadDecision,
    Unread,
)
from committee_cli.model.records import KINDS, Organisation, Person, Position, RegistryConfig, Role
from committee_cli.model.registry import Registry, join_title
from committee_cli.services import amend
from committee_cli.services.amend_committee import dissolve_committee
from committee_cli.services.amend_org import OrgFacts, update_org
from committee_cli.services.decisions import sign_decision
from committee_cli.services.ids import check_id
from committee_cli.services.unit_of_work import (
    UnitOfWork,
    insert_item,
    set_field,
    to_node,
)
from committee_cli.store import yamlio
from committee_cli.store.canonical import canonicalise, editor_header
from committee_cli.vietnamese import fold, nfc, short_citation, slugify


@dataclass
class ImportPlan:
    """What an import proposes: one line per record created or matched, and what it could not read."""

    steps: list[str] = field(default_factory=list)
    unread: list[Unread] = field(default_factory=list)
    decision: str | None = None
    committee: str | None = None

    def as_dict(self) -> dict[str, Any]:
        return {"decision": self.decision, "committee": self.committee, "steps": self.steps,
                "unread": [u.as_dict() for u in self.unread]}


# --- bulk creation ---------------------------------------------------------------------------


class Book:
    """The registry as loaded plus the records this import creates, with fast lookups.

    ``UnitOfWork.registry`` re-reads every pending file after each edit; an import creating
    hundreds of records keeps its own view here and hands the files over once.
    """

    def __init__(self, uow: UnitOfWork) -> None:
        self.uow = uow
        base = uow.loaded.registry
        self.view = Registry(config=base.config, organisations=dict(base.organisations),
                             people=dict(base.people), legal_bases=dict(base.legal_bases),
                             decisions=dict(base.decisions), committees=dict(base.committees),
                             seats=dict(base.seats))
        self.pending: list[tuple[str, str, dict[str, Any]]] = []
        self._ids: set[tuple[str, str]] = set()

    def free_id(self, kind: str, base: str) -> str:
        base = base or kind
        candidate, n = base, 1
        while (candidate in self.view.table(kind) or (kind, candidate) in self._ids
               or (self.uow.root / KINDS[kind][0] / f"{candidate}.yaml").exists()):
            n += 1
            candidate = f"{base}-{n}"
        return candidate

    def add(self, kind: str, base_id: str, data: dict[str, Any]) -> str:
        record_id = self.free_id(kind, base_id)
        check_id(record_id)
        self._ids.add((kind, record_id))
        model = KINDS[kind][1]
        clean = {k: v for k, v in data.items() if v is not None and v != []}
        self.view.table(kind)[record_id] = model.model_validate(clean)
        self.pending.append((kind, record_id, data))
        return record_id

    def people_named(self, name: str) -> list[str]:
        key = fold(name)
        return sorted(pid for pid, p in self.view.people.items() if fold(p.name) == key)

    def org_named(self, name: str) -> str | None:
        key = fold(name)
        for oid, org in sorted(self.view.organisations.items()):
            if fold(org.name) == key or (org.abbreviation and fold(org.abbreviation) == key):
                return oid
        return None

    def flush(self) -> None:
        """Hand every created record to the unit of work as a new file."""
        create_all(self.uow, self.pending)
        self.pending = []


def create_all(uow: UnitOfWork, records: Iterable[tuple[str, str, Mapping[str, Any]]]) -> None:
    """Create many new record files at once (ids already checked free by the caller)."""
    texts: dict[str, str] = {}
    created: list[str] = []
    headers = {kind: (uow.root / "schema" / f"{kind}.schema.json").is_file() for kind in KINDS}
    for kind, record_id, data in records:
        rel = f"{KINDS[kind][0]}/{record_id}.yaml"
        node = canonicalise(to_node(data), KINDS[kind][1])  # one dump: no text round trip
        text = yamlio.dump_round_trip(node).rstrip("\n") + "\n"
        texts[rel] = (editor_header(kind) + text) if headers[kind] else text
        created.append(record_id)
    uow.add_texts(texts, created)


# --- organisations and titles -----------------------------------------------------------------

_UNIT_WORDS = ("Văn phòng", "Vụ", "Cục", "Tổng cục", "Trung tâm", "Viện", "Thanh tra", "Ban",
               "Bộ", "Sở", "Ủy ban", "Học viện", "Trường", "Báo", "Tạp chí", "Nhà xuất bản",
               "Phòng", "Chi cục", "Ngân hàng", "Kiểm toán", "Đài", "Thông tấn xã")


def _unit_start(words: list[str]) -> int | None:
    for i in range(1, len(words)):
        rest = " ".join(words[i:])
        if any(rest == w or rest.startswith(w + " ") for w in _UNIT_WORDS):
            return i
    return None


def _initials(name: str) -> str:
    return "".join(w[0] for w in slugify(name).split("-") if w) or "dv"


class Titles:
    """Resolves "Vụ trưởng Vụ Pháp chế" into a title and a unit, creating the unit if needed."""

    def __init__(self, book: Book, issuer: str, plan: ImportPlan, when: dt.date) -> None:
        self.book, self.issuer, self.plan, self.when = book, issuer, plan, when

    def unit(self, name: str) -> str:
        found = self.book.org_named(name)
        if found:
            return found
        abbreviation = _initials(name).upper()
        # known from the date of the document that names it: an earlier signed decision of the
        # registry does not start naming a unit it did not name
        oid = self.book.add("organisation", f"{self.issuer}-{abbreviation.lower()}",
                            {"name": nfc(name), "abbreviation": abbreviation, "parent": self.issuer,
                             "since": self.when})
        self.plan.steps.append(tr("new unit {id}: {name}", id=oid, name=name))
        return oid

    def split(self, text: str) -> tuple[str, str]:
        view = self.book.view
        words = text.split()
        best: tuple[int, str, str] | None = None
        for oid in sorted(view.organisations):
            facts = view.organisations[oid].on(self.when)
            size = len(facts.name.split())
            head = next((w for w in sorted(_UNIT_WORDS, key=len, reverse=True)
                         if facts.name == w or facts.name.startswith(w + " ")), None)
            for i in range(len(words) - 1, 0, -1):
                title = " ".join(words[:i])
                shared = i + size - len(words)  # words the title and the name share
                if shared < 0 or join_title(title, facts.name) != text:
                    continue
                if title in (facts.head_title, facts.deputy_title):
                    rank = 4  # a title the body is known to have
                elif shared == 0:
                    rank = 3 if i > 1 else 1 if title != "Phó" else 0  # "Vụ trưởng" + "Vụ …"
                elif " ".join(words[i - shared:i]) in (head, facts.head_title):
                    rank = 2  # "Chánh Văn phòng" + "Văn phòng Bộ": the name's head word;
                    # "Phó Thủ tướng" + "Thủ tướng Chính phủ": the body's head's title
                else:
                    continue  # "Vụ trưởng Vụ Pháp" + "Vụ Pháp chế"
                if best is None or rank > best[0]:
                    best = (rank, title, oid)
        if best is not None:
            return best[1], best[2]
        start = _unit_start(words)
        if start is None:
            return text, self.issuer
        title, unit = " ".join(words[:start]), " ".join(words[start:])
        if len(words[:start]) == 1:  # "Chánh Văn phòng Bộ": the title repeats the unit's head word
            head = next(w for w in _UNIT_WORDS if unit.startswith(w))
            title = f"{title} {head}"
        return title, self.unit(unit)


# --- the decision -----------------------------------------------------------------------------

_KINDS = (("phê duyệt danh sách thành viên", "approve-members"),
          ("kiện toàn thành viên", "change-members"), ("kiện toàn", "consolidate"),
          ("thành lập", "establish"), ("điều chỉnh", "change-members"),
          ("bổ sung thành viên", "change-members"), ("thay đổi thành viên", "change-members"),
          ("giải thể", "dissolve"), ("sửa đổi, bổ sung quy chế", "amend-regulation"),
          ("ban hành quy chế", "issue-regulation"), ("ban hành kế hoạch", "issue-plan"),
          ("giao nhiệm vụ", "assign-tasks"), ("phân công nhiệm vụ", "assign-tasks"))
_BASIS_PREFIX = {"nghi dinh": "nd", "nghi quyet": "nq", "quyet dinh": "qd", "thong tu": "tt",
                 "chi thi": "ct", "ke hoach": "kh"}
_COMMITTEE_LEAD = re.compile(r"^(?:Kiện toàn|Thành lập|Phê duyệt danh sách thành viên)\s+(.+?)"
                             r"(?:\s*\(sau đây gọi là ([^)]+)\))?(?:\s+(?:gồm|bao gồm|như sau)|"
                             r"\s*[.;]?\s*$)")


_COMMITTEE_IN_SUBJECT = re.compile(r"(Ban Chỉ đạo|Ủy ban Quốc gia|Ủy ban|Hội đồng|Tổ công tác|Ban "
                                   r"công tác|Tổ giúp việc|Ban)\s.*$")


def own_kinds(root: Path) -> list[str]:
    """The kinds a registry adds with a template of its own (templates/decision-KIND.j2)."""
    return sorted(path.name[len("decision-"):-len(".j2")]
                  for path in (root / "templates").glob("decision-*.j2"))


def decision_kind(subject: str, own: Iterable[str] = ()) -> str:
    """The decision kind its subject names: one the registry adds ("phan-cong-nhiem-vu" for
    "Về việc phân công nhiệm vụ …"), else a built-in one (``other`` when none)."""
    key = fold(subject)
    for kind in own:
        if f" {kind.replace('-', ' ')} " in f" {key} ":
            return kind
    for words, kind in _KINDS:
        if fold(words) in key:
            return kind
    return "other"


def role_names(config: RegistryConfig, role_set: str | None = None) -> list[str]:
    """Every role name (and document name) the member lists may use."""
    names: list[str] = []
    for set_name in ([role_set] if role_set else sorted(config.role_set_names())):
        for role in config.roles(set_name).values():
            names += [role.name] + ([role.document_name] if role.document_name else [])
    return names


def _role_id(roles: Mapping[str, Role], text: str) -> str | None:
    key = fold(text)
    key = key[4:] if key.startswith("cac ") else key
    for rid, role in roles.items():
        if key in (fold(role.name), fold(role.document_name or role.name)):
            return rid
    return None


def _role_set(config: RegistryConfig, members: list[MemberLine], text: str = "") -> str:
    """The role vocabulary naming every member; for a decision listing none (a body set up by
    office), the one whose roles its text names most ("Chủ tịch Ủy ban ban hành Quy chế")."""
    names = ["ban-chi-dao", *sorted(config.role_set_names() - {"ban-chi-dao"})]
    for set_name in names:
        roles = config.roles(set_name)
        if members and all(_role_id(roles, m.role) for m in members):
            return set_name
    if members or not text:
        return "ban-chi-dao"
    key = f" {fold(text)} "

    def named(set_name: str) -> int:
        return sum(len(name.split()) for role in config.roles(set_name).values()
                   if f" {fold(name := role.document_name or role.name)} " in key)

    return max(names, key=named)  # the first of the most named: ban-chi-dao on a tie


def _guess_honorific(name: str) -> str:
    return "Bà" if " thi " in f" {fold(name)} " else "Ông"


class DecisionImport:
    """One decision document turned into records (see :func:`import_decision`)."""

    def __init__(self, uow: UnitOfWork, doc: ReadDecision, committee: str | None,
                 date: dt.date | None = None) -> None:
        self.uow, self.doc, self.wanted_committee = uow, doc, committee
        self.book = Book(uow)
        self.plan = ImportPlan(unread=list(doc.unread))
        self.given_date = date
        self.when = doc.date or dt.date.today()
        self.holders: list[tuple[ChangeLine, str | None]] = []  # each change, its new holder

    # issuer ----------------------------------------------------------------------------------
    def issuer(self) -> str:
        doc, book = self.doc, self.book
        if self.wanted_committee:
            com = book.view.committees.get(self.wanted_committee)
            if com is None:
                self.uow.get("committee", self.wanted_committee)
            else:
                return com.organisation
        abbreviation = (doc.symbol or "").split("-", 1)[-1]
        for line in reversed(doc.issuer_lines):
            found = book.org_named(line)
            if found:
                self.plan.steps.append(tr("issuer {id}: {name} (in the registry)", id=found,
                                          name=book.view.organisations[found].name))
                return found
        if abbreviation:
            found = book.org_named(abbreviation)
            if found:
                return found
        if not doc.issuer_lines:
            raise UsageError(tr("{source}: no issuing body in the header: is this a decision "
                                "(Quyết định) laid out per Nghị định 30/2020?", source=doc.source))
        name = doc.restore_case(" ".join(doc.issuer_lines[-2:]) if _one_body(doc.issuer_lines)
                                else doc.issuer_lines[-1])
        lines = doc.signing.lines
        data: dict[str, Any] = {"name": name, "abbreviation": abbreviation or None}
        if lines and doc.signing.mode != "TM":
            data["head_title"] = doc.restore_case(lines[0])
        if doc.signing.mode == "KT" and len(lines) > 1:
            data["deputy_title"] = doc.restore_case(lines[1])
        if doc.signing.mode == "TM":
            data["collective"] = True
        oid = book.add("organisation", slugify(abbreviation) or slugify(name), data)
        self.plan.steps.append(tr("new issuing body {id}: {name}", id=oid, name=name))
        return oid

    # legal bases -----------------------------------------------------------------------------
    def bases(self) -> list[str]:
        found: list[str] = []
        for basis in self.doc.bases:
            if basis.number is None or basis.date is None or basis.kind is None:
                self.plan.unread.append(Unread(basis.index, basis.text, tr(
                    "a căn cứ without number, date and issuer (a law is cited by name): add it "
                    "as a legal basis by hand")))
                continue
            same = [bid for bid, b in sorted(self.book.view.legal_bases.items())
                    if fold(b.number) == fold(basis.number) and fold(b.kind) == fold(basis.kind)]
            same = [did for did, d in sorted(self.book.view.decisions.items())
                    if fold(basis.kind) == "quyet dinh" and d.number is not None
                    and fold(basis.number) == fold(f"{d.number}/{d.symbol}")
                    and d.date == basis.date] or same  # a decision of the registry: cite it
            if same:
                found.append(same[0])
                continue
            n, _, rest = basis.number.partition("/")
            year = rest.split("/")[0] if rest[:4].isdigit() else str(basis.date.year)
            prefix = _BASIS_PREFIX.get(fold(basis.kind), slugify(basis.kind))
            bid = self.book.add("legal-basis", slugify(f"{prefix}-{n}-{year}"), {
                "kind": basis.kind, "number": basis.number, "date": basis.date,
                "issuer": basis.issuer, "title": basis.title})
            self.plan.steps.append(tr("new legal basis {id}: {kind} {number}", id=bid,
                                      kind=basis.kind, number=basis.number))
            found.append(bid)
        return found

    # people ----------------------------------------------------------------------------------
    def person(self, honorific: str | None, name: str, titles: list[str], index: int,
               text: str, titles_of: Titles, at: str | None = None) -> str | None:
        """A person matched or created, with their titles (held at ``at``, else at the unit
        each title names) recorded from the decision's date."""
        matches = self.book.people_named(name)
        positions = [(t, at) if at else titles_of.split(t) for t in titles]
        if len(matches) > 1:
            self.plan.unread.append(Unread(index, text, tr(
                "several people are named {name} ({ids}): import with --committee after "
                "merging them, or add the seat by hand", name=name, ids=", ".join(matches))))
            return None
        if matches:
            pid = matches[0]
            self._add_positions(pid, positions)
            self.plan.steps.append(tr("person {id}: {name} (in the registry)", id=pid, name=name))
            return pid
        pid = self.book.add("person", slugify(name), {
            "name": nfc(name), "honorific": honorific or _guess_honorific(name),
            "positions": [{"title": t, "organisation": o, "since": self.when}
                          for t, o in positions]})
        self.plan.steps.append(tr("new person {id}: {name}", id=pid, name=name)
                               + ("" if honorific else " " + tr("(Ông/Bà guessed: check it)")))
        return pid

    def _add_positions(self, pid: str, positions: list[tuple[str, str]]) -> None:
        view = self.book.view
        missing = [(t, o) for t, o in positions
                   if not view.holds_title(pid, t, self.when, o)]
        if not missing:
            return
        person: Person = view.people[pid]
        added = [Position(title=t, organisation=o, since=self.when) for t, o in missing]
        view.people[pid] = person.model_copy(update={"positions": [*person.positions, *added]})
        rel = f"people/{pid}.yaml"
        if any(k == "person" and i == pid for k, i, _ in self.book.pending):
            for kind, rid, data in self.book.pending:
                if kind == "person" and rid == pid:
                    data["positions"] = [*data.get("positions", []),
                                         *({"title": t, "organisation": o, "since": self.when}
                                           for t, o in missing)]
            return
        document = self.uow.edit("person", pid)
        if "positions" not in document:
            set_field(document, "positions", [], Person)
        for t, o in missing:
            insert_item(document["positions"], len(document["positions"]),
                        {"title": t, "organisation": o, "since": self.when})
        self.plan.steps.append(tr("{rel}: position {title} added", rel=rel, title=missing[0][0]))

    # committee -------------------------------------------------------------------------------
    def committee(self, issuer: str, kind: str, role_set: str) -> str | None:
        doc, book = self.doc, self.book
        if self.wanted_committee:
            return self.wanted_committee
        name = short = None
        for article in doc.articles[:1]:
            lead = _COMMITTEE_LEAD.match(article.text)
            if lead:
                name, short = lead.group(1).strip(), (lead.group(2) or "").strip() or None
        if name is None and doc.subject:
            named = _COMMITTEE_IN_SUBJECT.search(doc.subject)
            name = named.group(0) if named else None
        if not name:
            return None
        key = fold(name)
        for cid, com in sorted(book.view.committees.items()):
            if fold(com.name) == key or key.endswith(fold(com.name)) or fold(com.name) in key:
                self.plan.steps.append(tr("committee {id}: {name} (in the registry)", id=cid,
                                          name=com.name))
                return cid
        if kind not in ("establish", "consolidate", "approve-members"):
            self.plan.unread.append(Unread(0, name, tr(
                "the committee this decision is about is not in the registry: import its "
                "establishing decision first, or pass --committee")))
            return None
        data: dict[str, Any] = {"name": nfc(name), "short_name": short, "organisation": issuer,
                                "role_set": role_set}
        data.update(self._committee_facts(short or name, issuer, role_set))
        cid = book.add("committee", slugify(short or name)[:60].strip("-"), data)
        self.plan.steps.append(tr("new committee {id}: {name}", id=cid, name=name))
        return cid

    def _committee_facts(self, short: str, issuer: str, role_set: str) -> dict[str, Any]:
        facts: dict[str, Any] = {}
        roles = self.uow.loaded.registry.config.roles(role_set)
        for article in self.doc.articles:
            for clause in article.clauses:
                text = clause.text.rstrip(".;")
                if "kiêm nhiệm" in text:
                    facts["working_mode"] = "part-time"
                seal = re.search(r"sử dụng con dấu của (.+?) để", text)
                if seal:
                    facts["seal"] = self.book.org_named(seal.group(1)) or issuer
                issuer_role = re.match(rf"^(.+?) {re.escape(short)} ban hành Quy chế", text)
                if issuer_role and _role_id(roles, issuer_role.group(1)):
                    facts["regulation_issuer"] = _role_id(roles, issuer_role.group(1))
                standing = re.match(rf"^(.+?) làm nhiệm vụ thường trực của {re.escape(short)}"
                                    r"(?:; (.+))?$", text)
                if standing:
                    titles = Titles(self.book, issuer, self.plan, self.when)
                    facts["standing_body"] = {"unit": titles.unit(standing.group(1)),
                                              "tasks": standing.group(2)}
        return facts

    # everything ------------------------------------------------------------------------------
    def run(self) -> str:
        doc, book = self.doc, self.book
        if not doc.symbol or not doc.subject:
            raise UsageError(tr("{source}: no number, symbol, date or subject could be read: is "
                                "this a decision laid out per Nghị định 30/2020?",
                                source=doc.source))
        self.when = doc.date = decision_date(doc, self.given_date)
        for existing, known in sorted(book.view.decisions.items()):
            if (doc.number is not None and known.number == doc.number
                    and known.symbol == doc.symbol and known.date.year == self.when.year):
                raise UsageError(tr("{citation} is already in the registry as '{id}': nothing "
                                    "to import", citation=short_citation(doc.number, doc.symbol),
                                    id=existing))
        issuer = self.issuer()
        config = self.uow.loaded.registry.config
        kind = decision_kind(doc.subject, own_kinds(self.uow.root))
        role_set = _role_set(config, doc.members, " ".join(
            " ".join([a.text, *(c.text for c in a.clauses)]) for a in doc.articles))
        bases = self.bases()
        committee = self.committee(issuer, kind, role_set)
        self.plan.committee = committee
        titles = Titles(book, issuer, self.plan, self.when)
        did = book.free_id("decision", slugify(f"qd-{doc.number}-{self.when.year}") if doc.number
                           else f"qd-du-thao-{self.when.year}")
        if committee is not None:
            self._seats(committee, did, titles, kind)
        for pending, rid, data in book.pending:
            if pending == "committee" and rid == committee and kind in ("establish",
                                                                         "consolidate"):
                data["established"] = {"decision": did}
        if committee is not None:
            self.holders = [(c, self._new_holder(c, titles)) for c in doc.changes]
        signing = self._signing(issuer, titles, committee)
        book.add("decision", did, {
                           "status": "draft", "kind": kind, "committee": committee,
                           "number": doc.number, "symbol": doc.symbol, "date": self.when,
                           "place": doc.place, "issuer": issuer, "subject": doc.subject,
                           "signing": signing, "legal_bases": bases, "proposer": doc.proposer,
                           "recipients": doc.recipients})
        self.plan.decision = did
        self.plan.steps.append(tr("new decision {id}: {citation}", id=did,
                                  citation=short_citation(doc.number, doc.symbol)))
        book.flush()
        if committee is not None:
            self._apply_changes(committee, did)
        if committee is not None and kind == "dissolve":
            self.plan.steps.append(dissolve_committee(self.uow, committee, decision=did))
        if not doc.draft and doc.number is not None and signing.get("signer"):
            sign_decision(self.uow, did, on=self.when)
            self.plan.steps.append(tr("decision {id} recorded as signed on {date}", id=did,
                                      date=self.when.isoformat()))
        return (f"Nhập {short_citation(doc.number, doc.symbol)} từ văn bản Word: "
                f"{len(doc.members)} thành viên")

    def _signing(self, issuer: str, titles: Titles, committee: str | None) -> dict[str, Any]:
        doc = self.doc
        sign = doc.signing
        org: Organisation = self.book.view.organisations[issuer]
        lines = [doc.restore_case(line) for line in sign.lines]
        data: dict[str, Any] = {"mode": sign.mode, "authority": org.head_title or "Bộ trưởng"}
        own_title: str | None = None
        if sign.mode == "TM":
            data["body"] = lines[0] if lines else None
            data["authority"] = lines[1] if len(lines) > 1 else data["authority"]
            under = sign.lines[1] if len(sign.lines) > 1 else ""
            if under.startswith("KT.") and len(lines) > 2:  # a deputy signs for the head
                data["authority"] = doc.restore_case(under[3:].strip())
                data["signer_title"] = own_title = lines[2]
        elif lines:
            data["authority"] = lines[0]
            if len(lines) > 1:
                own_title = lines[1]
                if sign.mode == "KT" and org.deputy_title is None:
                    self._set_deputy(issuer, own_title)
                elif not (sign.mode == "KT" and own_title == org.deputy_title):
                    data["signer_title"] = own_title
            elif sign.mode in ("direct", "Q"):
                own_title = lines[0] if sign.mode == "direct" else f"Quyền {lines[0]}"
        if sign.signer:
            pid = self.person(None, sign.signer, [own_title] if own_title else [], 0,
                              sign.signer, titles, at=issuer)  # the issuer's own leader
            data["signer"] = pid
        return data

    def _set_deputy(self, issuer: str, title: str) -> None:
        """The issuer's deputy title, learnt from a KT. signature when the registry lacks it."""
        view = self.book.view
        view.organisations[issuer] = view.organisations[issuer].model_copy(
            update={"deputy_title": title})
        for kind, rid, data in self.book.pending:
            if kind == "organisation" and rid == issuer:
                data["deputy_title"] = title
                return
        org: Organisation = self.uow.loaded.registry.organisations[issuer]
        signed_before = any(d.issuer == issuer and d.status == "signed" and d.date < self.when
                            for d in self.uow.loaded.registry.decisions.values())
        if signed_before and (org.since is None or org.since < self.when):
            # from this decision's date: what the body's earlier signed decisions state stays
            update_org(self.uow, issuer, facts=OrgFacts(deputy_title=title), since=self.when)
        else:
            set_field(self.uow.edit("organisation", issuer), "deputy_title", title, Organisation)
        self.plan.steps.append(tr("organisation {id}: deputy title {title}", id=issuer,
                                  title=title))

    def _seats(self, committee: str, decision: str, titles: Titles, kind: str) -> None:
        view = self.book.view
        roles = view.roles_of(committee)
        base_order = max((s.order for s in view.seats_of(committee).values()), default=0)
        for member in self.doc.members:
            role = _role_id(roles, member.role)
            if role is None:
                self.plan.unread.append(Unread(member.index, member.text, tr(
                    "role '{role}' is not in the committee's vocabulary", role=member.role)))
                continue
            data: dict[str, Any] = {"committee": committee, "role": role,
                                    "order": base_order + member.order,
                                    "start": {"decision": decision}}
            if member.name:
                pid = self.person(member.honorific, member.name, member.titles, member.index,
                                  member.text, titles)
                if pid is None:
                    continue
                held = [sid for sid, s in view.seats_of(committee).items()
                        if s.person == pid and s.end is None]
                if held:
                    self.plan.unread.append(Unread(member.index, member.text, tr(
                        "{name} already holds seat {seat}: end or replace it with `amend seat`",
                        name=member.name, seat=held[0])))
                    continue
                data["person"] = pid
            else:
                data["post"] = member.post
                data["unit"] = titles.unit(member.unit or "")
            sid = self.book.add("seat", f"{committee}-{base_order + member.order:02d}", data)
            holder = member.name or " ".join(p for p in (member.post, member.unit) if p)
            self.plan.steps.append(tr("new seat {id}: {role}, {holder}", id=sid,
                                      role=roles[role].name, holder=holder))
        if self.doc.duties and kind in ("establish", "consolidate"):
            self._duties(committee, decision)

    def _duties(self, committee: str, decision: str) -> None:
        com = self.book.view.committees[committee]
        if com.duties:
            return
        for kind, rid, data in self.book.pending:
            if kind == "committee" and rid == committee:
                ids: set[str] = set()
                duties = []
                for text in self.doc.duties:
                    base = "-".join(slugify(text).split("-")[:4]) or "nhiem-vu"
                    did, n = base, 1
                    while did in ids:
                        n += 1
                        did = f"{base}-{n}"
                    ids.add(did)
                    duties.append({"id": did, "text": text, "start": {"decision": decision}})
                data["duties"] = duties
                self.plan.steps.append(tr("{count} duties of {committee}", count=len(duties),
                                          committee=committee))


    # a change of members ----------------------------------------------------------------------
    def _new_holder(self, change: ChangeLine, titles: Titles) -> str | None:
        """The person a change names, matched (their titles recorded from the decision's date)
        or, for a newcomer (add, replace), created; None for a post or a person not found."""
        holder = change.holder
        if holder.name is None:
            return None
        if change.kind in ("leave", "role") and len(self.book.people_named(holder.name)) != 1:
            return None
        return self.person(holder.honorific, holder.name, holder.titles, change.index,
                           change.text, titles)

    def _role(self, committee: str, text: str | None) -> str | None:
        """The role a change names with the committee ("Ủy viên Ban Chỉ đạo")."""
        reg = self.uow.registry
        com = reg.committees[committee]
        short = com.short_name or com.name
        key = fold(text or "")
        for rid, role in reg.roles_of(committee).items():
            names = {role.name, role.document_name or role.name}
            if key in {fold(n) for n in names} | {fold(join_title(n, short)) for n in names}:
                return rid
        return None

    def _seat(self, committee: str, holder: MemberLine, person: str | None) -> str | None:
        """The seat of the committee the holder has on the decision's date."""
        reg = self.uow.registry
        if holder.name is not None and person is None:
            found = self.book.people_named(holder.name)
            person = found[0] if len(found) == 1 else None
            if person is None:
                return None
        wanted = fold(f"{holder.post} {holder.unit}") if holder.name is None else None
        for sid, seat in sorted(reg.seats_of(committee).items()):
            if not reg.seat_active(seat, self.when):
                continue
            if person is not None and seat.person == person:
                return sid
            if wanted is not None and seat.person is None and fold(
                    reg.post_text(seat, self.when)) == wanted:
                return sid
        return None

    def _apply_changes(self, committee: str, did: str) -> None:
        """Each change clause recorded as `committee amend seat …` records it, citing the
        decision, as of its date; each duty change as `amend duty add|end`."""
        for change, person in self.holders:
            holder = change.holder
            post = holder.post if person is None else None
            unit = None
            if person is None and holder.name is None:
                unit = self.book.org_named(holder.unit or "")
            role = self._role(committee, change.role)
            old = None
            if change.kind != "add":
                old_holder = change.previous if change.kind == "replace" else holder
                assert old_holder is not None
                old = self._seat(committee, old_holder,
                                 person if change.kind in ("leave", "role") else None)
            problem = None
            if change.kind != "leave" and role is None:
                problem = tr("role '{role}' is not in the committee's vocabulary",
                             role=change.role)
            elif change.kind != "add" and old is None:
                problem = tr("no seat of {committee} held by this member on {date}: record the "
                             "change with `committee amend seat …` citing {id}",
                             committee=committee, date=self.when.isoformat(), id=did)
            elif change.kind in ("add", "replace") and person is None and holder.name:
                problem = tr("the new member could not be matched: record the change with "
                             "`committee amend seat …` citing {id}", id=did)
            elif change.kind in ("add", "replace") and holder.name is None and unit is None:
                problem = tr("unit '{unit}' is not in the registry", unit=holder.unit)
            if problem is not None:
                self.plan.unread.append(Unread(change.index, change.text, problem))
                continue
            try:
                if change.kind == "add":
                    assert role is not None
                    done = amend.add_seat(self.uow, committee, role=role, decision=did,
                                          person=person, post=post, unit=unit)
                elif change.kind == "leave":
                    assert old is not None
                    done = amend.end_seat(self.uow, old, decision=did)
                elif change.kind == "replace":
                    assert old is not None
                    done = amend.replace_seat(self.uow, old, decision=did, person=person,
                                              post=post, unit=unit)
                else:
                    assert old is not None and role is not None
                    done = amend.change_role(self.uow, old, role=role, decision=did)
            except UsageError as exc:
                raise UsageError(tr("{source}, paragraph {index}: {text}: {error}",
                                    source=self.doc.source, index=change.index,
                                    text=change.text, error=exc)) from None
            self.plan.steps.append(done)
        self._apply_duty_changes(committee, did)

    def _apply_duty_changes(self, committee: str, did: str) -> None:
        for duty in self.doc.duty_changes:
            com = self.uow.registry.committees[committee]
            if duty.kind == "add":
                self.plan.steps.append(amend.add_duty(self.uow, committee, text=duty.text,
                                                      decision=did))
                continue
            found = [d.id for d in com.duties if d.end is None and fold(d.text) == fold(duty.text)]
            if not found:
                self.plan.unread.append(Unread(duty.index, duty.text, tr(
                    "no duty of {committee} reads so: end it with `committee amend duty end` "
                    "citing {id}", committee=committee, id=did)))
                continue
            self.plan.steps.append(amend.end_duty(self.uow, committee, found[0], decision=did))


def decision_date(doc: ReadDecision, given: dt.date | None) -> dt.date:
    """The decision's date: as printed, else the first of the printed month (a draft leaves its
    day blank), else ``given`` (``--date``); ``given`` must agree with a full printed date."""
    day, month, year = doc.printed_date
    if doc.date is not None:
        if given is not None and given != doc.date:
            raise UsageError(tr("{source} is dated {printed}: --date {given} disagrees (--date "
                                "dates a document whose date is left blank)", source=doc.source,
                                printed=doc.date.isoformat(), given=given.isoformat()))
        return doc.date
    if given is not None:
        if (month is not None and month != given.month) or (year is not None
                                                             and year != given.year):
            printed = "/".join(str(part or "…") for part in (day, month, year))
            raise UsageError(tr("{source} prints the date {printed}: --date {given} disagrees",
                                source=doc.source, given=given.isoformat(), printed=printed))
        return given
    if month is not None and year is not None:
        try:
            return dt.date(year, month, 1)
        except ValueError:
            pass
    raise UsageError(tr("{source}: the document's date is blank (a draft): give it with --date "
                        "DATE", source=doc.source))


def _one_body(lines: list[str]) -> bool:
    """True when two header lines name one body ("ỦY BAN NHÂN DÂN" / "TỈNH QUẢNG NINH")."""
    return len(lines) >= 2 and fold(lines[-1]).split()[:1] in (["tinh"], ["thanh"], ["huyen"],
                                                                ["xa"], ["quan"], ["phuong"])


def import_decision(uow: UnitOfWork, doc: ReadDecision, plan: ImportPlan,
                    committee: str | None = None, date: dt.date | None = None) -> str:
    """Records for a decision read from Word: issuer, units, legal bases, committee, people,
    seats, the changes of members it makes (as `amend seat` records them) and the decision
    (signed when the document carries a number, a date and no DỰ THẢO box)."""
    job = DecisionImport(uow, doc, committee, date)
    summary = job.run()
    plan.steps[:] = job.plan.steps
    plan.unread[:] = job.plan.unread
    plan.decision, plan.committee = job.plan.decision, job.plan.committee
    return summary
