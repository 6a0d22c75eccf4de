"""The PDF: the analyst sees the applicant and key figures; hostile text stays text; the same
report gives the same bytes; WeasyPrint has nothing to warn about."""

from __future__ import annotations

import io
import logging
import re
from pathlib import Path

import pytest
from pypdf import PdfReader

from lendcheck import fetch_plan as fp
from lendcheck.formatting import money, share
from lendcheck.render.html import render_html
from lendcheck.render.pdf import render_pdf
from lendcheck.report import Report, build_report
from lendcheck.snapshot import load_snapshot
from tests.report.conftest import SAMPLES, edit_sample


def _text(pdf: bytes) -> str:
    reader = PdfReader(io.BytesIO(pdf))
    return "\n".join(page.extract_text() for page in reader.pages)


def test_pdf_shows_applicant_and_key_figures(cafe_report: Report, cafe_pdf: bytes) -> None:
    text = _text(cafe_pdf)
    pnl = cafe_report.financials.profit_and_loss.current
    bs = cafe_report.financials.balance_sheet.current
    overall = cafe_report.bank.overall
    assert "Harbour Cafe Ltd" in text
    assert "31 October 2026" in text
    for figure in (money(pnl.revenue), money(pnl.net_profit), money(bs.cash),
                   share(pnl.net_margin), share(overall.reconciled_share_by_count)):
        assert figure in text, figure
    flat = re.sub(r"\s+", "", text)  # long hex values wrap inside their table cells
    assert cafe_report.report_id in flat
    assert cafe_report.inputs.input_digest in flat


def test_pdf_metadata_and_pages(cafe_pdf: bytes) -> None:
    reader = PdfReader(io.BytesIO(cafe_pdf))
    assert reader.metadata.title == "Credit report: Harbour Cafe Ltd as of 2026-10-31"
    assert reader.metadata.creation_date.date().isoformat() == "2026-10-31"
    assert 5 < len(reader.pages) < 40
    assert "Page 2 of" in reader.pages[1].extract_text()


def test_same_report_same_pdf_bytes(cafe_report: Report, cafe_pdf: bytes) -> None:
    assert render_pdf(render_html(cafe_report), cafe_report.as_of) == cafe_pdf


def test_weasyprint_has_nothing_to_warn_about(
    cafe_report: Report, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.WARNING):
        render_pdf(render_html(cafe_report, paper="Letter"), cafe_report.as_of)
    assert [r.getMessage() for r in caplog.records] == []


HOSTILE = [
    '<link rel="attachment" href="file:///etc/passwd">',
    "</td><img src=x>",
    "PAYEE \u202eexe.pdf",
    "<script>alert(1)</script>",
    "x" * 10_000,
]


@pytest.fixture(scope="module")
def hostile_report(tmp_path_factory: pytest.TempPathFactory) -> Report:
    def plant(data: dict) -> None:
        lines = [line for st in data["statements"] for line in st["statementLines"]]
        for line, text in zip(lines, HOSTILE, strict=False):
            line["payee"] = text
            line["reference"] = text
            line["isReconciled"] = False  # so they appear in the drill-back appendix
            line["isDeleted"] = False

    target = tmp_path_factory.mktemp("hostile") / "snap"
    edit_sample(SAMPLES / "fernleaf-studio", target, plant, fp.BANK_STATEMENTS)
    return build_report(load_snapshot(target))


def test_hostile_text_is_escaped_in_html(hostile_report: Report) -> None:
    html = render_html(hostile_report)
    assert '<link rel="attachment"' not in html
    assert "<img src=x>" not in html
    assert "<script>" not in html
    # shown literally (escaped), cut to the table cell's 40 characters
    assert "&lt;link rel=&#34;attachment&#34; href=&#34;file:///et…" in html
    assert "&lt;/td&gt;&lt;img src=x&gt;" in html
    assert "\u202e" not in html
    assert "x" * 200 not in html  # capped


def test_hostile_text_is_plain_text_in_pdf(hostile_report: Report) -> None:
    pdf = render_pdf(render_html(hostile_report), hostile_report.as_of)
    text = _text(pdf)
    assert "/EmbeddedFile" not in pdf.decode("latin-1")
    assert "/Subtype /Image" not in pdf.decode("latin-1")
    flat = re.sub(r"\s+", "", text)
    assert re.sub(r"\s+", "", "</td><img src=x>") in flat
    assert "PAYEEexe.pdf" in flat
    assert "root:x:0:0" not in text


def test_paper_size(cafe_report: Report) -> None:
    html = render_html(cafe_report, paper="Letter")
    assert "size: letter;" in html
    assert "size: A4;" in render_html(cafe_report)
