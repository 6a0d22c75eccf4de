"""Cross-checks with Xero: recomputed CashValidation aggregates, and ledger vs bank."""

from __future__ import annotations

from decimal import Decimal

import polars as pl
import pytest

from lendcheck.metrics.cross_check import cross_check, ledger_vs_bank

from .build import (
    AS_OF,
    CSV,
    FEED,
    GBP_ID,
    MANUAL,
    USD_ID,
    YODLEE,
    bank,
    cash_validation,
    d,
    frames,
    line,
    statement,
)

GBP = {GBP_ID: "GBP"}
BEGIN = d("2026-01-01")


def _frames():
    def one(day, amount, source, **kw):
        return statement(day, day, [line(day, amount, **kw)], source=source)

    return frames(
        bank(
            [
                one("2025-12-31", "77.00", FEED),  # before beginDate
                one("2026-04-01", "-400.00", "STMTIMPORTSRC/QBO", line_id="l7"),
                one("2026-06-01", "1000.00", FEED, reconciled=True, line_id="l1"),
                one("2026-07-15", "-200.00", CSV, line_id="l2"),
                one("2026-09-01", "300.00", FEED, line_id="l3"),
                one("2026-10-20", "100.00", YODLEE, line_id="l4"),
                one("2026-10-21", "-50.00", MANUAL, reconciled=True, line_id="l5"),
                one("2026-10-22", "70.00", FEED, deleted=True, line_id="l6"),
            ]
        )
    )


def _xero(**override):
    """Xero's figures for :func:`_frames`, computed by hand."""
    lines = {
        "unreconciled_amount_pos": Decimal("400"),
        "unreconciled_amount_neg": Decimal("-600"),
        "unreconciled_lines": 4,
        "avg_days_unreconciled_pos": Decimal("47.750000"),  # (60 * 300 + 11 * 100) / 400
        "avg_days_unreconciled_neg": Decimal("178.000000"),  # (108 * 200 + 213 * 400) / 600
        "earliest_unreconciled_transaction": "2026-04-01",
        "latest_unreconciled_transaction": "2026-10-20",
        "deleted_amount": Decimal("70"),
        "total_amount": Decimal("750"),
        "earliest_reconciled_transaction": "2026-06-01",
        "latest_reconciled_transaction": "2026-10-21",
        "reconciled_amount_pos": Decimal("1000"),
        "reconciled_amount_neg": Decimal("-50"),
        "reconciled_lines": 2,
        "total_amount_pos": Decimal("1400"),
        "total_amount_neg": Decimal("-650"),
        "data_source": {
            # direct and indirect (aggregator) feeds together, as Xero counts them
            "direct_bank_feed": Decimal("1400"),
            "direct_bank_feed_pos": Decimal("1400"),
            "direct_bank_feed_neg": Decimal("0"),
            "file_upload": Decimal("-200"),
            "file_upload_pos": Decimal("0"),
            "file_upload_neg": Decimal("-200"),
            "manual": Decimal("-50"),
            "manual_pos": Decimal("0"),
            "manual_neg": Decimal("-50"),
            "other": Decimal("-400"),  # the QBO migration line
            "other_pos": Decimal("0"),
            "other_neg": Decimal("-400"),
        },
    }
    lines.update(override)
    return [cash_validation(GBP_ID, bank_statement={"statement_lines": lines})]


def _disagreeing(check):
    return sorted(
        c.field
        for group in (check.amounts, check.counts, check.ages, check.dates)
        for c in group
        if not c.agrees
    )


def test_consistent_case_has_zero_difference():
    check = cross_check(_frames().statement_lines, _xero(), BEGIN, AS_OF, GBP)[GBP_ID]
    assert check.not_available is None
    assert (check.begin_date, check.balance_date) == (BEGIN, AS_OF)
    assert check.differences == 0
    assert check.agrees is True
    assert len(check.amounts) == 8 + 12
    assert len(check.counts) == 2 and len(check.ages) == 2 and len(check.dates) == 4
    assert all(c.difference.amount == 0 for c in check.amounts)
    assert all(c.difference == 0 for c in check.counts)
    assert all(c.difference_days == 0 for c in check.dates)
    ages = {c.field: (c.xero, c.recomputed, c.difference) for c in check.ages}
    assert ages["avg_days_unreconciled_pos"] == (47.75, 47.75, 0.0)


