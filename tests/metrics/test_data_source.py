"""Data-source confidence: import-source mix, feed-verified coverage, freshness, continuity,
and the data confidence score."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from pydantic import ValidationError

from lendcheck.frames import IMPORT_SOURCE_KINDS, XERO_IMPORT_SOURCES, import_source_kind
from lendcheck.metrics.data_source import (
    ConfidenceEvidence,
    feed_freshness,
    feed_verified_coverage,
    import_source_mix,
    statement_continuity,
)
from lendcheck.metrics.reconciliation import xero_data_source
from lendcheck.policy.confidence import (
    DEFAULT_CONFIDENCE_WEIGHTS,
    ConfidenceWeights,
    bank_fed_value,
    data_confidence,
    freshness_value,
)

from .build import AS_OF, CSV, FEED, GBP_ID, MANUAL, YODLEE, bank, d, frames, line, statement

GBP = {GBP_ID: "GBP"}


def _mix_frames():
    return frames(
        bank(
            [
                statement("2026-09-01", "2026-09-01", [line("2026-09-01", "100.00")], source=FEED),
                statement("2026-09-02", "2026-09-02", [line("2026-09-02", "-50.00")], source=FEED),
                statement(
                    "2026-09-03", "2026-09-03", [line("2026-09-03", "200.00")], source=YODLEE
                ),
                statement("2026-10-04", "2026-10-04", [line("2026-10-04", "-300.00")], source=CSV),
                statement(
                    "2026-10-05", "2026-10-05", [line("2026-10-05", "400.00")], source=MANUAL
                ),
                statement(
                    "2026-10-06",
                    "2026-10-06",
                    [line("2026-10-06", "50.00")],
                    source="STMTIMPORTSRC/WHATEVER",
                ),
                statement("2026-10-07", "2026-10-07", [line("2026-10-07", "50.00")], source=None),
                statement(
                    "2026-10-08",
                    "2026-10-08",
                    [line("2026-10-08", "9.00", deleted=True)],
                    source=MANUAL,
                ),
            ]
        )
    )


def test_import_source_mix_by_count_and_amount():
    mix = import_source_mix(_mix_frames().statement_lines, AS_OF, GBP)[GBP_ID]
    got = {
        s.kind: (s.lines, s.absolute_amount.amount, s.amount_pos.amount, s.amount_neg.amount)
        for s in mix.sources
    }
    assert [s.kind for s in mix.sources] == [
        "direct_feed",
        "indirect_feed",
        "file_upload",
        "manual",
        "other",
    ]
    assert got == {
        "direct_feed": (2, Decimal("150.00"), Decimal("100.00"), Decimal("-50.00")),
        "indirect_feed": (1, Decimal("200.00"), Decimal("200.00"), Decimal("0.00")),
        "file_upload": (1, Decimal("300.00"), Decimal("0.00"), Decimal("-300.00")),
        "manual": (1, Decimal("400.00"), Decimal("400.00"), Decimal("0.00")),  # deleted line out
        "other": (2, Decimal("100.00"), Decimal("100.00"), Decimal("0.00")),
    }
    shares = {s.kind: (s.share_by_count, s.share_by_amount) for s in mix.sources}
    assert shares["direct_feed"] == pytest.approx((2 / 7, 150 / 1150))
    assert shares["manual"] == pytest.approx((1 / 7, 400 / 1150))
    assert mix.other_import_sources == ["(missing)", "STMTIMPORTSRC/WHATEVER"]
    # receipts typed or uploaded: the manual 400 (the CSV line is a payment) of 800 in
    assert mix.manual_or_uploaded_inflow.amount == Decimal("400.00")
    assert mix.manual_or_uploaded_inflow_share == 0.5
    assert [(m.month, m.total_lines) for m in mix.monthly] == [("2026-09", 3), ("2026-10", 4)]
    september = {s.kind: s.share_by_amount for s in mix.monthly[0].sources}
    assert september["indirect_feed"] == pytest.approx(200 / 350)
    assert september["manual"] == 0.0


def test_import_source_mix_without_lines():
    f = frames(bank([statement("2026-09-01", "2026-09-30", [])]))
    mix = import_source_mix(f.statement_lines, AS_OF, GBP)[GBP_ID]
    assert mix.not_available is not None
    assert all(s.share_by_count is None and s.share_by_amount is None for s in mix.sources)
    assert mix.manual_or_uploaded_inflow_share is None


def test_feed_verified_coverage():
    f = frames(
        bank(
            [
                statement(
                    "2026-09-01",
                    "2026-09-02",
                    [
                        line("2026-09-01", "100.00", reconciled=True),
                        line("2026-09-01", "20.00"),
                        line("2026-09-02", "-500.00", reconciled=True),  # outflow: not counted
                        line("2026-09-02", "1000.00", reconciled=True, deleted=True),
                    ],
                    source=FEED,
                ),
                statement(
                    "2026-09-03",
                    "2026-09-03",
                    [line("2026-09-03", "200.00", reconciled=True)],
                    source=YODLEE,
                ),
                statement(
                    "2026-09-04",
                    "2026-09-04",
                    [line("2026-09-04", "400.00", reconciled=True)],
                    source=MANUAL,
                ),
            ]
        )
    )
    c = feed_verified_coverage(f.statement_lines, AS_OF, GBP)[GBP_ID]
    assert c.inflow_amount.amount == Decimal("720.00")
    assert c.direct_feed_reconciled_inflow.amount == Decimal("100.00")
    assert c.feed_verified_coverage == pytest.approx(100 / 720)
    assert c.bank_feed_reconciled_inflow.amount == Decimal("300.00")
    assert c.bank_feed_verified_coverage == pytest.approx(300 / 720)


def test_feed_verified_coverage_without_inflows():
    f = frames(bank([statement("2026-09-01", "2026-09-01", [line("2026-09-01", "-5.00")])]))
    c = feed_verified_coverage(f.statement_lines, AS_OF, GBP)[GBP_ID]
    assert c.not_available == "no inflows (positive lines) to cover"
    assert c.feed_verified_coverage is None
    assert c.inflow_amount.amount == Decimal("0.00")


def test_freshness_and_usual_import_interval():
    f = frames(
        bank(
            [
                statement("2026-10-19", "2026-10-19", imported="2026-10-20T23:30:00Z"),
                statement("2026-10-24", "2026-10-24", imported="2026-10-25T01:00:00Z"),
                statement(
                    "2026-10-27",
                    "2026-10-27",
                    [line("2026-10-27", "1.00")],
                    imported="2026-10-28T04:00:00Z",
                    source=CSV,
                ),
            ]
        )
    )
    fresh = feed_freshness(f.statements, f.statement_lines, AS_OF, [GBP_ID])[GBP_ID]
    assert fresh.last_imported_at == dt.datetime(2026, 10, 28, 4, tzinfo=dt.UTC)
    assert fresh.days_since_last_import == 3
    assert fresh.last_import_source_kind == "file_upload"
    assert fresh.usual_import_interval_days == 4.0  # median of 5 and 3 days
    assert fresh.days_overdue == 0.0
    assert fresh.latest_statement_end_date == d("2026-10-27")
    assert fresh.latest_transaction_date == d("2026-10-27")


def test_freshness_stale_feed_and_imports_after_as_of():
    stale = frames(
        bank(
            [
                statement("2026-07-01", "2026-07-01", imported="2026-07-02T03:00:00Z"),
                statement("2026-07-02", "2026-07-02", imported="2026-07-03T03:00:00Z"),
            ]
        )
    )
    fresh = feed_freshness(stale.statements, stale.statement_lines, AS_OF, [GBP_ID])[GBP_ID]
    assert fresh.days_since_last_import == 120
    assert fresh.usual_import_interval_days is None  # fewer than 3 import dates
    assert fresh.days_overdue == 120.0

    later = frames(bank([statement("2026-10-31", "2026-10-31", imported="2026-11-01T03:00:00Z")]))
    assert (
        feed_freshness(later.statements, later.statement_lines, AS_OF, [GBP_ID])[
            GBP_ID
        ].days_since_last_import
        == 0
    )


def test_freshness_without_statements():
    f = frames(bank([]))
    fresh = feed_freshness(f.statements, f.statement_lines, AS_OF, [GBP_ID])[GBP_ID]
    assert fresh.not_available == "no statement with an import time"
    assert fresh.days_since_last_import is None
    assert fresh.days_overdue is None


def _daily(day: int, start: str | None, end: str | None, **kw):
    iso = f"2026-09-{day:02d}"
    return statement(
        iso, iso, start_balance=start, end_balance=end, statement_id=f"s{day:02d}", **kw
    )


def test_continuity_gaps_breaks_and_indicative_mismatches():
    f = frames(
        bank(
            [
                _daily(1, "1000", "1100"),
                _daily(2, "1100", "1200", indicative_start="1100", indicative_end="1150"),
                _daily(3, "1200", "1300"),
                _daily(4, "1300", "1400"),
                _daily(5, "1400", "1500"),
                # 6..12 missing: 7 days, and the balance does not chain across them
                _daily(13, "1700", "1800"),
                _daily(14, "0", "0"),  # balances not supplied
                _daily(15, "1900", "2000"),
            ]
        )
    )
    c = statement_continuity(f.statements, GBP)[GBP_ID]
    assert c.not_available is None
    assert (c.statements, c.undated_statements, c.statements_without_balances) == (8, 0, 1)
    assert (c.first_statement_date, c.last_statement_date) == (d("2026-09-01"), d("2026-09-15"))
    assert (c.covered_days, c.gap_days, c.material_gap_days) == (8, 7, 7)
    assert c.usual_statement_spacing_days == 1
    [gap] = c.gaps
    assert (gap.from_date, gap.to_date, gap.days) == (d("2026-09-06"), d("2026-09-12"), 7)
    assert (gap.after_statement_id, gap.before_statement_id) == ("s05", "s13")
    assert (gap.balance_chain_verified, gap.material) == (False, True)
    assert c.coverage_share == pytest.approx(8 / 15)
    assert (c.chain_links_checked, c.chain_links_unverifiable) == (5, 2)
    [brk] = c.balance_breaks
    assert (brk.statement_id, brk.previous_statement_id) == ("s13", "s05")
    assert brk.start_balance.amount == Decimal("1700.00")
    assert brk.previous_end_balance.amount == Decimal("1500.00")
    assert brk.difference.amount == Decimal("200.00")
    assert c.balances_compared == 2
    [mismatch] = c.indicative_mismatches
    assert (mismatch.statement_id, mismatch.which, mismatch.date) == ("s02", "end", d("2026-09-02"))
    assert mismatch.difference.amount == Decimal("50.00")
    assert c.chain_integrity == pytest.approx(1 - 2 / 7)
    assert c.continuity == pytest.approx(8 / 15 * (1 - 2 / 7))


def test_continuity_expected_gaps_are_not_material():
    f = frames(
        bank(
            [
                _daily(4, "100", "200"),  # Friday
                _daily(7, "200", "300"),  # Monday: weekend gap, chain verified
                _daily(8, "0", "0"),
                _daily(11, "350", "400"),  # 2-day gap, chain unverifiable but short
            ]
        )
    )
    c = statement_continuity(f.statements, GBP)[GBP_ID]
    assert [(g.days, g.balance_chain_verified, g.material) for g in c.gaps] == [
        (2, True, False),
        (2, False, False),
    ]
    assert c.coverage_share == 1.0
    assert c.balance_breaks == []
    assert c.chain_integrity == 1.0


def test_continuity_monthly_statements_tolerate_month_long_gaps():
    months = [
        statement(f"2026-0{m}-03", f"2026-0{m}-03", start_balance="0", end_balance="0")
        for m in range(1, 8)
    ]
    c = statement_continuity(frames(bank(months)).statements, GBP)[GBP_ID]
    assert len(c.gaps) == 6
    assert not any(g.material for g in c.gaps)
    assert c.chain_integrity is None  # no balance could be checked
    assert c.continuity == c.coverage_share == 1.0


def test_continuity_overlaps_and_no_statements():
    f = frames(
        bank(
            [
                statement("2026-09-01", "2026-09-10", start_balance="1", end_balance="2"),
                statement("2026-09-05", "2026-09-12", start_balance="2", end_balance="3"),
            ]
        )
    )
    c = statement_continuity(f.statements, GBP)[GBP_ID]
    assert c.overlapping_statements == 1
    assert c.covered_days == 12
    empty = statement_continuity(frames(bank([])).statements, GBP)[GBP_ID]
    assert empty.not_available == "no statements with start and end dates"
    assert empty.coverage_share is None and empty.continuity is None


def test_freshness_value_is_linear_between_the_limits():
    w = DEFAULT_CONFIDENCE_WEIGHTS
    assert freshness_value(None, w) is None
    assert freshness_value(7, w) == 1.0
    assert freshness_value(60, w) == 0.0
    assert freshness_value(33.5, w) == pytest.approx(0.5)


def _evidence(reconciled, mix, continuity, fresh):
    """The score's evidence from these metrics alone (no CashValidation: no factor)."""
    return ConfidenceEvidence(
        reconciled_share=reconciled,
        source_shares=None
        if mix.not_available
        else {s.kind: s.share_by_amount for s in mix.sources},
        continuity=continuity.continuity,
        days_overdue=fresh.days_overdue,
    )


