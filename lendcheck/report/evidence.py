"""Which snapshot response answers which question of the report: the matching rules.

The fetch plan (:mod:`lendcheck.xero.fetch_plan`) is what lendcheck asks Xero for; a snapshot may
hold other calls that answer the same questions (another tool's, an older lendcheck's, a lender
who asked for a month instead of a year). This module is the one place that decides which
response answers which question, by what the response answers rather than by the plan's exact
parameters. docs/evidence.md describes the rules; in short:

==========================  =====================================================================
question                    answered by (best first; ties: the manifest's file name)
==========================  =====================================================================
``cash_validation``         /CashValidation with ``balanceDate`` = report date and no
                            ``asAtSystemDate``: the plan's ``beginDate``, then none (Xero: the
                            whole history), then other ``beginDate`` s, latest first; else one
                            with ``asAtSystemDate`` = ``balanceDate`` = report date
cadence month end ``M``     /CashValidation with ``balanceDate`` = ``asAtSystemDate`` = ``M``,
                            ``beginDate`` ranked as above
``balance_sheet_current``   /BalanceSheet with ``balanceDate`` = report date
``balance_sheet_previous``  /BalanceSheet with ``balanceDate`` = a year before
``trial_balance``           /TrialBalance with ``endDate`` = report date
``*_current`` periods       ProfitAndLoss, Cashflow, contacts/revenue, contacts/expense with
                            ``endDate`` = report date; the 12-month period when present, else
                            the longest (earliest ``startDate``; no ``startDate`` means Xero's
                            default, the 12 months before ``endDate``)
``*_previous`` periods      the same endpoint for the period of the chosen current one moved a
                            year back (comparable periods only, so growth compares like with like)
``pnl_month``               ProfitAndLoss covering exactly the month ending at the report date
                            (``startDate`` = the first of its month, ``endDate`` = report date),
                            whatever other calls hold (Executive Summary figures of that month)
bank statements             BankStatementsPlus responses of an account whose ``FromDate`` ..
                            ``ToDate`` windows together cover a planned window
==========================  =====================================================================

Only successful responses answer; when none does, the question's reason is Xero's refusal of
the best refused candidate, else "the snapshot holds no ... call". A date parameter a response
lacks where Xero's default is "today" (``balanceDate``, ``endDate``) matches nothing: the day
the snapshot was taken is not the report date.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from lendcheck.metrics.monthly_pnl import is_month
from lendcheck.report_types import ReportModel, Share
from lendcheck.snapshot import Response, Snapshot
from lendcheck.xero import fetch_plan as fp

__all__ = [
    "EVIDENCE_WEIGHTS",
    "PERIOD_QUESTIONS",
    "Answer",
    "Evidence",
    "EvidenceItem",
    "Matched",
    "evidence_summary",
    "is_month",
    "match_evidence",
    "missing_reason",
    "monthly_pnl_responses",
    "response_period",
    "statements_covered",
    "supported_dates",
]

#: Period questions: name prefix -> endpoint.
PERIOD_QUESTIONS = {
    "pnl": fp.PROFIT_AND_LOSS,
    "cashflow": fp.CASHFLOW,
    "contacts_revenue": fp.CONTACTS_REVENUE,
    "contacts_expense": fp.CONTACTS_EXPENSE,
}


@dataclass(frozen=True)
class Answer:
    """The response chosen to answer one question, or why there is none.

    Attributes:
        planned: the fetch plan's call for the question (what lendcheck would ask).
        response: the chosen successful response; None when nothing answers.
        reason: why nothing answers ("" when answered).
        start, end: the period the answer covers (inclusive; period reports), or for
            CashValidation its ``beginDate`` (None: the whole history) and ``balanceDate``.
        note: how the answer differs from the planned call, for the reader ("" when it is
            the planned call itself).
    """

    planned: fp.PlannedCall
    response: Response | None
    reason: str = ""
    start: date | None = None
    end: date | None = None
    note: str = ""

    @property
    def data(self) -> object:
        """The chosen response's parsed data, or None."""
        return self.response.data if self.response is not None else None


