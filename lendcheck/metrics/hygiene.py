"""Hygiene signals of the bank lines, as Codat's audit report and Railz's fraud metrics show
them: round-sum receipts, the first-digit (Benford) test, duplicate lines, blank descriptions
and lines entered long after their date. Each comes with the lines behind it.

Population: non-deleted statement lines dated on or before ``as_of``.

* **Round-sum receipts**: receipts of at least :data:`ROUND_MIN_MINOR` (100.00) that are whole
  multiples of 100.00; ``round_receipts_share`` = their count / the count of such receipts.
  Transfers from the applicant's own accounts (payee naming one of them: a savings sweep) are
  not receipts from anyone and are left out.
* **Benford first digit** over payments (outflows) of at least 10.00 (Nigrini's population for
  the test: payables; amounts below 10 are left out): observed share of each first digit d
  against ``log10(1 + 1/d)``; ``benford_mad`` = mean over d = 1..9 of the absolute
  differences (Nigrini's mean absolute deviation); conformity by Nigrini's first-digit bands
  (:data:`BENFORD_BANDS`); not computed below :data:`BENFORD_MIN_SAMPLE` payments.
* **Duplicate lines**: lines of one account with the same amount, date and payee as another;
  ``duplicate_lines`` counts the copies beyond the first of each set.
* **Blank descriptions**: lines with neither payee nor reference (after trimming spaces).
* **Late entries**: lines whose statement was imported more than :data:`LATE_ENTRY_DAYS`
  days after the line's date (``importedDateTimeUtc`` of the statement against the line's
  ``transactionDate``); a bank feed delivers within days.

Source: BankStatementsPlus statement lines and their statements' import time. Pure.
"""

from __future__ import annotations

import datetime as dt
import math

import polars as pl
from pydantic import Field

from lendcheck.metrics._common import (
    PAYEE_INDEX,
    LineRef,
    Payees,
    is_live,
    line_refs,
    own_account_payee,
    share,
)
from lendcheck.money import MINOR_UNITS
from lendcheck.report_types import Ratio, ReportModel, Share

__all__ = [
    "BENFORD_BANDS",
    "BENFORD_MIN_SAMPLE",
    "LATE_ENTRY_DAYS",
    "BenfordDigit",
    "Hygiene",
    "hygiene",
]

#: Smallest receipt (minor units: 100.00) in the round-sum test; round means a whole multiple of it.
ROUND_MIN_MINOR = 100 * MINOR_UNITS
#: Smallest payment (minor units: 10.00) in the Benford test.
BENFORD_MIN_AMOUNT = 10 * MINOR_UNITS
#: Payments needed before the Benford test is run (Nigrini: the MAD bands hold for about a
#: thousand records or more).
BENFORD_MIN_SAMPLE = 1_000
#: Nigrini's first-digit MAD bands: upper bound (exclusive) and label.
BENFORD_BANDS = (
    (0.006, "close conformity"),
    (0.012, "acceptable conformity"),
    (0.015, "marginally acceptable conformity"),
    (math.inf, "nonconformity"),
)
#: Days after its date beyond which a line's import is late.
LATE_ENTRY_DAYS = 45
#: Most lines kept in each drill-back list (report.json); the counts are exact.
DRILL_BACK_LINES = 200
#: Lines (receipts tested for round sums; lines; lines with an import time) a share needs:
#: below it one or two lines move the share past any threshold (4 round receipts of 4 is
#: 100 %), so the share is None with the reason and the count alone is given.
MIN_LINES_FOR_SHARE = 100


class BenfordDigit(ReportModel):
    """One first digit of the Benford test.

    Attributes:
        digit: the first digit, 1 to 9.
        lines: payments tested whose amount starts with it.
        observed_share: lines / payments tested.
        expected_share: Benford's ``log10(1 + 1/digit)``.
    """

    digit: int
    lines: int
    observed_share: Share
    expected_share: Share


