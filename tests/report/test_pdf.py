"""The PDF: page 1 gives the verdict, the flags and the key figures; every section is reachable;
long lists stay capped; hostile text stays text and nothing is fetched or embedded; the same
report gives the same bytes; WeasyPrint has nothing to warn about."""

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

from lendcheck.formatting import money, ratio, share
from lendcheck.render.filters import metric_label, untrusted
from lendcheck.render.html import DRILL_CAP, VERDICT_FLAGS, Paper, render_html
from lendcheck.render.pdf import CHART_URL_PREFIX, render_pdf
from lendcheck.report import Report, build_report
from lendcheck.snapshot import load_snapshot
from lendcheck.xero import fetch_plan as fp
from tests.corpus.cases import manifest, save_manifest
from tests.report.conftest import SAMPLES, RenderedSamples, edit_in_place, edit_sample

#: One pytest-xdist worker takes this module (``make test`` runs ``--dist loadgroup``): its
#: tests share the samples' PDFs, which another worker would render again.
pytestmark = pytest.mark.xdist_group("sample-pdfs")


def _text(pdf: bytes) -> str:
    reader = PdfReader(io.BytesIO(pdf))
    return "\n".join(page.extract_text() for page in reader.pages)


def _flat(text: str) -> str:
    # Table cells wrap long values; compare without white space.
    return re.sub(r"\s+", "", text)


def test_pdf_shows_applicant_and_key_figures(cafe_report: Report, cafe_pdf: bytes) -> None:
    text = _text(cafe_pdf)
    pnl = cafe_report.financials.profit_and_loss.current
    bs = cafe_report.financials.balance_sheet.current
    overall = cafe_report.bank.overall
    assert "Harbour Cafe Ltd" in text
    assert "31 October 2026" in text
    for figure in (
        money(pnl.revenue),
        money(pnl.net_profit),
        money(bs.cash),
        share(pnl.net_margin),
        share(overall.reconciled_share_by_count),
    ):
        assert figure in text, figure
    flat = _flat(text)
    assert cafe_report.report_id in flat
    assert cafe_report.inputs.input_digest in flat
    assert cafe_report.policy.sha256 in flat


def test_pdf_metadata_and_pages(cafe_pdf: bytes) -> None:
    reader = PdfReader(io.BytesIO(cafe_pdf))
    assert reader.metadata.title == "Credit report: Harbour Cafe Ltd as of 2026-10-31"
    assert reader.metadata.creation_date.date().isoformat() == "2026-10-31"
    assert 5 < len(reader.pages) < 40
    page2 = reader.pages[1].extract_text()
    assert "Page 2 of" in page2
    assert "Harbour Cafe Ltd" in page2 and "2026-10-31" in page2  # running header


def _page1(pdf: bytes) -> str:
    return PdfReader(io.BytesIO(pdf)).pages[0].extract_text()


def test_page_one_is_the_verdict(cafe_report: Report, cafe_pdf: bytes) -> None:
    page1 = _page1(cafe_pdf)
    verdict = cafe_report.verdict
    assert "Overall grade" in page1.replace("OVERALL GRADE", "Overall grade")
    assert re.search(rf"\b{verdict.overall.grade}\b", page1)
    assert re.search(rf"\b{verdict.data_confidence.grade}\b", page1)
    for label in (
        "REVENUE",
        "NET MARGIN",
        "CASH",
        "CURRENT RATIO",
        "RECONCILED LINES",
        "FEED-VERIFIED COVERAGE",
        "DATA CONFIDENCE SCORE",
        "DSCR",
    ):
        assert label in page1, label
    assert "Period" in page1 and "2025-11-01 to 2026-10-31" in page1
    # the verdict fits on page 1: the contents start page 2
    assert "Contents" in PdfReader(io.BytesIO(cafe_pdf)).pages[1].extract_text()


@pytest.fixture(scope="module")
def kowhai_report(samples: RenderedSamples) -> Report:
    return samples.report("kowhai-builders")


@pytest.fixture(scope="module")
def kowhai_pdf(samples: RenderedSamples) -> bytes:
    return samples.pdf("kowhai-builders")


