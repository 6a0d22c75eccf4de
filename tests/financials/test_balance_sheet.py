"""Balance sheet figures, ratios and Xero Executive Summary days, hand-computed."""

from __future__ import annotations

from decimal import Decimal as D

import pytest

from lendcheck.metrics.financials import balance_sheet_figures, pnl_figures
from lendcheck.models import BalanceSheet, ProfitAndLoss

from .build import (
    balance_sheet_dict,
    balance_sheet_previous_dict,
    bs_account,
    pnl_dict,
    pnl_previous_dict,
)

PNL = pnl_figures(ProfitAndLoss.model_validate(pnl_dict()), "GBP", "unused")


def figures(data: dict | None, pnl=PNL, reason: str = "unused"):
    bs = None if data is None else BalanceSheet.model_validate(data)
    return balance_sheet_figures(bs, pnl, "GBP", reason)


def test_consistent_balance_sheet() -> None:
    f = figures(balance_sheet_dict())
    assert f.balance_date.isoformat() == "2026-10-31"
    assert f.cash.amount == D("20000.00")
    assert f.accounts_receivable.amount == D("12000.00")
    assert f.inventory.amount == D("3000.00")
    assert f.current_assets.amount == D("35000.00")  # 20,000 + 12,000 + 3,000
    assert f.non_current_assets.amount == D("25000.00")
    assert f.total_assets.amount == D("60000.00")
    assert f.accounts_payable.amount == D("8000.00")
    assert f.current_liabilities.amount == D("14000.00")
    assert f.current_loans.amount == D("4000.00")
    assert f.non_current_liabilities.amount == D("16000.00")
    assert f.total_liabilities.amount == D("30000.00")
    assert f.total_debt.amount == D("20000.00")  # 16,000 term + 4,000 current loan
    assert f.equity.amount == D("30000.00")
    assert f.working_capital.amount == D("21000.00")  # 35,000 - 14,000
    assert f.current_ratio == pytest.approx(2.5)  # 35,000 / 14,000
    assert f.quick_ratio == pytest.approx(32000 / 14000)  # (35,000 - 3,000) / 14,000
    assert f.debt_to_equity == pytest.approx(20000 / 30000)
    assert f.not_available == {}


def test_executive_summary_days_and_forecast() -> None:
    f = figures(balance_sheet_dict())
    assert f.trading_income.amount == D("120000.00")
    assert f.direct_costs_and_expenses.amount == D("93500.00")
    assert f.days_in_period == 365
    assert f.debtor_days == pytest.approx(36.5)  # 12,000 / 120,000 x 365
    assert f.creditor_days == pytest.approx(8000 / 93500 * 365)  # 31.23
    assert f.short_term_cash_forecast.amount == D("4000.00")  # 12,000 - 8,000


def test_negative_equity_gives_null_debt_to_equity() -> None:
    prev = pnl_figures(ProfitAndLoss.model_validate(pnl_previous_dict()), "GBP", "unused")
    f = figures(balance_sheet_previous_dict(), prev)
    assert f.equity.amount == D("-10000.00")
    assert f.total_debt.amount == D("24000.00")
    assert f.debt_to_equity is None
    assert f.not_available["debt_to_equity"] == "negative equity"
    # AR and AP found by name when the accounts carry no reporting code
    assert f.accounts_receivable.amount == D("8000.00")
    assert f.accounts_payable.amount == D("5000.00")


def test_zero_equity_and_zero_current_liabilities() -> None:
    data = {
        "asset": {
            "total": D("100.00"),
            "accountTypes": [
                {
                    "accountType": "BANK",
                    "total": D("100.00"),
                    "accounts": [bs_account("Bank", "100.00")],
                }
            ],
        },
        "liability": {
            "total": D("100.00"),
            "accountTypes": [
                {
                    "accountType": "TERMLIAB",
                    "total": D("100.00"),
                    "accounts": [bs_account("Loan", "100.00", "LIA.NCL.LOA")],
                }
            ],
        },
        "equity": {"total": D("0"), "accountTypes": []},
    }
    f = figures(data)
    assert f.debt_to_equity is None
    assert f.not_available["debt_to_equity"] == "equity is zero"
    assert f.current_liabilities.amount == D("0.00")
    assert f.current_ratio is None and f.quick_ratio is None
    assert f.not_available["current_ratio"] == "current liabilities are zero"
    assert f.working_capital.amount == D("100.00")