class Hygiene(ReportModel):
    """Hygiene signals of the statement lines.

    Attributes:
        lines: lines in the population.
        round_receipts: receipts of 100.00 or more that are whole hundreds.
        receipts_tested: receipts of 100.00 or more.
        round_receipts_share: round_receipts / receipts_tested (None below
            :data:`MIN_LINES_FOR_SHARE` receipts tested).
        benford_lines: payments of 10.00 or more tested.
        benford_mad: Nigrini's mean absolute deviation (None below the minimum sample).
        benford_conformity: Nigrini's band for ``benford_mad``, or None.
        benford_not_available: why the test was not run, else None.
        benford_digits: observed and expected share of each first digit.
        duplicate_lines: copies beyond the first of lines with one account, amount, date and
            payee.
        blank_description_lines: lines with neither payee nor reference.
        blank_description_share: blank_description_lines / lines (None below
            :data:`MIN_LINES_FOR_SHARE` lines).
        late_entry_lines: lines imported more than :data:`LATE_ENTRY_DAYS` days after their
            date.
        late_entry_share: late_entry_lines / lines with an import time (None below
            :data:`MIN_LINES_FOR_SHARE` such lines).
        not_available: share name -> why it is None.
        round_receipt_examples: the round receipts, largest first (at most
            :data:`DRILL_BACK_LINES`).
        duplicate_examples: the lines of each duplicate set, set by set (at most
            :data:`DRILL_BACK_LINES`).
        blank_description_examples: lines without payee or reference, newest first (at most
            :data:`DRILL_BACK_LINES`).
        late_entry_examples: late-entered lines, newest first (at most
            :data:`DRILL_BACK_LINES`).
    """

    lines: int
    round_receipts: int
    receipts_tested: int
    round_receipts_share: Share
    benford_lines: int
    benford_mad: Ratio
    benford_conformity: str | None
    benford_not_available: str | None
    benford_digits: list[BenfordDigit]
    duplicate_lines: int
    blank_description_lines: int
    blank_description_share: Share
    late_entry_lines: int
    late_entry_share: Share
    round_receipt_examples: list[LineRef]
    duplicate_examples: list[LineRef]
    blank_description_examples: list[LineRef]
    late_entry_examples: list[LineRef]
    not_available: dict[str, str] = Field(default_factory=dict)


