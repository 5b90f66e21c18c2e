"""The registry as a static website: committee, person and decision pages, and a search index.

Every page is computed from the registry (queries and the decision documents); nothing is kept.
Links are relative, so the site works from ``file://`` as well as from any web server; the search
index is a script (``search-index.js``), since browsers refuse to fetch JSON from ``file://``.
"""

from __future__ import annotations

import json
import os
import secrets
import shutil
import subprocess
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import jinja2

from committee_cli.errors import CommitteeError, ExitCode, UsageError
from committee_cli.i18n import tr
from committee_cli.model.registry import Registry
from committee_cli.queries.committee_history import decision_changes, history
from committee_cli.queries.content import contents_kept
from committee_cli.queries.decision_list import decision_order, decisions, decisions_by_committee
from committee_cli.queries.duty_list import duties
from committee_cli.queries.member_list import members
from committee_cli.queries.people import PersonRecord, people_records
from committee_cli.queries.task_list import tasks
from committee_cli.render.documents import decision_document
from committee_cli.render.pdf import PdfUnavailable, pdf_engine
from committee_cli.render.service import encode, open_workspace, refuse_registry_target
from committee_cli.render.templating import TemplateSet
from committee_cli.resources import package_data
from committee_cli.vietnamese import (
    collation_key,
    fold,
    long_date,
    name_sort_key,
    number_symbol,
    short_date,
)

# The formats offered for download beside each decision page; PDF only when an engine exists.
DOWNLOADS = ("docx", "pdf", "md")
ASSETS = ("site.css", "search.js")


@dataclass
class SiteResult:
    """What ``committee site`` wrote, and the downloads it could not produce."""

    out: Path
    pages: list[Path] = field(default_factory=list)
    skipped: list[tuple[str, str]] = field(default_factory=list)  # (file, why)


@dataclass(frozen=True)
class SiteOptions:
    """How to build: the date pages describe, the public address and the registry's commit."""

    as_of: date
    base_url: str | None = None
    commit: str | None = None
    downloads: tuple[str, ...] = DOWNLOADS


def registry_commit(registry_dir: Path) -> str | None:
    """The commit the registry's work tree is at (``None`` outside git), marked when modified."""
    try:
        head = subprocess.run(["git", "-C", str(registry_dir), "rev-parse", "--short=12", "HEAD"],
                              capture_output=True, text=True, check=False, timeout=30)
        if head.returncode != 0:
            return None
        dirty = subprocess.run(["git", "-C", str(registry_dir), "status", "--porcelain", "--", "."],
                               capture_output=True, text=True, check=False, timeout=60)
    except (OSError, subprocess.SubprocessError):
        return None
    commit = head.stdout.strip()
    return f"{commit}+" if dirty.stdout.strip() else commit


def _environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(package_data("templates") / "site"),
        autoescape=True, undefined=jinja2.StrictUndefined, trim_blocks=True, lstrip_blocks=True,
        keep_trailing_newline=True)
    env.filters["long_date"] = lambda d: long_date(d) if d else ""
    env.filters["short_date"] = lambda d: short_date(d) if d else ""
    return env


