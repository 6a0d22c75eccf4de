"""The bad-input corpus: small snapshots built at test time, each with the outcome it must get.

Every case is built by a function from the committed sample ``fernleaf-studio`` (one bank
account, 319 statement lines, 25 calls: the smallest whole snapshot) or from scratch, in a
temporary directory, so the repository holds no copies. Each case says what ``lendcheck report``
must do with it:

* **error**: exit code 3, one line naming the file (and the field, where one is at fault),
  matched by a regular expression; no report file and no temporary file in the output directory;
* **report**: exit code 0 or 1 (1 = the policy failed, which a damaged snapshot often should),
  and ``check`` asserts the specific fields: what can be computed is, what cannot is "not
  available" with a reason, and no figure is computed from the damaged data.

Never a traceback and never exit code 70 (a bug) in either case: ``test_corpus.py`` asserts it.

Duplicate statement line IDs (a decision, documented in :mod:`lendcheck.frames`): a repeat that
is the same line (same statement, every field equal) is one line delivered twice and counts
once; two *different* lines under one ID are an error naming the ID and both places, since
neither can be chosen silently and counting both would double-count.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import shutil
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from lendcheck.money import loads_exact
from lendcheck.text import clean_untrusted

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "samples" / "fernleaf-studio"
ACCOUNT = "f3f49249-dc28-4f90-a5ae-c7978306d03b"
BANK = f"bank-statements/{ACCOUNT}/2026-04-01_2026-10-31.json"
CV = "cash-validation.json"
CV_PAST = "cash-validation/as-at-2026-09-30.json"
REVENUE = "contacts-revenue/2025-11-01_2026-10-31.json"
PNL = "profit-and-loss/2025-11-01_2026-10-31.json"
AS_OF = dt.date(2026, 10, 31)
#: Statement lines of the sample (all dated on or before as_of) and its reconciled lines.
SAMPLE_LINES = 319
SAMPLE_RECONCILED = 317

Json = Any
Report = dict[str, Any]


# ---------------------------------------------------------------------------------------------
# Building blocks


def copy_sample(tmp: Path) -> Path:
    """A fresh copy of the sample snapshot in ``tmp/snap``."""
    target = tmp / "snap"
    shutil.copytree(SAMPLE, target)
    return target


def manifest(snap: Path) -> dict[str, Any]:
    return json.loads((snap / "manifest.json").read_text())


def save_manifest(snap: Path, data: dict[str, Any]) -> None:
    (snap / "manifest.json").write_text(json.dumps(data))


def rewrite(snap: Path, file: str, body: bytes, *, fix_hash: bool = True) -> None:
    """Replace a listed file's bytes; with ``fix_hash`` the manifest's sha256 follows, so the
    snapshot stays intact and only its content is bad."""
    (snap / file).write_bytes(body)
    if fix_hash:
        data = manifest(snap)
        for call in data["calls"]:
            if call["file"] == file:
                call["sha256"] = hashlib.sha256(body).hexdigest()
        save_manifest(snap, data)


def add_statements_for(snap: Path, sample: str, as_of: dt.date) -> None:
    """Add to a copy of a bundled sample the organisation calls (CashValidation, statements,
    contacts) of the fetch plan for an earlier ``as_of`` that it does not already hold, answered
    by the sample's own simulator: the snapshot then really holds that date's evidence, as a
    fetch that also asked for it would (lendcheck.report.evidence.supported_dates)."""
    from lendcheck.simulator.endpoints import respond
    from lendcheck.simulator.generate import SAMPLES, simulate
    from lendcheck.xero import fetch_plan as fp

    listing = manifest(snap)
    listed = {fp.call_key(c["endpoint"], c["params"]) for c in listing["calls"]}
    world = simulate(SAMPLES[sample])
    for i, call in enumerate(fp.organisation_calls(as_of)):
        if call.key in listed:
            continue
        status, body = respond(world, call)
        file = f"{as_of.isoformat()}/{i}.json"
        (snap / file).parent.mkdir(parents=True, exist_ok=True)
        (snap / file).write_bytes(body)
        listing["calls"].append(
            {
                "endpoint": call.endpoint,
                "params": call.params,
                "status": status,
                "file": file,
                "sha256": hashlib.sha256(body).hexdigest(),
            }
        )
    save_manifest(snap, listing)


class _Encoder(json.JSONEncoder):
    def default(self, o: object) -> object:
        if isinstance(o, Decimal):
            # Exact: every amount of the sample has at most 2 decimals and 15 digits.
            return float(o)
        return super().default(o)


def edit(snap: Path, file: str, change: Callable[[Json], Json | None]) -> None:
    """Parse a file exactly, change it in place (or return a replacement) and write it back."""
    data = loads_exact((snap / file).read_bytes())
    changed = change(data)
    rewrite(snap, file, json.dumps(data if changed is None else changed, cls=_Encoder).encode())


def replace_bytes(snap: Path, file: str, old: bytes, new: bytes) -> None:
    """Replace the first ``old`` in a file's raw bytes (for what json cannot write, e.g. NaN)."""
    body = (snap / file).read_bytes()
    assert old in body, old
    rewrite(snap, file, body.replace(old, new, 1))


