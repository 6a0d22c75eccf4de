"""The bank section of the report: every account's figures (:mod:`lendcheck.metrics.bank`)
with the data confidence score the lender's policy gives them (:mod:`lendcheck.policy.confidence`).

Composition only: the figures and the score's inputs are the metrics', the score the policy's.
"""

from __future__ import annotations

import datetime as dt

import polars as pl

from lendcheck.frames import BankFrames
from lendcheck.metrics._common import LineRef
from lendcheck.metrics.bank import CurrencyAnalysis, OverallSourceShare, bank_figures
from lendcheck.metrics.cadence import Cadence
from lendcheck.metrics.cross_check import CrossCheck, LedgerVsBank
from lendcheck.metrics.data_source import (
    BalanceBreak,
    FeedFreshness,
    FeedVerifiedCoverage,
    ImportSourceMix,
    StatementContinuity,
)
from lendcheck.metrics.reconciliation import Reconciliation
from lendcheck.policy.confidence import (
    DEFAULT_CONFIDENCE_WEIGHTS,
    ConfidenceWeights,
    DataConfidence,
    data_confidence,
    overall_confidence,
)
from lendcheck.report_types import ReportModel, Share
from lendcheck.xero.models import CashValidationAccount

__all__ = ["AccountAnalysis", "BankAnalysis", "OverallAnalysis", "analyse_bank"]


class AccountAnalysis(ReportModel):
    """Every bank metric of one bank account, in the account's own currency.

    Attributes:
        bank_account_id: Xero bank account id (lower case).
        bank_account_name: BankStatementsPlus ``bankAccountName`` (None when only
            CashValidation knows the account).
        currency: BankStatementsPlus ``bankAccountCurrencyCode``, else CashValidation
            ``cashAccount.balanceCurrency``, else "".
        in_bank_statements: the account has a BankStatementsPlus response in the snapshot.
        in_cash_validation: the account is in the main CashValidation response.
        reconciliation: :class:`~lendcheck.metrics.reconciliation.Reconciliation` as of the
            report date.
        import_source_mix: :class:`~lendcheck.metrics.data_source.ImportSourceMix`.
        feed_verified_coverage: :class:`~lendcheck.metrics.data_source.FeedVerifiedCoverage`.
        freshness: :class:`~lendcheck.metrics.data_source.FeedFreshness`.
        continuity: :class:`~lendcheck.metrics.data_source.StatementContinuity`.
        data_confidence: :class:`~lendcheck.policy.confidence.DataConfidence`.
        cadence: :class:`~lendcheck.metrics.cadence.Cadence` (Xero's estimates).
        cross_check: :class:`~lendcheck.metrics.cross_check.CrossCheck` against CashValidation.
        ledger_vs_bank: :class:`~lendcheck.metrics.cross_check.LedgerVsBank`.
    """

    bank_account_id: str
    bank_account_name: str | None
    currency: str
    in_bank_statements: bool
    in_cash_validation: bool
    reconciliation: Reconciliation
    import_source_mix: ImportSourceMix
    feed_verified_coverage: FeedVerifiedCoverage
    freshness: FeedFreshness
    continuity: StatementContinuity
    data_confidence: DataConfidence
    cadence: Cadence
    cross_check: CrossCheck
    ledger_vs_bank: LedgerVsBank


class OverallAnalysis(ReportModel):
    """The applicant as a whole.

    Counts are summed over every account (they have no currency); money is only ever pooled
    within one currency (``by_currency``).

    Attributes:
        accounts: number of bank accounts analysed.
        currencies: the distinct currencies, sorted.
        currency_note: says that amounts are per currency when the accounts' currencies differ,
            else None.
        total_lines, reconciled_lines, unreconciled_lines, deleted_lines, duplicate_lines:
            summed over accounts (as in :class:`~lendcheck.metrics.reconciliation.Reconciliation`).
        reconciled_share_by_count: reconciled_lines / total_lines, in [0, 1].
        unreconciled_lines_over_90_days: unreconciled lines aged more than 90 days.
        by_currency: one :class:`CurrencyAnalysis` per currency, sorted by currency.
        import_source_mix: one :class:`OverallSourceShare` per kind, in
            :data:`~lendcheck.frames.IMPORT_SOURCE_KINDS` order: the whole period's lines of
            every account by where they came from (by count always; by amount within one
            currency).
        books_current_to: the earliest ``books_current_to`` of the accounts with lines (the
            least current account sets the applicant's).
        books_current_lag_days: ``as_of - books_current_to``.
        least_current_account_id: the account that sets it.
        max_days_since_last_import: the stalest account's ``days_since_last_import``.
        statement_gaps, gap_days, balance_breaks, indicative_mismatches: summed over the
            accounts with bank statements; None when no account has any (nothing checked).
        continuity_accounts_checked, continuity_accounts_not_checked: accounts whose statement
            continuity was / could not be checked (no BankStatementsPlus response).
        cross_check_differences: disagreeing comparisons summed over compared accounts; None
            when no account could be compared.
        cross_check_agrees: every compared account agrees with Xero; None if none compared.
        cross_check_accounts_checked, cross_check_accounts_not_checked: accounts compared with
            Xero's CashValidation / not compared (each account's ``cross_check.not_available``
            says why).
        accounts_with_ledger_above_bank: accounts whose ledger cash exceeds the bank balance,
            among the accounts compared; None when no account could be compared.
        ledger_vs_bank_accounts_checked, ledger_vs_bank_accounts_not_checked: accounts whose
            ledger cash was / could not be compared with the bank balance.
        not_available: summary name -> why it is None or covers only part of the accounts
            (the distinct reasons of the accounts not checked).
        data_confidence: the line-count weighted mean of the accounts' scores (``inputs``
            empty: see each account's).
    """

    accounts: int
    currencies: list[str]
    currency_note: str | None
    total_lines: int
    reconciled_lines: int
    unreconciled_lines: int
    deleted_lines: int
    duplicate_lines: int
    reconciled_share_by_count: Share
    unreconciled_lines_over_90_days: int
    by_currency: list[CurrencyAnalysis]
    import_source_mix: list[OverallSourceShare]
    books_current_to: dt.date | None
    books_current_lag_days: int | None
    least_current_account_id: str | None
    max_days_since_last_import: int | None
    statement_gaps: int | None
    gap_days: int | None
    balance_breaks: int | None
    indicative_mismatches: int | None
    continuity_accounts_checked: int
    continuity_accounts_not_checked: int
    cross_check_differences: int | None
    cross_check_agrees: bool | None
    cross_check_accounts_checked: int
    cross_check_accounts_not_checked: int
    accounts_with_ledger_above_bank: int | None
    ledger_vs_bank_accounts_checked: int
    ledger_vs_bank_accounts_not_checked: int
    data_confidence: DataConfidence
    not_available: dict[str, str]


