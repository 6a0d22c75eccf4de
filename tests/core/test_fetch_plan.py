"""The fetch plan: which calls a report needs, by hand-checked dates."""

from __future__ import annotations

from datetime import date

import pytest

from lendcheck.xero import fetch_plan as fp


def test_add_months_clamps_to_month_end() -> None:
    assert fp.add_months(date(2026, 3, 31), -1) == date(2026, 2, 28)
    assert fp.add_months(date(2024, 2, 29), 12) == date(2025, 2, 28)
    assert fp.add_months(date(2026, 1, 15), -13) == date(2024, 12, 15)


def test_periods_are_twelve_months_inclusive() -> None:
    assert fp.period(date(2026, 10, 31)) == (date(2025, 11, 1), date(2026, 10, 31))
    assert fp.period(date(2026, 10, 31), 1) == (date(2024, 11, 1), date(2025, 10, 31))


def test_statement_windows_cover_the_months_in_at_most_twelve() -> None:
    assert fp.statement_windows(date(2026, 10, 31), 24) == [
        (date(2025, 11, 1), date(2026, 10, 31)),
        (date(2024, 11, 1), date(2025, 10, 31)),
    ]
    assert fp.statement_windows(date(2026, 10, 31), 30)[-1] == (
        date(2024, 5, 1),
        date(2024, 10, 31),
    )
    assert fp.statement_windows(date(2026, 10, 15), 6) == [(date(2026, 4, 16), date(2026, 10, 15))]
    with pytest.raises(ValueError):
        fp.statement_windows(date(2026, 10, 31), 0)


def test_month_ends_before() -> None:
    assert fp.month_ends_before(date(2026, 10, 31), 3) == [
        date(2026, 9, 30),
        date(2026, 8, 31),
        date(2026, 7, 31),
    ]
    assert fp.month_ends_before(date(2026, 3, 10), 2) == [date(2026, 2, 28), date(2026, 1, 31)]


def test_whole_plan() -> None:
    plan = fp.fetch_plan(date(2026, 10, 31), ["acc-1", "acc-2"], months=24)
    counts: dict[str, int] = {}
    for call in plan:
        counts[call.endpoint] = counts.get(call.endpoint, 0) + 1
    assert counts == {
        fp.CASH_VALIDATION: 13,
        fp.BALANCE_SHEET: 2,
        fp.PROFIT_AND_LOSS: 3,
        fp.CASHFLOW: 2,
        fp.CONTACTS_REVENUE: 2,
        fp.CONTACTS_EXPENSE: 2,
        fp.TRIAL_BALANCE: 1,
        fp.BANK_STATEMENTS: 4,
    }
    assert plan[0] == fp.PlannedCall(
        fp.CASH_VALIDATION, {"beginDate": "2024-11-01", "balanceDate": "2026-10-31"}
    )
    assert plan[-1].params == {
        "BankAccountID": "acc-2",
        "FromDate": "2024-11-01",
        "ToDate": "2025-10-31",
        "SummaryOnly": "false",
    }
    assert len({c.key for c in plan}) == len(plan), "no call twice"
    assert len({c.file_name() for c in plan}) == len(plan), "one file per call"
    month = [c for c in plan if c.period == fp.MONTH]
    assert month == [
        fp.PlannedCall(
            fp.PROFIT_AND_LOSS, {"startDate": "2026-10-01", "endDate": "2026-10-31"}, "month"
        )
    ]
    assert fp.month_period(date(2026, 3, 10)) == (date(2026, 3, 1), date(2026, 3, 10))


def test_file_names() -> None:
    call = fp.PlannedCall(fp.CASHFLOW, {"startDate": "2025-11-01", "endDate": "2026-10-31"})
    assert call.file_name() == "cashflow/2025-11-01_2026-10-31.json"
    assert call.file_name(400) == "cashflow/2025-11-01_2026-10-31.problem.json"
