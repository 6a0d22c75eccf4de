"""Loan repayment and DSCR (operating cash flow, EBITDA proxy, bank-verified)."""

from __future__ import annotations

import re
from decimal import Decimal as D

import pytest

from lendcheck.errors import UsageError
from lendcheck.metrics.debt_service import DebtService
from lendcheck.metrics.financials import balance_sheet_figures, cash_flow_figures, pnl_figures
from lendcheck.metrics.loan import (
    LoanTerms,
    debt_capacity,
    loan_analysis,
    monthly_repayment,
    parse_loan_terms,
)
from lendcheck.report_types import Money
from lendcheck.xero.models import BalanceSheet, Cashflow, ProfitAndLoss

from .build import balance_sheet_dict, balance_sheet_previous_dict, cashflow_dict, pnl_dict

US_REASON = "Xero answered 400: Cashflow statement is not available in US region"
TERMS = LoanTerms(D("50000"), 36, D("0.085"))
PNL = pnl_figures(ProfitAndLoss.model_validate(pnl_dict()), "GBP", "")
NO_PNL = pnl_figures(None, "GBP", "no P&L")
CF = cash_flow_figures(Cashflow.model_validate(cashflow_dict()), "GBP", "")
NO_CF = cash_flow_figures(None, "GBP", US_REASON)
BS = balance_sheet_figures(BalanceSheet.model_validate(balance_sheet_dict()), PNL, "GBP", "")
BS_PREV = balance_sheet_figures(
    BalanceSheet.model_validate(balance_sheet_previous_dict()), NO_PNL, "GBP", ""
)
NO_BS = balance_sheet_figures(None, NO_PNL, "GBP", "no balance sheet")
NO_TAX = D(0)  # not registered for sales tax: receipts and revenue alike are without tax


def test_monthly_repayment_annuity() -> None:
    # 50,000 at 8.5 % over 36 months: the published annuity tables give 1,578.38.
    assert monthly_repayment(TERMS) == D("1578.38")
    assert monthly_repayment(LoanTerms(D("12000"), 24, D("0"))) == D("500.00")
    assert monthly_repayment(LoanTerms(D("1200"), 1, D("0.12"))) == D("1212.00")  # 1,200 x 1.01


@pytest.mark.parametrize(
    ("amount", "term", "rate"),
    [
        ("0", 12, "0.05"),
        ("-1", 12, "0.05"),
        ("1000", 0, "0.05"),
        ("1000", 12, "-0.01"),
        ("1000", 12, "1"),
        ("NaN", 12, "0.05"),
    ],
)
def test_invalid_terms_are_refused(amount: str, term: int, rate: str) -> None:
    with pytest.raises(ValueError):
        LoanTerms(D(amount), term, D(rate))


def test_dscr_on_operating_cash_flow() -> None:
    a = loan_analysis(TERMS, PNL, CF, BS, BS_PREV, D("1200.00"), "", "GBP", sales_tax_rate=NO_TAX)
    assert a.monthly_repayment.amount == D("1578.38")
    assert a.new_annual_debt_service.amount == D("18940.56")  # 1,578.38 x 12
    assert a.existing_principal_repayments.amount == D("4000.00")
    assert a.existing_principal_basis == "cashflow_repayment_of_borrowings"
    assert a.existing_interest.amount == D("1500.00")
    assert a.annual_debt_service.amount == D("24440.56")  # 18,940.56 + 4,000 + 1,500
    assert a.dscr_basis == "operating_cash_flow"
    assert a.interest_added_back.amount == D("1500.00")
    assert a.cash_available_for_debt_service.amount == D("19500.00")  # 18,000 + 1,500
    assert a.dscr == pytest.approx(19500 / 24440.56)
    # Bank-verified: 19,500 - 130,000 receipts + 1,200 verified = -109,300
    assert a.replaced_inflows.amount == D("130000.00")
    assert a.bank_verified_cash_available.amount == D("-109300.00")
    assert a.bank_verified_dscr == pytest.approx(-109300 / 24440.56)