def test_data_confidence_score_shows_inputs_and_weights():
    f = _mix_frames()
    mix = import_source_mix(f.statement_lines, AS_OF, GBP)[GBP_ID]
    continuity = statement_continuity(f.statements, GBP)[GBP_ID]
    fresh = feed_freshness(f.statements, f.statement_lines, AS_OF, [GBP_ID])[GBP_ID]
    score = data_confidence(_evidence(0.5, mix, continuity, fresh), DEFAULT_CONFIDENCE_WEIGHTS)
    inputs = {i.name: (i.value, i.weight) for i in score.inputs}
    # credit 1.0 * 150 + 0.8 * 200 + 0.3 * 300 + 0 * 400 + 0 * 100, over 1150
    bank_fed = (150 + 160 + 90) / 1150
    assert inputs["reconciled"] == (0.5, 0.30)
    assert inputs["bank_fed"] == (pytest.approx(bank_fed), 0.30)
    assert inputs["continuity"] == (continuity.continuity, 0.30)
    # last import 2026-10-08, 23 days before as_of; imports usually a day apart: 22 days late
    assert fresh.days_overdue == 22.0
    freshness = (60 - 22) / (60 - 7)
    assert inputs["freshness"] == (pytest.approx(freshness), 0.10)
    expected = 0.3 * 0.5 + 0.3 * bank_fed + 0.3 * continuity.continuity + 0.1 * freshness
    assert score.data_confidence_score == pytest.approx(expected)
    assert sum(i.contribution for i in score.inputs) == pytest.approx(expected)
    assert score.weights == DEFAULT_CONFIDENCE_WEIGHTS
    assert score.base_score == score.data_confidence_score  # no factor applies
    assert [(f.name, f.value) for f in score.factors] == [
        ("ledger_cash_gap", None),
        ("xero_differences", None),
        ("recent_typed_inflows", None),
        ("evidence_completeness", None),
    ]


