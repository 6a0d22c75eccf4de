"""Reading snapshots: whole and unaltered, or a clear error naming the file (exit code 3)."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from lendcheck.errors import SnapshotError
from lendcheck.frames import StatementFrames
from lendcheck.snapshot import SnapshotWriter, load_snapshot
from lendcheck.xero import fetch_plan as fp
from lendcheck.xero.models import Cashflow, CashValidationAccount
from lendcheck.xero.responses import bank_statements
from tests.conftest import SAMPLES
from tests.corpus.cases import manifest, rewrite, save_manifest

AS_OF = date(2026, 10, 31)
ACCOUNT = "4f1c2a9e-0000-4000-8000-000000000001"
CV_CALL = fp.organisation_calls(AS_OF)[0]
BS_CALL = fp.bank_statement_calls(AS_OF, [ACCOUNT])[0]
CF_CALL = next(c for c in fp.organisation_calls(AS_OF) if c.endpoint == fp.CASHFLOW)

CV_BODY = json.dumps(
    [
        {
            "accountId": ACCOUNT.upper(),
            "statementBalance": {"value": 1250.5, "type": "DEBIT"},
            "bankStatement": {"statementLines": {"unreconciledLines": 1, "totalAmount": 1250.5}},
        }
    ]
).encode()
BANK_BODY = json.dumps(
    {
        "bankAccountId": ACCOUNT,
        "bankAccountName": "Business Current",
        "bankAccountCurrencyCode": "GBP",
        "statements": [
            {
                "statementId": "5b2c0000-0000-4000-8000-000000000001",
                "importSource": "STMTIMPORTSRC/CSV",
                "statementLines": [
                    {
                        "statementLineId": "6c3d0000-0000-4000-8000-000000000001",
                        "amount": 1250.5,
                        "transactionDate": "2026-10-01",
                        "isReconciled": False,
                    },
                ],
            }
        ],
    }
).encode()
PROBLEM_BODY = json.dumps(
    {
        "type": "invalid-request",
        "title": "InvalidRequest",
        "status": 400,
        "detail": "Cashflow statement is not available in US region",
    }
).encode()


def _write(directory: Path) -> Path:
    with SnapshotWriter(directory) as writer:
        writer.add(CV_CALL, 200, CV_BODY)
        writer.add(BS_CALL, 200, BANK_BODY)
        writer.add(CF_CALL, 400, PROBLEM_BODY)
        return writer.finish(
            tenant_id="t-1",
            tenant_name="Test Ltd",
            as_of=AS_OF,
            fetched_at="2026-11-01T09:00:00Z",
            source="test",
        )


@pytest.fixture()
def snapshot_dir(tmp_path: Path) -> Path:
    return _write(tmp_path / "snap")


def test_round_trip(snapshot_dir: Path) -> None:
    snap = load_snapshot(snapshot_dir)
    assert (snap.tenant_name, snap.as_of, snap.months) == ("Test Ltd", AS_OF, 12)
    assert [c.endpoint for c in snap.calls] == [fp.CASH_VALIDATION, fp.BANK_STATEMENTS, fp.CASHFLOW]
    [account] = snap.of(CV_CALL).data
    assert account.account_id == ACCOUNT
    statements = bank_statements(snap, snap.of(BS_CALL)).statements
    assert str(statements[0].statement_lines[0].amount) == "1250.5"
    refused = snap.of(CF_CALL)
    assert refused.data is None
    assert refused.reason == "Xero answered 400: Cashflow statement is not available in US region"
    assert snap.get(fp.PROFIT_AND_LOSS, {"startDate": "x"}) is None
    assert len(snap.input_digest) == 64


def test_data_is_taken_as_the_shape_its_parser_makes(snapshot_dir: Path) -> None:
    """Readers say what shape they expect; another shape is a defect named with the file."""
    snap = load_snapshot(snapshot_dir)
    cash_validation, statements, refused = snap.of(CV_CALL), snap.of(BS_CALL), snap.of(CF_CALL)
    [account] = cash_validation.items_as(CashValidationAccount)
    assert account.account_id == ACCOUNT
    frames = statements.data_as(StatementFrames)
    assert frames is not None
    assert frames.statement_lines["amount"].to_list() == [1_250_500]  # 1250.5 in thousandths
    # a refused call has no data, whatever shape is asked for
    assert refused.data_as(Cashflow) is None
    assert refused.items_as(CashValidationAccount) is None
    with pytest.raises(TypeError, match=r"cash-validation.*: list where Cashflow was expected"):
        cash_validation.data_as(Cashflow)
    with pytest.raises(TypeError, match="not a list of Cashflow"):
        cash_validation.items_as(Cashflow)
    with pytest.raises(TypeError, match="StatementFrames where list was expected"):
        statements.items_as(CashValidationAccount)


def test_digest_depends_on_content_only(tmp_path: Path) -> None:
    assert (
        load_snapshot(_write(tmp_path / "a")).input_digest
        == load_snapshot(_write(tmp_path / "b")).input_digest
    )


def test_writer_leaves_nothing_on_failure(tmp_path: Path) -> None:
    target = tmp_path / "snap"
    with pytest.raises(RuntimeError), SnapshotWriter(target) as writer:
        writer.add(CV_CALL, 200, CV_BODY)
        raise RuntimeError("network dropped")
    assert not target.exists()
    assert list(tmp_path.iterdir()) == []


def test_writer_refuses_a_non_empty_directory(snapshot_dir: Path) -> None:
    with pytest.raises(SnapshotError, match="not empty"):
        SnapshotWriter(snapshot_dir)


BANK_FILE = BS_CALL.file_name()


@pytest.mark.parametrize(
    ("damage", "expected"),
    [
        (lambda d: (d / "manifest.json").unlink(), r"manifest\.json: missing"),
        (lambda d: (d / "manifest.json").write_text("{"), r"manifest\.json: not valid JSON"),
        (
            lambda d: (d / "manifest.json").write_text("[]"),
            r"manifest\.json: must be a JSON object",
        ),
        (
            lambda d: save_manifest(d, {**manifest(d), "format": "lendcheck-snapshot/2"}),
            r"format is 'lendcheck-snapshot/2'",
        ),
        (lambda d: save_manifest(d, {**manifest(d), "as_of": "31/10/2026"}), r"as_of must be"),
        (lambda d: (d / BANK_FILE).unlink(), rf"{BANK_FILE}: listed in the manifest but missing"),
        (
            lambda d: (d / BANK_FILE).write_bytes(BANK_BODY.replace(b"1250.5", b"9250.5")),
            rf"{BANK_FILE}: sha256 .* does not match",
        ),
        (lambda d: rewrite(d, BANK_FILE, BANK_BODY[:40]), rf"{BANK_FILE}: not valid JSON"),
        (
            lambda d: rewrite(d, BANK_FILE, b"[1, 2]"),
            rf"{BANK_FILE}: /BankStatementsPlus/statements response does not fit its model",
        ),
        (
            lambda d: rewrite(d, BANK_FILE, BANK_BODY.replace(b'"amount": 1250.5, ', b"")),
            rf"{BANK_FILE}: .* at statements\.0\.statementLines\.0\.amount: Field required",
        ),
        (
            lambda d: save_manifest(
                d,
                {
                    **manifest(d),
                    "calls": [{**manifest(d)["calls"][0], "file": "../../etc/passwd"}],
                },
            ),
            r"points outside the snapshot",
        ),
        (
            lambda d: save_manifest(d, {**manifest(d), "calls": [manifest(d)["calls"][0]] * 2}),
            r"listed twice",
        ),
    ],
    ids=[
        "no-manifest",
        "manifest-not-json",
        "manifest-not-object",
        "unknown-format",
        "bad-as-of",
        "file-missing",
        "file-altered",
        "truncated-json",
        "wrong-top-level-type",
        "line-without-amount",
        "path-escape",
        "duplicate-call",
    ],
)
def test_bad_snapshots_give_clear_errors(snapshot_dir: Path, damage, expected: str) -> None:
    damage(snapshot_dir)
    with pytest.raises(SnapshotError, match=expected) as info:
        load_snapshot(snapshot_dir)
    assert info.value.exit_code == 3


def test_not_a_directory(tmp_path: Path) -> None:
    with pytest.raises(SnapshotError, match="not a directory"):
        load_snapshot(tmp_path / "nowhere")


def test_unknown_manifest_fields_are_ignored(snapshot_dir: Path) -> None:
    save_manifest(snapshot_dir, {**manifest(snapshot_dir), "future_field": {"x": 1}})
    assert load_snapshot(snapshot_dir).tenant_id == "t-1"


def test_the_old_import_paths_give_the_one_loader() -> None:
    """``from lendcheck.snapshot import load_snapshot`` (the path before the snapshot became a
    package that imports no model) and the package root name the loader of lendcheck.frames."""
    import lendcheck
    import lendcheck.snapshot
    from lendcheck.frames import bank_frames
    from lendcheck.frames.load import load_snapshot as loader

    assert lendcheck.snapshot.load_snapshot is loader
    assert lendcheck.load_snapshot is loader
    snapshot = lendcheck.snapshot.load_snapshot(SAMPLES / "fernleaf-studio")
    assert bank_frames(snapshot).statement_lines.height == 319