def test_dscr_on_ebitda_proxy_without_cashflow() -> None:
    a = loan_analysis(
        TERMS, PNL, NO_CF, BS, BS_PREV, D("1200.00"), "", "GBP", sales_tax_rate=NO_TAX
    )
    assert a.dscr_basis == "ebitda_proxy"
    assert a.operating_cash_flow is None
    assert a.not_available["operating_cash_flow"] == US_REASON
    assert a.cash_available_for_debt_service.amount == D("30500.00")
    # Principal from the balance sheets: debt 24,000 a year ago, 20,000 now.
    assert a.existing_principal_basis == "balance_sheet_debt_reduction"
    assert a.existing_principal_repayments.amount == D("4000.00")
    assert a.dscr == pytest.approx(30500 / 24440.56)
    assert a.replaced_inflows.amount == D("120500.00")  # P&L revenue
    assert a.bank_verified_cash_available.amount == D("-88800.00")  # 30,500 - 120,500 + 1,200


def test_verified_receipts_replace_the_books_receipts_with_sales_tax_on_both_sides() -> None:
    # At 20 %: the books' 130,000 of receipts are 156,000 as the bank receives them; the bank
    # verifies 150,000: 19,500 - 156,000 + 150,000 = 13,500.
    a = loan_analysis(
        TERMS, PNL, CF, BS, BS_PREV, D("150000.00"), "", "GBP", sales_tax_rate=D("0.2")
    )
    assert a.sales_tax_rate == 0.2
    assert a.replaced_inflows.amount == D("130000.00")
    assert a.replaced_inflows_with_sales_tax.amount == D("156000.00")
    assert a.bank_verified_cash_available.amount == D("13500.00")
    assert a.bank_verified_dscr == pytest.approx(13500 / 24440.56)
    # Without sales tax, the same 150,000 verified is 20,000 more than the books record: the
    # bank-verified figure is above the DSCR (the books under-record; nothing is invented).
    untaxed = loan_analysis(
        TERMS, PNL, CF, BS, BS_PREV, D("150000.00"), "", "GBP", sales_tax_rate=NO_TAX
    )
    assert untaxed.bank_verified_cash_available.amount == D("39500.00")  # 19,500 + 20,000


def test_unknown_sales_tax_rate_leaves_the_bank_verified_dscr_out() -> None:
    a = loan_analysis(
        TERMS,
        PNL,
        CF,
        BS,
        BS_PREV,
        D("1200.00"),
        "",
        "GBP",
        sales_tax_rate=None,
        sales_tax_reason="no trial balance to take the sales tax rate from (Xero answered 503)",
    )
    assert a.dscr is not None and a.bank_verified_dscr is None
    assert a.not_available["bank_verified_dscr"] == (
        "no trial balance to take the sales tax rate from (Xero answered 503)"
    )


def test_short_loan_counts_only_its_repayments_in_the_year() -> None:
    a = loan_analysis(
        LoanTerms(D("6000"), 6, D("0")),
        PNL,
        CF,
        BS,
        BS_PREV,
        None,
        "no bank statements",
        "GBP",
        sales_tax_rate=NO_TAX,
    )
    assert a.new_annual_debt_service.amount == D("6000.00")  # 1,000 x 6
    assert a.bank_verified_dscr is None
    assert a.not_available["bank_verified_dscr"] == "no bank statements"


def test_nothing_to_cover_debt_service_with() -> None:
    a = loan_analysis(
        TERMS, NO_PNL, NO_CF, NO_BS, NO_BS, None, "no bank statements", "GBP", sales_tax_rate=NO_TAX
    )
    assert a.dscr is None and a.dscr_basis is None
    assert US_REASON in a.not_available["dscr"]
    assert a.existing_principal_repayments is None and a.existing_interest is None
    assert "existing_principal_repayments" in a.not_available
    # What can be computed still is: the new loan's service alone.
    assert a.annual_debt_service.amount == D("18940.56")


# --- Loan terms as typed (issue 16 finding 13, issue 20 finding 9) ------------------------------


@pytest.mark.parametrize(
    ("rate", "fraction", "as_given"),
    [
        ("8.5", D("0.085"), "8.5"),
        ("8.5%", D("0.085"), "8.5"),
        (" 8.5 % ".strip(), D("0.085"), "8.5"),
        ("8.125", D("0.08125"), "8.125"),  # report.json kept 0.0813 only
        ("8.500", D("0.085"), "8.500"),  # as given, trailing zeros too
        ("0", D("0"), "0"),  # interest-free
        ("0.085%", D("0.00085"), "0.085"),  # a marked percent is taken as written
        ("0.5", D("0.005"), "0.5"),
    ],
)
def test_rates_in_percent_are_kept_as_given(rate: str, fraction: D, as_given: str) -> None:
    terms = parse_loan_terms("150000", "60", rate)
    assert terms is not None
    assert terms.annual_rate == fraction
    a = loan_analysis(
        terms, PNL, CF, BS, BS_PREV, None, "no bank statements", "GBP", sales_tax_rate=NO_TAX
    )
    assert a.annual_rate_percent == as_given
    assert a.model_dump(mode="json")["annual_rate_percent"] == as_given


