"""Sales tax: bank receipts (tax included) against revenue and cash flow receipts (tax
excluded), like with like (issue 16 finding 3). Values from harbour-cafe (UK, 20 % VAT) and the
hand-made lines of ``build.bank_statements``."""

from __future__ import annotations

import copy
from decimal import ROUND_HALF_UP
from decimal import Decimal as D
from functools import cache
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from lendcheck.frames import frames_from_bank_statements
from lendcheck.metrics.analysis import analyse_financials
from lendcheck.metrics.bank_to_books import bank_to_books, effective_sales_tax_rate
from lendcheck.metrics.concentration import not_available_concentration
from lendcheck.metrics.financials import (
    balance_sheet_figures,
    cash_flow_figures,
    pnl_figures,
)
from lendcheck.metrics.loan import LoanAnalysis, LoanTerms, loan_analysis
from lendcheck.report.inputs import financial_inputs
from lendcheck.snapshot import load_snapshot
from lendcheck.xero.models import (
    BalanceSheet,
    BankStatements,
    Cashflow,
    ProfitAndLoss,
    TrialBalance,
)
from tests.conftest import SAMPLES

from .build import (
    AS_OF,
    BANK1,
    START,
    balance_sheet_dict,
    balance_sheet_previous_dict,
    bank_statements,
    bank_tx,
    cashflow_dict,
    line,
    pnl_dict,
)

CONTACTS = not_available_concentration("contacts_revenue", "not needed here")
# The terms that give harbour-cafe the DSCR of 1.7951.
HARBOUR_TERMS = LoanTerms(D("100000"), 36, D("0.09"))


@cache
def harbour() -> Any:
    snapshot = load_snapshot(SAMPLES / "harbour-cafe")
    return financial_inputs(snapshot, snapshot.as_of, snapshot.months), snapshot


def test_effective_rate_from_harbour_cafes_trial_balance() -> None:
    inputs, _ = harbour()
    rate, reason = effective_sales_tax_rate(inputs.trial_balance, "")
    # VAT account credits 63,964.20 over income 289,997.71 (Sales) + 29,823.41 - 64.06
    # (Wholesale) + 649.53 (Interest Income) = 320,406.59, April to October 2026.
    assert (rate, reason) == (D("63964.20") / D("320406.59"), "")
    assert round(rate, 4) == D("0.1996")


def tb(*accounts: dict[str, Any]) -> TrialBalance:
    return TrialBalance.model_validate({"endDate": AS_OF.isoformat(), "accounts": list(accounts)})


def tb_account(name: str, code: str | None, klass: str, debits: str, credits: str) -> dict:
    out: dict[str, Any] = {
        "accountName": name,
        "accountClass": klass,
        "accountMovement": {"debits": D(debits), "credits": D(credits)},
    }
    if code:
        out["reportingCode"] = code
    return out


def test_effective_rate_rules() -> None:
    sales = tb_account("Sales", "REV.TRA", "REVENUE", "100.00", "10100.00")  # 10,000 net
    gst = tb_account("GST", "LIA.CUR.TAX.GST", "LIABILITY", "900.00", "1500.00")
    assert effective_sales_tax_rate(tb(sales, gst), "") == (D("0.15"), "")
    # Found by name without a reporting code; other tax accounts (income tax) are not it.
    by_name = tb_account("VAT", None, "LIABILITY", "0", "2000.00")
    income_tax = tb_account("Income Tax", "LIA.CUR.TAX.INC", "LIABILITY", "0", "999.00")
    assert effective_sales_tax_rate(tb(sales, by_name, income_tax), "")[0] == D("0.2")
    # UK VAT's own code; a corporation tax account whose name says VAT is not sales tax.
    uk_vat = tb_account("Output tax", "LIA.CUR.TAX.VAT", "LIABILITY", "0", "2000.00")
    corporation = tb_account("VAT and CT", "LIA.CUR.TAX.COR", "LIABILITY", "0", "500.00")
    assert effective_sales_tax_rate(tb(sales, uk_vat, corporation), "")[0] == D("0.2")
    # No sales tax account: not registered, receipts carry no tax.
    assert effective_sales_tax_rate(tb(sales), "") == (D(0), "")
    assert effective_sales_tax_rate(None, "Xero answered 503") == (
        None,
        "no trial balance to take the sales tax rate from (Xero answered 503)",
    )
    no_income = tb_account("Sales", "REV.TRA", "REVENUE", "0", "0")
    assert effective_sales_tax_rate(tb(no_income, gst), "")[0] is None
    unmoved = {"accountName": "GST", "reportingCode": "LIA.CUR.TAX.GST"}
    rate, reason = effective_sales_tax_rate(tb(sales, unmoved), "")
    assert rate is None and "no debits and credits for 'GST'" in reason


