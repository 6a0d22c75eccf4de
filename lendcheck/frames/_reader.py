"""A fast, exact reader of BankStatementsPlus responses straight into frames.

A large applicant's snapshot holds a million statement lines. Parsing them with the JSON module
into dicts and validating each line with the pydantic models of :mod:`lendcheck.xero.models`, then
walking the models to make frames, took about 25 s and 5 GB for a million lines. This reader
decodes a response with msgspec into compact structs and makes the file's frames from them
straight away, so the snapshot holds columns, not millions of objects.

**One definition.** The structs are derived from the pydantic models (:func:`struct_for`): the
same fields under the same JSON names. The models stay the definition of what a response may
hold; this reader only takes the responses it can prove the models would read the same way:

* msgspec is strict where the models are lax or equal: a text is only a JSON string, a flag
  only ``true``/``false``, a date only ``YYYY-MM-DD``, a list only a JSON array; a duplicate key
  is the last one, as the models' path reads these files too (:mod:`lendcheck.limits`). What
  msgspec refuses (a number where a string belongs, a ``NaN``, a lone surrogate, a malformed
  date...) makes the reader decline.
* The fields the models check with a function are checked here by column, with the same
  limits: money (:data:`lendcheck.xero.models.Money`) must be a JSON number under
  :data:`~lendcheck.xero.models.MONEY_LIMIT`, required IDs must be non-empty, IDs are lower-cased.
* Statement and response headers (a few per file) are validated by the models themselves.

When the reader declines (returns None), :mod:`lendcheck.snapshot` reads the file the slow way,
through the models, which then either read it or name the field they refuse. Equivalence is
tested on every committed sample, the corpus and generated hostile files
(``tests/core/test_statement_reader.py``).
"""

from __future__ import annotations

import datetime as dt
import types
import typing
from decimal import Decimal
from typing import Any

import msgspec
from pydantic import BaseModel, ValidationError
from pydantic.fields import FieldInfo

from lendcheck.errors import SnapshotError
from lendcheck.frames.statements import StatementFrames, statement_frames
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


#: The models' checks this reader makes by column (:func:`_lines_ok`, ``frames._lower``); a
#: field whose model has any other validator has no struct type (a model change must be
#: matched here).
_MONEY_VALIDATORS = _validators(models.Money, models.RequiredMoney)
_GUID_VALIDATORS = _validators(models.Guid, models.RequiredGuid)


def _struct_type(annotation: Any, info: FieldInfo | None) -> Any:
    """The msgspec type for a model field's annotation (``info`` gives its validators)."""
    func = _validator(info) if info is not None else None
    if func in _MONEY_VALIDATORS:
        return Any
    if func in _GUID_VALIDATORS:
        return str
    if func is not None:
        raise TypeError(f"no struct type for {annotation!r} checked by {func.__name__}")
    origin = typing.get_origin(annotation)
    if origin in (types.UnionType, typing.Union):
        args = typing.get_args(annotation)
        inner = [a for a in args if a is not type(None)]
        if len(inner) == 1:
            part = _struct_type(inner[0], None)
            return part if part is Any else part | None
        raise TypeError(f"no struct type for {annotation!r}")
    if origin is typing.Annotated:
        base = typing.get_args(annotation)[0]
        return _struct_type(base, FieldInfo.from_annotation(annotation))
    if origin is list:
        (item,) = typing.get_args(annotation)
        return list[_struct_type(item, None)]  # type: ignore[misc]
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return struct_for(annotation)
    if annotation is Decimal:
        # Never used in frames (currencyRate); any JSON number, as the model takes.
        return float
    if annotation in (str, bool, dt.date):
        return annotation
    raise TypeError(f"no struct type for {annotation!r}")


_STRUCTS: dict[type[BaseModel], type[msgspec.Struct]] = {}


