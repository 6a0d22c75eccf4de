"""The worked example: every figure of Wren Joinery Ltd's report.json against its hand value.

``tests/golden/wren-joinery`` is a hand-made ``lendcheck-snapshot/1`` (one bank account, eight
statement lines, a P&L, balance sheet, cash flow, trial balance, contacts and CashValidation).
docs/worked-example.md works out each figure below from the raw responses, citing the formula
in docs/metrics.md; the values here are copied from that page, never computed by lendcheck's
code. Loan terms: 6,000.00 over 24 months at 6 % a year.
"""

from __future__ import annotations

import json
from typing import Any

import pytest

from lendcheck.metrics.loan import parse_loan_terms
from lendcheck.render.json_report import render_json
from lendcheck.report import build_report
from lendcheck.snapshot import load_snapshot
from tests.conftest import GOLDEN

SNAPSHOT = GOLDEN
ACCOUNT = "b0000000-0000-4000-8000-000000000090"


@pytest.fixture(scope="module")
def report() -> dict[str, Any]:
    loan = parse_loan_terms("6000", "24", "6")
    built = build_report(load_snapshot(SNAPSHOT), loan=loan)
    return json.loads(render_json(built))


def amounts(section: dict[str, Any]) -> dict[str, str | None]:
    """The section's money figures as their decimal strings (other fields left out)."""
    return {
        k: v["amount"]
        for k, v in section.items()
        if isinstance(v, dict) and set(v) == {"amount", "currency"}
    }


def gbp(value: str) -> dict[str, str]:
    return {"amount": value, "currency": "GBP"}


# -- 1. Applicant and period ------------------------------------------------------------------


def test_applicant_and_period(report: dict[str, Any]) -> None:
    assert report["as_of"] == "2026-10-31"
    assert report["applicant"]["tenant_name"] == "Wren Joinery Ltd"
    # Balance sheet bank 9,920.00 = CashValidation accountBalance 9,920.00 GBP.
    assert report["applicant"]["base_currency"] == "GBP"
    assert report["applicant"]["base_currency_basis"] == "financial_statements"
    assert report["period"] == {
        "start": "2025-11-01",
        "end": "2026-10-31",
        "previous_start": "2024-11-01",
        "previous_end": "2025-10-31",
        "months": 12,
        "statements_from": "2025-11-01",
        "statements_to": "2026-10-31",
    }


# -- 2. Profit and loss ------------------------------------------------------------------------


def test_profit_and_loss_current(report: dict[str, Any]) -> None:
    pnl = report["financials"]["profit_and_loss"]["current"]
    assert amounts(pnl) == {
        "revenue": "12000.00",
        "trading_income": "12000.00",
        "other_income": "0.00",
        "direct_costs": "3500.00",
        "gross_profit": "8500.00",  # 12,000 - 3,500
        "operating_expenses": "3300.00",  # 600 + 300 + 2,400
        "total_expenses": "6800.00",
        "net_profit": "5200.00",
        "depreciation_and_amortisation": "600.00",
        "interest_expense": "300.00",
        "income_tax_expense": "0.00",
        "ebitda": "6100.00",  # 5,200 + 300 + 0 + 600
    }
    assert pnl["gross_margin"] == 0.7083  # 8,500 / 12,000 = 0.708333
    assert pnl["net_margin"] == 0.4333  # 5,200 / 12,000 = 0.433333
    assert pnl["days_in_period"] == 365


def test_profit_and_loss_previous_and_growth(report: dict[str, Any]) -> None:
    pnl = report["financials"]["profit_and_loss"]["previous"]
    figures = amounts(pnl)
    # revenue, direct costs, gross profit, operating expenses (600 + 360 + 2,400), total
    # expenses, net profit, interest, EBITDA (4,140 + 360 + 600)
    names = "revenue direct_costs gross_profit operating_expenses total_expenses net_profit"
    names += " interest_expense ebitda"
    assert [figures[n] for n in names.split()] == [
        "10000.00", "2500.00", "7500.00", "3360.00", "5860.00", "4140.00", "360.00", "5100.00"
    ]  # fmt: skip
    assert pnl["gross_margin"] == 0.75
    assert pnl["net_margin"] == 0.414
    growth = report["financials"]["profit_and_loss"]["growth"]
    assert growth["revenue_growth"] == 0.2  # 12,000 / 10,000 - 1
    assert growth["gross_profit_growth"] == 0.1333  # 8,500 / 7,500 - 1 = 0.133333
    assert growth["net_profit_growth"] == 0.256  # 5,200 / 4,140 - 1 = 0.256039
    assert growth["gross_margin_change"] == -0.0417  # 0.708333 - 0.75
    assert growth["net_margin_change"] == 0.0193  # 0.433333 - 0.414