def first_line(data: Json) -> dict[str, Any]:
    return data["statements"][0]["statementLines"][0]


def sample_case(*changes: Callable[[Path], None]) -> Callable[[Path], Path]:
    """A builder: copy the sample, then apply each change to the copy."""

    def build(tmp: Path) -> Path:
        snap = copy_sample(tmp)
        for change in changes:
            change(snap)
        return snap

    return build


def on_line(key: str, value: Any) -> Callable[[Path], None]:
    """Set one field of the sample's first statement line."""

    def change(snap: Path) -> None:
        edit(snap, BANK, lambda d: first_line(d).__setitem__(key, value))

    return change


def on_summary(key: str, raw: bytes) -> Callable[[Path], None]:
    """Set a field of the main CashValidation ``statementLines`` summary to raw JSON text."""

    def change(snap: Path) -> None:
        replace_bytes(snap, CV, f'"{key}":'.encode(), f'"{key}":{raw.decode()},"_was":'.encode())

    return change


def account(report: Report) -> dict[str, Any]:
    [only] = report["bank"]["accounts"]
    return only


def count_check(report: Report, name: str) -> dict[str, Any]:
    return next(c for c in account(report)["cross_check"]["counts"] if c["field"] == name)


def amount_check(report: Report, name: str) -> dict[str, Any]:
    return next(c for c in account(report)["cross_check"]["amounts"] if c["field"] == name)


def all_line_refs(report: Report) -> list[dict[str, Any]]:
    bank = report["bank"]
    refs = bank["oldest_unreconciled_lines"] + bank["largest_manual_lines"]
    refs += bank["largest_uploaded_lines"]
    return refs + [
        a["reconciliation"]["oldest_unreconciled_line"]
        for a in bank["accounts"]
        if a["reconciliation"]["oldest_unreconciled_line"]
    ]


# ---------------------------------------------------------------------------------------------
# Cases


@dataclass(frozen=True)
class Case:
    """One corpus entry.

    Attributes:
        id: short name (the pytest id).
        build: makes the snapshot under the given temporary directory; returns its path.
        error: for an error case, a regular expression the one-line message must match
            (it names the file and field); None for a report case.
        check: for a report case, assertions on the parsed ``report.json``.
        formats: ``--format`` of the run (PDF for the hostile-text cases).
        outcome: the expected outcome in words (the corpus table in the final report).
    """

    id: str
    build: Callable[[Path], Path]
    outcome: str
    error: str | None = None
    check: Callable[[Report], None] | None = None
    formats: str = "json"
    args: tuple[str, ...] = field(default=())