def test_rate_typed_as_a_fraction_is_refused_with_its_percent_form() -> None:
    # 0.085 taken as 0.085 % gave harbour-cafe a DSCR of 2.16 instead of 1.84.
    with pytest.raises(UsageError) as refused:
        parse_loan_terms("150000", "60", "0.085")
    assert str(refused.value) == (
        "--annual-rate 0.085 would be 0.085% a year; rates are in percent (8.5 or 8.5% for "
        "8.5% a year): did you mean 8.5%? Write 0.085% if 0.085% a year is meant"
    )
    with pytest.raises(UsageError, match=r"did you mean 49\.9%"):
        parse_loan_terms("150000", "60", "0.499")


@pytest.mark.parametrize(
    ("amount", "months", "rate", "message"),
    [
        ("1e400", "60", "8.5", "--loan-amount must be an amount from 1 to 1,000,000,000,000"),
        ("1000000000000.01", "60", "8.5", "--loan-amount must be an amount from 1 to"),
        ("0.5", "60", "8.5", "--loan-amount must be an amount from 1 to"),
        ("Infinity", "60", "8.5", "--loan-amount must be an amount"),
        ("NaN", "60", "8.5", "--loan-amount must be an amount"),
        ("250,000", "60", "8.5", "--loan-amount must be an amount"),
        ("150000", "601", "8.5", "--term-months must be a whole number of months from 1 to 600"),
        ("150000", "1e400", "8.5", "--term-months must be a whole number"),
        ("150000", "60.5", "8.5", "--term-months must be a whole number"),
        ("150000", "0", "8.5", "--term-months must be a whole number"),
        ("150000", "60", "100", "--annual-rate is a percentage a year from 0 to below 100"),
        ("150000", "60", "1e400", "--annual-rate is a percentage"),
        ("150000", "60", "-1", "--annual-rate is a percentage"),
        ("150000", "60", "8.1234567", "at most 6 decimals"),
        ("150000", "60", "%", "--annual-rate is a percentage"),
        ("150000", None, "8.5", "need all three of --loan-amount, --term-months and --annual-rate"),
    ],
)
def test_terms_out_of_range_are_usage_errors(
    amount: str, months: str | None, rate: str, message: str
) -> None:
    with pytest.raises(UsageError, match=re.escape(message)) as refused:
        parse_loan_terms(amount, months, rate)
    assert refused.value.exit_code == 2


def test_the_bounds_themselves_are_accepted() -> None:
    low = parse_loan_terms("1", "1", "0")
    high = parse_loan_terms("1000000000000", "600", "99.999999")
    assert low is not None and high is not None
    assert monthly_repayment(low) == D("1.00")
    assert high.term_months == 600 and high.annual_rate == D("0.99999999")
    # The largest loan still gives exact figures.
    a = loan_analysis(
        high, PNL, CF, BS, BS_PREV, None, "no bank statements", "GBP", sales_tax_rate=NO_TAX
    )
    assert a.monthly_repayment.amount == monthly_repayment(high)


def test_no_terms_is_no_loan_and_batch_names_its_columns() -> None:
    assert parse_loan_terms(None, None, None) is None
    assert parse_loan_terms("", "", "") is None  # a batch row with empty cells
    with pytest.raises(UsageError, match=r"^loan_amount must be an amount"):
        parse_loan_terms("1e400", "60", "8.5", names=("loan_amount", "term_months", "annual_rate"))


# --- DSCR on both bases, interest never twice, drawings and tax (issue 16 finding 9) -----------