# -- 3. Balance sheet, ratios, debtor and creditor days ---------------------------------------


def test_balance_sheet_current(report: dict[str, Any]) -> None:
    bs = report["financials"]["balance_sheet"]["current"]
    assert amounts(bs) == {
        "cash": "9920.00",
        "bank_overdrafts": "0.00",
        "accounts_receivable": "1200.00",
        "other_receivables": "0.00",
        "inventory": "0.00",
        "current_assets": "11120.00",  # 9,920 + 1,200
        "non_current_assets": "4800.00",  # 6,000 - 1,200
        "total_assets": "15920.00",
        "accounts_payable": "600.00",
        "other_payables": "0.00",
        "current_liabilities": "1820.00",  # 600 + 1,220
        "non_current_liabilities": "3000.00",
        "current_loans": "0.00",
        "non_current_debt": "3000.00",
        "total_liabilities": "4820.00",
        "total_debt": "3000.00",
        "equity": "11100.00",
        "working_capital": "9300.00",  # 11,120 - 1,820
        "trading_income": "12000.00",
        "direct_costs_and_expenses": "6800.00",
        "short_term_cash_forecast": "600.00",  # 1,200 - 600
    }
    assert bs["current_ratio"] == 6.1099  # 11,120 / 1,820 = 6.109890
    assert bs["quick_ratio"] == 6.1099  # no inventory
    assert bs["debt_to_equity"] == 0.2703  # 3,000 / 11,100 = 0.270270
    assert bs["debtor_days"] == 36.5  # 1,200 / 12,000 x 365
    assert bs["creditor_days"] == 32.21  # 600 / 6,800 x 365 = 32.205882
    assert bs["days_in_period"] == 365
    assert bs["debt_accounts"] == [
        {
            "account_id": "a0000000-0000-4000-8000-000000000900",
            "name": "Bank Loan",
            "reporting_code": "LIA.NCL.LOA",
            "kind": "loan",
            "current": False,
            "amount": gbp("3000.00"),
        }
    ]


def test_balance_sheet_previous(report: dict[str, Any]) -> None:
    bs = report["financials"]["balance_sheet"]["previous"]
    figures = amounts(bs)
    assert figures["cash"] == "5000.00"
    assert figures["current_assets"] == "5000.00"
    assert figures["current_liabilities"] == "500.00"
    assert figures["total_assets"] == "10400.00"
    assert figures["total_liabilities"] == "4500.00"
    assert figures["total_debt"] == "4000.00"
    assert figures["equity"] == "5900.00"
    assert figures["working_capital"] == "4500.00"
    assert figures["short_term_cash_forecast"] == "0.00"
    assert bs["current_ratio"] == 10.0  # 5,000 / 500
    assert bs["quick_ratio"] == 10.0
    assert bs["debt_to_equity"] == 0.678  # 4,000 / 5,900 = 0.677966
    assert bs["debtor_days"] == 0.0  # no receivables at 2025-10-31
    assert bs["creditor_days"] == 0.0


def test_debt_capacity(report: dict[str, Any]) -> None:
    dc = report["financials"]["debt_capacity"]
    assert amounts(dc) == {
        "ebit": "5500.00",  # 6,100 - 600
        "interest_expense": "300.00",
        "total_debt": "3000.00",
        "ebitda": "6100.00",
    }
    assert dc["interest_cover"] == 18.3333  # 5,500 / 300
    assert dc["debt_to_ebitda"] == 0.4918  # 3,000 / 6,100 = 0.491803


# -- 4. Cash flow and runway ------------------------------------------------------------------


