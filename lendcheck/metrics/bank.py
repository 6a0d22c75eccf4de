"""The bank analysis of an applicant: every reconciliation and data-source metric in one result.

:func:`bank_figures` is the entry point (the report's :func:`lendcheck.report.bank.analyse_bank`
adds the policy's data confidence score to its figures). It composes
:mod:`~lendcheck.metrics.reconciliation`, :mod:`~lendcheck.metrics.data_source`,
:mod:`~lendcheck.metrics.cadence` and :mod:`~lendcheck.metrics.cross_check` per bank account,
aggregates across accounts where that is meaningful (counts always; money only within one
currency), and lists the statement lines and statements behind the findings (drill-back).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, fields
from decimal import Decimal
from typing import Any

import polars as pl

from lendcheck.frames import IMPORT_SOURCE_KINDS, BankFrames
from lendcheck.metrics._common import LineRef, is_live, line_classes, line_refs, share
from lendcheck.metrics.cadence import Cadence, cadence_by_account
from lendcheck.metrics.cross_check import (
    CrossCheck,
    LedgerVsBank,
    cross_check,
    ledger_vs_bank,
)
from lendcheck.metrics.data_source import (
    TYPED_INFLOW_RECENT_DAYS,
    BalanceBreak,
    ConfidenceEvidence,
    FeedFreshness,
    FeedVerifiedCoverage,
    ImportSourceMix,
    SourceTables,
    StatementContinuity,
    feed_coverages,
    feed_freshness,
    import_source_mixes,
    source_tables,
    statement_continuity,
    unbacked_ledger_cash,
)
from lendcheck.metrics.reconciliation import (
    LineTables,
    Reconciliation,
    line_tables,
    reconciliations,
    unreconciled_oldest_first,
)
from lendcheck.report_types import Money, ReportModel, Share
from lendcheck.xero import fetch_plan as fp
from lendcheck.xero.models import CashValidationAccount

__all__ = [
    "NO_ACCOUNTS",
    "AccountFigures",
    "BankFigures",
    "CurrencyAnalysis",
    "OverallSourceShare",
    "bank_figures",
    "confidence_evidence",
]


class CurrencyAnalysis(ReportModel):
    """The accounts of one currency pooled: their lines taken together as one account.

    Attributes:
        currency: the currency ("" for accounts whose currency Xero did not give).
        bank_account_ids: the pooled accounts, sorted.
        reconciliation: reconciliation metrics of the pooled lines (``oldest_unreconciled_line``
            is the oldest of any of these accounts).
        import_source_mix: import-source mix of the pooled lines.
        feed_verified_coverage: feed-verified coverage of the pooled inflows.
    """

    currency: str
    bank_account_ids: list[str]
    reconciliation: Reconciliation
    import_source_mix: ImportSourceMix
    feed_verified_coverage: FeedVerifiedCoverage


class OverallSourceShare(ReportModel):
    """Statement lines of one import-source kind across every bank account, over the whole
    period read (up to the report date).

    Attributes:
        kind: one of :data:`lendcheck.frames.IMPORT_SOURCE_KINDS`.
        lines: non-deleted lines of this kind, summed over the accounts.
        share_by_count: lines / all lines of every account, in [0, 1]; None without lines.
        absolute_amount: sum of |amount| when every account is in one currency; None when the
            currencies differ (amounts are then per currency: ``by_currency``).
        share_by_amount: absolute_amount / absolute amount of all lines, in [0, 1]; None when
            the currencies differ or there are no lines.
    """

    kind: str
    lines: int
    share_by_count: Share
    absolute_amount: Money | None
    share_by_amount: Share


@dataclass(frozen=True)
class AccountFigures:
    """Every bank figure of one account (:func:`bank_figures`): the fields of
    :class:`lendcheck.report.bank.AccountAnalysis` but the data confidence score, and the
    score's inputs.

    Attributes:
        bank_account_id ... ledger_vs_bank: as in
            :class:`lendcheck.report.bank.AccountAnalysis`.
        confidence: the inputs of the account's data confidence score
            (:func:`confidence_evidence`).
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
    cadence: Cadence
    cross_check: CrossCheck
    ledger_vs_bank: LedgerVsBank
    confidence: ConfidenceEvidence

    def report_fields(self) -> dict[str, Any]:
        """The figures by field name, without ``confidence``."""
        return {f.name: getattr(self, f.name) for f in fields(self) if f.name != "confidence"}


