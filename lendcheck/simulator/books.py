"""Running a :class:`~lendcheck.simulator.business.Profile` day by day: the business trades,
the bank records it, Xero imports it and the bookkeeper enters and reconciles it.

Every cash event makes one true statement line and, once the bookkeeper has entered it, one
ledger journal. An entry is either *prebooked* (payroll, bill payments, transfers: entered on the
transaction date, matched later) or *created at reconciliation* (spend/receive money, invoice
payments: entered on the day the line is reconciled). Only what is entered by ``as_of`` is in
the books; a line reconciled after ``as_of`` is unreconciled in the snapshot.
"""

from __future__ import annotations

import calendar
import datetime as dt
import math
import random
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from functools import partial
from typing import Any

from lendcheck.simulator.bank import (
    BankAccount,
    Line,
    build_statements,
    business_day,
    source_kind,
    statement_key,
)
from lendcheck.simulator.business import CustomerSpec, Profile, SupplierSpec
from lendcheck.simulator.ids import guid
from lendcheck.simulator.jsonout import money
from lendcheck.simulator.ledger import AP, AR, RETAINED, TAX, Ledger, build_chart
from lendcheck.xero.fetch_plan import add_months

Links = dict[str, list[dict[str, Any]]]


@dataclass
class Contact:
    """A customer or supplier (``id`` is its Xero GUID)."""

    id: str
    name: str


@dataclass(slots=True)
class Invoice:
    """A sales invoice (ACCREC) or bill (ACCPAY); amounts in cents.

    Attributes:
        lines: ``(account code, net cents)`` line items.
        payments: booked payments ``(dt.date, cents)``.
        credits: credit notes applied ``(dt.date, gross cents)``.
    """

    id: str
    number: str
    kind: str
    contact: Contact
    date: dt.date
    due: dt.date
    lines: list[tuple[str, int]]
    tax: int
    gross: int
    voided: bool = False
    payments: list[tuple[dt.date, int]] = field(default_factory=list)
    credits: list[tuple[dt.date, int]] = field(default_factory=list)

    def outstanding(self, at: dt.date) -> int:
        """Gross cents still owed at ``at`` (never negative)."""
        paid = sum(a for d, a in self.payments if d <= at)
        credited = sum(a for d, a in self.credits if d <= at)
        return max(0, self.gross - paid - credited)


@dataclass(slots=True)
class Credit:
    """A credit note, overpayment or prepayment (gross cents) of a contact."""

    kind: str
    contact: Contact
    date: dt.date
    gross: int
    applied: bool


@dataclass
class World:
    """The simulated organisation: books, bank and documents, as at ``profile.as_of``."""

    profile: Profile
    ledger: Ledger
    banks: list[BankAccount]
    contacts: list[Contact]
    invoices: list[Invoice]
    credits: list[Credit]
    cash_paid: dict[tuple[str | None, str, date], int]
    tenant_id: str
    cache: dict[str, Any] = field(default_factory=dict, repr=False)


def _month_end(day: date) -> date:
    return day.replace(day=calendar.monthrange(day.year, day.month)[1])


