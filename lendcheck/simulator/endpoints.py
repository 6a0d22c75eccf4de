"""Every Finance API response of the fetch plan, derived from one simulated :class:`World`.

Each function returns the response payload (dicts and lists, money as
:func:`~lendcheck.simulator.jsonout.money` sentinels) shaped exactly as in
``xero-finance.yaml``; :func:`respond` answers one planned call with (status, body bytes).
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import polars as pl

from lendcheck.simulator.bank import SOURCE_TYPE, BankAccount, Line, Statement, source_kind
from lendcheck.simulator.books import World
from lendcheck.simulator.ids import CURRENT_YEAR_EARNINGS_ID, NONE_PROVIDED_ID
from lendcheck.simulator.jsonout import dumps, money, number, ratio
from lendcheck.simulator.ledger import RETAINED, Account, Ledger
from lendcheck.xero import fetch_plan as fp

__all__ = [
    "balance_sheet",
    "bank_statements",
    "cash_validation",
    "cashflow",
    "contacts_report",
    "profit_and_loss",
    "respond",
    "trial_balance",
]

US_CASHFLOW_PROBLEM = {
    "type": "invalid-request",
    "title": "InvalidRequest",
    "status": 400,
    "detail": "Cashflow statement is not available in US region",
}


def fy_start(day: date, fy_end_month: int) -> date:
    """First day of the financial year containing ``day``."""
    start = date(day.year, fy_end_month % 12 + 1, 1)
    return start if start <= day else date(day.year - 1, start.month, 1)


# ---------------------------------------------------------------------------------------------
# CashValidation


_NEVER = 10**8  # an ordinal after any date: "not reconciled"
_KINDS = tuple(SOURCE_TYPE)


def _frames(world: World, bank: BankAccount) -> tuple[pl.DataFrame, pl.DataFrame]:
    """The account's imported statement lines and ledger bank entries as Polars frames
    (dates as ordinals, amounts as Int64 cents), built once per world."""
    key = f"frames:{bank.code}"
    found = world.cache.get(key)
    if found is None:
        lines = [ln for ln in bank.lines if ln.imported is not None]
        kinds = {k: i for i, k in enumerate(_KINDS)}
        line_frame = pl.DataFrame(
            {
                "t": [ln.tdate.toordinal() for ln in lines],
                "imp": [ln.imported.toordinal() for ln in lines if ln.imported is not None],
                "rec": [ln.reconciled.toordinal() if ln.reconciled else _NEVER for ln in lines],
                "amt": [ln.amount for ln in lines],
                "deleted": [ln.deleted for ln in lines],
                "kind": [kinds[source_kind(ln.source)] for ln in lines],
            },
            schema={
                "t": pl.Int64,
                "imp": pl.Int64,
                "rec": pl.Int64,
                "amt": pl.Int64,
                "deleted": pl.Boolean,
                "kind": pl.Int8,
            },
        )
        entries = world.ledger.bank_entries.get(bank.code, [])
        entry_frame = pl.DataFrame(
            {
                "d": [e.date.toordinal() for e in entries],
                "sd": [e.system_date.toordinal() for e in entries],
                "amt": [e.amount for e in entries],
                "matched": [e.matched.toordinal() if e.matched else _NEVER for e in entries],
            },
            schema={"d": pl.Int64, "sd": pl.Int64, "amt": pl.Int64, "matched": pl.Int64},
        )
        found = world.cache[key] = (line_frame, entry_frame)
    return found


def _day(ordinal: int | None) -> str | None:
    return date.fromordinal(ordinal).isoformat() if ordinal is not None else None


def _summary(
    frame: pl.DataFrame, begin: date, end: date, as_at: date
) -> tuple[dict[str, Any], int]:
    """CashValidation ``statementLines`` and the statement balance movement (cents).

    Lines count when imported by ``as_at`` with ``begin <= transactionDate <= end``; deleted
    lines only in ``deletedAmount``; reconciled means reconciled by ``as_at``.

    Returns:
        The ``statementLines`` object and the signed sum of non-deleted lines with
        transactionDate <= ``end`` imported by ``as_at`` (all history).
    """
    b, d, s = begin.toordinal(), end.toordinal(), as_at.toordinal()
    amt = pl.col("amt")
    t = pl.col("t")
    seen = frame.filter((pl.col("imp") <= s) & (t <= d))
    live = ~pl.col("deleted") & (t >= b)
    rec = live & (pl.col("rec") <= s)
    un = live & (pl.col("rec") > s)
    pos = amt >= 0
    neg = amt < 0
    exprs = [
        amt.filter(~pl.col("deleted")).sum().alias("history"),
        amt.filter(pl.col("deleted") & (t >= b)).sum().alias("deleted"),
        rec.sum().alias("rec_n"),
        un.sum().alias("un_n"),
        amt.filter(rec & pos).sum().alias("rec_pos"),
        amt.filter(rec & neg).sum().alias("rec_neg"),
        amt.filter(un & pos).sum().alias("un_pos"),
        amt.filter(un & neg).sum().alias("un_neg"),
        ((d - t) * amt).filter(un & pos).sum().alias("age_pos"),
        ((d - t) * amt).filter(un & neg).sum().alias("age_neg"),
        t.filter(rec).min().alias("rec_min"),
        t.filter(rec).max().alias("rec_max"),
        t.filter(un).min().alias("un_min"),
        t.filter(un).max().alias("un_max"),
    ]
    for i, kind in enumerate(_KINDS):
        exprs.append(amt.filter(live & (pl.col("kind") == i) & pos).sum().alias(f"{kind}Pos"))
        exprs.append(amt.filter(live & (pl.col("kind") == i) & neg).sum().alias(f"{kind}Neg"))
    r = seen.select(exprs).row(0, named=True)
    total_pos = sum(r[f"{k}Pos"] for k in _KINDS)
    total_neg = sum(r[f"{k}Neg"] for k in _KINDS)
    out: dict[str, Any] = {
        "unreconciledAmountPos": money(r["un_pos"]),
        "unreconciledAmountNeg": money(r["un_neg"]),
        "unreconciledLines": r["un_n"],
        "avgDaysUnreconciledPos": number(ratio(r["age_pos"], r["un_pos"])),
        "avgDaysUnreconciledNeg": number(ratio(r["age_neg"], r["un_neg"])),
    }
    if r["un_n"]:
        out["earliestUnreconciledTransaction"] = _day(r["un_min"])
        out["latestUnreconciledTransaction"] = _day(r["un_max"])
    out["deletedAmount"] = money(r["deleted"])
    out["totalAmount"] = money(total_pos + total_neg)
    data_source: dict[str, Any] = {}
    for kind in _KINDS:
        data_source[kind] = money(r[f"{kind}Pos"] + r[f"{kind}Neg"])
    for kind in _KINDS:
        data_source[f"{kind}Pos"] = money(r[f"{kind}Pos"])
    for kind in _KINDS:
        data_source[f"{kind}Neg"] = money(r[f"{kind}Neg"])
    out["dataSource"] = data_source
    if r["rec_n"]:
        out["earliestReconciledTransaction"] = _day(r["rec_min"])
        out["latestReconciledTransaction"] = _day(r["rec_max"])
    out["reconciledAmountPos"] = money(r["rec_pos"])
    out["reconciledAmountNeg"] = money(r["rec_neg"])
    out["reconciledLines"] = r["rec_n"]
    out["totalAmountPos"] = money(total_pos)
    out["totalAmountNeg"] = money(total_neg)
    return out, r["history"]


def _stamp(stmt: Statement) -> str:
    return stmt.imported_at.strftime("%Y-%m-%dT%H:%M:%SZ")


def cash_validation_account(
    world: World, bank: BankAccount, begin: date, end: date, as_at: date
) -> dict[str, Any]:
    """One account of ``GET /CashValidation?beginDate=&balanceDate=&asAtSystemDate=``."""
    line_frame, entry_frame = _frames(world, bank)
    summary, moved = _summary(line_frame, begin, end, as_at)
    balance = bank.opening + moved
    seen = [s for s in bank.statements if s.imported_date <= as_at]
    out: dict[str, Any] = {
        "accountId": bank.account_id,
        "statementBalance": {
            "value": money(abs(balance)),
            "type": "DEBIT" if balance >= 0 else "CREDIT",
        },
    }
    if seen:
        out["statementBalanceDate"] = max(s.imported_date for s in seen).isoformat()
    bank_statement: dict[str, Any] = {"statementLines": summary}
    if seen:
        cur = max(seen, key=lambda s: s.imported_at)
        bank_statement["currentStatement"] = {
            "startDate": cur.start_date.isoformat(),
            "endDate": cur.end_date.isoformat(),
            "startBalance": money(cur.supplied_start),
            "endBalance": money(cur.supplied_end),
            "importedDateTimeUtc": _stamp(cur),
            "importSourceType": SOURCE_TYPE[source_kind(cur.source)],
        }
    out["bankStatement"] = bank_statement
    s = as_at.toordinal()
    amt = pl.col("amt")
    open_entry = pl.col("matched") > s
    r = (
        entry_frame.filter((pl.col("d") <= end.toordinal()) & (pl.col("sd") <= s))
        .select(
            amt.sum().alias("moved"),
            amt.filter(open_entry & (amt >= 0)).sum().alias("pos"),
            amt.filter(open_entry & (amt < 0)).sum().alias("neg"),
        )
        .row(0, named=True)
    )
    ledger_balance = bank.opening + r["moved"]
    un_pos, un_neg = r["pos"], r["neg"]
    out["cashAccount"] = {
        "unreconciledAmountPos": money(un_pos),
        "unreconciledAmountNeg": money(un_neg),
        "startingBalance": money(bank.opening),
        "accountBalance": money(ledger_balance),
        "balanceCurrency": world.profile.currency,
    }
    return out


def cash_validation(world: World, begin: date, end: date, as_at: date) -> list[dict[str, Any]]:
    """``GET /CashValidation``: every bank account, in chart order."""
    return [cash_validation_account(world, b, begin, end, as_at) for b in world.banks]


# ---------------------------------------------------------------------------------------------
# Statements of the ledger


def _net(ledger: Ledger, start: date | None, end: date) -> dict[str, tuple[int, int, int]]:
    """``{code: (debits, credits, net)}``, net debit positive, for dates in [start, end]."""
    return {c: (dr, cr, dr - cr) for c, (dr, cr) in ledger.balances(start, end).items()}


def _pl_total(ledger: Ledger, start: date | None, end: date) -> int:
    """Profit (credit positive, cents) of the P&L accounts for dates in [start, end]."""
    if start is not None and start > end:
        return 0
    return -sum(n for c, (_, _, n) in _net(ledger, start, end).items() if ledger.by_code[c].is_pl)


def balance_sheet(world: World, day: date) -> dict[str, Any]:
    """``GET /FinancialStatements/BalanceSheet?balanceDate=``: assets = liabilities + equity,
    with prior years' profit in Retained Earnings and this year's in Current Year Earnings."""
    ledger = world.ledger
    fy = fy_start(day, world.profile.fy_end_month)
    nets = _net(ledger, None, day)
    prior = _pl_total(ledger, None, fy - timedelta(days=1))
    current = _pl_total(ledger, fy, day)
    groups: dict[str, list[tuple[str, list[dict[str, Any]], int]]] = {}
    order = {
        "ASSET": ("BANK", "CURRENT", "INVENTORY", "FIXED"),
        "LIABILITY": ("CURRLIAB", "TERMLIAB"),
        "EQUITY": ("EQUITY",),
    }
    out: dict[str, Any] = {"balanceDate": day.isoformat()}
    for cls, types in order.items():
        sign = 1 if cls == "ASSET" else -1
        group = []
        for acct_type in types:
            accounts = []
            type_total = 0
            for acct in ledger.accounts:
                if acct.type != acct_type:
                    continue
                total = sign * nets.get(acct.code, (0, 0, 0))[2]
                if acct.code == RETAINED:
                    total += prior
                if total == 0 and acct_type != "BANK":
                    continue
                accounts.append(
                    {
                        "code": acct.code,
                        "accountID": acct.id,
                        "name": acct.name,
                        "reportingCode": acct.reporting_code,
                        "total": money(total),
                    }
                )
                type_total += total
            if acct_type == "EQUITY":
                accounts.append(
                    {
                        "accountID": CURRENT_YEAR_EARNINGS_ID,
                        "name": "Current Year Earnings",
                        "total": money(current),
                    }
                )
                type_total += current
            if accounts:
                group.append((acct_type, accounts, type_total))
        groups[cls] = group
        out[cls.lower()] = {
            "accountTypes": [
                {"accountType": t, "accounts": a, "total": money(s)} for t, a, s in group
            ],
            "total": money(sum(s for _, _, s in group)),
        }
    return out


_PL_TYPES = (
    ("revenue", "Trading Income", ("REVENUE", "SALES")),
    ("revenue", "Other Income", ("OTHERINCOME",)),
    ("expense", "Direct Cost", ("DIRECTCOSTS",)),
    ("expense", "Operating Expenses", ("EXPENSE", "OVERHEADS", "DEPRECIATN")),
)


def profit_and_loss(world: World, start: date, end: date) -> dict[str, Any]:
    """``GET /FinancialStatements/ProfitAndLoss``: netProfitLoss = revenue - expense."""
    ledger = world.ledger
    nets = _net(ledger, start, end)
    classes: dict[str, dict[str, Any]] = {
        "revenue": {"types": [], "total": 0},
        "expense": {"types": [], "total": 0},
    }
    for section, title, types in _PL_TYPES:
        sign = -1 if section == "revenue" else 1
        accounts = []
        total = 0
        for acct in ledger.accounts:
            if acct.type not in types or acct.code not in nets:
                continue
            value = sign * nets[acct.code][2]
            if value == 0:
                continue
            accounts.append(
                {
                    "accountID": acct.id,
                    "accountType": acct.type,
                    "code": acct.code,
                    "name": acct.name,
                    "reportingCode": acct.reporting_code,
                    "total": money(value),
                }
            )
            total += value
        if accounts:
            classes[section]["types"].append(
                {"total": money(total), "title": title, "accounts": accounts}
            )
            classes[section]["total"] += total
    rev = classes["revenue"]["total"]
    exp = classes["expense"]["total"]
    return {
        "startDate": start.isoformat(),
        "endDate": end.isoformat(),
        "netProfitLoss": money(rev - exp),
        "revenue": {"total": money(rev), "accountTypes": classes["revenue"]["types"]},
        "expense": {"total": money(exp), "accountTypes": classes["expense"]["types"]},
    }


def _entry(value: int) -> dict[str, Any]:
    return {"value": money(abs(value)), "entryType": "DEBIT" if value >= 0 else "CREDIT"}


def trial_balance(world: World, end: date) -> dict[str, Any]:
    """``GET /FinancialStatements/TrialBalance?endDate=``: balance-sheet accounts cumulative,
    P&L accounts year to date (prior years' profit is in Retained Earnings), movements for the
    financial year to date. ``accountType`` is the type (BANK...), ``accountClass`` the class
    (ASSET...), as the schema describes them."""
    ledger = world.ledger
    start = fy_start(end, world.profile.fy_end_month)
    cumulative = _net(ledger, None, end)
    ytd = _net(ledger, start, end)
    prior = _pl_total(ledger, None, start - timedelta(days=1))
    accounts = []
    for acct in ledger.accounts:
        balance = (ytd if acct.is_pl else cumulative).get(acct.code, (0, 0, 0))[2]
        if acct.code == RETAINED:
            balance -= prior
        dr, cr, move = ytd.get(acct.code, (0, 0, 0))
        if balance == 0 and dr == 0 and cr == 0:
            continue
        sign = 1 if acct.cls in ("ASSET", "EXPENSE") else -1
        accounts.append(
            {
                "accountId": acct.id,
                "accountType": acct.type,
                "accountCode": acct.code,
                "accountClass": acct.cls,
                "status": "ACTIVE",
                "reportingCode": acct.reporting_code,
                "accountName": acct.name,
                "balance": _entry(balance),
                "signedBalance": money(sign * balance),
                "accountMovement": {
                    "debits": money(dr),
                    "credits": money(cr),
                    "movement": _entry(move),
                    "signedMovement": money(sign * move),
                },
            }
        )
    return {"startDate": start.isoformat(), "endDate": end.isoformat(), "accounts": accounts}


def _cashflow_type(acct: Account, cash_in: bool) -> tuple[str, str]:
    rc = acct.reporting_code
    if acct.type in ("REVENUE", "SALES") or rc.startswith("ASS.CUR.REC"):
        return "Operating Activities", "Receipts from customers"
    if acct.type in ("DIRECTCOSTS", "EXPENSE", "OVERHEADS") or rc.startswith("LIA.CUR.PAY"):
        return "Operating Activities", "Payments to suppliers and employees"
    if rc.startswith("LIA.CUR.TAX"):
        return "Operating Activities", "Net GST/VAT received (paid)"
    if acct.type == "FIXED":
        return (
            "Investing Activities",
            "Proceeds from sale of property, plant and equipment"
            if cash_in
            else "Payment for property, plant and equipment",
        )
    if acct.type in ("TERMLIAB", "LIABILITY"):
        return (
            "Financing Activities",
            "Proceeds from borrowings" if cash_in else "Repayment of borrowings",
        )
    if acct.type == "EQUITY":
        return "Financing Activities", "Capital introduced" if cash_in else "Drawings"
    return (
        "Operating Activities",
        "Cash receipts from other operating activities"
        if cash_in
        else "Cash payments from other operating activities",
    )


def _bank_total(ledger: Ledger, day: date) -> int:
    nets = _net(ledger, None, day)
    return sum(n for c, (_, _, n) in nets.items() if ledger.by_code[c].type == "BANK")


def cashflow(world: World, start: date, end: date) -> dict[str, Any]:
    """``GET /FinancialStatements/Cashflow`` (direct method): each bank journal's cash moved
    through its other accounts; transfers between bank accounts move nothing. Closing =
    opening + netCashMovement = the BANK accounts' total on the balance sheet at ``end``."""
    ledger = world.ledger
    per: dict[tuple[str, str], dict[str, int]] = {}
    for (code, day), (cash_in, cash_out) in ledger.cash.items():
        if not start <= day <= end:
            continue
        acct = ledger.by_code[code]
        for amount, is_in in ((cash_in, True), (cash_out, False)):
            if amount:
                key = _cashflow_type(acct, is_in)
                slot = per.setdefault(key, {})
                slot[code] = slot.get(code, 0) + amount
    activities = []
    net = 0
    for activity in ("Operating Activities", "Investing Activities", "Financing Activities"):
        types = []
        activity_total = 0
        for (act, type_name), by_code in sorted(per.items()):
            if act != activity:
                continue
            accounts = []
            for acct in ledger.accounts:
                if acct.code in by_code:
                    accounts.append(
                        {
                            "accountId": acct.id,
                            "accountType": acct.type,
                            "accountClass": acct.cls,
                            "code": acct.code,
                            "name": acct.name,
                            "reportingCode": acct.reporting_code,
                            "total": money(by_code[acct.code]),
                        }
                    )
            type_total = sum(by_code.values())
            types.append({"name": type_name, "total": money(type_total), "accounts": accounts})
            activity_total += type_total
        activities.append(
            {"name": activity, "total": money(activity_total), "cashflowTypes": types}
        )
        net += activity_total
    opening = _bank_total(ledger, start - timedelta(days=1))
    return {
        "startDate": start.isoformat(),
        "endDate": end.isoformat(),
        "cashBalance": {
            "openingCashBalance": money(opening),
            "closingCashBalance": money(opening + net),
            "netCashMovement": money(net),
        },
        "cashflowActivities": activities,
    }


def contacts_report(world: World, kind: str, start: date, end: date) -> dict[str, Any]:
    """``GET /FinancialStatements/contacts/revenue`` (``kind="rev"``) or ``/expense``
    (``"exp"``).

    Per contact: ``total`` = revenue (credit positive) or expense (debit positive) posted
    outside manual journals in the period, net of tax, so that the report's ``total`` plus
    ``manualJournals.total`` equals the P&L's revenue or expense total. ``totalPaid`` = gross
    payments up to ``end`` on invoices dated in the period plus gross spend/receive money in the
    period; ``totalOutstanding`` = gross still owed at ``end`` on invoices dated in the period;
    ``totalOutstandingAged`` = the part of it on invoices dated more than 90 days before
    ``end``; ``totalCredited`` = credit notes dated in the period; ``totalCreditedUnApplied`` =
    unapplied overpayments dated in the period; ``totalVoided`` = voided invoices dated in the
    period; ``transactionCount`` = journals with revenue (expense) lines in the period.
    Transactions without a contact are under Xero's "None Provided" contact.
    """
    ledger = world.ledger
    slot_total, slot_count = (0, 2) if kind == "rev" else (1, 3)
    doc_kind = "ACCREC" if kind == "rev" else "ACCPAY"
    rows: dict[str | None, dict[str, int]] = {}

    def row(cid: str | None) -> dict[str, int]:
        found = rows.get(cid)
        if found is None:
            found = rows[cid] = dict.fromkeys(
                (
                    "total",
                    "paid",
                    "outstanding",
                    "unapplied",
                    "aged",
                    "voided",
                    "credited",
                    "count",
                ),
                0,
            )
        return found

    for (cid, day), values in ledger.contact_pl.items():
        if start <= day <= end and (values[slot_total] or values[slot_count]):
            r = row(cid)
            r["total"] += values[slot_total]
            r["count"] += values[slot_count]
    for (cid, k, day), gross in world.cash_paid.items():
        if k == kind and start <= day <= end:
            row(cid)["paid"] += gross
    for inv in world.invoices:
        if inv.kind != doc_kind or not start <= inv.date <= end:
            continue
        r = row(inv.contact.id)
        if inv.voided:
            r["voided"] += inv.gross
            continue
        r["paid"] += sum(a for d, a in inv.payments if d <= end)
        owed = inv.outstanding(end)
        r["outstanding"] += owed
        if (end - inv.date).days > 90:
            r["aged"] += owed
    if kind == "rev":
        for credit in world.credits:
            if start <= credit.date <= end:
                r = row(credit.contact.id)
                if credit.kind == "creditNote":
                    r["credited"] += credit.gross
                elif credit.kind == "overpayment" and not credit.applied:
                    r["unapplied"] += credit.gross
    names = {c.id: c.name for c in world.contacts}
    codes: dict[str | None, set[str]] = {}
    month = date(start.year, start.month, 1)
    while month <= end:
        for cid in rows:
            found = ledger.contact_codes.get((cid, kind, (month.year, month.month)))
            if found:
                codes.setdefault(cid, set()).update(found)
        month = fp.add_months(month, 1)
    contacts = []
    for cid, r in rows.items():
        name = names.get(cid, "None Provided") if cid else "None Provided"
        contacts.append((-r["total"], name, cid or NONE_PROVIDED_ID, r))
    contacts.sort(key=lambda item: (item[0], item[1]))
    body_contacts = []
    for _, name, cid, r in contacts:
        body_contacts.append(
            {
                "contactId": cid,
                "name": name,
                "total": money(r["total"]),
                "totalDetail": {
                    "totalPaid": money(r["paid"]),
                    "totalOutstanding": money(r["outstanding"]),
                    "totalCreditedUnApplied": money(r["unapplied"]),
                },
                "totalOther": {
                    "totalOutstandingAged": money(r["aged"]),
                    "totalVoided": money(r["voided"]),
                    "totalCredited": money(r["credited"]),
                    "transactionCount": r["count"],
                },
                "accountCodes": sorted(codes.get(None if cid == NONE_PROVIDED_ID else cid, ())),
            }
        )
    manual = sum(
        v[0 if kind == "rev" else 1] for d, v in ledger.manual_pl.items() if start <= d <= end
    )

    def total(key: str) -> str:
        return money(sum(r[key] for *_, r in contacts))

    return {
        "startDate": start.isoformat(),
        "endDate": end.isoformat(),
        "total": total("total"),
        "totalDetail": {
            "totalPaid": total("paid"),
            "totalOutstanding": total("outstanding"),
            "totalCreditedUnApplied": total("unapplied"),
        },
        "totalOther": {
            "totalOutstandingAged": total("aged"),
            "totalVoided": total("voided"),
            "totalCredited": total("credited"),
        },
        "contacts": body_contacts,
        "manualJournals": {"total": money(manual)},
    }


# ---------------------------------------------------------------------------------------------
# BankStatementsPlus


def _line_json(ln: Line) -> dict[str, Any]:
    out: dict[str, Any] = {
        "statementLineId": ln.id,
        "postedDate": ln.pdate.isoformat(),
        "payee": ln.payee,
        "reference": ln.reference,
    }
    if ln.notes:
        out["notes"] = ln.notes
    out["amount"] = money(ln.amount)
    out["transactionDate"] = ln.tdate.isoformat()
    out["type"] = ln.type
    links = ln.links or {}
    out["isReconciled"] = ln.reconciled is not None
    out["isDuplicate"] = ln.duplicate
    out["isDeleted"] = ln.deleted
    out["payments"] = links.get("payments", [])
    out["bankTransactions"] = links.get("bankTransactions", [])
    return out


def bank_statements(world: World, bank: BankAccount, start: date, end: date) -> dict[str, Any]:
    """``GET /BankStatementsPlus/statements`` for one account and window: every statement with
    a line whose transactionDate is in [start, end], holding only those lines."""
    statements = []
    for stmt in bank.statements:
        lines = [ln for ln in stmt.lines if start <= ln.tdate <= end]
        if not lines:
            continue
        statements.append(
            {
                "statementId": stmt.id,
                "startDate": stmt.start_date.isoformat(),
                "endDate": stmt.end_date.isoformat(),
                "importedDateTimeUtc": _stamp(stmt),
                "importSource": stmt.source,
                "startBalance": money(stmt.supplied_start),
                "endBalance": money(stmt.supplied_end),
                "indicativeStartBalance": money(stmt.indicative_start),
                "indicativeEndBalance": money(stmt.indicative_end),
                "statementLines": [_line_json(ln) for ln in lines],
            }
        )
    return {
        "bankAccountId": bank.account_id,
        "bankAccountName": bank.name,
        "bankAccountCurrencyCode": world.profile.currency,
        "statements": statements,
    }


# ---------------------------------------------------------------------------------------------


def respond(world: World, call: fp.PlannedCall) -> tuple[int, bytes]:
    """Answer one planned call as Xero would: (HTTP status, body bytes).

    Raises:
        ValueError: the call's endpoint is not one the simulator knows.
    """
    p = call.params
    iso = date.fromisoformat
    if call.endpoint == fp.CASH_VALIDATION:
        end = iso(p["balanceDate"])
        as_at = iso(p.get("asAtSystemDate", world.profile.as_of.isoformat()))
        return 200, dumps(cash_validation(world, iso(p["beginDate"]), end, as_at))
    if call.endpoint == fp.BALANCE_SHEET:
        return 200, dumps(balance_sheet(world, iso(p["balanceDate"])))
    if call.endpoint == fp.PROFIT_AND_LOSS:
        return 200, dumps(profit_and_loss(world, iso(p["startDate"]), iso(p["endDate"])))
    if call.endpoint == fp.CASHFLOW:
        if world.profile.country == "US":
            return 400, dumps(US_CASHFLOW_PROBLEM)
        return 200, dumps(cashflow(world, iso(p["startDate"]), iso(p["endDate"])))
    if call.endpoint in (fp.CONTACTS_REVENUE, fp.CONTACTS_EXPENSE):
        kind = "rev" if call.endpoint == fp.CONTACTS_REVENUE else "exp"
        return 200, dumps(contacts_report(world, kind, iso(p["startDate"]), iso(p["endDate"])))
    if call.endpoint == fp.TRIAL_BALANCE:
        return 200, dumps(trial_balance(world, iso(p["endDate"])))
    if call.endpoint == fp.BANK_STATEMENTS:
        bank = next(b for b in world.banks if b.account_id == p["BankAccountID"])
        return 200, dumps(bank_statements(world, bank, iso(p["FromDate"]), iso(p["ToDate"])))
    raise ValueError(f"the simulator does not answer {call.endpoint}")
