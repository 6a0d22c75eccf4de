"""Cash flow figures and months of runway, hand-computed."""

from __future__ import annotations

from datetime import date
from decimal import Decimal as D

import pytest

from lendcheck.frames import frames_from_bank_statements
from lendcheck.metrics.financials import (
    balance_sheet_figures,
    cash_flow_figures,
    cash_flow_section,
    pnl_figures,
)
from lendcheck.xero.models import BalanceSheet, BankStatements, Cashflow

from .build import AS_OF, START, balance_sheet_dict, cashflow_dict, frames, line

NO_PNL = pnl_figures(None, "GBP", "unused")
BS = balance_sheet_figures(BalanceSheet.model_validate(balance_sheet_dict()), NO_PNL, "GBP", "")
NO_BS = balance_sheet_figures(None, NO_PNL, "GBP", "no balance sheet")
US_REASON = "Xero answered 400: Cashflow statement is not available in US region"


def cf(data: dict | None, reason: str = "unused"):
    return cash_flow_figures(None if data is None else Cashflow.model_validate(data), "GBP", reason)


def shrinking() -> dict:
    """Net movement -24,000 over 12 months (operating -20,000, financing -4,000)."""
    data = cashflow_dict()
    data["cashBalance"] = {
        "openingCashBalance": D("44000.00"),
        "closingCashBalance": D("20000.00"),
        "netCashMovement": D("-24000.00"),
    }
    data["cashflowActivities"][0]["total"] = D("-20000.00")
    data["cashflowActivities"][1]["total"] = D("0")
    return data


def test_cash_flow_figures() -> None:
    f = cf(cashflow_dict())
    assert f.operating_activities.amount == D("18000.00")
    assert f.investing_activities.amount == D("-5000.00")
    assert f.financing_activities.amount == D("-4000.00")
    assert f.operating_receipts.amount == D("130000.00")
    assert f.operating_payments.amount == D("-112000.00")
    assert f.repayment_of_borrowings.amount == D("-4000.00")
    assert f.opening_cash.amount == D("11000.00")
    assert f.closing_cash.amount == D("20000.00")
    assert f.net_cash_movement.amount == D("9000.00")
    # The types list no accounts: interest, tax and drawings cannot be located.
    unlocated = "the cash flow lists no accounts for some of its cash flow types"
    assert f.not_available == {
        "interest_paid": unlocated,
        "interest_paid_in_operating": unlocated,
        "income_tax_paid": unlocated,
        "income_tax_paid_in_operating": unlocated,
        "owner_drawings": unlocated,
    }


def test_us_organisation_cash_flow_is_not_available_with_xeros_reason() -> None:
    f = cf(None, US_REASON)
    assert f.operating_activities is None and f.net_cash_movement is None
    assert f.not_available["operating_activities"] == US_REASON


def test_missing_activity_is_not_a_zero() -> None:
    data = cashflow_dict()
    data["cashflowActivities"] = data["cashflowActivities"][:1]
    f = cf(data)
    assert f.investing_activities is None and f.financing_activities is None
    assert f.repayment_of_borrowings is None
    assert f.not_available["financing_activities"] == "the cash flow lists no Financing Activities"


def test_runway_when_cash_shrinks() -> None:
    section = cash_flow_section(cf(shrinking()), cf(None), BS, None, (START, AS_OF), "GBP")
    assert section.runway_basis == "cashflow"
    assert section.runway_cash.amount == D("20000.00")
    assert section.runway_months_in_period == pytest.approx(12)
    assert section.average_monthly_net_outflow.amount == D("2000.00")  # 24,000 / 12
    assert section.months_of_runway == pytest.approx(10)  # 20,000 / 2,000


def test_no_runway_when_cash_grows() -> None:
    section = cash_flow_section(cf(cashflow_dict()), cf(None), BS, None, (START, AS_OF), "GBP")
    assert section.months_of_runway is None
    assert "not shrinking" in section.not_available["months_of_runway"]