class _Site:
    """One build: the registry, where pages go, and the pages' shared context."""

    def __init__(self, reg: Registry, templates: TemplateSet, out: Path, options: SiteOptions,
                 step: Callable[[str], None] | None) -> None:
        self.reg = reg
        self.templates = templates
        self.out = out
        self.options = options
        self.env = _environment()
        self.result = SiteResult(out)
        self.step = step
        self.concerning = decisions_by_committee(reg)
        self.committees_of: dict[str, list[str]] = {}
        for cid in sorted(reg.committees):
            for did in self.concerning[cid]:
                self.committees_of.setdefault(did, []).append(cid)
        self._entries: dict[str, dict[str, Any]] = {}
        self.replaced_by: dict[str, list[str]] = {}
        for did, decision in sorted(reg.decisions.items()):
            for replaced in decision.replaces:
                self.replaced_by.setdefault(replaced, []).append(did)
        self.children: dict[str, list[str]] = {}
        for cid, com in sorted(reg.committees.items(), key=lambda c: collation_key(c[1].name)):
            if com.parent is not None and com.parent in reg.committees:
                self.children.setdefault(com.parent, []).append(cid)

    # --- where things go ------------------------------------------------------------------

    @staticmethod
    def committee_url(committee_id: str) -> str:
        return f"committees/{committee_id}.html"

    @staticmethod
    def person_url(person_id: str) -> str:
        return f"people/{person_id}.html"

    @staticmethod
    def decision_url(decision_id: str) -> str:
        return f"decisions/{decision_id}.html"

    def write(self, rel: str, text: str | bytes) -> None:
        """Write one file of the site into the (new, private) staging folder."""
        path = self.out / rel
        data = text.encode("utf-8") if isinstance(text, str) else text
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            with open(path, "xb") as handle:
                handle.write(data)
        except OSError as exc:
            raise CommitteeError(tr("cannot write {path}: {strerror}", path=path,
                                    strerror=exc.strerror or exc), ExitCode.IO) from None
        self.result.pages.append(Path(rel))

    def page(self, rel: str, template: str, title: str, **context: Any) -> None:
        depth = rel.count("/")
        root = "../" * depth
        canonical = f"{self.options.base_url.rstrip('/')}/{rel}" if self.options.base_url else None
        html = self.env.get_template(template).render(
            root=root, title=title, canonical=canonical, registry_name=self.reg.config.name,
            as_of=self.options.as_of, commit=self.options.commit, cite=self._citation, **context)
        self.write(rel, html)
        if self.step is not None:
            self.step(rel)

    # --- the pages ------------------------------------------------------------------------

    def build(self) -> SiteResult:
        """Every page, the downloads, the assets and the search index."""
        for asset in ASSETS:
            self.write(asset, (package_data("templates") / "site" / asset).read_text("utf-8"))
        self.index()
        # A decision's content, asked for several times by its own page and by its committees'
        # timelines, is kept for one page at a time (kept for the whole build: ~60 KB a decision).
        for committee_id in self.reg.committees:
            with contents_kept(self.reg):
                self.committee(committee_id)
        for record in people_records(self.reg, self.reg.people, self.options.as_of):
            self.person(record)
        engine = pdf_engine() if "pdf" in self.options.downloads else None
        for decision_id in self.reg.decisions:
            with contents_kept(self.reg):
                self.decision(decision_id, engine)
        self.search()
        return self.result

    def _committees_by_body(self) -> list[dict[str, Any]]:
        reg = self.reg
        bodies: dict[str, list[str]] = {}
        for cid, com in reg.committees.items():
            if com.parent is None or com.parent not in reg.committees:
                bodies.setdefault(com.organisation, []).append(cid)
        listed = []
        for org_id in sorted(bodies, key=lambda o: collation_key(self._org_name(o))):
            listed.append({
                "name": self._org_name(org_id),
                "committees": [self._committee_entry(cid)
                               for cid in sorted(bodies[org_id],
                                                 key=lambda c: collation_key(reg.committees[c].name))],
            })
        return listed

    def _org_name(self, org_id: str | None) -> str:
        org = self.reg.organisations.get(org_id or "")
        if org is None:
            return org_id or ""
        return org.on(self.options.as_of).name

    def _committee_entry(self, committee_id: str) -> dict[str, Any]:
        cached = self._entries.get(committee_id)
        if cached is not None:
            return cached
        com = self.reg.committees[committee_id]
        groups = self.children.get(committee_id, [])
        seats = members(self.reg, committee_id, self.options.as_of).seats
        entry = {"id": committee_id, "name": com.name, "url": self.committee_url(committee_id),
                 "members": len(seats), "dissolved": self._dissolved(committee_id),
                 "groups": [self._committee_entry(g) for g in groups]}
        self._entries[committee_id] = entry
        return entry

    def _dissolved(self, committee_id: str) -> bool:
        com = self.reg.committees[committee_id]
        when = self.reg.event_date(com.dissolved) if com.dissolved else None
        return when is not None and when <= self.options.as_of

    def index(self) -> None:
        rows = decisions(self.reg, None).decisions
        archive = [self._decision_entry(r.decision) for r in rows]
        people = sorted(self.reg.people, key=lambda p: name_sort_key(self.reg.people[p].name))
        self.page("index.html", "index.html.j2", self.reg.config.name,
                  bodies=self._committees_by_body(), decisions=archive,
                  people=[self._person_entry(p) for p in people])

    def _person_entry(self, person_id: str) -> dict[str, Any]:
        person = self.reg.people[person_id]
        return {"id": person_id, "name": f"{person.honorific} {person.name}",
                "url": self.person_url(person_id)}

    def _decision_entry(self, decision_id: str) -> dict[str, Any]:
        decision = self.reg.decisions[decision_id]
        return {"id": decision_id, "url": self.decision_url(decision_id),
                "citation": self._citation(decision_id), "heading": self._heading(decision_id),
                "date": decision_order(self.reg, decision_id)[0],
                "subject": decision.subject, "signed": decision.status == "signed"}

    def _citation(self, decision_id: str) -> str:
        """``913/QĐ-BNV``; a draft (no number yet) is ``dự thảo QĐ-BNV``."""
        decision = self.reg.decisions.get(decision_id)
        if decision is None:
            return decision_id
        if decision.number is None:
            return f"dự thảo {decision.symbol}"
        return number_symbol(decision.number, decision.symbol)

    def _heading(self, decision_id: str) -> str:
        decision = self.reg.decisions[decision_id]
        if decision.number is None:
            return f"Dự thảo quyết định ({decision.symbol})"
        return f"Quyết định số {self._citation(decision_id)}"

    def committee(self, committee_id: str) -> None:
        reg, as_of = self.reg, self.options.as_of
        com = reg.committees[committee_id]
        seats = members(reg, committee_id, as_of).seats
        duty_rows = duties(reg, committee_id, as_of).duties
        task_rows = [t for t in tasks(reg, committee_id, as_of).tasks
                     if t.status in ("open", "in-progress")]
        timeline = history(reg, committee_id, concerning=self.concerning[committee_id]).decisions
        parent = com.parent if com.parent in reg.committees else None
        standing = com.standing_body
        self.page(
            self.committee_url(committee_id), "committee.html.j2", com.name, committee=com,
            committee_id=committee_id, body=self._org_name(com.organisation),
            parent=self._committee_entry(parent) if parent else None,
            members=seats, duties=duty_rows, tasks=task_rows, timeline=timeline,
            standing_body=self._org_name(standing.unit) if standing else None,
            standing_tasks=standing.tasks if standing else None,
            seal=self._org_name(com.seal) if com.seal else None,
            groups=self._committee_entry(committee_id)["groups"],
            established=self._event(com.established), dissolved=self._event(com.dissolved),
            decision_url=self.decision_url, person_url=self.person_url,
            committee_url=self.committee_url)

    def _event(self, event: Any) -> dict[str, Any] | None:
        if event is None:
            return None
        return {"date": self.reg.event_date(event), "decision": self._decision_entry(event.decision)
                if event.decision in self.reg.decisions else None}

    def person(self, record: PersonRecord) -> None:
        self.page(self.person_url(record.person), "person.html.j2", record.display, record=record,
                  decision_url=self.decision_url, committee_url=self.committee_url)

    def decision(self, decision_id: str, engine: str | None) -> None:
        reg = self.reg
        decision = reg.decisions[decision_id]
        document = decision_document(reg, decision_id, self.templates)
        base = f"decisions/{decision_id}"
        self.write(f"{base}.document.html", encode(document, "html"))
        downloads = []
        for fmt in self.options.downloads:
            if fmt == "pdf" and engine is None:
                self.result.skipped.append((f"{base}.pdf", tr(
                    "no PDF engine: install the pdf extra (WeasyPrint) or LibreOffice")))
                continue
            try:
                self.write(f"{base}.{fmt}", encode(document, fmt))
            except PdfUnavailable as exc:
                self.result.skipped.append((f"{base}.{fmt}", str(exc)))
                continue
            downloads.append({"format": fmt, "url": f"{decision_id}.{fmt}"})
        changes = [{"committee": self._committee_entry(cid),
                    "changes": decision_changes(reg, cid, decision_id)}
                   for cid in self.committees_of.get(decision_id, [])]
        replaced_by = [self._decision_entry(d) for d in self.replaced_by.get(decision_id, [])]
        replaces = [self._decision_entry(d) for d in decision.replaces if d in reg.decisions]
        signer = reg.people.get(decision.signing.signer or "")
        self.page(self.decision_url(decision_id), "decision.html.j2",
                  self._heading(decision_id), decision=decision,
                  entry=self._decision_entry(decision_id), issuer=self._org_name(decision.issuer),
                  signer=self._person_entry(decision.signing.signer) if signer and
                  decision.signing.signer else None,
                  document_url=f"{decision_id}.document.html", downloads=downloads,
                  changes=changes, replaced_by=replaced_by, replaces=replaces)

    def search(self) -> None:
        entries: list[dict[str, str]] = []
        for pid, person in self.reg.people.items():
            entries.append(self._search_entry("person", f"{person.honorific} {person.name}",
                                              person.name, self.person_url(pid)))
        for cid, com in self.reg.committees.items():
            entries.append(self._search_entry("committee", com.name,
                                              f"{com.name} {com.short_name or ''}",
                                              self.committee_url(cid)))
        for did, decision in self.reg.decisions.items():
            label = f"{self._citation(did)}: {decision.subject}"
            entries.append(self._search_entry("decision", label, label, self.decision_url(did)))
        entries.sort(key=lambda e: (e["kind"], e["folded"], e["url"]))
        data = json.dumps(entries, ensure_ascii=False, sort_keys=True, indent=0)
        self.write("search-index.js", f"window.COMMITTEE_SEARCH_INDEX = {data};\n")
        self.write("search-index.json", data + "\n")
        self.page("search.html", "search.html.j2", "Tìm kiếm")

    @staticmethod
    def _search_entry(kind: str, label: str, text: str, url: str) -> dict[str, str]:
        return {"kind": kind, "label": label, "folded": fold(text), "url": url}