def test_cash_flow(report: dict[str, Any]) -> None:
    cf = report["financials"]["cash_flow"]
    assert amounts(cf["current"]) == {
        "operating_activities": "5920.00",
        "investing_activities": "0.00",
        "financing_activities": "-1000.00",
        "operating_receipts": "12800.00",  # 2,000 + 10,800
        "operating_payments": "-6300.00",
        "operating_receipts_on_income_accounts": "2000.00",
        "net_sales_tax": "-580.00",
        "repayment_of_borrowings": "-1000.00",
        "financing_inflows": "0.00",
        "interest_paid": "300.00",
        "interest_paid_in_operating": "300.00",
        "income_tax_paid": "0.00",
        "income_tax_paid_in_operating": "0.00",
        "owner_drawings": "0.00",
        "opening_cash": "5000.00",
        "closing_cash": "9920.00",
        "net_cash_movement": "4920.00",
    }
    assert amounts(cf["previous"])["net_cash_movement"] == "4240.00"
    assert amounts(cf["previous"])["interest_paid"] == "360.00"
    # Runway: the cash grew (4,920.00 with no financing inflow): no burn, no runway. The bank
    # history begins with the first statement on 2025-11-01 (its first line is on the 20th).
    assert cf["runway_basis"] == "cashflow"
    assert cf["runway_net_movement"] == gbp("4920.00")
    assert cf["runway_financing_inflows"] == gbp("0.00")
    assert cf["runway_cash"] == gbp("9920.00")
    assert cf["runway_observed_from"] == "2025-11-01"
    assert cf["runway_months_in_period"] == 12.0
    assert cf["average_monthly_net_outflow"] == gbp("-410.00")  # -(4,920 - 0) / 12
    assert cf["months_of_runway"] is None
    assert cf["not_available"]["months_of_runway"].startswith("cash is not shrinking")


# -- 5. Concentration --------------------------------------------------------------------------


def test_customer_and_supplier_concentration(report: dict[str, Any]) -> None:
    conc = report["financials"]["concentration"]
    customers = conc["customers"]
    assert customers["total"] == gbp("12000.00")
    assert customers["report_total"] == gbp("12000.00")
    assert customers["contact_count"] == 3
    assert customers["top1_share"] == 0.4167  # 5,000 / 12,000 (Acme before Birch by name)
    assert customers["top5_share"] == 1.0
    assert customers["hhi"] == 0.375  # (25 + 25 + 4) / 144
    assert customers["named_coverage"] == 1.0
    assert customers["top1_share_of_report_total"] == 0.4167
    assert customers["coverage_qualification"] is None
    assert [(c["name"], c["amount"]["amount"], c["share"]) for c in customers["top_contacts"]] == [
        ("Acme Fitouts Ltd", "5000.00", 0.4167),
        ("Birch Interiors", "5000.00", 0.4167),
        ("Cedar Cafe", "2000.00", 0.1667),
    ]
    suppliers = conc["suppliers"]
    assert suppliers["total"] == gbp("6200.00")
    assert suppliers["report_total"] == gbp("6800.00")  # + manual journals 600 (depreciation)
    assert suppliers["top1_share"] == 0.5645  # 3,500 / 6,200 = 0.564516
    assert suppliers["hhi"] == 0.4709  # (3,500² + 2,400² + 300²) / 6,200² = 0.470864
    assert suppliers["named_coverage"] == 0.9118  # 6,200 / 6,800 = 0.911765
    assert suppliers["top1_share_of_report_total"] == 0.5147  # 3,500 / 6,800 = 0.514706
    assert conc["total_outstanding"] == gbp("1200.00")
    assert conc["total_outstanding_aged"] == gbp("0.00")
    assert conc["aged_receivables_share"] == 0.0


# -- 6. Bank-to-books ------------------------------------------------------------------------