def cashflow_with_accounts() -> Cashflow:
    """The build's cash flow with its accounts listed, as Xero lists them: operating 18,000 =
    receipts 130,000 - payments 112,000, where the payments hold interest 1,200 and income tax
    paid on an expense account 300; financing -9,000 = repayment 4,000 + owner drawings 3,000 +
    income tax paid to the tax office's liability account 2,000."""
    data = cashflow_dict()
    operating = data["cashflowActivities"][0]["cashflowTypes"]
    operating[0]["accounts"] = [
        {"name": "Sales", "accountType": "REVENUE", "total": D("130000.00")}
    ]
    operating[1]["accounts"] = [
        {"name": "Wages", "accountType": "EXPENSE", "total": D("-110500.00")},
        {
            "name": "Interest Expense",
            "accountType": "EXPENSE",
            "reportingCode": "EXP.INT",
            "total": D("-1200.00"),
        },
        {"name": "Income Tax Expense", "accountType": "EXPENSE", "total": D("-300.00")},
    ]
    data["cashflowActivities"][1]["cashflowTypes"][0]["accounts"] = [
        {"name": "Equipment", "accountType": "FIXED", "total": D("-5000.00")}
    ]
    data["cashflowActivities"][2] = {
        "name": "Financing Activities",
        "total": D("-9000.00"),
        "cashflowTypes": [
            {
                "name": "Repayment of borrowings",
                "total": D("-4000.00"),
                "accounts": [{"name": "Loan", "accountType": "TERMLIAB", "total": D("-4000.00")}],
            },
            {
                "name": "Drawings",
                "total": D("-3000.00"),
                "accounts": [
                    {
                        "name": "Owner A Drawings",
                        "accountType": "EQUITY",
                        "reportingCode": "EQU.DRA",
                        "total": D("-3000.00"),
                    }
                ],
            },
            {
                "name": "Cash payments from other financing activities",
                "total": D("-2000.00"),
                "accounts": [
                    {
                        "name": "Income Tax Payable",
                        "accountType": "CURRLIAB",
                        "reportingCode": "LIA.CUR.TAX.INC",
                        "total": D("-2000.00"),
                    }
                ],
            },
        ],
    }
    data["cashBalance"]["netCashMovement"] = D("4000.00")
    return Cashflow.model_validate(data)


def test_both_bases_with_interest_once_and_drawings_and_tax_deducted() -> None:
    cf = cash_flow_figures(cashflow_with_accounts(), "GBP", "")
    assert (cf.interest_paid.amount, cf.interest_paid_in_operating.amount) == (D("1200"), D("1200"))
    assert (cf.income_tax_paid.amount, cf.income_tax_paid_in_operating.amount) == (
        D("2300.00"),
        D("300.00"),
    )
    assert cf.owner_drawings.amount == D("3000.00")
    a = loan_analysis(TERMS, PNL, cf, BS, BS_PREV, None, "no bank", "GBP", sales_tax_rate=NO_TAX)
    # Interest is the cash flow's 1,200 (the P&L accrued 1,500): added back once, and the
    # same 1,200 is in the debt service: 18,940.56 + 4,000 + 1,200 = 24,140.56.
    assert a.existing_interest.amount == D("1200.00")
    assert a.existing_interest_basis == "cashflow_interest_paid"
    assert a.interest_added_back.amount == D("1200.00")
    assert a.annual_debt_service.amount == D("24140.56")
    # OCF basis: 18,000 + 1,200 - 2,000 tax paid outside operating - 3,000 drawings.
    assert a.tax_paid_outside_operating.amount == D("2000.00")
    assert a.owner_drawings.amount == D("3000.00")
    assert a.cash_available_operating_cash_flow.amount == D("14200.00")
    # EBITDA basis: 30,500 - 2,300 tax paid - 3,000 drawings.
    assert a.tax_deducted_from_ebitda.amount == D("2300.00")
    assert a.cash_available_ebitda.amount == D("25200.00")
    assert a.dscr_operating_cash_flow == pytest.approx(14200 / 24140.56)
    assert a.dscr_ebitda == pytest.approx(25200 / 24140.56)
    assert a.dscr == a.dscr_operating_cash_flow and a.dscr_basis == "operating_cash_flow"
    assert a.cash_conversion == pytest.approx(14200 / 25200)


def test_uk_corporation_tax_paid_is_income_tax() -> None:
    data = cashflow_with_accounts().model_dump(by_alias=True)
    tax = data["cashflowActivities"][2]["cashflowTypes"][2]["accounts"][0]
    tax.update(name="Corporation Tax", reportingCode="LIA.CUR.TAX.COR")
    cf = cash_flow_figures(Cashflow.model_validate(data), "GBP", "")
    assert cf.income_tax_paid.amount == D("2300.00")  # 2,000 corporation tax + 300 expensed