def test_one_line_reconciled_behind_xeros_back_is_found():
    f = _frames()
    altered = f.statement_lines.with_columns(
        pl.when(pl.col("statement_line_id") == "l3")
        .then(True)
        .otherwise(pl.col("is_reconciled"))
        .alias("is_reconciled")
    )
    check = cross_check(altered, _xero(), BEGIN, AS_OF, GBP)[GBP_ID]
    assert check.agrees is False
    assert _disagreeing(check) == [
        "avg_days_unreconciled_pos",
        "reconciled_amount_pos",
        "reconciled_lines",
        "unreconciled_amount_pos",
        "unreconciled_lines",
    ]
    amounts = {c.field: c for c in check.amounts}
    assert amounts["unreconciled_amount_pos"].difference.amount == Decimal("-300.00")
    assert amounts["reconciled_amount_pos"].difference.amount == Decimal("300.00")
    counts = {c.field: c.difference for c in check.counts}
    assert counts == {"unreconciled_lines": -1, "reconciled_lines": 1}
    ages = {c.field: c for c in check.ages}
    assert ages["avg_days_unreconciled_pos"].recomputed == 11.0
    assert ages["avg_days_unreconciled_pos"].difference == pytest.approx(11.0 - 47.75)


def test_one_cent_changed_on_one_line_is_found():
    altered = _frames().statement_lines.with_columns(
        pl.when(pl.col("statement_line_id") == "l4")
        .then(10001)
        .otherwise(pl.col("amount"))
        .alias("amount")
    )
    check = cross_check(altered, _xero(), BEGIN, AS_OF, GBP)[GBP_ID]
    assert _disagreeing(check) == [
        "avg_days_unreconciled_pos",
        "data_source.direct_bank_feed",
        "data_source.direct_bank_feed_pos",
        "total_amount",
        "total_amount_pos",
        "unreconciled_amount_pos",
    ]
    assert check.differences == 6


def test_age_tolerance_is_one_millionth_of_a_day():
    near = cross_check(
        _frames().statement_lines,
        _xero(avg_days_unreconciled_pos=Decimal("47.7500005")),
        BEGIN,
        AS_OF,
        GBP,
    )[GBP_ID]
    assert near.agrees is True
    far = cross_check(
        _frames().statement_lines,
        _xero(avg_days_unreconciled_pos=Decimal("47.750002")),
        BEGIN,
        AS_OF,
        GBP,
    )[GBP_ID]
    assert _disagreeing(far) == ["avg_days_unreconciled_pos"]


def test_begin_date_filters_lines_like_xero():
    # Without beginDate the 2025-12-31 line counts and Xero's figures no longer match.
    check = cross_check(_frames().statement_lines, _xero(), None, AS_OF, GBP)[GBP_ID]
    assert "total_amount" in _disagreeing(check)


def test_missing_xero_fields():
    check = cross_check(
        _frames().statement_lines,
        _xero(
            earliest_unreconciled_transaction=None, reconciled_amount_neg=None, deleted_amount=None
        ),
        BEGIN,
        AS_OF,
        GBP,
    )[GBP_ID]
    # a missing date Xero should have given disagrees; a missing sum agrees only with zero
    assert _disagreeing(check) == [
        "deleted_amount",
        "earliest_unreconciled_transaction",
        "reconciled_amount_neg",
    ]
    deleted = next(c for c in check.amounts if c.field == "deleted_amount")
    assert deleted.xero is None and deleted.difference is None


def test_account_without_unreconciled_lines_agrees_with_zero_ages():
    f = frames(
        bank([statement("2026-09-01", "2026-09-01", [line("2026-09-01", "5", reconciled=True)])])
    )
    zeros = {
        "unreconciled_lines": 0,
        "reconciled_lines": 1,
        "reconciled_amount_pos": Decimal("5"),
        "total_amount": Decimal("5"),
        "total_amount_pos": Decimal("5"),
        "avg_days_unreconciled_pos": Decimal("0"),
        "earliest_reconciled_transaction": "2026-09-01",
        "latest_reconciled_transaction": "2026-09-01",
        "data_source": {"direct_bank_feed": Decimal("5"), "direct_bank_feed_pos": Decimal("5")},
    }
    cv = [cash_validation(GBP_ID, bank_statement={"statement_lines": zeros})]
    check = cross_check(f.statement_lines, cv, BEGIN, AS_OF, GBP)[GBP_ID]
    assert check.agrees is True