def test_missing_balance_sheet() -> None:
    f = figures(None, reason="Xero answered 503: Cannot process org")
    assert f.cash is None and f.current_ratio is None and f.debtor_days is None
    assert f.not_available["current_ratio"] == "Xero answered 503: Cannot process org"
    assert f.not_available["short_term_cash_forecast"] == "Xero answered 503: Cannot process org"


def test_missing_liability_section_is_not_zero_liabilities() -> None:
    data = balance_sheet_dict()
    del data["liability"]
    f = figures(data)
    assert f.current_assets.amount == D("35000.00")
    assert f.current_liabilities is None and f.current_ratio is None
    assert f.total_debt is None and f.debt_to_equity is None
    assert f.not_available["current_ratio"] == "the balance sheet has no liability section"
    assert f.creditor_days is None


def test_debtor_days_null_on_negative_or_missing_revenue() -> None:
    data = pnl_dict()
    data["revenue"]["accountTypes"][0]["total"] = D("-10.00")
    negative = pnl_figures(ProfitAndLoss.model_validate(data), "GBP", "unused")
    f = figures(balance_sheet_dict(), negative)
    assert f.debtor_days is None
    assert "negative revenue" in f.not_available["debtor_days"]
    missing = figures(balance_sheet_dict(), pnl_figures(None, "GBP", "no P&L"))
    assert missing.debtor_days is None and missing.creditor_days is None
    assert missing.not_available["debtor_days"] == "no P&L"
    assert missing.current_ratio == pytest.approx(2.5)  # the balance sheet alone still counts


def test_classification_rules() -> None:
    data = {
        "asset": {
            "accountTypes": [
                {"accountType": "PREPAYMENT", "accounts": [bs_account("Prepaid", "10.00")]},
                {"accountType": "NONCURRENT", "accounts": [bs_account("Deposit", "20.00")]},
                {
                    "accountType": "ODDTYPE",
                    "accounts": [
                        bs_account("Coded current", "40.00", "ASS.CUR.OTH"),
                        bs_account("Uncoded", "80.00"),
                    ],
                },
                {
                    "accountType": "CURRENT",
                    "accounts": [
                        bs_account("Other debtors", "5.00", "ASS.CUR.REC.OTH"),
                        bs_account("Director loan", "7.00", "ASS.CUR.OTH"),
                    ],
                },
            ]
        },
        "liability": {
            "accountTypes": [
                {
                    "accountType": "LIABILITY",
                    "accounts": [
                        bs_account("Coded long", "100.00", "LIA.NCL.HPM"),
                        bs_account("Generic", "200.00"),
                    ],
                },
                {
                    "accountType": "CURRLIAB",
                    "accounts": [
                        bs_account("Car loan", "300.00"),
                        bs_account("Credit card", "400.00", "LIA.CUR"),
                    ],
                },
                {"accountType": "PAYGLIABILITY", "total": D("50.00")},
            ]
        },
        "equity": {
            "accountTypes": [{"accountType": "EQUITY", "accounts": [bs_account("Capital", "1.00")]}]
        },
    }
    f = figures(data)
    assert f.current_assets.amount == D("62.00")  # 10 + 40 + 5 + 7
    assert f.non_current_assets.amount == D("100.00")  # 20 + 80 (unknown type, no ASS.CUR)
    assert f.total_assets.amount == D("162.00")  # no stated total: the sum of accounts
    assert f.accounts_receivable.amount == D("5.00")
    assert f.current_liabilities.amount == D("950.00")  # 200 + 300 + 400 + 50
    assert f.non_current_liabilities.amount == D("100.00")
    assert f.current_loans.amount == D("300.00")  # by name: no reporting code
    assert f.total_debt.amount == D("400.00")
    assert f.accounts_payable.amount == D("0.00")
