"""Rules on what signed decisions state (R130–R139), checked by committee_cli.services.sealing.

A signed decision's fingerprint (scheme 2) covers every fact its document states, wherever in
the registry the fact lives; these rules need the facts computed by the queries layer, so the
checks run in the sealing service and only the codes and their messages live here.
"""

from __future__ import annotations

from collections.abc import Sequence

from committee_cli.errors import Problem
from committee_cli.i18n import N_, tr
from committee_cli.model.registry import Registry
from committee_cli.rules.base import Rule, add_rule

_SIGNED_RULES = {
    "R130": (N_("a signed decision still states the facts it was signed with (members, names, "
                "titles, duties, articles, legal bases, issuer, signer)"),
             N_("undo the edit named in the message, or record a genuine correction with "
                "`committee decision correct ID --reason …`")),
    "R131": (N_("a change does not alter what a decision signed on the base states, unless "
                "recorded with `committee decision correct`"),
             N_("undo the change of the commit named in the message (validate --base), or "
                "record it with `committee decision correct`")),
    "R132": (N_("a signature's fingerprint scheme is one this release knows"),
             N_("use a release that knows the scheme, or restore the signature")),
    "R133": (N_("a signed decision's fingerprint covers its facts (scheme 2; upgrade with "
                "`committee migrate`)"),
             N_("run `committee migrate`")),
    "R134": (N_("a signature's history (earlier fingerprints, corrections) is only appended to"),
             N_("restore the earlier history; add to it only with `committee decision correct` "
                "or `committee migrate`")),
}
for _code, (_title, _fix) in _SIGNED_RULES.items():
    add_rule(Rule(_code, _title, needs="facts",
                  detail=_title + " (computed from the decision's facts by the sealing service; "
                  "docs/signed-decisions.md)", fix=_fix))

FactValue = str | int | bool | None
Changed = tuple[str, FactValue, FactValue]  # fact path, before, after

SHOWN_CHANGES = 3


def show_value(value: FactValue) -> str:
    """A fact's value as messages quote it: “text”, a number, or (none)."""
    if value is None:
        return tr("(none)")
    if isinstance(value, str):
        return f"“{value}”"
    return str(value).lower() if isinstance(value, bool) else str(value)


def changes_text(changes: Sequence[Changed], limit: int = SHOWN_CHANGES) -> str:
    """``members[…].name: “Trà” → “Tra”; …`` (and how many more)."""
    shown = "; ".join(f"{path}: {show_value(before)} → {show_value(after)}"
                      for path, before, after in changes[:limit])
    if len(changes) > limit:
        shown += tr(" (and {count} more)", count=len(changes) - limit)
    return shown


def facts_changed(decision: str, citation: str, changes: Sequence[Changed], file: str,
                  path: tuple[str | int, ...]) -> Problem:
    """R130: the facts of a signed decision differ from those it was signed with."""
    return Problem("R130", tr(
        "signed decision '{decision}' ({citation}) no longer states what was signed: "
        "{changes}. Undo this edit (a later change takes a date, or a new decision), or record "
        "a genuine correction with `committee decision correct {decision} --reason …`",
        decision=decision, citation=citation, changes=changes_text(changes)), file, path=path)


def facts_unknown(decision: str, citation: str, file: str) -> Problem:
    """R130 when the signed facts are at hand neither in the cache nor in git."""
    return Problem("R130", tr(
        "signed decision '{decision}' ({citation}) no longer states what was signed (its facts "
        "no longer match the signature's fingerprint); which fact changed cannot be told here "
        "(no cached copy, no git history holding it): compare with `committee render decision "
        "{decision} --rev REV` at the revision it was signed, undo the edit, or record a "
        "correction with `committee decision correct`", decision=decision, citation=citation),
        file, path=("signature", "fingerprint"))


def changed_since_base(decision: str, citation: str, changes: Sequence[Changed], file: str,
                       path: tuple[str | int, ...], commit: str) -> Problem:
    """R131: the change under review alters the facts of a decision signed on the base."""
    return Problem("R131", tr(
        "this change alters what signed decision '{decision}' ({citation}) states: {changes} "
        "({commit}). Undo it, or record a genuine correction with `committee decision correct "
        "{decision} --reason …`", decision=decision, citation=citation,
        changes=changes_text(changes), commit=commit), file, path=path)


def unknown_scheme(decision: str, scheme: int, known: int, file: str) -> Problem:
    """R132: a fingerprint scheme newer than this release."""
    return Problem("R132", tr(
        "decision '{decision}' is signed under fingerprint scheme {scheme}, newer than this "
        "release knows ({known}): upgrade committee-cli", decision=decision, scheme=scheme,
        known=known), file, path=("signature", "scheme"))


def old_scheme(decision: str, file: str) -> Problem:
    """R133 (warning): a scheme-1 fingerprint guards only the decision's own file."""
    return Problem("R133", tr(
        "decision '{decision}' is signed under fingerprint scheme 1, which guards only its own "
        "file, not the names, titles and members its document states: run `committee migrate`",
        decision=decision), file, path=("signature", "fingerprint"), severity="warning")


def old_schemes(reg: Registry) -> list[Problem]:
    """R133 for every decision signed under scheme 1, in id order (from what is kept beside
    each decision: none is built)."""
    return [old_scheme(did, reg.file_of("decision", did))
            for did, sealed in sorted(reg.column("decision", "sealed")) if sealed == "1"]


def history_rewritten(decision: str, file: str) -> Problem:
    """R134: the signature's earlier fingerprints or corrections were changed or dropped."""
    return Problem("R134", tr(
        "the signature of decision '{decision}' lost or changed part of its history (earlier "
        "fingerprints, corrections) recorded on the base: a signature's history is only "
        "appended to; restore it", decision=decision), file, path=("signature",))