def test_bank_to_books(report: dict[str, Any]) -> None:
    b2b = report["financials"]["bank_to_books"]
    assert amounts(b2b) == {
        "bank_receipts": "14400.00",  # 4,800 + 6,000 + 2,400 + 1,200
        "own_account_transfers": "0.00",
        "financing_receipts": "0.00",
        "bank_inflows": "14400.00",
        "reconciled_inflows": "13200.00",
        "unreconciled_inflows": "1200.00",
        "bank_verified_receipts": "6000.00",  # the one reconciled feed receipt
        "revenue": "12000.00",
        "revenue_with_sales_tax": "14400.00",  # 12,000 x 1.2
        "bank_inflows_less_revenue": "2400.00",
        "cash_verified_revenue": "13200.00",  # 4,800 + 6,000 + 2,400
    }
    assert b2b["sales_tax_rate"] == 0.2  # VAT credits 2,400 / Sales credits 12,000
    assert b2b["bank_inflows_to_revenue"] == 1.2
    assert b2b["cash_verified_revenue_share"] == 0.9167  # 13,200 / 14,400 = 0.916667
    assert b2b["cash_verified_inflow_share"] == 0.9167
    assert b2b["receipt_lines"] == 4
    assert b2b["reconciled_receipt_lines"] == 3
    receipts = b2b["customers_from_receipts"]
    assert receipts["total"] == gbp("13200.00")
    assert receipts["top1_share"] == 0.4545  # Birch 6,000 / 13,200 = 0.454545
    assert receipts["hhi"] == 0.3719  # (36 + 23.04 + 5.76) / 174.24 = 0.371901


# -- 7. Loan and DSCR on both bases -------------------------------------------------------------


def test_loan_and_dscr(report: dict[str, Any]) -> None:
    loan = report["financials"]["loan"]
    assert amounts(loan) == {
        "amount": "6000.00",
        "monthly_repayment": "265.92",  # 6,000 x 0.005 / (1 - 1.005^-24) = 265.9237
        "new_annual_debt_service": "3191.04",  # 265.92 x 12
        "existing_principal_repayments": "1000.00",
        "existing_interest": "300.00",
        # no recurring payment to a lender in the bank lines: nothing seen, nothing added
        "bank_repayments_in_debt_service": "0.00",
        "bank_repayments_in_costs": "0.00",
        "bank_repayments_outside_books": "0.00",
        "bank_repayments_booking_unknown": "0.00",
        "existing_bank_debt_service": "0.00",
        "annual_debt_service": "4491.04",  # 3,191.04 + 1,000 + 300 + 0
        "interest_added_back": "300.00",
        "owner_drawings": "0.00",
        "tax_paid_outside_operating": "0.00",
        "tax_deducted_from_ebitda": "0.00",
        "operating_cash_flow": "5920.00",
        "ebitda": "6100.00",
        "cash_available_operating_cash_flow": "6220.00",  # 5,920 + 300 - 0 - 0
        "cash_available_ebitda": "6100.00",  # 6,100 - 0 - 0
        "cash_available_for_debt_service": "6220.00",
        "replaced_inflows": "12800.00",
        "replaced_inflows_with_sales_tax": "13200.00",  # 12,800 + 0.2 x 2,000
        "bank_verified_receipts": "6000.00",
        "bank_verified_cash_available": "-980.00",  # 6,220 - 13,200 + 6,000
    }
    assert loan["term_months"] == 24
    assert loan["annual_rate"] == 0.06
    assert loan["annual_rate_percent"] == "6"
    assert loan["existing_principal_basis"] == "cashflow_repayment_of_borrowings"
    assert loan["existing_interest_basis"] == "cashflow_interest_paid"
    assert loan["dscr_basis"] == "operating_cash_flow"
    assert loan["dscr_operating_cash_flow"] == 1.385  # 6,220 / 4,491.04 = 1.384980
    assert loan["dscr_ebitda"] == 1.3583  # 6,100 / 4,491.04 = 1.358260
    assert loan["dscr"] == 1.385
    assert loan["cash_conversion"] == 1.0197  # 6,220 / 6,100 = 1.019672
    assert loan["sales_tax_rate"] == 0.2
    assert loan["bank_verified_dscr"] == -0.2182  # -980 / 4,491.04 = -0.218212


# -- 8. Integrity checks -------------------------------------------------------------------------