@dataclass(frozen=True)
class BankFigures:
    """The bank figures of an applicant (:func:`bank_figures`): the fields of
    :class:`lendcheck.report.bank.BankAnalysis`, with :class:`AccountFigures` per account and
    the overall figures (``overall``: the fields of
    :class:`lendcheck.report.bank.OverallAnalysis` but ``data_confidence``)."""

    as_of: dt.date
    begin_date: dt.date | None
    balance_date: dt.date
    accounts: list[AccountFigures]
    overall: dict[str, Any]
    oldest_unreconciled_lines: list[LineRef]
    largest_manual_lines: list[LineRef]
    largest_uploaded_lines: list[LineRef]
    balance_breaks: list[BalanceBreak]
    duplicate_lines: list[LineRef]


def _largest_of_kind(
    lines: pl.DataFrame, as_of: dt.date, kind: str, classes: pl.DataFrame
) -> pl.DataFrame:
    """The live lines of one import-source kind, largest absolute amount first. ``classes``
    (:func:`~lendcheck.metrics._common.line_classes` of ``lines`` to ``as_of``) say whether
    there is any: a fed account's million lines are not searched for none."""
    if classes.filter(~pl.col("is_deleted") & (pl.col("import_source_kind") == kind)).is_empty():
        return lines.clear()
    return (
        lines.lazy()
        .filter(is_live(as_of) & (pl.col("import_source_kind") == kind))
        .with_columns(pl.col("amount").abs().alias("_abs"))
        .sort(["_abs", "transaction_date", "statement_line_id"], descending=[True, False, False])
        .drop("_abs")
        .collect()
    )


def _duplicates(lines: pl.DataFrame, as_of: dt.date) -> pl.DataFrame:
    return (
        lines.lazy()
        .filter(is_live(as_of) & pl.col("is_duplicate").fill_null(False))
        .sort(["bank_account_id", "transaction_date", "statement_line_id"])
        .collect()
    )


def _by_currency(
    lines: LineTables, sources: SourceTables, as_of: dt.date, currencies: dict[str, str]
) -> list[CurrencyAnalysis]:
    # Sums are additive: the per-account tables, regrouped by currency, pool the accounts.
    groups: dict[str, list[str]] = {}
    for account_id, currency in currencies.items():
        groups.setdefault(currency, []).append(account_id)
    same = {c: c for c in sorted(groups)}
    recs = reconciliations(lines.regroup(currencies), as_of, same)
    pooled_sources = sources.regroup(currencies)
    mixes = import_source_mixes(pooled_sources, same)
    coverage = feed_coverages(pooled_sources, same)
    return [
        CurrencyAnalysis(
            currency=currency,
            bank_account_ids=sorted(groups[currency]),
            reconciliation=recs[currency],
            import_source_mix=mixes[currency],
            feed_verified_coverage=coverage[currency],
        )
        for currency in same
    ]


#: Why the bank figures are absent when the snapshot holds no bank account.
NO_ACCOUNTS = "no bank account in the snapshot"


def _not_checked(reasons: Sequence[str | None], accounts: int, no_accounts: str) -> str:
    """Why a summary over accounts is None or partial: how many accounts were not checked,
    and their distinct reasons (``no_accounts`` when there is no account at all)."""
    if not accounts:
        return no_accounts
    distinct = sorted({r or "not available" for r in reasons})
    return f"{len(reasons)} of {accounts} accounts not checked: {'; '.join(distinct)}"


def _overall_sources(
    accounts: list[AccountFigures], by_currency: list[CurrencyAnalysis]
) -> list[OverallSourceShare]:
    """Counts summed over the accounts; amounts taken from the one currency's pool, if one."""
    lines = {
        kind: sum(s.lines for a in accounts for s in a.import_source_mix.sources if s.kind == kind)
        for kind in IMPORT_SOURCE_KINDS
    }
    total = sum(lines.values())
    pooled = (
        {s.kind: s for s in by_currency[0].import_source_mix.sources}
        if len(by_currency) == 1
        else {}
    )
    return [
        OverallSourceShare(
            kind=kind,
            lines=lines[kind],
            share_by_count=share(lines[kind], total),
            absolute_amount=pooled[kind].absolute_amount if kind in pooled else None,
            share_by_amount=pooled[kind].share_by_amount if kind in pooled else None,
        )
        for kind in IMPORT_SOURCE_KINDS
    ]


