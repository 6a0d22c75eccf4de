"""The samples' PDF on A4: page 1 gives the verdict, the flags and the key figures; every
section is reachable; long lists stay capped; the same report gives the same bytes; WeasyPrint
has nothing to warn about. Letter paper is in test_pdf_letter.py, PDFs of edited snapshots
(hostile text, loan terms, missing calls) in test_pdf_edited.py: ``make test`` gives each module
to one pytest-xdist worker, and the three share the PDF work between the two workers."""

from __future__ import annotations

import io
import re

import pytest
from pypdf import PdfReader

from lendcheck.formatting import money, ratio, share
from lendcheck.render.filters import metric_label, untrusted
from lendcheck.render.html import DRILL_CAP, VERDICT_FLAGS, render_html
from lendcheck.render.pdf import render_pdf
from lendcheck.report import Report
from tests.report.conftest import (
    SAMPLE_FOLDERS,
    SAMPLES,
    RenderedSamples,
    analyst_and_appendices,
    assert_verdict_keeps_to_page_one,
    squash,
)

#: Each sample's report, HTML and PDF are made once per module (the RenderedSamples fixture):
#: the long end-to-end part of the suite, started first by ``make test``.
pytestmark = pytest.mark.slow


def test_pdf_shows_applicant_and_key_figures(
    cafe_report: Report, cafe_pages: tuple[str, ...]
) -> None:
    text = "\n".join(cafe_pages)
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
    flat = squash(text)
    assert cafe_report.report_id in flat
    assert cafe_report.inputs.input_digest in flat
    assert cafe_report.policy.sha256 in flat


def test_pdf_metadata_and_pages(cafe_pdf: bytes, cafe_pages: tuple[str, ...]) -> None:
    reader = PdfReader(io.BytesIO(cafe_pdf))
    assert reader.metadata.title == "Credit report: Harbour Cafe Ltd as of 2026-10-31"
    assert reader.metadata.creation_date.date().isoformat() == "2026-10-31"
    assert 5 < len(reader.pages) < 40
    page2 = cafe_pages[1]
    assert "Page 2 of" in page2
    assert "Harbour Cafe Ltd" in page2 and "2026-10-31" in page2  # running header


def test_page_one_is_the_verdict(cafe_report: Report, cafe_pages: tuple[str, ...]) -> None:
    page1 = cafe_pages[0]
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
    assert "Contents" in cafe_pages[1]


@pytest.fixture(scope="module")
def kowhai_report(samples: RenderedSamples) -> Report:
    return samples.report("kowhai-builders")


@pytest.fixture(scope="module")
def kowhai_pdf(samples: RenderedSamples) -> bytes:
    return samples.pdf("kowhai-builders")


@pytest.fixture(scope="module")
def kowhai_pages(samples: RenderedSamples) -> tuple[str, ...]:
    return samples.pages("kowhai-builders")


def test_flags_show_on_page_one_with_their_evidence(
    kowhai_report: Report, kowhai_pages: tuple[str, ...]
) -> None:
    flags = kowhai_report.verdict.flags
    assert any(f.severity == "red" for f in flags)
    page1 = squash(kowhai_pages[0])
    assert "RED" in page1
    for flag in flags[: VERDICT_FLAGS["A4"]]:
        assert squash(untrusted(flag.message, 220)) in page1, flag.rule_id
        for name in flag.evidence:
            assert squash(metric_label(name)) in page1
    if len(flags) > VERDICT_FLAGS["A4"]:
        assert f"{VERDICT_FLAGS['A4']}of{len(flags)}flagsshown" in page1
    assert "Checks at a glance" in kowhai_pages[0]  # the verdict page stays one page
    # every flag, with its measured figure in words, is in section 1; its rule ID and the
    # figure's report.json path are only in Appendix B and report.json
    analyst, appendices = map(squash, analyst_and_appendices(kowhai_pages))
    for flag in flags:
        assert squash(metric_label(flag.metric)) in analyst
        assert squash(flag.metric) not in analyst.replace("\u200b", "")
        assert flag.rule_id in appendices and flag.rule_id not in analyst


