"""The one reader of BankStatementsPlus responses into frames: exact, by column.

A large applicant's snapshot holds a million statement lines. This reader decodes a response
with msgspec into compact structs (tuples, not lists, and structs the garbage collector does not
track, so that a million lines cost no collector passes) and makes each column of the file's
frames in one pass over the structs, the conversions and checks done by Polars on whole
columns: amounts are kept as their JSON text (``msgspec.Raw``) and made exact ``Int64``
thousandths from their digits (the text without its point, one integer cast, scaled by the
places written; exponents and other rare forms the models' way, one by one), dates are parsed
and range-checked as text, GUIDs lower-cased, links tied to their lines by an integer index.
Each kind's Polars plan runs in a second thread (Polars releases the interpreter lock) as soon
as its values are gathered, while this thread takes the other columns out of the structs.

Why not a JSON reader straight into columns: Polars' own (``pl.read_json`` with the nested
schema) reads every number as a binary float (a ``String`` field gets the float's shortest
text, a ``Decimal`` field the float's digits), keeps the first of two equal keys where the
models keep the last, and turns a lone surrogate into U+0000; and on the large sample it took
longer than msgspec's decode and this reader's columns together (docs/benchmarks.md, "Ingest
straight into columns").

**One definition.** The structs are derived from the pydantic models of
:mod:`lendcheck.xero.models` (:func:`struct_for`): the same fields under the same JSON names.
The models stay the definition of what a response may hold; this reader only takes the responses
it can prove the models would read the same way:

* msgspec is strict where the models are lax or equal: a text is only a JSON string, a flag
  only ``true``/``false``, a list only a JSON array; a duplicate key is the last one, as the
  models' path reads these files too (:mod:`lendcheck.limits`). What msgspec refuses (a number
  where a string belongs, a ``NaN``, a lone surrogate...) makes the reader decline.
* The fields the models check with a function are checked here by column, with the same
  limits: money (:data:`lendcheck.xero.models.Money`) must be a JSON number under
  :data:`~lendcheck.xero.models.MONEY_LIMIT`, required IDs must be non-empty, IDs are
  lower-cased; a date must be ``YYYY-MM-DD`` (anything else pydantic might take is declined).
* Statement and response headers (a few per file) are validated by the models themselves.

When the reader declines (returns None), the file is read through the models
(:func:`statement_frames`): they either refuse it, naming the field, or give a model that is
written back as canonical JSON and read by this same reader, so both paths make their frames
with one piece of code. Equivalence is tested on every committed sample, the corpus and
generated hostile files (``tests/core/test_statement_reader.py``).
"""

from __future__ import annotations

import datetime as dt
import itertools
import types
import typing
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from decimal import Decimal, InvalidOperation
from typing import Any

import msgspec
import polars as pl
from pydantic import BaseModel, ValidationError
from pydantic.fields import FieldInfo

from lendcheck import limits
from lendcheck.errors import SnapshotError
from lendcheck.frames.statements import (
    LINKS_SCHEMA,
    STATEMENT_LINES_SCHEMA,
    STATEMENTS_SCHEMA,
    StatementFrames,
    import_source_kind,
)
from lendcheck.money import MINOR_DIGITS, MINOR_UNITS, currency_digits, to_minor_units, too_fine
from lendcheck.xero import models
from lendcheck.xero.models import MONEY_LIMIT, BankStatements, Statement, StatementLine


def _validator(info: FieldInfo) -> Any:
    """The function a field's ``BeforeValidator`` calls, or None."""
    for meta in info.metadata:
        func = getattr(meta, "func", None)
        if func is not None:
            return func
    return None


def _validators(*annotated: Any) -> set[Any]:
    return {_validator(FieldInfo.from_annotation(a)) for a in annotated}


#: The models' checks this reader makes by column (:func:`_money`, :func:`_guids`); a field
#: whose model has any other validator has no struct type (a model change must be matched here).
_MONEY_VALIDATORS = _validators(models.Money, models.RequiredMoney)
_GUID_VALIDATORS = _validators(models.Guid, models.RequiredGuid)
#: An absent amount, as its JSON text.
_NULL = msgspec.Raw(b"null")


