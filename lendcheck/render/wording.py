"""The analyst pages in a credit officer's words: what a missing Xero call costs the report, and
plain labels for the figures a flag names.

The raw calls (endpoint, parameters, reason) stay in Appendix B and report.json
(``inputs.missing``); page 1 says what was lost, once per kind of loss.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from lendcheck.xero import fetch_plan


@dataclass(frozen=True)
class Loss:
    """One kind of evidence the report lacks.

    Attributes:
        text: what is missing and what it costs ("No cash-flow statement: DSCR uses an EBITDA
            estimate").
        calls: how many planned calls of that kind are missing or were refused.
        refused: True when Xero refused at least one of them (the others were not fetched).
    """

    text: str
    calls: int
    refused: bool


def _loss_text(call: Any, period_start: str, names: Mapping[str, str]) -> str:
    endpoint, params = call.endpoint, call.params
    start, end = params.get("startDate", ""), params.get("endDate", "")
    if endpoint == fetch_plan.CASH_VALIDATION:
        if "asAtSystemDate" in params:
            return "No month-end history from Xero: reconciliation cadence not shown"
        return (
            "No reconciliation summary from Xero at the report date: Xero's own figures are "
            "not cross-checked and ledger cash is not compared with the bank balance"
        )
    previous = (
        params.get("balanceDate", "") < period_start
        if endpoint == fetch_plan.BALANCE_SHEET
        else bool(start) and start < period_start
    )
    if previous:
        return "No previous-year statements: growth and year-on-year comparisons not shown"
    if endpoint == fetch_plan.BALANCE_SHEET:
        return (
            f"No balance sheet at {params.get('balanceDate', '')}: cash, ratios, debt and "
            "debtor days not shown"
        )
    if endpoint == fetch_plan.PROFIT_AND_LOSS and start > period_start:
        return (
            f"No profit and loss for the month to {end}: the Executive Summary's figures for "
            "that month not shown"
        )
    if endpoint == fetch_plan.PROFIT_AND_LOSS:
        return f"No profit and loss for {start} to {end}: revenue, margins and DSCR not shown"
    if endpoint == fetch_plan.CASHFLOW:
        return "No cash-flow statement: DSCR uses an EBITDA estimate"
    if endpoint == fetch_plan.CONTACTS_REVENUE:
        return "No revenue by customer: customer concentration not shown"
    if endpoint == fetch_plan.CONTACTS_EXPENSE:
        return "No spending by supplier: supplier concentration not shown"
    if endpoint == fetch_plan.TRIAL_BALANCE:
        return "No trial balance: the check that debits equal credits is not done"
    if endpoint == fetch_plan.BANK_STATEMENTS:
        account = names.get(params.get("BankAccountID", ""), "a bank account")
        return (
            f"No bank statements for part of the period for {account}: its lines there are "
            "not counted"
        )
    return "Some Xero data is missing: the figures that depend on it are not shown"


def losses(
    missing: Iterable[Any], period_start: str, account_names: Mapping[str, str]
) -> list[Loss]:
    """What the report lost to missing or refused calls, one entry per kind of loss, in the
    fetch plan's order.

    Args:
        missing: the report's ``inputs.missing`` (``endpoint``, ``params``, ``reason``).
        period_start: the report's period start (``YYYY-MM-DD``): calls for it are the current
            period's, others the previous year's.
        account_names: bank account ID -> the account's name (untrusted text, cleaned by the
            template's autoescape and filters).
    """
    found: dict[str, Loss] = {}
    for call in missing:
        text = _loss_text(call, period_start, account_names)
        refused = "refused" in str(call.reason).lower()
        before = found.get(text)
        found[text] = Loss(
            text,
            (before.calls if before else 0) + 1,
            refused or (before.refused if before else False),
        )
    return list(found.values())


#: Plain labels of the report fields that policy rules compare or cite as evidence, by the
#: last part of their report.json path. A field not here is shown as its name in words.
PLAIN_LABELS: dict[str, str] = {
    "aged_receivables_share": "share of receivables over 90 days old",
    "account_balance": "ledger cash balance",
    "statement_balance": "bank statement balance",
    "ledger_minus_bank": "ledger cash above the bank balance",
    "books_current_lag_days": "days the books lag the report date",
    "books_current_to": "books reconciled up to",
    "earliest_unreconciled_transaction": "oldest unreconciled line",
    "unreconciled_lines": "unreconciled lines",
    "unreconciled_amount_pos": "unreconciled receipts",
    "unreconciled_amount_neg": "unreconciled payments",
    "unreconciled_over_90_days_share": "share of lines unreconciled for over 90 days",
    "reconciled_share_by_amount": "share of the amount reconciled",
    "reconciled_share_by_count": "share of lines reconciled",
    "chain_integrity": "statement balance checks that hold",
    "chain_links_checked": "opening-to-closing balance links checked",
    "balances_compared": "bank balances compared with Xero's running balance",
    "statements_without_balances": "statements without balances",
    "manual_or_uploaded_inflow_while_fed_share": "inflows typed or uploaded while a feed ran",
    "manual_or_uploaded_inflow_while_fed": "typed or uploaded inflows while a feed ran",
    "manual_or_uploaded_inflow_share": "inflows typed by hand or uploaded",
    "data_confidence_score": "data confidence score",
    "top1_share": "largest customer's share of revenue",
    "top5_share": "five largest customers' share",
    "hhi": "concentration index (HHI)",
    "named_coverage": "revenue the named customers cover",
    "total_outstanding": "receivables outstanding",
    "total_outstanding_aged": "receivables over 90 days old",
    "operating_activities": "operating cash flow",
    "total_assets": "total assets",
    "revenue": "revenue",
    "passed": "check holds",
    "difference": "difference",
    "tolerance": "tolerance",
    "differences": "figures that differ from Xero's",
    "agrees": "agrees with Xero",
    "days_overdue": "days an import is overdue",
    "days_since_last_import": "days since the last import",
    "usual_import_interval_days": "usual days between imports",
    "last_import_source_kind": "last import came by",
    "bank_inflows_to_revenue": "bank inflows ÷ revenue",
    "bank_inflows": "bank inflows",
    "dscr": "DSCR",
    "bank_verified_dscr": "bank-verified DSCR",
    "annual_debt_service": "annual debt service",
    "cash_available_for_debt_service": "cash available for debt service",
    "bank_verified_receipts": "bank-verified receipts",
    "current_ratio": "current ratio",
    "current_assets": "current assets",
    "current_liabilities": "current liabilities",
    "equity": "equity",
    "total_liabilities": "total liabilities",
    "net_profit": "net profit",
}


def plain_label(path: str) -> str:
    """A report field in words, from its report.json path:
    ``reconciliation.unreconciled_amount_neg`` -> ``unreconciled payments``; a field
    :data:`PLAIN_LABELS` lacks -> its name in words; a figure of the previous period says so
    (``profit_and_loss.previous.gross_margin`` -> ``previous year's gross margin``)."""
    parts = path.split(".")
    label = PLAIN_LABELS.get(parts[-1], parts[-1].replace("_", " "))
    return f"previous year's {label}" if "previous" in parts[:-1] else label


#: What each bank check on page 1 needs from Xero for an account: the account's field that says
#: the snapshot has it, what page 1 says when no account has it, and when some do not.
_RECONCILIATION_SUMMARY = (
    "in_cash_validation",
    "Xero did not supply its reconciliation summary at the report date",
    "not in Xero's reconciliation summary at the report date",
)
_CHECK_NEEDS: dict[str, tuple[str, str, str]] = {
    "cross_check": _RECONCILIATION_SUMMARY,
    "ledger_vs_bank": _RECONCILIATION_SUMMARY,
    "continuity": (
        "in_bank_statements",
        "Xero did not supply bank statements",
        "no bank statements from Xero",
    ),
}


def not_checked(bank: Any, check: str) -> str | None:
    """Why page 1 shows a bank check as NOT CHECKED (or checked on part of the accounts), in a
    credit officer's words; None when every account was checked. The reasons as report.json
    has them (``bank.overall.not_available``) stay on the account pages and in report.json.

    Args:
        bank: the report's ``bank`` (``overall`` with ``<check>_accounts_checked`` and
            ``_not_checked``; ``accounts`` with ``in_cash_validation``, ``in_bank_statements``).
        check: ``cross_check``, ``ledger_vs_bank`` or ``continuity``.
    """
    attr, none_have, some_lack = _CHECK_NEEDS[check]
    overall = bank.overall
    if not bank.accounts:
        return "no bank account in the snapshot"
    missing = getattr(overall, f"{check}_accounts_not_checked") or 0
    total = missing + (getattr(overall, f"{check}_accounts_checked") or 0)
    if not missing:
        return None
    lacking = sum(1 for account in bank.accounts if not getattr(account, attr))
    if lacking >= missing == total:
        return none_have
    which = f"{missing} of {total} account{'' if total == 1 else 's'} not checked"
    if lacking >= missing:
        return f"{which}: {some_lack}"
    return f"{which}: Xero's figures could not be used (the account pages say why)"


#: The raw call lendcheck.report.evidence names when the snapshot lacks a response ("the snapshot
#: holds no /CashValidation call (balanceDate=2026-10-31, beginDate=2024-11-01)"); the call itself
#: is in Appendix B and report.json.
_RAW_CALL = re.compile(r"the snapshot holds no /[\w/]+ call(?: \([^()]*\)| for [^,()]+)?")


def plain_message(message: str) -> str:
    """A flag's message for the analyst pages: a missing response named by its endpoint and
    parameters becomes "not in the snapshot" (the call is in Appendix B and report.json)."""
    return _RAW_CALL.sub("not in the snapshot", message)