def test_flags_show_on_page_one_with_their_evidence(
    kowhai_report: Report, kowhai_pdf: bytes
) -> None:
    flags = kowhai_report.verdict.flags
    assert any(f.severity == "red" for f in flags)
    page1 = _flat(_page1(kowhai_pdf))
    assert "RED" in page1
    for flag in flags[: VERDICT_FLAGS["A4"]]:
        assert _flat(untrusted(flag.message, 220)) in page1, flag.rule_id
        for name in flag.evidence:
            assert _flat(metric_label(name)) in page1
    if len(flags) > VERDICT_FLAGS["A4"]:
        assert f"{VERDICT_FLAGS['A4']}of{len(flags)}flagsshown" in page1
    assert "Checks at a glance" in _page1(kowhai_pdf)  # the verdict page stays one page
    # every flag, with its measured figure in words, is in section 1; its rule ID and the
    # figure's report.json path are only in Appendix B and report.json
    pages = [page.extract_text() for page in PdfReader(io.BytesIO(kowhai_pdf)).pages]
    drill = next(i for i, page in enumerate(pages) if "Appendix A: statement lines" in page[:80])
    analyst, appendices = _flat("".join(pages[:drill])), _flat("".join(pages[drill:]))
    for flag in flags:
        assert _flat(metric_label(flag.metric)) in analyst
        assert _flat(flag.metric) not in analyst.replace("\u200b", "")
        assert flag.rule_id in appendices and flag.rule_id not in analyst


def test_every_link_stays_inside_the_document(kowhai_pdf: bytes) -> None:
    reader = PdfReader(io.BytesIO(kowhai_pdf))
    raw = kowhai_pdf.decode("latin-1")
    assert "/URI" not in raw and "/Launch" not in raw and "/GoToR" not in raw
    annots = reader.pages[0].get("/Annots") or []
    links = [a.get_object() for a in annots]
    assert len(links) >= 8  # the key figures and the flags point to their sections
    assert all(link["/Subtype"] == "/Link" for link in links)
    # key figures and flags say on which page their section is
    assert re.search(r"see p\. \d+", _page1(kowhai_pdf))


def test_bank_accounts_one_by_one_with_cadence_and_cross_check(
    kowhai_report: Report, kowhai_pdf: bytes
) -> None:
    text = _text(kowhai_pdf)
    flat = _flat(text)
    for n, acc in enumerate(kowhai_report.bank.accounts, start=1):
        assert _flat(f"Account #{n}: {acc.bank_account_name}") in flat
    assert _flat("Xero calls CashValidation figures as at a past system date estimates") in flat
    assert "Cross-check with Xero's CashValidation" in text
    assert "Ledger minus bank" in text
    for acc in kowhai_report.bank.accounts:
        assert money(acc.ledger_vs_bank.ledger_minus_bank) in text
    point = next(
        p for p in kowhai_report.bank.accounts[0].cadence.points if p.unreconciled_lines is not None
    )
    assert point.month_end.isoformat() in text


def test_drill_back_lists_are_capped_and_point_to_report_json(
    kowhai_report: Report, samples: RenderedSamples
) -> None:
    rows = kowhai_report.bank.oldest_unreconciled_lines
    assert len(rows) > DRILL_CAP  # the stale sample has hundreds
    html = samples.html("kowhai-builders")
    drill = html[html.index('id="drill"') : html.index('id="provenance"')]
    oldest = drill[drill.index('id="drill-oldest"') : drill.index('id="drill-manual"')]
    assert oldest.count("<tr>") == DRILL_CAP + 1  # header row + capped lines
    assert f"{DRILL_CAP} of {len(rows):,} lines shown" in oldest
    assert "report.json holds every line" in drill
    for line in rows[:DRILL_CAP]:
        assert line.statement_line_id in oldest
    assert rows[DRILL_CAP].statement_line_id not in oldest


def test_same_report_same_pdf_bytes(samples: RenderedSamples) -> None:
    # The smallest sample, drawn and rendered again from its report in this process.
    report = samples.report("fernleaf-studio")
    assert render_pdf(render_html(report), report.as_of) == samples.pdf("fernleaf-studio")


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
    text = _text(pdf)
    flat = _flat(text)
    assert _flat("</td><img src=x>") in flat
    assert _flat('<link rel="attachment" href') in flat
    assert "PAYEEexe.pdf" in flat
    assert "root:x:0:0" not in text
    assert "\u202e" not in text


def test_paper_size(samples: RenderedSamples) -> None:
    assert "size: letter;" in samples.html("kowhai-builders", "Letter")
    assert "size: A4;" in samples.html("kowhai-builders")
    pdf = samples.pdf("kowhai-builders", "Letter")
    reader = PdfReader(io.BytesIO(pdf))
    box = reader.pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (612, 792)
    # the shorter page still holds the whole verdict of the sample with the most flags
    assert "Checks at a glance" in reader.pages[0].extract_text()
    assert reader.pages[1].extract_text().lstrip().startswith("Contents")


