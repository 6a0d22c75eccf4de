"""The data confidence score: how far the lender may trust an account's bank data, judged
from the figures :mod:`lendcheck.metrics` computes (:class:`ConfidenceEvidence`, made by
:func:`lendcheck.metrics.bank.confidence_evidence`).

The weights, credits and zero points are the lender's (``[confidence_weights]`` of the policy
file, :class:`ConfidenceWeights`); the score is a policy judgement, so it lives here and not in
metrics. docs/metrics.md ("Data confidence score") defines it; the report records it with its
inputs and factors under ``bank.accounts[].data_confidence`` and ``bank.overall.data_confidence``
(:func:`lendcheck.report.bank.analyse_bank` composes the two).
"""

from __future__ import annotations

from collections.abc import Sequence

from pydantic import Field, model_validator

from lendcheck.frames import IMPORT_SOURCE_KINDS
from lendcheck.metrics.data_source import (
    TYPED_INFLOW_RECENT_DAYS,
    ConfidenceEvidence,
    ImportSourceMix,
)
from lendcheck.report_types import Ratio, ReportModel, Share

__all__ = [
    "DEFAULT_CONFIDENCE_WEIGHTS",
    "ConfidenceEvidence",
    "ConfidenceWeights",
    "DataConfidence",
    "ScoreFactor",
    "ScoreInput",
    "bank_fed_value",
    "confidence_score",
    "data_confidence",
    "freshness_value",
    "overall_confidence",
]


def _default_credit() -> dict[str, float]:
    return {
        "direct_feed": 1.0,
        "indirect_feed": 0.8,
        "file_upload": 0.3,
        "manual": 0.0,
        "other": 0.0,
    }


class ConfidenceWeights(ReportModel):
    """Weights of the data confidence score (the lender's policy file may override them).

    Attributes:
        reconciled: weight of ``reconciled_share_by_amount`` (default 0.30): lines matched to
            entries in the books are confirmed from both sides.
        bank_fed: weight of the source-credited share of amount (default 0.30).
        continuity: weight of statement continuity (default 0.30): balances that chain and
            agree with Xero's indicative balances are the strongest sign that no line was
            added or removed.
        freshness: weight of feed freshness (default 0.10).
        source_credit: credit in [0, 1] of each import-source kind in ``bank_fed``; defaults
            direct feed 1.0, indirect (aggregator) feed 0.8, file upload 0.3 (a file the
            applicant could edit), manual 0.0 and other 0.0 (typed or unknown).
        freshness_full_days: freshness is 1 up to this many days since the last import (7).
        freshness_zero_days: freshness is 0 from this many days on (60); linear in between.
        ledger_gap_zero_months: the ``ledger_cash_gap`` factor is 0 when the ledger holds this
            many months of the account's receipts (mean monthly inflow) in cash no bank line
            backs (1.0); linear from 1 at none.
        xero_differences_zero: the ``xero_differences`` factor is 0 from this many
            disagreements with Xero's own figures (4); linear from 1 at none.
        typed_inflow_zero_share: the ``recent_typed_inflows`` factor is 0 when this share of
            the recent receipts since the feed started was typed or uploaded (0.25); linear
            from 1 at none.
        typed_inflow_recent_days: the recent window, in days up to the report date (90).
        evidence_zero_share: the ``evidence_completeness`` factor (when supplied) is 0
            when this share of the evidence is missing (1.0: linear, 1 - missing share).

    Raises:
        pydantic.ValidationError: a weight or credit is negative, credits exceed 1, all
            weights are 0, a kind is missing from ``source_credit``,
            ``freshness_zero_days <= freshness_full_days``, or a factor's zero point is not
            positive (or a share above 1).
    """

    reconciled: float = Field(default=0.30, ge=0)
    bank_fed: float = Field(default=0.30, ge=0)
    continuity: float = Field(default=0.30, ge=0)
    freshness: float = Field(default=0.10, ge=0)
    source_credit: dict[str, float] = Field(default_factory=_default_credit)
    freshness_full_days: int = Field(default=7, ge=0)
    freshness_zero_days: int = Field(default=60, ge=1)
    ledger_gap_zero_months: float = Field(default=1.0, gt=0)
    xero_differences_zero: int = Field(default=4, ge=1)
    typed_inflow_zero_share: float = Field(default=0.25, gt=0, le=1)
    typed_inflow_recent_days: int = Field(default=TYPED_INFLOW_RECENT_DAYS, ge=1)
    evidence_zero_share: float = Field(default=1.0, gt=0, le=1)

    @model_validator(mode="after")
    def _check(self) -> ConfidenceWeights:
        if self.reconciled + self.bank_fed + self.continuity + self.freshness <= 0:
            raise ValueError("at least one confidence weight must be positive")
        missing = set(IMPORT_SOURCE_KINDS) - set(self.source_credit)
        if missing:
            raise ValueError(f"source_credit lacks {sorted(missing)}")
        unknown = set(self.source_credit) - set(IMPORT_SOURCE_KINDS)
        if unknown:
            raise ValueError(f"source_credit has unknown kinds {sorted(unknown)}")
        if any(not 0.0 <= v <= 1.0 for v in self.source_credit.values()):
            raise ValueError("source_credit values must be in [0, 1]")
        if self.freshness_zero_days <= self.freshness_full_days:
            raise ValueError("freshness_zero_days must exceed freshness_full_days")
        return self


