"""docs/metrics.md names every figure of the financial analysis (no silent drift),
and concentration figures keep their invariants on arbitrary inputs."""

from __future__ import annotations

import random
from decimal import Decimal as D
from pathlib import Path

import pytest
from pydantic import BaseModel

from lendcheck.metrics.bank_to_books import BankToBooks
from lendcheck.metrics.concentration import (
    Concentration,
    ConcentrationFigures,
    concentration_figures,
)
from lendcheck.metrics.financials import (
    BalanceSheetFigures,
    CashFlowFigures,
    CashFlowSection,
    PnlFigures,
    PnlGrowth,
)
from lendcheck.metrics.integrity import IntegrityCheck
from lendcheck.metrics.loan import DebtCapacity, LoanAnalysis

DOC = (Path(__file__).resolve().parents[2] / "docs" / "metrics.md").read_text("utf-8")
#: Structural fields explained once in the conventions rather than per figure.
STRUCTURAL = {
    "not_available",
    "start_date",
    "end_date",
    "balance_date",
    "current",
    "previous",
    "basis",
    "amount",
    "term_months",
    "annual_rate",
    "customers",
    "suppliers",
    "description",
    "reason",
    "values",
    "tolerance",
}


@pytest.mark.parametrize(
    "model",
    [
        PnlFigures,
        PnlGrowth,
        BalanceSheetFigures,
        CashFlowFigures,
        CashFlowSection,
        LoanAnalysis,
        DebtCapacity,
        ConcentrationFigures,
        Concentration,
        BankToBooks,
        IntegrityCheck,
    ],
)
def test_every_figure_is_documented(model: type[BaseModel]) -> None:
    undocumented = [
        name for name in model.model_fields if name not in STRUCTURAL and f"`{name}`" not in DOC
    ]
    assert undocumented == []


@pytest.mark.parametrize("seed", range(20))
def test_concentration_invariants(seed: int) -> None:
    rng = random.Random(seed)
    n = rng.randint(1, 12)
    rows = [(f"c{i}", f"C{i}", D(rng.randint(-500, 100_000)) / 100) for i in range(n)]
    f = concentration_figures(rows, "contacts_revenue", "GBP")
    positive = sorted((a for _, _, a in rows if a > 0), reverse=True)
    assert f.contact_count == len(positive)
    if not positive:
        assert f.hhi is None and f.top1_share is None
        return
    assert f.total.amount == sum(positive)
    assert 1 / len(positive) - 1e-12 <= f.hhi <= 1 + 1e-12
    assert 0 < f.top1_share <= f.top5_share <= 1 + 1e-12
    assert f.top1_share == pytest.approx(float(positive[0] / sum(positive)))
    assert [t.amount.amount for t in f.top_contacts] == positive[:5]