def _overall(
    accounts: list[AccountFigures],
    by_currency: list[CurrencyAnalysis],
    as_of: dt.date,
    no_accounts: str = NO_ACCOUNTS,
) -> dict[str, Any]:
    """The applicant's figures summed over its accounts: the fields of
    :class:`lendcheck.report.bank.OverallAnalysis` but ``data_confidence`` (the policy's)."""
    recs = [a.reconciliation for a in accounts]
    total = sum(r.total_lines for r in recs)
    reconciled = sum(r.reconciled_lines for r in recs)
    currencies = sorted({a.currency for a in accounts})
    current = [
        (a.reconciliation.books_current_to, a.bank_account_id)
        for a in accounts
        if a.reconciliation.books_current_to is not None
    ]
    least = min(current) if current else None
    stale = [
        a.freshness.days_since_last_import
        for a in accounts
        if a.freshness.days_since_last_import is not None
    ]
    compared = [a.cross_check for a in accounts if a.cross_check.differences is not None]
    ledger = [a.ledger_vs_bank for a in accounts if a.ledger_vs_bank.ledger_minus_bank is not None]
    with_statements = [a for a in accounts if a.in_bank_statements]
    not_available: dict[str, str] = {}
    for names, reasons in (
        (
            ("cross_check_differences", "cross_check_agrees"),
            [a.cross_check.not_available for a in accounts if a.cross_check.differences is None],
        ),
        (
            ("accounts_with_ledger_above_bank",),
            [
                a.ledger_vs_bank.not_available
                for a in accounts
                if a.ledger_vs_bank.ledger_minus_bank is None
            ],
        ),
        (
            ("statement_gaps", "gap_days", "balance_breaks", "indicative_mismatches"),
            [
                "no BankStatementsPlus response for the account"
                for a in accounts
                if not a.in_bank_statements
            ],
        ),
    ):
        if reasons or not accounts:
            why = _not_checked(reasons, len(accounts), no_accounts)
            not_available.update(dict.fromkeys(names, why))
    if not total:
        not_available["reconciled_share_by_count"] = (
            no_accounts if not accounts else "no statement lines dated on or before as_of"
        )
    return dict(
        accounts=len(accounts),
        currencies=currencies,
        currency_note=(
            f"accounts in {', '.join(c or '(unknown)' for c in currencies)}: amounts are given "
            "per currency and never summed across currencies"
            if len(currencies) > 1
            else None
        ),
        total_lines=total,
        reconciled_lines=reconciled,
        unreconciled_lines=sum(r.unreconciled_lines for r in recs),
        deleted_lines=sum(r.deleted_lines for r in recs),
        duplicate_lines=sum(r.duplicate_lines for r in recs),
        reconciled_share_by_count=reconciled / total if total else None,
        unreconciled_lines_over_90_days=sum(
            b.lines for r in recs for b in r.ageing if b.min_days > 90
        ),
        by_currency=by_currency,
        import_source_mix=_overall_sources(accounts, by_currency),
        books_current_to=least[0] if least else None,
        books_current_lag_days=(as_of - least[0]).days if least else None,
        least_current_account_id=least[1] if least else None,
        max_days_since_last_import=max(stale) if stale else None,
        statement_gaps=sum(len(a.continuity.gaps) for a in with_statements)
        if with_statements
        else None,
        gap_days=sum(a.continuity.gap_days for a in with_statements) if with_statements else None,
        balance_breaks=sum(len(a.continuity.balance_breaks) for a in with_statements)
        if with_statements
        else None,
        indicative_mismatches=sum(len(a.continuity.indicative_mismatches) for a in with_statements)
        if with_statements
        else None,
        continuity_accounts_checked=len(with_statements),
        continuity_accounts_not_checked=len(accounts) - len(with_statements),
        cross_check_differences=sum(c.differences or 0 for c in compared) if compared else None,
        cross_check_agrees=all(c.agrees for c in compared) if compared else None,
        cross_check_accounts_checked=len(compared),
        cross_check_accounts_not_checked=len(accounts) - len(compared),
        accounts_with_ledger_above_bank=sum(
            1 for x in ledger if x.ledger_minus_bank is not None and x.ledger_minus_bank.amount > 0
        )
        if ledger
        else None,
        ledger_vs_bank_accounts_checked=len(ledger),
        ledger_vs_bank_accounts_not_checked=len(accounts) - len(ledger),
        not_available=not_available,
    )


