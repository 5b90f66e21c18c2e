"""PDF: WeasyPrint from the HTML when the ``pdf`` extra is installed, else LibreOffice from the .docx."""

from __future__ import annotations

import shutil
import subprocess
import tempfile
import warnings
from pathlib import Path
from types import ModuleType

from committee_cli.errors import CommitteeError, ExitCode
from committee_cli.i18n import N_, gettext_, tr
from committee_cli.render.document import Document

INSTALL_HINT = N_("install the PDF extra (pip install 'committee-cli[pdf]', WeasyPrint) or "
                "LibreOffice (Debian: apt-get install libreoffice-writer-nogui), and for the "
                "Times New Roman metrics the fonts-liberation2 package")
SOFFICE_TIMEOUT = 180  # seconds: LibreOffice's first start builds its profile


class PdfUnavailable(CommitteeError):
    """No PDF engine is installed."""

    exit_code = ExitCode.USAGE


def _import_weasyprint() -> ModuleType:
    """WeasyPrint, imported quietly (it warns about optional system libraries it can do without)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        import weasyprint
    module: ModuleType = weasyprint
    return module


def pdf_engine() -> str | None:
    """``weasyprint`` or ``soffice`` (the one that will be used), or None when neither is here."""
    try:
        _import_weasyprint()
    except (ImportError, OSError):  # OSError: WeasyPrint installed but Pango missing
        pass
    else:
        return "weasyprint"
    return "soffice" if _soffice() else None


def _soffice() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


def to_pdf(document: Document, engine: str | None = None) -> bytes:
    """The document as PDF bytes, with the engine given or the first one installed."""
    engine = engine or pdf_engine()
    if engine == "weasyprint":
        return _weasyprint(document)
    if engine == "soffice":
        return _libreoffice(document)
    raise PdfUnavailable(tr("no PDF engine found: {install_hint}; or render --format docx/html",
                            install_hint=gettext_(INSTALL_HINT)))


def _weasyprint(document: Document) -> bytes:
    import logging

    from committee_cli.render.html import to_html

    weasyprint = _import_weasyprint()
    logging.getLogger("weasyprint").setLevel(logging.ERROR)
    logging.getLogger("fontTools").setLevel(logging.ERROR)
    pdf = weasyprint.HTML(string=to_html(document)).write_pdf()
    assert pdf is not None
    return bytes(pdf)


def _libreoffice(document: Document) -> bytes:
    # python-docx costs ~0.25 s to import: only the runs that make a .docx (or PDF from one) load it
    from committee_cli.render.docx import to_docx

    soffice = _soffice()
    if soffice is None:
        raise PdfUnavailable(tr("LibreOffice (soffice) is not on PATH: {install_hint}",
                                install_hint=gettext_(INSTALL_HINT)))
    with tempfile.TemporaryDirectory(prefix="committee-pdf-") as tmp:
        folder = Path(tmp)
        source = folder / "document.docx"
        source.write_bytes(to_docx(document))
        profile = (folder / "profile").as_uri()
        command = [soffice, f"-env:UserInstallation={profile}", "--headless", "--norestore",
                   "--convert-to", "pdf", "--outdir", str(folder), str(source)]
        try:
            done = subprocess.run(command, capture_output=True, timeout=SOFFICE_TIMEOUT, check=False)
        except subprocess.TimeoutExpired:
            raise CommitteeError(tr("LibreOffice did not finish within {soffice_timeout} s",
                                    soffice_timeout=SOFFICE_TIMEOUT),
                                 ExitCode.IO) from None
        target = folder / "document.pdf"
        if done.returncode != 0 or not target.is_file():
            message = done.stderr.decode("utf-8", "replace").strip() or "no PDF written"
            raise CommitteeError(tr("LibreOffice could not convert the document: {message}",
                                    message=message),
                                 ExitCode.IO)
        return target.read_bytes()