#: The documented default weights.
DEFAULT_CONFIDENCE_WEIGHTS = ConfidenceWeights()


class ScoreInput(ReportModel):
    """One weighted input of the data confidence score's base.

    Attributes:
        name: ``reconciled``, ``bank_fed``, ``continuity`` or ``freshness``.
        value: the input in [0, 1]; None when it cannot be computed (then left out and the
            other weights renormalised).
        weight: its weight from :class:`ConfidenceWeights`.
        contribution: ``value * weight / sum of weights of available inputs``, in [0, 1].
        source: the metric the value comes from.
    """

    name: str
    value: Share
    weight: float
    contribution: Share
    source: str


class ScoreFactor(ReportModel):
    """One factor that multiplies the data confidence score: a signal strong enough to
    discount everything else (1 = no concern, 0 = nothing in the account can be trusted).

    Attributes:
        name: ``ledger_cash_gap``, ``xero_differences``, ``recent_typed_inflows`` or
            ``evidence_completeness``.
        measure: the figure judged (months of receipts, a count, a share), as a number
            (4 decimals in JSON); None when it cannot be computed (the factor is then not
            applied: see ``value``).
        value: the factor in [0, 1]; None when not applied.
        source: the metrics the measure comes from.
    """

    name: str
    measure: Ratio
    value: Share
    source: str


class DataConfidence(ReportModel):
    """The data confidence score of an account (or the whole applicant) with its inputs.

    Attributes:
        not_available: why the score is null, else None.
        data_confidence_score: ``base_score`` times every applied factor, in [0, 1].
        base_score: the weighted mean of the available ``inputs``, in [0, 1]; None overall.
        inputs: every :class:`ScoreInput` (empty overall, where the score is the line-count
            weighted mean of the accounts' scores).
        factors: every :class:`ScoreFactor` (empty overall).
        weights: the weights used.
    """

    not_available: str | None = None
    data_confidence_score: Share
    base_score: Share = None
    inputs: list[ScoreInput]
    factors: list[ScoreFactor] = Field(default_factory=list)
    weights: ConfidenceWeights


def freshness_value(days: float | None, weights: ConfidenceWeights) -> float | None:
    """Freshness input in [0, 1]: 1 up to ``freshness_full_days``, 0 from
    ``freshness_zero_days``, linear in between; None when ``days`` is None."""
    if days is None:
        return None
    full, zero = weights.freshness_full_days, weights.freshness_zero_days
    if days <= full:
        return 1.0
    if days >= zero:
        return 0.0
    return (zero - days) / (zero - full)


def bank_fed_value(mix: ImportSourceMix, weights: ConfidenceWeights) -> float | None:
    """Source-credited share: sum over kinds of ``source_credit[kind] * share_by_amount``."""
    if mix.not_available:
        return None
    return _credited({s.kind: s.share_by_amount for s in mix.sources}, weights)


def _credited(shares: dict[str, float | None], weights: ConfidenceWeights) -> float:
    return sum(weights.source_credit[kind] * (share or 0.0) for kind, share in shares.items())


def _linear_down(measure: float, zero_at: float) -> float:
    """1 at a measure of 0 (or less), 0 from ``zero_at``, linear in between."""
    return min(1.0, max(0.0, 1.0 - measure / zero_at))