def _struct_type(annotation: Any, info: FieldInfo | None) -> Any:
    """The msgspec type for a model field's annotation (``info`` gives its validators)."""
    func = _validator(info) if info is not None else None
    if func in _MONEY_VALIDATORS:
        return msgspec.Raw  # the JSON text, checked and converted by column
    if func in _GUID_VALIDATORS:
        return str
    if func is not None:
        raise TypeError(f"no struct type for {annotation!r} checked by {func.__name__}")
    origin = typing.get_origin(annotation)
    if origin in (types.UnionType, typing.Union):
        args = typing.get_args(annotation)
        inner = [a for a in args if a is not type(None)]
        if len(inner) == 1:
            return _struct_type(inner[0], None) | None
        raise TypeError(f"no struct type for {annotation!r}")
    if origin is typing.Annotated:
        base = typing.get_args(annotation)[0]
        return _struct_type(base, FieldInfo.from_annotation(annotation))
    if origin is list:
        # A tuple, not a list: a million lists would each be tracked by the garbage collector.
        (item,) = typing.get_args(annotation)
        return tuple[_struct_type(item, None), ...]  # type: ignore[misc]
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return struct_for(annotation)
    if annotation is Decimal:
        # Never used in frames (currencyRate); any JSON number, as the model takes.
        return float
    if annotation is dt.date:
        return str  # YYYY-MM-DD, checked by column
    if annotation in (str, bool):
        return annotation
    raise TypeError(f"no struct type for {annotation!r}")


_STRUCTS: dict[type[BaseModel], type[msgspec.Struct]] = {}


def struct_for(model: type[BaseModel]) -> type[msgspec.Struct]:
    """The msgspec struct with the fields of a pydantic model: same Python names, JSON names
    from the model's aliases, same defaults (None, False, an empty tuple for a list, JSON
    ``null`` for money); money as its JSON text (``msgspec.Raw``), dates and GUIDs as the text
    given (checked, and GUIDs lower-cased, by column), lists as tuples.

    Raises:
        TypeError: a field's type has no struct equivalent (a model was changed: extend
            :func:`_struct_type`).
    """
    if model in _STRUCTS:
        return _STRUCTS[model]
    fields: list[tuple[str, Any, Any]] = []
    rename: dict[str, str] = {}
    for name, info in model.model_fields.items():
        kind = _struct_type(info.annotation, info)
        if info.is_required():
            fields.append((name, kind, msgspec.NODEFAULT))
        elif info.default_factory is list:
            fields.append((name, kind, ()))
        elif kind is msgspec.Raw:
            fields.append((name, kind, _NULL))
        else:
            fields.append((name, kind, info.default))
        rename[name] = info.alias or name
    struct = msgspec.defstruct(
        f"{model.__name__}Struct", fields, kw_only=True, rename=rename, gc=False
    )
    _STRUCTS[model] = struct
    return struct


def _header_struct(model: type[BaseModel], nested: str, nested_type: Any) -> type[msgspec.Struct]:
    """A struct for a response or statement header: every field as it comes (``Any``, UNSET
    when absent), for the model itself to validate, and the ``nested`` list typed."""
    fields: list[tuple[str, Any, Any]] = [
        (name, Any, msgspec.UNSET) for name in model.model_fields if name != nested
    ]
    fields.append((nested, nested_type, ()))
    rename = {name: info.alias or name for name, info in model.model_fields.items()}
    return msgspec.defstruct(
        f"{model.__name__}Header", fields, kw_only=True, rename=rename, gc=False
    )


_LINE = struct_for(StatementLine)
_STATEMENT = _header_struct(Statement, "statement_lines", tuple[_LINE, ...])  # type: ignore[valid-type]
_RESPONSE = _header_struct(BankStatements, "statements", tuple[_STATEMENT, ...])  # type: ignore[valid-type]
_DECODER = msgspec.json.Decoder(_RESPONSE, float_hook=Decimal)
#: Writes a model back as the JSON Xero would have sent (amounts as JSON numbers).
_ENCODER = msgspec.json.Encoder(decimal_format="number")

_M = typing.TypeVar("_M", bound=BaseModel)


def _header(model: type[_M], raw: msgspec.Struct, nested: str) -> _M:
    """The header validated by its model from the fields present, by their JSON names."""
    data = {
        info.alias or name: value
        for name, info in model.model_fields.items()
        if name != nested and (value := getattr(raw, name)) is not msgspec.UNSET
    }
    return model.model_validate(data, by_alias=True, by_name=False)


class _Declined(Exception):
    """The bytes hold something this reader cannot prove the models read the same way."""


