"""The committed sample applicants: the recomputed CashValidation agrees with Xero's to the cent
and the day on every sample (the simulator answers as Xero does), and the bank metrics show the
risks planted in ``samples/<name>/README.md``."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from functools import cache

import pytest

from lendcheck.frames import bank_frames
from lendcheck.report.bank import AccountAnalysis, BankAnalysis, analyse_bank
from lendcheck.snapshot import load_snapshot
from lendcheck.xero import fetch_plan as fp
from tests.conftest import FINANCE_SAMPLE_NAMES, SAMPLES


@cache
def analysis(name: str) -> BankAnalysis:
    snapshot = load_snapshot(SAMPLES / name)
    calls = fp.organisation_calls(snapshot.as_of, snapshot.months)
    main = snapshot.of(calls[0])
    cadence = {
        date.fromisoformat(call.period): response.data
        for call in calls[1:]
        if call.endpoint == fp.CASH_VALIDATION
        and (response := snapshot.of(call)) is not None
        and response.data is not None
    }
    return analyse_bank(
        bank_frames(snapshot),
        main.data if main is not None else None,
        cadence,
        snapshot.as_of,
        begin_date=date.fromisoformat(calls[0].params["beginDate"]),
    )


def account(name: str, words: str) -> AccountAnalysis:
    return next(a for a in analysis(name).accounts if words in (a.bank_account_name or ""))


@pytest.mark.parametrize("name", FINANCE_SAMPLE_NAMES)
def test_recomputed_cash_validation_equals_xeros(name):
    result = analysis(name)
    assert result.accounts
    for a in result.accounts:
        assert a.in_bank_statements and a.in_cash_validation
        check = a.cross_check
        assert check.not_available is None
        wrong = [
            (c.field, c.xero, c.recomputed)
            for group in (check.amounts, check.counts, check.ages, check.dates)
            for c in group
            if not c.agrees
        ]
        assert wrong == [], a.bank_account_name
        assert check.differences == 0
    assert result.overall.cross_check_agrees is True
    assert result.overall.cross_check_differences == 0


@pytest.mark.parametrize("name", FINANCE_SAMPLE_NAMES)
def test_cadence_covers_twelve_month_ends(name):
    for a in analysis(name).accounts:
        assert a.cadence.not_available is None
        assert a.cadence.months_available == 12
        assert "estimates" in a.cadence.estimate_note


def test_healthy_cafe_is_current_continuous_and_trusted():
    result = analysis("harbour-cafe")
    current = account("harbour-cafe", "Current")
    rec = current.reconciliation
    assert rec.books_current_lag_days <= 7
    assert rec.reconciled_share_by_amount > 0.99
    assert sum(b.lines for b in rec.ageing if b.min_days > 30) == 0  # only the last days open
    # duplicates were all deleted by the bookkeeper
    assert rec.duplicate_lines == 0 and rec.deleted_lines > 0
    assert result.balance_breaks == []
    assert result.overall.indicative_mismatches == 0
    assert current.continuity.material_gap_days == 0
    # the CSV months before the feed and the hand-keyed week of the feed outage are visible
    mix = {s.kind: s.lines for s in current.import_source_mix.sources}
    assert mix["file_upload"] > 0 and mix["manual"] > 0
    assert mix["direct_feed"] > 10 * (mix["file_upload"] + mix["manual"])
    assert current.data_confidence.data_confidence_score > 0.95
    assert rec.unreconciled_over_90_days_share == 0.0
    assert current.import_source_mix.manual_or_uploaded_inflow_share < 0.10
    assert result.overall.data_confidence.data_confidence_score > 0.95
    assert result.overall.accounts_with_ledger_above_bank == 0


def test_stale_bookkeeping_shows_months_of_unreconciled_lines():
    result = analysis("kowhai-builders")
    overall = result.overall
    assert overall.unreconciled_lines > 300  # "hundreds of statement lines"
    assert overall.unreconciled_lines_over_90_days > overall.unreconciled_lines / 2
    assert overall.books_current_lag_days > 150  # nothing reconciled since end of April
    assert overall.books_current_to <= date(2026, 5, 2)
    for a in result.accounts:
        rec = a.reconciliation
        assert rec.reconciled_share_by_count < 0.8
        assert rec.unreconciled_over_90_days_share > 0.10
        assert rec.avg_days_unreconciled_pos > 60
        # cadence: a handful open each month end until April, then a steady climb
        points = {p.month_end: p.unreconciled_lines for p in a.cadence.points}
        assert points[date(2026, 3, 31)] < 10
        series = [points[m] for m in sorted(points) if m >= date(2026, 5, 31)]
        assert series == sorted(series) and series[-1] > 150
        # duplicate feed lines left undeleted: Xero's indicative balances drift
        assert rec.duplicate_lines > 0
        assert a.continuity.indicative_mismatches
        assert a.ledger_vs_bank.ledger_minus_bank.amount != 0
    healthy = analysis("harbour-cafe").overall.data_confidence.data_confidence_score
    assert overall.data_confidence.data_confidence_score < healthy - 0.15
    assert len(result.oldest_unreconciled_lines) == overall.unreconciled_lines


def test_doctored_bank_data_shows_typed_receipts_breaks_and_ledger_above_bank():
    result = analysis("sundown-wholesale")
    transaction = account("sundown-wholesale", "Transaction")
    # receipts keyed by hand and uploaded, reconciled to invoices raised for them
    assert result.largest_manual_lines and result.largest_uploaded_lines
    typed = result.largest_manual_lines + result.largest_uploaded_lines
    assert all(r.amount.amount > 0 and r.is_reconciled for r in typed)
    assert all(r.amount.amount % 5 == 0 for r in typed)  # round amounts
    assert transaction.feed_verified_coverage.feed_verified_coverage < 0.95
    typed_in = sum(r.amount.amount for r in typed)
    assert transaction.import_source_mix.manual_or_uploaded_inflow.amount == typed_in
    assert transaction.import_source_mix.manual_or_uploaded_inflow_share > 0.03
    # typed statement balances do not chain with the feed's
    assert len(result.balance_breaks) >= 10
    assert all(b.bank_account_id == transaction.bank_account_id for b in result.balance_breaks)
    assert transaction.continuity.chain_integrity < 0.9
    # indicative balances run above the bank's from the first fake statement (six months before
    # applying) on, never before
    assert min(r.date for r in typed) >= date(2026, 4, 1)
    mismatches = transaction.continuity.indicative_mismatches
    assert mismatches and min(m.date for m in mismatches) >= date(2026, 4, 1)
    statements = bank_frames(load_snapshot(SAMPLES / "sundown-wholesale")).statements
    kinds = dict(statements.select("statement_id", "import_source_kind").iter_rows())
    on_feed = [m for m in mismatches if kinds[m.statement_id] == "direct_feed"]
    assert on_feed and all(m.difference.amount < 0 for m in on_feed)  # bank below Xero's sum
    # ledger cash above the bank, from receive-money entries no statement line backs
    ledger = transaction.ledger_vs_bank
    assert ledger.ledger_minus_bank.amount > Decimal("10000")
    assert ledger.unreconciled_amount_pos.amount > 0
    assert result.overall.accounts_with_ledger_above_bank >= 1
    clean = account("sundown-wholesale", "Saver")
    assert clean.continuity.balance_breaks == [] and clean.continuity.indicative_mismatches == []


def test_migrated_lines_are_other_for_xero_and_uploads_for_lendcheck():
    checking = account("mesa-roasters", "Checking")
    mix = {s.kind: s.lines for s in checking.import_source_mix.sources}
    assert mix["file_upload"] > 0 and mix["other"] == 0
    xero_other = next(c for c in checking.cross_check.amounts if c.field == "data_source.other")
    assert xero_other.xero.amount != 0 and xero_other.agrees
    # US organisation: accounts fed through an aggregator
    assert mix["indirect_feed"] > mix["file_upload"]


def test_young_business_covers_its_seven_months():
    result = analysis("fernleaf-studio")
    assert result.begin_date == date(2026, 4, 1)
    [only] = result.accounts
    assert len(only.reconciliation.monthly) == 7
    assert only.reconciliation.books_current_lag_days <= 7


def test_concentrated_haulier_keeps_its_bank_books_current():
    for a in analysis("northgate-haulage").accounts:
        assert a.reconciliation.books_current_lag_days <= 7
        assert a.reconciliation.reconciled_share_by_amount > 0.98


def test_data_confidence_weighs_the_doctored_accounts_strongest_signals():
    """Issue 16.11: sundown-wholesale's Transaction account scored 0.917 (healthy samples
    0.98-1.0). Its base (reconciled, bank-fed, continuity, freshness) stays 0.917; three
    factors now discount it, each computed by hand from the report's own figures."""
    transaction = account("sundown-wholesale", "Transaction")
    confidence = transaction.data_confidence
    factors = {f.name: (f.measure, f.value) for f in confidence.factors}
    # ledger cash no bank line backs: ledger_minus_bank 65,930.51 + unreconciled lines (net)
    # 15,909.72 = 81,840.23, against receipts of 4,027,783.59 over 24 months
    lvb, rec = transaction.ledger_vs_bank, transaction.reconciliation
    assert lvb.ledger_minus_bank.amount == Decimal("65930.51")
    open_net = rec.unreconciled_amount_pos.amount + rec.unreconciled_amount_neg.amount
    assert open_net == Decimal("15909.72")
    months = 81840.23 / (4027783.59 / 24)
    assert factors["ledger_cash_gap"] == pytest.approx((months, 1 - months))
    # Xero's statementBalance disagrees with the bank's own end balance: 1 of 4
    assert factors["xero_differences"] == (1.0, 0.75)
    # 31,900.00 typed or uploaded of the receipts since 2026-08-03 (90 days), feed live
    mix = transaction.import_source_mix
    assert mix.recent_since == date(2026, 8, 3)
    assert mix.manual_or_uploaded_inflow_recent_while_fed.amount == Decimal("31900.00")
    typed = mix.manual_or_uploaded_inflow_recent_while_fed_share
    assert factors["recent_typed_inflows"] == pytest.approx((typed, 1 - typed / 0.25))
    # not fed by the report: missing evidence weighs on the grade (docs/metrics.md)
    assert factors["evidence_completeness"] == (None, None)
    expected = confidence.base_score * (1 - months) * 0.75 * (1 - typed / 0.25)
    assert confidence.base_score == pytest.approx(0.9172, abs=1e-4)
    assert confidence.data_confidence_score == pytest.approx(expected)
    assert confidence.data_confidence_score == pytest.approx(0.2448, abs=1e-4)
    doctored = analysis("sundown-wholesale").overall.data_confidence.data_confidence_score
    assert doctored < 0.6  # the policy's red threshold (was 0.92)
    for healthy in ("harbour-cafe", "northgate-haulage", "fernleaf-studio"):
        assert analysis(healthy).overall.data_confidence.data_confidence_score >= 0.98


def test_duplicate_lines_are_listed_and_explain_the_indicative_mismatches():
    """kowhai-builders carries duplicate feed lines (the simulator copies a line): each is named,
    and the first mismatch of the cheque account's indicative balance is exactly its amount."""
    bank = analysis("kowhai-builders")
    duplicates = bank.duplicate_lines
    assert len(duplicates) == sum(a.reconciliation.duplicate_lines for a in bank.accounts) == 8
    first = duplicates[0]
    assert (first.date, first.payee, first.amount.amount) == (
        date(2024, 11, 29),
        "JACK THOMPSON",
        Decimal("-4617.09"),
    )
    cheque = next(a for a in bank.accounts if a.bank_account_id == first.bank_account_id)
    mismatch = cheque.continuity.indicative_mismatches[0]
    assert mismatch.date == first.date
    assert mismatch.difference.amount == -first.amount.amount  # imported - indicative
    assert [d.bank_account_id for d in duplicates] == sorted(d.bank_account_id for d in duplicates)
    assert analysis("harbour-cafe").duplicate_lines == []