def struct_for(model: type[BaseModel]) -> type[msgspec.Struct]:
    """The msgspec struct with the fields of a pydantic model: same Python names, JSON names
    from the model's aliases, same defaults (None, False or an empty list); money as the JSON
    number it is (``int`` or ``Decimal``), GUIDs as given (checked and lower-cased by column).

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
            fields.append((name, kind, msgspec.field(default_factory=list)))
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
    fields.append((nested, nested_type, msgspec.field(default_factory=list)))
    rename = {name: info.alias or name for name, info in model.model_fields.items()}
    return msgspec.defstruct(
        f"{model.__name__}Header", fields, kw_only=True, rename=rename, gc=False
    )


_LINE = struct_for(StatementLine)
_STATEMENT = _header_struct(Statement, "statement_lines", list[_LINE])  # type: ignore[valid-type]
_RESPONSE = _header_struct(BankStatements, "statements", list[_STATEMENT])  # type: ignore[valid-type]
_DECODER = msgspec.json.Decoder(_RESPONSE, float_hook=Decimal)

_M = typing.TypeVar("_M", bound=BaseModel)


def _header(model: type[_M], raw: msgspec.Struct, nested: str) -> _M:
    """The header validated by its model from the fields present, by their JSON names."""
    data = {
        info.alias or name: value
        for name, info in model.model_fields.items()
        if name != nested and (value := getattr(raw, name)) is not msgspec.UNSET
    }
    return model.model_validate(data, by_alias=True, by_name=False)


_NUMBER = {int, Decimal}
_NUMBER_OR_NONE = {int, Decimal, type(None)}


def _money_ok(values: list[Any], *, required: bool = False) -> bool:
    """Whether every value passes :func:`lendcheck.xero.models._check_money` (a JSON number
    strictly within +/- :data:`~lendcheck.xero.models.MONEY_LIMIT`; None too unless ``required``),
    checked by column rather than a call per value."""
    kinds = set(map(type, values))
    if not kinds <= (_NUMBER if required else _NUMBER_OR_NONE):
        return False
    present = [v for v in values if v is not None] if type(None) in kinds else values
    return not present or (min(present) > -MONEY_LIMIT and max(present) < MONEY_LIMIT)


def _lines_ok(lines: list[Any]) -> bool:
    """Whether the lines pass the checks the models make by function: required non-empty
    IDs, and money (amounts, payments, documents, bank transactions, line items)."""
    if not all(map(str.strip, [line.statement_line_id for line in lines])):
        return False
    if not _money_ok([line.amount for line in lines], required=True):
        return False
    payments = [p for line in lines for p in line.payments]
    transactions = [t for line in lines for t in line.bank_transactions]
    documents = [
        d
        for p in payments
        for d in (p.invoice, p.credit_note, p.prepayment, p.overpayment)
        if d is not None
    ]
    items = [i for d in documents for i in d.line_items]
    items += [i for t in transactions for i in t.line_items]
    return (
        _money_ok([p.amount for p in payments])
        and _money_ok([p.bank_amount for p in payments])
        and _money_ok([d.total for d in documents])
        and _money_ok([t.amount for t in transactions])
        and _money_ok([i.line_amount for i in items])
    )


def read_bank_statements(body: bytes, file: str) -> StatementFrames | None:
    """Read a BankStatementsPlus response into its frames, or decline.

    Args:
        body: the response's bytes, as Xero sent them.
        file: its file in the snapshot (for statements without an ID and error messages).

    Returns:
        The file's :class:`lendcheck.frames.StatementFrames`, exactly those
        :func:`lendcheck.frames.statement_frames` makes from the models of the same bytes; or
        None when the bytes hold anything this reader cannot prove the models read the same
        way (then read them with the models, which also name what they refuse).
    """
    try:
        raw: Any = _DECODER.decode(body)
        response = _header(BankStatements, raw, "statements")
        statements = [
            (_header(Statement, st, "statement_lines"), st.statement_lines) for st in raw.statements
        ]
    except (msgspec.DecodeError, ValidationError, RecursionError):
        return None  # the models' path names what is wrong (lendcheck.limits)
    lines = [line for _, st_lines in statements for line in st_lines]
    if not _lines_ok(lines):
        return None
    try:
        return statement_frames(file, response, statements)
    except SnapshotError:  # an amount finer than its currency: the models' path says where
        return None