def read_bank_statements(body: bytes, file: str) -> StatementFrames | None:
    """Read a BankStatementsPlus response into its frames, or decline.

    Args:
        body: the response's bytes, as Xero sent them.
        file: its file in the snapshot (for statements without an ID and error messages).

    Returns:
        The file's :class:`lendcheck.frames.StatementFrames`, exactly those
        :func:`statement_frames` makes from the models of the same bytes; or None when the bytes
        hold anything this reader cannot prove the models read the same way (then read them
        with :func:`statement_frames`, which also names what the models refuse).
    """
    try:
        return _read(body, file)
    except (_Declined, SnapshotError):  # the models' path names what is wrong
        return None


def statement_frames(file: str, response: BankStatements) -> StatementFrames:
    """The frames of one BankStatementsPlus response read through the models: the model written
    back as JSON and read by :func:`read_bank_statements`'s code.

    Raises:
        SnapshotError: a statement or line amount has more decimal places than the account's
            currency has (ISO 4217; three when the response states none), another amount more
            than three; a date is outside :data:`lendcheck.limits.EARLIEST_DATE` to
            :data:`~lendcheck.limits.LATEST_DATE`. The message names the file and the field.
    """
    try:
        return _read(_ENCODER.encode(response.model_dump(by_alias=True)), file)
    except (_Declined, msgspec.DecodeError, ValidationError) as exc:  # pragma: no cover
        raise AssertionError(f"{file}: a model the reader cannot read back ({exc})") from exc


def _read(body: bytes, file: str) -> StatementFrames:
    try:
        raw: Any = _DECODER.decode(body)
        response = _header(BankStatements, raw, "statements")
        statements = [
            (_header(Statement, st, "statement_lines"), st.statement_lines) for st in raw.statements
        ]
    except (msgspec.DecodeError, ValidationError, RecursionError):
        raise _Declined from None
    return _file_frames(file, response, statements)