def _error(id: str, build: Callable[[Path], Path], error: str, outcome: str) -> Case:
    return Case(id=id, build=build, error=error, outcome=outcome)


# --- whole-snapshot damage (library-level messages are tested in tests/core/test_snapshot.py;
# these run the CLI end to end: exit code, one line, nothing written)


def _unlink(file: str) -> Callable[[Path], None]:
    return lambda snap: (snap / file).unlink()


def _manifest_field(key: str, value: Any) -> Callable[[Path], None]:
    return lambda snap: save_manifest(snap, {**manifest(snap), key: value})


ERRORS = [
    _error(
        "missing-manifest",
        sample_case(_unlink("manifest.json")),
        r"manifest\.json: missing",
        "exit 3: manifest.json missing",
    ),
    _error(
        "unknown-format-version",
        sample_case(_manifest_field("format", "lendcheck-snapshot/9")),
        r"manifest\.json: format is 'lendcheck-snapshot/9'",
        "exit 3: names the format it reads",
    ),
    _error(
        "listed-file-absent",
        sample_case(_unlink(BANK)),
        rf"{BANK}: listed in the manifest but missing",
        "exit 3: names the file",
    ),
    _error(
        "sha256-mismatch",
        sample_case(lambda s: rewrite(s, PNL, (s / PNL).read_bytes() + b" ", fix_hash=False)),
        rf"{PNL}: sha256 [0-9a-f]+ does not match",
        "exit 3: names the altered file",
    ),
    _error(
        "truncated-json",
        sample_case(lambda s: rewrite(s, BANK, (s / BANK).read_bytes()[:5000])),
        rf"{BANK}: not valid JSON",
        "exit 3: names the file (sha256 made to match)",
    ),
    _error(
        "wrong-top-level-type",
        sample_case(lambda s: rewrite(s, CV, b'{"accounts": []}')),
        rf"{CV}: /CashValidation response does not fit its model at \(top level\)",
        "exit 3: names the file and '(top level)'",
    ),
    _error(
        "money-as-string",
        sample_case(on_line("amount", "12.50")),
        rf"{BANK}: .* at statements\.0\.statementLines\.0\.amount: .*money must be a JSON "
        "number, got str",
        "exit 3: names file and field",
    ),
    _error(
        "money-null",
        sample_case(on_line("amount", None)),
        rf"{BANK}: .* at statements\.0\.statementLines\.0\.amount: .*money is required, "
        "got null",
        "exit 3: names file and field (was a misleading pydantic type message)",
    ),
    _error(
        "money-1e308",
        sample_case(lambda s: replace_bytes(s, BANK, b'"amount":', b'"amount":1e308,"_":')),
        rf"{BANK}: .* at statements\.0\.statementLines\.0\.amount: .*money out of range",
        "exit 3: names file and field",
    ),
    _error(
        "money-nan",
        sample_case(lambda s: replace_bytes(s, BANK, b'"amount":', b'"amount":NaN,"_":')),
        rf"{BANK}: not valid JSON \(NaN or Infinity, which is not a number, at "
        r"statements\.0\.statementLines\.0\.amount\)",
        "exit 3: names file and field (was 'line 1 column 1', no field)",
    ),
    _error(
        "money-infinity-in-cash-validation",
        sample_case(on_summary("totalAmount", b"-Infinity")),
        rf"{CV}: not valid JSON \(.* at 0\.bankStatement\.statementLines\.totalAmount\)",
        "exit 3: names file and field",
    ),
    _error(
        "money-three-decimals",
        sample_case(lambda s: replace_bytes(s, BANK, b'"amount":', b'"amount":12.345,"_":')),
        rf"{BANK}: statements\[0\]\.statementLines\[0\]\.amount: 12\.345 has more than two "
        "decimal places",
        "exit 3: names file and field (amounts are exact to the cent, never rounded)",
    ),
    _error(
        "date-malformed",
        sample_case(on_line("transactionDate", "2026-13-45")),
        rf"{BANK}: .* at statements\.0\.statementLines\.0\.transactionDate:",
        "exit 3: names file and field",
    ),
    _error(
        "date-as-number",
        sample_case(on_line("postedDate", 20260401)),
        rf"{BANK}: .* at statements\.0\.statementLines\.0\.postedDate:",
        "exit 3: a number is no date",
    ),
    _error(
        "as-of-after-fetch",
        sample_case(_manifest_field("as_of", "2099-12-31")),
        r"manifest\.json: as_of 2099-12-31 is after the snapshot was taken",
        "exit 3 (was a report dated 2099 with every call missing and 73-year ages)",
    ),
    _error(
        "count-1e308",
        sample_case(on_summary("unreconciledLines", b"1e308")),
        rf"{CV}: .* at 0\.bankStatement\.statementLines\.unreconciledLines: .*count out of "
        "range",
        "exit 3 (was accepted as a 309-digit integer in the cross-check)",
    ),
    _error(
        "count-as-string",
        sample_case(on_summary("reconciledLines", b'"317"')),
        rf"{CV}: .* at 0\.bankStatement\.statementLines\.reconciledLines: .*must be a JSON "
        "number, got str",
        "exit 3 (was silently coerced to 317)",
    ),
    _error(
        "age-1e400",
        sample_case(on_summary("avgDaysUnreconciledPos", b"1e400")),
        rf"{CV}: .* at 0\.bankStatement\.statementLines\.avgDaysUnreconciledPos: .*days out of "
        "range",
        "exit 3 (was 'inf' in the cross-check and Infinity in report.json)",
    ),
    _error(
        "empty-statement-line-id",
        sample_case(on_line("statementLineId", "")),
        rf"{BANK}: .* at statements\.0\.statementLines\.0\.statementLineId: .*an ID is required",
        "exit 3 (an empty ID would merge lines)",
    ),
]


