"""Reconciliation cadence: CashValidation as at each of the last 12 month ends.

Xero's ``asAtSystemDate`` answers CashValidation as the books stood on a past day ("this can be
used to estimate a historical frequency of reconciliation"). The fetch plan asks for it at each
month end before ``as_of`` (:func:`lendcheck.xero.fetch_plan.month_ends_before`), with
``balanceDate`` equal to that month end. The series shows whether the bookkeeping was kept up
month after month or tidied just before the application.

Xero's caveat, carried into the result: historical figures are estimates, and lines deleted by
the time of the call count as always deleted.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from lendcheck.report_types import Days, Mean, Money, ReportModel, Share
from lendcheck.xero import fetch_plan as fp
from lendcheck.xero.models import CashValidationAccount

#: Shown with every cadence series (Xero's own wording, condensed).
ESTIMATE_NOTE = (
    "Xero calls CashValidation figures as at a past system date estimates: information is only "
    "presented when its system architecture allows, and lines deleted by now count as always "
    "deleted."
)


class CadencePoint(ReportModel):
    """One account's CashValidation as at one month end (figures are Xero's, estimates).

    Attributes:
        month_end: the ``asAtSystemDate`` (= ``balanceDate``) of the call.
        not_available: why the figures are null (call missing from the snapshot or account
            absent from its response), else None.
        unreconciled_lines: Xero ``unreconciledLines``.
        reconciled_lines: Xero ``reconciledLines``.
        reconciled_share_by_count: reconciled / (reconciled + unreconciled lines), in [0, 1].
        unreconciled_amount_pos/neg: Xero ``unreconciledAmountPos``/``Neg``.
        avg_days_unreconciled_pos/neg: Xero ``avgDaysUnreconciledPos``/``Neg`` (value-weighted
            age in days at the month end).
        earliest_unreconciled_transaction: Xero's field of this name.
    """

    month_end: dt.date
    not_available: str | None = None
    unreconciled_lines: int | None = None
    reconciled_lines: int | None = None
    reconciled_share_by_count: Share = None
    unreconciled_amount_pos: Money | None = None
    unreconciled_amount_neg: Money | None = None
    avg_days_unreconciled_pos: Days = None
    avg_days_unreconciled_neg: Days = None
    earliest_unreconciled_transaction: dt.date | None = None


class Cadence(ReportModel):
    """The reconciliation cadence series of one account.

    Attributes:
        not_available: why there is no series at all (no cadence call in the snapshot), else
            None.
        estimate_note: Xero's caveat that historical figures are estimates.
        months_available: month ends with figures for this account.
        points: one :class:`CadencePoint` per expected month end, oldest first.
        max_unreconciled_lines: the most unreconciled lines at any month end.
        mean_unreconciled_lines: their mean over the available month ends.
    """

    not_available: str | None = None
    estimate_note: str = ESTIMATE_NOTE
    months_available: int
    points: list[CadencePoint]
    max_unreconciled_lines: int | None
    mean_unreconciled_lines: Mean


def _point(
    month_end: dt.date, account: CashValidationAccount | None, currency: str, call_present: bool
) -> CadencePoint:
    if account is None:
        reason = (
            "account absent from the CashValidation response as at this month end"
            if call_present
            else "no CashValidation as at this month end in the snapshot"
        )
        return CadencePoint(month_end=month_end, not_available=reason)
    lines = account.bank_statement.statement_lines if account.bank_statement else None
    if lines is None:
        return CadencePoint(month_end=month_end, not_available="no statementLines in the response")
    unrec, rec = lines.unreconciled_lines, lines.reconciled_lines
    # A negative count or age is no figure at all (the models keep it so the cross-check can
    # show it): a share or mean computed from it would be out of range, so the point is dropped.
    impossible = [
        f"{name} {value}"
        for name, value in (
            ("unreconciledLines", unrec),
            ("reconciledLines", rec),
            ("avgDaysUnreconciledPos", lines.avg_days_unreconciled_pos),
            ("avgDaysUnreconciledNeg", lines.avg_days_unreconciled_neg),
        )
        if value is not None and value < 0
    ]
    if impossible:
        return CadencePoint(
            month_end=month_end,
            not_available=f"Xero's figures are impossible ({', '.join(impossible)}): not used",
        )
    if not currency and account.cash_account:
        currency = account.cash_account.balance_currency or ""

    def m(value: Decimal | None) -> Money | None:
        return None if value is None else Money.of(value, currency)

    def days(value: Decimal | None) -> float | None:
        return None if value is None else float(value)

    return CadencePoint(
        month_end=month_end,
        unreconciled_lines=unrec,
        reconciled_lines=rec,
        reconciled_share_by_count=(
            rec / (rec + unrec) if rec is not None and unrec is not None and rec + unrec else None
        ),
        unreconciled_amount_pos=m(lines.unreconciled_amount_pos),
        unreconciled_amount_neg=m(lines.unreconciled_amount_neg),
        avg_days_unreconciled_pos=days(lines.avg_days_unreconciled_pos),
        avg_days_unreconciled_neg=days(lines.avg_days_unreconciled_neg),
        earliest_unreconciled_transaction=lines.earliest_unreconciled_transaction,
    )


def cadence_by_account(
    cadence: dict[dt.date, list[CashValidationAccount]],
    as_of: dt.date,
    currencies: dict[str, str],
    months: int = fp.CADENCE_MONTHS,
) -> dict[str, Cadence]:
    """Per account, the unreconciled lines, amounts and ages at each of the last month ends.

    Args:
        cadence: CashValidation responses by month end (``asAtSystemDate``); month ends the
            snapshot lacks are simply absent.
        as_of: report date; the expected month ends are
            :func:`lendcheck.xero.fetch_plan.month_ends_before` ``(as_of, months)``. Responses for
            other dates are ignored.
        currencies: currency code per bank account id; every key gets a result.
        months: number of month ends expected (12, as in the fetch plan).

    Returns:
        :class:`Cadence` per bank account id, points oldest first.
    """
    month_ends = sorted(fp.month_ends_before(as_of, months))
    by_date = {
        month_end: {a.account_id: a for a in cadence[month_end]}
        for month_end in month_ends
        if month_end in cadence
    }
    result = {}
    for account_id, currency in currencies.items():
        points = [
            _point(
                month_end,
                by_date.get(month_end, {}).get(account_id),
                currency,
                month_end in by_date,
            )
            for month_end in month_ends
        ]
        counts = [p.unreconciled_lines for p in points if p.unreconciled_lines is not None]
        result[account_id] = Cadence(
            not_available=None
            if by_date
            else "no CashValidation as at past month ends in the snapshot",
            months_available=sum(1 for p in points if p.not_available is None),
            points=points,
            max_unreconciled_lines=max(counts) if counts else None,
            mean_unreconciled_lines=sum(counts) / len(counts) if counts else None,
        )
    return result
