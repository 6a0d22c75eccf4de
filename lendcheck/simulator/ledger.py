"""A double-entry ledger with a Xero-like chart of accounts.

Amounts are ``int`` cents, debit positive and credit negative; every journal balances to zero.
The ledger keeps daily aggregates rather than every journal, so that reports stay cheap for a
million transactions:

* per account and accounting date: debit and credit totals (TrialBalance, BalanceSheet, P&L);
* per non-bank account and date: the cash each bank journal moved through it (direct-method
  Cashflow; transfers between bank accounts move no cash in or out of the business);
* per contact and date: revenue and expense postings outside manual journals (contacts reports);
* per bank account: every bank entry with its accounting date, system date (the day it was
  entered in the books) and the system date it was matched to a statement line (CashValidation
  ``cashAccount`` for past ``asAtSystemDate``).
"""

from __future__ import annotations

import datetime as dt
import random
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

from lendcheck.simulator.ids import guid

#: Account class of each Xero account type.
ACCOUNT_CLASS = {
    "BANK": "ASSET",
    "CURRENT": "ASSET",
    "INVENTORY": "ASSET",
    "FIXED": "ASSET",
    "PREPAYMENT": "ASSET",
    "CURRLIAB": "LIABILITY",
    "TERMLIAB": "LIABILITY",
    "LIABILITY": "LIABILITY",
    "EQUITY": "EQUITY",
    "REVENUE": "REVENUE",
    "SALES": "REVENUE",
    "OTHERINCOME": "REVENUE",
    "DIRECTCOSTS": "EXPENSE",
    "EXPENSE": "EXPENSE",
    "OVERHEADS": "EXPENSE",
    "DEPRECIATN": "EXPENSE",
}


@dataclass(frozen=True)
class Account:
    """One account of the chart.

    Attributes:
        id: Xero GUID.
        code: account code (e.g. ``"200"``).
        name: account name.
        type: Xero account type (``REVENUE``, ``BANK``, ``CURRLIAB``...).
        reporting_code: Xero reporting code (``REV``, ``ASS.CUR.REC.TRA``...).
    """

    id: str
    code: str
    name: str
    type: str
    reporting_code: str

    @property
    def cls(self) -> str:
        """Account class: ASSET, LIABILITY, EQUITY, REVENUE or EXPENSE."""
        return ACCOUNT_CLASS[self.type]

    @property
    def is_pl(self) -> bool:
        """True for profit-and-loss (revenue or expense) accounts."""
        return self.cls in ("REVENUE", "EXPENSE")


#: The standard chart: (code, name, type, reporting code). Bank accounts are added per profile.
STANDARD_CHART: tuple[tuple[str, str, str, str], ...] = (
    ("200", "Sales", "REVENUE", "REV.TRA"),
    ("210", "Wholesale & Contract Sales", "REVENUE", "REV.TRA"),
    ("270", "Interest Income", "OTHERINCOME", "REV.OTH"),
    ("300", "Purchases", "DIRECTCOSTS", "EXP.DC"),
    ("310", "Subcontractors", "DIRECTCOSTS", "EXP.DC"),
    ("400", "Advertising & Marketing", "EXPENSE", "EXP"),
    ("404", "Bank & Merchant Fees", "EXPENSE", "EXP"),
    ("412", "Accounting Fees", "EXPENSE", "EXP"),
    ("416", "Depreciation", "EXPENSE", "EXP.DEP"),
    ("433", "Insurance", "EXPENSE", "EXP"),
    ("437", "Interest Expense", "EXPENSE", "EXP.INT"),
    ("445", "Light, Power, Heating", "OVERHEADS", "EXP.OCC"),
    ("449", "Motor Vehicle Expenses", "EXPENSE", "EXP"),
    ("469", "Rent", "OVERHEADS", "EXP.OCC"),
    ("477", "Wages and Salaries", "EXPENSE", "EXP.EMP.WAG"),
    ("478", "Pension Costs", "EXPENSE", "EXP.EMP.SUP"),
    ("485", "Subscriptions & Software", "EXPENSE", "EXP"),
    ("489", "Telephone & Internet", "EXPENSE", "EXP"),
    ("610", "Accounts Receivable", "CURRENT", "ASS.CUR.REC.TRA"),
    ("630", "Inventory", "INVENTORY", "ASS.CUR.INY"),
    ("710", "Plant & Equipment", "FIXED", "ASS.NCA.FIX.PLA"),
    ("711", "Accumulated Depreciation on Plant & Equipment", "FIXED", "ASS.NCA.FIX.PLA.ACC"),
    ("800", "Accounts Payable", "CURRLIAB", "LIA.CUR.PAY.TRA"),
    ("820", "Sales Tax", "CURRLIAB", "LIA.CUR.TAX.GST"),
    ("900", "Business Loan", "TERMLIAB", "LIA.NCL.LOA"),
    ("960", "Retained Earnings", "EQUITY", "EQU.RET"),
    ("970", "Owner Funds Introduced", "EQUITY", "EQU.SHA"),
)

AR = "610"
AP = "800"
TAX = "820"
RETAINED = "960"


@dataclass(slots=True)
class BankEntry:
    """A ledger entry on a bank account (payment, spend/receive money, transfer side).

    Attributes:
        dt.date: accounting dt.date.
        system_date: the day it was entered in the books.
        amount: cents, positive = money in.
        matched: system dt.date of its reconciliation to a statement line (None = never).
    """

    date: dt.date
    system_date: dt.date
    amount: int
    matched: dt.date | None = None


