"""Rules about the bodies themselves (R117–R129): who holds a title where, organisations over
time, role vocabularies, the issuer, a committee's life, decisions cited as legal bases."""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterator
from datetime import date, timedelta

from committee_cli.errors import Problem
from committee_cli.i18n import N_, tr
from committee_cli.model.records import CONFIG_FILE, Decision, Organisation
from committee_cli.model.registry import Registry
from committee_cli.rules.base import problem, rule
from committee_cli.vietnamese import fold

INSTRUMENT_KINDS = ("Hiến pháp", "Bộ luật", "Luật", "Pháp lệnh", "Nghị quyết", "Nghị định",
                    "Quyết định", "Chỉ thị", "Thông tư", "Thông tư liên tịch", "Kết luận",
                    "Quy định", "Chương trình", "Kế hoạch", "Văn bản")
"""The kinds of instrument a legal basis may be (Luật Ban hành văn bản quy phạm pháp luật,
and the Party and administrative documents decisions cite)."""

# The article that says who executes a decision: the last one of the shipped template of its
# kind (templates/decision-*.j2). Establish and consolidate have one article more when the
# committee has duties in force on the decision's date.
_EXECUTION_ARTICLE = {"issue-plan": 3, "assign-tasks": 3, "issue-regulation": 3,
                      "amend-regulation": 3, "approve-members": 3, "dissolve": 4}
_WITH_DUTIES = ("establish", "consolidate")
_AS_ARTICLE = re.compile(r"Như\s+Điều\s+(\d+)", re.IGNORECASE)
_FAR = date.max - timedelta(days=1)


def _config_problem(code: str, path: tuple[str | int, ...], message: str,
                    severity: str = "error") -> Problem:
    return Problem(code, message, CONFIG_FILE, path=path, severity=severity)


@rule("R117", N_("a seat's holder holds a position on every date the seat is held"),
      scope="committee")
def holder_has_position(reg: Registry) -> Iterator[Problem]:
    """a seat's holder holds a position (a title at a unit) on every date the seat is held, so that
    every document and query can give their title

    Fix: add the position with `committee amend person update ID --title … --organisation … --since
    …`
    """
    for sid, seat in reg.seats.items():
        if seat.person is None or seat.person not in reg.people:
            continue
        start = reg.event_date(seat.start)
        if start is None:
            continue
        end = (reg.event_date(seat.end) if seat.end else None) or _FAR
        person = reg.people[seat.person]
        dates = [start, *sorted(p.until for p in person.positions
                                if p.until is not None and start <= p.until < end)]
        for day in dates:
            if not reg.positions_at(seat.person, day):
                yield problem(reg, "R117", "seat", sid, ("person",),
                              tr("'{person}' holds no position on {day} while holding this seat: "
                                 "their title would be blank in documents; add the position "
                                 "with `committee amend person update {person} --title … "
                                 "--organisation … --since …`", person=seat.person,
                                 day=day.isoformat()), severity="warning")
                break


def _related(reg: Registry, org_id: str, children: dict[str | None, list[str]]) -> set[str]:
    """The organisation, the bodies above it and the units below it."""
    found = {org_id}
    current = reg.organisations.get(org_id)
    while current is not None and current.parent and current.parent not in found:
        found.add(current.parent)
        current = reg.organisations.get(current.parent)
    stack = [org_id]
    while stack:
        for child in children.get(stack.pop(), []):
            if child not in found:
                found.add(child)
                stack.append(child)
    return found


def _signing_title(reg: Registry, dec: Decision) -> str | None:
    signing = dec.signing
    if signing.mode in ("KT", "TL", "TUQ", "Q") and signing.signer_title:
        return signing.signer_title
    if signing.mode == "KT":
        issuer = reg.organisations.get(dec.issuer)
        return issuer.deputy_title if issuer else None
    return signing.authority


@rule("R118", N_("a decision's signer holds the signing title at the issuer, not another body"),
      scope="kinds", reads=("decision", "organisation", "person"))
def signer_at_issuer(reg: Registry) -> Iterator[Problem]:
    """a decision's signer holds the signing title at the issuing body (or, for KT., a deputy's title
    there), not the same title at another body

    Fix: choose the issuer's own head or deputy as signer, or fix the signer's positions
    """
    children: dict[str | None, list[str]] = defaultdict(list)
    for oid, org in reg.organisations.items():
        children[org.parent].append(oid)
    related: dict[str, set[str]] = {}
    for did, dec in reg.decisions.items():
        signer = dec.signing.signer
        title = _signing_title(reg, dec)
        if signer is None or signer not in reg.people or not title \
                or dec.issuer not in reg.organisations:
            continue
        when = reg.decision_date(did) or dec.date
        held = [p for p in reg.positions_at(signer, when) if fold(p.title) == fold(title)]
        if not held:
            continue
        if dec.issuer not in related:
            related[dec.issuer] = _related(reg, dec.issuer, children)
        allowed = related[dec.issuer]
        if held and not any(p.organisation in allowed for p in held):
            yield problem(reg, "R118", "decision", did, ("signing", "signer"),
                          tr("'{signer}' holds '{title}' at {where}, not at the issuer "
                             "'{issuer}': a decision is signed by the issuer's own leaders; fix "
                             "the signer or the issuer", signer=signer, title=title,
                             where=", ".join(sorted({p.organisation for p in held})),
                             issuer=dec.issuer))