@dataclass(frozen=True)
class Matched:
    """Every question of a report date answered from one snapshot.

    Attributes:
        as_of: the report date.
        answers: question name -> :class:`Answer` (``cash_validation``, ``balance_sheet_*``,
            ``trial_balance``, ``pnl_*`` (``pnl_month``: the month ending at the report
            date), ``cashflow_*``, ``contacts_revenue_*``, ``contacts_expense_*``).
        cadence: month end -> :class:`Answer` for the reconciliation cadence calls.
    """

    as_of: date
    answers: dict[str, Answer]
    cadence: dict[date, Answer]

    def answers_call(self, call: fp.PlannedCall) -> Answer | None:
        """The answer of the question a planned call asks; None for a call no question
        reads (then only the call itself answers it)."""
        for answer in (*self.answers.values(), *self.cadence.values()):
            if answer.planned.key == call.key:
                return answer
        return None


def _day(value: str | None) -> date | None:
    try:
        return date.fromisoformat(value) if value else None
    except ValueError:
        return None


def response_period(params: dict[str, str]) -> tuple[date, date] | None:
    """The period a ProfitAndLoss, Cashflow or contacts call covers: (start, end) inclusive.

    ``startDate`` missing means Xero's default, the 12 months before ``endDate``; ``endDate``
    missing means "today" at Xero, which no snapshot records, so None; None too for
    unreadable dates or a start after the end.
    """
    end = _day(params.get("endDate"))
    if end is None:
        return None
    start = _day(params.get("startDate")) if "startDate" in params else fp.period(end)[0]
    if start is None or start > end:
        return None
    return start, end


def monthly_pnl_responses(snapshot: Snapshot, as_of: date) -> dict[date, Response]:
    """The Finance API P&Ls that each cover one month (:func:`is_month`), by the month's first
    day, oldest first: found by the period they cover, whatever else they were asked with; of
    two for one month the first by file name. Refused responses answer nothing."""
    found: dict[date, Response] = {}
    responses = sorted(snapshot.all_of(fp.PROFIT_AND_LOSS), key=lambda r: r.record.file)
    for response in responses:
        covered = response_period(response.record.params)
        if response.data is None or covered is None or not is_month(*covered, as_of):
            continue
        found.setdefault(covered[0], response)
    return dict(sorted(found.items()))


def missing_reason(call: fp.PlannedCall, refused: list[Response]) -> str:
    """Why no response answers a planned call, in words: Xero's refusal of the first of
    ``refused``, else "the snapshot holds no <endpoint> call (<params>)"."""
    if refused:
        return refused[0].reason
    params = ", ".join(f"{k}={v}" for k, v in sorted(call.params.items()))
    return f"the snapshot holds no {call.endpoint} call ({params})"


def _pick(
    call: fp.PlannedCall, candidates: Sequence[tuple[tuple[int, ...], Response]]
) -> tuple[Response | None, str]:
    """The best successful candidate by rank then file name; else why none answers."""
    ordered = sorted(candidates, key=lambda c: (c[0], c[1].record.file))
    ok = [r for _, r in ordered if r.data is not None]
    if ok:
        return ok[0], ""
    return None, missing_reason(call, [r for _, r in ordered])


def _begin_rank(params: dict[str, str], planned_begin: str) -> tuple[int, int]:
    begin = params.get("beginDate")
    if begin == planned_begin:
        return (0, 0)
    if begin is None:
        return (1, 0)
    # Other windows: the latest begin first (closest to what the statements cover).
    day = _day(begin)
    return (2, -day.toordinal()) if day is not None else (3, 0)


def _cash_validation(snapshot: Snapshot, call: fp.PlannedCall, *, as_at: bool) -> Answer:
    balance = call.params["balanceDate"]
    planned_begin = call.params.get("beginDate", "")
    candidates = []
    for response in snapshot.all_of(fp.CASH_VALIDATION):
        p = response.record.params
        if p.get("balanceDate") != balance:
            continue
        system = p.get("asAtSystemDate")
        if as_at and system != balance:
            continue
        if not as_at and system is not None and system != balance:
            continue
        # The main question prefers a call without asAtSystemDate (the books as they are).
        rank = (int(system is not None), *_begin_rank(p, planned_begin))
        candidates.append((rank, response))
    chosen, reason = _pick(call, candidates)
    if chosen is None:
        return Answer(call, None, reason, _day(planned_begin), _day(balance))
    p = chosen.record.params
    begin = _day(p.get("beginDate"))
    notes = []
    if "beginDate" not in p:
        notes.append("no beginDate: Xero's counts and sums cover the account's whole history")
    elif p["beginDate"] != planned_begin:
        notes.append(f"beginDate {p['beginDate']} instead of the plan's {planned_begin}")
    if not as_at and "asAtSystemDate" in p:
        notes.append(f"asAtSystemDate {p['asAtSystemDate']}: the books as they stood that day")
    return Answer(call, chosen, "", begin, _day(balance), "; ".join(notes))