@dataclass
class Ledger:
    """The books: chart of accounts and daily aggregates of every journal (see module doc).

    Attributes:
        accounts: the chart, in report order.
        conversion_date: the day the organisation's opening balances were entered.
    """

    accounts: list[Account]
    conversion_date: date
    by_code: dict[str, Account] = field(init=False)
    cls_of: dict[str, str] = field(init=False)
    banks: frozenset[str] = field(init=False)
    moves: dict[tuple[str, date], list[int]] = field(default_factory=dict)
    cash: dict[tuple[str, date], list[int]] = field(default_factory=dict)
    contact_pl: dict[tuple[str | None, date], list[int]] = field(default_factory=dict)
    contact_codes: dict[tuple[str | None, str, tuple[int, int]], set[str]] = field(
        default_factory=lambda: defaultdict(set)
    )
    manual_pl: dict[date, list[int]] = field(default_factory=dict)
    bank_entries: dict[str, list[BankEntry]] = field(default_factory=lambda: defaultdict(list))

    def __post_init__(self) -> None:
        self.by_code = {a.code: a for a in self.accounts}
        self.cls_of = {a.code: a.cls for a in self.accounts}
        self.banks = frozenset(a.code for a in self.accounts if a.type == "BANK")

    def post(
        self,
        day: date,
        system_date: date,
        lines: list[tuple[str, int]],
        *,
        contact: str | None = None,
        manual: bool = False,
        opening: bool = False,
    ) -> list[BankEntry]:
        """Post one balanced journal.

        Args:
            day: accounting date.
            system_date: the day it was entered in the books.
            lines: ``(account code, cents)`` pairs, debit positive; they must sum to 0.
            contact: contact GUID the journal belongs to (None = no contact).
            manual: True for manual journals (kept out of the contacts reports).
            opening: True for the conversion (opening balance) journal: it moves no cash and
                creates no bank entries.

        Returns:
            The bank entries the journal created (one per line on a BANK account), so the
            caller can record when each is matched to a statement line.

        Raises:
            ValueError: the lines do not balance.
        """
        total = 0
        for _, amount in lines:
            total += amount
        if total:
            raise ValueError(f"unbalanced journal on {day}: {lines}")
        bank_codes = self.banks
        cls_of = self.cls_of
        moves = self.moves
        banks: list[tuple[str, int]] = []
        for code, amount in lines:
            key = (code, day)
            slot = moves.get(key)
            if slot is None:
                slot = moves[key] = [0, 0]
            if amount >= 0:
                slot[0] += amount
            else:
                slot[1] -= amount
            if code in bank_codes:
                banks.append((code, amount))
        entries: list[BankEntry] = []
        if banks and not opening:
            for code, amount in banks:
                entry = BankEntry(day, system_date, amount)
                self.bank_entries[code].append(entry)
                entries.append(entry)
            cash = self.cash
            for code, amount in lines:
                if code in bank_codes or amount == 0:
                    continue
                key = (code, day)
                slot = cash.get(key)
                if slot is None:
                    slot = cash[key] = [0, 0]
                if amount < 0:  # a credit to the counter account is cash in
                    slot[0] -= amount
                else:
                    slot[1] -= amount
        rev = exp = 0
        for code, amount in lines:
            cls = cls_of[code]
            if cls == "REVENUE":
                rev -= amount
            elif cls == "EXPENSE":
                exp += amount
        if (rev or exp) and not opening:
            if manual:
                slot = self.manual_pl.setdefault(day, [0, 0])
                slot[0] += rev
                slot[1] += exp
            else:
                key2 = (contact, day)
                slot = self.contact_pl.get(key2)
                if slot is None:
                    slot = self.contact_pl[key2] = [0, 0, 0, 0]
                month = (day.year, day.month)
                if rev:
                    slot[0] += rev
                    slot[2] += 1
                if exp:
                    slot[1] += exp
                    slot[3] += 1
                for code, _ in lines:
                    cls = cls_of[code]
                    is_bank = code in bank_codes
                    if cls == "REVENUE" or (is_bank and rev):
                        self.contact_codes[(contact, "rev", month)].add(code)
                    if cls == "EXPENSE" or (is_bank and exp):
                        self.contact_codes[(contact, "exp", month)].add(code)
        return entries

    def balances(self, start: date | None, end: date) -> dict[str, tuple[int, int]]:
        """Debit and credit totals per account for accounting dates in [start, end].

        Args:
            start: first day (None = from the beginning).
            end: last day, inclusive.

        Returns:
            ``{code: (debits, credits)}`` in cents, both non-negative.
        """
        out: dict[str, list[int]] = {}
        for (code, day), (dr, cr) in self.moves.items():
            if day <= end and (start is None or day >= start):
                slot = out.setdefault(code, [0, 0])
                slot[0] += dr
                slot[1] += cr
        return {code: (v[0], v[1]) for code, v in out.items()}


def build_chart(rng: random.Random, banks: list[tuple[str, str]], tax_name: str) -> list[Account]:
    """The standard chart plus the organisation's bank accounts, each with a GUID from ``rng``.

    Args:
        rng: the seeded generator.
        banks: ``(code, name)`` of each bank account.
        tax_name: the sales tax's name (VAT, GST, Sales Tax) for account 820.
    """
    accounts = [Account(guid(rng), code, name, "BANK", "ASS.CUR.CAS.BAN") for code, name in banks]
    for code, name, acct_type, reporting in STANDARD_CHART:
        if code == TAX:
            name = tax_name
        accounts.append(Account(guid(rng), code, name, acct_type, reporting))
    return accounts