def confidence_evidence(
    reconciliation: Reconciliation,
    mix: ImportSourceMix,
    continuity: StatementContinuity,
    freshness: FeedFreshness,
    check: CrossCheck,
    ledger: LedgerVsBank,
    evidence_completeness: float | None = None,
) -> ConfidenceEvidence:
    """The raw figures of one account's data confidence score, from its other metrics.

    ``monthly_inflow`` is the account's receipts (positive lines) over the months with lines;
    ``xero_differences`` adds the cross-check's differences and the bank balance
    disagreements (None only when neither was compared); ``evidence_completeness``, when given,
    is applied as a factor; the report gives None (docs/metrics.md: missing evidence weighs on
    the grade, not on the score).
    """
    months = len(mix.monthly)
    inflow = sum((s.amount_pos.amount for s in mix.sources), Decimal(0))
    open_net = (
        None
        if reconciliation.unreconciled_amount_pos is None
        or reconciliation.unreconciled_amount_neg is None
        else reconciliation.unreconciled_amount_pos.amount
        + reconciliation.unreconciled_amount_neg.amount
    )
    gap = ledger.ledger_minus_bank
    compared = [n for n in (check.differences, ledger.bank_balance_disagreements) if n is not None]
    return ConfidenceEvidence(
        reconciled_share=reconciliation.reconciled_share_by_amount,
        source_shares=None
        if mix.not_available
        else {s.kind: s.share_by_amount for s in mix.sources},
        continuity=continuity.continuity,
        days_overdue=freshness.days_overdue,
        unbacked_ledger_cash=unbacked_ledger_cash(None if gap is None else gap.amount, open_net),
        monthly_inflow=inflow / months if months else None,
        xero_differences=sum(compared) if compared else None,
        recent_typed_inflow_share=mix.manual_or_uploaded_inflow_recent_while_fed_share,
        evidence_completeness=evidence_completeness,
    )