def _at_date(snapshot: Snapshot, call: fp.PlannedCall, key: str) -> Answer:
    wanted = call.params[key]
    candidates = [
        ((0,), r) for r in snapshot.all_of(call.endpoint) if r.record.params.get(key) == wanted
    ]
    chosen, reason = _pick(call, candidates)
    return Answer(call, chosen, reason, None, _day(wanted))


def _period_answer(
    snapshot: Snapshot, call: fp.PlannedCall, wanted: tuple[date, date] | None
) -> Answer:
    """``wanted`` None: any period ending at the call's end (12 months first, then longest);
    else exactly that period."""
    planned = response_period(call.params)
    assert planned is not None  # the plan always gives both dates
    end = planned[1]
    candidates = []
    for response in snapshot.all_of(call.endpoint):
        covered = response_period(response.record.params)
        if covered is None or covered[1] != end:
            continue
        if wanted is not None:
            if covered != wanted:
                continue
            rank: tuple[int, ...] = (0,)
        else:
            # The 12 months, then the earliest start (the longest period).
            rank = (int(covered != planned), covered[0].toordinal())
        candidates.append((rank, response))
    chosen, reason = _pick(call, candidates)
    if chosen is None:
        if wanted is not None and wanted != planned:
            reason = (
                f"the snapshot holds no {call.endpoint} call for {wanted[0]} to {wanted[1]}, "
                "the period comparable with the current one"
            )
        return Answer(call, None, reason, *(wanted or planned))
    covered = response_period(chosen.record.params)
    assert covered is not None
    note = ""
    if covered != planned:
        note = (
            f"covers {covered[0]} to {covered[1]} ({(covered[1] - covered[0]).days + 1} days), "
            f"not the plan's 12 months from {planned[0]}"
        )
    return Answer(call, chosen, "", covered[0], covered[1], note)


def _year_back(period: tuple[date, date]) -> tuple[date, date]:
    start, end = period
    # The previous period ends where the year-earlier end falls and is as long in months.
    new_end = fp.add_months(end, -12)
    new_start = fp.add_months(start - timedelta(days=1), -12) + timedelta(days=1)
    return new_start, new_end


def statements_covered(
    snapshot: Snapshot, calls: list[fp.PlannedCall]
) -> frozenset[tuple[str, tuple[tuple[str, str], ...]]]:
    """The planned BankStatementsPlus calls (by :attr:`fp.PlannedCall.key`) whose window the
    snapshot's successful responses for the same account cover, together, day for day."""
    windows: dict[str, list[tuple[date, date]]] = {}
    for response in snapshot.all_of(fp.BANK_STATEMENTS):
        p = response.record.params
        start, end = _day(p.get("FromDate")), _day(p.get("ToDate"))
        if response.data is None or start is None or end is None:
            continue
        windows.setdefault(p.get("BankAccountID", "").lower(), []).append((start, end))
    covered = set()
    for call in calls:
        p = call.params
        start, end = date.fromisoformat(p["FromDate"]), date.fromisoformat(p["ToDate"])
        reach = start - timedelta(days=1)  # the last day covered so far
        for w_start, w_end in sorted(windows.get(p["BankAccountID"].lower(), [])):
            if w_start <= reach + timedelta(days=1) and w_end > reach:
                reach = w_end
        if reach >= end:
            covered.add(call.key)
    return frozenset(covered)


