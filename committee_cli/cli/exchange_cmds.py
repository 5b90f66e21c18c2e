"""Commands that send and sign: export edxml, import edxml, sign, verify (docs/exchange.md)."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import typer

from committee_cli.cli.amend_cmds import _report, _target
from committee_cli.cli.base import CHECK, PRODUCE, app, registry_dir
from committee_cli.cli.complete import complete_decision
from committee_cli.cli.env import is_terminal
from committee_cli.cli.export_cmds import export_app
from committee_cli.cli.import_cmds import import_app
from committee_cli.errors import ExitCode, UsageError
from committee_cli.i18n import tr
from committee_cli.render.service import open_workspace, refuse_registry_target, write_file
from committee_cli.services.exchange import draft_from, read_edxml, sign_pdf, verify_pdf
from committee_cli.services.exchange import export_edxml as build
from committee_cli.services.unit_of_work import run_change
from committee_cli.services.validation import open_registry
from committee_cli.vietnamese import short_date

PASSWORD_VARIABLE = "COMMITTEE_PKCS12_PASSWORD"
PIN_VARIABLE = "COMMITTEE_PKCS11_PIN"



def _secret(variable: str, what: object) -> str:
    """A password or PIN: from ``variable``, else a prompt at a terminal, else refused."""

    value = os.environ.get(variable)
    if value is not None:
        return value
    if is_terminal(sys.stdin):
        return str(typer.prompt(tr("password of {path}", path=what), hide_input=True,
                                default="", show_default=False))
    raise UsageError(tr("set {variable} to the password of {path} (no terminal to ask at)",
                        variable=variable, path=what))


def _password(path: Path) -> str:
    """The key's password: COMMITTEE_PKCS12_PASSWORD, else a prompt at a terminal."""
    return _secret(PASSWORD_VARIABLE, path)


def _write(ctx: typer.Context, out: Path, data: bytes) -> None:

    refuse_registry_target(out, registry_dir(ctx))
    write_file(out, data)
    typer.echo(tr("wrote {path}", path=out))


@export_app.command("edxml")
def export_edxml(
    ctx: typer.Context,
    decision: str = typer.Argument(..., help="The signed decision's id, e.g. qd-913-2021.",
                                   autocompletion=complete_decision),
    out: Path | None = typer.Option(None, "--out", "-o", show_default=False, metavar="FILE",
                                    help="Where to write (default: <id>.edxml)."),
    to: list[str] = typer.Option([], "--to", metavar="ORG", show_default=False,
                                 help="A receiving organisation (needs an identifier code); "
                                 "repeat for each. The decision's Nơi nhận go to ToPlaces."),
    attach: Path | None = typer.Option(None, "--attach", metavar="PDF", show_default=False,
                                       help="The PDF to carry, e.g. the signed one (it must be "
                                       "the decision's rendering); default: render it."),
    revoke: bool = typer.Option(False, "--revoke", help="Revoke what the decision replaces "
                                "(BussinessDocType REVOKE) instead of replacing it."),
    sign_pkcs12: Path | None = typer.Option(None, "--sign-pkcs12", metavar="FILE",
                                            show_default=False,
                                            help="Sign the package (enveloped XMLDSig) with "
                                            "this PKCS#12 key; password from "
                                            "COMMITTEE_PKCS12_PASSWORD."),
) -> None:
    """Write the edXML package of a signed decision for the national document axis.

    The envelope (QCVN 102:2016/BTTTT) carries the issuer's identifier code and contacts, the
    number and notation, date, type, subject, signer, what it replaces, and the PDF. A draft,
    a decision changed after signing, or an issuer or recipient without a code is refused.

    Example: committee export edxml qd-913-2021 --to bnv-vp --out 913.edxml
    """

    workspace = open_workspace(registry_dir(ctx))
    password = _password(sign_pkcs12) if sign_pkcs12 is not None else None
    data = build(workspace, decision, to=to, attach=attach, revoke=revoke, pkcs12=sign_pkcs12,
                 password=password)
    _write(ctx, out or Path(f"{decision}.edxml"), data)


