"""Returned and reversed payments: dishonoured receipts and payments the bank sent back.

A *returned item* is a statement line that undoes an earlier one, found either way:

* **pair**: a line and a later line of the same account with the same payee (compared
  case-insensitively, spaces trimmed), the same absolute amount and the opposite sign, dated
  0 to :data:`PAIR_WINDOW_DAYS` days after it; each line belongs to one pair at most (the
  earliest later match);
* **reference**: a line whose payee or reference carries a word banks use for it
  (:data:`RETURN_WORDS`: DISHONOUR, RETURNED, REVERSAL, BOUNCED, ...), when it is not already
  the second line of a pair.

A reversal that takes money out (a receipt dishonoured) is a *dishonoured receipt*; one that
puts money back (a payment the bank could not make) is a *returned payment*.

Source: BankStatementsPlus statement lines (non-deleted, dated on or before ``as_of``): payee,
reference, amount, transaction date. Pure.
"""

from __future__ import annotations

import datetime as dt

import polars as pl

from lendcheck.metrics._common import PAYEE_INDEX, LineRef, Payees, is_live, line_refs, money
from lendcheck.money import to_minor_units
from lendcheck.report_types import Money, ReportModel

__all__ = [
    "PAIR_WINDOW_DAYS",
    "RETURN_WORDS",
    "ReturnMonth",
    "ReturnedItem",
    "ReturnedPayments",
    "returned_payments",
]

#: Days within which a line of opposite sign and equal amount to the same payee is a reversal.
PAIR_WINDOW_DAYS = 5
#: Words (whole words, any case) that banks put on returned and reversed items.
RETURN_WORDS = (
    "DISHONOUR",
    "DISHONOURED",
    "DISHONOR",
    "DISHONORED",
    "RETURNED",
    "REVERSAL",
    "REVERSED",
    "BOUNCED",
    "UNPAID",
    "NSF",
    "CHARGEBACK",
    "REFER TO DRAWER",
)
_WORDS = r"(?i)\b(" + "|".join(w.replace(" ", r"\s+") for w in RETURN_WORDS) + r")\b"
#: Fragments every return word contains (a quick first pass; the regex decides).
_FRAGMENTS = ["dishono", "returned", "revers", "bounced", "unpaid", "nsf", "chargeback", "drawer"]
#: Days counted in :attr:`ReturnedPayments.last_12_months_returned_items`.
RECENT_DAYS = 365


class ReturnedItem(ReportModel):
    """One returned or reversed item.

    Attributes:
        matched_by: ``pair`` or ``reference`` (see the module).
        kind: ``dishonoured_receipt`` (the reversal takes money out) or ``returned_payment``.
        reversal: the line that undoes.
        original: the line undone (pairs only).
    """

    matched_by: str
    kind: str
    reversal: LineRef
    original: LineRef | None


class ReturnMonth(ReportModel):
    """Returned items of one month (by the reversal's date) in one currency.

    Attributes:
        month: ``YYYY-MM``.
        currency: the accounts' currency.
        returned_items: how many.
        amount: sum of the reversals' absolute amounts.
    """

    month: str
    currency: str
    returned_items: int
    amount: Money


class ReturnedPayments(ReportModel):
    """Dishonoured receipts and returned payments over the statement history.

    Attributes:
        returned_items: every returned item found.
        last_12_months_returned_items: those dated in the 365 days ending at the report date.
        dishonoured_receipts, returned_payments: ``returned_items`` by kind.
        by_month: count and amount per month and currency, by month then currency.
        items: every item, newest first (drill-back).
    """

    returned_items: int
    last_12_months_returned_items: int
    dishonoured_receipts: int
    returned_payments: int
    by_month: list[ReturnMonth]
    items: list[ReturnedItem]


def _payee_key() -> pl.Expr:
    return pl.col("payee").fill_null("").str.strip_chars().str.to_lowercase()


def _payee_code(payees: Payees) -> pl.Expr:
    """The payee compared as the pairing compares it (spaces trimmed, any case) as an integer
    (UInt32), for lines that hold :data:`~lendcheck.metrics._common.PAYEE_INDEX`: lines whose
    payees read the same share a code; 0 for a blank or missing payee. A statement has few
    distinct payees: they are keyed once, not every line's text."""
    keys = payees.values.to_frame("payee").select(_payee_key()).to_series()
    codes = {key: n for n, key in enumerate(sorted(set(keys) - {""}), start=1)}
    return payees.test(
        _payee_key().replace_strict(
            list(codes), list(codes.values()), default=0, return_dtype=pl.UInt32
        )
    )