def bank_figures(
    frames: BankFrames,
    cash_validation: list[CashValidationAccount] | None,
    cadence: dict[dt.date, list[CashValidationAccount]],
    as_of: dt.date,
    *,
    recent_days: int = TYPED_INFLOW_RECENT_DAYS,
    begin_date: dt.date | None = None,
    whole_history: bool = False,
    statements_from: dt.date | None = None,
    no_accounts_reason: str | None = None,
    classes: pl.DataFrame | None = None,
) -> BankFigures:
    """Reconciliation quality and data-source figures of every bank account, with the inputs
    of each account's data confidence score (the score is the policy's:
    :func:`lendcheck.report.bank.analyse_bank` adds it).

    Args:
        frames: the snapshot's BankStatementsPlus data (:func:`lendcheck.frames.bank_frames`).
        cash_validation: the main CashValidation response (the plan's first call, no
            ``asAtSystemDate``); None when the snapshot lacks it (cross-check and ledger vs bank
            are then not available).
        cadence: CashValidation responses as at past month ends, keyed by month end
            (``asAtSystemDate``); empty when the snapshot has none.
        as_of: the report date; also the ``balanceDate`` of the main CashValidation call.
        recent_days: the recent window of typed and uploaded inflows, in days up to the
            report date (the policy's ``typed_inflow_recent_days``).
        begin_date: ``beginDate`` of the main CashValidation call; default
            :func:`lendcheck.xero.fetch_plan.statements_start` ``(as_of)`` (the default plan's).
            Pass ``statements_start(as_of, snapshot.months)`` for a snapshot of another length.
        whole_history: the CashValidation call had no ``beginDate``: Xero's aggregates cover
            each account's whole history (``begin_date`` is then ignored).
        statements_from: the first day the statements read cover (default ``begin_date``):
            an account whose Xero aggregates reach further back is not cross-checked ("not
            comparable"; :func:`~lendcheck.metrics.cross_check.cross_check`).
        no_accounts_reason: why the snapshot holds no bank account, for the overall figures'
            ``not_available`` (default :data:`NO_ACCOUNTS`; a report on the Accounting API
            alone says that API does not expose bank statement lines).
        classes: the statement lines' classes, ``line_classes(frames.statement_lines,
            as_of)`` collected (:func:`lendcheck.metrics._common.line_classes`), when the
            caller has them; else made here. The reconciliation and import-source tables are
            summed from them.

    Returns:
        :class:`BankFigures`, deterministic for the same inputs.

    Raises:
        ValueError: a CashValidation amount has more decimal places than three.
    """
    begin: dt.date | None = begin_date if begin_date is not None else fp.statements_start(as_of)
    reach = statements_from or begin
    if whole_history:
        begin = None
    names: dict[str, str | None] = {}
    currencies: dict[str, str] = {}
    for account_id, name, currency in frames.bank_accounts.iter_rows():
        names[account_id] = name
        currencies[account_id] = currency or ""
    in_statements = set(currencies)
    cv_ids = set()
    for account in cash_validation or []:
        cv_ids.add(account.account_id)
        cash_currency = account.cash_account.balance_currency if account.cash_account else None
        if not currencies.get(account.account_id):
            currencies[account.account_id] = cash_currency or ""
        names.setdefault(account.account_id, None)
    order = sorted(currencies, key=lambda a: (names.get(a) or "", a))
    currencies = {a: currencies[a] for a in order}

    lines = frames.statement_lines
    # one pass over the lines for both: their classes (a few rows an account and day)
    if classes is None:
        classes = line_classes(lines, as_of).collect()
    line_tabs = line_tables(lines, as_of, classes)
    source_tabs = source_tables(lines, as_of, recent_days, classes)
    recs = reconciliations(line_tabs, as_of, currencies)
    mixes = import_source_mixes(source_tabs, currencies)
    coverage = feed_coverages(source_tabs, currencies)
    fresh = feed_freshness(frames.statements, lines, as_of, order, classes)
    continuity = statement_continuity(frames.statements, currencies)
    cadences = cadence_by_account(cadence, as_of, currencies)
    # The as-of summary is the cross-check's too when no line predates beginDate.
    first_date = lines["transaction_date"].min()
    same_range = begin is None or first_date is None or first_date >= begin  # type: ignore[operator]
    summary = line_tabs.summary.rename({"key": "bank_account_id"}) if same_range else None
    checks = cross_check(lines, cash_validation, begin, as_of, currencies, summary, reach)
    ledger = ledger_vs_bank(cash_validation, currencies, frames.statements, as_of)

    accounts = [
        AccountFigures(
            bank_account_id=a,
            bank_account_name=names.get(a),
            currency=currencies[a],
            in_bank_statements=a in in_statements,
            in_cash_validation=a in cv_ids,
            reconciliation=recs[a],
            import_source_mix=mixes[a],
            feed_verified_coverage=coverage[a],
            freshness=fresh[a],
            continuity=continuity[a],
            cadence=cadences[a],
            cross_check=checks[a],
            ledger_vs_bank=ledger[a],
            confidence=confidence_evidence(
                recs[a], mixes[a], continuity[a], fresh[a], checks[a], ledger[a]
            ),
        )
        for a in order
    ]
    oldest = line_refs(unreconciled_oldest_first(lines, as_of), as_of, currencies)
    return BankFigures(
        as_of=as_of,
        begin_date=begin,
        balance_date=as_of,
        accounts=accounts,
        overall=_overall(
            accounts,
            _by_currency(line_tabs, source_tabs, as_of, currencies),
            as_of,
            no_accounts_reason or NO_ACCOUNTS,
        ),
        oldest_unreconciled_lines=oldest,
        largest_manual_lines=line_refs(
            _largest_of_kind(lines, as_of, "manual", classes), as_of, currencies
        ),
        largest_uploaded_lines=line_refs(
            _largest_of_kind(lines, as_of, "file_upload", classes), as_of, currencies
        ),
        balance_breaks=[b for a in accounts for b in a.continuity.balance_breaks],
        duplicate_lines=line_refs(_duplicates(lines, as_of), as_of, currencies),
    )