class Simulation:
    """Builds a :class:`World` from a profile (call :meth:`run`)."""

    def __init__(self, profile: Profile) -> None:
        self.p = profile
        self.rng = random.Random(profile.seed)
        rng = self.rng
        self.tenant_id = guid(rng)
        chart = build_chart(rng, [(b.code, b.name) for b in profile.banks], profile.tax_name)
        self.ledger = Ledger(chart, profile.start)
        self.banks = {
            b.code: BankAccount(
                b.code,
                b.name,
                self.ledger.by_code[b.code].id,
                b.opening,
                b.sources,
                b.supplied_share,
            )
            for b in profile.banks
        }
        self.main = profile.banks[0].code
        self.savings = next((b.code for b in profile.banks if b.kind == "savings"), None)
        self.card = next((b.code for b in profile.banks if b.kind == "card"), None)
        self.contacts: dict[str, Contact] = {}
        self.invoices: list[Invoice] = []
        self.credits: list[Credit] = []
        self.cash_paid: dict[tuple[str | None, str, date], int] = defaultdict(int)
        self.schedule: dict[date, list[Callable[[date], None]]] = defaultdict(list)
        self.tax_due: dict[date, int] = defaultdict(int)
        self.numbers = {"ACCREC": 0, "ACCPAY": 0, "CN": 0}
        self.card_spend: dict[tuple[int, int], int] = defaultdict(int)
        self.savings_balance = next((b.opening for b in profile.banks if b.kind == "savings"), 0)
        self.loan_balance = 0
        self.payroll_month: dict[tuple[int, int], int] = defaultdict(int)

    # -- helpers ---------------------------------------------------------------------------

    def contact(self, name: str) -> Contact:
        """The contact called ``name`` (created with a GUID on first use)."""
        found = self.contacts.get(name)
        if found is None:
            found = self.contacts[name] = Contact(guid(self.rng), name)
        return found

    def amount(self, mean: int, spread: float = 0.35) -> int:
        """A lognormal amount in cents around ``mean`` (at least 1)."""
        factor = self.rng.lognormvariate(-spread * spread / 2, spread)
        return max(1, int(mean * factor))

    def tax(self, net: int) -> int:
        """Sales tax on ``net`` cents, rounded half up to the cent."""
        return (net * self.p.tax_rate_bp + 5000) // 10000

    def _tax_period_end(self, day: date) -> date:
        every = self.p.tax_every_months
        month = day.month
        while month % every != 0:
            month += 1
        return _month_end(date(day.year, month, 1))

    def accrue_tax(self, day: date, amount: int) -> None:
        """Record sales tax collected (+) or paid (-) in ``day``'s tax period."""
        self.tax_due[self._tax_period_end(day)] += amount

    def reconcile_date(self, imported: date) -> date | None:
        """System date a line imported on ``imported`` is reconciled (None = not by as_of)."""
        p = self.p
        lag = int(self.rng.expovariate(1 / p.recon_lag)) if p.recon_lag > 0 else 0
        if self.rng.random() < 0.02:
            lag += self.rng.randrange(10, 40)
        done = imported + timedelta(days=lag)
        if p.recon_stop is not None and done > p.recon_stop:
            return None
        return done if done <= p.as_of else None

    def line(
        self,
        bank_code: str,
        tdate: date,
        amount: int,
        payee: str,
        reference: str,
        ltype: str,
        *,
        source: str | None = None,
        fake: bool = False,
        notes: str | None = None,
        imported_on: date | None = None,
    ) -> tuple[Line, date | None]:
        """Create a statement line (and perhaps its duplicate) and decide its reconciliation.

        ``imported_on`` overrides the day the line reaches Xero (a line typed late).

        Returns:
            The line and the system date it will be reconciled (None = not by as_of).
        """
        bank = self.banks[bank_code]
        pdate = business_day(tdate)
        src = source or bank.source_on(pdate)
        imported: date | None = imported_on or bank.import_date(pdate, src)
        if imported is not None and imported > self.p.as_of:
            imported = None
        ln = Line(
            guid(self.rng),
            tdate,
            pdate,
            amount,
            payee,
            reference,
            ltype,
            src,
            imported,
            fake=fake,
            notes=notes,
        )
        bank.lines.append(ln)
        if (
            imported is not None
            and source_kind(src) == "directBankFeed"
            and self.rng.random() < self.p.duplicate_rate
        ):
            # The feed delivers the same line again: a copy under its own ID.
            bank.lines.append(
                replace(
                    ln,
                    id=guid(self.rng),
                    duplicate=True,
                    deleted=self.p.delete_duplicates,
                    fake=False,
                    notes=None,
                )
            )
        recon = self.reconcile_date(imported) if imported is not None else None
        return ln, recon

    def bank_move(
        self,
        bank_code: str,
        tdate: date,
        amount: int,
        payee: str,
        reference: str,
        ltype: str,
        lines: list[tuple[str, int]],
        *,
        contact: Contact | None = None,
        prebooked: bool = False,
        links: Callable[[], Links] | None = None,
        on_booked: Callable[[date], None] | None = None,
        source: str | None = None,
        fake: bool = False,
        notes: str | None = None,
        imported_on: date | None = None,
    ) -> Line:
        """One cash event: a statement line and, once entered, its ledger journal.

        Args:
            bank_code: bank account the money moves through.
            tdate: transaction date.
            amount: cents, positive = money in.
            payee, reference, ltype: the bank's description of the line.
            lines: the journal's other lines ``(account code, cents)``, summing to ``-amount``.
            contact: the journal's contact.
            prebooked: entered on ``tdate`` (else on the day the line is reconciled).
            links: builds the line's BankStatementsPlus links when it is reconciled.
            on_booked: called with the system date when the journal is entered.
            source, fake, notes, imported_on: see :meth:`line`.
        """
        ln, recon = self.line(
            bank_code,
            tdate,
            amount,
            payee,
            reference,
            ltype,
            source=source,
            fake=fake,
            notes=notes,
            imported_on=imported_on,
        )
        entered = tdate if prebooked else recon
        if entered is None or entered > self.p.as_of:
            return ln
        entries = self.ledger.post(
            tdate, entered, [(bank_code, amount), *lines], contact=contact.id if contact else None
        )
        self.note_cash_paid(contact, tdate, amount, lines)
        if on_booked is not None:
            on_booked(entered)
        if recon is not None:
            entries[0].matched = recon
            ln.reconciled = recon
            if links is not None:
                ln.links = links()
        return ln

    def note_cash_paid(
        self, contact: Contact | None, day: date, amount: int, lines: list[tuple[str, int]]
    ) -> None:
        """Record a spend/receive money with profit-and-loss lines for the contacts reports'
        ``totalPaid`` (gross cents, under ``rev`` and/or ``exp``)."""
        cls_of = self.ledger.cls_of
        rev = exp = False
        for code, _ in lines:
            cls = cls_of[code]
            if cls == "REVENUE":
                rev = True
            elif cls == "EXPENSE":
                exp = True
        if not (rev or exp):
            return
        cid = contact.id if contact else None
        if rev:
            self.cash_paid[(cid, "rev", day)] += abs(amount)
        if exp:
            self.cash_paid[(cid, "exp", day)] += abs(amount)

    # -- link builders (BankStatementsPlus shapes) -----------------------------------------

    def _contact_ref(self, contact: Contact | None) -> dict[str, Any] | None:
        if contact is None:
            return None
        return {"contactId": contact.id, "contactName": contact.name}

    def _items(self, lines: list[tuple[str, int]], sign: int = 1) -> list[dict[str, Any]]:
        items = []
        for code, cents in lines:
            acct = self.ledger.by_code[code]
            items.append(
                {
                    "accountId": acct.id,
                    "reportingCode": acct.reporting_code,
                    "lineAmount": money(sign * cents),
                    "accountType": acct.type,
                }
            )
        return items

    def bank_tx_links(
        self, contact: Contact | None, tdate: date, amount: int, items: list[tuple[str, int]]
    ) -> Callable[[], Links]:
        """Links of a spend/receive money or transfer: one bank transaction.

        ``amount`` is the bank transaction's total (positive cents); ``items`` its line items
        ``(account code, net cents)``, tax excluded as Xero's line items are.
        """

        def build() -> Links:
            tx: dict[str, Any] = {"bankTransactionId": guid(self.rng)}
            ref = self._contact_ref(contact)
            if ref:
                tx["contact"] = ref
            tx["date"] = tdate.isoformat()
            tx["amount"] = money(amount)
            tx["lineItems"] = self._items(items)
            return {"bankTransactions": [tx]}

        return build

    def payment_links(
        self,
        tdate: date,
        parts: list[tuple[str, str, Contact, int, int, list[tuple[str, int]]]],
        batch: bool = False,
    ) -> Callable[[], Links]:
        """Links of payments: ``parts`` are (document kind, document id, contact, document
        total, payment amount, line items), kind one of invoice, creditNote, prepayment,
        overpayment. Amounts are positive cents."""

        def build() -> Links:
            batch_id = guid(self.rng) if batch and len(parts) > 1 else None
            payments = []
            for kind, doc_id, contact, total, paid, items in parts:
                pay: dict[str, Any] = {"paymentId": guid(self.rng)}
                if batch_id:
                    pay["batchPaymentId"] = batch_id
                pay.update(
                    {
                        "date": tdate.isoformat(),
                        "amount": money(paid),
                        "bankAmount": money(paid),
                        "currencyRate": 1.0,
                    }
                )
                pay[kind] = {
                    f"{kind}Id": doc_id,
                    "contact": self._contact_ref(contact),
                    "total": money(total),
                    "lineItems": self._items(items),
                }
                payments.append(pay)
            return {"payments": payments}

        return build

    # -- the business ----------------------------------------------------------------------

    def invoice(
        self,
        kind: str,
        contact: Contact,
        day: date,
        lines: list[tuple[str, int]],
        terms: int,
        taxed: bool = True,
        can_void: bool = True,
    ) -> Invoice:
        """Raise a sales invoice or enter a bill, posting it to the ledger (entered on ``day``)."""
        net = sum(a for _, a in lines)
        tax = self.tax(net) if taxed else 0
        self.numbers[kind] += 1
        n = self.numbers[kind]
        number = f"INV-{n:04d}" if kind == "ACCREC" else f"{contact.name[:3].upper()}-{4000 + n}"
        inv = Invoice(
            guid(self.rng),
            number,
            kind,
            contact,
            day,
            day + timedelta(days=terms),
            lines,
            tax,
            net + tax,
        )
        self.invoices.append(inv)
        if can_void and self.rng.random() < 0.008:
            inv.voided = True
            return inv
        if kind == "ACCREC":
            journal = [(AR, inv.gross), *[(c, -a) for c, a in lines]]
            if tax:
                journal.append((TAX, -tax))
            self.accrue_tax(day, tax)
        else:
            journal = [(AP, -inv.gross), *lines]
            if tax:
                journal.append((TAX, tax))
            self.accrue_tax(day, -tax)
        self.ledger.post(day, day, journal, contact=contact.id)
        return inv

    def credit_note(self, inv: Invoice, day: date, share_bp: int) -> int:
        """Credit part of a sales invoice (applied to it); returns the gross credited."""
        net = sum(a for _, a in inv.lines) * share_bp // 10000
        code = inv.lines[0][0]
        tax = self.tax(net) if inv.tax else 0
        self.ledger.post(
            day, day, [(code, net), (TAX, tax), (AR, -(net + tax))], contact=inv.contact.id
        )
        self.accrue_tax(day, -tax)
        inv.credits.append((day, net + tax))
        self.credits.append(Credit("creditNote", inv.contact, day, net + tax, True))
        return net + tax

    def sell_on_credit(self, spec: CustomerSpec, day: date) -> None:
        """Invoice a customer and schedule how (and whether) it pays."""
        rng = self.rng
        cust = self.contact(spec.name)
        net = self.amount(self.grown(spec.mean_invoice, day))
        inv = self.invoice("ACCREC", cust, day, [("210", net)], spec.terms)
        if inv.voided:
            return
        due = inv.gross
        if rng.random() < self.p.credit_rate:
            due -= self.credit_note(
                inv, day + timedelta(days=rng.randrange(2, 10)), rng.choice((1000, 1500, 2500))
            )
        if rng.random() < spec.never_pays:
            return
        late = rng.gauss(spec.late_mean, spec.late_mean / 2 + 2)
        pay_day = inv.due + timedelta(days=max(-spec.terms + 1, round(late)))
        if pay_day <= self.p.as_of:
            self.schedule[pay_day].append(partial(self.receive_due, inv, due))

    def receive_due(self, inv: Invoice, due: int, day: date) -> None:
        """Scheduled: the customer pays ``due`` cents of ``inv`` on ``day``."""
        self.receive(inv, day, due)

    @staticmethod
    def record_payment(inv: Invoice, day: date, amount: int, entered: date) -> None:
        """Record a booked payment of ``amount`` cents dated ``day`` on ``inv`` (``entered`` is
        the system date, unused: payments count by their own date)."""
        inv.payments.append((day, amount))

    def receive(self, inv: Invoice, day: date, due: int) -> None:
        """A customer pays an invoice by bank transfer (sometimes more than it owes)."""
        rng = self.rng
        extra = 0
        if rng.random() < self.p.overpay_rate:
            extra = rng.choice((500, 1000, 2000, 5000, 10000))
        cust = inv.contact
        ref = rng.choice(
            (
                inv.number,
                f"{inv.number} {cust.name[:12].upper()}",
                f"PAYMENT {inv.number}",
                inv.number.replace("-", ""),
            )
        )
        parts = [("invoice", inv.id, cust, inv.gross, due, inv.lines)]
        overpayment_id = guid(self.rng)
        if extra:
            parts.append(("overpayment", overpayment_id, cust, extra, extra, [(AR, extra)]))

        def booked(_: date) -> None:
            inv.payments.append((day, due))
            if extra:
                self.credits.append(Credit("overpayment", cust, day, extra, False))

        self.bank_move(
            self.main,
            day,
            due + extra,
            cust.name.upper(),
            ref,
            "Credit",
            [(AR, -(due + extra))],
            contact=cust,
            links=self.payment_links(day, parts, batch=bool(extra)),
            on_booked=booked,
        )

    def deposit(self, spec: CustomerSpec, day: date) -> None:
        """A customer pays a deposit before work starts (a prepayment)."""
        cust = self.contact(spec.name)
        net = self.amount(self.grown(spec.mean_invoice, day)) // 4
        tax = self.tax(net)
        self.accrue_tax(day, tax)
        parts = [("prepayment", guid(self.rng), cust, net + tax, net + tax, [("210", net)])]
        self.bank_move(
            self.main,
            day,
            net + tax,
            cust.name.upper(),
            "DEPOSIT",
            "Credit",
            [("210", -net), (TAX, -tax)],
            contact=cust,
            links=self.payment_links(day, parts),
        )

    def refund(self, spec: CustomerSpec, day: date) -> None:
        """A customer is credited and refunded in cash (a credit note paid out)."""
        cust = self.contact(spec.name)
        net = self.amount(spec.mean_invoice // 5)
        tax = self.tax(net)
        self.numbers["CN"] += 1
        cn_id = guid(self.rng)
        self.ledger.post(day, day, [("210", net), (TAX, tax), (AR, -(net + tax))], contact=cust.id)
        self.accrue_tax(day, -tax)
        self.credits.append(Credit("creditNote", cust, day, net + tax, True))
        pay_day = day + timedelta(days=3)
        if pay_day > self.p.as_of:
            return
        parts = [("creditNote", cn_id, cust, net + tax, net + tax, [("210", net)])]
        self.bank_move(
            self.main,
            pay_day,
            -(net + tax),
            cust.name.upper(),
            f"REFUND CN-{self.numbers['CN']:04d}",
            "Debit",
            [(AR, net + tax)],
            contact=cust,
            links=self.payment_links(pay_day, parts),
        )

    def buy(self, spec: SupplierSpec, day: date) -> None:
        """A purchase from a supplier: a bill paid on terms, a direct debit or a card spend."""
        rng = self.rng
        sup = self.contact(spec.name)
        net = self.amount(spec.mean_amount, 0.25 if spec.mode == "dd" else 0.45)
        tax = self.tax(net) if spec.taxed else 0
        bank = spec.bank or self.main
        if spec.mode == "bill":
            bill = self.invoice("ACCPAY", sup, day, [(spec.account, net)], spec.terms, spec.taxed)
            if bill.voided:
                return
            pay_day = bill.due + timedelta(days=rng.randrange(-3, 4))
            if pay_day > self.p.as_of:
                return
            self.schedule[pay_day].append(partial(self.pay_bill, bill, bank))
            return
        gross = net + tax
        self.accrue_tax(day, -tax)
        lines = [(spec.account, net)] + ([(TAX, tax)] if tax else [])
        if spec.mode == "dd":
            payee, ref, ltype = (
                spec.name.upper(),
                f"DD {spec.name[:4].upper()}{day:%m%y}",
                "DirectDebit",
            )
        else:
            payee = f"{spec.name.upper()} {rng.choice(('LONDON', 'ONLINE', 'GB', 'CARD'))}"
            ref, ltype = f"CARD {rng.randrange(1000, 9999)}", "POS"
        if bank == self.card:
            self.card_spend[(day.year, day.month)] += gross
        self.bank_move(
            bank,
            day,
            -gross,
            payee,
            ref,
            ltype,
            lines,
            contact=sup,
            links=self.bank_tx_links(sup, day, gross, [(spec.account, net)]),
        )

    def pay_bill(self, bill: Invoice, bank: str, day: date) -> None:
        """Scheduled: pay a bill in full by bank transfer (entered on the day it is paid)."""
        parts = [("invoice", bill.id, bill.contact, bill.gross, bill.gross, bill.lines)]
        self.bank_move(
            bank,
            day,
            -bill.gross,
            bill.contact.name.upper(),
            bill.number,
            "Debit",
            [(AP, bill.gross)],
            contact=bill.contact,
            prebooked=True,
            links=self.payment_links(day, parts),
            on_booked=partial(self.record_payment, bill, day, bill.gross),
        )

    def grown(self, cents: int, day: date) -> int:
        """``cents`` grown by the profile's monthly growth since the start."""
        months = (day.year - self.p.start.year) * 12 + day.month - self.p.start.month
        return int(cents * (1 + self.p.growth_bp / 10000) ** months)

    def card_payout(self, day: date) -> None:
        """Yesterday's card takings paid out by the processor, net of its fee."""
        p = self.p
        sales_day = day - timedelta(days=1)
        swing = math.sin((sales_day.timetuple().tm_yday - 100) / 365 * 2 * math.pi)
        season = max(0.0, 1 + p.season_amplitude * swing)
        weekday = (1.0, 0.9, 0.95, 1.0, 1.15, 1.45, 1.3)[sales_day.weekday()]
        mean = int(self.grown(p.card_daily, sales_day) * season * weekday)
        if mean == 0:
            return  # closed for the season: no takings, no payout
        net = self.amount(mean, 0.18)
        tax = self.tax(net)
        fee = (net + tax) * p.card_fee_bp // 10000
        payout = net + tax - fee
        self.accrue_tax(day, tax)
        proc = p.card_processor or "CARD PAYOUT"
        self.bank_move(
            self.main,
            day,
            payout,
            proc,
            f"{proc.split()[0]} {sales_day:%d%m%y}",
            "Credit",
            [("200", -net), (TAX, -tax), ("404", fee)],
            links=self.bank_tx_links(None, day, payout, [("200", net), ("404", -fee)]),
        )

    def bulk(self, day: date) -> None:
        """Many small receipts and card spends on every bank account (the large sample)."""
        p = self.p
        rng = self.rng
        move = self.bank_move
        links = self.bank_tx_links
        collected = 0
        payees = (
            "AMAZON MKTPLACE",
            "SCREWFIX DIRECT",
            "TESCO STORES",
            "COSTCO WHOLESALE",
            "SHELL",
            "UBER",
        )
        for spec in p.banks:
            code = spec.code
            for _ in range(
                rng.randint(p.bulk_receipts_daily * 3 // 4, p.bulk_receipts_daily * 5 // 4)
            ):
                net = self.amount(p.bulk_receipt_mean, 0.3)
                tax = (net * p.tax_rate_bp + 5000) // 10000
                collected += tax
                move(
                    code,
                    day,
                    net + tax,
                    "GOCARDLESS",
                    f"MEMBER {rng.randrange(100000, 999999)}",
                    "Credit",
                    [("200", -net), (TAX, -tax)],
                    links=links(None, day, net + tax, [("200", net)]),
                )
            for i in range(rng.randint(p.bulk_spend_daily * 3 // 4, p.bulk_spend_daily * 5 // 4)):
                net = self.amount(p.bulk_spend_mean, 0.5)
                tax = (net * p.tax_rate_bp + 5000) // 10000
                collected -= tax
                move(
                    code,
                    day,
                    -(net + tax),
                    payees[rng.randrange(len(payees))],
                    f"CARD {i + 1000}",
                    "POS",
                    [("485", net), (TAX, tax)],
                    links=links(None, day, net + tax, [("485", net)]),
                )
        self.accrue_tax(day, collected)

    def cash_deposit(self, day: date) -> None:
        """The week's cash takings paid in at the branch."""
        net = self.amount(self.grown(self.p.cash_weekly, day), 0.3)
        net -= net % 500  # notes and coins: whole fives
        tax = self.tax(net)
        self.accrue_tax(day, tax)
        self.bank_move(
            self.main,
            day,
            net + tax,
            "CASH DEPOSIT",
            "BRANCH COUNTER",
            "Credit",
            [("200", -net), (TAX, -tax)],
            links=self.bank_tx_links(None, day, net + tax, [("200", net)]),
        )

    def payroll(self, day: date) -> None:
        """Monthly net pay to each employee (entered by the payroll run on pay day - 1)."""
        for name in self.p.staff:
            pay = self.amount(self.p.wage, 0.08)
            self.payroll_month[(day.year, day.month)] += pay
            self.bank_move(
                self.main,
                day,
                -pay,
                name.upper(),
                f"SALARY {day:%b%y}".upper(),
                "Transfer",
                [("477", pay)],
                prebooked=True,
                links=self.bank_tx_links(None, day, pay, [("477", pay)]),
            )

    def payroll_taxes(self, day: date) -> None:
        """Payroll tax and pension on last month's pay."""
        prev = day.replace(day=1) - timedelta(days=1)
        base = self.payroll_month.get((prev.year, prev.month), 0)
        if not base:
            return
        for payee, code, share in (
            (self.p.payroll_tax_payee, "477", 2800),
            (self.p.pension_payee, "478", 600),
        ):
            amount = base * share // 10000
            who = self.contact(payee.title())
            self.bank_move(
                self.main,
                day,
                -amount,
                payee,
                f"{payee.split()[0]} {prev:%m%y}",
                "DirectDebit",
                [(code, amount)],
                contact=who,
                prebooked=True,
                links=self.bank_tx_links(who, day, amount, [(code, amount)]),
            )

    def pay_tax(self, day: date, period_end: date) -> None:
        """Pay (or reclaim) the sales tax of the period ending ``period_end``."""
        amount = self.tax_due.pop(period_end, 0)
        if amount == 0:
            return
        who = self.contact(self.p.tax_payee.title())
        ref = f"{self.p.tax_name.upper()} {period_end:%m%y}"
        self.bank_move(
            self.main,
            day,
            -amount,
            self.p.tax_payee,
            ref,
            "DirectDebit" if amount > 0 else "Credit",
            [(TAX, amount)],
            contact=who,
            links=self.bank_tx_links(who, day, abs(amount), [(TAX, abs(amount))]),
        )

    def transfer(self, src: str, dst: str, day: date, amount: int, ref: str) -> None:
        """Move money between two of the organisation's bank accounts (entered on ``day``)."""
        a = self.banks[src]
        b = self.banks[dst]
        out, out_recon = self.line(src, day, -amount, f"TO {b.name.upper()}", ref, "Transfer")
        into, in_recon = self.line(dst, day, amount, f"FROM {a.name.upper()}", ref, "Transfer")
        entries = self.ledger.post(day, day, [(dst, amount), (src, -amount)])
        for entry, ln, recon, other in (
            (entries[0], into, in_recon, src),
            (entries[1], out, out_recon, dst),
        ):
            if recon is not None:
                entry.matched = recon
                ln.reconciled = recon
                ln.links = self.bank_tx_links(None, day, amount, [(other, amount)])()

    def loan_repayment(self, day: date) -> None:
        """A monthly annuity repayment: principal to the loan, interest to expense."""
        loan = self.p.loan
        assert loan is not None
        if self.loan_balance <= 0:
            return
        rate = loan.rate_bp / 120000
        payment = int(loan.principal * rate / (1 - (1 + rate) ** -loan.months))
        interest = int(self.loan_balance * rate)
        principal = min(payment - interest, self.loan_balance)
        self.loan_balance -= principal
        who = self.contact(loan.lender)
        self.bank_move(
            self.main,
            day,
            -(principal + interest),
            loan.lender.upper(),
            f"LOAN {loan.lender[:3].upper()}{loan.drawn:%y%m}",
            "DirectDebit",
            [("900", principal), ("437", interest)],
            contact=who,
            links=self.bank_tx_links(
                who, day, principal + interest, [("900", principal), ("437", interest)]
            ),
        )

    # -- the timeline ----------------------------------------------------------------------

    def opening_balances(self) -> None:
        """Conversion balances, dated the day before the conversion date (as Xero does)."""
        p = self.p
        day = p.start - timedelta(days=1)
        lines: list[tuple[str, int]] = [(b.code, b.opening) for b in p.banks if b.opening]
        if p.opening_fixed:
            lines.append(("710", p.opening_fixed))
        if p.loan and p.loan.drawn < p.start:
            balance = p.loan.principal
            rate = p.loan.rate_bp / 120000
            payment = int(p.loan.principal * rate / (1 - (1 + rate) ** -p.loan.months))
            month = p.loan.drawn
            while add_months(month, 1) < p.start:
                month = add_months(month, 1)
                balance -= payment - int(balance * rate)
            self.loan_balance = balance
            lines.append(("900", -balance))
        rest = -sum(a for _, a in lines)
        if rest:
            lines.append((RETAINED, rest))
        if lines:
            self.ledger.post(day, day, lines, opening=True)

    def run(self) -> World:
        """Simulate every day from the conversion date to ``as_of``."""
        p = self.p
        rng = self.rng
        self.opening_balances()
        day = p.start
        assets = [(p.start - timedelta(days=1), "Opening plant", p.opening_fixed, 60)]
        if p.capital:
            self.bank_move(
                self.main,
                p.start,
                p.capital,
                p.owner.upper(),
                "CAPITAL",
                "Credit",
                [("970", -p.capital)],
                links=self.bank_tx_links(None, p.start, p.capital, [("970", p.capital)]),
            )
        while day <= p.as_of:
            dom = day.day
            month_end = _month_end(day)
            if p.card_processor and day > p.start:
                self.card_payout(day)
            if p.bulk_receipts_daily or p.bulk_spend_daily:
                self.bulk(day)
            if p.cash_weekly and day.weekday() == 0:
                self.cash_deposit(day)
            for spec in p.customers:
                if spec.since and day < spec.since:
                    continue
                if rng.random() < spec.invoices_per_month / 30.4:
                    self.sell_on_credit(spec, day)
                    if rng.random() < p.prepay_rate:
                        self.deposit(spec, day)
                    if rng.random() < p.refund_rate:
                        self.refund(spec, day)
            for sup in p.suppliers:
                if sup.mode == "dd":
                    if dom == min(sup.day, month_end.day):
                        self.buy(sup, day)
                elif rng.random() < sup.per_month / 30.4:
                    self.buy(sup, day)
            if p.staff and day == business_day_before(month_end):
                self.payroll(day)
            if p.staff and dom == 19:
                self.payroll_taxes(day)
            if dom == 7:
                period_end = _month_end(day.replace(day=1) - timedelta(days=32))
                unpaid = p.tax_unpaid_from is not None and day >= p.tax_unpaid_from
                if (
                    period_end in self.tax_due
                    and period_end.month % p.tax_every_months == 0
                    and not unpaid
                ):
                    self.pay_tax(day, period_end)
            if dom == 3:
                self.monthly(day)
            for when, supplier, net, _ in p.equipment:
                if when == day:
                    self.buy_equipment(day, supplier, net)
                    assets.append((when, supplier, net, 60))
            if day == month_end:
                self.month_end(day, assets)
            for job in self.schedule.pop(day, []):
                job(day)
            day += timedelta(days=1)
        return self.finish()

    def monthly(self, day: date) -> None:
        """Bank fees, savings sweep and interest, card top-up, loan drawdown and repayment."""
        p = self.p
        rng = self.rng
        fee = rng.randrange(1200, 4800)
        self.bank_move(
            self.main,
            day,
            -fee,
            "SERVICE CHARGES",
            "ACCOUNT FEES",
            "Fee",
            [("404", fee)],
            links=self.bank_tx_links(None, day, fee, [("404", fee)]),
        )
        if self.savings and p.savings_sweep:
            amount = self.amount(self.grown(p.savings_sweep, day), 0.2) // 10000 * 10000 or 10000
            self.transfer(self.main, self.savings, day, amount, "SAVINGS SWEEP")
            self.savings_balance += amount
        if self.savings:
            interest = self.savings_balance * 125 // 120000
            if interest > 0:
                self.savings_balance += interest
                self.bank_move(
                    self.savings,
                    day,
                    interest,
                    "GROSS INTEREST",
                    "INTEREST PAID",
                    "Interest",
                    [("270", -interest)],
                    links=self.bank_tx_links(None, day, interest, [("270", interest)]),
                )
        if self.card and p.card_topup:
            prev = day.replace(day=1) - timedelta(days=1)
            spent = self.card_spend.pop((prev.year, prev.month), 0)
            if spent:
                self.transfer(self.main, self.card, day, spent, f"CARD REPAYMENT {prev:%b%y}")
        loan = p.loan
        if loan is not None:
            if loan.drawn >= p.start and loan.drawn.replace(day=3) == day:
                who = self.contact(loan.lender)
                self.loan_balance = loan.principal
                self.bank_move(
                    self.main,
                    day,
                    loan.principal,
                    loan.lender.upper(),
                    "LOAN ADVANCE",
                    "Credit",
                    [("900", -loan.principal)],
                    contact=who,
                    links=self.bank_tx_links(who, day, loan.principal, [("900", loan.principal)]),
                )
            elif day > loan.drawn:
                self.loan_repayment(day)
        if p.hidden_loan is not None and day >= p.hidden_loan[2]:
            lender, instalment, first = p.hidden_loan
            self.bank_move(
                self.main,
                day,
                -instalment,
                lender.upper(),
                f"LOAN REPAYMENT {first:%y%m}",
                "DirectDebit",
                [("437", instalment)],
                links=self.bank_tx_links(None, day, instalment, [("437", instalment)]),
            )

    def buy_equipment(self, day: date, supplier: str, net: int) -> None:
        """Buy plant or equipment outright (investing cash flow)."""
        sup = self.contact(supplier)
        tax = self.tax(net)
        self.accrue_tax(day, -tax)
        self.bank_move(
            self.main,
            day,
            -(net + tax),
            supplier.upper(),
            "EQUIPMENT",
            "Debit",
            [("710", net), (TAX, tax)],
            contact=sup,
            links=self.bank_tx_links(sup, day, net + tax, [("710", net)]),
        )

    def month_end(self, day: date, assets: list[tuple[date, str, int, int]]) -> None:
        """Depreciation (a manual journal) of every asset bought before this month end."""
        total = sum(
            net // life
            for when, _, net, life in assets
            if net and when < day and add_months(when, life) >= day
        )
        if total:
            self.ledger.post(day, day, [("416", total), ("711", -total)], manual=True)

    def doctor(self) -> None:
        """Doctored data: receipts the bank never sent, keyed in by hand or uploaded as a
        file and reconciled to invoices raised for them; and receipts booked in the ledger
        with no statement line at all."""
        p = self.p
        rng = self.rng
        if not p.customers:
            return
        for source, count in p.fake_receipts:
            for _ in range(count):
                day = business_day(p.as_of - timedelta(days=rng.randrange(45, 200)))
                spec = rng.choice(p.customers)
                cust = self.contact(spec.name)
                net = (self.amount(spec.mean_invoice) // 5000 + 1) * 5000
                inv = self.invoice(
                    "ACCREC", cust, day - timedelta(days=21), [("210", net)], 14, can_void=False
                )
                parts = [("invoice", inv.id, cust, inv.gross, inv.gross, inv.lines)]
                self.bank_move(
                    self.main,
                    day,
                    inv.gross,
                    cust.name.upper(),
                    inv.number,
                    "Credit",
                    [(AR, -inv.gross)],
                    contact=cust,
                    source=source,
                    fake=True,
                    notes="per remittance advice" if source_kind(source) == "manual" else None,
                    links=self.payment_links(day, parts),
                    on_booked=partial(self.record_payment, inv, day, inv.gross),
                )
        for _ in range(p.ghost_receipts):
            day = p.as_of - timedelta(days=rng.randrange(5, 90))
            spec = rng.choice(p.customers)
            cust = self.contact(spec.name)
            net = (self.amount(spec.mean_invoice) // 10000 + 1) * 10000
            tax = self.tax(net)
            lines = [("210", -net), (TAX, -tax)]
            self.ledger.post(day, day, [(self.main, net + tax), *lines], contact=cust.id)
            self.note_cash_paid(cust, day, net + tax, lines)

    def behaviour(self) -> None:
        """Planted behaviour signals: dishonoured receipts, typed lines without a description,
        lines typed long after their date (the hidden loan and unpaid tax run on the
        timeline)."""
        p = self.p
        rng = self.rng
        manual = "STMTIMPORTSRC/MANUAL"
        for _ in range(p.dishonoured_receipts if p.customers else 0):
            day = business_day(p.as_of - timedelta(days=rng.randrange(20, 300)))
            spec = rng.choice(p.customers)
            cust = self.contact(spec.name)
            gross = self.amount(spec.mean_invoice) + self.tax(self.amount(spec.mean_invoice))
            ref = f"INV-{rng.randrange(9000, 9999)}"
            for when, amount, reference in (
                (day, gross, ref),
                (business_day(day + timedelta(days=2)), -gross, f"DISHONOUR {ref}"),
            ):
                self.bank_move(
                    self.main,
                    when,
                    amount,
                    cust.name.upper(),
                    reference,
                    "Credit" if amount > 0 else "Debit",
                    [(AR, -amount)],
                    contact=cust,
                    links=self.bank_tx_links(cust, when, abs(amount), [(AR, abs(amount))]),
                )
        count, late_days = p.late_lines
        # Blank lines in the last 400 days; late ones before mid-August 2025, so that the two
        # never share a weekly manual statement (nor harbour's hand-keyed week): a statement's
        # lines all reach Xero when it is imported, so every late line of one week is given
        # that week's end plus ``late_days``.
        planted = [("", "", None, (60, 400)) for _ in range(p.blank_lines)] + [
            ("PETTY CASH", f"RECEIPT {n + 1:03d}", late_days, (450, 700)) for n in range(count)
        ]
        for payee, reference, late, (near, far) in planted:
            day = business_day(p.as_of - timedelta(days=rng.randrange(near, far)))
            amount = rng.randrange(1500, 9000)
            week_end = day + timedelta(days=6 - day.weekday())
            self.bank_move(
                self.main,
                day,
                -amount,
                payee,
                reference,
                "Debit",
                [("449", amount)],
                source=manual,
                imported_on=week_end + timedelta(days=late) if late else None,
                links=self.bank_tx_links(None, day, amount, [("449", amount)]),
            )

    def round_sums(self) -> None:
        """Planted hygiene signal (``round_sum_receipts``): the owner's own money paid into the
        trading account in whole hundreds and booked as sales, each receipt through the feed
        like any other line. Every draw (days, amounts, line and transaction GUIDs,
        reconciliation lags) comes from a generator of its own, seeded from the profile's seed
        and the signal's name: the main sequence, and so every other line and statement of the
        sample, is what it is without them. The days are business days, on which the feed
        already imports a statement of the trading account, so no statement is added."""
        p = self.p
        if p.round_sum_receipts is None:
            return
        payer, count, first = p.round_sum_receipts
        days = [
            first + timedelta(days=n)
            for n in range((p.as_of - first).days)
            if (first + timedelta(days=n)).weekday() < 5
        ]
        main_rng, self.rng = self.rng, random.Random(f"{p.seed}/round-sum-receipts")
        try:
            rng = self.rng
            # Distinct (day, amount) pairs: two equal receipts of one day would read as a
            # duplicate line, a signal of its own.
            pairs = [(day, hundreds * 10_000) for day in days for hundreds in range(1, 7)]
            for day, gross in sorted(rng.sample(pairs, count)):
                net = (gross * 10_000 + (10_000 + p.tax_rate_bp) // 2) // (10_000 + p.tax_rate_bp)
                tax = gross - net
                self.accrue_tax(day, tax)
                self.bank_move(
                    self.main,
                    day,
                    gross,
                    payer.upper(),
                    "EVENT BOOKING",
                    "Credit",
                    [("200", -net), (TAX, -tax)],
                    links=self.bank_tx_links(None, day, gross, [("200", net)]),
                )
        finally:
            self.rng = main_rng

    def finish(self) -> World:
        """Build the statements and return the world."""
        self.doctor()
        self.behaviour()
        self.round_sums()
        rng = self.rng
        banks = list(self.banks.values())
        for bank in banks:
            build_statements(bank, rng, self.typed_balances(bank))
        return World(
            self.p,
            self.ledger,
            banks,
            list(self.contacts.values()),
            self.invoices,
            self.credits,
            dict(self.cash_paid),
            self.tenant_id,
        )

    def typed_balances(self, bank: BankAccount) -> dict[date, tuple[int, int]]:
        """Doctored data: balances the user typed on statements holding fake lines: the bank's
        true balance at the statement's start plus ``typed_balance_offset``, and that plus the
        statement's lines. Keyed by statement start date."""
        if not self.p.typed_balance_offset:
            return {}
        fakes: dict[date, int] = defaultdict(int)
        for ln in bank.lines:
            if ln.fake and ln.imported is not None:
                fakes[statement_key(ln)[1]] += ln.amount
        typed = {}
        for start, moved in fakes.items():
            true = bank.opening + sum(
                ln.amount for ln in bank.lines if ln.pdate < start and not (ln.fake or ln.duplicate)
            )
            begin = true + self.p.typed_balance_offset
            typed[start] = (begin, begin + moved)
        return typed


def business_day_before(day: date) -> date:
    """``day`` or the Friday before it when it falls on a weekend."""
    wd = day.weekday()
    return day - timedelta(days=wd - 4) if wd >= 5 else day