def test_cross_check_not_available():
    lines = _frames().statement_lines
    none = cross_check(lines, None, BEGIN, AS_OF, GBP)[GBP_ID]
    assert none.not_available == "no CashValidation in the snapshot"
    assert none.differences is None and none.agrees is None and none.amounts == []
    absent = cross_check(lines, _xero(), BEGIN, AS_OF, {GBP_ID: "GBP", USD_ID: "USD"})[USD_ID]
    assert absent.not_available == "account absent from CashValidation"
    bare = cross_check(lines, [cash_validation(GBP_ID)], BEGIN, AS_OF, GBP)[GBP_ID]
    assert bare.not_available == "CashValidation gives no statementLines for this account"


def test_lines_hidden_from_bank_statements_show_as_differences():
    # CashValidation knows the account; BankStatementsPlus returned none of its lines.
    check = cross_check(frames().statement_lines, _xero(), BEGIN, AS_OF, GBP)[GBP_ID]
    assert check.agrees is False
    assert "unreconciled_lines" in _disagreeing(check)


def test_ledger_vs_bank():
    cv = [
        cash_validation(
            GBP_ID,
            statement_balance={"value": Decimal("500"), "type": "CREDIT"},
            statement_balance_date="2026-10-30",
            cash_account={
                "account_balance": Decimal("700.25"),
                "unreconciled_amount_pos": Decimal("1200.25"),
                "unreconciled_amount_neg": Decimal("0"),
                "starting_balance": Decimal("10"),
                "balance_currency": "GBP",
            },
        )
    ]
    lvb = ledger_vs_bank(cv, GBP)[GBP_ID]
    assert lvb.not_available is None
    assert lvb.statement_balance.amount == Decimal("-500.00")  # overdrawn: CREDIT
    assert lvb.account_balance.amount == Decimal("700.25")
    assert lvb.ledger_minus_bank.amount == Decimal("1200.25")
    assert lvb.ledger_minus_bank.currency == "GBP"
    assert lvb.unreconciled_amount_pos.amount == Decimal("1200.25")
    assert lvb.starting_balance.amount == Decimal("10.00")
    assert lvb.statement_balance_date == d("2026-10-30")


def test_ledger_vs_bank_not_compared_across_currencies_or_when_missing():
    cv = [
        cash_validation(
            USD_ID,
            statement_balance={"value": Decimal("5"), "type": "DEBIT"},
            cash_account={"account_balance": Decimal("9"), "balance_currency": "GBP"},
        ),
        cash_validation(GBP_ID, cash_account={"account_balance": Decimal("9")}),
    ]
    result = ledger_vs_bank(cv, {USD_ID: "USD", GBP_ID: "GBP"})
    assert result[USD_ID].ledger_minus_bank is None
    assert result[USD_ID].not_available == "bank account in USD, ledger in GBP: not compared"
    assert result[USD_ID].statement_balance.currency == "USD"
    assert result[USD_ID].account_balance.currency == "GBP"
    assert result[GBP_ID].ledger_minus_bank is None
    assert result[GBP_ID].not_available == "statementBalance or cashAccount.accountBalance missing"
    assert ledger_vs_bank(None, GBP)[GBP_ID].not_available == "no CashValidation in the snapshot"


def test_analyse_bank_compares_the_main_call_range():
    from lendcheck.report.bank import analyse_bank

    f = _frames()  # one line predates BEGIN: the as-of figures and Xero's differ in range
    result = analyse_bank(f, _xero(), {}, AS_OF, begin_date=BEGIN)
    [only] = result.accounts
    assert only.cross_check.agrees is True
    assert only.reconciliation.total_amount.amount == Decimal("827.00")  # with the 77.00
    earlier = analyse_bank(f, _xero(), {}, AS_OF, begin_date=d("2025-12-01"))
    assert {"total_amount", "unreconciled_lines"} <= set(
        _disagreeing(earlier.accounts[0].cross_check)
    )


