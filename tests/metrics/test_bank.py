"""analyse_bank: composition, per-currency aggregation, drill-back lists, determinism."""

from __future__ import annotations

import math
from decimal import Decimal

import pytest

from lendcheck.metrics._common import LineRef, line_refs
from lendcheck.policy.confidence import ConfidenceWeights
from lendcheck.report.bank import BankAnalysis, analyse_bank

from .build import (
    AS_OF,
    CSV,
    GBP_ID,
    MANUAL,
    USD_ID,
    bank,
    cash_validation,
    d,
    frames,
    line,
    statement,
)

SAVINGS_ID = "cccccccc-0000-0000-0000-000000000003"
ONLY_CV_ID = "dddddddd-0000-0000-0000-000000000004"


def _three_accounts():
    current = bank(
        [
            statement(
                "2026-09-01",
                "2026-09-30",
                [
                    line("2026-09-01", "1000.00", reconciled=True, line_id="g1"),
                    line("2026-09-10", "-40.00", line_id="g2"),
                    line("2026-09-10", "-400.00", line_id="g3"),
                ],
                start_balance="100",
                end_balance="660",
            ),
            statement(
                "2026-10-01",
                "2026-10-05",
                [
                    line("2026-10-02", "250.00", reconciled=True, line_id="g4"),
                    line("2026-10-03", "-900.00", line_id="g5"),
                ],
                source=MANUAL,
                start_balance="999",  # does not chain with 660
                end_balance="349",
            ),
        ],
        name="Current",
    )
    savings = bank(
        [
            statement(
                "2026-10-01",
                "2026-10-01",
                [line("2026-10-01", "10.00", reconciled=True, line_id="s1")],
                source=CSV,
            )
        ],
        account_id=SAVINGS_ID,
        name="Alpha Savings",
    )
    dollars = bank(
        [
            statement(
                "2026-08-01",
                "2026-08-01",
                [line("2026-08-01", "-5.00", line_id="u1")],
            )
        ],
        account_id=USD_ID,
        name="Dollar",
        currency="USD",
    )
    return frames(current, savings, dollars)


def _analyse(**kw) -> BankAnalysis:
    return analyse_bank(_three_accounts(), None, {}, AS_OF, **kw)


def test_accounts_sorted_by_name_then_id_with_their_currency():
    result = _analyse()
    assert [(a.bank_account_name, a.currency) for a in result.accounts] == [
        ("Alpha Savings", "GBP"),
        ("Current", "GBP"),
        ("Dollar", "USD"),
    ]
    assert result.as_of == AS_OF
    assert result.begin_date == d("2024-11-01")  # the default plan's 24 months
    assert result.balance_date == AS_OF
    assert all(a.in_bank_statements and not a.in_cash_validation for a in result.accounts)


def test_overall_never_sums_across_currencies():
    overall = _analyse().overall
    assert overall.currencies == ["GBP", "USD"]
    assert overall.currency_note is not None and "never summed" in overall.currency_note
    assert (overall.total_lines, overall.reconciled_lines, overall.unreconciled_lines) == (7, 3, 4)
    assert overall.reconciled_share_by_count == 3 / 7
    by = {c.currency: c for c in overall.by_currency}
    assert sorted(by) == ["GBP", "USD"]
    assert by["GBP"].bank_account_ids == sorted([GBP_ID, SAVINGS_ID])
    gbp = by["GBP"].reconciliation
    assert gbp.total_lines == 6
    assert gbp.total_amount.amount == Decimal("-80.00")  # 1000-40-400+250-900+10
    assert gbp.total_amount.currency == "GBP"
    assert gbp.reconciled_share_by_amount == 1260 / 2600
    assert gbp.oldest_unreconciled_line.statement_line_id == "g3"  # 400 before 40 on a tie
    assert gbp.oldest_unreconciled_line.bank_account_id == GBP_ID
    usd = by["USD"]
    assert usd.reconciliation.total_amount.amount == Decimal("-5.00")
    assert usd.reconciliation.total_amount.currency == "USD"
    assert usd.feed_verified_coverage.not_available is not None  # no inflows
    mix = {s.kind: s.lines for s in by["GBP"].import_source_mix.sources}
    assert mix == {"direct_feed": 3, "indirect_feed": 0, "file_upload": 1, "manual": 2, "other": 0}


def test_single_currency_has_no_note():
    overall = analyse_bank(frames(bank([statement("2026-10-01", "2026-10-01")])), None, {}, AS_OF)
    assert overall.overall.currency_note is None
    assert overall.overall.currencies == ["GBP"]


