"""The responses the financial analysis reads: which of a snapshot's responses are the
analysis inputs (:func:`financial_inputs`), the organisation's base currency
(:func:`base_currency`), and which questions an Accounting API report's inputs answer
(:func:`answered_by_accounting`).

Choosing responses is composition, so it sits here beside :mod:`lendcheck.report.evidence`;
:mod:`lendcheck.metrics` then computes from the chosen models and frames and never reads the
snapshot.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from lendcheck.metrics.analysis import CurrencyBasis, FinancialInputs
from lendcheck.report.evidence import Matched, match_evidence
from lendcheck.snapshot import Snapshot
from lendcheck.xero import fetch_plan as fp
from lendcheck.xero.models import BalanceSheet, CashValidationAccount

__all__ = [
    "BaseCurrency",
    "answered_by_accounting",
    "base_currency",
    "financial_inputs",
]

#: Input name -> the question of :func:`lendcheck.report.evidence.match_evidence` that supplies it.
_ANSWER_NAMES = {
    "pnl_current": "pnl_current",
    "pnl_previous": "pnl_previous",
    "pnl_month": "pnl_month",
    "balance_sheet_current": "balance_sheet_current",
    "balance_sheet_previous": "balance_sheet_previous",
    "cashflow_current": "cashflow_current",
    "cashflow_previous": "cashflow_previous",
    "trial_balance": "trial_balance",
    "contacts_revenue": "contacts_revenue_current",
    "contacts_expense": "contacts_expense_current",
}


@dataclass(frozen=True)
class BaseCurrency:
    """The organisation's base currency and the evidence for it.

    Attributes:
        code: ISO 4217 code, upper case; "" when it cannot be established.
        basis: ``organisation`` (``/Organisation`` ``BaseCurrency``) or
            ``financial_statements`` (see :func:`base_currency`); None when unknown.
        reason: why it could not be established ("" when known).
    """

    code: str
    basis: CurrencyBasis | None
    reason: str = ""


def _organisation_currency(snapshot: Snapshot) -> str:
    for response in snapshot.all_of("/Organisation", api=fp.ACCOUNTING_API):
        organisation = next(iter(getattr(response.data, "organisations", None) or []), None)
        if organisation is not None and organisation.base_currency:
            return str(organisation.base_currency).upper()
    for response in snapshot.all_of("/Organisation"):
        data: Any = response.data
        organisations = data.get("Organisations") if isinstance(data, dict) else None
        if (
            isinstance(organisations, list)
            and organisations
            and isinstance(organisations[0], dict)
            and organisations[0].get("BaseCurrency")
        ):
            return str(organisations[0]["BaseCurrency"]).upper()
    return ""


def base_currency(
    snapshot: Snapshot,
    balance_sheet: BalanceSheet | None,
    cash_validation: list[CashValidationAccount] | None,
) -> BaseCurrency:
    """The organisation's base currency, the currency its financial statements are in.

    1. ``/Organisation`` ``BaseCurrency`` when the snapshot holds that call.
    2. Else the financial statements themselves: the balance sheet states every bank account
       in the base currency, CashValidation ``cashAccount`` states its ledger balance
       (``accountBalance``) in the account's own currency (``balanceCurrency``). A bank account
       whose non-zero balance is the same in both is in the base currency; a foreign account's
       converted balance differs from its own. When the accounts that agree are all in one
       currency, that is the base currency.
    3. Else unknown (""), with the reason: the count of accounts per currency is no evidence
       (an NZ organisation with one NZD and one AUD account is not an AUD one).

    Args:
        snapshot: the loaded snapshot (for ``/Organisation``).
        balance_sheet: the balance sheet at the report date, or None.
        cash_validation: the CashValidation accounts at the report date, or None.
    """
    organisation = _organisation_currency(snapshot)
    if organisation:
        return BaseCurrency(organisation, "organisation")
    if balance_sheet is None or balance_sheet.asset is None or not cash_validation:
        return BaseCurrency(
            "",
            None,
            "the snapshot holds neither /Organisation nor both a balance sheet and a "
            "CashValidation at the report date to establish it from",
        )
    in_base = {
        (account.account_id or "").lower(): account.total
        for group in balance_sheet.asset.account_types
        if (group.account_type or "").upper() == "BANK"
        for account in group.accounts
        if account.total
    }
    agreeing = sorted(
        {
            a.cash_account.balance_currency.upper()
            for a in cash_validation
            if a.cash_account is not None
            and a.cash_account.balance_currency
            and a.cash_account.account_balance
            and in_base.get(a.account_id) == a.cash_account.account_balance
        }
    )
    if len(agreeing) == 1:
        return BaseCurrency(agreeing[0], "financial_statements")
    if agreeing:
        return BaseCurrency(
            "",
            None,
            f"bank accounts in {' and '.join(agreeing)} each show the same balance in the "
            "balance sheet as in their own currency",
        )
    return BaseCurrency(
        "",
        None,
        "no bank account with a balance shows the same balance in the balance sheet as in "
        "its own currency (CashValidation)",
    )


def financial_inputs(
    snapshot: Snapshot, as_of: date, months: int, matched: Matched | None = None
) -> FinancialInputs:
    """Pick the analysis inputs out of a loaded snapshot by what each response answers
    (:mod:`lendcheck.report.evidence`: a P&L of any period ending at ``as_of``, the 12 months
    first).

    Args:
        snapshot: a loaded snapshot (its responses already parsed).
        as_of: the report date.
        months: months of bank statements of the plan (as in
            :func:`lendcheck.xero.fetch_plan.organisation_calls`).
        matched: :func:`lendcheck.report.evidence.match_evidence` of the same date, when the caller
            has it.

    Returns:
        :class:`FinancialInputs`; a question nothing answers is missing with "the snapshot
        holds no ... call", a refused call with Xero's answer (``Response.reason``).
    """
    matched = matched or match_evidence(snapshot, as_of, months)
    values: dict[str, Any] = {}
    missing: dict[str, str] = {}
    for name, answer_name in _ANSWER_NAMES.items():
        answer = matched.answers[answer_name]
        if answer.response is None:
            missing[name] = answer.reason
        else:
            values[name] = answer.response.data
    cash_validation = matched.answers["cash_validation"].response
    currency = base_currency(
        snapshot,
        values.get("balance_sheet_current"),
        None if cash_validation is None else cash_validation.items_as(CashValidationAccount),
    )
    return FinancialInputs(
        **values,
        missing=missing,
        currency=currency.code,
        currency_basis=currency.basis,
        currency_reason=currency.reason,
    )


def answered_by_accounting(inputs: FinancialInputs, matched: Matched) -> dict[str, str]:
    """The questions of :mod:`lendcheck.report.evidence` that an Accounting API report's inputs
    answer and no Finance API response does (a report resting on the Accounting API alone).

    Args:
        inputs: the analysis inputs read from the Accounting API
            (:func:`lendcheck.report.accounting_statements.accounting_inputs`).
        matched: :func:`lendcheck.report.evidence.match_evidence` of the same date.

    Returns:
        matched answer name -> the Accounting API report that answers it.
    """
    return {
        answer_name: _ACCOUNTING_REPORTS[name]
        for name, answer_name in _ANSWER_NAMES.items()
        if name in _ACCOUNTING_REPORTS
        and getattr(inputs, name) is not None
        and matched.answers[answer_name].response is None
    }


#: The Accounting API report each analysis input comes from when the report rests on it.
_ACCOUNTING_REPORTS = {
    "pnl_current": "/Reports/ProfitAndLoss",
    "pnl_previous": "/Reports/ProfitAndLoss",
    "pnl_month": "/Reports/ProfitAndLoss",
    "balance_sheet_current": "/Reports/BalanceSheet",
    "balance_sheet_previous": "/Reports/BalanceSheet",
}