def test_runway_is_zero_when_cash_is_already_gone() -> None:
    data = shrinking()
    data["cashBalance"]["closingCashBalance"] = D("-500.00")
    section = cash_flow_section(cf(data), cf(None), NO_BS, None, (START, AS_OF), "GBP")
    assert section.runway_cash.amount == D("-500.00")  # the cash flow's closing cash
    assert section.months_of_runway == 0


def fed_account(account_id: str, currency: str, *lines: dict) -> BankStatements:
    """One bank-fed account holding ``lines``."""
    return BankStatements.model_validate(
        {
            "bankAccountId": account_id,
            "bankAccountCurrencyCode": currency,
            "statements": [
                {
                    "statementId": "s",
                    "importSource": "STMTIMPORTSRC/CHASEFEED",
                    "statementLines": list(lines),
                }
            ],
        }
    )


def test_runway_falls_back_to_bank_statements_without_cashflow() -> None:
    statements = fed_account(
        "11111111-0000-0000-0000-000000000009",
        "USD",
        line("a", "1000.00", date(2026, 1, 5)),
        line("b", "-7000.00", date(2026, 6, 5)),
        line("c", "-100.00", date(2026, 6, 6), isDeleted=True),
        line("d", "-900.00", date(2025, 6, 6)),
    )
    bank = frames_from_bank_statements([("f", statements)])
    section = cash_flow_section(
        cf(None, US_REASON), cf(None, US_REASON), BS, bank, (START, AS_OF), "USD", D(0)
    )
    assert section.runway_basis == "bank_statements"
    assert section.runway_net_movement.amount == D("-6000.00")  # 1,000 - 7,000 in period
    assert section.average_monthly_net_outflow.amount == D("500.00")
    assert section.months_of_runway == pytest.approx(40)  # 20,000 / 500


def test_runway_not_available_without_cashflow_or_bank() -> None:
    section = cash_flow_section(
        cf(None, US_REASON), cf(None, US_REASON), BS, None, (START, AS_OF), "USD"
    )
    assert section.months_of_runway is None and section.runway_basis is None
    assert US_REASON in section.not_available["months_of_runway"]


def test_bank_fallback_uses_frames_in_base_currency_only() -> None:
    # The consistent bank frames: lines in the period on GBP accounts sum to 4,500.
    section = cash_flow_section(
        cf(None, US_REASON), cf(None, US_REASON), BS, frames(), (START, AS_OF), "GBP"
    )
    assert section.runway_net_movement.amount == D("4500.00")
    assert section.months_of_runway is None


def test_bank_lines_outside_the_period_do_not_make_a_zero_movement() -> None:
    statements = BankStatements.model_validate(
        {
            "bankAccountId": "11111111-0000-0000-0000-000000000009",
            "statements": [
                {"statementId": "s", "statementLines": [line("old", "-500.00", date(2024, 1, 5))]}
            ],
        }
    )
    section = cash_flow_section(
        cf(None, US_REASON),
        cf(None, US_REASON),
        BS,
        frames_from_bank_statements([("f", statements)]),
        (START, AS_OF),
        "GBP",
    )
    assert section.runway_basis is None and section.runway_net_movement is None
    assert "no bank statement lines in the period" in section.not_available["months_of_runway"]


# --- Runway over the months observed, financing inflows left out (issue 16 finding 7) ----------


def one_month_of_bank_history() -> BankStatements:
    """The bank history begins on 1 October 2026: one month of the 12-month period."""
    return fed_account(
        "11111111-0000-0000-0000-000000000001",
        "GBP",
        line("a", "2000.00", date(2026, 10, 1)),
        line("b", "-7000.00", date(2026, 10, 20)),
    )


