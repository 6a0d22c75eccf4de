"""PDFs of edited snapshots: hostile text stays text and nothing is fetched or embedded; loan
terms put the DSCR on page 1; missing calls are said on page 1 as what was lost. The samples'
own PDFs are in test_pdf.py (A4) and test_pdf_letter.py."""

from __future__ import annotations

import base64
import io
import json
import logging
import re
import shutil
from pathlib import Path
from typing import Any

import pytest
from pypdf import PdfReader
from pypdf.generic import IndirectObject

from lendcheck.formatting import money, ratio
from lendcheck.render.html import render_html
from lendcheck.render.pdf import CHART_URL_PREFIX, render_pdf
from lendcheck.report import Report, build_report
from lendcheck.snapshot import load_snapshot
from lendcheck.xero import fetch_plan as fp
from tests.corpus.cases import manifest, save_manifest
from tests.report.conftest import (
    SAMPLES,
    analyst_and_appendices,
    edit_in_place,
    edit_sample,
    page_texts,
    squash,
)

#: Each test renders its own PDF: the long end-to-end part of the suite, started first by
#: ``make test``.
pytestmark = pytest.mark.slow


HOSTILE = [
    '<link rel="attachment" href="file:///etc/passwd">',
    "</td><img src=x>",
    "PAYEE \u202eexe.pdf",
    "<script>alert(1)</script>",
    '" style="background:url(http://attacker.example/x)',
    '<svg onload=alert(1)><image href="file:///etc/hosts"/></svg>',
    "x" * 10_000,
]


@pytest.fixture(scope="module")
def hostile_report(tmp_path_factory: pytest.TempPathFactory) -> Report:
    def plant_lines(data: dict) -> None:
        data["bankAccountName"] = HOSTILE[0]
        data["statements"][0]["importSource"] = HOSTILE[4]
        lines = [line for st in data["statements"] for line in st["statementLines"]]
        for line, text in zip(lines, HOSTILE, strict=False):
            line["payee"] = text
            line["reference"] = text
            line["isReconciled"] = False  # so they appear in the drill-back appendix
            line["isDeleted"] = False

    def plant_contacts(data: dict) -> None:
        for contact, text in zip(data["contacts"], HOSTILE, strict=False):
            contact["name"] = text

    target = tmp_path_factory.mktemp("hostile") / "snap"
    edit_sample(SAMPLES / "fernleaf-studio", target, plant_lines, fp.BANK_STATEMENTS)
    edit_in_place(target, fp.CONTACTS_REVENUE, plant_contacts)
    manifest = json.loads((target / "manifest.json").read_text())
    manifest["tenant_name"] = HOSTILE[1] + " \u202eLtd"
    (target / "manifest.json").write_text(json.dumps(manifest))
    return build_report(load_snapshot(target))


@pytest.fixture(scope="module")
def hostile_html(hostile_report: Report) -> str:
    return render_html(hostile_report)


def test_hostile_text_is_escaped_in_html(hostile_html: str) -> None:
    html = hostile_html
    assert '<link rel="attachment"' not in html
    assert "<img src=x>" not in html
    assert "<script>" not in html and "<svg onload" not in html
    assert 'style="background:url(http://attacker' not in html
    assert "attacker.example" not in re.sub(r">[^<]*<", "><", html)  # only ever in text nodes
    # shown literally (escaped), cut to the drill-back cell's 30 characters
    assert "&lt;link rel=&#34;attachment&#34; href=&#34;…" in html
    assert "&lt;/td&gt;&lt;img src=x&gt;" in html
    assert "\u202e" not in html
    assert "x" * 201 not in html  # capped


def test_hostile_text_reaches_no_attribute_or_chart(hostile_html: str) -> None:
    html = hostile_html
    attributes = re.findall(r'\s[\w:-]+="([^"]*)"', re.sub(r">[^<]*<", "><", html))
    charts = [v for v in attributes if v.startswith(CHART_URL_PREFIX)]
    assert len(charts) >= 4
    for value in attributes:
        if value.startswith(CHART_URL_PREFIX):
            value = base64.b64decode(value.removeprefix(CHART_URL_PREFIX)).decode()
            assert "PAYEE" not in value and "attachment" not in value
        assert "passwd" not in value and "attacker" not in value and "alert" not in value