@import_app.command("edxml")
def import_edxml(
    ctx: typer.Context,
    file: Path = typer.Argument(..., help="The .edxml file.", exists=True, dir_okay=False),
    trust: Path | None = typer.Option(None, "--trust", metavar="CA.pem", show_default=False,
                                      help="Trust roots to check the signer's certificate."),
) -> None:
    """Read an edXML package: what it says and whether its signature holds.

    When the registry's own issuer (registry.yaml issuer, by its identifier code) sent it and
    the registry has no decision of that number, it is recorded as a draft decision to
    complete. A signature that does not verify exits 1 and records nothing.

    Example: committee import edxml 913.edxml --trust ca.pem
    """

    root = registry_dir(ctx)
    report = read_edxml(open_registry(root).registry, file.read_bytes(), str(file),
                        trust)
    message, signature = report.envelope, report.signature
    typer.echo(f"{message.type_name} {message.code_number}/{message.code_notation} "
               f"{tr('of')} {short_date(message.promulgation_date)}: {message.subject}")
    typer.echo(tr("from: {code} {name}", code=message.sender.organ_id, name=message.sender.name))
    for receiver in message.receivers:
        typer.echo(tr("to: {code} {name}", code=receiver.organ_id, name=receiver.name))
    typer.echo(tr("signer: {line}", line=" / ".join(
        x for x in (message.competence, message.position, message.full_name) if x)))
    typer.echo(tr("business: {kind} {replaced}", kind=message.business,
                  replaced=", ".join(message.replaced)).rstrip())
    for attachment in message.attachments:
        typer.echo(tr("attachment: {name} ({size} bytes)", name=attachment.name,
                      size=len(attachment.data)))
    if not signature.present:
        typer.echo(tr("signature: none"))
    elif not signature.valid:
        typer.echo(tr("signature: INVALID ({problem})", problem=signature.problem))
        raise typer.Exit(ExitCode.PROBLEMS)
    else:
        trusted = {None: tr("trust not checked (give --trust)"), True: tr("trusted"),
                   False: tr("NOT trusted ({problem})", problem=signature.problem)}
        typer.echo(tr("signature: valid, {signer}, {trusted}", signer=signature.signer,
                      trusted=trusted[signature.trusted]))
    if signature.present and signature.trusted is False:
        raise typer.Exit(ExitCode.PROBLEMS)  # nothing is recorded from an untrusted signer
    if report.existing:
        typer.echo(tr("already in the registry as '{decision_id}'", decision_id=report.existing))
    elif report.own:

        result = run_change(_target(ctx), lambda uow: draft_from(uow, report))
        _report(result, dry_run=False, print_id=False)


