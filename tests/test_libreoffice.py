"""Every kind of workbook risk-cli writes opens in a real spreadsheet program, and prints on A4
landscape pages, one page wide, in a reasonable number of pages (issue 11: a sample register
printed on about 200 pages, each risk split across several pages side by side).

Runs where LibreOffice is installed (`apt-get install libreoffice-calc-nogui`); CI machines
without it skip this file, and the rest of the suite reads every workbook with openpyxl.
"""

from __future__ import annotations

import re
import shutil
import subprocess

import pytest

from tests.conftest import FIXTURES, ROOT, mini_answers, write_yaml

SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")
pytestmark = pytest.mark.skipif(SOFFICE is None, reason="LibreOffice is not installed")

SAMPLE = ROOT / "sample_outputs" / "caseworker-reply-assistant-answers.yaml"
SAMPLES = sorted((ROOT / "sample_outputs").glob("*-register.xlsx"))  # the rated one too
A4_LANDSCAPE = (841.89, 595.28)  # points
MOST_PAGES = {"register": 12, "template": 16, "batch-summary": 6, "portfolio": 10, "atrs": 12}  # batch-summary: a page per sheet, 5x5 and rated sheets included
_OBJECT = re.compile(rb"(\d+) 0 obj(.*?)endobj", re.S)
_MEDIA_BOX = re.compile(rb"/MediaBox\s*\[\s*([-\d.]+)\s+([-\d.]+)\s+([-\d.]+)\s+([-\d.]+)\s*\]")
_PAGE = re.compile(rb"/Type\s*/Page(?![A-Za-z])")
_PARENT = re.compile(rb"/Parent\s+(\d+)\s+0\s+R")


def page_sizes(pdf: bytes) -> list[tuple[float, float]]:
    """The width and height in points of each page of a PDF LibreOffice wrote (a page without a
    MediaBox of its own inherits its parent's)."""
    objects = {int(m.group(1)): m.group(2) for m in _OBJECT.finditer(pdf)}

    def box(body: bytes) -> tuple[float, float]:
        m = _MEDIA_BOX.search(body)
        if m:
            x0, y0, x1, y1 = (float(v) for v in m.groups())
            return x1 - x0, y1 - y0
        parent = _PARENT.search(body)
        assert parent, "a page with no MediaBox and no parent"
        return box(objects[int(parent.group(1))])

    return [box(body) for body in objects.values() if _PAGE.search(body)]


@pytest.fixture(scope="module")
def profile(tmp_path_factory):
    """One LibreOffice user profile for the module: making a new one costs seconds a run (each
    test process gets its own, so runs in parallel never share one)."""
    return tmp_path_factory.mktemp("lo-profile")


def to_pdf(paths, tmp_path, profile) -> dict[str, bytes]:
    """Each workbook printed to PDF by LibreOffice (one run for them all), by file stem."""
    out = tmp_path / "pdf"
    result = subprocess.run(
        [SOFFICE, f"-env:UserInstallation=file://{profile}", "--headless", "--convert-to", "pdf",
         "--outdir", str(out), *map(str, paths)],
        capture_output=True, text=True, timeout=600)
    pdfs = {}
    for path in paths:
        pdf = out / (path.stem + ".pdf")
        assert result.returncode == 0 and pdf.exists(), result.stdout + result.stderr
        pdfs[path.stem] = pdf.read_bytes()
    return pdfs


def assert_prints_on_a4_landscape(name: str, pdf: bytes, most: int) -> None:
    sizes = page_sizes(pdf)
    assert 1 <= len(sizes) <= most, f"{name} prints on {len(sizes)} pages (at most {most})"
    for n, (width, height) in enumerate(sizes, start=1):
        assert abs(width - A4_LANDSCAPE[0]) < 2 and abs(height - A4_LANDSCAPE[1]) < 2, \
            f"{name}, page {n}: {width:.0f} x {height:.0f} points, not A4 landscape"


def test_every_kind_of_workbook_opens_and_prints_on_a4_landscape(tmp_path, run, profile):
    """A register, a template, a batch summary and a portfolio of the samples (the rated one
    too), an ATRS record, each sample register and a register on 4x4 scales: printed by one
    LibreOffice run, since its start-up is most of the cost."""
    assert len(SAMPLES) >= 3
    register = tmp_path / "register.xlsx"
    assert run("assess", "--answers", SAMPLE, "--no-input", "-o", register).exit_code == 0
    template = tmp_path / "template.xlsx"
    assert run("template", "-o", template).exit_code == 0
    batch_out = tmp_path / "batch"
    assert run("batch", ROOT / "sample_outputs", "-o", batch_out, "--jobs", "1", "--quiet").exit_code == 0
    portfolio = tmp_path / "portfolio.xlsx"
    assert run("portfolio", ROOT / "sample_outputs", "-o", portfolio, "--quiet").exit_code == 0
    record = tmp_path / "atrs.xlsx"
    assert run("atrs", SAMPLE, "-o", record).exit_code == 0
    four = mini_answers()  # a questionnaire on 4x4 scales: its formulas and heat maps on other sizes
    four["questionnaire"]["id"] = "mini-4x4"
    register_4x4 = tmp_path / "register-4x4.xlsx"
    assert run("assess", "-q", FIXTURES / "mini-4x4.yaml", "--answers", write_yaml(tmp_path / "four.yaml", four),
               "--no-input", "-o", register_4x4).exit_code == 0
    copies = []
    for sample in SAMPLES:  # copied: LibreOffice names its PDF after the file, in a folder of ours
        copy = tmp_path / sample.name
        copy.write_bytes(sample.read_bytes())
        copies.append(copy)
    made = [register, template, batch_out / "batch-summary.xlsx", portfolio, record]
    pdfs = to_pdf(made + copies + [register_4x4], tmp_path, profile)
    kinds = {copy.stem: "register" for copy in copies + [register_4x4]} | {path.stem: path.stem for path in made}
    assert set(pdfs) == set(kinds)
    for name, pdf in pdfs.items():
        assert_prints_on_a4_landscape(name, pdf, MOST_PAGES[kinds[name]])


def test_page_sizes_reads_inherited_media_boxes():
    pdf = (b"1 0 obj<</Type/Pages/Kids[2 0 R]/MediaBox[0 0 841.89 595.28]>>endobj "
           b"2 0 obj<</Type/Page/Parent 1 0 R>>endobj 3 0 obj<</Type/Page/MediaBox[0 0 595 842]>>endobj")
    assert page_sizes(pdf) == [(841.89, 595.28), (595.0, 842.0)]