def _file_frames(
    file: str, response: BankStatements, statements: Sequence[tuple[Statement, Sequence[Any]]]
) -> StatementFrames:
    """The frames of one file from its validated headers and its lines' structs (or the
    canonical structs of its model): each kind of column (GUIDs, dates, money) made in one
    polars pass over every field of that kind, then checked in the order the models' path
    reports errors."""
    account_id = response.bank_account_id
    currency = response.bank_account_currency_code
    rows: dict[str, dict[str, Any]] = {}
    # Each statement's (id, source, kind, import time), in file order.
    owners: list[tuple[str, str | None, str, Any]] = []
    wheres: list[str] = []
    for s_index, (st, _) in enumerate(statements):
        kind = import_source_kind(st.import_source)
        statement_id = st.statement_id or f"{account_id}:{file}:{s_index}"
        where = f"{file}: statements[{s_index}]"
        if statement_id not in rows:
            rows[statement_id] = _statement_row(account_id, statement_id, kind, st, where, currency)
        owners.append((statement_id, st.import_source, kind, st.imported_date_time_utc))
        wheres.append(where)
    lines: list[Any] = list(itertools.chain.from_iterable(lines for _, lines in statements))
    places = _Places(wheres, [len(lines) for _, lines in statements])

    # A list comprehension for each field: Python specialises its attribute read to the
    # struct's slot, which is faster than operator.attrgetter, or than one tuple of fields a
    # struct (msgspec.structs.astuple or a multi-field attrgetter) and zip. Each list is made a
    # column and freed at once, while its values are still in the processor's caches.
    pay_lists = [line.payments for line in lines]
    bt_lists = [line.bank_transactions for line in lines]
    pay_counts = pl.Series(list(map(len, pay_lists)), dtype=pl.Int32)
    bt_counts = pl.Series(list(map(len, bt_lists)), dtype=pl.Int32)
    # (most lines have no payment: the empty tuples are left out before the flattening)
    payments = list(itertools.chain.from_iterable(filter(None, pay_lists)))
    transactions = list(itertools.chain.from_iterable(filter(None, bt_lists)))
    del pay_lists, bt_lists
    pay_line, bt_line = _owner(pay_counts), _owner(bt_counts)
    # A payment's document is its first of these; the models check the amounts of all.
    docs = [p.invoice or p.credit_note or p.prepayment or p.overpayment for p in payments]
    every_doc = [
        d
        for p in payments
        for d in (p.invoice, p.credit_note, p.prepayment, p.overpayment)
        if d is not None
    ]
    # Each link's line items (a payment's from its document), flattened once for the money
    # and the list columns.
    item_lists = [d.line_items if d else () for d in docs]
    n_doc_items = sum(map(len, item_lists))
    item_lists += [t.line_items for t in transactions]
    items = list(itertools.chain.from_iterable(item_lists))
    pay_contacts = [d and d.contact for d in docs]
    bt_contacts = [t.contact for t in transactions]

    money = _Segments(_joined)
    money.add([line.amount for line in lines])
    money.add([p.amount for p in payments])
    money.add([t.amount for t in transactions])
    money.add([p.bank_amount for p in payments])
    # checked as the models check them, not kept
    money.add([d.total for d in every_doc])
    money.add([i.line_amount for d in every_doc for i in d.line_items])
    money.add([i.line_amount for i in itertools.islice(items, n_doc_items, None)])
    # One polars pass for each kind of column, each run in a second thread as soon as its
    # values are gathered (polars releases the interpreter lock), while this thread takes the
    # other columns out of the structs.
    with ThreadPoolExecutor(max_workers=1) as pool:
        money_plan = pool.submit(_collect, _money(money.parts))
        guids = _Segments(_texts)
        guids.add([line.statement_line_id for line in lines])
        guids.add([p.payment_id for p in payments])
        guids.add([t.bank_transaction_id for t in transactions])
        guids.add(
            [
                d and (d.invoice_id or d.credit_note_id or d.prepayment_id or d.overpayment_id)
                for d in docs
            ]
        )
        guids.add([c and c.contact_id for c in pay_contacts])
        guids.add([c and c.contact_id for c in bt_contacts])
        guid_plan = pool.submit(_collect, _guids(pl.concat(guids.parts, rechunk=True)))
        dates = _Segments(_texts)
        dates.add([line.posted_date for line in lines])
        dates.add([line.transaction_date for line in lines])
        dates.add([p.date for p in payments])
        dates.add([t.date for t in transactions])
        date_plan = pool.submit(_collect, _dates(pl.concat(dates.parts, rechunk=True)))
        list_plan = pool.submit(_collect, _list_columns(list(map(len, item_lists)), items))
        del item_lists, items
        # The statement line columns taken out of the structs as they are.
        taken = {
            "payee": _texts([line.payee for line in lines]),
            "reference": _texts([line.reference for line in lines]),
            "type": _texts([line.type for line in lines]),
            "is_reconciled": pl.Series([line.is_reconciled for line in lines], dtype=pl.Boolean),
            "is_duplicate": pl.Series([line.is_duplicate for line in lines], dtype=pl.Boolean),
            "is_deleted": pl.Series([line.is_deleted for line in lines], dtype=pl.Boolean),
        }
        kinds = [
            "invoice"
            if p.invoice is not None
            else "credit_note"
            if p.credit_note is not None
            else "prepayment"
            if p.prepayment is not None
            else "overpayment"
            if p.overpayment is not None
            else None
            for p in payments
        ]
        contact_names = pl.concat(
            [
                _texts([c and c.contact_name for c in pay_contacts]),
                _texts([c and c.contact_name for c in bt_contacts]),
            ],
            rechunk=True,
        )
        del docs, every_doc, pay_contacts, bt_contacts
        guid_frame, date_frame = guid_plan.result(), date_plan.result()
        money_frame, list_frame = money_plan.result(), list_plan.result()
    guids.frame = _guids_done(guid_frame, len(lines))
    dates.frame = _dates_done(date_frame)
    if money_frame.height != money.bounds[-1]:
        raise _Declined  # a value spread over lines: a list or object, never an amount
    money.frame = _money_done(money_frame)
    if money.frame["is_null"].head(len(lines)).any():
        raise _Declined  # a statement line's amount is required

    def link(owner: pl.Series, field: str) -> Callable[[int], str]:
        def at(k: int) -> str:
            i = int(owner[k])
            j = k - int(owner.search_sorted(i, side="left"))  # the link's index among its line's
            return f"{places.line(i)}.{field.format(j)}"

        return at

    # The errors the models' path reports, in its order.
    posted = dates.checked(0, lambda k: f"{places.line(k)}.postedDate")
    transacted = dates.checked(1, lambda k: f"{places.line(k)}.transactionDate")
    amount = money.checked(0, lambda k: f"{places.line(k)}.amount", currency)
    pay_dates = dates.checked(2, lambda k: link(pay_line, "payments[{}]")(k) + ".date")
    bt_dates = dates.checked(3, lambda k: link(bt_line, "bankTransactions[{}]")(k) + ".date")
    pay_amounts = money.checked(1, link(pay_line, "payments[{}].amount"))
    bt_amounts = money.checked(2, link(bt_line, "bankTransactions[{}].amount"))
    pay_bank = money.checked(3, link(pay_line, "payments[{}].bankAmount"))

    line_ids = guids.part(0)
    by_statement = pl.DataFrame(
        owners,
        schema=["statement_id", "import_source", "import_source_kind", "imported_at"],
        schema_overrides={
            k: STATEMENT_LINES_SCHEMA[k]
            for k in ("statement_id", "import_source", "import_source_kind", "imported_at")
        },
        orient="row",
    ).select(pl.all().gather(places.statement))
    line_columns: dict[str, Any] = {
        "bank_account_id": _repeat(account_id, len(lines), pl.String),
        **by_statement.to_dict(),
        "statement_line_id": line_ids,
        "posted_date": posted,
        "transaction_date": transacted.fill_null(posted),
        "amount": amount,
        **taken,
        "payment_count": pay_counts,
        "bank_transaction_count": bt_counts,
    }
    n_pay, n_bt = len(payments), len(transactions)
    none = _repeat(None, n_bt, pl.String)
    link_kind = pl.concat(
        [
            _repeat(0, n_pay, pl.Int8),
            _repeat(1, n_bt, pl.Int8),
        ],
        rechunk=True,
    )
    link_columns = {
        "_line": pl.concat([pay_line, bt_line]),
        "_kind": link_kind,
        "link_kind": pl.Series(["payment", "bank_transaction"], dtype=pl.String).gather(link_kind),
        "link_id": pl.concat([guids.part(1), guids.part(2)]),
        "document_kind": pl.concat([pl.Series(kinds, dtype=pl.String), none]),
        "document_id": pl.concat([guids.part(3), none]),
        "contact_id": pl.concat([guids.part(4), guids.part(5)]),
        "contact_name": contact_names,
        "date": pl.concat([pay_dates, bt_dates]),
        "amount": pl.concat([pay_amounts, bt_amounts]),
        "bank_amount": pl.concat([pay_bank, _repeat(None, n_bt, pl.Int64)]),
    }
    links = pl.DataFrame(link_columns).hstack(list_frame)
    if n_pay and n_bt:  # each kind alone is in line order already
        links = links.sort("_line", "_kind", maintain_order=True)
    return StatementFrames(
        bank_account_id=account_id,
        bank_account_name=response.bank_account_name,
        bank_account_currency_code=response.bank_account_currency_code,
        statements=pl.DataFrame(list(rows.values()), schema=STATEMENTS_SCHEMA),
        statement_lines=pl.DataFrame(
            {name: line_columns[name] for name in STATEMENT_LINES_SCHEMA},
            schema=STATEMENT_LINES_SCHEMA,
        ),
        links=links.with_columns(
            bank_account_id=pl.lit(account_id, dtype=pl.String),
            statement_line_id=line_ids.gather(links["_line"]),
        ).select(list(LINKS_SCHEMA)),
    )