def test_interest_paid_in_financing_is_not_added_back() -> None:
    # Interest coded to a liability sits in financing: OCF was never reduced by it, so
    # nothing is added back; it is still in the debt service.
    data = cashflow_with_accounts().model_dump(by_alias=True)
    operating_payments = data["cashflowActivities"][0]["cashflowTypes"][1]["accounts"]
    interest = operating_payments.pop(1)
    operating_payments[0]["total"] -= interest["total"]  # the 1,200 leaves operating ...
    data["cashflowActivities"][2]["cashflowTypes"][0]["accounts"].append(
        {**interest, "accountType": "TERMLIAB"}  # ... and is paid with the loan
    )
    data["cashflowActivities"][2]["cashflowTypes"][0]["total"] -= D("1200.00")
    cf = cash_flow_figures(Cashflow.model_validate(data), "GBP", "")
    a = loan_analysis(TERMS, PNL, cf, BS, BS_PREV, None, "no bank", "GBP", sales_tax_rate=NO_TAX)
    assert a.existing_interest.amount == D("1200.00")
    assert a.interest_added_back.amount == D("0.00")


def _repayments(in_debt: str, in_costs: str, outside: str, unknown: str = "0") -> DebtService:
    gbp = {
        "last_12_months_in_debt_service": Money.of(D(in_debt), "GBP"),
        "last_12_months_in_costs": Money.of(D(in_costs), "GBP"),
        "last_12_months_outside_books": Money.of(D(outside), "GBP"),
        "last_12_months_booking_unknown": Money.of(D(unknown), "GBP"),
    }
    return DebtService(
        streams=[],
        active_streams=1,
        annual_debt_service=None,
        currency="GBP",
        balance_sheet_debt=None,
        balance_sheet_debt_accounts=[],
        undisclosed_debt_suspected=None,
        streams_in_other_currencies=[],
        not_available=None,
        **gbp,
    )


def test_repayments_seen_in_the_bank_enter_the_debt_service_once() -> None:
    # The books' existing service is 4,000 principal + 1,500 interest. The bank shows 5,500
    # paid to lenders booked against the loan and interest (the same money: not added),
    # 1,200 booked as an overhead (moves from cash available to debt service) and 2,400
    # never in the books (added); 300 reconciled with no account detail is taken as in them.
    bank = _repayments("5500", "1200", "2400", "300")
    a = loan_analysis(
        TERMS, PNL, CF, BS, BS_PREV, None, "no bank", "GBP", sales_tax_rate=NO_TAX,
        bank_repayments=bank,
    )  # fmt: skip
    assert a.bank_repayments_in_debt_service.amount == D("5500.00")
    assert a.bank_repayments_booking_unknown.amount == D("300.00")
    assert a.existing_bank_debt_service.amount == D("3600.00")  # 1,200 + 2,400
    # 18,940.56 new + 4,000 + 1,500 + 3,600 = 28,040.56
    assert a.annual_debt_service.amount == D("28040.56")
    # OCF 18,000 + 1,500 interest added back + 1,200 repayments booked as costs
    assert a.cash_available_operating_cash_flow.amount == D("20700.00")
    assert a.dscr == pytest.approx(20700 / 28040.56)
    # EBITDA 30,500 - 0 tax - 0 drawings + 1,200
    assert a.cash_available_ebitda.amount == D("31700.00")
    assert a.dscr_ebitda == pytest.approx(31700 / 28040.56)
    # no bank lines: nothing added, every bank figure null with the reason
    none = loan_analysis(
        TERMS, PNL, CF, BS, BS_PREV, None, "no bank", "GBP", sales_tax_rate=NO_TAX,
        bank_repayments_reason="the snapshot holds no bank statement lines",
    )  # fmt: skip
    assert none.existing_bank_debt_service is None
    assert none.annual_debt_service.amount == D("24440.56")
    assert none.not_available["existing_bank_debt_service"] == (
        "the snapshot holds no bank statement lines"
    )


def test_copperleaf_hidden_loan_in_the_dscr_once() -> None:
    # copperleaf-catering books its iwoca repayments (617.50 a month) as interest: the
    # 7,410.00 of the current 12 months is the Cashflow's interest paid already, so it is in
    # the debt service once and nothing is added from the bank.
    from lendcheck.report import build_report
    from lendcheck.snapshot import load_snapshot
    from tests.conftest import SAMPLES

    terms = LoanTerms(D("50000"), 36, D("0.09"))
    a = build_report(load_snapshot(SAMPLES / "copperleaf-catering"), loan=terms).financials.loan
    assert a is not None
    assert a.existing_interest.amount == D("7410.00")  # 12 x 617.50
    assert a.existing_interest_basis == "cashflow_interest_paid"
    assert a.existing_principal_repayments.amount == D("0.00")  # no loan in the books
    assert a.bank_repayments_in_debt_service.amount == D("7410.00")
    assert a.existing_bank_debt_service.amount == D("0.00")
    # 1,589.99 x 12 new + 7,410.00 = 26,489.88
    assert a.new_annual_debt_service.amount == D("19079.88")
    assert a.annual_debt_service.amount == D("26489.88")
    # the owner's 34,800.00 paid in as round sums since August 2026 is booked as sales (its
    # VAT unpaid, like the rest) and so is operating cash: 110,755.05 without it
    assert a.cash_available_operating_cash_flow.amount == D("145555.05")
    assert a.dscr == pytest.approx(145555.05 / 26489.88)