def _first_digit(magnitude: pl.Expr) -> pl.Expr:
    """The first decimal digit of a positive integer column. The float log10 gives the number
    of places to within one (log10(1000) is 2.9999999999999996), and integer comparisons with
    the power of ten correct it: exact for every Int64."""
    guess = magnitude.cast(pl.Float64).log10().floor().cast(pl.Int64)
    power = pl.lit(10, pl.Int64).pow(guess)
    places = (
        guess
        - (power > magnitude).cast(pl.Int64)
        + ((guess < 18) & (power * 10 <= magnitude)).cast(pl.Int64)
    )
    return (magnitude // pl.lit(10, pl.Int64).pow(places)).cast(pl.Int32)


def _blank(column: str) -> pl.Expr:
    """Null, empty or only spaces (a search for any other character stops at the first one:
    no text is copied)."""
    return ~pl.col(column).str.contains(r"\S").fill_null(False)


def hygiene(
    statement_lines: pl.DataFrame,
    currencies: dict[str, str],
    as_of: dt.date,
    account_names: dict[str, str] | None = None,
    payees: Payees | None = None,
) -> Hygiene:
    """Compute the hygiene signals (see the module for each definition).

    Args:
        statement_lines: :data:`lendcheck.frames.STATEMENT_LINES_SCHEMA` rows.
        currencies: currency per bank account id.
        as_of: the report date.
        account_names: name per bank account id (the applicant's own accounts, whose
            transfers are no receipts in the round-sum test).
        payees: the payees of ``statement_lines`` (:class:`~lendcheck.metrics._common.Payees`),
            when the caller has them; else made here.
    """
    amount = pl.col("amount")
    lag = (pl.col("imported_at").dt.date() - pl.col("transaction_date")).dt.total_days()
    dup_key = ["bank_account_id", "amount", "transaction_date", "payee"]
    order = ["transaction_date", "statement_line_id"]
    payees = payees or Payees.of(statement_lines)
    live = payees.on(statement_lines).lazy().with_row_index("_row").filter(is_live(as_of))
    # Each line's tests once, as columns; the queries below share this plan (collect_all
    # computes a common subplan once). Only the columns the counts and the orders need are
    # kept with the tests (the shared plan is held whole in memory): the example lines are
    # taken from the lines by their row number afterwards.
    is_tested = (amount >= ROUND_MIN_MINOR) & ~payees.test(own_account_payee(account_names or {}))
    marked = live.select(
        "_row",
        "amount",
        *order,
        pl.col("imported_at").is_not_null().alias("_imported"),
        is_tested.alias("_tested"),
        (is_tested & (amount % ROUND_MIN_MINOR == 0)).alias("_round"),
        (payees.test(_blank("payee")) & _blank("reference")).alias("_blank"),
        (lag > LATE_ENTRY_DAYS).alias("_late"),
    )
    # Lines whose key hashes like another's first (one integer per line: the hashes sorted,
    # a value equal to its neighbour repeats), then the exact sets among those few: a hash
    # collision cannot make a set, only cost a look.
    # The key's hash: each column's own hash (a different seed each) combined by XOR, twice
    # as fast as hashing a struct of the four columns; equal keys hash alike either way. The
    # payee is hashed by its index among the distinct payees (equal payees, equal index). The
    # hashes are made once, kept with the row numbers, and both sorted and looked up.
    key_hash = (
        pl.col("bank_account_id").hash(1)
        ^ amount.hash(2)
        ^ pl.col("transaction_date").hash(3)
        ^ pl.col(PAYEE_INDEX).hash(4)
    )
    hashed = live.select("_row", key_hash.alias("h"))
    sorted_hash = pl.col("h")
    repeated_hashes = (
        hashed.select(sorted_hash.sort())
        .filter((sorted_hash == sorted_hash.shift(1)) | (sorted_hash == sorted_hash.shift(-1)))
        .unique()
    )
    totals, digits, rounds, hashes, repeated, blanks, late = pl.collect_all(
        [
            marked.select(
                pl.len().alias("lines"),
                pl.col("_tested").sum().alias("receipts"),
                pl.col("_round").sum().alias("round"),
                pl.col("_blank").sum().alias("blank"),
                pl.col("_imported").sum().alias("imported"),
                pl.col("_late").sum().alias("late"),
            ),
            live.filter(amount <= -BENFORD_MIN_AMOUNT)
            .select(_first_digit(-amount).alias("digit"))
            .group_by("digit")
            .agg(pl.len().alias("lines")),
            marked.filter("_round")
            .sort(["amount", *order], descending=[True, True, False])
            .head(DRILL_BACK_LINES)
            .select("_row"),
            hashed,
            repeated_hashes,
            marked.filter("_blank")
            .sort(order, descending=True)
            .head(DRILL_BACK_LINES)
            .select("_row"),
            marked.filter("_late")
            .sort(order, descending=True)
            .head(DRILL_BACK_LINES)
            .select("_row"),
        ]
    )
    rounds, blanks, late = (
        statement_lines.select(pl.all().gather(rows.get_column("_row")))
        for rows in (rounds, blanks, late)
    )
    maybe = statement_lines.select(
        pl.all().gather(hashes.filter(sorted_hash.is_in(repeated["h"].implode()))["_row"])
    )
    sets = maybe.group_by(dup_key).agg(pl.len().alias("n")).filter(pl.col("n") > 1)
    duplicate_copies = int(sets["n"].sum()) - sets.height
    dups = (
        maybe.join(sets.select(dup_key), on=dup_key, how="semi", nulls_equal=True)
        .sort([*dup_key, "statement_line_id"])
        .head(DRILL_BACK_LINES)
    )
    t = totals.row(0, named=True)
    counts = {d: 0 for d in range(1, 10)}
    for digit, lines in digits.iter_rows():
        counts[int(digit)] = int(lines)
    tested = sum(counts.values())
    expected = {d: math.log10(1 + 1 / d) for d in range(1, 10)}
    mad = None
    conformity = None
    benford_reason = None
    if tested >= BENFORD_MIN_SAMPLE:
        mad = sum(abs(counts[d] / tested - expected[d]) for d in counts) / 9
        conformity = next(label for bound, label in BENFORD_BANDS if mad < bound)
    else:
        benford_reason = f"{tested} payments of 10.00 or more: the test needs {BENFORD_MIN_SAMPLE}"
    gaps: dict[str, str] = {}

    def sufficient(name: str, part: int, whole: int, what: str) -> float | None:
        if whole < MIN_LINES_FOR_SHARE:
            gaps[name] = f"{whole} {what}: a share needs {MIN_LINES_FOR_SHARE}"
            return None
        return share(part, whole)

    return Hygiene(
        lines=t["lines"],
        round_receipts=t["round"],
        receipts_tested=t["receipts"],
        round_receipts_share=sufficient(
            "round_receipts_share", t["round"], t["receipts"], "receipts of 100.00 or more"
        ),
        benford_lines=tested,
        benford_mad=mad,
        benford_conformity=conformity,
        benford_not_available=benford_reason,
        benford_digits=[
            BenfordDigit(
                digit=d,
                lines=counts[d],
                observed_share=share(counts[d], tested),
                expected_share=expected[d],
            )
            for d in range(1, 10)
        ],
        duplicate_lines=duplicate_copies,
        blank_description_lines=t["blank"],
        blank_description_share=sufficient(
            "blank_description_share", t["blank"], t["lines"], "lines"
        ),
        late_entry_lines=t["late"],
        late_entry_share=sufficient(
            "late_entry_share", t["late"], t["imported"], "lines with an import time"
        ),
        round_receipt_examples=line_refs(rounds, as_of, currencies),
        duplicate_examples=line_refs(dups, as_of, currencies),
        blank_description_examples=line_refs(blanks, as_of, currencies),
        late_entry_examples=line_refs(late, as_of, currencies),
        not_available=gaps,
    )