class _Places:
    """Where the k-th line of a file stands, for messages: ``<file>: statements[i]
    .statementLines[j]``."""

    def __init__(self, wheres: list[str], per_statement: list[int]) -> None:
        self.wheres = wheres
        self.starts = list(itertools.accumulate(per_statement, initial=0))
        self.statement = _owner(per_statement)

    def line(self, k: int) -> str:
        i = int(self.statement[k])
        return f"{self.wheres[i]}.statementLines[{k - self.starts[i]}]"


class _Segments:
    """Columns of one kind (GUIDs, dates, money) made in one pass over every part's values:
    each part, once added, made what the pass reads (``make``: a column of texts, or the
    amounts' JSON text) and its list of values freed; ``frame`` (set once made) one row per
    value, the parts in turn."""

    def __init__(self, make: Callable[[list[Any]], Any]) -> None:
        self.make = make
        self.parts: list[Any] = []
        self.bounds = [0]
        self.frame: pl.DataFrame = pl.DataFrame()

    def add(self, values: list[Any]) -> None:
        self.parts.append(self.make(values))
        self.bounds.append(self.bounds[-1] + len(values))

    def _slice(self, column: pl.Series, index: int) -> pl.Series:
        start = self.bounds[index]
        return column.slice(start, self.bounds[index + 1] - start)

    def part(self, index: int) -> pl.Series:
        """The GUIDs of part ``index``, lower-cased."""
        return self._slice(self.frame["guid"], index)

    def checked(
        self, index: int, where: Callable[[int], str], currency: str | None = None
    ) -> pl.Series:
        """Part ``index`` of a date or money frame, after its check.

        Raises:
            SnapshotError: a date outside :data:`lendcheck.limits.EARLIEST_DATE` to
                :data:`~lendcheck.limits.LATEST_DATE`, or an amount with more decimal places
                than ``currency`` has (ISO 4217; three when not stated), named by
                ``where(k)``, ``k`` the value's index in the part.
        """
        frame = self.frame
        if "day" in frame.columns:
            outside = self._slice(frame["outside"], index)
            if outside.any():
                k = int(outside.arg_true()[0])
                raise _date_error(where(k), self._slice(frame["day"], index)[k])
            return self._slice(frame["day"], index)
        digits = currency_digits(currency) if currency else MINOR_DIGITS
        finer = self._slice(frame["places"], index) > digits
        if finer.any():
            k = int(finer.arg_true()[0])
            text = self._slice(frame["text"], index)[k]
            raise SnapshotError(f"{where(k)}: {too_fine(Decimal(text), currency)}")
        return self._slice(frame["value"], index)


