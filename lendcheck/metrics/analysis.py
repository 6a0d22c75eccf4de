"""The financial analysis of one applicant: one entry point composing the P&L, balance sheet,
cash flow, loan, concentration, bank-to-books and integrity figures.

:func:`analyse_financials` turns the Xero reports (:class:`FinancialInputs`, chosen from a
snapshot by :func:`lendcheck.report.inputs.financial_inputs`, naming every one that is missing
and why), with the bank frames, into one :class:`FinancialAnalysis`. Pure: models and frames
in, no snapshot, no file I/O, no clock.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Literal

from lendcheck.frames import BankFrames
from lendcheck.metrics.bank_to_books import BankToBooks, bank_to_books, effective_sales_tax_rate
from lendcheck.metrics.concentration import Concentration, concentration
from lendcheck.metrics.debt_service import DebtService
from lendcheck.metrics.financials import (
    NO_LINES,
    BalanceSheetSection,
    CashFlowSection,
    ExecutiveSummarySection,
    ProfitAndLossSection,
    amount_of,
    balance_sheet_figures,
    cash_flow_figures,
    cash_flow_section,
    pnl_figures,
    profit_and_loss_section,
    summary_period,
)
from lendcheck.metrics.integrity import (
    DEFAULT_INTEGRITY_TOLERANCES,
    IntegrityCheck,
    IntegrityTolerances,
    integrity_checks,
)
from lendcheck.metrics.loan import (
    DebtCapacity,
    LoanAnalysis,
    LoanTerms,
    debt_capacity,
    loan_analysis,
)
from lendcheck.report_types import ReportModel
from lendcheck.xero import fetch_plan as fp
from lendcheck.xero.models import (
    BalanceSheet,
    Cashflow,
    IncomeByContact,
    ProfitAndLoss,
    TrialBalance,
)

__all__ = [
    "INPUT_NAMES",
    "CurrencyBasis",
    "FinancialAnalysis",
    "FinancialInputs",
    "LoanTerms",
    "analyse_financials",
]

#: The inputs of the analysis, by the names used in ``FinancialInputs.missing``.
INPUT_NAMES = (
    "pnl_current",
    "pnl_previous",
    "pnl_month",
    "balance_sheet_current",
    "balance_sheet_previous",
    "cashflow_current",
    "cashflow_previous",
    "trial_balance",
    "contacts_revenue",
    "contacts_expense",
)


@dataclass(frozen=True)
class FinancialInputs:
    """The Xero reports the analysis reads; each None when the snapshot lacks it or Xero
    refused it.

    Attributes:
        pnl_current, pnl_previous: ProfitAndLoss of the 12 months ending at ``as_of`` and
            the 12 months before.
        pnl_month: ProfitAndLoss of the month ending at ``as_of`` (Executive Summary).
        balance_sheet_current, balance_sheet_previous: BalanceSheet at ``as_of`` and a year
            before.
        cashflow_current, cashflow_previous: Cashflow of the same periods as the P&L.
        trial_balance: TrialBalance at ``as_of``.
        contacts_revenue, contacts_expense: contacts reports of the current period.
        missing: input name -> why it is missing (e.g. "Xero answered 400: Cashflow
            statement is not available in US region").
        currency: the organisation's base currency (ISO 4217; "" when unknown).
        currency_basis: what established it
            (:class:`lendcheck.report.inputs.BaseCurrency`); None when unknown.
        currency_reason: why it could not be established ("" when known).
    """

    pnl_current: ProfitAndLoss | None = None
    pnl_previous: ProfitAndLoss | None = None
    pnl_month: ProfitAndLoss | None = None
    balance_sheet_current: BalanceSheet | None = None
    balance_sheet_previous: BalanceSheet | None = None
    cashflow_current: Cashflow | None = None
    cashflow_previous: Cashflow | None = None
    trial_balance: TrialBalance | None = None
    contacts_revenue: IncomeByContact | None = None
    contacts_expense: IncomeByContact | None = None
    missing: dict[str, str] = field(default_factory=dict)
    currency: str = ""
    currency_basis: CurrencyBasis | None = None
    currency_reason: str = ""

    def reason(self, name: str) -> str:
        """Why input ``name`` is None (a generic reason when ``missing`` does not say)."""
        return self.missing.get(name) or f"{name} is not available"


CurrencyBasis = Literal["organisation", "financial_statements"]


class FinancialAnalysis(ReportModel):
    """The financial analysis of one applicant.

    Attributes:
        as_of: the report date.
        currency: the base currency of every amount.
        period_start, period_end: the current 12-month period (inclusive).
        profit_and_loss: current and previous P&L side by side, with growth.
        balance_sheet: balance sheets at ``as_of`` and a year before, with ratios and Xero
            Executive Summary days.
        executive_summary: Xero's Executive Summary figures for the month ending at ``as_of``
            beside the 12 months', each labelled with its period.
        cash_flow: cash flow of both periods and months of runway.
        loan: repayment and DSCR of the loan applied for; None when no terms were given.
        debt_capacity: interest cover and debt to EBITDA of the debt carried now.
        concentration: customer and supplier concentration, aged receivables.
        bank_to_books: P&L revenue against bank inflows; cash-verified revenue.
        integrity_checks: cross-statement checks, each pass / fail / not checked.
        missing_inputs: input name -> why the analysis lacks it.
    """

    as_of: date
    currency: str
    period_start: date
    period_end: date
    profit_and_loss: ProfitAndLossSection
    balance_sheet: BalanceSheetSection
    executive_summary: ExecutiveSummarySection
    cash_flow: CashFlowSection
    loan: LoanAnalysis | None
    debt_capacity: DebtCapacity
    concentration: Concentration
    bank_to_books: BankToBooks
    integrity_checks: list[IntegrityCheck]
    missing_inputs: dict[str, str]


def analyse_financials(
    inputs: FinancialInputs,
    bank: BankFrames | None,
    as_of: date,
    loan: LoanTerms | None = None,
    bank_gap: str | None = None,
    tolerances: IntegrityTolerances = DEFAULT_INTEGRITY_TOLERANCES,
    bank_repayments: DebtService | None = None,
    bank_repayments_reason: str = "the bank statement lines are not available",
) -> FinancialAnalysis:
    """Compute every financial figure of the report.

    Args:
        inputs: the Xero reports (see :func:`lendcheck.report.inputs.financial_inputs`).
        bank: the snapshot's bank frames (:func:`lendcheck.frames.bank_frames`); None when
            the snapshot holds no bank statements.
        as_of: the report date.
        loan: the loan applied for, or None (then ``loan`` is None).
        bank_gap: why the bank statement lines are incomplete (planned BankStatementsPlus
            windows the snapshot does not hold), else None: checks bounded by those lines are
            then not made.
        tolerances: the integrity checks' tolerances (the policy's ``[integrity]``).
        bank_repayments: the repayments to lenders seen in the bank
            (:func:`lendcheck.metrics.debt_service.debt_service`): the existing debt service
            the books miss enters the loan's DSCR; None: not known (``bank_repayments_reason``).

    Returns:
        :class:`FinancialAnalysis`. Never raises for missing or empty inputs: every figure
        that cannot be computed is None with its reason.
    """
    currency = inputs.currency
    pnl = inputs.pnl_current
    if pnl is not None and pnl.start_date and pnl.end_date:
        period = (pnl.start_date, pnl.end_date)
    else:
        period = fp.period(as_of, 0)
    pnl_current = pnl_figures(pnl, currency, inputs.reason("pnl_current"))
    pnl_previous = pnl_figures(inputs.pnl_previous, currency, inputs.reason("pnl_previous"))
    bs_current = balance_sheet_figures(
        inputs.balance_sheet_current, pnl_current, currency, inputs.reason("balance_sheet_current")
    )
    bs_previous = balance_sheet_figures(
        inputs.balance_sheet_previous,
        pnl_previous,
        currency,
        inputs.reason("balance_sheet_previous"),
    )
    pnl_month = pnl_figures(inputs.pnl_month, currency, inputs.reason("pnl_month"))
    bs_month = balance_sheet_figures(
        inputs.balance_sheet_current, pnl_month, currency, inputs.reason("balance_sheet_current")
    )
    cf_current = cash_flow_figures(
        inputs.cashflow_current, currency, inputs.reason("cashflow_current")
    )
    cf_previous = cash_flow_figures(
        inputs.cashflow_previous, currency, inputs.reason("cashflow_previous")
    )
    conc = concentration(inputs.contacts_revenue, inputs.contacts_expense, currency, inputs.missing)
    tax_rate, tax_reason = effective_sales_tax_rate(
        inputs.trial_balance, inputs.reason("trial_balance")
    )
    books = bank_to_books(
        amount_of(pnl_current.revenue),
        pnl_current.not_available.get("revenue", ""),
        bank,
        period,
        currency,
        conc.customers,
        tax_rate,
        tax_reason,
        no_lines_reason=inputs.missing.get("bank_statement_lines") or NO_LINES,
    )
    loan_result = None
    if loan is not None:
        loan_result = loan_analysis(
            loan,
            pnl_current,
            cf_current,
            bs_current,
            bs_previous,
            amount_of(books.bank_verified_receipts),
            books.not_available.get("bank_verified_receipts", ""),
            currency,
            sales_tax_rate=tax_rate,
            sales_tax_reason=tax_reason,
            bank_repayments=bank_repayments,
            bank_repayments_reason=bank_repayments_reason,
        )
    if loan_result is not None and period != fp.period(period[1]):
        # A shorter period's cash against a year's debt service would understate the cover.
        why = (
            f"the P&L read covers {period[0]} to {period[1]}, not 12 months: DSCR compares a "
            "year's cash with a year's debt service"
        )
        dscrs = (
            "cash_available_operating_cash_flow",
            "cash_available_ebitda",
            "dscr_operating_cash_flow",
            "dscr_ebitda",
            "cash_available_for_debt_service",
            "dscr",
        )
        verified = ("bank_verified_cash_available", "bank_verified_dscr")
        loan_result = loan_result.model_copy(
            update=dict.fromkeys(dscrs + verified)
            | {
                "not_available": {
                    **loan_result.not_available,
                    **dict.fromkeys(dscrs + verified, why),
                }
            }
        )
    return FinancialAnalysis(
        as_of=as_of,
        currency=currency,
        period_start=period[0],
        period_end=period[1],
        profit_and_loss=profit_and_loss_section(pnl_current, pnl_previous),
        balance_sheet=BalanceSheetSection(current=bs_current, previous=bs_previous),
        executive_summary=ExecutiveSummarySection(
            balance_date=bs_current.balance_date,
            month=summary_period(pnl_month, bs_month, fp.month_period(as_of)),
            twelve_months=summary_period(pnl_current, bs_current, fp.period(as_of)),
        ),
        cash_flow=cash_flow_section(
            cf_current,
            cf_previous,
            bs_current,
            bank,
            period,
            currency,
            amount_of(books.financing_receipts),
            no_lines_reason=inputs.missing.get("bank_statement_lines"),
        ),
        loan=loan_result,
        debt_capacity=debt_capacity(pnl_current, bs_current, currency),
        concentration=conc,
        bank_to_books=books,
        integrity_checks=integrity_checks(
            trial_balance=inputs.trial_balance,
            balance_sheet_current=inputs.balance_sheet_current,
            balance_sheet_previous=inputs.balance_sheet_previous,
            pnl_current=pnl,
            pnl_previous=inputs.pnl_previous,
            cashflow_current=inputs.cashflow_current,
            contacts_revenue=inputs.contacts_revenue,
            bank=bank,
            as_of=as_of,
            currency=currency,
            missing=inputs.missing,
            bank_gap=bank_gap or inputs.missing.get("bank_statement_lines"),
            tolerances=tolerances,
        ),
        missing_inputs=dict(sorted(inputs.missing.items())),
    )