@pytest.mark.parametrize("paper", ["A4", "Letter"])
@pytest.mark.parametrize(
    "sample",
    sorted(p.name for p in SAMPLES.iterdir() if (p / "manifest.json").is_file()),
)
def test_every_sample_keeps_the_verdict_to_page_one(
    sample: str, paper: Paper, samples: RenderedSamples
) -> None:
    report = samples.report(sample)
    reader = PdfReader(io.BytesIO(samples.pdf(sample, paper)))
    # WeasyPrint had nothing to warn about (CSS it ignores, a resource refused)
    assert samples.warnings[sample, paper] == []
    assert len(reader.pages) < 40
    page1, page2 = (reader.pages[i].extract_text() for i in (0, 1))
    assert "Checks at a glance" in page1  # the last block of the verdict page
    assert page2.lstrip().startswith("Contents")
    # one page per bank account: its heading and its last block (the cadence) on one page
    texts = [page.extract_text() for page in reader.pages[2:]]
    for n in range(1, len(report.bank.accounts) + 1):
        pages = [t for t in texts if f"Account #{n}: " in t]
        assert len(pages) == 1, (sample, paper, n)
        assert "Reconciliation cadence" in pages[0], (sample, paper, n)


def test_every_sample_renders_every_section(samples: RenderedSamples) -> None:
    for sample in sorted(p for p in SAMPLES.iterdir() if (p / "manifest.json").is_file()):
        report = samples.report(sample.name)
        html = samples.html(sample.name)
        for anchor in (
            "verdict",
            "flags",
            "financials",
            "bank",
            "customers",
            "integrity",
            "drill",
            "provenance",
            "method",
        ):
            assert f'id="{anchor}"' in html, (sample.name, anchor)
        assert html.count('<section class="account') == len(report.bank.accounts)
        assert ratio(report.bank.overall.data_confidence.data_confidence_score) in html


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


UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")


def _analyst_and_appendices(pdf: bytes) -> tuple[str, str]:
    """The text of the analyst pages (up to Appendix A) and of the appendices."""
    pages = [page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages]
    drill = next(i for i, page in enumerate(pages) if "Appendix A: statement lines" in page[:80])
    return "".join(pages[:drill]), "".join(pages[drill:])


def test_no_identifiers_on_the_analyst_pages(kowhai_report: Report, kowhai_pdf: bytes) -> None:
    analyst, appendices = _analyst_and_appendices(kowhai_pdf)
    assert UUID.findall(analyst) == []
    assert "_" not in analyst  # no JSON names (report.json paths, rule IDs, field names)
    for account in kowhai_report.bank.accounts:  # the IDs are in Appendix B
        assert account.bank_account_id in appendices
    assert "ASB Business Cheque" in analyst


def test_a_balance_flag_names_its_cause(kowhai_report: Report, kowhai_pdf: bytes) -> None:
    """kowhai-builders' red "only 33.1 % of statement balance checks hold": the failures are
    Xero's running balance against the bank's, and five duplicate lines shift it."""
    analyst = _flat(_analyst_and_appendices(kowhai_pdf)[0])
    cheque = kowhai_report.bank.accounts[0]
    assert cheque.bank_account_name == "ASB Business Cheque"
    assert len(cheque.continuity.indicative_mismatches) == 585
    assert _flat("Why: 585 of the failing checks are bank balances that differ from Xero's") in (
        analyst
    )
    assert _flat("The account holds 5 duplicate statement lines") in analyst
    assert _flat("2024-11-29 JACK THOMPSON NZD -4,617.09") in analyst
    shown = kowhai_report.verdict.flags[: VERDICT_FLAGS["A4"]]
    if any(f.metric == "continuity.chain_integrity" for f in shown):  # page 1 says it briefly
        assert _flat("585 bank balances differ from Xero's running balance") in _flat(
            _page1(kowhai_pdf)
        )


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
    pdf = render_pdf(render_html(report), report.as_of)
    page1 = _flat(_page1(pdf))
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
        assert _flat(text) in page1, text
    for engineering in ("/CashValidation", "asAtSystemDate", "BankStatementsPlus", "_"):
        assert engineering not in page1, engineering
    appendices = _flat(_analyst_and_appendices(pdf)[1])
    assert "asAtSystemDate=2025-10-31" in appendices


def test_a_clean_applicant_fills_its_pages(cafe_pdf: bytes) -> None:
    pages = [page.extract_text() for page in PdfReader(io.BytesIO(cafe_pdf)).pages]
    assert "Profit and loss" in pages[1]  # the financial statements follow the short section 1
    [provenance] = [i for i, page in enumerate(pages) if "API responses (29)" in page]
    assert len(re.findall(r"\b[0-9a-f]{64}\b", pages[provenance])) == 29  # one page, complete
    assert len(pages) <= 13  # 11 before main added the two pages of the behaviour section


def test_appendix_c_cites_only_docs_that_exist(cafe_pdf: bytes) -> None:
    appendices = _analyst_and_appendices(cafe_pdf)[1]
    cited = set(re.findall(r"docs/[\w.-]+\.md", appendices))
    assert cited == {"docs/metrics.md"}
    root = SAMPLES.parent
    assert all((root / path).is_file() for path in cited)