def _statement_row(
    account_id: str, statement_id: str, kind: str, st: Statement, where: str, currency: str | None
) -> dict[str, Any]:
    _check_statement_dates(st, where)
    return {
        "bank_account_id": account_id,
        "statement_id": statement_id,
        "import_source": st.import_source,
        "import_source_kind": kind,
        "imported_at": st.imported_date_time_utc,
        "start_date": st.start_date,
        "end_date": st.end_date,
        "start_balance": _minor(st.start_balance, f"{where}.startBalance", currency),
        "end_balance": _minor(st.end_balance, f"{where}.endBalance", currency),
        "indicative_start_balance": _minor(
            st.indicative_start_balance, f"{where}.indicativeStartBalance", currency
        ),
        "indicative_end_balance": _minor(
            st.indicative_end_balance, f"{where}.indicativeEndBalance", currency
        ),
    }


def _minor(value: Decimal | None, where: str, currency: str | None) -> int | None:
    if value is None:
        return None
    try:
        return to_minor_units(value, currency)
    except ValueError as exc:
        raise SnapshotError(f"{where}: {exc}") from exc


def _date_error(where: str, value: object) -> SnapshotError:
    return SnapshotError(
        f"{where} {value} is outside the dates lendcheck reads ({limits.EARLIEST_DATE} to "
        f"{limits.LATEST_DATE}); Xero sends no such date"
    )


def _check_statement_dates(st: Statement, where: str) -> None:
    for field, value in (
        ("startDate", st.start_date),
        ("endDate", st.end_date),
        ("importedDateTimeUtc", st.imported_date_time_utc),
    ):
        day = value.date() if isinstance(value, dt.datetime) else value
        if day is not None and not limits.EARLIEST_DATE <= day <= limits.LATEST_DATE:
            raise _date_error(f"{where}.{field}", value)


def _texts(values: list[str | None]) -> pl.Series:
    return pl.Series(values, dtype=pl.String)


def _joined(raws: list[msgspec.Raw]) -> bytes:
    """Amounts' JSON texts, one a line (JSON text holds no line break)."""
    return b"\n".join(raws)


def _guids(texts: pl.Series) -> pl.LazyFrame:
    """GUIDs lower-cased as :data:`lendcheck.xero.models.Guid` does (``guid``; by polars,
    whose lower case is Python's for ASCII: ``ascii`` says which), and ``clear`` where polars
    can tell a value is not blank (a visible ASCII character at either end); ``text`` as
    given."""
    text = pl.col("text")
    return pl.LazyFrame({"text": texts}).select(
        "text",
        guid=text.str.to_lowercase(),
        ascii=(text.str.len_bytes() == text.str.len_chars()).fill_null(True),
        clear=text.str.contains(r"^[\x21-\x7e]|[\x21-\x7e]$").fill_null(True),
    )


def _guids_done(frame: pl.DataFrame, required: int) -> pl.DataFrame:
    """:func:`_guids`'s frame with values that are not ASCII lower-cased by Python; declines
    (:class:`_Declined`) when one of the first ``required`` values (statement line IDs) is
    empty or blank as Python's ``str.strip`` sees it (:data:`~lendcheck.xero.models.RequiredGuid`).
    """
    doubtful = ~frame["clear"].head(required)
    if doubtful.any() and not all(
        map(str.strip, frame["text"].gather(doubtful.arg_true()).to_list())
    ):
        raise _Declined
    if not frame["ascii"].all():
        rows = (~frame["ascii"]).arg_true()
        lowered = [text.lower() for text in frame["text"].gather(rows).to_list()]
        frame = frame.with_columns(frame["guid"].scatter(rows, lowered))
    return frame