def execution_article(reg: Registry, did: str, dec: Decision) -> int | None:
    """The number of the article that says who executes the decision, as the built-in templates
    number them (None: a kind the registry defines; tests/test_execution_article.py keeps this in
    step with the templates)."""
    if dec.kind == "change-members":
        changes_duties = any(kind == "duty" for kind, _, _ in reg.events_citing(did))
        return 4 if changes_duties else 3
    if dec.kind == "approve-members":  # then an article for each working group it sets up
        return _EXECUTION_ARTICLE[dec.kind] + sum(
            1 for c in reg.committees.values()
            if c.parent is not None and c.parent == dec.committee and c.established is not None
            and c.established.decision == did)
    if dec.kind in _EXECUTION_ARTICLE:
        return _EXECUTION_ARTICLE[dec.kind]
    if dec.kind in _WITH_DUTIES and dec.committee is not None and dec.committee in reg.committees:
        when = reg.decision_date(did) or dec.date
        com = reg.committees[dec.committee]
        in_force = any((start := reg.event_date(d.start)) is not None and start <= when
                       and (d.end is None or when < (reg.event_date(d.end) or _FAR))
                       for d in com.duties)
        return 5 if in_force else 4
    return None


@rule("R119", N_("'Như Điều N' in the recipients names the article that executes the decision"),
      severity="warning", scope="kinds", reads=("decision", "committee"))
def recipients_name_execution_article(reg: Registry) -> Iterator[Problem]:
    """'Như Điều N' in a decision's recipients names the article that says who executes it (the last
    article of its kind's document, as the built-in templates number them); a warning, since a decision
    adopted from Word may number its articles otherwise

    Fix: write the number of the execution article (`committee decision edit ID --recipient …`)
    """
    for did, dec in reg.decisions.items():
        wanted = execution_article(reg, did, dec)
        if wanted is None:
            continue
        for i, recipient in enumerate(dec.recipients):
            found = _AS_ARTICLE.search(recipient)
            if found and int(found.group(1)) != wanted:
                yield problem(reg, "R119", "decision", did, ("recipients", i),
                              tr("'{recipient}' names Điều {named}, but Điều {wanted} says who "
                                 "executes this {kind} decision: write 'Như Điều {wanted};'",
                                 recipient=recipient, named=found.group(1), wanted=wanted,
                                 kind=dec.kind),
                              severity="warning")  # an adopted decision may number otherwise


def _code_periods(org: Organisation) -> list[tuple[date, date, str]]:
    """(from, until, code) for each period an organisation had a code."""
    starts = [(org.since or date.min, org.code)]
    starts += [(c.since, c.code) for c in sorted(org.changes, key=lambda c: c.since) if c.code]
    periods: list[tuple[date, date, str]] = []
    for i, (start, code) in enumerate(starts):
        end = starts[i + 1][0] if i + 1 < len(starts) else (org.until or date.max)
        if code and start < end:
            periods.append((start, end, code))
    return periods


@rule("R120", N_("no two organisations have the same identifier code on one date"),
      scope="kinds", reads=("organisation",))
def codes_unique(reg: Registry) -> Iterator[Problem]:
    """no two organisations hold the same identifier code (mã định danh) on one date

    Fix: correct one of the codes, or date the change (`committee amend org update ID --code …
    --since …`)
    """
    by_code: dict[str, list[tuple[str, date, date]]] = defaultdict(list)
    for oid, org in sorted(reg.organisations.items()):
        for start, end, code in _code_periods(org):
            by_code[code].append((oid, start, end))
    for code, holders in by_code.items():
        for i, (oid, start, end) in enumerate(holders):
            for other, o_start, o_end in holders[:i]:
                if other != oid and start < o_end and o_start < end:
                    day = max(start, o_start)
                    for one, two in ((oid, other), (other, oid)):
                        yield problem(reg, "R120", "organisation", one, ("code",),
                                      tr("code {code} is also the code of '{other}' on {day}: "
                                         "each code names one body at a time", code=code,
                                         other=two, day=day.isoformat() if day != date.min
                                         else "every date"))