def test_integrity_checks(report: dict[str, Any]) -> None:
    checks = {c["id"]: c for c in report["financials"]["integrity_checks"]}
    # (passed, difference, tolerance): tolerance = max(0.01, 0.005 x scale), down to the cent.
    expected = {
        "trial_balance_debits_equal_credits": (True, "0.00", "119.60"),  # scale 23,920
        "balance_sheet_balances": (True, "0.00", "79.60"),  # 15,920
        "balance_sheet_balances_previous": (True, "0.00", "52.00"),  # 10,400
        "balance_sheet_totals_add_up": (True, "0.00", "79.60"),
        "net_profit_equals_revenue_less_expenses": (True, "0.00", "60.00"),  # 12,000
        "net_profit_equals_revenue_less_expenses_previous": (True, "0.00", "50.00"),
        "profit_and_loss_totals_add_up": (True, "0.00", "60.00"),
        "cashflow_closing_less_opening_equals_net_movement": (True, "0.00", "49.60"),  # 9,920
        "cashflow_activities_sum_to_net_movement": (True, "0.00", "29.60"),  # 5,920
        "cashflow_closing_cash_equals_balance_sheet_bank": (True, "0.00", "49.60"),
        # 9,920 - 11,120; bound = the unreconciled line 1,200 + 0.01
        "balance_sheet_bank_vs_statement_balances": (True, "-1200.00", "1200.01"),
        "contacts_revenue_equals_pnl_revenue": (True, "0.00", "60.00"),
    }
    assert {
        k: (c["passed"], c["difference"]["amount"], c["tolerance"]["amount"])
        for k, c in checks.items()
    } == expected


# -- 9. The bank account: reconciliation ---------------------------------------------------------


@pytest.fixture(scope="module")
def account(report: dict[str, Any]) -> dict[str, Any]:
    (acc,) = report["bank"]["accounts"]
    assert acc["bank_account_id"] == ACCOUNT
    return acc


def test_reconciliation(account: dict[str, Any]) -> None:
    rec = account["reconciliation"]
    assert rec["total_lines"] == 8
    assert rec["reconciled_lines"] == 7
    assert rec["unreconciled_lines"] == 1
    assert (rec["deleted_lines"], rec["duplicate_lines"], rec["undated_lines"]) == (0, 0, 0)
    assert amounts(rec) == {
        "total_amount": "6120.00",
        "total_amount_pos": "14400.00",
        "total_amount_neg": "-8280.00",
        "reconciled_amount_pos": "13200.00",
        "reconciled_amount_neg": "-8280.00",
        "unreconciled_amount_pos": "1200.00",
        "unreconciled_amount_neg": "0.00",
        "deleted_amount": "0.00",
        "duplicate_amount": "0.00",
    }
    assert rec["reconciled_share_by_count"] == 0.875  # 7 / 8
    assert rec["reconciled_share_by_amount"] == 0.9471  # 21,480 / 22,680 = 0.947090
    assert rec["avg_days_unreconciled_pos"] == 3.0  # 1,200 x 3 / 1,200
    assert rec["avg_days_unreconciled_neg"] is None
    assert [(b["bucket"], b["lines"], b["amount_pos"]["amount"]) for b in rec["ageing"]] == [
        ("0-30", 1, "1200.00"),
        ("31-60", 0, "0.00"),
        ("61-90", 0, "0.00"),
        ("91-180", 0, "0.00"),
        (">180", 0, "0.00"),
    ]
    assert rec["unreconciled_lines_over_90_days"] == 0
    assert rec["unreconciled_over_90_days_share"] == 0.0
    assert rec["oldest_unreconciled_line"]["statement_line_id"] == (
        "1e000000-0000-4000-8000-000000000008"
    )
    assert rec["oldest_unreconciled_line"]["age_days"] == 3
    assert rec["earliest_reconciled_transaction"] == "2025-11-20"
    assert rec["latest_reconciled_transaction"] == "2026-09-30"
    assert rec["earliest_unreconciled_transaction"] == "2026-10-28"
    assert rec["latest_unreconciled_transaction"] == "2026-10-28"
    assert rec["books_current_to"] == "2026-10-27"
    assert rec["books_current_lag_days"] == 4
    assert rec["fully_reconciled_to"] == "2026-10-27"
    assert [(m["month"], m["total_lines"], m["reconciled_lines"]) for m in rec["monthly"]] == [
        ("2025-11", 1, 1),
        ("2026-01", 1, 1),
        ("2026-02", 1, 1),
        ("2026-03", 1, 1),
        ("2026-06", 1, 1),
        ("2026-09", 2, 2),
        ("2026-10", 1, 0),
    ]


# -- 10. Import source mix, feed coverage, freshness, continuity ---------------------------------


