"""``committee site``: the registry as a static website (docs/site.md)."""

from __future__ import annotations

import json
import shutil
import subprocess
import urllib.parse
from html.parser import HTMLParser
from pathlib import Path

import pytest
from typer.testing import CliRunner

from committee_cli.cli.app import app
from tests.conftest import ROOT, SAMPLE, Run
from tests.git_helpers import make_repo

FIXTURE = ROOT / "tests" / "fixtures" / "render" / "registry"


class _Page(HTMLParser):
    """What the checks need from a page: links, ids, landmarks, tables and headings."""

    def __init__(self) -> None:
        super().__init__()
        self.links: list[str] = []
        self.ids: set[str] = set()
        self.tags: list[str] = []
        self.lang: str | None = None
        self.th_without_scope = 0
        self.tables = 0
        self.captions = 0
        self.inputs_without_label: set[str] = set()
        self.labels: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        self.tags.append(tag)
        if values.get("id"):
            self.ids.add(str(values["id"]))
        for name in ("href", "src"):
            target = values.get(name)
            if target and not target.startswith(("http:", "https:", "mailto:", "data:")):
                self.links.append(target)
        if tag == "html":
            self.lang = values.get("lang")
        if tag == "th" and "scope" not in values:
            self.th_without_scope += 1
        if tag == "table":
            self.tables += 1
        if tag == "caption":
            self.captions += 1
        if tag == "input" and values.get("type") != "hidden":
            self.inputs_without_label.add(str(values.get("id")))
        if tag == "label" and values.get("for"):
            self.labels.add(str(values["for"]))


def _parse(path: Path) -> _Page:
    page = _Page()
    page.feed(path.read_text("utf-8"))
    return page


def _site_pages(out: Path) -> list[Path]:
    return sorted(p for p in out.rglob("*.html") if not p.name.endswith(".document.html"))