# --- duplicate statement line IDs


def _duplicate_line(*, same: bool) -> Callable[[Path], None]:
    def change(data: Json) -> None:
        copy = dict(first_line(data))
        if same:
            data["statements"][0]["statementLines"].append(copy)
        else:
            copy["amount"] = Decimal("999.99")
            data["statements"][1]["statementLines"].append(copy)

    return lambda snap: edit(snap, BANK, change)


ERRORS.append(
    _error(
        "duplicate-line-id-conflicting",
        sample_case(_duplicate_line(same=False)),
        rf"{BANK}: statements\[1\]\.statementLines\[\d+\]: statement line ID [0-9a-f-]+ "
        r"also at .*statements\[0\]\.statementLines\[0\], and they differ in amount",
        "exit 3 naming the ID and both places (was: second copy silently dropped)",
    ),
)


def _check_duplicate_same(report: Report) -> None:
    rec = account(report)["reconciliation"]
    assert rec["total_lines"] == SAMPLE_LINES  # counted once, not 320
    assert count_check(report, "reconciled_lines")["agrees"] is True


# --- counts and amounts Xero gives that cannot be right


def _check_negative_count(report: Report) -> None:
    check = count_check(report, "unreconciled_lines")
    assert (check["xero"], check["recomputed"], check["difference"]) == (-5, 2, 7)
    assert check["agrees"] is False
    assert account(report)["cross_check"]["agrees"] is False
    # The past month end with the same impossible figure is dropped with its reason, not
    # turned into a share outside [0, 1] or a negative mean.
    [point] = [p for p in account(report)["cadence"]["points"] if p["month_end"] == "2026-09-30"]
    assert point["not_available"] and "unreconciledLines -5" in point["not_available"]
    assert point["reconciled_share_by_count"] is None
    cadence = account(report)["cadence"]
    assert cadence["mean_unreconciled_lines"] >= 0 and cadence["max_unreconciled_lines"] >= 0


