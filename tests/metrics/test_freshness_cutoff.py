"""Imports after the report date do not make an account look fresh (hand-computed)."""

from __future__ import annotations

import datetime as dt

import polars as pl

from lendcheck.frames import STATEMENT_LINES_SCHEMA, STATEMENTS_SCHEMA
from lendcheck.metrics.data_source import feed_freshness

AS_OF = dt.date(2026, 10, 31)
UTC = dt.UTC


def _statements(imports: list[dt.datetime]) -> pl.DataFrame:
    return pl.DataFrame(
        [
            {
                "bank_account_id": "a",
                "statement_id": f"s{i}",
                "import_source": "X",
                "import_source_kind": "direct_feed",
                "imported_at": at,
                "start_date": at.date(),
                "end_date": at.date(),
                "start_balance": None,
                "end_balance": None,
                "indicative_start_balance": None,
                "indicative_end_balance": None,
            }
            for i, at in enumerate(imports)
        ],
        schema=STATEMENTS_SCHEMA,
    )


def test_a_corrupt_future_import_is_left_out_and_counted() -> None:
    statements = _statements(
        [
            dt.datetime(2026, 10, 1, 3, tzinfo=UTC),
            dt.datetime(2026, 10, 10, 3, tzinfo=UTC),
            dt.datetime(2031, 1, 1, 3, tzinfo=UTC),  # corrupt: years after the report date
        ]
    )
    lines = pl.DataFrame([], schema=STATEMENT_LINES_SCHEMA)
    fresh = feed_freshness(statements, lines, AS_OF, ["a"])["a"]
    assert fresh.last_imported_at == dt.datetime(2026, 10, 10, 3, tzinfo=UTC)
    assert fresh.days_since_last_import == 21
    assert fresh.imports_after_report_date == 1


def test_the_morning_after_counts_as_fresh() -> None:
    statements = _statements([dt.datetime(2026, 11, 1, 3, tzinfo=UTC)])
    lines = pl.DataFrame([], schema=STATEMENT_LINES_SCHEMA)
    fresh = feed_freshness(statements, lines, AS_OF, ["a"])["a"]
    assert (fresh.days_since_last_import, fresh.imports_after_report_date) == (0, 0)