def _money(parts: list[bytes]) -> pl.LazyFrame:
    """Amounts from their JSON texts (``parts``, each of :func:`_joined`), one row each:
    ``value`` in thousandths as :func:`lendcheck.money.to_minor_units` converts them,
    ``places`` (decimal places, trailing zeros aside), ``is_null``, ``fits`` (a number without
    exponent of at most 15 integer digits, strictly within
    :data:`~lendcheck.xero.models.MONEY_LIMIT`, and at most three decimal places written) and
    ``text``. ``value`` and ``places`` are set where ``fits``; :func:`_money_done` finishes
    what is not ``null`` and does not fit.

    The texts are valid JSON values (msgspec read them), so a text whose digits, the point
    taken out, make an integer is a number without exponent: its thousandths are those digits
    times ten to the power of three less the places written, exactly, in ``Int64``.
    """
    texts = [part for part in parts if part]
    if not texts:
        joined = pl.LazyFrame({"text": pl.Series([], dtype=pl.String)})
    else:
        # One text for the column, split by polars.
        joined = pl.LazyFrame({"text": [b"\n".join(texts).decode()]}).select(
            pl.col("text").str.split("\n").explode()
        )
    text = pl.col("text")
    size = text.str.len_bytes().cast(pl.Int32)
    written = pl.col("written")
    value = pl.col("value")
    return (
        joined.with_columns(point=text.str.find(".", literal=True).cast(pl.Int32))
        .with_columns(
            written=(size - pl.col("point") - 1).fill_null(0),
            whole=pl.col("point").fill_null(size) - text.str.starts_with("-").cast(pl.Int32),
        )
        .select(
            "text",
            is_null=text == "null",
            # at most 15 integer digits (strictly within the limit of 10**15) and three places
            # written: the digits are then at most 18, an exact Int64 however scaled
            fits=(pl.col("whole") <= len(str(MONEY_LIMIT)) - 1) & (written <= MINOR_DIGITS),
            digits=text.str.replace(".", "", literal=True, n=1).cast(pl.Int64, strict=False),
            written=written,
        )
        .with_columns(fits=pl.col("fits") & pl.col("digits").is_not_null())
        .with_columns(
            digits=pl.when("fits").then("digits"),
            written=written.clip(0, MINOR_DIGITS),
        )
        .select(
            "text",
            "is_null",
            "fits",
            value=pl.col("digits") * pl.lit(10, pl.Int64).pow(MINOR_DIGITS - written),
        )
        .with_columns(
            places=pl.when("fits")
            .then(
                # the places written less the trailing zeros: 12340 thousandths have two
                MINOR_DIGITS
                - (value % 10 == 0).cast(pl.Int32)
                - (value % 100 == 0).cast(pl.Int32)
                - (value % 1000 == 0).cast(pl.Int32)
            )
            .otherwise(0)
        )
    )


def _money_done(frame: pl.DataFrame) -> pl.DataFrame:
    """:func:`_money`'s frame with the amounts the column operations leave (exponents, 16
    digits or more) converted; declines (:class:`_Declined`) what the models refuse: a value
    that is not a JSON number or ``null``, or one not strictly within +/-
    :data:`~lendcheck.xero.models.MONEY_LIMIT`."""
    odd = ~(frame["is_null"] | frame["fits"])
    if odd.any():
        rows = odd.arg_true()
        converted = [_odd_amount(t) for t in frame["text"].gather(rows).to_list()]
        frame = frame.with_columns(
            frame["value"].scatter(rows, pl.Series([v for v, _ in converted], dtype=pl.Int64)),
            frame["places"].scatter(rows, pl.Series([n for _, n in converted], dtype=pl.Int32)),
        )
    return frame


