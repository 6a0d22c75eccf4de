"""The Report model, single source of every output, and :func:`build_report`.

``report.json`` is the Report's dump; ``report.html`` and ``report.pdf`` render it. Building a
report is pure: snapshot (already verified and parsed) in, Report out; no clock, no I/O.
"""

from __future__ import annotations

import hashlib
from datetime import date
from functools import cache

from pydantic import Field

from lendcheck import __version__
from lendcheck.errors import UsageError
from lendcheck.frames import bank_frames
from lendcheck.frames.accounting import read_books
from lendcheck.metrics._common import line_classes
from lendcheck.metrics.accounting import AccountingAnalysis, analyse_accounting, report_source
from lendcheck.metrics.analysis import (
    CurrencyBasis,
    FinancialAnalysis,
    LoanTerms,
    analyse_financials,
)
from lendcheck.metrics.behaviour import BehaviourAnalysis, analyse_behaviour
from lendcheck.metrics.monthly_pnl import monthly_pnl_frame
from lendcheck.policy.engine import evaluate
from lendcheck.policy.model import LoadedPolicy, load_policy
from lendcheck.policy.registry import metric_registry
from lendcheck.policy.verdict import PolicyInfo, Verdict
from lendcheck.report.accounting_statements import (
    EVIDENCE_NOT_IN_ACCOUNTING,
    NO_STATEMENT_LINES,
    accounting_inputs,
    monthly_statements,
)
from lendcheck.report.bank import BankAnalysis, analyse_bank
from lendcheck.report.evidence import (
    Evidence,
    Matched,
    evidence_summary,
    match_evidence,
    missing_reason,
    monthly_pnl_responses,
    statements_covered,
    supported_dates,
)
from lendcheck.report.inputs import answered_by_accounting, base_currency, financial_inputs
from lendcheck.report_types import ReportModel
from lendcheck.snapshot import FORMAT, Snapshot
from lendcheck.xero import accounting_plan
from lendcheck.xero import fetch_plan as fp
from lendcheck.xero.models import CashValidationAccount, ProfitAndLoss

#: Version of the report.json contract (semver; 0.x while the contract settles: see
#: docs/report-json.md).
SCHEMA_VERSION = "0.24.0"


class Applicant(ReportModel):
    """The Xero organisation the report is about.

    Attributes:
        tenant_id: Xero tenant (organisation) ID.
        tenant_name: the organisation's name as Xero gives it (untrusted text).
        base_currency: the organisation's base currency, the one its financial statements are
            in: ``/Organisation`` ``BaseCurrency`` when the snapshot holds that call, else the
            currency of the bank accounts whose balance is the same in the balance sheet as in
            their own currency (CashValidation); "" when neither establishes it
            (:func:`lendcheck.report.inputs.base_currency`).
        base_currency_basis: ``organisation`` or ``financial_statements``: which of the two
            established it; None when it is unknown.
        not_available: ``base_currency`` -> why it could not be established.
    """

    tenant_id: str
    tenant_name: str
    base_currency: str
    base_currency_basis: CurrencyBasis | None = None
    not_available: dict[str, str] = Field(default_factory=dict)


class Period(ReportModel):
    """The dates a report covers (all inclusive).

    Attributes:
        start, end: the current 12-month period (P&L, cash flow, contacts).
        previous_start, previous_end: the 12 months before.
        statements_from, statements_to: the span of the bank statement windows.
        months: months of bank statements the plan covers.
    """

    start: date
    end: date
    previous_start: date
    previous_end: date
    statements_from: date
    statements_to: date
    months: int


class InputCall(ReportModel):
    """One API response the report was computed from, traceable to its bytes."""

    endpoint: str
    params: dict[str, str]
    status: int
    file: str
    sha256: str


class MissingCall(ReportModel):
    """A call of the fetch plan the report lacks, and why (absent, or refused by Xero)."""

    endpoint: str
    params: dict[str, str]
    reason: str


