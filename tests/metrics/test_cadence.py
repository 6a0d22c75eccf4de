"""Reconciliation cadence: CashValidation as at past month ends."""

from __future__ import annotations

from decimal import Decimal

from lendcheck.metrics.cadence import ESTIMATE_NOTE, cadence_by_account

from .build import AS_OF, GBP_ID, USD_ID, cash_validation, d


def _as_at(unreconciled: int, reconciled: int, pos: str, age: str, account_id: str = GBP_ID):
    return cash_validation(
        account_id,
        bank_statement={
            "statement_lines": {
                "unreconciled_lines": unreconciled,
                "reconciled_lines": reconciled,
                "unreconciled_amount_pos": Decimal(pos),
                "unreconciled_amount_neg": Decimal("-1.5"),
                "avg_days_unreconciled_pos": Decimal(age),
                "earliest_unreconciled_transaction": "2026-01-02",
            }
        },
        cash_account={"balance_currency": "USD"},
    )


def test_series_of_the_twelve_month_ends():
    cadence = {
        d("2026-06-30"): [_as_at(3, 97, "120.50", "12.345678")],
        d("2026-09-30"): [_as_at(40, 60, "9000", "95.5"), _as_at(0, 5, "0", "0", USD_ID)],
        d("2026-10-15"): [_as_at(1, 1, "1", "1")],  # not a planned month end: ignored
    }
    result = cadence_by_account(cadence, AS_OF, {GBP_ID: "GBP", USD_ID: ""})
    gbp = result[GBP_ID]
    assert gbp.not_available is None
    assert gbp.estimate_note == ESTIMATE_NOTE
    assert "estimates" in gbp.estimate_note
    assert gbp.points[0].month_end == d("2025-10-31")
    assert gbp.points[-1].month_end == d("2026-09-30")
    assert [p.month_end for p in gbp.points] == sorted(p.month_end for p in gbp.points)
    assert len(gbp.points) == 12
    assert gbp.months_available == 2
    june = next(p for p in gbp.points if p.month_end == d("2026-06-30"))
    assert (june.unreconciled_lines, june.reconciled_lines) == (3, 97)
    assert june.reconciled_share_by_count == 0.97
    assert june.unreconciled_amount_pos.amount == Decimal("120.50")
    assert june.unreconciled_amount_pos.currency == "GBP"
    assert june.unreconciled_amount_neg.amount == Decimal("-1.50")
    assert june.avg_days_unreconciled_pos == 12.345678
    assert june.earliest_unreconciled_transaction == d("2026-01-02")
    august = next(p for p in gbp.points if p.month_end == d("2026-08-31"))
    assert august.not_available == "no CashValidation as at this month end in the snapshot"
    assert august.unreconciled_lines is None
    assert (gbp.max_unreconciled_lines, gbp.mean_unreconciled_lines) == (40, 21.5)
    usd = result[USD_ID]
    june_usd = next(p for p in usd.points if p.month_end == d("2026-06-30"))
    assert june_usd.not_available == (
        "account absent from the CashValidation response as at this month end"
    )
    september_usd = usd.points[-1]
    assert september_usd.unreconciled_amount_pos.currency == "USD"  # from cashAccount
    assert september_usd.reconciled_share_by_count == 1.0


def test_no_cadence_in_the_snapshot():
    result = cadence_by_account({}, AS_OF, {GBP_ID: "GBP"})[GBP_ID]
    assert result.not_available == "no CashValidation as at past month ends in the snapshot"
    assert result.months_available == 0
    assert len(result.points) == 12
    assert result.max_unreconciled_lines is None and result.mean_unreconciled_lines is None