def confidence_score(
    evidence: ConfidenceEvidence, weights: ConfidenceWeights
) -> tuple[float | None, float | None, list[ScoreInput], list[ScoreFactor]]:
    """The data confidence score from its raw figures: ``(score, base, inputs, factors)``.

    ``base = sum(w_i * x_i) / sum(w_i)`` over the available inputs ``x_i`` in [0, 1]
    (reconciled, bank_fed, continuity, freshness); ``score = base * prod(f_j)`` over the
    applied factors ``f_j`` in [0, 1] (ledger_cash_gap, xero_differences,
    recent_typed_inflows, evidence_completeness). Every input rises and every factor falls
    with a worse figure, so a worse figure never raises the score. Score and base are None
    when no input is available.
    """
    raw = [
        (
            "reconciled",
            evidence.reconciled_share,
            weights.reconciled,
            "reconciliation.reconciled_share_by_amount",
        ),
        (
            "bank_fed",
            None if evidence.source_shares is None else _credited(evidence.source_shares, weights),
            weights.bank_fed,
            "import_source_mix (source_credit x share_by_amount)",
        ),
        ("continuity", evidence.continuity, weights.continuity, "continuity.continuity"),
        (
            "freshness",
            freshness_value(evidence.days_overdue, weights),
            weights.freshness,
            "freshness.days_overdue",
        ),
    ]
    total_weight = sum(w for _, v, w, _ in raw if v is not None)
    inputs = [
        ScoreInput(
            name=name,
            value=value,
            weight=weight,
            source=source,
            contribution=value * weight / total_weight
            if value is not None and total_weight
            else None,
        )
        for name, value, weight, source in raw
    ]
    gap_months: float | None = None
    if evidence.unbacked_ledger_cash is not None and evidence.monthly_inflow is not None:
        if evidence.unbacked_ledger_cash == 0:
            gap_months = 0.0
        elif evidence.monthly_inflow > 0:
            gap_months = float(evidence.unbacked_ledger_cash / evidence.monthly_inflow)
        else:
            gap_months = float("inf")  # cash the bank does not show, and no receipts at all
    missing_share = (
        None if evidence.evidence_completeness is None else 1.0 - evidence.evidence_completeness
    )
    measures = [
        (
            "ledger_cash_gap",
            gap_months,
            weights.ledger_gap_zero_months,
            "ledger_vs_bank.ledger_minus_bank + reconciliation unreconciled lines (net), in "
            "months of import_source_mix receipts",
        ),
        (
            "xero_differences",
            evidence.xero_differences,
            weights.xero_differences_zero,
            "cross_check.differences + ledger_vs_bank.bank_balance_disagreements",
        ),
        (
            "recent_typed_inflows",
            evidence.recent_typed_inflow_share,
            weights.typed_inflow_zero_share,
            "import_source_mix.manual_or_uploaded_inflow_recent_while_fed_share",
        ),
        (
            "evidence_completeness",
            missing_share,
            weights.evidence_zero_share,
            "share of the evidence missing (not supplied by the report: missing evidence "
            "weighs on the data confidence grade through the evidence rules)",
        ),
    ]
    factors = [
        ScoreFactor(
            name=name,
            measure=None if measure is None or measure == float("inf") else float(measure),
            value=None if measure is None else _linear_down(float(measure), zero_at),
            source=source,
        )
        for name, measure, zero_at, source in measures
    ]
    if not total_weight:
        return None, None, inputs, factors
    base = min(1.0, max(0.0, sum(v * w for _, v, w, _ in raw if v is not None) / total_weight))
    score = base
    for factor in factors:
        if factor.value is not None:
            score *= factor.value
    return min(1.0, max(0.0, score)), base, inputs, factors


def data_confidence(evidence: ConfidenceEvidence, weights: ConfidenceWeights) -> DataConfidence:
    """The data confidence score of one account (:func:`confidence_score`), with its inputs
    and factors. Null, with a reason, when the account has no lines (``source_shares`` None).
    """
    if evidence.source_shares is None:
        return DataConfidence(
            not_available="no statement lines to judge",
            data_confidence_score=None,
            inputs=[],
            weights=weights,
        )
    score, base, inputs, factors = confidence_score(evidence, weights)
    return DataConfidence(
        not_available=None if score is not None else "no input of the score has a weight",
        data_confidence_score=score,
        base_score=base,
        inputs=inputs,
        factors=factors,
        weights=weights,
    )


def overall_confidence(
    scored: Sequence[tuple[DataConfidence, int]], weights: ConfidenceWeights
) -> DataConfidence:
    """The applicant's data confidence: the mean of the accounts' scores weighted by their
    statement lines (``total_lines``); accounts without a score are left out, and it is null
    with a reason when no account has one. ``inputs`` is empty (see each account's).

    Args:
        scored: each account's :class:`DataConfidence` with its line count.
        weights: the weights the accounts were scored with.
    """
    ranked = [
        (confidence.data_confidence_score, lines)
        for confidence, lines in scored
        if confidence.data_confidence_score is not None
    ]
    weight = sum(n for _, n in ranked)
    score = sum(s * n for s, n in ranked) / weight if weight else None
    return DataConfidence(
        not_available=None if score is not None else "no account has a score",
        data_confidence_score=score,
        inputs=[],
        weights=weights,
    )