@app.command(rich_help_panel=PRODUCE)
def sign(
    ctx: typer.Context,
    decision: str = typer.Argument(..., help="The signed decision's id, e.g. qd-913-2021.",
                                   autocompletion=complete_decision),
    pkcs12: Path | None = typer.Option(None, "--pkcs12", metavar="FILE", exists=True,
                                       dir_okay=False, show_default=False,
                                       help="The signer's key and certificate (.p12/.pfx); "
                                       "password from COMMITTEE_PKCS12_PASSWORD, else asked at "
                                       "a terminal."),
    pkcs11: str | None = typer.Option(None, "--pkcs11", metavar="MODULE.so", show_default=False,
                                      help="Or a key on a PKCS#11 token: the token's library; "
                                      "with --token and --key; PIN from COMMITTEE_PKCS11_PIN."),
    token: str | None = typer.Option(None, "--token", metavar="LABEL", show_default=False,
                                     help="With --pkcs11: the token's label."),
    key: str | None = typer.Option(None, "--key", metavar="LABEL", show_default=False,
                                   help="With --pkcs11: the key's label (and its certificate's)."),
    out: Path | None = typer.Option(None, "--out", "-o", metavar="FILE.pdf", show_default=False,
                                    help="Where to write (default: --pdf, else <id>.pdf)."),
    role: str = typer.Option("person", "--role", metavar="person|organisation",
                             help="The competent person's signature, or the organisation's "
                             "(after the person's)."),
    image: Path | None = typer.Option(None, "--image", metavar="PNG", exists=True,
                                      dir_okay=False, show_default=False,
                                      help="The handwritten signature (person) or the seal "
                                      "(organisation), a PNG with a transparent background."),
    copy: bool = typer.Option(False, "--copy", help="An electronic copy (bản sao điện tử): the "
                              "organisation's text stamp at the top right of page 1."),
    pdf: Path | None = typer.Option(None, "--pdf", metavar="FILE.pdf", exists=True,
                                    dir_okay=False, show_default=False,
                                    help="Add the signature to this PDF (one signed before); "
                                    "default: render the decision."),
) -> None:
    """Sign a decision's PDF digitally (PAdES), as Nghị định 30/2020 places the signatures.

    First the person (--role person, the signature image in the signing block), then the
    organisation (--role organisation --pdf THAT.pdf, the seal over the left third of the
    person's signature with its name and the signing time, +07:00); the first signature stays
    valid. The PDF is the decision's own rendering; a draft or a decision changed after
    signing is refused.

    Example: committee sign qd-913-2021 --pkcs12 person.p12 --image chu-ky.png --out 913.pdf
    """

    workspace = open_workspace(registry_dir(ctx))
    device = None
    if pkcs11 is not None:
        from committee_cli.exchange.pdfsign import Pkcs11Token

        if not token or not key:
            raise UsageError(tr("--pkcs11 needs --token LABEL and --key LABEL"))
        device = Pkcs11Token(pkcs11, token, key, _secret(PIN_VARIABLE, token))
    data = sign_pdf(workspace, decision, pkcs12=pkcs12,
                    password=_password(pkcs12) if pkcs12 is not None else "", token=device,
                    role=role, image=image, copy=copy, pdf_in=pdf)
    _write(ctx, out or pdf or Path(f"{decision}.pdf"), data)


@app.command(rich_help_panel=CHECK)
def verify(
    file: Path = typer.Argument(..., help="The signed PDF.", exists=True, dir_okay=False),
    trust: list[Path] = typer.Option([], "--trust", metavar="CA.pem", show_default=False,
                                     help="A trusted root certificate (PEM or DER); repeat."),
) -> None:
    """Check every digital signature of a PDF: signer, time, intact, trusted, later changes.

    A signature is valid when the signed bytes are intact, the signer's certificate chains to
    a --trust root, and nothing but form filling (another signature) changed after it. Exit 0
    only when every signature is valid; 1 otherwise, or when there is none.

    Example: committee verify 913.pdf --trust ca.pem
    """

    checks = verify_pdf(file.read_bytes(), trust)
    yes, no = tr("yes"), tr("no")
    for check in checks:
        when = check.time.isoformat(timespec="seconds") if check.time else "?"
        typer.echo(tr("{field}: {signer}, signed {time}", field=check.field, signer=check.signer,
                      time=when))
        typer.echo(tr("  intact: {intact}; trusted: {trusted}; changed after it (other than "
                      "form filling): {changed}", intact=yes if check.intact and check.valid
                      else no, trusted=yes if check.trusted else no,
                      changed=yes if check.changed_after else no))
        if check.problem and not check.ok:
            typer.echo(f"  {check.problem}")
    if not checks:
        typer.echo(tr("no digital signature in {file}", file=file))
    valid = bool(checks) and all(c.ok for c in checks)
    typer.echo(tr("all {count} signature(s) valid", count=len(checks)) if valid else
               tr("not every signature is valid"), err=not valid)
    raise typer.Exit(ExitCode.OK if valid else ExitCode.PROBLEMS)
