"""Applying a policy to a report's metrics: flags with evidence, then grades.

The engine reads the report as report.json has it (a dict from ``model_dump(mode="json")``),
so a rule sees exactly the values an underwriter sees: money as ``{"amount": "1.00",
"currency": ...}`` (compared as Decimal), shares and ratios as rounded numbers.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from lendcheck import formatting as filters
from lendcheck.policy.model import Policy, Rule
from lendcheck.policy.registry import OVERALL
from lendcheck.policy.verdict import Flag, FlagScope, Grade, GradeResult, Verdict
from lendcheck.report_types import Money
from lendcheck.text import clean_untrusted

_KEY_FIELDS = (
    "bank_account_id",
    "id",
    "statement_line_id",
    "contact_id",
    "month",
    "bucket",
    "field",
    "currency",
)
_NAME_FIELDS = ("bank_account_name", "name", "description")
_MISSING = object()


def _get(data: Any, path: str) -> Any:
    for part in path.split("."):
        if not isinstance(data, dict) or part not in data:
            return None
        data = data[part]
    return data


def _not_available(item: dict[str, Any], path: str, value: Any) -> str:
    """Why the metric at ``path`` is missing or unanswered, as the report says it: the
    ``not_available`` of the object holding the metric, a text (an evidence question's, whose
    metric ``answered`` is false) or a mapping from figure names to reasons (a section's).
    When it says nothing: "not available" for a null metric, else ""."""
    parent, _, name = path.rpartition(".")
    holder = _get(item, parent) if parent else item
    reasons = holder.get("not_available") if isinstance(holder, dict) else None
    if isinstance(reasons, dict):
        reasons = reasons.get(name)
    if isinstance(reasons, str) and reasons:
        return reasons
    return "not available" if value is None else ""


def _items(data: dict[str, Any], scope: str) -> list[tuple[dict[str, Any], FlagScope]]:
    """The items a rule runs over, each with its :class:`FlagScope`."""
    if scope == OVERALL:
        return [(data, FlagScope(path=OVERALL))]
    found: list[dict[str, Any]] = [data]
    parts = scope.split(".")
    for part in parts:
        nxt: list[dict[str, Any]] = []
        for node in found:
            value = node.get(part) if isinstance(node, dict) else None
            if isinstance(value, list):
                nxt.extend(v for v in value if isinstance(v, dict))
            elif isinstance(value, dict):
                nxt.append(value)
        found = nxt
    result = []
    for item in found:
        key = next((str(item[k]) for k in _KEY_FIELDS if item.get(k) is not None), None)
        name = next((clean_untrusted(str(item[k]), 160) for k in _NAME_FIELDS if item.get(k)), None)
        result.append((item, FlagScope(path=scope, key=key, name=name)))
    return result


def _number(value: Any) -> Decimal | None:
    if isinstance(value, dict) and "amount" in value:
        return Decimal(str(value["amount"]))
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, int | float):
        return Decimal(str(value))
    return None


def _format(value: Any, unit: str, currency: str = "") -> str:
    if value is None:
        return "not available"
    if unit == "money":
        if isinstance(value, dict):
            return filters.money(
                Money(amount=Decimal(value["amount"]), currency=value.get("currency", ""))
            )
        return filters.money(Money(amount=Decimal(str(value)), currency=currency))
    if unit == "share" and isinstance(value, int | float):
        return filters.share(float(value))
    if unit == "ratio" and isinstance(value, int | float):
        return filters.ratio(float(value))
    if unit == "days" and isinstance(value, int | float):
        return filters.days(float(value))
    if unit == "count" and isinstance(value, int):
        return filters.number(value)
    if isinstance(value, bool):
        return "yes" if value else "no"
    return clean_untrusted(str(value), 80)


def _severity(rule: Rule, value: Any) -> str | None:
    if rule.comparison == "missing":
        return rule.severity if value is None else None
    if value is None:
        return None if rule.when_missing == "ignore" else rule.when_missing
    if rule.comparison == "is":
        if rule.red is not None and value == rule.red:
            return "red"
        if rule.amber is not None and value == rule.amber:
            return "amber"
        return None
    number = _number(value)
    if number is None:
        return None
    for level in ("red", "amber"):
        threshold = getattr(rule, level)
        if threshold is None:
            continue
        limit = Decimal(str(threshold))
        if (rule.comparison == "below" and number < limit) or (
            rule.comparison == "above" and number > limit
        ):
            return level
    return None


def _flag(rule: Rule, unit: str, item: dict[str, Any], scope: FlagScope, severity: str) -> Flag:
    value = _get(item, rule.metric)
    currency = value.get("currency", "") if isinstance(value, dict) else ""
    threshold = getattr(rule, severity, None) if rule.comparison != "missing" else None
    fields = {
        "value": _format(value, unit),
        "threshold": _format(threshold, unit, currency) if threshold is not None else "",
        "amber": _format(rule.amber, unit, currency) if rule.amber is not None else "",
        "red": _format(rule.red, unit, currency) if rule.red is not None else "",
        "scope": scope.name or scope.key or "the applicant",
        "metric": rule.metric,
        "rule_id": rule.id,
        "not_available": _not_available(item, rule.metric, value),
    }
    thresholds = {k: getattr(rule, k) for k in ("amber", "red") if getattr(rule, k) is not None}
    if rule.comparison == "missing":
        thresholds = {"severity": rule.severity}
    elif value is None:
        thresholds["when_missing"] = rule.when_missing
    return Flag(
        rule_id=rule.id,
        severity=severity,
        category=rule.category,
        message=rule.message.format_map(fields),
        metric=rule.metric,
        value=value,
        comparison=rule.comparison
        if value is not None or rule.comparison == "missing"
        else "missing",
        thresholds=thresholds,
        evidence={name: _get(item, name) for name in rule.evidence},
        scope=scope,
    )


def grade(flags: list[Flag], policy: Policy) -> GradeResult:
    """Grade A to E from flags (:class:`lendcheck.policy.verdict.GradeResult` says how)."""
    red = sum(f.severity == "red" for f in flags)
    amber = sum(f.severity == "amber" for f in flags)
    g = policy.grades
    letter: Grade
    if red >= g.e_red:
        letter = "E"
    elif red >= g.d_red:
        letter = "D"
    elif amber >= g.c_amber:
        letter = "C"
    elif amber >= 1:
        letter = "B"
    else:
        letter = "A"
    return GradeResult(
        grade=letter, red=red, amber=amber, drivers=sorted({f.rule_id for f in flags})
    )


def evaluate(data: dict[str, Any], policy: Policy, registry: dict[str, dict[str, str]]) -> Verdict:
    """Run every rule of ``policy`` over the report data.

    Args:
        data: the report's sections as report.json has them (``bank``, ``financials`` and
            ``evidence``).
        policy: a validated policy (metric names already checked against ``registry``).
        registry: the metric registry, for units.

    Returns:
        The :class:`Verdict`: flags sorted red first, then by rule ID and scope key; grades.
    """
    flags = []
    for rule in policy.rules:
        unit = registry[rule.scope][rule.metric]
        for item, scope in _items(data, rule.scope):
            severity = _severity(rule, _get(item, rule.metric))
            if severity is not None:
                flags.append(_flag(rule, unit, item, scope, severity))
    flags.sort(key=lambda f: (f.severity != "red", f.rule_id, f.scope.key or ""))
    return Verdict(
        overall=grade(flags, policy),
        data_confidence=grade([f for f in flags if f.category in ("data", "evidence")], policy),
        evidence=grade([f for f in flags if f.category == "evidence"], policy),
        flags=flags,
    )