@rule("R121", N_("a unit's identifier code is in its parent's code tree"), scope="kinds",
      reads=("organisation",))
def code_in_parent_tree(reg: Registry) -> Iterator[Problem]:
    """a unit's identifier code lies in its parent body's code tree (QĐ 20/2020/QĐ-TTg)

    Fix: correct the code, or the unit's parent
    """
    for oid, org in reg.organisations.items():
        parent = reg.organisations.get(org.parent or "")
        if org.code is None or parent is None or parent.code is None:
            continue
        if org.code.split(".")[-1] != parent.code.split(".")[-1] or org.code == parent.code:
            yield problem(reg, "R121", "organisation", oid, ("code",),
                          tr("code {code} is not under its parent's code {parent_code}: a "
                             "unit's code keeps the last group of its parent's and differs "
                             "in the others (QĐ 20/2020/QĐ-TTg)", code=org.code,
                             parent_code=parent.code), severity="warning")


@rule("R122", N_("an organisation's dated changes fall within its life, one per date"),
      scope="kinds", reads=("organisation",))
def changes_in_life(reg: Registry) -> Iterator[Problem]:
    """an organisation's dated changes fall within its life (from `since`, before `until`), one change
    per date

    Fix: move the change's date, or merge two changes of one date
    """
    for oid, org in reg.organisations.items():
        seen: set[date] = set()
        for i, change in enumerate(org.changes):
            if org.since is not None and change.since <= org.since:
                yield problem(reg, "R122", "organisation", oid, ("changes", i, "since"),
                              tr("a change dated {since} is not after the body came into being "
                                 "({start}): a rename cannot precede the body", since=change.since,
                                 start=org.since))
            if org.until is not None and change.since >= org.until:
                yield problem(reg, "R122", "organisation", oid, ("changes", i, "since"),
                              tr("a change dated {since} is not before the body ceased "
                                 "({until})", since=change.since, until=org.until))
            if change.since in seen:
                yield problem(reg, "R122", "organisation", oid, ("changes", i, "since"),
                              tr("two changes are dated {since}: merge them into one",
                                 since=change.since))
            seen.add(change.since)
        if org.since is not None and org.until is not None and org.until <= org.since:
            yield problem(reg, "R122", "organisation", oid, ("until",),
                          tr("the body ceases ({until}) before it begins ({since})",
                             until=org.until, since=org.since))


@rule("R123", N_("every role vocabulary of registry.yaml has exactly one head role"))
def one_head_role(reg: Registry) -> Iterator[Problem]:
    """every role vocabulary declared in registry.yaml has exactly one head role

    Fix: mark one role as head (`committee amend roles update SET ROLE --head`)
    """
    for name, roles in reg.config.role_sets.items():
        heads = [r.id for r in roles if r.head]
        if len(heads) != 1:
            yield _config_problem("R123", ("role_sets", name),
                                  tr("vocabulary '{name}' has {count} head roles ({heads}): mark "
                                     "exactly one with head: true", name=name, count=len(heads),
                                     heads=", ".join(heads) or "none"))
        ids = [r.id for r in roles]
        for rid in sorted({r for r in ids if ids.count(r) > 1}):
            yield _config_problem("R123", ("role_sets", name),
                                  tr("vocabulary '{name}' lists the role '{role}' twice",
                                     name=name, role=rid))


@rule("R124", N_("registry.yaml's issuer is an organisation of the registry"), scope="kinds",
      reads=("organisation",))
def issuer_exists(reg: Registry) -> Iterator[Problem]:
    """registry.yaml's issuer names an organisation of the registry

    Fix: add the organisation (`committee amend org add`) or correct the issuer
    """
    issuer = reg.config.issuer
    if issuer is not None and issuer not in reg.organisations:
        yield _config_problem("R124", ("issuer",),
                              tr("no organisation '{issuer}': add it with `committee amend org "
                                 "add --id {issuer}` or fix issuer", issuer=issuer))


@rule("R125", N_("seats are held only while their committee exists"),
      scope="committee")
def seats_within_committee_life(reg: Registry) -> Iterator[Problem]:
    """seats are held only while their committee exists (after it is established, before it is
    dissolved)

    Fix: end the seat by the dissolving decision, or correct the dates
    """
    for cid, com in reg.committees.items():
        born = reg.event_date(com.established) if com.established else None
        gone = reg.event_date(com.dissolved) if com.dissolved else None
        if born and gone and gone < born:
            yield problem(reg, "R125", "committee", cid, ("dissolved",),
                          tr("dissolved on {gone}, before it was established on {born}",
                             gone=gone, born=born))
            continue
        for sid, seat in reg.seats_of(cid).items():
            start = reg.event_date(seat.start)
            if start is None:
                continue
            end = reg.event_date(seat.end) if seat.end else None
            if born is not None and start < born:
                yield problem(reg, "R125", "seat", sid, ("start",),
                              tr("starts on {start}, before '{committee}' was established on "
                                 "{born}", start=start, committee=cid, born=born))
            if gone is not None and (end is None or end > gone) and start <= gone:
                yield problem(reg, "R125", "seat", sid, ("end",),
                              tr("still held after '{committee}' was dissolved on {gone}: end "
                                 "it by the dissolving decision", committee=cid, gone=gone))