def _negative_counts(snap: Path) -> None:
    on_summary("unreconciledLines", b"-5")(snap)
    replace_bytes(snap, CV_PAST, b'"unreconciledLines":', b'"unreconciledLines":-5,"_":')


def _check_xero_amount_null(report: Report) -> None:
    total = amount_check(report, "total_amount")
    assert total["xero"] is None and total["difference"] is None
    assert total["recomputed"]["amount"] == "125740.17"  # lendcheck's own figure stands
    assert total["agrees"] is False


# --- dates


def _future_line(snap: Path) -> None:
    def change(data: Json) -> None:
        last = data["statements"][-1]["statementLines"][-1]
        last["transactionDate"] = last["postedDate"] = "2030-01-01"

    edit(snap, BANK, change)


def _check_future_line(report: Report) -> None:
    rec = account(report)["reconciliation"]
    assert rec["total_lines"] == SAMPLE_LINES - 1  # dated after as_of: not in the as-of figures
    assert rec["latest_reconciled_transaction"] <= AS_OF.isoformat()
    # Xero still counts it: the cross-check shows the line, it is not silently lost.
    assert count_check(report, "reconciled_lines")["difference"] == -1
    assert all(ref["age_days"] is None or ref["age_days"] >= 0 for ref in all_line_refs(report))


# --- statement shapes


def _empty_statement(snap: Path) -> None:
    edit(snap, BANK, lambda d: d["statements"][3]["statementLines"].clear())


def _check_empty_statement(report: Report) -> None:
    rec = account(report)["reconciliation"]
    assert rec["total_lines"] == SAMPLE_LINES - 5  # statement 3 held 5 lines
    assert count_check(report, "reconciled_lines")["difference"] == -5
    assert rec["not_available"] is None


#: Lines of the one big statement; every LARGE_UNRECONCILED_EVERY-th line is unreconciled.
LARGE_LINES = 200_000
LARGE_UNRECONCILED_EVERY = 1000


def _large_amount(i: int) -> Decimal:
    return Decimal((i * 7919) % 200_001 - 100_000) / 100


def _large_statement(snap: Path) -> None:
    lines = []
    first = dt.date(2026, 4, 1)
    for i in range(LARGE_LINES):
        day = (first + dt.timedelta(days=i % 213)).isoformat()
        lines.append(
            {
                "statementLineId": f"00000000-0000-4000-8000-{i:012d}",
                "postedDate": day,
                "transactionDate": day,
                "payee": f"PAYEE {i % 97}",
                "amount": _large_amount(i),
                "isReconciled": i % LARGE_UNRECONCILED_EVERY != 0,
            }
        )

    def change(data: Json) -> None:
        big = data["statements"][0]
        big["endDate"] = "2026-10-30"
        big["statementLines"] = lines
        data["statements"] = [big]

    edit(snap, BANK, change)


def _check_large_statement(report: Report) -> None:
    rec = account(report)["reconciliation"]
    unreconciled = LARGE_LINES // LARGE_UNRECONCILED_EVERY
    assert rec["total_lines"] == LARGE_LINES
    assert (rec["reconciled_lines"], rec["unreconciled_lines"]) == (
        LARGE_LINES - unreconciled,
        unreconciled,
    )
    amounts = [_large_amount(i) for i in range(LARGE_LINES)]
    unrec = [a for i, a in enumerate(amounts) if i % LARGE_UNRECONCILED_EVERY == 0]
    assert Decimal(rec["total_amount"]["amount"]) == sum(amounts)
    assert Decimal(rec["unreconciled_amount_pos"]["amount"]) == sum(a for a in unrec if a > 0)
    assert Decimal(rec["unreconciled_amount_neg"]["amount"]) == sum(a for a in unrec if a < 0)
    assert len(report["bank"]["oldest_unreconciled_lines"]) == unreconciled


