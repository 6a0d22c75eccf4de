"""The one-screen summary ``lendcheck report`` prints after writing the files."""

from __future__ import annotations

from pathlib import Path

from lendcheck.formatting import isodate, money, number, ratio, share
from lendcheck.report import Report
from lendcheck.text import clean_untrusted

#: Flags listed on screen (all of them are in the report).
MAX_FLAGS_SHOWN = 8


def summary_lines(report: Report, paths: dict[str, Path]) -> list[str]:
    """The verdict, key figures, flags and where the files are, as lines of text.

    Values come from the report as they are; "—" marks a figure that is not available.
    """
    fin = report.financials
    bank = report.bank
    pnl, bs = fin.profit_and_loss, fin.balance_sheet
    overall = bank.overall
    primary = overall.by_currency[0] if overall.by_currency else None
    agrees = overall.cross_check_agrees
    rows = [
        (
            "Period",
            f"{isodate(report.period.start)} to {isodate(report.period.end)} "
            f"(bank statements from {isodate(report.period.statements_from)})",
        ),
        (
            "Revenue",
            f"{money(pnl.current.revenue if pnl.current else None)}"
            f" (previous {money(pnl.previous.revenue if pnl.previous else None)})",
        ),
        (
            "Net profit",
            f"{money(pnl.current.net_profit if pnl.current else None)}"
            f" (net margin {share(pnl.current.net_margin if pnl.current else None)})",
        ),
        (
            "Cash",
            f"{money(bs.current.cash if bs.current else None)}"
            f" (current ratio {ratio(bs.current.current_ratio if bs.current else None)})",
        ),
        (
            "Bank accounts",
            f"{overall.accounts} with {number(overall.total_lines)} statement lines, "
            f"{share(overall.reconciled_share_by_count)} reconciled; "
            f"{number(overall.unreconciled_lines)} unreconciled "
            f"({number(overall.unreconciled_lines_over_90_days)} over 90 days)",
        ),
        (
            "Bank data",
            f"feed-verified coverage "
            f"{share(primary.feed_verified_coverage.feed_verified_coverage if primary else None)}"
            f", data confidence {ratio(overall.data_confidence.data_confidence_score)}",
        ),
        (
            "Xero cross-check",
            "not checked: " + overall.not_available.get("cross_check_agrees", "")
            if agrees is None
            else ("agrees" if agrees else f"{overall.cross_check_differences} differences")
            + (
                f" ({overall.cross_check_accounts_not_checked} accounts not checked)"
                if overall.cross_check_accounts_not_checked
                else ""
            ),
        ),
    ]
    if fin.loan is not None:
        rows.append(
            ("DSCR", f"{ratio(fin.loan.dscr)} (bank-verified {ratio(fin.loan.bank_verified_dscr)})")
        )
    failed = [c.id for c in fin.integrity_checks if c.passed is False]
    passed = sum(c.passed is True for c in fin.integrity_checks)
    unchecked = sum(c.passed is None for c in fin.integrity_checks)
    rows.append(
        (
            "Integrity checks",
            f"{passed} passed, {len(failed)} failed"
            + (f" ({', '.join(failed)})" if failed else "")
            + f", {unchecked} not checked",
        )
    )
    evidence = report.evidence
    rows.append(
        (
            "Evidence",
            f"completeness {share(evidence.completeness)}: {evidence.questions_answered} of "
            f"12 questions answered, {evidence.questions_partly_answered} partly, "
            f"{evidence.questions_not_answered} not",
        )
    )
    missing = report.inputs.missing
    rows.append(
        (
            "Not available",
            f"{len(missing)} planned API calls (see the report)"
            if missing
            else "nothing: every planned call is present",
        )
    )
    verdict = report.verdict
    rows.insert(
        0,
        (
            "Verdict",
            f"grade {verdict.overall.grade}, data confidence {verdict.data_confidence.grade}: "
            f"{verdict.overall.red} red, {verdict.overall.amber} amber flags "
            f"({report.policy.name} {report.policy.version})",
        ),
    )
    name = clean_untrusted(report.applicant.tenant_name, 80)
    lines = [f"{name}: report as of {isodate(report.as_of)}"]
    lines += [f"  {label:<17} {value}" for label, value in rows]
    shown = verdict.flags[:MAX_FLAGS_SHOWN]
    lines += [
        f"  {flag.severity.upper():<5} {clean_untrusted(flag.message, 110)}" for flag in shown
    ]
    if len(verdict.flags) > len(shown):
        lines.append(f"  ... and {len(verdict.flags) - len(shown)} more flags in the report")
    lines.append("Written: " + ", ".join(str(p) for p in paths.values()))
    return lines