def match_evidence(snapshot: Snapshot, as_of: date, months: int = fp.DEFAULT_MONTHS) -> Matched:
    """Answer every question of a report dated ``as_of`` from the snapshot's responses.

    Args:
        snapshot: a verified, parsed snapshot.
        as_of: the report date.
        months: months of bank statements the plan covers (``snapshot.months``).

    Returns:
        :class:`Matched`; deterministic for the same snapshot and arguments.
    """
    answers: dict[str, Answer] = {}
    cadence: dict[date, Answer] = {}
    periods: dict[tuple[str, str], fp.PlannedCall] = {}
    for call in fp.organisation_calls(as_of, months):
        if call.endpoint == fp.CASH_VALIDATION:
            if call.period:
                cadence[date.fromisoformat(call.period)] = _cash_validation(
                    snapshot, call, as_at=True
                )
            else:
                answers["cash_validation"] = _cash_validation(snapshot, call, as_at=False)
        elif call.endpoint == fp.BALANCE_SHEET:
            answers[f"balance_sheet_{call.period}"] = _at_date(snapshot, call, "balanceDate")
        elif call.endpoint == fp.TRIAL_BALANCE:
            answers["trial_balance"] = _at_date(snapshot, call, "endDate")
        else:
            periods[(call.endpoint, call.period)] = call
    for name, endpoint in PERIOD_QUESTIONS.items():
        current = _period_answer(snapshot, periods[(endpoint, "current")], None)
        answers[f"{name}_current"] = current
        comparable = (
            _year_back((current.start, current.end))
            if current.response is not None and current.start and current.end
            else None
        )
        answers[f"{name}_previous"] = _period_answer(
            snapshot, periods[(endpoint, "previous")], comparable
        )
    month = periods[(fp.PROFIT_AND_LOSS, fp.MONTH)]
    answers["pnl_month"] = _period_answer(snapshot, month, fp.month_period(as_of))
    return Matched(as_of=as_of, answers=answers, cadence=cadence)


#: How much each question of the report weighs in :attr:`Evidence.completeness` (docs/metrics.md,
#: "Evidence completeness"): the bank lines and the current P&L carry the report; CashValidation
#: and the balance sheet at the report date next; comparatives and detail least.
EVIDENCE_WEIGHTS: dict[str, float] = {
    "bank_statement_lines": 3.0,
    "cash_validation": 2.0,
    "reconciliation_cadence": 0.5,
    "balance_sheet_current": 2.0,
    "balance_sheet_previous": 0.5,
    "profit_and_loss_current": 3.0,
    "profit_and_loss_previous": 0.5,
    "cash_flow_current": 1.0,
    "cash_flow_previous": 0.25,
    "trial_balance": 1.0,
    "contacts_revenue": 1.0,
    "contacts_expense": 0.5,
}

_QUESTIONS: dict[str, tuple[str, str]] = {
    # report name: (matched answer name, the question in words)
    "bank_statement_lines": ("", "bank statement lines of every planned window"),
    "cash_validation": ("cash_validation", "Xero's CashValidation at the report date"),
    "reconciliation_cadence": ("", "CashValidation as at each of the 12 month ends before"),
    "balance_sheet_current": ("balance_sheet_current", "balance sheet at the report date"),
    "balance_sheet_previous": ("balance_sheet_previous", "balance sheet a year before"),
    "profit_and_loss_current": ("pnl_current", "P&L of a period ending at the report date"),
    "profit_and_loss_previous": ("pnl_previous", "P&L of the comparable period a year before"),
    "cash_flow_current": ("cashflow_current", "cash flow of a period ending at the report date"),
    "cash_flow_previous": ("cashflow_previous", "cash flow of the comparable period before"),
    "trial_balance": ("trial_balance", "trial balance at the report date"),
    "contacts_revenue": ("contacts_revenue_current", "income by customer, current period"),
    "contacts_expense": ("contacts_expense_current", "spend by supplier, current period"),
}


class EvidenceItem(ReportModel):
    """One question of the report and the response that answers it.

    Attributes:
        question: the question in words.
        weight: its weight in :attr:`Evidence.completeness` (:data:`EVIDENCE_WEIGHTS`).
        answered: some evidence answers it (``coverage`` > 0).
        coverage: how much of the question is answered, in [0, 1]: 1 or 0, except for a
            period report shorter than the plan's 12 months (days covered / days of the 12
            months), the bank statements (planned windows covered / planned windows) and the
            cadence (month ends answered / 12).
        endpoint: the Finance API endpoint asked.
        params: the parameters of the response used (None when unanswered or several).
        file: the snapshot file of the response used (None when unanswered or several).
        period_start, period_end: the period the answer covers (period reports); for
            CashValidation its ``beginDate`` (None: the whole history) and ``balanceDate``.
        note: how the answer differs from the planned call, else None.
        not_available: why the question is not (fully) answered, else None.
    """

    question: str
    weight: float
    answered: bool
    coverage: Share
    endpoint: str
    params: dict[str, str] | None
    file: str | None
    period_start: date | None
    period_end: date | None
    note: str | None
    not_available: str | None


