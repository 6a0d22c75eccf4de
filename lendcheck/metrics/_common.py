"""Shared pieces of the bank metrics: line references for drill-back, money and share helpers,
and the line population every statement-line metric starts from."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Annotated

import polars as pl
from pydantic import PlainSerializer, TypeAdapter

from lendcheck.money import MINOR_DIGITS, MINOR_UNITS, from_minor_units, quantize
from lendcheck.report_types import Money, ReportModel

#: Decimal places of the small differences of the cross-check (Xero writes ages to 6 places).
FINE_DECIMALS = 6


def _fine(value: float | None) -> float | None:
    if value is None:
        return None
    rounded = round(float(value), FINE_DECIMALS)
    return 0.0 if rounded == 0 else rounded


#: A float written with 6 decimals (cross-check differences of value-weighted ages).
Fine = Annotated[float | None, PlainSerializer(_fine, return_type=float | None)]


def money(minor: int | None, currency: str) -> Money | None:
    """``Money`` from integer minor units, or None when the amount is undefined."""
    if minor is None:
        return None
    # Exact: thousandths at the currency's scale (frames hold no finer amounts than it).
    return Money(amount=quantize(from_minor_units(minor), currency), currency=currency)


def share(numerator: float | int | None, denominator: float | int | None) -> float | None:
    """``numerator / denominator``; None when the denominator is zero or either is missing."""
    if numerator is None or denominator is None or denominator == 0:
        return None
    return float(numerator) / float(denominator)


class LineRef(ReportModel):
    """One statement line, for drill-back from a metric to the bank data.

    Attributes:
        bank_account_id: the line's bank account (Xero ``bankAccountId``, lower case).
        statement_id: the statement the line came in.
        statement_line_id: Xero ``statementLineId``.
        date: accounting date (``transactionDate``, else ``postedDate``).
        age_days: days from ``date`` to the report date (``as_of``).
        payee: Xero ``payee`` (untrusted text: escape when rendering).
        reference: Xero ``reference`` (untrusted text).
        amount: signed amount in the account's currency (receipts positive).
        import_source_kind: one of :data:`lendcheck.frames.IMPORT_SOURCE_KINDS`.
        is_reconciled: Xero ``isReconciled``.
    """

    bank_account_id: str
    statement_id: str | None
    statement_line_id: str
    date: dt.date | None
    age_days: int | None
    payee: str | None
    reference: str | None
    amount: Money
    import_source_kind: str
    is_reconciled: bool


def minor_to_decimal_text(minor: pl.Expr) -> pl.Expr:
    """Int64 minor units (thousandths) as exact decimal text with three places
    (``-12340`` -> ``"-12.340"``)."""
    magnitude = minor.abs()
    return pl.format(
        "{}{}.{}",
        pl.when(minor < 0).then(pl.lit("-")).otherwise(pl.lit("")),
        magnitude // MINOR_UNITS,
        (magnitude % MINOR_UNITS).cast(pl.String).str.zfill(MINOR_DIGITS),
    )


_LINE_REFS = TypeAdapter(list[LineRef])


def line_refs(lines: pl.DataFrame, as_of: dt.date, currencies: dict[str, str]) -> list[LineRef]:
    """Turn rows of a statement-lines frame into :class:`LineRef`, in the frame's order.

    Args:
        lines: rows of :data:`lendcheck.frames.STATEMENT_LINES_SCHEMA` (at least the columns
            of a :class:`LineRef`).
        as_of: report date, for ``age_days``.
        currencies: currency code per bank account id ("" when unknown).
    """
    if lines.height == 0:
        return []
    table = lines.select(
        "bank_account_id",
        "statement_id",
        "statement_line_id",
        "transaction_date",
        (pl.lit(as_of) - pl.col("transaction_date")).dt.total_days().alias("age_days"),
        "payee",
        "reference",
        minor_to_decimal_text(pl.col("amount")).alias("amount"),
        pl.col("bank_account_id")
        .replace_strict(currencies, default="", return_dtype=pl.String)
        .alias("currency"),
        pl.col("import_source_kind").fill_null("other"),
        pl.col("is_reconciled").fill_null(False),
    )
    # One validation of the whole list in pydantic's core: the rows already have the field
    # types (typed frame columns, exact Decimals at the currency's scale).
    rows = [
        {
            "bank_account_id": account,
            "statement_id": statement,
            "statement_line_id": line,
            "date": day,
            "age_days": age,
            "payee": payee,
            "reference": reference,
            "amount": {"amount": quantize(Decimal(amount), currency), "currency": currency},
            "import_source_kind": kind,
            "is_reconciled": rec,
        }
        for (
            account,
            statement,
            line,
            day,
            age,
            payee,
            reference,
            amount,
            currency,
            kind,
            rec,
        ) in table.iter_rows()
    ]
    return _LINE_REFS.validate_python(rows)


def own_account_payee(account_names: dict[str, str]) -> pl.Expr:
    """Lines whose payee names one of the applicant's own bank accounts (any case): transfers
    between its accounts ("FROM BUSINESS CURRENT ACCOUNT", a card repayment), not trade.

    Args:
        account_names: name per bank account id; blank names are ignored.
    """
    names = sorted({n.strip() for n in account_names.values() if n and n.strip()})
    if not names:
        return pl.lit(False)
    return pl.col("payee").str.contains_any(names, ascii_case_insensitive=True).fill_null(False)


#: The column :meth:`Payees.on` adds to the statement lines: each line's row in
#: :attr:`Payees.values`.
PAYEE_INDEX = "_payee_index"


@dataclass(frozen=True)
class Payees:
    """The statement lines' payees, each distinct text once: a test of the payee alone (blank,
    naming one of the applicant's accounts, a lender's or the tax office's name) runs over the
    few distinct payees (55 on the large sample's million lines) and reaches each line by an
    integer index, instead of reading a million strings once per test. Made once per report
    (:func:`lendcheck.metrics.behaviour.analyse_behaviour`) for the metrics that test payees.

    Attributes:
        values: the distinct payees (String), then a null (the payee of a line without one).
        index: for each statement line, in the lines' order, its payee's row in ``values``
            (UInt32), chunked as the lines' columns.
    """

    values: pl.Series
    index: pl.Series

    @classmethod
    def of(cls, lines: pl.DataFrame) -> Payees:
        """The payees of ``lines`` (:data:`lendcheck.frames.STATEMENT_LINES_SCHEMA` rows)."""
        distinct = lines.get_column("payee").drop_nulls().unique()
        absent = len(distinct)  # the null's row
        index = lines.select(
            pl.col("payee")
            .replace_strict(
                distinct,
                pl.int_range(absent, dtype=pl.UInt32, eager=True),
                default=absent,
                return_dtype=pl.UInt32,
            )
            .fill_null(absent)
        ).to_series()
        return cls(values=distinct.append(pl.Series([None], dtype=pl.String)), index=index)

    def on(self, lines: pl.DataFrame) -> pl.DataFrame:
        """``lines`` with the column :data:`PAYEE_INDEX`, which :meth:`test` reads.

        Raises:
            ValueError: ``lines`` are not as many as the lines the payees were made of.
        """
        if lines.height != self.index.len():
            raise ValueError(
                f"{lines.height} statement lines, payees made of {self.index.len()}: "
                "not the same lines"
            )
        return lines.with_columns(self.index.alias(PAYEE_INDEX))

    def test(self, test: pl.Expr) -> pl.Expr:
        """``test``, an expression of the column ``payee`` alone that gives one value per
        payee (``pl.col("payee").str.contains(...)``), as an expression of lines that hold
        :data:`PAYEE_INDEX` (:meth:`on`): the same values, null included, as ``test`` over
        each line's payee, computed once per distinct payee."""
        # with_columns, not select: a literal test (no account names: False) is one per payee
        per_payee = self.values.to_frame("payee").with_columns(test.alias("_test"))["_test"]
        return pl.lit(per_payee).gather(pl.col(PAYEE_INDEX))


def is_live(as_of: dt.date) -> pl.Expr:
    """Filter of the population of the as-of metrics: non-deleted lines dated on or before
    ``as_of``.

    Lines without any date (neither ``transactionDate`` nor ``postedDate``) cannot be placed in
    time and are left out (``Reconciliation.undated_lines`` counts them).
    """
    return ~pl.col("is_deleted").fill_null(False) & (pl.col("transaction_date") <= as_of)


def line_classes(
    lines: pl.DataFrame | pl.LazyFrame,
    end: dt.date,
    begin: dt.date | None = None,
    key: str = "bank_account_id",
) -> pl.LazyFrame:
    """Statement lines dated ``begin..end`` (inclusive; deleted lines included, undated lines
    left out) in classes: one row per account, day and kind of line. The one pass over the
    lines that the reconciliation, import-source and cross-check tables are summed from.

    Args:
        lines: rows of :data:`lendcheck.frames.STATEMENT_LINES_SCHEMA`.
        end: last ``transaction_date`` included.
        begin: first ``transaction_date`` included; None for no lower bound.
        key: the column the classes are grouped by besides the day and kind (bank account ID).

    Returns:
        A lazy frame, one row per distinct ``key``, ``transaction_date`` (Date),
        ``is_deleted``, ``is_reconciled``, ``is_duplicate`` (Boolean; null read as False),
        ``import_source`` (String, Xero ``importSource``, null kept) and
        ``import_source_kind`` (String, null read as ``other``): ``lines`` (Int64, count),
        ``inflow_lines`` and ``outflow_lines`` (Int64, counts of the lines with a positive
        and with a negative amount), ``pos`` and ``neg`` (Int64 minor units: the sums of the
        positive and of the negative amounts, 0 without any).
    """
    date = pl.col("transaction_date")
    amount = pl.col("amount")
    in_range = date <= end if begin is None else date.is_between(begin, end, closed="both")
    # when/then sums rather than filtered sums: 2x faster in a grouping of a million lines
    return (
        lines.lazy()
        .filter(in_range)
        .group_by(
            key,
            "transaction_date",
            pl.col("is_deleted").fill_null(False),
            pl.col("is_reconciled").fill_null(False),
            pl.col("is_duplicate").fill_null(False),
            "import_source",
            pl.col("import_source_kind").fill_null("other"),
        )
        .agg(
            pl.len().cast(pl.Int64).alias("lines"),
            (amount > 0).sum().cast(pl.Int64).alias("inflow_lines"),
            (amount < 0).sum().cast(pl.Int64).alias("outflow_lines"),
            pl.when(amount > 0).then(amount).otherwise(0).sum().alias("pos"),
            pl.when(amount < 0).then(amount).otherwise(0).sum().alias("neg"),
        )
    )