# --- hostile text (rendered to PDF too)

RTL_PAYEE = "\u202egnp.exe שלום مرحبا \U0001f600 <b>bold</b>\x00\x1b[31m"
LONG_REFERENCE = "R" * 10_000
HOSTILE_CONTACT = "<script>alert(1)</script>\x07\x1b[2J Ev\u202eil & Co"
HOSTILE_LINES = 3


def _hostile(snap: Path) -> None:
    def lines(data: Json) -> None:
        latest = [ln for st in data["statements"][-3:] for ln in st["statementLines"]]
        for line in latest[:HOSTILE_LINES]:
            line["payee"] = RTL_PAYEE
            line["reference"] = LONG_REFERENCE
            line["isReconciled"] = False
            for bt in line.get("bankTransactions", []):
                if bt.get("contact"):
                    bt["contact"]["contactName"] = HOSTILE_CONTACT

    def contacts(data: Json) -> None:
        for contact in data["contacts"]:
            contact["name"] = HOSTILE_CONTACT

    edit(snap, BANK, lines)
    edit(snap, REVENUE, contacts)


def _check_hostile(report: Report) -> None:
    hostile = [
        r
        for r in report["bank"]["oldest_unreconciled_lines"]
        if r["payee"] and "gnp.exe" in r["payee"]
    ]
    assert len(hostile) == HOSTILE_LINES  # the lines are counted and listed, text and all
    for ref in hostile:
        assert clean_untrusted(ref["payee"]) == clean_untrusted(RTL_PAYEE)
        assert ref["reference"].startswith("R" * 100)
    assert account(report)["reconciliation"]["unreconciled_lines"] == 2 + HOSTILE_LINES


# --- missing parts


def _empty_organisation(snap: Path) -> None:
    data = manifest(snap)
    data["calls"] = [c for c in data["calls"] if c["endpoint"] != "/BankStatementsPlus/statements"]
    save_manifest(snap, data)
    for call in data["calls"]:
        if call["endpoint"] == "/CashValidation":
            rewrite(snap, call["file"], b"[]")


def _check_empty_organisation(report: Report) -> None:
    bank = report["bank"]
    assert bank["accounts"] == [] and bank["oldest_unreconciled_lines"] == []
    overall = bank["overall"]
    assert (overall["accounts"], overall["total_lines"]) == (0, 0)
    assert overall["reconciled_share_by_count"] is None  # not 0, not 1
    assert overall["data_confidence"]["data_confidence_score"] is None
    assert overall["data_confidence"]["not_available"]
    assert report["applicant"]["base_currency"] == ""
    assert report["inputs"]["missing"] == []  # no account, so no statement call is due
    # What does not depend on the bank is still computed.
    revenue = report["financials"]["profit_and_loss"]["current"]["revenue"]
    assert revenue == {"amount": "180027.16", "currency": ""}  # no account: no currency known
    # The default policy does not let missing bank data pass as clean data.
    flags = {(f["rule_id"], f["severity"]) for f in report["verdict"]["flags"]}
    assert ("no_bank_data", "red") in flags
    assert report["verdict"]["data_confidence"]["grade"] == "D"


def _statements_refused(snap: Path) -> None:
    data = manifest(snap)
    problem = json.dumps(
        {"title": "Internal Server Error", "status": 500, "detail": "statement service unavailable"}
    ).encode()
    for call in data["calls"]:
        if call["endpoint"] == "/BankStatementsPlus/statements":
            (snap / call["file"]).unlink()
            call.update(
                status=500,
                file="bank-statements.problem.json",
                sha256=hashlib.sha256(problem).hexdigest(),
            )
    (snap / "bank-statements.problem.json").write_bytes(problem)
    save_manifest(snap, data)