def check_out_dir(out: Path, registry_dir: Path) -> None:
    """Refuse an output folder inside the registry's record folders or over its files."""
    refuse_registry_target(out / "index.html", registry_dir, shown=out)
    resolved_out = Path(os.path.realpath(out))
    if resolved_out == Path(os.path.realpath(registry_dir)):
        raise UsageError(tr("--out {path} is the registry itself: write the site elsewhere "
                            "(e.g. --out site/)", path=out))
    if out.exists() and not out.is_dir():
        raise UsageError(tr("--out {path} is a file: name a folder for the site", path=out))
    if resolved_out in Path(os.path.realpath(registry_dir)).parents:
        raise UsageError(tr("--out {path} holds the registry: the site replaces its folder "
                            "whole, so name a folder of its own (e.g. --out site/)", path=out))


def parse_downloads(text: str | None) -> tuple[str, ...]:
    """``--downloads md,docx,pdf``: the formats offered beside each decision (default: all)."""
    if text is None:
        return DOWNLOADS
    chosen = tuple(dict.fromkeys(f.strip().lower() for f in text.split(",") if f.strip()))
    unknown = [f for f in chosen if f not in DOWNLOADS]
    if unknown:
        raise UsageError(tr("--downloads: unknown format '{fmt}': use a comma-separated list of "
                            "{formats}", fmt=unknown[0], formats=", ".join(DOWNLOADS)))
    return chosen