def test_data_confidence_renormalises_missing_inputs_and_custom_weights():
    f = _mix_frames()
    mix = import_source_mix(f.statement_lines, AS_OF, GBP)[GBP_ID]
    no_statements = statement_continuity(frames(bank([])).statements, GBP)[GBP_ID]
    fresh = feed_freshness(f.statements, f.statement_lines, AS_OF, [GBP_ID])[GBP_ID]
    weights = ConfidenceWeights(reconciled=1, bank_fed=0, continuity=5, freshness=1)
    score = data_confidence(_evidence(0.25, mix, no_statements, fresh), weights)
    # continuity unknown: left out, the rest renormalised over weights 1 + 0 + 1
    assert score.data_confidence_score == pytest.approx((0.25 + (60 - 22) / 53) / 2)
    assert [i.contribution for i in score.inputs if i.name == "continuity"] == [None]


def test_data_confidence_without_lines():
    f = frames(bank([statement("2026-09-01", "2026-09-01", [])]))
    mix = import_source_mix(f.statement_lines, AS_OF, GBP)[GBP_ID]
    continuity = statement_continuity(f.statements, GBP)[GBP_ID]
    fresh = feed_freshness(f.statements, f.statement_lines, AS_OF, [GBP_ID])[GBP_ID]
    score = data_confidence(_evidence(None, mix, continuity, fresh), DEFAULT_CONFIDENCE_WEIGHTS)
    assert score.data_confidence_score is None
    assert score.not_available == "no statement lines to judge"


