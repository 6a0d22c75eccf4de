"""The metric names a policy may use: every number, amount, count and flag of the Report.

Names are report.json paths. Rules at ``scope = "overall"`` use paths from the report's root
(``financials.balance_sheet.current.current_ratio``); rules over a list use paths relative to
its items (scope ``bank.accounts``: ``reconciliation.reconciled_share_by_amount``).
"""

from __future__ import annotations

import datetime as dt
import types
import typing
from decimal import Decimal
from typing import Any

from pydantic import BaseModel

from lendcheck.report_types import Money, Unit

OVERALL = "overall"
#: Units of metric values: how thresholds compare and how messages show them.
NUMERIC_UNITS = frozenset({"money", "share", "ratio", "days", "count", "number"})


def _unwrap_optional(annotation: Any) -> Any:
    origin = typing.get_origin(annotation)
    if origin in (typing.Union, types.UnionType):
        args = [a for a in typing.get_args(annotation) if a is not type(None)]
        if len(args) == 1:
            return args[0]
    return annotation


def _is_day_count(name: str) -> bool:
    return name.endswith("_days") or name.startswith("days_")


def _unit(annotation: Any, metadata: list[Any], name: str = "") -> str | None:
    for item in metadata:
        if isinstance(item, Unit):
            return item.name
    inner = _unwrap_optional(annotation)
    if typing.get_origin(inner) is typing.Annotated:
        base, *extra = typing.get_args(inner)
        return _unit(base, list(extra), name)
    if inner is Money:
        return "money"
    if inner is bool:
        return "flag"
    if inner in (int, float, Decimal) and _is_day_count(name):
        return "days"  # naming convention of the metrics: *_days / days_* are day counts
    if inner is int:
        return "count"
    if inner in (float, Decimal):
        return "number"
    if inner is str:
        return "text"
    if inner is dt.date:
        return "date"
    return None


def metric_registry(model: type[BaseModel]) -> dict[str, dict[str, str]]:
    """Every metric of ``model`` by scope: ``{scope: {metric name: unit}}``.

    Scope ``overall`` holds paths from the root; each list of models (e.g. ``bank.accounts``)
    is a scope of its own holding paths relative to an item. Units: ``money``, ``share``,
    ``ratio``, ``days``, ``count``, ``number``, ``flag``, ``text``, ``date``. Numbers without a
    :class:`~lendcheck.report_types.Unit` whose names end in ``_days`` or start with ``days_``
    are day counts (the metrics' naming convention).
    """
    registry: dict[str, dict[str, str]] = {OVERALL: {}}
    _walk(model, "", OVERALL, registry)
    return registry


def _walk(
    model: type[BaseModel], prefix: str, scope: str, registry: dict[str, dict[str, str]]
) -> None:
    for name, field in model.model_fields.items():
        path = f"{prefix}{name}"
        annotation = _unwrap_optional(field.annotation)
        unit = _unit(field.annotation, list(field.metadata), name)
        if unit is not None:
            registry[scope][path] = unit
        elif isinstance(annotation, type) and issubclass(annotation, BaseModel):
            _walk(annotation, f"{path}.", scope, registry)
        elif typing.get_origin(annotation) is list:
            (item,) = typing.get_args(annotation)
            item = _unwrap_optional(item)
            if isinstance(item, type) and issubclass(item, BaseModel) and item is not Money:
                list_scope = path if scope == OVERALL else f"{scope}.{path}"
                if list_scope not in registry:
                    registry[list_scope] = {}
                    _walk(item, "", list_scope, registry)
