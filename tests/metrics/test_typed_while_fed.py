"""Receipts typed or uploaded while a bank feed was live (hand-computed)."""

from __future__ import annotations

import datetime as dt

import polars as pl

from lendcheck.frames import STATEMENT_LINES_SCHEMA
from lendcheck.metrics.data_source import import_source_mix
from lendcheck.money import MINOR_UNITS

AS_OF = dt.date(2026, 10, 31)


def _lines(rows: list[tuple[str, str, str, int]]) -> pl.DataFrame:
    """(account, kind, transaction date, amount in cents) → statement lines (minor units:
    thousandths)."""
    records = []
    for i, (account, kind, day, amount) in enumerate(rows):
        records.append(
            {
                "bank_account_id": account,
                "statement_id": f"s{i}",
                "statement_line_id": f"l{i}",
                "import_source": kind,
                "import_source_kind": kind,
                "imported_at": None,
                "posted_date": dt.date.fromisoformat(day),
                "transaction_date": dt.date.fromisoformat(day),
                "amount": amount * (MINOR_UNITS // 100),
                "payee": None,
                "reference": None,
                "type": None,
                "is_reconciled": True,
                "is_duplicate": False,
                "is_deleted": False,
                "payment_count": 0,
                "bank_transaction_count": 0,
            }
        )
    return pl.DataFrame(records, schema=STATEMENT_LINES_SCHEMA)


def test_uploads_before_the_feed_do_not_count_typed_lines_after_do() -> None:
    lines = _lines(
        [
            ("a", "file_upload", "2025-01-10", 50_000),  # before the feed: normal
            ("a", "direct_feed", "2025-02-01", 10_000),  # the feed starts
            ("a", "direct_feed", "2025-03-01", 70_000),
            ("a", "manual", "2025-03-15", 20_000),  # typed while fed
            ("a", "file_upload", "2025-04-01", -5_000),  # an outflow: not a receipt
            ("b", "manual", "2025-03-15", 9_000),  # never fed
        ]
    )
    mix = import_source_mix(lines, AS_OF, {"a": "GBP", "b": "GBP"})
    a = mix["a"]
    assert str(a.manual_or_uploaded_inflow_while_fed.amount) == "200.00"
    assert a.manual_or_uploaded_inflow_while_fed_share == 20_000 / (10_000 + 70_000 + 20_000)
    assert a.manual_or_uploaded_inflow_share == 70_000 / 150_000
    b = mix["b"]
    assert b.manual_or_uploaded_inflow_while_fed is None
    assert b.manual_or_uploaded_inflow_while_fed_share is None


def test_aggregator_feeds_count_as_feeds() -> None:
    lines = _lines(
        [("a", "indirect_feed", "2025-02-01", 30_000), ("a", "manual", "2025-02-02", 10_000)]
    )
    assert (
        import_source_mix(lines, AS_OF, {"a": "USD"})["a"].manual_or_uploaded_inflow_while_fed_share
        == 0.25
    )