def test_hostile_text_is_plain_text_in_pdf(
    hostile_html: str, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.WARNING):
        pdf = render_pdf(hostile_html)
    assert [r.getMessage() for r in caplog.records] == []  # the fetcher refused nothing
    raw = pdf.decode("latin-1")
    assert "/EmbeddedFile" not in raw and "/FileAttachment" not in raw
    assert "/URI" not in raw and "/JavaScript" not in raw
    reader = PdfReader(io.BytesIO(pdf))
    for page in reader.pages:
        xobjects = page.get("/Resources", {}).get("/XObject", {})
        for ref in xobjects.values():
            obj = ref.get_object() if isinstance(ref, IndirectObject) else ref
            assert obj.get("/Subtype") != "/Image"
    text = "\n".join(page_texts(pdf))
    flat = squash(text)
    assert squash("</td><img src=x>") in flat
    assert squash('<link rel="attachment" href') in flat
    assert "PAYEEexe.pdf" in flat
    assert "root:x:0:0" not in text
    assert "\u202e" not in text


def test_loan_terms_put_dscr_on_page_one_and_keep_financials_to_a_page() -> None:
    from decimal import Decimal

    from lendcheck.metrics.loan import LoanTerms

    terms = LoanTerms(amount=Decimal("150000"), term_months=60, annual_rate=Decimal("0.085"))
    report = build_report(load_snapshot(SAMPLES / "northgate-haulage"), loan=terms)
    loan = report.financials.loan
    assert loan is not None and loan.dscr is not None
    reader = PdfReader(io.BytesIO(render_pdf(render_html(report), report.as_of)))
    page1 = reader.pages[0].extract_text()
    assert ratio(loan.dscr) in page1 and f"bank-verified {ratio(loan.bank_verified_dscr)}" in page1
    financials = reader.pages[2].extract_text()
    assert "Loan and debt service" in financials and money(loan.monthly_repayment) in financials
    # section 3 follows the financial statements (on their last page, or the next one's top)
    after = reader.pages[2].extract_text() + reader.pages[3].extract_text()[:200]
    assert "3 Bank accounts and reconciliation" in after


def test_missing_calls_are_said_as_what_was_lost(tmp_path: Path) -> None:
    """harbour-cafe without its cash-flow statements, its month-end CashValidations and its
    reconciliation summary and balance sheet at the report date: page 1 says what each loss
    costs and why its bank checks are not checked, in words; the calls are in Appendix B."""
    snap = tmp_path / "snap"
    shutil.copytree(SAMPLES / "harbour-cafe", snap)
    listing = manifest(snap)

    def gone(call: dict[str, Any]) -> bool:
        endpoint, params = call["endpoint"], call["params"]
        return endpoint in (fp.CASHFLOW, fp.CASH_VALIDATION) or (
            endpoint == fp.BALANCE_SHEET and params["balanceDate"] == "2026-10-31"
        )

    listing["calls"] = [c for c in listing["calls"] if not gone(c)]
    save_manifest(snap, listing)
    report = build_report(load_snapshot(snap))
    pages = page_texts(render_pdf(render_html(report), report.as_of))
    page1 = squash(pages[0])
    for text in (
        "No cash-flow statement: DSCR uses an EBITDA estimate.",
        "No month-end history from Xero: reconciliation cadence not shown (12 requests).",
        "No balance sheet at 2026-10-31: cash, ratios, debt and debtor days not shown.",
        "No reconciliation summary from Xero at the report date",
        f"The {len(report.inputs.missing)} requests behind this list are in Appendix B",
        "Xero's own reconciliation figures agree with the statement lines NOT CHECKED Xero did "
        "not supply its reconciliation summary at the report date",
        "Accounts whose ledger cash exceeds the bank balance NOT CHECKED Xero did not supply "
        "its reconciliation summary at the report date",
    ):
        assert squash(text) in page1, text
    for engineering in ("/CashValidation", "asAtSystemDate", "BankStatementsPlus", "_"):
        assert engineering not in page1, engineering
    appendices = squash(analyst_and_appendices(pages)[1])
    assert "asAtSystemDate=2025-10-31" in appendices