class Inputs(ReportModel):
    """Provenance: the snapshot and every call in it.

    Attributes:
        snapshot_format: ``lendcheck-snapshot/1``.
        source: who took the snapshot (``xero``, ``simulator``).
        fetched_at: when it was taken, as recorded in the manifest (UTC).
        input_digest: sha256 over the manifest-listed files (:attr:`Snapshot.input_digest`).
        calls: every call of the manifest, sorted by endpoint then file.
        missing: planned calls absent from the snapshot or refused by Xero, in plan order.
    """

    snapshot_format: str
    source: str
    fetched_at: str
    input_digest: str
    calls: list[InputCall]
    missing: list[MissingCall]


class Report(ReportModel):
    """The credit-assessment report of one applicant.

    Attributes:
        schema_version: version of this contract (:data:`SCHEMA_VERSION`).
        report_id: ``lc-`` + 24 hex digits of sha256 over the input digest, schema and tool
            versions, ``as_of`` and the options; the same inputs give the same ID.
        lendcheck_version: the version of lendcheck that wrote the report.
        applicant: the organisation.
        as_of: the report date.
        period: the dates covered.
        policy: the lender policy the report was judged by.
        verdict: the policy's flags and grades.
        bank: reconciliation quality and data-source confidence per bank account.
        financials: financial analysis (P&L, balance sheet, cash flow, concentration...).
        evidence: which of the report's questions the snapshot answers, with which response
            and period, and the evidence completeness.
        accounting: the Accounting API's figures and the source the report rests on; None
            when the snapshot holds no Accounting API call (a Finance API report).
        behaviour: trends and behaviour signals (monthly series, daily balances, returned
            payments, debt service seen in the bank, tax arrears, hygiene).
        inputs: provenance of every figure.
    """

    schema_version: str = SCHEMA_VERSION
    report_id: str
    lendcheck_version: str
    applicant: Applicant
    as_of: date
    period: Period
    policy: PolicyInfo
    verdict: Verdict
    bank: BankAnalysis
    financials: FinancialAnalysis
    evidence: Evidence
    accounting: AccountingAnalysis | None
    behaviour: BehaviourAnalysis
    inputs: Inputs = Field(repr=False)


def _missing(
    snapshot: Snapshot,
    plan: list[fp.PlannedCall],
    matched: Matched,
    covered: frozenset[tuple[str, tuple[tuple[str, str], ...]]],
) -> list[MissingCall]:
    """Planned calls whose question nothing in the snapshot answers
    (:mod:`lendcheck.report.evidence`); a call another response answers is not missing."""
    missing = []
    for call in plan:
        answer = matched.answers_call(call)
        if answer is not None:
            if answer.response is None:
                missing.append(
                    MissingCall(endpoint=call.endpoint, params=call.params, reason=answer.reason)
                )
            continue
        if call.key in covered:
            continue
        response = snapshot.of(call)
        if response is None:
            missing.append(
                MissingCall(
                    endpoint=call.endpoint, params=call.params, reason="not in the snapshot"
                )
            )
        elif response.data is None:
            missing.append(
                MissingCall(endpoint=call.endpoint, params=call.params, reason=response.reason)
            )
    return missing


def report_id(input_digest: str, as_of: date, options: str = "") -> str:
    """Deterministic report ID: ``lc-`` and 24 hex digits of a sha256 over its inputs."""
    material = "\n".join([input_digest, SCHEMA_VERSION, __version__, as_of.isoformat(), options])
    return "lc-" + hashlib.sha256(material.encode()).hexdigest()[:24]


@cache
def report_metrics() -> dict[str, dict[str, str]]:
    """The metric names a policy may use: :func:`metric_registry` of :class:`Report`."""
    return metric_registry(Report)


def load_report_policy(path: str | None = None) -> LoadedPolicy:
    """Load a policy file (None: the default policy) validated against the Report's metrics.

    Raises:
        PolicyError: the file is unreadable or invalid (exit code 2).
    """
    return load_policy(path, report_metrics())