def _check_statements_refused(report: Report) -> None:
    acc = account(report)
    assert acc["in_bank_statements"] is False and acc["in_cash_validation"] is True
    rec = acc["reconciliation"]
    assert rec["total_lines"] == 0
    assert rec["not_available"] == "no statement lines dated on or before as_of"
    assert rec["reconciled_share_by_count"] is None
    [missing] = [
        m for m in report["inputs"]["missing"] if m["endpoint"] == "/BankStatementsPlus/statements"
    ]
    assert missing["reason"] == "Xero answered 500: statement service unavailable"
    # Xero's own figures are still set beside the (absent) lines: every one disagrees.
    assert acc["cross_check"]["agrees"] is False


OTHER_ACCOUNT = "00000000-0000-4000-8000-000000000bad"


def _other_account(snap: Path) -> None:
    edit(snap, BANK, lambda d: d.__setitem__("bankAccountId", OTHER_ACCOUNT))


def _check_other_account(report: Report) -> None:
    accounts = {a["bank_account_id"]: a for a in report["bank"]["accounts"]}
    asked, other = accounts[ACCOUNT], accounts[OTHER_ACCOUNT]
    # The lines stay with the account the response names, and both sides of the mismatch
    # are visible: the asked account has no statements, the other is unknown to Xero's
    # CashValidation, so neither is cross-checked as if it agreed.
    assert (asked["in_bank_statements"], asked["in_cash_validation"]) == (False, True)
    assert (other["in_bank_statements"], other["in_cash_validation"]) == (True, False)
    assert asked["reconciliation"]["total_lines"] == 0
    assert other["reconciliation"]["total_lines"] == SAMPLE_LINES
    assert asked["cross_check"]["agrees"] is False
    assert other["cross_check"]["not_available"] == "account absent from CashValidation"


REPORTS = [
    Case(
        "statements-of-another-account",
        sample_case(_other_account),
        "report; the lines stay under the account the response names, the asked account "
        "shows no statements and disagrees with Xero, the other is not in CashValidation",
        check=_check_other_account,
    ),
    Case(
        "duplicate-line-id-identical",
        sample_case(_duplicate_line(same=True)),
        "report; the repeated line counts once",
        check=_check_duplicate_same,
    ),
    Case(
        "negative-count",
        sample_case(_negative_counts),
        "report; cross-check shows Xero's -5 and the difference; the cadence point with -5 "
        "is not available with its reason (was a share outside [0, 1])",
        check=_check_negative_count,
    ),
    Case(
        "xero-amount-null",
        sample_case(on_summary("totalAmount", b"null")),
        "report; cross-check shows Xero's figure as missing, lendcheck's stands",
        check=_check_xero_amount_null,
    ),
    Case(
        "line-dated-in-the-future",
        sample_case(_future_line),
        "report; the 2030 line is left out of the as-of figures, the cross-check shows it",
        check=_check_future_line,
    ),
    Case(
        "statement-with-zero-lines",
        sample_case(_empty_statement),
        "report; counts exclude the emptied statement, cross-check shows -5",
        check=_check_empty_statement,
    ),
    Case(
        "200k-lines-one-statement",
        sample_case(_large_statement),
        "report; exact counts and Decimal sums over 200,000 lines",
        check=_check_large_statement,
    ),
    Case(
        "hostile-text",
        sample_case(_hostile),
        "report with PDF; RTL/unicode kept, bidi overrides and control characters stripped, "
        "10,000-character references capped, HTML shown as text",
        check=_check_hostile,
        formats="json,html,pdf",
    ),
    Case(
        "empty-organisation",
        sample_case(_empty_organisation),
        "report with PDF; no accounts, bank figures not available, financials computed",
        check=_check_empty_organisation,
        formats="json,html,pdf",
    ),
    Case(
        "statements-refused",
        sample_case(_statements_refused),
        "report; reconciliation not available, the refused calls named with Xero's reason",
        check=_check_statements_refused,
    ),
]

CASES: list[Case] = ERRORS + REPORTS
