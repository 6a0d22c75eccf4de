"""Reconciliation quality: how far an account's bank statement lines are reconciled in the books.

Input: the ``statement_lines`` frame of :class:`lendcheck.frames.BankFrames`
(:data:`lendcheck.frames.STATEMENT_LINES_SCHEMA`: ``amount`` Int64 minor units, receipts
positive; ``transaction_date`` Date; ``is_reconciled``/``is_duplicate``/``is_deleted`` Boolean).

Population (as Xero's CashValidation counts): a line's accounting date is its
``transaction_date``; deleted lines are left out of everything except ``deleted_amount`` and
``deleted_lines``; duplicates that are not deleted count like any other line. The as-of metrics
take the lines dated on or before ``as_of``; ages are days from the line's date to ``as_of``.

Money is summed exactly in Int64 minor units (value-weighted ages in Int128); shares and ages
become floats only in the result models.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import polars as pl

from lendcheck.frames import import_source_entry
from lendcheck.metrics._common import LineRef, is_live, line_classes, line_refs, money, share
from lendcheck.report_types import Days, Money, ReportModel, Share

#: Ageing buckets of unreconciled lines: (label, first day, last day or None), by
#: ``as_of - transaction_date`` in days.
AGEING_BUCKETS: tuple[tuple[str, int, int | None], ...] = (
    ("0-30", 0, 30),
    ("31-60", 31, 60),
    ("61-90", 61, 90),
    ("91-180", 91, 180),
    (">180", 181, None),
)

#: Share of absolute amount that must be reconciled, cumulatively, for the books to count as
#: current to a date (see :func:`reconciliation_by_account`, ``books_current_to``).
BOOKS_CURRENT_THRESHOLD = 0.99


def xero_data_source(import_source: str | None) -> str:
    """The CashValidation ``dataSource`` bucket of a statement's import source.

    The bucket :data:`lendcheck.frames.XERO_IMPORT_SOURCES` gives the value: Xero's
    ``directBankFeed`` is a feed "from a bank or aggregator" (lendcheck's ``direct_feed`` and
    ``indirect_feed``); ``fileUpload`` is CSV, OFX or QIF; ``manual`` is
    ``STMTIMPORTSRC/MANUAL``; anything else (a ``QBO`` migration, which lendcheck's own mix
    counts as a file upload, and every value not in the table) is ``other``.

    Args:
        import_source: Xero ``importSource`` (e.g. ``STMTIMPORTSRC/CBAFEED``), or None.

    Returns:
        One of :data:`XERO_DATA_SOURCE_BUCKETS`.
    """
    entry = import_source_entry(import_source)
    return "other" if entry is None else entry.xero_bucket


XERO_DATA_SOURCE_BUCKETS = ("direct_bank_feed", "file_upload", "manual", "other")


# ---------------------------------------------------------------------------------------------
# The frame-level aggregate shared with the Xero cross-check


def line_summary(
    lines: pl.DataFrame | pl.LazyFrame,
    *,
    end: dt.date,
    begin: dt.date | None = None,
    key: str = "bank_account_id",
) -> pl.DataFrame:
    """Xero-style aggregates of statement lines per bank account, for ``begin <= date <= end``.

    This is CashValidation ``bankStatement.statementLines`` recomputed: called with Xero's
    ``beginDate``/``balanceDate`` it must equal Xero's figures.

    Args:
        lines: a statement-lines frame (:data:`lendcheck.frames.STATEMENT_LINES_SCHEMA`).
        end: last accounting date included (Xero ``balanceDate``); ages are counted to it.
        begin: first accounting date included (Xero ``beginDate``); None for no lower bound.
        key: the column to group by.

    Returns:
        One row per ``key`` value (bank account id by default) with a line in the range
        (deleted lines included). Counts (Int64, non-deleted lines except ``deleted_lines``):
        ``total_lines``, ``reconciled_lines``, ``unreconciled_lines``, ``deleted_lines``,
        ``duplicate_lines``. Amounts (Int64 minor units): ``total_amount``,
        ``total_amount_pos``/``_neg``, ``reconciled_amount_pos``/``_neg``,
        ``unreconciled_amount_pos``/``_neg``, ``deleted_amount``, ``duplicate_amount``,
        ``total_abs_amount``, ``reconciled_abs_amount``. Value-weighted age numerators (Int128,
        days x minor units): ``unreconciled_age_amount_pos``/``_neg``. Dates (Date):
        ``earliest_``/``latest_`` + ``unreconciled_``/``reconciled_`` + ``transaction``.
        Xero's data-source sums (Int64 minor units): ``ds_<bucket>``, ``ds_<bucket>_pos``,
        ``ds_<bucket>_neg`` for each of :data:`XERO_DATA_SOURCE_BUCKETS`.
    """
    return summary_of_classes(line_classes(lines, end, begin, key).collect(), end, key).collect()


def summary_of_classes(classes: pl.DataFrame, end: dt.date, key: str) -> pl.LazyFrame:
    """:func:`line_summary`'s columns from :func:`lendcheck.metrics._common.line_classes` (a
    few rows an account and day instead of every line), one row per ``key``, sorted by it.

    Args:
        classes: the line classes of the range (``key`` column, ``lines``, ``pos``, ``neg``).
        end: the day ages are counted to (Xero ``balanceDate``).
        key: the grouping column of ``classes``.
    """
    date = pl.col("transaction_date")
    # Few distinct import sources: classify them in Python, then map the column.
    sources = classes.select(pl.col("import_source").fill_null("").unique())
    by_source = {src: xero_data_source(src) for src in sources["import_source"]}
    bucket = (
        pl.col("import_source")
        .fill_null("")
        .replace_strict(by_source, default="other", return_dtype=pl.String)
    )
    days = (pl.lit(end) - date).dt.total_days().cast(pl.Int128)
    c_live, c_rec = ~pl.col("is_deleted"), pl.col("is_reconciled")
    c_rec, c_unrec = c_live & c_rec, c_live & ~c_rec
    c_dup = c_live & pl.col("is_duplicate")
    n, pos, neg = pl.col("lines"), pl.col("pos"), pl.col("neg")
    total, absolute = pos + neg, pos - neg

    aggs = [
        n.filter(c_live).sum().alias("total_lines"),
        n.filter(c_rec).sum().alias("reconciled_lines"),
        n.filter(c_unrec).sum().alias("unreconciled_lines"),
        n.filter(~c_live).sum().alias("deleted_lines"),
        n.filter(c_dup).sum().alias("duplicate_lines"),
        total.filter(c_live).sum().alias("total_amount"),
        pos.filter(c_live).sum().alias("total_amount_pos"),
        neg.filter(c_live).sum().alias("total_amount_neg"),
        pos.filter(c_rec).sum().alias("reconciled_amount_pos"),
        neg.filter(c_rec).sum().alias("reconciled_amount_neg"),
        pos.filter(c_unrec).sum().alias("unreconciled_amount_pos"),
        neg.filter(c_unrec).sum().alias("unreconciled_amount_neg"),
        total.filter(~c_live).sum().alias("deleted_amount"),
        total.filter(c_dup).sum().alias("duplicate_amount"),
        absolute.filter(c_live).sum().alias("total_abs_amount"),
        absolute.filter(c_rec).sum().alias("reconciled_abs_amount"),
        # value-weighted age numerators: a class is one day, so days x its sum (Int128, exact)
        (days * pos.cast(pl.Int128)).filter(c_unrec).sum().alias("unreconciled_age_amount_pos"),
        (days * neg.cast(pl.Int128)).filter(c_unrec).sum().alias("unreconciled_age_amount_neg"),
        date.filter(c_unrec).min().alias("earliest_unreconciled_transaction"),
        date.filter(c_unrec).max().alias("latest_unreconciled_transaction"),
        date.filter(c_rec).min().alias("earliest_reconciled_transaction"),
        date.filter(c_rec).max().alias("latest_reconciled_transaction"),
    ]
    for name in XERO_DATA_SOURCE_BUCKETS:
        in_bucket = c_live & (bucket == name)
        aggs += [
            total.filter(in_bucket).sum().alias(f"ds_{name}"),
            pos.filter(in_bucket).sum().alias(f"ds_{name}_pos"),
            neg.filter(in_bucket).sum().alias(f"ds_{name}_neg"),
        ]
    return classes.lazy().group_by(key).agg(aggs).sort(key)


def weighted_age(age_amount: int | None, amount: int | None) -> float | None:
    """Xero's value-weighted age: ``sum(age * amount) / sum(amount)``, in days.

    Positive for both signs (the signs cancel). None when there is no amount to weigh.
    Source: Xero CashValidation ``avgDaysUnreconciledPos``/``avgDaysUnreconciledNeg``.
    """
    if age_amount is None or not amount:
        return None
    return int(age_amount) / int(amount)


# ---------------------------------------------------------------------------------------------
# Result models


class AgeingBucket(ReportModel):
    """Unreconciled (non-deleted) lines whose age falls in one bucket.

    Attributes:
        bucket: label, e.g. ``"31-60"`` or ``">180"``.
        min_days: first age in days of the bucket (inclusive).
        max_days: last age in days (inclusive); None for the open last bucket.
        lines: count of lines.
        amount_pos: sum of positive amounts (receipts).
        amount_neg: sum of negative amounts (payments), negative.
    """

    bucket: str
    min_days: int
    max_days: int | None
    lines: int
    amount_pos: Money
    amount_neg: Money


class MonthlyReconciliation(ReportModel):
    """Reconciliation of the lines dated in one calendar month (a trend over the period).

    Attributes:
        month: ``YYYY-MM`` of ``transaction_date``.
        total_lines, reconciled_lines, unreconciled_lines: counts of non-deleted lines.
        reconciled_share_by_count: reconciled lines / total lines, in [0, 1].
        reconciled_share_by_amount: absolute reconciled amount / absolute total amount, in
            [0, 1]; None when every line is zero.
    """

    month: str
    total_lines: int
    reconciled_lines: int
    unreconciled_lines: int
    reconciled_share_by_count: Share
    reconciled_share_by_amount: Share


class Reconciliation(ReportModel):
    """Reconciliation quality of one bank account as of the report date.

    Amounts are in the account's currency; counts and amounts cover non-deleted lines dated on or
    before ``as_of`` unless named ``deleted_*``. Fields named as Xero's CashValidation
    ``statementLines`` fields mean the same (with ``balanceDate = as_of`` and no ``beginDate``).

    Attributes:
        not_available: why the shares, ages and dates are null (no lines), else None.
        total_lines, reconciled_lines, unreconciled_lines: Xero ``reconciledLines``,
            ``unreconciledLines`` and their sum.
        deleted_lines: lines Xero marks deleted (left out of every other figure).
        duplicate_lines: non-deleted lines Xero marks duplicate (counted in the totals).
        undated_lines: lines with neither transaction nor posted date (left out entirely).
        total_amount, total_amount_pos, total_amount_neg: Xero ``totalAmount``/``Pos``/``Neg``.
        reconciled_amount_pos/neg, unreconciled_amount_pos/neg: Xero's fields of these names.
        deleted_amount: Xero ``deletedAmount``, signed sum of deleted lines.
        duplicate_amount: signed sum of non-deleted duplicate lines.
        reconciled_share_by_count: reconciled_lines / total_lines, in [0, 1].
        reconciled_share_by_amount: sum of |amount| of reconciled lines / sum of |amount|, in
            [0, 1].
        avg_days_unreconciled_pos/neg: Xero ``avgDaysUnreconciledPos``/``Neg``: value-weighted
            age in days of unreconciled positive/negative lines; None when there are none.
        earliest/latest_unreconciled/reconciled_transaction: Xero's fields of these names.
        ageing: unreconciled lines in :data:`AGEING_BUCKETS`, always all five buckets.
        unreconciled_lines_over_90_days: unreconciled lines aged more than 90 days (the last
            two buckets).
        unreconciled_over_90_days_share: unreconciled_lines_over_90_days / total_lines, in
            [0, 1]: the share of the account's lines left unreconciled for over a quarter.
        oldest_unreconciled_line: the unreconciled line with the earliest date (largest
            amount first on a tie), None when all are reconciled.
        books_current_to: latest day ``d <= as_of`` such that the lines dated on or before
            ``d`` are at least ``books_current_threshold`` reconciled by absolute amount
            (``as_of`` when that holds for all lines; the day before the first line when it
            holds for none).
        books_current_lag_days: ``as_of - books_current_to`` in days.
        books_current_threshold: the threshold used (:data:`BOOKS_CURRENT_THRESHOLD`).
        fully_reconciled_to: strict version (threshold 1): the day before the earliest
            unreconciled line, or ``as_of`` when every line is reconciled.
        monthly: :class:`MonthlyReconciliation` per calendar month with lines, oldest first.
    """

    not_available: str | None = None
    total_lines: int
    reconciled_lines: int
    unreconciled_lines: int
    deleted_lines: int
    duplicate_lines: int
    undated_lines: int
    total_amount: Money
    total_amount_pos: Money
    total_amount_neg: Money
    reconciled_amount_pos: Money
    reconciled_amount_neg: Money
    unreconciled_amount_pos: Money
    unreconciled_amount_neg: Money
    deleted_amount: Money
    duplicate_amount: Money
    reconciled_share_by_count: Share
    reconciled_share_by_amount: Share
    avg_days_unreconciled_pos: Days
    avg_days_unreconciled_neg: Days
    earliest_unreconciled_transaction: dt.date | None
    latest_unreconciled_transaction: dt.date | None
    earliest_reconciled_transaction: dt.date | None
    latest_reconciled_transaction: dt.date | None
    ageing: list[AgeingBucket]
    unreconciled_lines_over_90_days: int
    unreconciled_over_90_days_share: Share
    oldest_unreconciled_line: LineRef | None
    books_current_to: dt.date | None
    books_current_lag_days: int | None
    books_current_threshold: float
    fully_reconciled_to: dt.date | None
    monthly: list[MonthlyReconciliation]


# ---------------------------------------------------------------------------------------------
# Computation


def _bucket_index(as_of: dt.date) -> pl.Expr:
    age = (pl.lit(as_of) - pl.col("transaction_date")).dt.total_days()
    expr = pl.lit(len(AGEING_BUCKETS) - 1, dtype=pl.Int32)
    for index in reversed(range(len(AGEING_BUCKETS) - 1)):
        _, _, last = AGEING_BUCKETS[index]
        expr = pl.when(age <= last).then(pl.lit(index, dtype=pl.Int32)).otherwise(expr)
    return expr


_OLDEST_ORDER = (["transaction_date", "_abs", "statement_line_id"], [False, True, False])


@dataclass(frozen=True)
class LineTables:
    """Small per-key aggregate frames from which :class:`Reconciliation` is built.

    Every frame has a String column ``key`` (the bank account id, or after :meth:`regroup` any
    grouping such as the currency); sums are additive, so a regrouping needs no second pass over
    the lines.

    Attributes:
        summary: :func:`line_summary` columns per key (range: on or before ``as_of``).
        undated: ``lines`` count of lines without a date per key.
        ageing: ``lines``, ``amount_pos``, ``amount_neg`` per key and ``bucket`` (index into
            :data:`AGEING_BUCKETS`) of unreconciled lines.
        monthly: ``total``, ``rec``, ``abs``, ``rec_abs`` per key and month ``m`` (``YYYY-MM``).
        daily: ``abs``, ``unrec_abs`` per key and ``transaction_date``.
        oldest: the oldest unreconciled line of each key (statement-line columns).
    """

    summary: pl.DataFrame
    undated: pl.DataFrame
    ageing: pl.DataFrame
    monthly: pl.DataFrame
    daily: pl.DataFrame
    oldest: pl.DataFrame

    def regroup(self, mapping: dict[str, str]) -> LineTables:
        """The same tables with each key replaced by ``mapping[key]`` and rows re-aggregated
        (sums added, earliest dates min, latest dates max). Keys not in ``mapping`` go to ""."""
        key = pl.col("key").replace_strict(mapping, default="", return_dtype=pl.String)

        def again(frame: pl.DataFrame, by: list[str]) -> pl.DataFrame:
            aggs = [
                pl.col(c).min()
                if c.startswith("earliest_")
                else pl.col(c).max()
                if c.startswith("latest_")
                else pl.col(c).sum()
                for c in frame.columns
                if c not in ("key", *by)
            ]
            return frame.with_columns(key).group_by("key", *by).agg(aggs).sort("key", *by)

        cols, desc = _OLDEST_ORDER
        return LineTables(
            summary=again(self.summary, []),
            undated=again(self.undated, []),
            ageing=again(self.ageing, ["bucket"]),
            monthly=again(self.monthly, ["m"]),
            daily=again(self.daily, ["transaction_date"]),
            oldest=self.oldest.with_columns(key)
            .sort(cols, descending=desc)
            .unique("key", keep="first", maintain_order=True),
        )


def line_tables(
    lines: pl.DataFrame, as_of: dt.date, classes: pl.DataFrame | None = None
) -> LineTables:
    """Aggregate statement lines into :class:`LineTables` keyed by bank account id.

    Args:
        lines: statement lines (:data:`lendcheck.frames.STATEMENT_LINES_SCHEMA`).
        as_of: the report date; lines dated after it are left out.
        classes: ``line_classes(lines, as_of)`` collected
            (:func:`lendcheck.metrics._common.line_classes`), when the caller has them; else
            they are made here. Every table but the undated count and the oldest line is summed
            from them (a few rows an account and day), not from the lines.
    """
    if classes is None:
        classes = line_classes(lines, as_of).collect()
    keyed = classes.lazy().rename({"bank_account_id": "key"})
    rec = pl.col("is_reconciled")
    pos, neg = pl.col("pos"), pl.col("neg")
    absolute = pos - neg
    live = keyed.filter(~pl.col("is_deleted"))
    unrec = live.filter(~rec)
    cols, desc = _OLDEST_ORDER
    summary, undated, ageing, monthly, daily, oldest = pl.collect_all(
        [
            summary_of_classes(classes.rename({"bank_account_id": "key"}), as_of, "key"),
            lines.lazy()
            .filter(pl.col("transaction_date").is_null())
            .group_by(pl.col("bank_account_id").alias("key"))
            .agg(pl.len().cast(pl.Int64).alias("lines")),
            unrec.group_by("key", _bucket_index(as_of).alias("bucket")).agg(
                pl.col("lines").sum(), pos.sum().alias("amount_pos"), neg.sum().alias("amount_neg")
            ),
            # by the month's first day; written YYYY-MM once grouped (a few rows, not a line each)
            live.group_by("key", pl.col("transaction_date").dt.month_start().alias("m")).agg(
                pl.col("lines").sum().alias("total"),
                pl.col("lines").filter(rec).sum().alias("rec"),
                absolute.sum().alias("abs"),
                absolute.filter(rec).sum().alias("rec_abs"),
            ),
            live.group_by("key", "transaction_date").agg(
                absolute.sum().alias("abs"), absolute.filter(~rec).sum().alias("unrec_abs")
            ),
            lines.lazy()
            .filter(is_live(as_of) & ~pl.col("is_reconciled").fill_null(False))
            .with_columns(
                pl.col("bank_account_id").alias("key"), pl.col("amount").abs().alias("_abs")
            )
            .sort(cols, descending=desc)
            .unique("key", keep="first", maintain_order=True),
        ]
    )
    monthly = monthly.with_columns(pl.col("m").dt.strftime("%Y-%m"))
    return LineTables(summary, undated, ageing, monthly, daily, oldest)


def _books_current_to(daily: pl.DataFrame, threshold: float, as_of: dt.date) -> dict[str, dt.date]:
    """Latest calendar day d <= as_of per key such that the lines dated on or before d are at
    least ``threshold`` reconciled by absolute amount.

    The condition only changes on line dates: if it holds at a line date it holds until the
    day before the next line date (or until ``as_of`` after the last line). When it holds at no
    line date, d is the day before the first line (nothing before it to reconcile).
    """
    date = pl.col("transaction_date")
    ok = pl.col("cum_unrec").cast(pl.Float64) <= (1.0 - threshold) * pl.col("cum_abs").cast(
        pl.Float64
    )
    table = (
        daily.lazy()
        .sort("key", "transaction_date")
        .with_columns(
            pl.col("abs").cum_sum().over("key").alias("cum_abs"),
            pl.col("unrec_abs").cum_sum().over("key").alias("cum_unrec"),
            (date.shift(-1).over("key") - pl.duration(days=1)).alias("until"),
        )
        .group_by("key")
        .agg(
            date.min().alias("first"),
            pl.col("until").fill_null(as_of).filter(ok).max().alias("current_to"),
        )
        .collect()
    )
    return {
        row["key"]: row["current_to"] or row["first"] - dt.timedelta(days=1)
        for row in table.iter_rows(named=True)
    }


def unreconciled_oldest_first(lines: pl.DataFrame, as_of: dt.date) -> pl.DataFrame:
    """Unreconciled non-deleted lines dated on or before ``as_of``, oldest first.

    Sort: ``transaction_date`` ascending, then absolute amount descending, then
    ``statement_line_id`` (a total, deterministic order).
    """
    cols, desc = _OLDEST_ORDER
    return (
        lines.lazy()
        .filter(is_live(as_of) & ~pl.col("is_reconciled").fill_null(False))
        .with_columns(pl.col("amount").abs().alias("_abs"))
        .sort(cols, descending=desc)
        .drop("_abs")
        .collect()
    )


def reconciliations(
    tables: LineTables,
    as_of: dt.date,
    currencies: dict[str, str],
    threshold: float = BOOKS_CURRENT_THRESHOLD,
) -> dict[str, Reconciliation]:
    """Build :class:`Reconciliation` per key of ``currencies`` from :class:`LineTables`.

    Args:
        tables: from :func:`line_tables` (or :meth:`LineTables.regroup`).
        as_of: the report date.
        currencies: currency code per key; every key gets a result.
        threshold: share of absolute amount that must be reconciled for ``books_current_to``.

    Raises:
        ValueError: ``threshold`` is not in [0, 1].
    """
    if not 0.0 <= threshold <= 1.0:
        raise ValueError(f"threshold must be in [0, 1], got {threshold}")
    summary = {r["key"]: r for r in tables.summary.iter_rows(named=True)}
    undated = dict(tables.undated.select("key", "lines").iter_rows())
    ageing: dict[str, dict[int, dict[str, Any]]] = {}
    for row in tables.ageing.iter_rows(named=True):
        ageing.setdefault(row["key"], {})[row["bucket"]] = row
    monthly: dict[str, list[MonthlyReconciliation]] = {}
    for row in tables.monthly.sort("key", "m").iter_rows(named=True):
        monthly.setdefault(row["key"], []).append(
            MonthlyReconciliation(
                month=row["m"],
                total_lines=row["total"],
                reconciled_lines=row["rec"],
                unreconciled_lines=row["total"] - row["rec"],
                reconciled_share_by_count=share(row["rec"], row["total"]),
                reconciled_share_by_amount=share(row["rec_abs"], row["abs"]),
            )
        )
    refs = line_refs(tables.oldest, as_of, _line_currencies(currencies, tables.oldest))
    oldest = dict(zip(tables.oldest["key"].to_list(), refs, strict=True))
    current_to = _books_current_to(tables.daily, threshold, as_of)
    return {
        key: _account_result(
            key,
            currency,
            summary.get(key),
            undated.get(key, 0),
            ageing.get(key, {}),
            oldest.get(key),
            monthly.get(key, []),
            current_to.get(key),
            as_of,
            threshold,
        )
        for key, currency in currencies.items()
    }


def _line_currencies(currencies: dict[str, str], oldest: pl.DataFrame) -> dict[str, str]:
    # Line references carry their own account's currency: the key's currency (same currency
    # whether the key is the account or the account's currency group).
    return {
        account: currencies.get(key, "")
        for account, key in oldest.select("bank_account_id", "key").iter_rows()
    }


def reconciliation_by_account(
    lines: pl.DataFrame,
    as_of: dt.date,
    currencies: dict[str, str],
    threshold: float = BOOKS_CURRENT_THRESHOLD,
) -> dict[str, Reconciliation]:
    """Reconciliation quality of each bank account as of ``as_of``.

    Args:
        lines: statement lines (:data:`lendcheck.frames.STATEMENT_LINES_SCHEMA`); lines dated
            after ``as_of`` are ignored.
        as_of: the report date; ages are ``as_of - transaction_date`` in days.
        currencies: currency code per bank account id; every key gets a result, an account
            without lines one with ``not_available`` set.
        threshold: share of absolute amount that must be reconciled for ``books_current_to``.

    Returns:
        :class:`Reconciliation` per bank account id.

    Raises:
        ValueError: ``threshold`` is not in [0, 1].
    """
    return reconciliations(line_tables(lines, as_of), as_of, currencies, threshold)


def _account_result(
    account_id: str,
    currency: str,
    row: dict[str, Any] | None,
    undated: int,
    ageing: dict[int, dict[str, Any]],
    oldest: LineRef | None,
    monthly: list[MonthlyReconciliation],
    current_to: dt.date | None,
    as_of: dt.date,
    threshold: float,
) -> Reconciliation:
    r = row or {}

    def m(name: str) -> Money:
        value = money(r.get(name) or 0, currency)
        assert value is not None
        return value

    buckets = []
    for index, (label, first_day, last_day) in enumerate(AGEING_BUCKETS):
        b = ageing.get(index, {})
        buckets.append(
            AgeingBucket(
                bucket=label,
                min_days=first_day,
                max_days=last_day,
                lines=b.get("lines", 0),
                amount_pos=money(b.get("amount_pos") or 0, currency),
                amount_neg=money(b.get("amount_neg") or 0, currency),
            )
        )
    total_lines = r.get("total_lines", 0)
    unreconciled = r.get("unreconciled_lines", 0)
    over_90 = sum(b.lines for b in buckets if b.min_days > 90)
    if unreconciled:
        fully_to = r["earliest_unreconciled_transaction"] - dt.timedelta(days=1)
    else:
        fully_to = as_of
    return Reconciliation(
        not_available=None if total_lines else "no statement lines dated on or before as_of",
        total_lines=total_lines,
        reconciled_lines=r.get("reconciled_lines", 0),
        unreconciled_lines=unreconciled,
        deleted_lines=r.get("deleted_lines", 0),
        duplicate_lines=r.get("duplicate_lines", 0),
        undated_lines=undated,
        total_amount=m("total_amount"),
        total_amount_pos=m("total_amount_pos"),
        total_amount_neg=m("total_amount_neg"),
        reconciled_amount_pos=m("reconciled_amount_pos"),
        reconciled_amount_neg=m("reconciled_amount_neg"),
        unreconciled_amount_pos=m("unreconciled_amount_pos"),
        unreconciled_amount_neg=m("unreconciled_amount_neg"),
        deleted_amount=m("deleted_amount"),
        duplicate_amount=m("duplicate_amount"),
        reconciled_share_by_count=share(r.get("reconciled_lines"), total_lines),
        reconciled_share_by_amount=share(r.get("reconciled_abs_amount"), r.get("total_abs_amount"))
        if total_lines
        else None,
        avg_days_unreconciled_pos=weighted_age(
            r.get("unreconciled_age_amount_pos"), r.get("unreconciled_amount_pos")
        ),
        avg_days_unreconciled_neg=weighted_age(
            r.get("unreconciled_age_amount_neg"), r.get("unreconciled_amount_neg")
        ),
        earliest_unreconciled_transaction=r.get("earliest_unreconciled_transaction"),
        latest_unreconciled_transaction=r.get("latest_unreconciled_transaction"),
        earliest_reconciled_transaction=r.get("earliest_reconciled_transaction"),
        latest_reconciled_transaction=r.get("latest_reconciled_transaction"),
        ageing=buckets,
        unreconciled_lines_over_90_days=over_90,
        unreconciled_over_90_days_share=share(over_90, total_lines),
        oldest_unreconciled_line=oldest,
        books_current_to=current_to if total_lines else None,
        books_current_lag_days=(as_of - current_to).days if total_lines and current_to else None,
        books_current_threshold=threshold,
        fully_reconciled_to=fully_to if total_lines else None,
        monthly=monthly,
    )