def build_report(
    snapshot: Snapshot,
    as_of: date | None = None,
    loan: LoanTerms | None = None,
    policy: LoadedPolicy | None = None,
) -> Report:
    """Compute the report of a snapshot.

    Args:
        snapshot: a verified, parsed snapshot (:func:`lendcheck.snapshot.load_snapshot`).
        as_of: the report date; defaults to the snapshot's. The fetch plan at this date names
            the calls the report uses; statement lines dated after it are left out.
        loan: optional loan terms for the repayment and DSCR.
        policy: the lender's policy (default: the policy shipped with lendcheck); its
            confidence weights feed the data confidence score and its rules make the verdict.

    Raises:
        UsageError: ``as_of`` is after the snapshot's date (its data cannot reach that far),
            or earlier and not one of :func:`lendcheck.report.evidence.supported_dates` (the report
            would lack evidence the snapshot holds only for its own date); the message names
            the dates it supports.
    """
    as_of = as_of or snapshot.as_of
    if as_of > snapshot.as_of:
        raise UsageError(
            f"--as-of {as_of} is after the snapshot's date {snapshot.as_of}: a report cannot "
            "be dated after its data; fetch a new snapshot"
        )
    if as_of < snapshot.as_of:
        supported = supported_dates(snapshot)
        if as_of not in supported:
            raise UsageError(
                f"--as-of {as_of}: the snapshot does not hold the statements for that date "
                "(balance sheet, P&L, CashValidation... as it holds them for its own date), so "
                "the report would show evidence the option removed as missing; report dates "
                f"this snapshot supports: {', '.join(d.isoformat() for d in supported)}; "
                "fetch a snapshot at the date you need (lendcheck fetch --as-of)"
            )
    months = snapshot.months
    org_calls = fp.organisation_calls(as_of, months)
    matched = match_evidence(snapshot, as_of, months)
    main_cv = matched.answers["cash_validation"]
    cash_validation = (
        main_cv.response.items_as(CashValidationAccount) if main_cv.response is not None else None
    )
    # an answer's response holds data (lendcheck.report.evidence picks successful ones only)
    cadence = {
        month_end: accounts
        for month_end, answer in matched.cadence.items()
        if answer.response is not None
        and (accounts := answer.response.items_as(CashValidationAccount)) is not None
    }
    account_ids = [a.account_id for a in cash_validation or []]
    if not account_ids:  # no CashValidation: ask the plan for the accounts the statements name
        account_ids = sorted(
            {r.record.params.get("BankAccountID", "") for r in snapshot.all_of(fp.BANK_STATEMENTS)}
            - {""}
        )
    statement_calls = fp.bank_statement_calls(as_of, account_ids, months)
    covered = statements_covered(snapshot, statement_calls)
    apis = snapshot.apis()
    plan: list[fp.PlannedCall] = []
    if fp.FINANCE_API in apis or not apis:
        plan += org_calls + statement_calls
    if fp.ACCOUNTING_API in apis:
        plan += accounting_plan.fixed_calls(as_of) + accounting_plan.first_pages(as_of, months)
    policy = policy or load_report_policy()

    frames = bank_frames(snapshot, as_of)
    # the statement lines' classes, made once for the bank figures and the monthly trends
    classes = line_classes(frames.statement_lines, as_of).collect()
    source = report_source(apis)
    bank = analyse_bank(
        frames,
        cash_validation,
        cadence,
        as_of,
        policy.policy.confidence_weights,
        begin_date=main_cv.start or fp.statements_start(as_of, months),
        whole_history=main_cv.response is not None and main_cv.start is None,
        statements_from=fp.statements_start(as_of, months),
        no_accounts_reason=NO_STATEMENT_LINES if source == "accounting" else None,
        classes=classes,
    )
    books = read_books(snapshot, as_of, months) if fp.ACCOUNTING_API in apis else None
    if books is not None and source == "accounting":
        inputs = accounting_inputs(books, as_of, base_currency(snapshot, None, None).code)
    else:
        inputs = financial_inputs(snapshot, as_of, months, matched)
    gaps = [c for c in statement_calls if c.key not in covered]
    windows = fp.statement_windows(as_of, months)
    monthly_pnl = monthly_pnl_frame(
        {
            month: pnl
            for month, r in monthly_pnl_responses(snapshot, as_of).items()
            if (pnl := r.data_as(ProfitAndLoss)) is not None
        },
        monthly_statements(snapshot, books.accounts, as_of) if books is not None else {},
        as_of,
        inputs.currency,
    )
    monthly_pnl_gap = None
    if books is not None:  # an older snapshot's plan lacks the 12 months before
        before = next(
            c
            for c in accounting_plan.fixed_calls(as_of)
            if c.period == accounting_plan.MONTHS_BEFORE
        )
        held = snapshot.of(before)
        if held is None or held.data is None:
            monthly_pnl_gap = missing_reason(before, [held] if held is not None else [])
    no_lines = (
        NO_STATEMENT_LINES
        if source == "accounting"
        else "the snapshot holds no bank statement lines"
    )
    behaviour = analyse_behaviour(
        frames, inputs, as_of, windows[-1][0], monthly_pnl, no_lines, monthly_pnl_gap, classes
    )
    financials = analyse_financials(
        inputs,
        frames,
        as_of,
        loan=loan,
        tolerances=policy.policy.integrity,
        bank_gap=f"{len(gaps)} of {len(statement_calls)} planned BankStatementsPlus windows are "
        "not in the snapshot"
        if gaps
        else None,
        # existing debt service seen in the bank enters the DSCR (docs/metrics.md)
        bank_repayments=behaviour.debt_service,
        bank_repayments_reason=no_lines,
    )
    evidence = evidence_summary(
        matched,
        statement_calls,
        covered,
        bank.overall.total_lines,
        accounting_answers=answered_by_accounting(inputs, matched)
        if source == "accounting"
        else None,
        accounting_reasons=EVIDENCE_NOT_IN_ACCOUNTING if source == "accounting" else None,
    )

    accounting = None
    if books is not None:
        accounting = analyse_accounting(
            books,
            financials.balance_sheet.current,
            source,
            as_of,
            financials.currency,
            financials.executive_summary.month,
        )
    current = fp.period(as_of)
    previous = fp.period(as_of, 1)
    verdict = evaluate(
        {
            "bank": bank.model_dump(mode="json"),
            "financials": financials.model_dump(mode="json"),
            "evidence": evidence.model_dump(mode="json"),
            # a policy may judge the Accounting API's figures too; None: every rule sees them
            # missing, as before they existed
            "accounting": accounting.model_dump(mode="json") if accounting else None,
            "behaviour": behaviour.model_dump(mode="json"),
        },
        policy.policy,
        report_metrics(),
    )
    options = f"policy={policy.info.sha256}" + (f";loan={loan}" if loan else "")
    return Report(
        report_id=report_id(snapshot.input_digest, as_of, options),
        lendcheck_version=__version__,
        applicant=Applicant(
            tenant_id=snapshot.tenant_id,
            tenant_name=snapshot.tenant_name,
            base_currency=inputs.currency,
            base_currency_basis=inputs.currency_basis,
            not_available={"base_currency": inputs.currency_reason}
            if inputs.currency_reason
            else {},
        ),
        as_of=as_of,
        period=Period(
            start=current[0],
            end=current[1],
            previous_start=previous[0],
            previous_end=previous[1],
            statements_from=windows[-1][0],
            statements_to=windows[0][1],
            months=months,
        ),
        policy=policy.info,
        verdict=verdict,
        bank=bank,
        financials=financials,
        evidence=evidence,
        accounting=accounting,
        behaviour=behaviour,
        inputs=Inputs(
            snapshot_format=FORMAT,
            source=snapshot.source,
            fetched_at=snapshot.fetched_at,
            input_digest=snapshot.input_digest,
            calls=sorted(
                (
                    InputCall(
                        endpoint=c.endpoint,
                        params=c.params,
                        status=c.status,
                        file=c.file,
                        sha256=c.sha256,
                    )
                    for c in snapshot.calls
                ),
                key=lambda c: (c.endpoint, c.file),
            ),
            missing=_missing(snapshot, plan, matched, covered),
        ),
    )