@rule("R126", N_("a decision cited as a legal basis comes before the decision citing it"),
      scope="kinds", reads=("decision", "legal-basis"))
def cited_decisions_precede(reg: Registry) -> Iterator[Problem]:
    """a registry decision cited as a legal basis is dated no later than the decision citing it

    Fix: cite an earlier decision, or correct the dates
    """
    for did, dec in reg.decisions.items():
        when = reg.decision_date(did) or dec.date
        for i, ref in enumerate(dec.legal_bases):
            cited = reg.decisions.get(ref)
            if cited is None or ref in reg.legal_bases:
                continue
            if ref == did:
                yield problem(reg, "R126", "decision", did, ("legal_bases", i),
                              tr("a decision cannot cite itself as its legal basis"))
                continue
            cited_on = reg.decision_date(ref) or cited.date
            if cited_on > when:
                yield problem(reg, "R126", "decision", did, ("legal_bases", i),
                              tr("cites '{ref}' of {cited_on}, later than its own date {when}",
                                 ref=ref, cited_on=cited_on, when=when))
            elif dec.status == "signed" and cited.status != "signed":
                yield problem(reg, "R126", "decision", did, ("legal_bases", i),
                              tr("a signed decision cites the draft '{ref}': sign it first",
                                 ref=ref))


@rule("R127", N_("a dated organisation change names a decision of the registry"),
      scope="kinds", reads=("organisation", "decision"))
def change_decisions_exist(reg: Registry) -> Iterator[Problem]:
    """a dated organisation change that names a decision names one of the registry

    Fix: correct the decision's id, or leave it out and give a reason
    """
    for oid, org in reg.organisations.items():
        for i, change in enumerate(org.changes):
            if change.decision is not None and change.decision not in reg.decisions:
                yield problem(reg, "R127", "organisation", oid, ("changes", i, "decision"),
                              tr("no decision '{decision}': fix the id or remove it",
                                 decision=change.decision))


@rule("R128", N_("a position is held while its organisation exists"), scope="kinds",
      reads=("person", "organisation"))
def positions_within_organisation_life(reg: Registry) -> Iterator[Problem]:
    """a position is held only while its organisation exists

    Fix: end the position when the body ceased, or hold it at its successor
    """
    for pid, person in reg.people.items():
        for i, pos in enumerate(person.positions):
            org = reg.organisations.get(pos.organisation)
            if org is None:
                continue
            if (org.until is not None and (pos.until is None or pos.until > org.until)
                    and pos.since < org.until):
                yield problem(reg, "R128", "person", pid, ("positions", i, "until"),
                              tr("'{title}' at '{org}' is held after the body ceased on "
                                 "{until}: end the position then", title=pos.title,
                                 org=pos.organisation, until=org.until), severity="warning")
            elif org.since is not None and pos.since < org.since:
                yield problem(reg, "R128", "person", pid, ("positions", i, "since"),
                              tr("'{title}' at '{org}' starts on {since}, before the body came "
                                 "into being on {start}", title=pos.title, org=pos.organisation,
                                 since=pos.since, start=org.since), severity="warning")


@rule("R129", N_("a legal basis is of a known kind of instrument, and not also a registry decision"),
      scope="kinds", reads=("legal-basis", "decision"))
def known_instrument(reg: Registry) -> Iterator[Problem]:
    """a legal basis is of a known kind of instrument (Luật, Bộ luật, Nghị định, Nghị quyết, Quyết
    định, Thông tư, …), and its id is not also a registry decision's

    Fix: correct the kind, or cite the registry decision by its id and remove the duplicate
    """
    known = {fold(k) for k in INSTRUMENT_KINDS}
    for lid, basis in reg.legal_bases.items():
        if fold(basis.kind) not in known:
            yield problem(reg, "R129", "legal-basis", lid, ("kind",),
                          tr("'{kind}' is not a kind of instrument decisions cite this way; "
                             "kinds: {kinds}", kind=basis.kind, kinds=", ".join(INSTRUMENT_KINDS)),
                          severity="warning")
        if lid in reg.decisions:
            yield problem(reg, "R129", "legal-basis", lid, ("number",),
                          tr("'{lid}' is both a legal basis and a registry decision: cite the "
                             "decision and delete this legal basis", lid=lid))