def test_harbour_cafe_cash_flow_keeps_vat_apart_from_receipts() -> None:
    inputs, _ = harbour()
    f = cash_flow_figures(inputs.cashflow_current, "GBP", "")
    # Receipts from customers 511,407.52 + other operating receipts (interest) 1,019.41; the
    # 12,053.23 "Net GST/VAT received (paid)" is not a receipt (it was counted as one).
    assert f.operating_receipts.amount == D("512426.93")
    assert f.net_sales_tax.amount == D("12053.23")
    assert f.operating_payments.amount == D("-439902.26")
    # Net of VAT (income accounts): Sales 451,819.16 + Wholesale 528.41 + Interest 1,019.41;
    # the other 59,059.95 (Accounts Receivable) is tax-inclusive.
    assert f.operating_receipts_on_income_accounts.amount == D("453366.98")


def test_harbour_cafe_typed_receipts_now_move_the_bank_verified_dscr() -> None:
    inputs, snapshot = harbour()
    from lendcheck.frames import bank_frames

    a = analyse_financials(inputs, bank_frames(snapshot), snapshot.as_of, HARBOUR_TERMS).loan
    assert a is not None
    assert round(D(a.dscr), 4) == D("1.7951")  # 86,343.01 / 48,100.32
    # Like with like: 512,426.93 + 453,366.98 x 0.19963 = 602,934.61 of tax-inclusive receipts
    # in the books against 594,231.46 the bank feeds: 8,703.15 not verified.
    assert a.replaced_inflows_with_sales_tax.amount == D("602934.61")
    assert a.bank_verified_receipts.amount == D("594231.46")
    assert a.bank_verified_cash_available.amount == D("77639.86")  # 86,343.01 - 8,703.15
    assert round(D(a.bank_verified_dscr), 4) == D("1.6141")  # was 1.7951: VAT hid 69,751.30
    # The case: 69,751.30 of these receipts typed by hand instead of fed. The
    # bank-verified figure used to stay at 1.7951; now it falls by exactly that amount.
    typed = D("69751.30")
    pnl = pnl_figures(inputs.pnl_current, "GBP", "")
    cf = cash_flow_figures(inputs.cashflow_current, "GBP", "")
    bs = balance_sheet_figures(inputs.balance_sheet_current, pnl, "GBP", "")
    bs_prev = balance_sheet_figures(inputs.balance_sheet_previous, pnl, "GBP", "")
    rate = effective_sales_tax_rate(inputs.trial_balance, "")[0]
    fewer = loan_analysis(
        HARBOUR_TERMS,
        pnl,
        cf,
        bs,
        bs_prev,
        D("594231.46") - typed,
        "",
        "GBP",
        sales_tax_rate=rate,
    )
    assert fewer.bank_verified_cash_available.amount == D("77639.86") - typed
    assert fewer.dscr == a.dscr


# --- Property: a receipt typed by hand never raises a bank-verified figure ---------------------

TAX_RATE = D("0.2")  # the statements' effective rate in the properties below
PNL = pnl_figures(ProfitAndLoss.model_validate(pnl_dict()), "GBP", "")
BS = balance_sheet_figures(BalanceSheet.model_validate(balance_sheet_dict()), PNL, "GBP", "")
BS_PREV = balance_sheet_figures(
    BalanceSheet.model_validate(balance_sheet_previous_dict()), PNL, "GBP", ""
)
TERMS = LoanTerms(D("50000"), 36, D("0.085"))
CENT = D("0.01")