class Evidence(ReportModel):
    """Which of the report's questions the snapshot answers, and how completely.

    Missing evidence is kept apart from the applicant's risk: a question without an answer
    makes its figures null (with the reason) and lowers ``completeness``; it never counts as
    a finding about the books.

    Attributes:
        completeness: evidence completeness, ``sum(weight * coverage) / sum(weight)`` over the
            questions below, in [0, 1] (docs/metrics.md).
        questions_answered: questions with full coverage.
        questions_partly_answered: questions with coverage strictly between 0 and 1.
        questions_not_answered: questions with no answer.
        bank_statement_lines: BankStatementsPlus lines of every planned window.
        cash_validation: CashValidation at the report date (ledger vs bank, cross-check).
        reconciliation_cadence: CashValidation as at the 12 month ends before.
        balance_sheet_current: balance sheet at the report date.
        balance_sheet_previous: balance sheet a year before.
        profit_and_loss_current: P&L of a period ending at the report date.
        profit_and_loss_previous: P&L of the comparable period a year before.
        cash_flow_current: cash flow of a period ending at the report date.
        cash_flow_previous: cash flow of the comparable period a year before.
        trial_balance: trial balance at the report date.
        contacts_revenue: income by customer of the current period.
        contacts_expense: spend by supplier of the current period.
    """

    completeness: Share
    questions_answered: int
    questions_partly_answered: int
    questions_not_answered: int
    bank_statement_lines: EvidenceItem
    cash_validation: EvidenceItem
    reconciliation_cadence: EvidenceItem
    balance_sheet_current: EvidenceItem
    balance_sheet_previous: EvidenceItem
    profit_and_loss_current: EvidenceItem
    profit_and_loss_previous: EvidenceItem
    cash_flow_current: EvidenceItem
    cash_flow_previous: EvidenceItem
    trial_balance: EvidenceItem
    contacts_revenue: EvidenceItem
    contacts_expense: EvidenceItem


def _item(name: str, answer: Answer) -> EvidenceItem:
    record = answer.response.record if answer.response is not None else None
    coverage = 1.0 if record is not None else 0.0
    planned = (
        response_period(answer.planned.params)
        if answer.planned.endpoint in (PERIOD_QUESTIONS.values())
        else None
    )
    if record is not None and planned is not None and answer.start and answer.end:
        planned_days = (planned[1] - planned[0]).days + 1
        coverage = min(1.0, ((answer.end - answer.start).days + 1) / planned_days)
    return EvidenceItem(
        question=_QUESTIONS[name][1],
        weight=EVIDENCE_WEIGHTS[name],
        answered=record is not None,
        coverage=coverage,
        endpoint=answer.planned.endpoint,
        params=dict(record.params) if record is not None else None,
        file=record.file if record is not None else None,
        period_start=answer.start,
        period_end=answer.end,
        note=answer.note or None,
        not_available=answer.reason or (answer.note if coverage < 1 else "") or None,
    )


def _share_item(name: str, endpoint: str, done: int, planned: int, reason: str) -> EvidenceItem:
    coverage = done / planned if planned else 0.0
    return EvidenceItem(
        question=_QUESTIONS[name][1],
        weight=EVIDENCE_WEIGHTS[name],
        answered=done > 0,
        coverage=coverage,
        endpoint=endpoint,
        params=None,
        file=None,
        period_start=None,
        period_end=None,
        note=None,
        not_available=None if planned and done == planned else reason,
    )