def test_runway_divides_by_the_months_observed_not_by_twelve() -> None:
    # The Demo Company case: one month of history; its -5,000 cash movement was spread over
    # 12 months (416.67 a month: 48 months of runway). It is one month's burn: 4 months.
    data = cashflow_dict()
    data["cashBalance"]["netCashMovement"] = D("-5000.00")
    data["cashflowActivities"][2]["cashflowTypes"] = []  # no financing
    bank = frames_from_bank_statements([("f", one_month_of_bank_history())])
    section = cash_flow_section(cf(data), cf(None), BS, bank, (START, AS_OF), "GBP")
    assert section.runway_observed_from == date(2026, 10, 1)
    assert section.runway_months_in_period == 1
    assert section.average_monthly_net_outflow.amount == D("5000.00")
    assert section.months_of_runway == pytest.approx(4)  # 20,000 / 5,000
    # The bank basis alike: 2,000 - 7,000 in the one month observed.
    us = cash_flow_section(cf(None, US_REASON), cf(None), BS, bank, (START, AS_OF), "GBP", D(0))
    assert us.runway_basis == "bank_statements"
    assert us.runway_months_in_period == 1 and us.months_of_runway == pytest.approx(4)


def test_bank_history_begins_with_the_first_statement_not_its_first_line() -> None:
    # The statement covers 1 September onward; its first line is on 1 October. The bank has
    # been observed since 1 September: two months of burn, not one (the worked example's
    # account: statement from 1 November, first receipt on the 20th, read 11.39 months).
    history = one_month_of_bank_history().model_dump(by_alias=True)
    history["statements"][0]["startDate"] = date(2026, 9, 1)
    bank = frames_from_bank_statements([("f", BankStatements.model_validate(history))])
    data = cashflow_dict()
    data["cashBalance"]["netCashMovement"] = D("-5000.00")
    data["cashflowActivities"][2]["cashflowTypes"] = []
    section = cash_flow_section(cf(data), cf(None), BS, bank, (START, AS_OF), "GBP")
    assert section.runway_observed_from == date(2026, 9, 1)
    assert section.runway_months_in_period == 2
    assert section.average_monthly_net_outflow.amount == D("2500.00")
    assert section.months_of_runway == pytest.approx(8)  # 20,000 / 2,500


def test_loan_proceeds_are_not_cash_the_business_made() -> None:
    # A loss-maker that borrowed 30,000: cash grew 10,000 over the year, so it read "not
    # shrinking". Without the loan it burnt 20,000: 1,666.67 a month, 12 months of runway.
    data = cashflow_dict()
    data["cashBalance"]["netCashMovement"] = D("10000.00")
    data["cashflowActivities"][2] = {
        "name": "Financing Activities",
        "total": D("26000.00"),
        "cashflowTypes": [
            {"name": "Proceeds from borrowings", "total": D("30000.00")},
            {"name": "Repayment of borrowings", "total": D("-4000.00")},
        ],
    }
    section = cash_flow_section(cf(data), cf(None), BS, None, (START, AS_OF), "GBP")
    assert section.current.financing_inflows.amount == D("30000.00")
    assert section.runway_financing_inflows.amount == D("30000.00")
    assert section.runway_observed_from == START  # no bank history: the whole period
    assert section.average_monthly_net_outflow.amount == pytest.approx(D("1666.67"), abs=D("0.01"))
    assert section.months_of_runway == pytest.approx(12)  # 20,000 / (20,000 / 12)


def test_bank_basis_leaves_financing_receipts_out() -> None:
    # The consistent bank frames: +4,500 in the period, of which 2,000 loan proceeds (l3).
    section = cash_flow_section(
        cf(None, US_REASON), cf(None, US_REASON), BS, frames(), (START, AS_OF), "GBP", D("2000")
    )
    assert section.runway_net_movement.amount == D("4500.00")
    assert section.runway_financing_inflows.amount == D("2000.00")
    assert section.average_monthly_net_outflow.amount == pytest.approx(D("-208.33"), abs=D("0.01"))
    assert section.months_of_runway is None  # still growing without the loan
    unknown = cash_flow_section(
        cf(None, US_REASON), cf(None, US_REASON), BS, frames(), (START, AS_OF), "GBP"
    )
    assert unknown.months_of_runway is None
    assert unknown.not_available["months_of_runway"] == "the bank receipts could not be classified"