def test_import_source_mix(account: dict[str, Any]) -> None:
    mix = account["import_source_mix"]
    rows = [
        (
            s["kind"],
            s["lines"],
            s["share_by_count"],
            s["absolute_amount"]["amount"],
            s["share_by_amount"],
        )
        for s in mix["sources"]
    ]
    assert rows == [
        ("direct_feed", 6, 0.75, "15480.00", 0.6825),  # 15,480 / 22,680 = 0.682540
        ("indirect_feed", 0, 0.0, "0.00", 0.0),
        ("file_upload", 1, 0.125, "4800.00", 0.2116),  # 4,800 / 22,680 = 0.211640
        ("manual", 1, 0.125, "2400.00", 0.1058),  # 2,400 / 22,680 = 0.105820
        ("other", 0, 0.0, "0.00", 0.0),
    ]
    assert mix["manual_or_uploaded_inflow"] == gbp("7200.00")
    assert mix["manual_or_uploaded_inflow_share"] == 0.5  # 7,200 / 14,400
    assert mix["manual_or_uploaded_inflow_while_fed"] == gbp("2400.00")
    assert mix["manual_or_uploaded_inflow_while_fed_share"] == 0.25  # 2,400 / 9,600
    assert mix["recent_since"] == "2026-08-03"  # 2026-10-31 less 89 days
    assert mix["manual_or_uploaded_inflow_recent_while_fed"] == gbp("0.00")
    assert mix["manual_or_uploaded_inflow_recent_while_fed_share"] == 0.0  # 0 / 1,200
    assert mix["other_import_sources"] == []


def test_feed_coverage_freshness_and_continuity(account: dict[str, Any]) -> None:
    cov = account["feed_verified_coverage"]
    assert cov["inflow_amount"] == gbp("14400.00")
    assert cov["direct_feed_reconciled_inflow"] == gbp("6000.00")
    assert cov["feed_verified_coverage"] == 0.4167  # 6,000 / 14,400
    assert cov["bank_feed_verified_coverage"] == 0.4167
    fresh = account["freshness"]
    assert fresh["days_since_last_import"] == 0  # imported 2026-10-31
    assert fresh["usual_import_interval_days"] == 166.5  # median of 195 and 138
    assert fresh["days_overdue"] == 0.0
    assert fresh["last_import_source_kind"] == "direct_feed"
    cont = account["continuity"]
    assert cont["statements"] == 4
    assert cont["covered_days"] == 364  # 2025-11-01 to 2026-10-30
    assert cont["gap_days"] == 0
    assert cont["usual_statement_spacing_days"] == 30.0  # median of 30, 196, 1
    assert cont["chain_links_checked"] == 3
    assert cont["balances_compared"] == 8
    assert cont["coverage_share"] == 1.0
    assert cont["chain_integrity"] == 1.0
    assert cont["continuity"] == 1.0


# -- 11. Xero cross-check and ledger vs bank -----------------------------------------------------


def test_cross_check_and_ledger_vs_bank(account: dict[str, Any]) -> None:
    cc = account["cross_check"]
    recomputed = {e["field"]: e["recomputed"]["amount"] for e in cc["amounts"]}
    assert recomputed == {
        "unreconciled_amount_pos": "1200.00",
        "unreconciled_amount_neg": "0.00",
        "reconciled_amount_pos": "13200.00",
        "reconciled_amount_neg": "-8280.00",
        "total_amount": "6120.00",
        "total_amount_pos": "14400.00",
        "total_amount_neg": "-8280.00",
        "deleted_amount": "0.00",
        "data_source.direct_bank_feed": "-1080.00",
        "data_source.direct_bank_feed_pos": "7200.00",
        "data_source.direct_bank_feed_neg": "-8280.00",
        "data_source.file_upload": "4800.00",
        "data_source.file_upload_pos": "4800.00",
        "data_source.file_upload_neg": "0.00",
        "data_source.manual": "2400.00",
        "data_source.manual_pos": "2400.00",
        "data_source.manual_neg": "0.00",
        "data_source.other": "0.00",
        "data_source.other_pos": "0.00",
        "data_source.other_neg": "0.00",
    }
    assert {e["field"]: e["recomputed"] for e in cc["counts"]} == {
        "unreconciled_lines": 1,
        "reconciled_lines": 7,
    }
    assert cc["differences"] == 0
    assert cc["agrees"] is True
    lvb = account["ledger_vs_bank"]
    assert lvb["statement_balance"] == gbp("11120.00")
    assert lvb["account_balance"] == gbp("9920.00")
    assert lvb["ledger_minus_bank"] == gbp("-1200.00")  # 9,920 - 11,120
    assert lvb["last_statement_end_balance"] == gbp("11120.00")
    assert lvb["last_statement_indicative_end_balance"] == gbp("11120.00")
    assert lvb["statement_balance_minus_end_balance"] == gbp("0.00")
    assert lvb["statement_balance_minus_indicative_end_balance"] == gbp("0.00")
    assert lvb["bank_balances_compared"] == 2
    assert lvb["bank_balance_disagreements"] == 0
    assert lvb["bank_balances_agree"] is True