def _build(cli: Run, registry: Path, out: Path, *extra: str) -> None:
    result = cli("site", "--out", str(out), "--as-of", "2022-06-01", *extra, registry=registry)
    assert result.exit_code == 0, result.output
    assert f"into {out}" in result.stdout


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The site of the sample and of the fixture registry, built once through the CLI."""
    sites = {}
    with pytest.MonkeyPatch.context() as env:
        env.setenv("COMMITTEE_CACHE_DIR", str(tmp_path_factory.mktemp("site-cache")))
        env.setenv("COMMITTEE_DEBUG", "1")
        for name, registry in (("sample", SAMPLE), ("fixture", FIXTURE)):
            out = tmp_path_factory.mktemp(f"site-{name}") / "public"
            outcome = CliRunner().invoke(app, ["--registry", str(registry), "site", "--out",
                                               str(out), "--as-of", "2022-06-01", "--downloads", "md,docx"])
            assert outcome.exit_code == 0, outcome.output
            sites[name] = out
    return sites


@pytest.mark.parametrize("name", ["sample", "fixture"])
def test_every_internal_link_resolves(built: dict[str, Path], name: str) -> None:
    out = built[name]
    pages = _site_pages(out)
    assert len(pages) > 5
    for page_path in pages:
        page = _parse(page_path)
        for link in page.links:
            target, _, fragment = urllib.parse.unquote(link).partition("#")
            target = target.split("?", 1)[0]
            resolved = (page_path.parent / target).resolve() if target else page_path
            assert resolved.is_file(), f"{page_path.relative_to(out)}: broken link {link}"
            assert out.resolve() in resolved.parents, f"{link} leaves the site"
            if fragment and resolved.suffix == ".html":
                assert fragment in _parse(resolved).ids, f"{page_path.name}: no #{fragment}"


@pytest.mark.parametrize("name", ["sample", "fixture"])
def test_pages_are_valid_accessible_html(built: dict[str, Path], name: str) -> None:
    html5lib = pytest.importorskip("html5lib", reason="html5lib (test extra) checks the HTML")
    for page_path in _site_pages(built[name]):
        text = page_path.read_text("utf-8")
        parser = html5lib.HTMLParser(strict=True, namespaceHTMLElements=False)
        parser.parse(text)  # raises on any parse error
        assert not parser.errors, (page_path.name, parser.errors)
        page = _parse(page_path)
        assert page.lang == "vi"
        for landmark in ("header", "nav", "main", "footer"):
            assert landmark in page.tags, (page_path.name, landmark)
        assert page.tags.count("h1") == 1, page_path.name
        assert page.th_without_scope == 0, page_path.name
        assert page.captions == page.tables, page_path.name
        assert page.inputs_without_label <= page.labels, page_path.name
        assert "sửa sổ đăng ký, không sửa trang này" in text


def test_committee_page_lists_members_duties_tasks_and_timeline(built: dict[str, Path]) -> None:
    text = (built["sample"] / "committees" / "bcd-cpdt.html").read_text("utf-8")
    assert 'href="../people/pham-thi-thanh-tra.html">Bà Phạm Thị Thanh Trà</a>' in text
    assert "<td>Trưởng ban</td>" in text
    assert text.count("<tr><td>") >= 16  # 16 seats held on 1/6/2022
    assert "Trung tâm Thông tin" in text  # the standing body
    assert 'href="../committees/to-cong-tac-cpdt.html"' in text  # the working group
    assert 'href="../decisions/qd-913-2021.html">913/QĐ-BNV</a>' in text
    assert "Tổ công tác" in text


def test_person_page_shows_seats_over_time(built: dict[str, Path]) -> None:
    text = (built["fixture"] / "people" / "le-van-cuong.html").read_text("utf-8")
    assert "Ông Lê Văn Cường" in text
    assert text.count('href="../committees/') >= 1
    assert "Chức vụ theo thời gian" in text


def test_decision_page_has_document_downloads_and_changes(built: dict[str, Path]) -> None:
    decisions = built["fixture"] / "decisions"
    signed = (decisions / "qd-120-2021.html").read_text("utf-8")
    assert "Đã ký" in signed
    assert 'src="qd-120-2021.document.html"' in signed
    assert 'href="qd-120-2021.docx" download' in signed
    assert (decisions / "qd-120-2021.docx").read_bytes()[:2] == b"PK"
    assert (decisions / "qd-120-2021.md").read_text("utf-8").startswith("|")
    assert "Những gì quyết định này thay đổi" in signed
    draft = (decisions / "qd-du-thao-2022.html").read_text("utf-8")
    assert "Dự thảo" in draft and "chưa có hiệu lực" in draft
    document = (decisions / "qd-120-2021.document.html").read_text("utf-8")
    assert "QUYẾT ĐỊNH" in document


def test_search_index_folds_tones_and_case(built: dict[str, Path]) -> None:
    index = json.loads((built["sample"] / "search-index.json").read_text("utf-8"))
    people = {e["label"]: e for e in index if e["kind"] == "person"}
    assert people["Ông Trương Hải Long"]["folded"] == "truong hai long"
    assert people["Ông Trương Hải Long"]["url"] == "people/truong-hai-long.html"
    script = (built["sample"] / "search-index.js").read_text("utf-8")
    assert script.startswith("window.COMMITTEE_SEARCH_INDEX = [")


def test_footer_names_the_registry_commit(cli: Run, tmp_path: Path) -> None:
    registry = make_repo(tmp_path)
    head = subprocess.run(["git", "-C", str(registry), "rev-parse", "--short=12", "HEAD"],
                          capture_output=True, text=True, check=True).stdout.strip()
    out = tmp_path / "public"
    _build(cli, registry, out, "--downloads", "md,docx", "--base-url", "https://example.gov.vn/bcd/")
    index = (out / "index.html").read_text("utf-8")
    assert f"tại commit <code>{head}</code>" in index
    assert '<link rel="canonical" href="https://example.gov.vn/bcd/index.html">' in index


def test_rebuild_removes_stale_pages_and_refuses_foreign_folders(cli: Run, sample: Path,
                                                                 tmp_path: Path) -> None:
    out = tmp_path / "public"
    _build(cli, sample, out, "--downloads", "md,docx")
    stale = out / "people" / "someone-gone.html"
    stale.write_text("old", "utf-8")
    _build(cli, sample, out, "--downloads", "md,docx")
    assert not stale.exists()
    foreign = tmp_path / "photos"
    foreign.mkdir()
    (foreign / "holiday.jpg").write_bytes(b"\xff\xd8")
    result = cli("site", "--out", str(foreign), registry=sample)
    assert result.exit_code == 2
    assert "not empty and was not written by committee site" in result.output
    assert (foreign / "holiday.jpg").exists()


@pytest.mark.parametrize("where", ["registry", "people"])
def test_site_is_never_written_into_the_registry(cli: Run, sample: Path, where: str) -> None:
    before = sorted((p.relative_to(sample), p.read_bytes()) for p in sample.rglob("*") if p.is_file())
    out = sample if where == "registry" else sample / "people"
    result = cli("site", "--out", str(out), registry=sample)
    assert result.exit_code == 2, result.output
    assert "registry" in result.output
    after = sorted((p.relative_to(sample), p.read_bytes()) for p in sample.rglob("*") if p.is_file())
    assert after == before


def test_bad_as_of_is_a_usage_error(cli: Run, sample: Path, tmp_path: Path) -> None:
    result = cli("site", "--out", str(tmp_path / "s"), "--as-of", "31/2/2022", registry=sample)
    assert result.exit_code == 2
    assert "--as-of" in result.output
    assert not (tmp_path / "s").exists()


# --- a real browser ------------------------------------------------------------------------


def _chromium() -> str:
    for name in ("chromium", "chromium-browser", "google-chrome"):
        found = shutil.which(name)
        if found:
            return found
    pytest.skip("Chromium is not installed (make system-deps installs the Debian package "
                "'chromium')")


def _browser(*args: str) -> subprocess.CompletedProcess[bytes]:
    command = [_chromium(), "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
               "--disable-dev-shm-usage", "--hide-scrollbars", *args]
    return subprocess.run(command, capture_output=True, timeout=120, check=False)


def test_browser_shows_the_members_table(built: dict[str, Path], tmp_path: Path) -> None:
    image = pytest.importorskip("PIL.Image", reason="Pillow (with the pdf extra) reads the PNG")
    page = built["sample"] / "committees" / "bcd-cpdt.html"
    shot = tmp_path / "committee.png"
    run = _browser(f"--screenshot={shot}", "--window-size=1200,1600", page.as_uri())
    assert shot.is_file(), run.stderr.decode("utf-8", "replace")
    picture = image.open(shot).convert("RGB")
    colours = picture.getcolors(maxcolors=1_000_000) or []
    assert len(colours) > 50, "the screenshot is (nearly) blank"
    dom = _browser("--dump-dom", page.as_uri()).stdout.decode("utf-8")
    assert "Bà Phạm Thị Thanh Trà" in dom and "<table class=\"members\">" in dom


def test_browser_search_finds_a_member_without_tones(built: dict[str, Path]) -> None:
    search = built["sample"] / "search.html"
    url = search.as_uri() + "?q=" + urllib.parse.quote("truong hai long")
    dom = _browser("--virtual-time-budget=5000", "--dump-dom", url).stdout.decode("utf-8")
    assert 'href="people/truong-hai-long.html">Ông Trương Hải Long</a>' in dom
    assert "Tìm thấy 1 kết quả." in dom