MARKER = ".committee-site"


def _refuse_foreign(out: Path) -> None:
    """A non-empty folder not written by ``committee site`` is never replaced."""
    if out.is_dir() and not (out / MARKER).exists() and any(out.iterdir()):
        raise UsageError(tr("--out {path} is not empty and was not written by committee site: "
                            "name an empty or new folder", path=out))


def build_site(reg: Registry, templates: TemplateSet, out: Path, options: SiteOptions,
               step: Callable[[str], None] | None = None) -> SiteResult:
    """Write the whole site into ``out``, replacing an earlier build of it in one step.

    The site is built in a new folder beside ``out`` and swapped in at the end, so a reader (or
    a web server) never sees half a site, a failed build leaves the old one, and no page of a
    record that is gone survives. Pages are derived: they are not fsynced one by one.
    """
    _refuse_foreign(out)
    parent = out.absolute().parent
    try:
        parent.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(prefix=f".{out.name}.", suffix=".building", dir=parent))
    except OSError as exc:
        raise CommitteeError(tr("cannot create {out_dir}: {strerror}", out_dir=parent,
                                strerror=exc.strerror or exc), ExitCode.IO) from None
    try:
        os.chmod(staging, 0o755)
        site = _Site(reg, templates, staging, options, step)
        result = site.build()
        site.write(MARKER, "Written by committee site; the folder is rebuilt on each run.\n")
        _swap(staging, out.absolute())
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    result.out = out
    return result


def _swap(staging: Path, out: Path) -> None:
    """Put the new site in place of the old one (two renames), then remove the old one."""
    old = None
    try:
        if out.exists():
            old = out.with_name(f".{out.name}.old-{os.getpid()}-{secrets.token_hex(4)}")
            os.rename(out, old)
        os.rename(staging, out)
    except OSError as exc:
        if old is not None and not out.exists():
            os.rename(old, out)
        raise CommitteeError(tr("cannot write {path}: {strerror}", path=out,
                                strerror=exc.strerror or exc), ExitCode.IO) from None
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)


def run_site(registry_dir: Path, out: Path, as_of: date, base_url: str | None,
             downloads: str | None = None) -> SiteResult:
    """``committee site``: open the registry and build the site into ``out``."""
    check_out_dir(out, registry_dir)
    options = SiteOptions(as_of, base_url, registry_commit(registry_dir),
                          parse_downloads(downloads))
    workspace = open_workspace(registry_dir)
    return build_site(workspace.registry, workspace.templates, out, options)