@pytest.mark.parametrize(
    "bad",
    [
        {"reconciled": -0.1},
        {"reconciled": 0, "bank_fed": 0, "continuity": 0, "freshness": 0},
        {"source_credit": {"direct_feed": 1.0}},
        {
            "source_credit": {
                "direct_feed": 1.5,
                "indirect_feed": 1,
                "file_upload": 0,
                "manual": 0,
                "other": 0,
            }
        },
        {"freshness_full_days": 30, "freshness_zero_days": 30},
    ],
)
def test_confidence_weights_are_validated(bad):
    with pytest.raises(ValidationError):
        ConfidenceWeights(**bad)


# Issue 16.5: sources are classified from the table of Xero's values, never by their spelling.
LOOK_ALIKES = ("STMTIMPORTSRC/MANUALFEED", "STMTIMPORTSRC/FILEFEED", "STMTIMPORTSRC/XEROFEED")


@pytest.mark.parametrize("source", LOOK_ALIKES)
def test_a_feed_look_alike_is_other(source):
    assert import_source_kind(source) == "other"
    assert xero_data_source(source) == "other"


def test_every_value_of_the_table_keeps_its_kind():
    assert import_source_kind("STMTIMPORTSRC/CBAFEED") == "direct_feed"
    assert import_source_kind(" stmtimportsrc/cbafeed ") == "direct_feed"  # trimmed, any case
    assert import_source_kind("STMTIMPORTSRC/YODLEE") == "indirect_feed"
    assert import_source_kind("STMTIMPORTSRC/CSV") == "file_upload"
    assert import_source_kind("STMTIMPORTSRC/QBO") == "file_upload"
    assert xero_data_source("STMTIMPORTSRC/QBO") == "other"
    assert import_source_kind("STMTIMPORTSRC/MANUAL") == "manual"
    assert import_source_kind("CBAFEED") == "other"  # not Xero's form of the value
    assert import_source_kind(None) == "other"
    assert {e.kind for e in XERO_IMPORT_SOURCES.values()} <= set(IMPORT_SOURCE_KINDS)
    assert all(e.source for e in XERO_IMPORT_SOURCES.values())


