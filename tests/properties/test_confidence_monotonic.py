"""The data confidence score never rises when its evidence gets worse (issue 16.11).

Hypothesis draws the raw figures of an account (:class:`ConfidenceEvidence`), then makes one
of them worse: less reconciled, money moved from a source to a less trusted one, a broken
balance chain, a later import, more cash in the books that the bank does not show, fewer
receipts to measure it against, more disagreements with Xero, more receipts typed or
uploaded while the feed was live, or less of the evidence present. The score of the worse
account is never above the better one's, under the default weights and under any valid ones.
"""

from __future__ import annotations

import dataclasses
from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from lendcheck.frames import IMPORT_SOURCE_KINDS
from lendcheck.metrics.data_source import ConfidenceEvidence
from lendcheck.policy.confidence import (
    DEFAULT_CONFIDENCE_WEIGHTS,
    ConfidenceWeights,
    confidence_score,
)

shares = st.floats(0, 1, allow_nan=False)
money = st.decimals(0, 10_000_000, places=2, allow_nan=False, allow_infinity=False)


@st.composite
def source_shares(draw: st.DrawFn) -> dict[str, float | None]:
    raw = [draw(st.integers(0, 1000)) for _ in IMPORT_SOURCE_KINDS]
    total = sum(raw)
    return {
        k: (r / total if total else None) for k, r in zip(IMPORT_SOURCE_KINDS, raw, strict=True)
    }


evidence = st.builds(
    ConfidenceEvidence,
    reconciled_share=st.none() | shares,
    source_shares=st.none() | source_shares(),
    continuity=st.none() | shares,
    days_overdue=st.none() | st.floats(0, 400, allow_nan=False),
    unbacked_ledger_cash=st.none() | money,
    monthly_inflow=st.none() | money,
    xero_differences=st.none() | st.integers(0, 40),
    recent_typed_inflow_share=st.none() | shares,
    evidence_completeness=st.none() | shares,
)


@st.composite
def weights(draw: st.DrawFn) -> ConfidenceWeights:
    w = [draw(st.floats(0, 1, allow_nan=False)) for _ in range(4)]
    if sum(w) <= 0:
        w[0] = 1.0
    credits = sorted((draw(shares) for _ in IMPORT_SOURCE_KINDS), reverse=True)
    full = draw(st.integers(0, 30))
    return ConfidenceWeights(
        reconciled=w[0],
        bank_fed=w[1],
        continuity=w[2],
        freshness=w[3],
        source_credit=dict(zip(IMPORT_SOURCE_KINDS, credits, strict=True)),
        freshness_full_days=full,
        freshness_zero_days=full + draw(st.integers(1, 90)),
        ledger_gap_zero_months=draw(st.floats(0.01, 12, allow_nan=False)),
        xero_differences_zero=draw(st.integers(1, 10)),
        typed_inflow_zero_share=draw(st.floats(0.01, 1, allow_nan=False)),
        evidence_zero_share=draw(st.floats(0.01, 1, allow_nan=False)),
    )


@st.composite
def worse(draw: st.DrawFn, better: ConfidenceEvidence) -> ConfidenceEvidence:
    """``better`` with one available figure made worse."""
    options = [
        f.name
        for f in dataclasses.fields(better)
        if getattr(better, f.name) is not None
        and (f.name != "source_shares" or any(better.source_shares.values()))
    ]
    if not options:
        return better
    field = draw(st.sampled_from(options))
    value = getattr(better, field)
    if field in ("reconciled_share", "continuity", "evidence_completeness"):
        new = draw(st.floats(0, value, allow_nan=False))
    elif field == "recent_typed_inflow_share":
        new = draw(st.floats(value, 1, allow_nan=False))
    elif field == "days_overdue":
        new = value + draw(st.floats(0, 400, allow_nan=False))
    elif field == "unbacked_ledger_cash":
        new = value + draw(money)
    elif field == "monthly_inflow":
        new = value - draw(st.decimals(0, value, places=2)) if value else value
    elif field == "xero_differences":
        new = value + draw(st.integers(0, 10))
    else:  # move a part of one kind's share to a later (less trusted) kind
        kinds = list(IMPORT_SOURCE_KINDS)
        held = [k for k in kinds[:-1] if value[k]]
        if not held:
            return better
        source = draw(st.sampled_from(held))
        target = draw(st.sampled_from(kinds[kinds.index(source) + 1 :]))
        moved = draw(st.floats(0, value[source], allow_nan=False))
        new = dict(value)
        new[source] = value[source] - moved
        new[target] = (value[target] or 0.0) + moved
    return dataclasses.replace(better, **{field: new})


@st.composite
def pairs(draw: st.DrawFn) -> tuple[ConfidenceEvidence, ConfidenceEvidence]:
    better = draw(evidence)
    return better, draw(worse(better))


def _score(e: ConfidenceEvidence, w: ConfidenceWeights) -> float | None:
    return confidence_score(e, w)[0]


@given(pairs())
def test_a_worse_figure_never_raises_the_default_score(pair) -> None:
    better, worse_ = pair
    high, low = (
        _score(better, DEFAULT_CONFIDENCE_WEIGHTS),
        _score(worse_, DEFAULT_CONFIDENCE_WEIGHTS),
    )
    if high is None:
        assert low is None
    else:
        assert 0.0 <= low <= high + 1e-12


@given(pairs(), weights())
def test_a_worse_figure_never_raises_the_score_under_any_weights(pair, w) -> None:
    better, worse_ = pair
    high, low = _score(better, w), _score(worse_, w)
    if high is not None:
        assert 0.0 <= low <= high + 1e-12


def test_a_worse_figure_lowers_the_score_where_it_counts() -> None:
    """Not a score that cannot move: each factor bites on its own."""
    base = ConfidenceEvidence(
        reconciled_share=1.0,
        source_shares={"direct_feed": 1.0},
        continuity=1.0,
        days_overdue=0.0,
        unbacked_ledger_cash=Decimal("0"),
        monthly_inflow=Decimal("1000"),
        xero_differences=0,
        recent_typed_inflow_share=0.0,
        evidence_completeness=1.0,
    )
    assert _score(base, DEFAULT_CONFIDENCE_WEIGHTS) == 1.0
    for change in (
        {"unbacked_ledger_cash": Decimal("500")},
        {"xero_differences": 1},
        {"recent_typed_inflow_share": 0.05},
        {"evidence_completeness": 0.5},
    ):
        assert _score(dataclasses.replace(base, **change), DEFAULT_CONFIDENCE_WEIGHTS) < 1.0
