"""The fast construction of frames gives, on every committed sample, the rows a plain reading of
the models gives: one row per distinct statement line and one per payment or bank transaction,
in model order, with the same amounts, dates and line-item lists."""

from __future__ import annotations

from pathlib import Path

import pytest

from lendcheck.frames import bank_frames
from lendcheck.money import to_minor_units
from lendcheck.snapshot import load_snapshot
from lendcheck.xero import fetch_plan as fp
from lendcheck.xero.responses import bank_statements
from tests.conftest import FINANCE_SAMPLE_NAMES, GOLDEN, SAMPLES


@pytest.mark.parametrize(
    "path", [SAMPLES / n for n in FINANCE_SAMPLE_NAMES] + [GOLDEN], ids=lambda p: p.name
)
def test_frames_match_a_plain_reading_of_the_models(path: Path) -> None:
    snapshot = load_snapshot(path)
    frames = bank_frames(snapshot)
    responses = [r for r in snapshot.all_of(fp.BANK_STATEMENTS) if r.data is not None]
    responses.sort(key=lambda r: r.record.params.get("ToDate", ""), reverse=True)
    lines, links = [], []
    seen: set[str] = set()
    for response in responses:
        for statement in bank_statements(snapshot, response).statements:
            for line in statement.statement_lines:
                if line.statement_line_id in seen:
                    continue
                seen.add(line.statement_line_id)
                lines.append(
                    (
                        line.statement_line_id,
                        to_minor_units(line.amount),
                        line.transaction_date or line.posted_date,
                        line.is_reconciled,
                    )
                )
                for payment in line.payments:
                    items = payment.document.line_items if payment.document else []
                    links.append(
                        (
                            line.statement_line_id,
                            "payment",
                            [i.account_type for i in items if i.account_type],
                            [i.reporting_code for i in items if i.reporting_code],
                        )
                    )
                for bt in line.bank_transactions:
                    links.append(
                        (
                            line.statement_line_id,
                            "bank_transaction",
                            [i.account_type for i in bt.line_items if i.account_type],
                            [i.reporting_code for i in bt.line_items if i.reporting_code],
                        )
                    )
    table = frames.statement_lines.select(
        "statement_line_id", "amount", "transaction_date", "is_reconciled"
    )
    assert table.rows() == lines
    assert (
        frames.links.select(
            "statement_line_id", "link_kind", "account_types", "reporting_codes"
        ).rows()
        == links
    )