def typed_statement(amount: D, reconciled: bool) -> BankStatements:
    """One receipt typed by hand into BANK1 (the applicant's own entry, no bank behind it),
    reconciled to a revenue-coded bank transaction or left unreconciled."""
    extra: dict[str, Any] = (
        {"isReconciled": True, "bankTransactions": [bank_tx(f"{amount}", None, "REVENUE")]}
        if reconciled
        else {}
    )
    return BankStatements.model_validate(
        {
            "bankAccountId": BANK1,
            "bankAccountCurrencyCode": "GBP",
            "statements": [
                {
                    "statementId": "typed",
                    "importSource": "STMTIMPORTSRC/MANUAL",
                    "statementLines": [line("typed-1", f"{amount}", **extra)],
                }
            ],
        }
    )


def books_with(net: D, tax: D) -> tuple[Any, Any]:
    """The P&L and cash flow once a receipt of ``net`` + ``tax`` is booked: revenue and
    receipts from customers up by the net, the net sales tax line by the tax, operating cash
    flow and net cash movement by both."""
    pnl = pnl_dict()
    pnl["revenue"]["total"] += net
    pnl["revenue"]["accountTypes"][0]["total"] += net
    pnl["revenue"]["accountTypes"][0]["accounts"][0]["total"] += net
    pnl["netProfitLoss"] += net
    cf = copy.deepcopy(cashflow_dict())
    operating = cf["cashflowActivities"][0]
    operating["total"] += net + tax
    operating["cashflowTypes"][0]["total"] += net
    operating["cashflowTypes"].append({"name": "Net GST/VAT received (paid)", "total": tax})
    cf["cashBalance"]["netCashMovement"] += net + tax
    cf["cashBalance"]["closingCashBalance"] += net + tax
    return (
        pnl_figures(ProfitAndLoss.model_validate(pnl), "GBP", ""),
        cash_flow_figures(Cashflow.model_validate(cf), "GBP", ""),
    )


def verified(pnl: Any, cf: Any, statements: list[BankStatements]) -> tuple[Any, LoanAnalysis]:
    frames = frames_from_bank_statements([(f"f{i}", s) for i, s in enumerate(statements)])
    books = bank_to_books(pnl.revenue.amount, "", frames, (START, AS_OF), "GBP", CONTACTS, TAX_RATE)
    loan = loan_analysis(
        TERMS,
        pnl,
        cf,
        BS,
        BS_PREV,
        books.bank_verified_receipts.amount,
        "",
        "GBP",
        sales_tax_rate=TAX_RATE,
    )
    return books, loan


@settings(max_examples=60, deadline=None)
@given(
    net=st.decimals(min_value=D("0.01"), max_value=D("500000"), places=2),
    rate=st.sampled_from([D("0"), D("0.05"), D("0.125"), D("0.15"), D("0.2")]),
    reconciled=st.booleans(),
    with_cash_flow=st.booleans(),
)
def test_a_typed_receipt_never_raises_a_bank_verified_figure(
    net: D, rate: D, reconciled: bool, with_cash_flow: bool
) -> None:
    # The receipt's tax as Xero computes it: the net at the rate, rounded to the cent.
    tax = (net * rate).quantize(CENT, rounding=ROUND_HALF_UP)
    base_pnl, base_cf = books_with(D(0), D(0))
    pnl, cf = books_with(net, tax)
    if not with_cash_flow:  # the EBITDA basis (no Cashflow, as for US organisations)
        base_cf = cf = cash_flow_figures(None, "GBP", "not available")
    before_books, before = verified(base_pnl, base_cf, bank_statements())
    after_books, after = verified(
        pnl, cf, [*bank_statements(), typed_statement(net + tax, reconciled)]
    )
    # The books took the receipt in...
    assert (
        after.cash_available_for_debt_service.amount > before.cash_available_for_debt_service.amount
    )
    # ...the bank-verified figures did not: the receipt's own tax is at most half a cent
    # above the net x rate the comparison grosses up by (Xero rounds each tax amount).
    assert after_books.bank_verified_receipts == before_books.bank_verified_receipts
    rise = after.bank_verified_cash_available.amount - before.bank_verified_cash_available.amount
    assert rise <= CENT
    assert after.bank_verified_dscr <= before.bank_verified_dscr + float(CENT) / float(
        before.annual_debt_service.amount
    )