def _cv_with_statement_balance(value: str, kind: str = "DEBIT"):
    return [
        cash_validation(
            GBP_ID,
            statement_balance={"value": Decimal(value), "type": kind},
            cash_account={"account_balance": Decimal("5123.45"), "balance_currency": "GBP"},
        )
    ]


def _last_statements(end_balance: str, indicative_end: str, *, source: str = FEED):
    """Two statements; the later (ending 2026-10-30) is the last on or before AS_OF; one
    ending after AS_OF is left out."""
    return frames(
        bank(
            [
                statement(
                    "2026-10-01",
                    "2026-10-15",
                    end_balance="1.00",
                    indicative_end="1.00",
                    statement_id="5a000000-0000-0000-0000-0000000000a1",
                ),
                statement(
                    "2026-10-16",
                    "2026-10-30",
                    source=source,
                    end_balance=end_balance,
                    indicative_end=indicative_end,
                    statement_id="5a000000-0000-0000-0000-0000000000a2",
                ),
                statement(
                    "2026-11-01",
                    "2026-11-02",
                    end_balance="99.00",
                    indicative_end="99.00",
                    statement_id="5a000000-0000-0000-0000-0000000000a3",
                ),
            ]
        )
    ).statements


def test_statement_balance_corroborated_by_the_last_statement():
    lvb = ledger_vs_bank(
        _cv_with_statement_balance("4870.20"),
        GBP,
        _last_statements("4870.20", "4870.20"),
        AS_OF,
    )[GBP_ID]
    assert lvb.last_statement_id == "5a000000-0000-0000-0000-0000000000a2"
    assert lvb.last_statement_end_date == d("2026-10-30")
    assert lvb.last_statement_import_source_kind == "direct_feed"
    assert lvb.statement_balance_minus_end_balance.amount == Decimal("0.00")
    assert lvb.statement_balance_minus_indicative_end_balance.amount == Decimal("0.00")
    assert (lvb.bank_balances_compared, lvb.bank_balance_disagreements) == (2, 0)
    assert lvb.bank_balances_agree is True
    # the ledger cash gap, exact to the cent: 5,123.45 - 4,870.20
    assert lvb.ledger_minus_bank.amount == Decimal("253.25")


def test_a_statement_balance_the_bank_does_not_confirm_is_a_finding():
    """Xero's statementBalance 4,870.20 includes 1,000.00 of typed receipts: Xero's running
    balance agrees with it, the bank's own end balance (3,870.20) does not."""
    lvb = ledger_vs_bank(
        _cv_with_statement_balance("4870.20"),
        GBP,
        _last_statements("3870.20", "4870.20"),
        AS_OF,
    )[GBP_ID]
    assert lvb.last_statement_end_balance.amount == Decimal("3870.20")
    assert lvb.statement_balance_minus_end_balance.amount == Decimal("1000.00")
    assert lvb.statement_balance_minus_indicative_end_balance.amount == Decimal("0.00")
    assert (lvb.bank_balances_compared, lvb.bank_balance_disagreements) == (2, 1)
    assert lvb.bank_balances_agree is False
    # an overdraft: CREDIT 12.34 against running balance -12.35 differs by a cent
    over = ledger_vs_bank(
        _cv_with_statement_balance("12.34", "CREDIT"), GBP, _last_statements("0", "-12.35"), AS_OF
    )[GBP_ID]
    assert over.last_statement_end_balance is None  # 0: not supplied by the bank
    assert over.statement_balance_minus_end_balance is None
    assert over.statement_balance_minus_indicative_end_balance.amount == Decimal("0.01")
    assert (over.bank_balances_compared, over.bank_balance_disagreements) == (1, 1)


def test_nothing_to_corroborate_is_not_a_pass():
    no_statements = ledger_vs_bank(
        _cv_with_statement_balance("10.00"), GBP, frames(bank([])).statements, AS_OF
    )[GBP_ID]
    assert no_statements.last_statement_id is None
    assert no_statements.bank_balances_compared == 0
    assert no_statements.bank_balance_disagreements is None
    assert no_statements.bank_balances_agree is None
    without_cv = ledger_vs_bank(None, GBP, _last_statements("5.00", "5.00"), AS_OF)[GBP_ID]
    assert without_cv.last_statement_end_balance.amount == Decimal("5.00")
    assert without_cv.bank_balances_agree is None