def _odd_amount(text: str) -> tuple[int | None, int]:
    """An amount's thousandths (None when finer than a thousandth) and its decimal places,
    from JSON text the column operations leave (an exponent, 16 or more digits), the models'
    way; declines what they refuse."""
    if not (text[:1].isdigit() or (text[:1] == "-" and text[1:2].isdigit())):
        raise _Declined  # a string, flag, list or object: not a JSON number
    try:
        value = Decimal(text)
    except InvalidOperation:  # pragma: no cover - msgspec decoded it as JSON
        raise _Declined from None
    if not value.is_finite() or abs(value) >= MONEY_LIMIT:
        raise _Declined
    exponent = value.normalize().as_tuple().exponent
    places = max(0, -exponent) if isinstance(exponent, int) else 0
    scaled = value * MINOR_UNITS
    return (int(scaled) if places <= MINOR_DIGITS else None), places


#: Days from 1970-01-01 (polars' day 0) to the first and last dates read.
_EARLIEST = (limits.EARLIEST_DATE - dt.date(1970, 1, 1)).days
_LATEST = (limits.LATEST_DATE - dt.date(1970, 1, 1)).days


def _dates(texts: pl.Series) -> pl.LazyFrame:
    """Dates from ``YYYY-MM-DD`` texts, one row each: ``day``
    (``Date``, None kept), ``outside`` (before :data:`lendcheck.limits.EARLIEST_DATE` or after
    :data:`~lendcheck.limits.LATEST_DATE`) and ``bad`` (any other text)."""
    return (
        pl.LazyFrame({"text": texts})
        .select(
            "text",
            day=pl.col("text").str.to_date("%Y-%m-%d", strict=False),
            shaped=pl.col("text").str.contains(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$"),
        )
        .select(
            "day",
            bad=pl.col("text").is_not_null() & (pl.col("day").is_null() | ~pl.col("shaped")),
            outside=(pl.col("day").cast(pl.Int32) < _EARLIEST)
            | (pl.col("day").cast(pl.Int32) > _LATEST),
        )
    )


def _dates_done(frame: pl.DataFrame) -> pl.DataFrame:
    """:func:`_dates`'s frame; declines (:class:`_Declined`) a date that is not
    ``YYYY-MM-DD`` (which pydantic might read otherwise, and msgspec refuses)."""
    if frame["bad"].any():
        raise _Declined
    return frame


def _owner(counts: list[int] | pl.Series) -> pl.Series:
    """The index of each item's owner, for owners holding ``counts`` items each, in order."""
    if not isinstance(counts, pl.Series):
        counts = pl.Series(counts, dtype=pl.UInt32)
    # One query: each of polars' Series methods is a query of its own, about 50 us apiece.
    return (
        pl.DataFrame({"n": counts.cast(pl.UInt32)})
        .select(pl.int_range(pl.len(), dtype=pl.UInt32).repeat_by("n").explode().drop_nulls())
        .to_series()
    )


def _repeat(value: Any, n: int, dtype: Any) -> pl.Series:
    """``value`` ``n`` times (as ``pl.repeat``, without a query: a fifth of its time)."""
    return pl.Series([value], dtype=dtype).new_from_index(0, n)


def _collect(plan: pl.LazyFrame) -> pl.DataFrame:
    """A plan's frame, by polars' in-memory engine: its streaming engine (the default) takes
    longer to start than these plans of a file's columns take to run."""
    return plan.collect(engine="in-memory")


def _list_columns(counts: list[int], items: list[Any]) -> pl.LazyFrame:
    """The ``account_types`` and ``reporting_codes`` (``List(String)``) of each row's line
    items (``counts`` rows holding ``items`` in turn), falsy values left out, built flat: when
    every row has the same number of items (one, as a bank transaction's line usually is), by
    cutting the flat column into lists of that length; else by grouping the items by their
    row."""
    columns = {
        "account_types": pl.Series([i.account_type for i in items], dtype=pl.String),
        "reporting_codes": pl.Series([i.reporting_code for i in items], dtype=pl.String),
    }
    both = pl.col("account_types", "reporting_codes")
    width = counts[0] if counts else 0
    if width and counts.count(width) == len(counts):
        return pl.LazyFrame(columns).select(
            both.reshape((-1, width))
            .cast(pl.List(pl.String))
            .list.eval(pl.element().filter(pl.element() != ""))
        )
    grouped = (
        pl.LazyFrame({"i": _owner(counts), **columns})
        .with_columns(both.replace("", None))
        .group_by("i", maintain_order=True)
        .agg(both.drop_nulls())
    )
    empty = pl.lit([], dtype=pl.List(pl.String))
    return (
        pl.LazyFrame({"i": pl.int_range(0, len(counts), dtype=pl.UInt32, eager=True)})
        .join(grouped, on="i", how="left", maintain_order="left")
        .select(both.fill_null(empty))
    )