def returned_payments(
    statement_lines: pl.DataFrame,
    currencies: dict[str, str],
    as_of: dt.date,
    payees: Payees | None = None,
) -> ReturnedPayments:
    """Find returned and reversed items (see the module for the rules).

    Args:
        statement_lines: :data:`lendcheck.frames.STATEMENT_LINES_SCHEMA` rows.
        currencies: currency per bank account id.
        as_of: the report date.
        payees: the payees of ``statement_lines`` (:class:`~lendcheck.metrics._common.Payees`),
            when the caller has them; else made here.
    """
    amount = pl.col("amount")
    payees = payees or Payees.of(statement_lines)
    payee = _payee_code(payees)
    lines = payees.on(statement_lines)
    live = lines.lazy().with_row_index("_row").filter(is_live(as_of) & (amount != 0))
    # Receipts joined to payments of the same key only: joining all lines to all lines would
    # pair every recurring payment with each of its repeats (a million-line applicant's
    # direct debits alone would give tens of millions of rows). The join is by one 64-bit
    # hash of the key (account, payee, absolute amount: each column's own hash, a different
    # seed each, combined by XOR), carrying only the lines' row numbers; the few pairs it
    # finds are then read from the lines and their keys compared, so a hash collision cannot
    # make a pair. The dates are compared in the join already (fused with it by Polars), so
    # a payee's many equal receipts and payments far apart in time make no rows.
    key_hash = pl.col("bank_account_id").hash(1) ^ pl.col("_payee").hash(2) ^ amount.abs().hash(3)
    named = (
        live.select("_row", "bank_account_id", "amount", "transaction_date", payee.alias("_payee"))
        .filter(pl.col("_payee") != 0)
        .select("_row", "transaction_date", (amount > 0).alias("_receipt"), key_hash.alias("_key"))
    )

    def named_side(prefix: str) -> pl.LazyFrame:
        return named.select(
            "_key",
            "_receipt",
            pl.col("_row").alias(f"{prefix}_row"),
            pl.col("transaction_date").alias(f"{prefix}_date"),
        )

    same_key_plan = (
        named_side("p")
        .filter("_receipt")
        .join(named_side("n").filter(~pl.col("_receipt")), on="_key")
        .filter((pl.col("n_date") - pl.col("p_date")).dt.total_days().abs() <= PAIR_WINDOW_DAYS)
        .select("p_row", "n_row")
    )
    quick = payees.test(
        pl.col("payee").str.contains_any(_FRAGMENTS, ascii_case_insensitive=True)
    ) | pl.col("reference").str.contains_any(_FRAGMENTS, ascii_case_insensitive=True)
    same_key, flagged = pl.collect_all(
        [
            same_key_plan,
            # the literal first pass only: a regex filter chained to it in the same query is
            # merged with it and runs over every line
            live.filter(quick.fill_null(False)).select(
                "_row", "statement_line_id", "payee", "reference"
            ),
        ]
    )

    def side(rows: pl.Series, prefix: str) -> pl.DataFrame:
        """The key, ID and date of the lines at ``rows``, the ID and date named
        ``{prefix}_id`` and ``{prefix}_date``."""
        kept = ["bank_account_id", PAYEE_INDEX, "amount", "statement_line_id", "transaction_date"]
        return lines.select(pl.col(kept).gather(rows)).select(
            pl.col("bank_account_id").alias(f"{prefix}_account"),
            payee.alias(f"{prefix}_payee"),
            amount.abs().alias(f"{prefix}_abs"),
            pl.col("statement_line_id").alias(f"{prefix}_id"),
            pl.col("transaction_date").alias(f"{prefix}_date"),
        )

    candidates = pl.concat(
        [side(same_key["p_row"], "p"), side(same_key["n_row"], "n")], how="horizontal"
    ).filter(
        (pl.col("p_account") == pl.col("n_account"))
        & (pl.col("p_payee") == pl.col("n_payee"))
        & (pl.col("p_abs") == pl.col("n_abs"))
    )
    # the original is the earlier line; on the same day, the lower statement line ID (a
    # deterministic choice: the bank's order within a day is not in the data)
    p_first = (pl.col("p_date") < pl.col("n_date")) | (
        (pl.col("p_date") == pl.col("n_date")) & (pl.col("p_id") < pl.col("n_id"))
    )
    pairs = (
        candidates.select(
            pl.when(p_first)
            .then(pl.col("p_id"))
            .otherwise(pl.col("n_id"))
            .alias("statement_line_id"),
            pl.when(p_first)
            .then(pl.col("p_date"))
            .otherwise(pl.col("n_date"))
            .alias("transaction_date"),
            pl.when(p_first).then(pl.col("n_id")).otherwise(pl.col("p_id")).alias("rev_id"),
            pl.when(p_first).then(pl.col("n_date")).otherwise(pl.col("p_date")).alias("rev_date"),
        )
        .sort(["rev_date", "rev_id", "transaction_date", "statement_line_id"])
        .unique("rev_id", keep="first", maintain_order=True)
        .unique("statement_line_id", keep="first", maintain_order=True)
        .select(pl.col("statement_line_id").alias("original_id"), "rev_id")
    )
    # a line that is the original of one pair cannot be the reversal of another
    pairs = pairs.filter(~pl.col("rev_id").is_in(pairs["original_id"].implode()))
    paired_ids = pl.concat([pairs["original_id"], pairs["rev_id"]])
    worded = flagged.filter(
        (
            pl.col("payee").fill_null("").str.contains(_WORDS)
            | pl.col("reference").fill_null("").str.contains(_WORDS)
        )
        & ~pl.col("statement_line_id").is_in(paired_ids.implode())
    ).select("statement_line_id")
    items_frame = pl.concat(
        [
            pairs.with_columns(pl.lit("pair").alias("matched_by")),
            worded.select(
                pl.lit(None, pl.String).alias("original_id"),
                pl.col("statement_line_id").alias("rev_id"),
                pl.lit("reference").alias("matched_by"),
            ),
        ]
    )
    # every line of an item is among the pairs' candidates or the flagged lines: read those few
    seen = pl.concat([same_key["p_row"], same_key["n_row"], flagged["_row"]]).unique()
    wanted = (
        statement_lines.select(pl.all().gather(seen))
        .filter(
            pl.col("statement_line_id").is_in(
                pl.concat(
                    [items_frame["rev_id"], items_frame["original_id"].drop_nulls()]
                ).implode()
            )
        )
        .unique("statement_line_id", keep="first")
    )
    refs = {
        r.statement_line_id: r for r in line_refs(wanted, as_of, currencies)
    }  # returned items are few: one LineRef each
    items = [
        ReturnedItem(
            matched_by=matched_by,
            kind="dishonoured_receipt" if refs[rev].amount.amount < 0 else "returned_payment",
            reversal=refs[rev],
            original=refs[orig] if orig is not None else None,
        )
        for orig, rev, matched_by in items_frame.iter_rows()
    ]
    items.sort(
        key=lambda i: (i.reversal.date or dt.date.min, i.reversal.statement_line_id), reverse=True
    )
    months: dict[tuple[str, str], list[int]] = {}
    for item in items:
        when = item.reversal.date
        label = when.strftime("%Y-%m") if when else ""
        bucket = months.setdefault((label, item.reversal.amount.currency), [0, 0])
        bucket[0] += 1
        bucket[1] += to_minor_units(abs(item.reversal.amount.amount))
    recent_from = as_of - dt.timedelta(days=RECENT_DAYS - 1)
    return ReturnedPayments(
        returned_items=len(items),
        last_12_months_returned_items=sum(
            1 for i in items if i.reversal.date is not None and i.reversal.date >= recent_from
        ),
        dishonoured_receipts=sum(1 for i in items if i.kind == "dishonoured_receipt"),
        returned_payments=sum(1 for i in items if i.kind == "returned_payment"),
        by_month=[
            ReturnMonth(
                month=month,
                currency=currency,
                returned_items=count,
                amount=money(total, currency) or Money.from_minor(0, currency),
            )
            for (month, currency), (count, total) in sorted(months.items())
        ],
        items=items,
    )