class BankAnalysis(ReportModel):
    """Reconciliation quality and data-source confidence of an applicant's bank accounts.

    Attributes:
        as_of: the report date.
        begin_date, balance_date: range of the CashValidation call the cross-check compares.
        accounts: one :class:`AccountAnalysis` per account, sorted by name then id.
        overall: :class:`OverallAnalysis`.
        oldest_unreconciled_lines: every unreconciled line, oldest first (then largest
            absolute amount, then statement line id).
        largest_manual_lines: every line keyed in by hand (``STMTIMPORTSRC/MANUAL``), largest
            absolute amount first (then oldest, then id).
        largest_uploaded_lines: every line from an uploaded file (CSV/OFX/QIF), same order.
        balance_breaks: every statement balance chain break, by account then date.
        duplicate_lines: every line Xero marks duplicate (``isDuplicate``) and that is not
            deleted, by account, then date, then id: they count in Xero's running
            (indicative) balance, so each shifts it from the bank's own balances.
    """

    as_of: dt.date
    begin_date: dt.date | None
    balance_date: dt.date
    accounts: list[AccountAnalysis]
    overall: OverallAnalysis
    oldest_unreconciled_lines: list[LineRef]
    largest_manual_lines: list[LineRef]
    largest_uploaded_lines: list[LineRef]
    balance_breaks: list[BalanceBreak]
    duplicate_lines: list[LineRef]


def analyse_bank(
    frames: BankFrames,
    cash_validation: list[CashValidationAccount] | None,
    cadence: dict[dt.date, list[CashValidationAccount]],
    as_of: dt.date,
    weights: ConfidenceWeights = DEFAULT_CONFIDENCE_WEIGHTS,
    *,
    begin_date: dt.date | None = None,
    whole_history: bool = False,
    statements_from: dt.date | None = None,
    no_accounts_reason: str | None = None,
    classes: pl.DataFrame | None = None,
) -> BankAnalysis:
    """Reconciliation quality and data-source confidence of every bank account: the figures
    of :func:`lendcheck.metrics.bank.bank_figures` (every argument but ``weights`` is its)
    scored by :func:`lendcheck.policy.confidence.data_confidence` with ``weights`` (the
    policy's ``[confidence_weights]``, whose ``typed_inflow_recent_days`` also sets the
    figures' recent window).

    ``classes`` (the statement lines' classes, :func:`lendcheck.metrics._common.line_classes`)
    is passed on to :func:`~lendcheck.metrics.bank.bank_figures`: a caller that made them for
    another analysis too gives them here.

    Returns:
        :class:`BankAnalysis`, deterministic for the same inputs.

    Raises:
        ValueError: a CashValidation amount has more decimal places than three.
    """
    figures = bank_figures(
        frames,
        cash_validation,
        cadence,
        as_of,
        recent_days=weights.typed_inflow_recent_days,
        begin_date=begin_date,
        whole_history=whole_history,
        statements_from=statements_from,
        no_accounts_reason=no_accounts_reason,
        classes=classes,
    )
    accounts = [
        AccountAnalysis(**a.report_fields(), data_confidence=data_confidence(a.confidence, weights))
        for a in figures.accounts
    ]
    return BankAnalysis(
        as_of=figures.as_of,
        begin_date=figures.begin_date,
        balance_date=figures.balance_date,
        accounts=accounts,
        overall=OverallAnalysis(
            **figures.overall,
            data_confidence=overall_confidence(
                [(a.data_confidence, a.reconciliation.total_lines) for a in accounts], weights
            ),
        ),
        oldest_unreconciled_lines=figures.oldest_unreconciled_lines,
        largest_manual_lines=figures.largest_manual_lines,
        largest_uploaded_lines=figures.largest_uploaded_lines,
        balance_breaks=figures.balance_breaks,
        duplicate_lines=figures.duplicate_lines,
    )