def evidence_summary(
    matched: Matched,
    bank_statement_calls: list[fp.PlannedCall],
    covered: frozenset[tuple[str, tuple[tuple[str, str], ...]]],
    statement_lines: int,
    accounting_answers: dict[str, str] | None = None,
    accounting_reasons: dict[str, str] | None = None,
) -> Evidence:
    """The report's :class:`Evidence` from the matched answers.

    Args:
        matched: :func:`match_evidence` of the report date.
        bank_statement_calls: the planned BankStatementsPlus calls.
        covered: :func:`statements_covered` of those calls.
        statement_lines: statement lines read up to the report date (0: the bank question is
            unanswered whatever the windows).
        accounting_answers: for a report resting on the Accounting API alone, the matched
            answer names (``pnl_current``...) the Accounting API's reports answer, each with
            the Accounting API endpoint that answers it; None for a Finance API report.
        accounting_reasons: for a report resting on the Accounting API alone, why each
            question the Accounting API cannot answer is unanswered, by question name
            (:data:`lendcheck.report.accounting_statements.EVIDENCE_NOT_IN_ACCOUNTING`): the reason
            an unanswered question gives then, rather than "the snapshot holds no ... call".
    """
    windows = sum(c.key in covered for c in bank_statement_calls)
    if statement_lines == 0:
        windows = 0
    bank_reason = (
        "no bank account is known (no CashValidation and no BankStatementsPlus response)"
        if not bank_statement_calls
        else "the snapshot holds no bank statement lines up to the report date"
        if statement_lines == 0
        else f"{len(bank_statement_calls) - windows} of {len(bank_statement_calls)} planned "
        "BankStatementsPlus windows are not covered by the snapshot"
    )
    cadence_done = sum(a.response is not None for a in matched.cadence.values())
    items: dict[str, EvidenceItem] = {
        "bank_statement_lines": _share_item(
            "bank_statement_lines",
            fp.BANK_STATEMENTS,
            windows,
            len(bank_statement_calls),
            bank_reason,
        ),
        "reconciliation_cadence": _share_item(
            "reconciliation_cadence",
            fp.CASH_VALIDATION,
            cadence_done,
            len(matched.cadence),
            f"{len(matched.cadence) - cadence_done} of {len(matched.cadence)} month ends have "
            "no CashValidation as at that date",
        ),
    }
    for name, (answer_name, _) in _QUESTIONS.items():
        if answer_name and accounting_answers and answer_name in accounting_answers:
            items[name] = _share_item(name, accounting_answers[answer_name], 1, 1, "")
        elif answer_name:
            items[name] = _item(name, matched.answers[answer_name])
    for name, reason in (accounting_reasons or {}).items():
        if name in items and not items[name].answered:
            items[name] = items[name].model_copy(update={"not_available": reason})
    total = sum(EVIDENCE_WEIGHTS.values())
    completeness = sum(EVIDENCE_WEIGHTS[n] * (i.coverage or 0.0) for n, i in items.items()) / total
    return Evidence(
        completeness=completeness,
        questions_answered=sum(i.coverage == 1.0 for i in items.values()),
        questions_partly_answered=sum(0.0 < (i.coverage or 0.0) < 1.0 for i in items.values()),
        questions_not_answered=sum(not i.answered for i in items.values()),
        **items,
    )


#: Questions a report date must answer as the snapshot's own date does (see
#: :func:`supported_dates`): the ones whose figures the report states. The cadence and the
#: bank statement windows move with the date and are reported as partial coverage instead.
_DATE_QUESTIONS = tuple(name for name, _ in _QUESTIONS.values() if name)


def _answered(snapshot: Snapshot, day: date, months: int) -> set[str]:
    answers = match_evidence(snapshot, day, months).answers
    return {name for name in _DATE_QUESTIONS if answers[name].response is not None}


def supported_dates(snapshot: Snapshot, months: int | None = None) -> list[date]:
    """The report dates the snapshot supports, newest first: its own date, and every earlier
    date named by a call of the manifest (``balanceDate``, ``endDate``) at which each question
    answered at the snapshot's date (CashValidation, balance sheets, P&L, cash flow, trial
    balance, contacts) is answered too. A report at another date would lose evidence the
    snapshot holds only for its own date (lendcheck refuses it: ``--as-of``).

    Args:
        snapshot: a verified, parsed snapshot.
        months: months of bank statements (default ``snapshot.months``).
    """
    months = months or snapshot.months
    needed = _answered(snapshot, snapshot.as_of, months)
    candidates = {
        d
        for record in snapshot.calls
        for key in ("balanceDate", "endDate")
        if (d := _day(record.params.get(key))) is not None and d < snapshot.as_of
    }
    return [snapshot.as_of] + [
        d for d in sorted(candidates, reverse=True) if needed <= _answered(snapshot, d, months)
    ]