def test_drill_back_lists_are_complete_and_sorted():
    result = _analyse()
    assert [r.statement_line_id for r in result.oldest_unreconciled_lines] == [
        "u1",
        "g3",
        "g2",
        "g5",
    ]
    assert result.oldest_unreconciled_lines[0].amount.currency == "USD"
    assert result.oldest_unreconciled_lines[0].age_days == 91
    assert [r.statement_line_id for r in result.largest_manual_lines] == ["g5", "g4"]
    assert [r.statement_line_id for r in result.largest_uploaded_lines] == ["s1"]
    [brk] = result.balance_breaks
    assert brk.bank_account_id == GBP_ID
    assert brk.difference.amount == Decimal("339.00")


def test_overall_figures():
    overall = _analyse().overall
    assert overall.balance_breaks == 1
    # Dollar's only line (2026-08-01) is unreconciled: current to the day before it
    assert overall.books_current_to == d("2026-07-31")
    assert overall.least_current_account_id == USD_ID
    assert overall.books_current_lag_days == 92
    current = next(a for a in _analyse().accounts if a.bank_account_id == GBP_ID)
    assert current.reconciliation.books_current_to == d("2026-09-09")
    assert overall.unreconciled_lines_over_90_days == 1  # u1, 91 days
    assert overall.cross_check_differences is None and overall.cross_check_agrees is None
    scores = [
        (a.data_confidence.data_confidence_score, a.reconciliation.total_lines)
        for a in _analyse().accounts
    ]
    weighted = sum(s * n for s, n in scores) / sum(n for _, n in scores)
    assert overall.data_confidence.data_confidence_score == weighted


def test_weights_are_passed_through():
    weights = ConfidenceWeights(reconciled=1, bank_fed=0, continuity=0, freshness=0)
    result = _analyse(weights=weights)
    for a in result.accounts:
        assert a.data_confidence.weights == weights
        confidence = a.data_confidence
        assert confidence.base_score == a.reconciliation.reconciled_share_by_amount
        applied = [f.value for f in confidence.factors if f.value is not None]
        assert confidence.data_confidence_score == pytest.approx(
            confidence.base_score * math.prod(applied)
        )


def test_account_known_only_to_cash_validation():
    cv = [
        cash_validation(
            ONLY_CV_ID,
            bank_statement={"statement_lines": {"unreconciled_lines": 3}},
            cash_account={"balance_currency": "EUR", "account_balance": Decimal("1")},
            statement_balance={"value": Decimal("1"), "type": "DEBIT"},
        )
    ]
    result = analyse_bank(_three_accounts(), cv, {}, AS_OF, begin_date=d("2026-01-01"))
    only = next(a for a in result.accounts if a.bank_account_id == ONLY_CV_ID)
    assert only.bank_account_name is None
    assert result.accounts[0] is only  # no name sorts first
    assert only.currency == "EUR"
    assert (only.in_bank_statements, only.in_cash_validation) == (False, True)
    assert only.reconciliation.not_available is not None
    assert only.data_confidence.data_confidence_score is None
    assert only.cross_check.agrees is False  # Xero counts 3 lines the statements lack
    assert only.ledger_vs_bank.ledger_minus_bank.amount == Decimal("0.00")
    assert result.begin_date == d("2026-01-01")
    assert result.overall.cross_check_agrees is False
    others = [a for a in result.accounts if a.bank_account_id != ONLY_CV_ID]
    assert all(a.cross_check.not_available == "account absent from CashValidation" for a in others)


def test_deterministic_json():
    f = _three_accounts()
    first = analyse_bank(f, None, {}, AS_OF).model_dump_json()
    assert first == analyse_bank(f, None, {}, AS_OF).model_dump_json()
    assert BankAnalysis.model_validate_json(first).model_dump_json() == first


def test_line_refs_carry_each_lines_values():
    f = _three_accounts()
    refs = line_refs(f.statement_lines, AS_OF, {GBP_ID: "GBP", SAVINGS_ID: "GBP", USD_ID: "USD"})
    assert len(refs) == f.statement_lines.height
    for ref in refs:
        assert LineRef.model_validate(ref.model_dump()) == ref
    g3 = next(r for r in refs if r.statement_line_id == "g3")
    assert g3.amount.amount == Decimal("-400.00")
    assert g3.model_dump_json().count('"amount":"-400.00"') == 1
