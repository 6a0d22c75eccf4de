"""How the business behaves over time, as lenders' bank-data tools show it: monthly trends,
daily balances, returned payments, existing debt service, tax arrears and hygiene signals.

:func:`analyse_behaviour` is the entry point the report calls; it composes
:mod:`~lendcheck.metrics.trends`, :mod:`~lendcheck.metrics.daily_balances`,
:mod:`~lendcheck.metrics.returned_payments`, :mod:`~lendcheck.metrics.debt_service`,
:mod:`~lendcheck.metrics.tax_arrears` and :mod:`~lendcheck.metrics.hygiene`. Pure.
"""

from __future__ import annotations

import datetime as dt

import polars as pl
from pydantic import Field

from lendcheck.frames import BankFrames
from lendcheck.metrics._common import Payees
from lendcheck.metrics.analysis import FinancialInputs
from lendcheck.metrics.daily_balances import AccountBalances, daily_balances
from lendcheck.metrics.debt_service import DebtService, debt_service
from lendcheck.metrics.hygiene import Hygiene, hygiene
from lendcheck.metrics.returned_payments import ReturnedPayments, returned_payments
from lendcheck.metrics.tax_arrears import TaxArrears, tax_arrears
from lendcheck.metrics.trends import MonthlyTrends, monthly_trends
from lendcheck.report_types import ReportModel

__all__ = ["BehaviourAnalysis", "analyse_behaviour"]


class BehaviourAnalysis(ReportModel):
    """Trends and behaviour signals of the applicant (docs/metrics.md, "Trends and behaviour").

    Attributes:
        monthly: :class:`~lendcheck.metrics.trends.MonthlyTrends`.
        daily_balances: one :class:`~lendcheck.metrics.daily_balances.AccountBalances` per
            bank account with statements, by account id.
        returned_payments: :class:`~lendcheck.metrics.returned_payments.ReturnedPayments`;
            None when the snapshot holds no statement lines (``not_available`` says why).
        debt_service: :class:`~lendcheck.metrics.debt_service.DebtService`; None likewise.
        tax_arrears: :class:`~lendcheck.metrics.tax_arrears.TaxArrears` (its balance-sheet
            figures stand without lines; its bank figures are then null).
        hygiene: :class:`~lendcheck.metrics.hygiene.Hygiene`; None likewise.
        not_available: why each section that is None is missing, by section name: signals
            read from statement lines are absent with the reason when there are none, never
            counts of 0 (an Accounting-API-only report: the Accounting API does not expose bank
            statement lines).
    """

    monthly: MonthlyTrends
    daily_balances: list[AccountBalances]
    returned_payments: ReturnedPayments | None
    debt_service: DebtService | None
    tax_arrears: TaxArrears
    hygiene: Hygiene | None
    not_available: dict[str, str] = Field(default_factory=dict)


def analyse_behaviour(
    frames: BankFrames,
    inputs: FinancialInputs,
    as_of: dt.date,
    statements_from: dt.date | None = None,
    monthly_pnl: pl.DataFrame | None = None,
    no_lines_reason: str = "the snapshot holds no bank statement lines",
    monthly_pnl_gap: str | None = None,
    classes: pl.DataFrame | None = None,
) -> BehaviourAnalysis:
    """Every trend and behaviour signal of one applicant.

    Args:
        frames: the snapshot's bank frames (:func:`lendcheck.frames.bank_frames`).
        inputs: the financial statements (:func:`lendcheck.report.inputs.financial_inputs`):
            the balance sheets now and a year before.
        as_of: the report date.
        statements_from: the first day of the statement windows asked for.
        monthly_pnl: the monthly P&L frame
            (:func:`lendcheck.metrics.monthly_pnl.monthly_pnl_frame`), or None.
        no_lines_reason: why the statement-line signals are missing when the frames hold no
            statement line.
        monthly_pnl_gap: the evidence the monthly P&L series lacks for year on year and
            seasonality (a planned call the snapshot does not hold), or None.
        classes: the statement lines' classes, ``line_classes(frames.statement_lines,
            as_of)`` collected (:func:`lendcheck.metrics._common.line_classes`), when the
            caller has them (the bank figures are summed from the same); else made here.
    """
    accounts = frames.bank_accounts
    currencies = {r["bank_account_id"]: r["currency"] or "" for r in accounts.iter_rows(named=True)}
    names = {
        r["bank_account_id"]: r["bank_account_name"] or "" for r in accounts.iter_rows(named=True)
    }
    lines = frames.statement_lines
    no_lines = lines.height == 0
    # the payees keyed once for the four metrics that test them
    payees = Payees.of(lines)
    return BehaviourAnalysis(
        monthly=monthly_trends(
            lines,
            frames.statements,
            currencies,
            as_of,
            statements_from,
            monthly_pnl,
            inputs.currency,
            monthly_pnl_gap,
            classes,
        ),
        daily_balances=daily_balances(lines, frames.statements, currencies, as_of, names),
        returned_payments=None if no_lines else returned_payments(lines, currencies, as_of, payees),
        debt_service=None
        if no_lines
        else debt_service(
            lines,
            names,
            currencies,
            inputs.balance_sheet_current,
            inputs.currency,
            as_of,
            inputs.reason("balance_sheet_current"),
            frames.links,
            payees,
        ),
        tax_arrears=tax_arrears(
            lines,
            currencies,
            inputs.balance_sheet_current,
            inputs.balance_sheet_previous,
            inputs.currency,
            as_of,
            payees,
        ),
        hygiene=None if no_lines else hygiene(lines, currencies, as_of, names, payees),
        not_available=dict.fromkeys(
            ("returned_payments", "debt_service", "hygiene"), no_lines_reason
        )
        if no_lines
        else {},
    )