def test_kowhai_repayments_the_books_have_not_recorded_are_added() -> None:
    # kowhai-builders stopped reconciling in March 2026: 7 of its 12 ASB Equipment Finance
    # payments (2,450.71 each, 17,154.97) are in the bank but not in the books' Cashflow.
    from lendcheck.report import build_report
    from lendcheck.snapshot import load_snapshot
    from tests.conftest import SAMPLES

    terms = LoanTerms(D("150000"), 60, D("0.10"))
    a = build_report(load_snapshot(SAMPLES / "kowhai-builders"), loan=terms).financials.loan
    assert a is not None
    # in the books: principal 9,687.14 + interest 2,566.41 = 12,253.55 = 5 x 2,450.71
    assert a.bank_repayments_in_debt_service.amount == D("12253.55")
    assert a.bank_repayments_outside_books.amount == D("17154.97")  # 7 x 2,450.71
    assert a.existing_bank_debt_service.amount == D("17154.97")
    # 50,498.27 from the books (test above) + 17,154.97
    assert a.annual_debt_service.amount == D("67653.24")
    assert a.cash_available_operating_cash_flow.amount == D("-772396.46")  # unchanged


def test_kowhai_builders_dscr_on_both_bases_and_the_gap() -> None:
    from lendcheck.frames import bank_frames
    from lendcheck.metrics.analysis import analyse_financials
    from lendcheck.report.inputs import financial_inputs
    from lendcheck.snapshot import load_snapshot
    from tests.conftest import SAMPLES

    snapshot = load_snapshot(SAMPLES / "kowhai-builders")
    inputs = financial_inputs(snapshot, snapshot.as_of, snapshot.months)
    terms = LoanTerms(D("150000"), 60, D("0.10"))
    a = analyse_financials(inputs, bank_frames(snapshot), snapshot.as_of, terms).loan
    assert a is not None
    # Service: 3,187.06 x 12 + principal 9,687.14 + interest paid 2,566.41 = 50,498.27.
    assert a.annual_debt_service.amount == D("50498.27")
    # OCF -774,962.87 + 2,566.41 interest paid in operating: DSCR -15.3.
    assert a.cash_available_operating_cash_flow.amount == D("-772396.46")
    assert round(D(a.dscr_operating_cash_flow), 1) == D("-15.3")
    # EBITDA +202,595.87 (no tax paid, no drawings): DSCR 4.01 on that basis.
    assert a.cash_available_ebitda.amount == D("202595.87")
    assert round(D(a.dscr_ebitda), 2) == D("4.01")
    assert a.dscr == a.dscr_operating_cash_flow
    assert round(D(a.cash_conversion), 4) == D("-3.8125")  # -772,396.46 / 202,595.87


def test_interest_cover_and_debt_to_ebitda() -> None:
    d = debt_capacity(PNL, BS, "GBP")
    # EBIT = EBITDA 30,500 - depreciation 2,000 = 28,500; interest 1,500: covered 19 times.
    assert d.ebit.amount == D("28500.00")
    assert d.interest_cover == pytest.approx(19)
    # Total debt 20,000 (the balance sheet's) over EBITDA 30,500.
    assert d.total_debt.amount == D("20000.00")
    assert d.debt_to_ebitda == pytest.approx(20000 / 30500)
    none = debt_capacity(NO_PNL, NO_BS, "GBP")
    assert none.interest_cover is None and none.debt_to_ebitda is None
    assert none.not_available["interest_cover"] == "no P&L"
    # each ratio gives its missing input's own reason: the numerator's first
    assert none.not_available["debt_to_ebitda"] == "no balance sheet"
    no_sheet = debt_capacity(PNL, NO_BS, "GBP")
    assert no_sheet.interest_cover == pytest.approx(19)
    assert no_sheet.not_available == {
        "total_debt": "no balance sheet",
        "debt_to_ebitda": "no balance sheet",
    }
