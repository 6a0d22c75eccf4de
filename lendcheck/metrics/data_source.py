"""Data-source confidence: how far an account's bank data itself can be trusted.

Inputs: the ``statement_lines`` and ``statements`` frames of :class:`lendcheck.frames.BankFrames`
(amounts and balances Int64 minor units; ``import_source_kind`` one of
:data:`lendcheck.frames.IMPORT_SOURCE_KINDS`; ``imported_at`` Datetime UTC).

Metrics per bank account: import-source mix (by count and absolute amount, and per month),
feed-verified coverage of inflows, feed freshness, statement continuity (date gaps, balance chain
breaks, imported vs indicative balances), and the inputs of the data confidence score
(:class:`ConfidenceEvidence`; the score itself, a policy judgement, is
:mod:`lendcheck.policy.confidence`). Line
metrics use the same population as :mod:`lendcheck.metrics.reconciliation`: non-deleted lines
dated on or before ``as_of``.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from itertools import pairwise
from statistics import median
from typing import Any

import polars as pl

from lendcheck.frames import BANK_FEED_KINDS, IMPORT_SOURCE_KINDS, TYPED_KINDS
from lendcheck.metrics._common import line_classes, money, share
from lendcheck.report_types import Money, ReportModel, Share

# ---------------------------------------------------------------------------------------------
# Import-source mix

#: Default length in days of the recent window for typed and uploaded inflows.
TYPED_INFLOW_RECENT_DAYS = 90


class SourceShare(ReportModel):
    """Lines of one import-source kind.

    Attributes:
        kind: one of :data:`lendcheck.frames.IMPORT_SOURCE_KINDS` (``direct_feed``,
            ``indirect_feed``, ``file_upload``, ``manual``, ``other``).
        lines: count of non-deleted lines.
        share_by_count: lines / all lines of the account, in [0, 1].
        absolute_amount: sum of |amount|, in the account's currency.
        share_by_amount: absolute_amount / absolute amount of all lines, in [0, 1].
        amount_pos: sum of positive amounts (receipts).
        amount_neg: sum of negative amounts (payments), negative.
    """

    kind: str
    lines: int
    share_by_count: Share
    absolute_amount: Money
    share_by_amount: Share
    amount_pos: Money
    amount_neg: Money


class MonthlySourceMix(ReportModel):
    """Import-source mix of the lines dated in one calendar month.

    Attributes:
        month: ``YYYY-MM`` of ``transaction_date``.
        total_lines: non-deleted lines of the month.
        sources: one :class:`SourceShare` per kind, in :data:`IMPORT_SOURCE_KINDS` order.
    """

    month: str
    total_lines: int
    sources: list[SourceShare]


class ImportSourceMix(ReportModel):
    """Where an account's statement lines came from.

    Attributes:
        not_available: why the shares are null (no lines), else None.
        sources: one :class:`SourceShare` per kind, in :data:`IMPORT_SOURCE_KINDS` order.
        manual_or_uploaded_inflow: sum of positive amounts of ``manual`` and ``file_upload``
            lines: receipts the applicant typed or uploaded rather than the bank sent.
        manual_or_uploaded_inflow_share: manual_or_uploaded_inflow / sum of all positive
            amounts, in [0, 1]; None without inflows.
        manual_or_uploaded_inflow_while_fed: the same, over lines dated on or after the
            account's first bank-feed line (direct or aggregator feed): receipts typed or
            uploaded although the bank was already feeding the account, which is how invented
            receipts enter books (uploads before a feed was connected are normal).
        manual_or_uploaded_inflow_while_fed_share: that / all positive amounts of the same
            lines, in [0, 1]; None when the account never had a feed line or no inflows since.
        recent_since: first day of the recent window (``as_of`` minus
            ``ConfidenceWeights.typed_inflow_recent_days`` (90) plus one day).
        manual_or_uploaded_inflow_recent_while_fed: the ``_while_fed`` sum over the lines
            dated from ``recent_since`` to ``as_of``; None when the account never had a feed.
        manual_or_uploaded_inflow_recent_while_fed_share: that / all positive amounts of the
            same lines, in [0, 1]; None without a feed or without recent inflows.
        other_import_sources: the raw ``importSource`` values classified as ``other``
            (``"(missing)"`` for none), sorted, so that unknown sources stay visible.
        monthly: :class:`MonthlySourceMix` per month with lines, oldest first.
    """

    not_available: str | None = None
    sources: list[SourceShare]
    manual_or_uploaded_inflow: Money
    manual_or_uploaded_inflow_share: Share
    manual_or_uploaded_inflow_while_fed: Money | None
    manual_or_uploaded_inflow_while_fed_share: Share
    recent_since: dt.date | None = None
    manual_or_uploaded_inflow_recent_while_fed: Money | None = None
    manual_or_uploaded_inflow_recent_while_fed_share: Share = None
    other_import_sources: list[str]
    monthly: list[MonthlySourceMix]

    def share_by_amount(self, kind: str) -> float | None:
        """The share by absolute amount of one kind (None when undefined)."""
        return next((s.share_by_amount for s in self.sources if s.kind == kind), None)


def _source_shares(rows: dict[str, dict[str, Any]], currency: str) -> list[SourceShare]:
    total_lines = sum(r["lines"] for r in rows.values())
    total_abs = sum(r["abs"] for r in rows.values())
    out = []
    for kind in IMPORT_SOURCE_KINDS:
        r = rows.get(kind, {"lines": 0, "abs": 0, "pos": 0, "neg": 0})
        out.append(
            SourceShare(
                kind=kind,
                lines=r["lines"],
                share_by_count=share(r["lines"], total_lines),
                absolute_amount=money(r["abs"], currency),
                share_by_amount=share(r["abs"], total_abs),
                amount_pos=money(r["pos"], currency),
                amount_neg=money(r["neg"], currency),
            )
        )
    return out


@dataclass(frozen=True)
class SourceTables:
    """Small per-key aggregate frames of the import-source metrics.

    Every frame has a String column ``key`` (bank account id, or after :meth:`regroup` any
    grouping such as the currency).

    Attributes:
        kinds: per key and ``import_source_kind``: ``lines``, ``abs`` (sum of |amount|),
            ``pos``, ``neg`` (signed sums), ``rec_pos`` (sum of reconciled positive amounts),
            all Int64 minor units.
        monthly: the same per key, month ``m`` (``YYYY-MM``) and kind (without ``rec_pos``).
        others: distinct (key, ``import_source``) of lines whose kind is ``other``.
        while_fed: per key: ``inflow`` and ``typed_inflow`` (sums of positive amounts, all lines
            and ``manual``/``file_upload`` lines) over the lines dated on or after the account's
            first bank-feed line; keys without a feed line are absent.
        recent_while_fed: the same over those lines dated on or after ``recent_since``.
        recent_since: first day of the recent window.
    """

    kinds: pl.DataFrame
    monthly: pl.DataFrame
    others: pl.DataFrame
    while_fed: pl.DataFrame
    recent_while_fed: pl.DataFrame
    recent_since: dt.date

    def regroup(self, mapping: dict[str, str]) -> SourceTables:
        """The same tables with each key replaced by ``mapping[key]`` (default "") and summed."""
        key = pl.col("key").replace_strict(mapping, default="", return_dtype=pl.String)

        def again(frame: pl.DataFrame, by: list[str]) -> pl.DataFrame:
            rest = [pl.col(c).sum() for c in frame.columns if c not in ("key", *by)]
            return frame.with_columns(key).group_by("key", *by).agg(rest).sort("key", *by)

        return SourceTables(
            kinds=again(self.kinds, ["import_source_kind"]),
            monthly=again(self.monthly, ["m", "import_source_kind"]),
            others=self.others.with_columns(key).unique().sort("key", "import_source"),
            while_fed=again(self.while_fed, []),
            recent_while_fed=again(self.recent_while_fed, []),
            recent_since=self.recent_since,
        )


def source_tables(
    lines: pl.DataFrame,
    as_of: dt.date,
    recent_days: int = TYPED_INFLOW_RECENT_DAYS,
    classes: pl.DataFrame | None = None,
) -> SourceTables:
    """Aggregate statement lines into :class:`SourceTables` keyed by bank account id.

    Args:
        lines: statement lines (:data:`lendcheck.frames.STATEMENT_LINES_SCHEMA`); deleted
            lines, lines dated after ``as_of`` and undated lines are left out.
        as_of: the report date.
        recent_days: length of the recent window ending on ``as_of``, in days.
        classes: ``line_classes(lines, as_of)`` collected
            (:func:`lendcheck.metrics._common.line_classes`), when the caller has them; else
            they are made here. Every table is summed from them (a few rows an account and
            day), not from the lines.
    """
    if classes is None:
        classes = line_classes(lines, as_of).collect()
    recent_since = as_of - dt.timedelta(days=recent_days - 1)
    n, pos, neg = pl.col("lines"), pl.col("pos"), pl.col("neg")
    live = classes.lazy().filter(~pl.col("is_deleted")).rename({"bank_account_id": "key"})
    sums = [n.sum(), (pos - neg).sum().alias("abs"), pos.sum(), neg.sum()]
    kind = pl.col("import_source_kind")
    fed_from = (
        live.filter(kind.is_in(BANK_FEED_KINDS))
        .group_by("key")
        .agg(pl.col("transaction_date").min().alias("fed_from"))
    )
    fed = live.join(fed_from, on="key").filter(pl.col("transaction_date") >= pl.col("fed_from"))
    typed_sums = [
        pos.sum().alias("inflow"),
        pos.filter(kind.is_in(TYPED_KINDS)).sum().alias("typed_inflow"),
    ]
    kinds, monthly, others, while_fed, recent_while_fed = pl.collect_all(
        [
            live.group_by("key", "import_source_kind").agg(
                *sums, pos.filter(pl.col("is_reconciled")).sum().alias("rec_pos")
            ),
            # by the month's first day; written YYYY-MM once grouped (a few rows, not a line each)
            live.group_by(
                "key",
                pl.col("transaction_date").dt.month_start().alias("m"),
                "import_source_kind",
            ).agg(sums),
            live.filter(pl.col("import_source_kind") == "other")
            .select("key", pl.col("import_source").fill_null("(missing)"))
            .unique(),
            fed.group_by("key").agg(typed_sums),
            fed.filter(pl.col("transaction_date") >= recent_since).group_by("key").agg(typed_sums),
        ]
    )
    # an account fed before the window with no line in it has recent sums of 0
    recent_while_fed = (
        while_fed.select("key")
        .join(recent_while_fed, on="key", how="left")
        .with_columns(pl.col("inflow", "typed_inflow").fill_null(0))
    )
    return SourceTables(
        kinds.sort("key", "import_source_kind"),
        monthly.with_columns(pl.col("m").dt.strftime("%Y-%m")).sort(
            "key", "m", "import_source_kind"
        ),
        others.sort("key", "import_source"),
        while_fed.sort("key"),
        recent_while_fed.sort("key"),
        recent_since,
    )


def _typed_while_fed(row: dict[str, Any] | None, currency: str, prefix: str = "") -> dict[str, Any]:
    """``manual_or_uploaded_inflow_<prefix>while_fed`` and its share from a while-fed row."""
    name = f"manual_or_uploaded_inflow_{prefix}while_fed"
    if row is None:
        return {name: None, f"{name}_share": None}
    return {
        name: money(row["typed_inflow"], currency),
        f"{name}_share": share(row["typed_inflow"], row["inflow"]),
    }


def import_source_mixes(
    tables: SourceTables, currencies: dict[str, str]
) -> dict[str, ImportSourceMix]:
    """Build :class:`ImportSourceMix` per key of ``currencies`` from :class:`SourceTables`."""
    whole: dict[str, dict[str, dict[str, Any]]] = {}
    for row in tables.kinds.iter_rows(named=True):
        whole.setdefault(row["key"], {})[row["import_source_kind"]] = row
    by_month: dict[str, dict[str, dict[str, dict[str, Any]]]] = {}
    for row in tables.monthly.iter_rows(named=True):
        by_month.setdefault(row["key"], {}).setdefault(row["m"], {})[row["import_source_kind"]] = (
            row
        )
    others: dict[str, list[str]] = {}
    for key, source in tables.others.select("key", "import_source").iter_rows():
        others.setdefault(key, []).append(source)
    fed = {row["key"]: row for row in tables.while_fed.iter_rows(named=True)}
    recent = {row["key"]: row for row in tables.recent_while_fed.iter_rows(named=True)}
    result = {}
    for key, currency in currencies.items():
        rows = whole.get(key, {})
        months = by_month.get(key, {})
        typed_in = sum(rows[k]["pos"] for k in ("manual", "file_upload") if k in rows)
        inflow = sum(r["pos"] for r in rows.values())
        result[key] = ImportSourceMix(
            not_available=None if rows else "no statement lines dated on or before as_of",
            sources=_source_shares(rows, currency),
            manual_or_uploaded_inflow=money(typed_in, currency),
            manual_or_uploaded_inflow_share=share(typed_in, inflow),
            **_typed_while_fed(fed.get(key), currency),
            recent_since=tables.recent_since,
            **_typed_while_fed(recent.get(key), currency, "recent_"),
            other_import_sources=others.get(key, []),
            monthly=[
                MonthlySourceMix(
                    month=month,
                    total_lines=sum(r["lines"] for r in months[month].values()),
                    sources=_source_shares(months[month], currency),
                )
                for month in sorted(months)
            ],
        )
    return result


def import_source_mix(
    lines: pl.DataFrame, as_of: dt.date, currencies: dict[str, str]
) -> dict[str, ImportSourceMix]:
    """Share of statement lines and of absolute amount by import-source kind, per account.

    Args:
        lines: statement lines (:data:`lendcheck.frames.STATEMENT_LINES_SCHEMA`).
        as_of: report date; lines dated after it, deleted and undated lines are left out.
        currencies: currency code per bank account id; every key gets a result.

    Returns:
        :class:`ImportSourceMix` per bank account id.

    Source: lendcheck's five kinds (:func:`lendcheck.frames.import_source_kind`) of Xero's
    ``importSource``; Xero's own CashValidation ``dataSource`` has four buckets (direct and
    indirect feeds together).
    """
    return import_source_mixes(source_tables(lines, as_of), currencies)


# ---------------------------------------------------------------------------------------------
# Feed-verified coverage


class FeedVerifiedCoverage(ReportModel):
    """How much of the money coming in is confirmed by a bank feed and reconciled in the books.

    Attributes:
        not_available: why the coverage is null (no inflows), else None.
        inflow_amount: sum of positive amounts of non-deleted lines.
        direct_feed_reconciled_inflow: part of it from a direct bank feed and reconciled.
        feed_verified_coverage: direct_feed_reconciled_inflow / inflow_amount, in [0, 1].
        bank_feed_reconciled_inflow: part from a direct or indirect (aggregator) feed and
            reconciled.
        bank_feed_verified_coverage: bank_feed_reconciled_inflow / inflow_amount, in [0, 1]
            (Xero's "bank or aggregator" notion of a feed).
    """

    not_available: str | None = None
    inflow_amount: Money
    direct_feed_reconciled_inflow: Money
    feed_verified_coverage: Share
    bank_feed_reconciled_inflow: Money
    bank_feed_verified_coverage: Share


def feed_coverages(
    tables: SourceTables, currencies: dict[str, str]
) -> dict[str, FeedVerifiedCoverage]:
    """Build :class:`FeedVerifiedCoverage` per key of ``currencies`` from :class:`SourceTables`."""
    sums: dict[str, dict[str, int]] = {}
    for row in tables.kinds.iter_rows(named=True):
        acc = sums.setdefault(row["key"], {"inflow": 0, "direct": 0, "feed": 0})
        acc["inflow"] += row["pos"]
        if row["import_source_kind"] == "direct_feed":
            acc["direct"] += row["rec_pos"]
        if row["import_source_kind"] in ("direct_feed", "indirect_feed"):
            acc["feed"] += row["rec_pos"]
    result = {}
    for key, currency in currencies.items():
        r = sums.get(key, {"inflow": 0, "direct": 0, "feed": 0})
        result[key] = FeedVerifiedCoverage(
            not_available=None if r["inflow"] else "no inflows (positive lines) to cover",
            inflow_amount=money(r["inflow"], currency),
            direct_feed_reconciled_inflow=money(r["direct"], currency),
            feed_verified_coverage=share(r["direct"], r["inflow"]),
            bank_feed_reconciled_inflow=money(r["feed"], currency),
            bank_feed_verified_coverage=share(r["feed"], r["inflow"]),
        )
    return result


def feed_verified_coverage(
    lines: pl.DataFrame, as_of: dt.date, currencies: dict[str, str]
) -> dict[str, FeedVerifiedCoverage]:
    """Share of inflow amount that came by direct bank feed and is reconciled, per account.

    ``feed_verified_coverage = sum(amount > 0, direct feed, reconciled) / sum(amount > 0)``
    over non-deleted lines dated on or before ``as_of``.

    Args:
        lines: statement lines (:data:`lendcheck.frames.STATEMENT_LINES_SCHEMA`).
        as_of: report date.
        currencies: currency code per bank account id; every key gets a result.

    Returns:
        :class:`FeedVerifiedCoverage` per bank account id.
    """
    return feed_coverages(source_tables(lines, as_of), currencies)


# ---------------------------------------------------------------------------------------------
# Feed freshness


class FeedFreshness(ReportModel):
    """How recent the account's bank data is.

    Attributes:
        not_available: why the fields are null (no statements with an import time), else None.
        last_imported_at: latest ``importedDateTimeUtc`` of the account's statements (UTC).
        days_since_last_import: ``as_of`` minus the UTC date of ``last_imported_at``, in days;
            0 when the import is on or after ``as_of``.
        last_import_source_kind: import-source kind of that latest statement.
        usual_import_interval_days: median days between consecutive import dates of the
            account; None with fewer than 3 import dates.
        days_overdue: ``days_since_last_import`` minus ``usual_import_interval_days`` (at least
            0; ``days_since_last_import`` when the interval is None): how late the next import
            is, so that an account with one statement a month is not stale 25 days after it.
        latest_statement_end_date: latest statement ``endDate``.
        latest_transaction_date: latest non-deleted line date on or before ``as_of``.
        imports_after_report_date: statements imported later than the day after ``as_of``;
            they are left out of the figures above (an import after the report date cannot
            show the feed was live at it; a corrupt import time cannot make an account fresh).
    """

    not_available: str | None = None
    last_imported_at: dt.datetime | None
    days_since_last_import: int | None
    last_import_source_kind: str | None
    usual_import_interval_days: float | None
    days_overdue: float | None
    latest_statement_end_date: dt.date | None
    latest_transaction_date: dt.date | None
    imports_after_report_date: int = 0


def feed_freshness(
    statements: pl.DataFrame,
    lines: pl.DataFrame,
    as_of: dt.date,
    account_ids: list[str],
    classes: pl.DataFrame | None = None,
) -> dict[str, FeedFreshness]:
    """Days since the last statement import of each account, and how overdue the next one is.

    Args:
        statements: statements frame (:data:`lendcheck.frames.STATEMENTS_SCHEMA`).
        lines: statement lines, for ``latest_transaction_date``.
        as_of: report date.
        account_ids: accounts to report; each gets a result.
        classes: ``line_classes(lines, as_of)`` collected
            (:func:`lendcheck.metrics._common.line_classes`), when the caller has them; else
            they are made here (``latest_transaction_date`` is read from them).

    Returns:
        :class:`FeedFreshness` per bank account id.
    """
    # A feed imports a day's lines the next morning, so imports up to the day after as_of
    # count; later ones cannot vouch for freshness as of the report date (counted apart).
    cutoff = as_of + dt.timedelta(days=1)
    with_time = statements.filter(pl.col("imported_at").is_not_null())
    imported = with_time.filter(pl.col("imported_at").dt.date() <= cutoff)
    later = dict(
        with_time.filter(pl.col("imported_at").dt.date() > cutoff)
        .group_by("bank_account_id")
        .len()
        .iter_rows()
    )
    latest = imported.sort("imported_at", "statement_id", descending=True).unique(
        "bank_account_id", keep="first", maintain_order=True
    )
    imports = {r["bank_account_id"]: r for r in latest.iter_rows(named=True)}
    intervals = dict(
        imported.select("bank_account_id", pl.col("imported_at").dt.date().alias("day"))
        .unique()
        .sort("bank_account_id", "day")
        .group_by("bank_account_id")
        .agg(
            pl.when(pl.len() >= 3)
            .then(pl.col("day").diff().dt.total_days().drop_nulls().median())
            .alias("interval")
        )
        .iter_rows()
    )
    ends = dict(statements.group_by("bank_account_id").agg(pl.col("end_date").max()).iter_rows())
    if classes is None:
        classes = line_classes(lines, as_of).collect()
    last_line = dict(
        classes.filter(~pl.col("is_deleted"))
        .group_by("bank_account_id")
        .agg(pl.col("transaction_date").max())
        .iter_rows()
    )
    result = {}
    for account_id in account_ids:
        row = imports.get(account_id)
        at = row["imported_at"] if row else None
        days = max(0, (as_of - at.date()).days) if at else None
        interval = intervals.get(account_id)
        result[account_id] = FeedFreshness(
            not_available=None if at else "no statement with an import time",
            last_imported_at=at,
            days_since_last_import=days,
            last_import_source_kind=row["import_source_kind"] if row else None,
            usual_import_interval_days=interval,
            days_overdue=None if days is None else max(0.0, days - (interval or 0.0)),
            latest_statement_end_date=ends.get(account_id),
            latest_transaction_date=last_line.get(account_id),
            imports_after_report_date=later.get(account_id, 0),
        )
    return result


# ---------------------------------------------------------------------------------------------
# Statement continuity


#: Gaps between statements of at most this many days are expected (a weekend, or a weekend
#: with a bank holiday either side such as Easter): banks send no statement for days without
#: transactions.
GAP_TOLERANCE_DAYS = 4
#: A gap is also expected up to this multiple of the account's usual statement spacing (median
#: days from one statement's start to the next one's): an account with one statement a month
#: has month-long gaps.
GAP_TOLERANCE_FACTOR = 1.5


class StatementGap(ReportModel):
    """Days between statements that no statement covers.

    Attributes:
        bank_account_id: the account.
        after_statement_id: the statement that ends before the gap (latest end so far).
        before_statement_id: the statement that starts after it.
        from_date, to_date: first and last uncovered day (inclusive).
        days: ``to_date - from_date + 1``.
        balance_chain_verified: the bank-supplied end balance before the gap equals the
            bank-supplied start balance after it, so no line can be missing in between.
        material: the gap is not verified by the balance chain and is longer than the
            account's tolerance, the larger of :data:`GAP_TOLERANCE_DAYS` and
            :data:`GAP_TOLERANCE_FACTOR` times its usual statement spacing: bank data may be
            missing for these days.
    """

    bank_account_id: str
    after_statement_id: str
    before_statement_id: str
    from_date: dt.date
    to_date: dt.date
    days: int
    balance_chain_verified: bool
    material: bool


class BalanceBreak(ReportModel):
    """A statement whose imported start balance is not the previous statement's end balance.

    Attributes:
        bank_account_id: the account.
        statement_id: the statement whose start balance breaks the chain.
        start_date: its ``startDate``.
        start_balance: its imported ``startBalance``.
        previous_statement_id: the statement before it (by dates).
        previous_end_date: that statement's ``endDate``.
        previous_end_balance: that statement's imported ``endBalance``.
        difference: ``start_balance - previous_end_balance``.
    """

    bank_account_id: str
    statement_id: str
    start_date: dt.date | None
    start_balance: Money
    previous_statement_id: str
    previous_end_date: dt.date | None
    previous_end_balance: Money
    difference: Money


class IndicativeMismatch(ReportModel):
    """An imported statement balance that differs from Xero's indicative balance.

    Xero: "If indicative statement balance doesn't match imported statement balance for the same
    date, either the conversion (opening at inception) balance in Xero is wrong or there's an
    error in the bank statement lines in Xero."

    Attributes:
        bank_account_id: the account.
        statement_id: the statement.
        which: ``"start"`` or ``"end"`` balance.
        date: the statement's start or end date.
        imported: ``startBalance``/``endBalance`` as imported from the bank.
        indicative: ``indicativeStartBalance``/``indicativeEndBalance`` computed by Xero.
        difference: ``imported - indicative``.
    """

    bank_account_id: str
    statement_id: str
    which: str
    date: dt.date | None
    imported: Money
    indicative: Money
    difference: Money


class StatementContinuity(ReportModel):
    """Whether an account's statements follow each other without gaps and with chaining balances.

    Statements are ordered by (start date, end date, import time, statement id). A balance is
    "supplied" when it is neither null nor 0 (Xero: 0 means the bank did not supply it).

    Attributes:
        not_available: why the coverage is null (no dated statements), else None.
        statements: count of the account's statements.
        undated_statements: statements without start or end date (left out of coverage).
        statements_without_balances: statements with neither start nor end balance supplied.
        first_statement_date, last_statement_date: first start and last end date.
        covered_days: days from first to last date covered by at least one statement.
        gap_days: days in that span covered by none (every gap).
        material_gap_days: days in material gaps (see :class:`StatementGap`).
        coverage_share: 1 - material_gap_days / (covered_days + gap_days), in [0, 1]: the
            share of the statements' span not lost in a material gap.
        overlapping_statements: statements starting on or before the latest end seen so far.
        usual_statement_spacing_days: median days from a statement's start to the next one's.
        gaps: each :class:`StatementGap`, in date order.
        chain_links_checked: consecutive pairs where both balances are supplied.
        chain_links_unverifiable: consecutive pairs where either is not supplied.
        balance_breaks: each :class:`BalanceBreak`, in date order.
        balances_compared: imported balances supplied with an indicative balance to compare.
        indicative_mismatches: each :class:`IndicativeMismatch`, in date order.
        chain_integrity: 1 - (breaks + mismatches) / (links checked + balances compared), in
            [0, 1]; None when nothing could be checked.
        continuity: coverage_share * chain_integrity (coverage_share alone when
            chain_integrity is None), in [0, 1]: the continuity input of the confidence score.
    """

    not_available: str | None = None
    statements: int
    undated_statements: int
    statements_without_balances: int
    first_statement_date: dt.date | None
    last_statement_date: dt.date | None
    covered_days: int
    gap_days: int
    material_gap_days: int
    coverage_share: Share
    overlapping_statements: int
    usual_statement_spacing_days: float | None
    gaps: list[StatementGap]
    chain_links_checked: int
    chain_links_unverifiable: int
    balance_breaks: list[BalanceBreak]
    balances_compared: int
    indicative_mismatches: list[IndicativeMismatch]
    chain_integrity: Share
    continuity: Share


def _supplied(value: int | None) -> bool:
    return value is not None and value != 0


#: The statement columns :func:`_continuity` reads (and the account they are grouped by).
_CONTINUITY_COLUMNS = (
    "bank_account_id",
    "statement_id",
    "start_date",
    "end_date",
    "start_balance",
    "end_balance",
    "indicative_start_balance",
    "indicative_end_balance",
)


def _continuity(account_id: str, rows: list[dict[str, Any]], currency: str) -> StatementContinuity:
    dated = [r for r in rows if r["start_date"] is not None and r["end_date"] is not None]
    # the gaps' fields, made models once the usual spacing (and so materiality) is known
    found: list[dict[str, Any]] = []
    breaks: list[BalanceBreak] = []
    mismatches: list[IndicativeMismatch] = []
    covered = overlaps = checked = unverifiable = compared = 0
    reach: dt.date | None = None  # latest end date so far
    reach_id = ""
    reach_end_balance: int | None = None
    previous: dict[str, Any] | None = None
    for r in dated:
        start, end = r["start_date"], max(r["start_date"], r["end_date"])
        if reach is None:
            covered += (end - start).days + 1
        else:
            if start > reach + dt.timedelta(days=1):
                gap_from, gap_to = reach + dt.timedelta(days=1), start - dt.timedelta(days=1)
                days = (gap_to - gap_from).days + 1
                verified = (
                    _supplied(reach_end_balance)
                    and _supplied(r["start_balance"])
                    and reach_end_balance == r["start_balance"]
                )
                found.append(
                    {
                        "bank_account_id": account_id,
                        "after_statement_id": reach_id,
                        "before_statement_id": r["statement_id"],
                        "from_date": gap_from,
                        "to_date": gap_to,
                        "days": days,
                        "balance_chain_verified": verified,
                    }
                )
            elif start <= reach:
                overlaps += 1
            if end > reach:
                covered += (end - max(start, reach + dt.timedelta(days=1))).days + 1
        if reach is None or end > reach:
            reach, reach_id, reach_end_balance = end, r["statement_id"], r["end_balance"]
        if previous is not None:
            prev_end, start_balance = previous["end_balance"], r["start_balance"]
            if _supplied(prev_end) and _supplied(start_balance):
                checked += 1
                if start_balance != prev_end:
                    breaks.append(
                        BalanceBreak(
                            bank_account_id=account_id,
                            statement_id=r["statement_id"],
                            start_date=r["start_date"],
                            start_balance=money(start_balance, currency),
                            previous_statement_id=previous["statement_id"],
                            previous_end_date=previous["end_date"],
                            previous_end_balance=money(prev_end, currency),
                            difference=money(start_balance - prev_end, currency),
                        )
                    )
            else:
                unverifiable += 1
        previous = r
    for r in rows:
        for which, date_key in (("start", "start_date"), ("end", "end_date")):
            imported, indicative = r[f"{which}_balance"], r[f"indicative_{which}_balance"]
            if _supplied(imported) and indicative is not None:
                compared += 1
                if imported != indicative:
                    mismatches.append(
                        IndicativeMismatch(
                            bank_account_id=account_id,
                            statement_id=r["statement_id"],
                            which=which,
                            date=r[date_key],
                            imported=money(imported, currency),
                            indicative=money(indicative, currency),
                            difference=money(imported - indicative, currency),
                        )
                    )
    starts = [r["start_date"] for r in dated]
    spacings = [(b - a).days for a, b in pairwise(starts)]
    spacing = median(spacings) if spacings else None
    tolerance = max(GAP_TOLERANCE_DAYS, GAP_TOLERANCE_FACTOR * (spacing or 0.0))
    gaps = [
        StatementGap(**g, material=not g["balance_chain_verified"] and g["days"] > tolerance)
        for g in found
    ]
    gap_days = sum(g.days for g in gaps)
    material_days = sum(g.days for g in gaps if g.material)
    span = covered + gap_days
    coverage = share(span - material_days, span)
    checks = checked + compared
    integrity = 1.0 - (len(breaks) + len(mismatches)) / checks if checks else None
    continuity = None if coverage is None else coverage * (1.0 if integrity is None else integrity)
    return StatementContinuity(
        not_available=None if dated else "no statements with start and end dates",
        statements=len(rows),
        undated_statements=len(rows) - len(dated),
        statements_without_balances=sum(
            1 for r in rows if not _supplied(r["start_balance"]) and not _supplied(r["end_balance"])
        ),
        first_statement_date=dated[0]["start_date"] if dated else None,
        last_statement_date=reach,
        covered_days=covered,
        gap_days=gap_days,
        material_gap_days=material_days,
        coverage_share=coverage,
        overlapping_statements=overlaps,
        usual_statement_spacing_days=spacing,
        gaps=gaps,
        chain_links_checked=checked,
        chain_links_unverifiable=unverifiable,
        balance_breaks=breaks,
        balances_compared=compared,
        indicative_mismatches=mismatches,
        chain_integrity=integrity,
        continuity=continuity,
    )


def statement_continuity(
    statements: pl.DataFrame, currencies: dict[str, str]
) -> dict[str, StatementContinuity]:
    """Date gaps, balance chain breaks and imported vs indicative balances of each account.

    Args:
        statements: statements frame (:data:`lendcheck.frames.STATEMENTS_SCHEMA`): dates,
            ``start_balance``/``end_balance`` (imported; 0 or null = not supplied) and
            ``indicative_start_balance``/``indicative_end_balance`` in minor units.
        currencies: currency code per bank account id; every key gets a result.

    Returns:
        :class:`StatementContinuity` per bank account id.
    """
    # only the columns the walk reads become Python values (not the import times: a datetime
    # with its time zone is the dearest value to make, and they serve only the order)
    ordered = statements.sort(
        ["bank_account_id", "start_date", "end_date", "imported_at", "statement_id"],
        nulls_last=True,
    ).select(_CONTINUITY_COLUMNS)
    by_account: dict[str, list[dict[str, Any]]] = {}
    for row in ordered.iter_rows(named=True):
        by_account.setdefault(row["bank_account_id"], []).append(row)
    return {
        account_id: _continuity(account_id, by_account.get(account_id, []), currency)
        for account_id, currency in currencies.items()
    }


# ---------------------------------------------------------------------------------------------
# Inputs of the data confidence score (the score itself is the policy's judgement:
# lendcheck.policy.confidence)


@dataclass(frozen=True)
class ConfidenceEvidence:
    """The raw figures the data confidence score of one account is made from.

    Attributes:
        reconciled_share: ``reconciliation.reconciled_share_by_amount``, in [0, 1].
        source_shares: ``share_by_amount`` per import-source kind (None when no lines).
        continuity: ``continuity.continuity``, in [0, 1].
        days_overdue: ``freshness.days_overdue``, in days.
        unbacked_ledger_cash: cash in the books no bank line backs, currency amount, at least
            0 (see :func:`unbacked_ledger_cash`).
        monthly_inflow: the account's mean receipts per month with lines, currency amount.
        xero_differences: ``cross_check.differences`` plus
            ``ledger_vs_bank.bank_balance_disagreements``.
        recent_typed_inflow_share:
            ``import_source_mix.manual_or_uploaded_inflow_recent_while_fed_share``.
        evidence_completeness: share in [0, 1] of the evidence the score's inputs need that
            the snapshot holds; None: not applied. The report never supplies it (missing
            evidence weighs on the data confidence grade through the evidence rules, once:
            docs/metrics.md); a caller of
            :func:`lendcheck.policy.confidence.confidence_score` may.

    Every field may be None: that input or factor is then left out (never counted as a pass
    or as a zero; the evidence-completeness factor is where missing evidence weighs).
    """

    reconciled_share: float | None = None
    source_shares: dict[str, float | None] | None = None
    continuity: float | None = None
    days_overdue: float | None = None
    unbacked_ledger_cash: Decimal | None = None
    monthly_inflow: Decimal | None = None
    xero_differences: int | None = None
    recent_typed_inflow_share: float | None = None
    evidence_completeness: float | None = None


def unbacked_ledger_cash(
    ledger_minus_bank: Decimal | None, unreconciled_line_net: Decimal | None
) -> Decimal | None:
    """Cash in the books that no bank line backs: ``max(0, ledger_minus_bank +
    unreconciled_line_net)``, currency amount.

    ``ledger_minus_bank`` (CashValidation) less the part the bank already shows and the books
    have not yet taken up (the unreconciled statement lines, net: a receipt on the statement
    not yet in the books lowers the gap it explains). On consistent data this equals the
    ledger's own unreconciled cash entries; only a surplus in the books counts (books below
    the bank are unbanked payments, the conservative side). None when either is missing.
    """
    if ledger_minus_bank is None or unreconciled_line_net is None:
        return None
    return max(Decimal(0), ledger_minus_bank + unreconciled_line_net)
