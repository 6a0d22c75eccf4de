"""Issue 20's attack cases against snapshots (findings 3, 4 and 7), run by ``test_corpus.py``.

Each is a crafted snapshot that used to be read outside the snapshot, or to stop the report with
exit 70 ("a bug"); each must now give exit 3 naming the file and the field or limit, or a report.
The cases that would hang or fill memory on the old code (a FIFO, a sparse file) run in a
subprocess in ``tests/core/test_snapshot_limits.py``. docs/attack-cases.md lists them all.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable
from pathlib import Path

from .cases import (
    BANK,
    CV,
    SAMPLE_LINES,
    Case,
    Report,
    account,
    manifest,
    replace_bytes,
    rewrite,
    sample_case,
    save_manifest,
)

_DEEP = b"[" * 100_000 + b"]" * 100_000
_PAYEE = b'"payee":"OLIVIA BENNETT"'


def _outside(file: str) -> Callable[[Path], None]:
    """Replace a listed file by a symlink to an identical copy outside the snapshot (the
    sha256 matches, so only where it resolves is wrong)."""

    def change(snap: Path) -> None:
        target = snap.parent / "elsewhere" / Path(file).name
        target.parent.mkdir(exist_ok=True)
        shutil.copyfile(snap / file, target)
        (snap / file).unlink()
        os.symlink(target, snap / file)

    return change


def _folder_outside(snap: Path) -> None:
    folder = snap / "bank-statements"
    target = snap.parent / "elsewhere-folder"
    shutil.move(folder, target)
    os.symlink(target, folder)


def _to_passwd(snap: Path) -> None:
    (snap / CV).unlink()
    os.symlink("/etc/passwd", snap / CV)


def _inside(snap: Path) -> None:
    """A symlink to another file inside the snapshot is no escape: read as listed."""
    copy = snap / "cash-validation-copy.json"
    shutil.copyfile(snap / CV, copy)
    (snap / CV).unlink()
    os.symlink(copy.name, snap / CV)


def _manifest_outside(snap: Path) -> None:
    target = snap.parent / "manifest-elsewhere.json"
    shutil.move(snap / "manifest.json", target)
    os.symlink(target, snap / "manifest.json")


def _manifest(**fields: object) -> Callable[[Path], None]:
    return lambda snap: save_manifest(snap, {**manifest(snap), **fields})


def _raw_manifest(old: bytes, new: bytes) -> Callable[[Path], None]:
    def change(snap: Path) -> None:
        body = (snap / "manifest.json").read_bytes()
        assert old in body, old
        (snap / "manifest.json").write_bytes(body.replace(old, new, 1))

    return change


def _first_from_date(value: str) -> Callable[[Path], None]:
    def change(snap: Path) -> None:
        data = manifest(snap)
        call = next(c for c in data["calls"] if c["endpoint"] == "/BankStatementsPlus/statements")
        call["params"]["FromDate"] = value
        data.pop("months", None)
        save_manifest(snap, data)

    return change


def _bank_bytes(old: bytes, new: bytes) -> Callable[[Path], None]:
    return lambda snap: replace_bytes(snap, BANK, old, new)


def _with_bom(snap: Path) -> None:
    rewrite(snap, CV, b"\xef\xbb\xbf" + (snap / CV).read_bytes())


def _utf16(snap: Path) -> None:
    rewrite(snap, CV, (snap / CV).read_bytes().decode("utf-8").encode("utf-16"))


def _check_whole(report: Report) -> None:
    assert account(report)["reconciliation"]["total_lines"] == SAMPLE_LINES
    assert account(report)["cross_check"]["agrees"] is True  # CashValidation read as ever


def _check_same_on_both_paths(report: Report) -> None:
    _check_whole(report)
    lines = report["bank"]["largest_manual_lines"] + report["bank"]["oldest_unreconciled_lines"]
    assert all(line.get("payee") != "X" for line in lines)


def _error(id: str, change: Callable[[Path], None], error: str, outcome: str) -> Case:
    return Case(id=id, build=sample_case(change), error=error, outcome=outcome)


_DATES = r"is outside the dates lendcheck reads \(1900-01-01 to 2199-12-31\)"

ATTACKS = [
    # --- finding 3: nothing outside the snapshot is read
    _error(
        "symlinked-file-outside",
        _outside(CV),
        rf"{CV}: resolves outside the snapshot directory",
        "exit 3: refused (was read, sha256 and all)",
    ),
    _error(
        "symlinked-folder-outside",
        _folder_outside,
        r"bank-statements/.*\.json: resolves outside the snapshot directory",
        "exit 3: refused (was read)",
    ),
    _error(
        "symlink-to-etc-passwd",
        _to_passwd,
        rf"{CV}: resolves outside the snapshot directory \(a symlink\); refused$",
        "exit 3, and no digest of the target printed (was the sha256 of /etc/passwd)",
    ),
    _error(
        "symlinked-manifest-outside",
        _manifest_outside,
        r"manifest\.json: resolves outside the snapshot directory",
        "exit 3: refused (was read)",
    ),
    Case(
        "symlink-inside-the-snapshot",
        sample_case(_inside),
        "report: a link to a file inside the snapshot is read as listed",
        check=_check_whole,
    ),
    # --- finding 7: crafted bank data is exit 3 naming file and field, never 70
    _error(
        "json-100000-deep-in-statements",
        _bank_bytes(_PAYEE, b'"payee":' + _DEEP),
        rf"{BANK}: is nested deeper than the limit of 64 levels",
        "exit 3 naming the limit (was 70, RecursionError)",
    ),
    _error(
        "json-100000-deep-in-cash-validation",
        lambda s: replace_bytes(
            s,
            CV,
            b"{",
            b'{"x":' + _DEEP + b",",
        ),
        rf"{CV}: is nested deeper than the limit of 64 levels",
        "exit 3 naming the limit (was 70)",
    ),
    _error(
        "json-100000-deep-manifest",
        _raw_manifest(b"{", b'{"x":' + _DEEP + b","),
        r"manifest\.json: is nested deeper than the limit of 64 levels",
        "exit 3 naming the limit (was 70)",
    ),
    _error(
        "5000-digit-amount",
        _bank_bytes(b'"amount":50000.0', b'"amount":' + b"9" * 5000),
        rf"{BANK}: holds an integer of 5,000 digits, over the limit of 100 digits, at "
        r"statements\.0\.statementLines\.0\.amount",
        "exit 3 naming file, field and limit (was 70, int conversion limit)",
    ),
    _error(
        "5000-digit-months",
        _raw_manifest(b'"months": 7', b'"months": ' + b"9" * 5000),
        r"manifest\.json: holds an integer of 5,000 digits, .* at months",
        "exit 3 naming the field (was 70)",
    ),
    _error(
        "lone-surrogate-payee",
        _bank_bytes(_PAYEE, b'"payee":"\\ud800"'),
        rf"{BANK}: holds text that is not valid Unicode \(a lone surrogate\) at "
        r"statements\.0\.statementLines\.0\.payee",
        "exit 3 naming file and field (was 70, UnicodeEncodeError in the frames)",
    ),
    _error(
        "statement-end-date-9999",
        _bank_bytes(b'"endDate":"2026-04-01"', b'"endDate":"9999-12-31"'),
        rf"{BANK}: statements\[0\]\.endDate 9999-12-31 {_DATES}",
        "exit 3 naming file and field (was 70, date overflow)",
    ),
    _error(
        "import-time-9999",
        _bank_bytes(b'"2026-04-02T03:57:12Z"', b'"9999-12-31T23:59:59Z"'),
        rf"{BANK}: statements\[0\]\.importedDateTimeUtc 9999-12-31 23:59:59\+00:00 {_DATES}",
        "exit 3 naming file and field",
    ),
    _error(
        "posted-date-9999",
        _bank_bytes(b'"postedDate":"2026-04-01"', b'"postedDate":"9999-12-31"'),
        rf"{BANK}: statements\[0\]\.statementLines\[0\]\.postedDate 9999-12-31 {_DATES}",
        "exit 3 naming file and field",
    ),
    _error(
        "as-of-0001-01-01",
        _manifest(as_of="0001-01-01"),
        rf"manifest\.json: as_of 0001-01-01 {_DATES}",
        "exit 3 (was 70, year 0 out of range)",
    ),
    _error(
        "as-of-9999-12-31",
        _manifest(as_of="9999-12-31", fetched_at="9999-12-31T00:00:00Z"),
        rf"manifest\.json: as_of 9999-12-31 {_DATES}",
        "exit 3 (was 70, date overflow)",
    ),
    _error(
        "months-1000000",
        _manifest(months=1_000_000),
        r"manifest\.json: months 1000000 .* over the limit of 120 months",
        "exit 3 naming the field and limit (was 70)",
    ),
    _error(
        "from-date-0001-01-01",
        _first_from_date("0001-01-01"),
        r"manifest\.json: months \d+ \(declared, or from the earliest FromDate\) is over",
        "exit 3 (months inferred from the plan's dates; was 70)",
    ),
    # --- decisions: duplicated keys are corrupt; BOM and UTF-16 are JSON the JSON module reads
    _error(
        "duplicated-key",
        lambda s: replace_bytes(s, CV, b'"statementLines":{', b'"statementLines":{"a":1,"a":2,'),
        rf"{CV}: holds the key 'a' twice in one object \(a corrupt response\)",
        "exit 3: refused as corrupt (was read silently, the last one winning)",
    ),
    Case(
        "duplicated-key-in-bank-statements",
        sample_case(_bank_bytes(_PAYEE, b'"payee":"X",' + _PAYEE)),
        "report: in BankStatementsPlus the last of a repeated key is read, on the fast path "
        "and on the models' path alike (checking would cost the fast reader seconds)",
        check=_check_same_on_both_paths,
    ),
    Case(
        "utf8-byte-order-mark",
        sample_case(_with_bom),
        "report: read as the JSON module reads it",
        check=_check_whole,
    ),
    Case(
        "utf16-response",
        sample_case(_utf16),
        "report: UTF-16 JSON read as the JSON module reads it (RFC 8259 lets readers accept it)",
        check=_check_whole,
    ),
]