def test_look_alike_feeds_earn_no_trust_and_are_named():
    """A 1,000.00 receipt from a reconciled MANUALFEED statement and 500.00 from FILEFEED
    beside 500.00 from a real feed: only the real feed's 500.00 is bank-verified."""
    receipts = [
        ("2026-10-01", "500.00", FEED),
        ("2026-10-02", "1000.00", "STMTIMPORTSRC/MANUALFEED"),
        ("2026-10-03", "500.00", "STMTIMPORTSRC/FILEFEED"),
    ]
    f = frames(
        bank(
            [
                statement(day, day, [line(day, amount, reconciled=True)], source=source)
                for day, amount, source in receipts
            ]
        )
    )
    mix = import_source_mix(f.statement_lines, AS_OF, GBP)[GBP_ID]
    assert mix.other_import_sources == ["STMTIMPORTSRC/FILEFEED", "STMTIMPORTSRC/MANUALFEED"]
    assert {s.kind: s.absolute_amount.amount for s in mix.sources}["other"] == Decimal("1500.00")
    coverage = feed_verified_coverage(f.statement_lines, AS_OF, GBP)[GBP_ID]
    assert coverage.bank_feed_reconciled_inflow.amount == Decimal("500.00")
    assert coverage.bank_feed_verified_coverage == 0.25
    # bank_fed input: only the feed's 500 of 2,000 earns credit (other's credit is 0)
    assert bank_fed_value(mix, DEFAULT_CONFIDENCE_WEIGHTS) == 0.25
    credits = DEFAULT_CONFIDENCE_WEIGHTS.source_credit
    assert credits["other"] == min(credits.values())