# -- 12. Data confidence -------------------------------------------------------------------------


def test_data_confidence(account: dict[str, Any], report: dict[str, Any]) -> None:
    dc = account["data_confidence"]
    assert [(i["name"], i["value"], i["weight"], i["contribution"]) for i in dc["inputs"]] == [
        ("reconciled", 0.9471, 0.3, 0.2841),  # 0.947090 x 0.3 = 0.284127
        ("bank_fed", 0.746, 0.3, 0.2238),  # 0.682540 + 0.3 x 0.211640 = 0.746032
        ("continuity", 1.0, 0.3, 0.3),
        ("freshness", 1.0, 0.1, 0.1),
    ]
    assert [(f["name"], f["measure"], f["value"]) for f in dc["factors"]] == [
        ("ledger_cash_gap", 0.0, 1.0),  # max(0, -1,200 + 1,200) = 0
        ("xero_differences", 0.0, 1.0),
        ("recent_typed_inflows", 0.0, 1.0),
        ("evidence_completeness", None, None),
    ]
    assert dc["base_score"] == 0.9079  # 0.284127 + 0.223810 + 0.3 + 0.1 = 0.907937
    assert dc["data_confidence_score"] == 0.9079
    assert report["bank"]["overall"]["data_confidence"]["data_confidence_score"] == 0.9079


# -- 13. Evidence completeness and verdict -------------------------------------------------------


def test_evidence_completeness(report: dict[str, Any]) -> None:
    ev = report["evidence"]
    assert ev["reconciliation_cadence"]["answered"] is False
    assert ev["completeness"] == 0.9672  # (15.25 - 0.5) / 15.25 = 0.967213
    assert ev["questions_answered"] == 11
    assert ev["questions_partly_answered"] == 0
    assert ev["questions_not_answered"] == 1
    # the 12 month-end CashValidation calls, and the P&L of October 2026 (the month of Xero's
    # Executive Summary), which this hand-made snapshot does not hold
    assert len(report["inputs"]["missing"]) == 13
    month = report["financials"]["executive_summary"]["month"]
    assert (month["label"], month["trading_income"], month["creditor_days"]) == (
        "October 2026",
        None,
        None,
    )
    assert month["not_available"]["creditor_days"] == (
        "the snapshot holds no /FinancialStatements/ProfitAndLoss call "
        "(endDate=2026-10-31, startDate=2026-10-01)"
    )


def test_verdict(report: dict[str, Any]) -> None:
    verdict = report["verdict"]
    assert [(f["rule_id"], f["severity"], f["value"]) for f in verdict["flags"]] == [
        ("bank_verified_dscr_low", "red", -0.2182),
        ("tax_liabilities_growing", "red", 1.44),  # VAT owed 1,220 / 500 - 1 = 1.44
        ("typed_inflows_while_fed", "red", 0.25),
        ("reconciled_share_low", "amber", 0.9471),
        ("top_customer_concentration", "amber", 0.4167),
    ]
    assert (verdict["overall"]["grade"], verdict["overall"]["red"]) == ("E", 3)
    assert verdict["overall"]["amber"] == 2
    assert (verdict["data_confidence"]["grade"], verdict["data_confidence"]["red"]) == ("E", 2)
    assert verdict["data_confidence"]["amber"] == 1
    assert (verdict["evidence"]["grade"], verdict["evidence"]["red"]) == ("A", 0)