def test_every_link_stays_inside_the_document(
    kowhai_pdf: bytes, kowhai_pages: tuple[str, ...]
) -> None:
    reader = PdfReader(io.BytesIO(kowhai_pdf))
    raw = kowhai_pdf.decode("latin-1")
    assert "/URI" not in raw and "/Launch" not in raw and "/GoToR" not in raw
    annots = reader.pages[0].get("/Annots") or []
    links = [a.get_object() for a in annots]
    assert len(links) >= 8  # the key figures and the flags point to their sections
    assert all(link["/Subtype"] == "/Link" for link in links)
    # key figures and flags say on which page their section is
    assert re.search(r"see p\. \d+", kowhai_pages[0])


def test_bank_accounts_one_by_one_with_cadence_and_cross_check(
    kowhai_report: Report, kowhai_pages: tuple[str, ...]
) -> None:
    text = "\n".join(kowhai_pages)
    flat = squash(text)
    for n, acc in enumerate(kowhai_report.bank.accounts, start=1):
        assert squash(f"Account #{n}: {acc.bank_account_name}") in flat
    assert squash("Xero calls CashValidation figures as at a past system date estimates") in flat
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


@pytest.mark.parametrize("sample", SAMPLE_FOLDERS)
def test_every_sample_keeps_the_verdict_to_page_one(sample: str, samples: RenderedSamples) -> None:
    assert_verdict_keeps_to_page_one(samples, sample, "A4")


def test_every_sample_renders_every_section(samples: RenderedSamples) -> None:
    for name in SAMPLE_FOLDERS:
        report = samples.report(name)
        html = samples.html(name)
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
            assert f'id="{anchor}"' in html, (name, anchor)
        assert html.count('<section class="account') == len(report.bank.accounts)
        assert ratio(report.bank.overall.data_confidence.data_confidence_score) in html


UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")


def test_no_identifiers_on_the_analyst_pages(
    kowhai_report: Report, kowhai_pages: tuple[str, ...]
) -> None:
    analyst, appendices = analyst_and_appendices(kowhai_pages)
    assert UUID.findall(analyst) == []
    assert "_" not in analyst  # no JSON names (report.json paths, rule IDs, field names)
    for account in kowhai_report.bank.accounts:  # the IDs are in Appendix B
        assert account.bank_account_id in appendices
    assert "ASB Business Cheque" in analyst


def test_a_balance_flag_names_its_cause(
    kowhai_report: Report, kowhai_pages: tuple[str, ...]
) -> None:
    """kowhai-builders' red "only 33.1 % of statement balance checks hold": the failures are
    Xero's running balance against the bank's, and five duplicate lines shift it."""
    analyst = squash(analyst_and_appendices(kowhai_pages)[0])
    cheque = kowhai_report.bank.accounts[0]
    assert cheque.bank_account_name == "ASB Business Cheque"
    assert len(cheque.continuity.indicative_mismatches) == 585
    assert squash("Why: 585 of the failing checks are bank balances that differ from Xero's") in (
        analyst
    )
    assert squash("The account holds 5 duplicate statement lines") in analyst
    assert squash("2024-11-29 JACK THOMPSON NZD -4,617.09") in analyst
    shown = kowhai_report.verdict.flags[: VERDICT_FLAGS["A4"]]
    if any(f.metric == "continuity.chain_integrity" for f in shown):  # page 1 says it briefly
        assert squash("585 bank balances differ from Xero's running balance") in squash(
            kowhai_pages[0]
        )


def test_a_clean_applicant_fills_its_pages(cafe_pages: tuple[str, ...]) -> None:
    pages = cafe_pages
    assert "Profit and loss" in pages[1]  # the financial statements follow the short section 1
    [provenance] = [i for i, page in enumerate(pages) if "API responses (29)" in page]
    assert len(re.findall(r"\b[0-9a-f]{64}\b", pages[provenance])) == 29  # one page, complete
    assert len(pages) <= 13  # 11 before main added the two pages of the behaviour section


def test_appendix_c_cites_only_docs_that_exist(cafe_pages: tuple[str, ...]) -> None:
    appendices = analyst_and_appendices(cafe_pages)[1]
    cited = set(re.findall(r"docs/[\w.-]+\.md", appendices))
    assert cited == {"docs/metrics.md"}
    root = SAMPLES.parent
    assert all((root / path).is_file() for path in cited)
