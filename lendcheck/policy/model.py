"""The lender's policy file (TOML): rules, grading and the data confidence weights.

Format (``docs/policy.md`` documents it with every default rule)::

    policy_name = "Example Bank SME policy"
    policy_version = "2026-11"

    [grades]            # optional; these are the defaults
    c_amber = 3         # grade C from this many amber flags
    d_red = 1           # grade D from this many red flags
    e_red = 2           # grade E from this many red flags

    [confidence_weights]            # optional; lendcheck.policy.confidence.ConfidenceWeights
    reconciled = 0.30

    [integrity]                     # optional; lendcheck.metrics.integrity.IntegrityTolerances
    absolute_tolerance = 0.01       # currency amount
    relative_tolerance = 0.005      # share of the check's scale (its statement's largest total)

    [[rules]]
    id = "reconciled_share_low"
    category = "data"               # credit (default), data or evidence
    scope = "bank.accounts"         # overall (default) or a list in the report
    metric = "reconciliation.reconciled_share_by_amount"
    comparison = "below"            # below | above | is | missing
    amber = 0.95
    red = 0.85
    when_missing = "ignore"         # ignore (default) | amber | red
    message = "{scope}: {value} of the statement line amount is reconciled (threshold {threshold})"
    evidence = ["reconciliation.unreconciled_lines"]

:func:`load_policy` validates everything and raises :class:`PolicyError` listing every problem
with its line.
"""

from __future__ import annotations

import hashlib
import math
import re
import string
import tomllib
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from lendcheck import limits
from lendcheck.errors import UsageError
from lendcheck.metrics.integrity import IntegrityTolerances
from lendcheck.policy.confidence import ConfidenceWeights
from lendcheck.policy.registry import NUMERIC_UNITS, OVERALL
from lendcheck.policy.verdict import PolicyInfo

#: Largest policy file read, in bytes (the default policy is 10 KB).
MAX_POLICY_BYTES = 1024 * 1024
#: Fields a rule's message may use.
MESSAGE_FIELDS = frozenset(
    {"value", "threshold", "amber", "red", "scope", "metric", "rule_id", "not_available"}
)

Comparison = Literal["below", "above", "is", "missing"]
Threshold = bool | int | float | str


class PolicyError(UsageError):
    """A policy file is unreadable or invalid. Exit code 2.

    Attributes:
        problems: every problem found, each ``"<file>:<line>: <what>"``.
    """

    def __init__(self, problems: list[str]) -> None:
        self.problems = problems
        super().__init__("invalid policy:\n  " + "\n  ".join(problems))


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Rule(_Strict):
    """One rule: a metric compared with an amber and a red threshold."""

    id: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    metric: str
    comparison: Comparison
    message: str
    scope: str = OVERALL
    category: Literal["credit", "data", "evidence"] = "credit"
    amber: Threshold | None = None
    red: Threshold | None = None
    severity: Literal["amber", "red"] | None = None
    when_missing: Literal["ignore", "amber", "red"] = "ignore"
    evidence: list[str] = Field(default_factory=list)
    rationale: str = ""


class GradeThresholds(_Strict):
    """How many flags move the grade: ``C`` from ``c_amber`` amber flags, ``D`` from ``d_red``
    red flags, ``E`` from ``e_red`` red flags."""

    c_amber: int = Field(default=3, ge=1)
    d_red: int = Field(default=1, ge=1)
    e_red: int = Field(default=2, ge=1)


class Policy(_Strict):
    """A validated policy."""

    policy_name: str = Field(min_length=1)
    policy_version: str = Field(min_length=1)
    grades: GradeThresholds = Field(default_factory=GradeThresholds)
    confidence_weights: ConfidenceWeights = Field(default_factory=ConfidenceWeights)
    integrity: IntegrityTolerances = Field(default_factory=IntegrityTolerances)
    rules: list[Rule] = Field(default_factory=list)


@dataclass(frozen=True)
class LoadedPolicy:
    """A policy with where it came from."""

    policy: Policy
    info: PolicyInfo
    text: str


def _rule_lines(text: str) -> list[int]:
    return [
        i
        for i, line in enumerate(text.splitlines(), 1)
        if re.match(r"\s*\[\[\s*rules\s*\]\]", line)
    ]


def _line_of(text: str, loc: tuple[Any, ...]) -> int:
    """Best line for a validation location such as ``("rules", 3, "amber")``."""
    lines = text.splitlines()
    start, end = 1, len(lines)
    if len(loc) >= 2 and loc[0] == "rules" and isinstance(loc[1], int):
        starts = _rule_lines(text)
        if loc[1] < len(starts):
            start = starts[loc[1]]
            end = starts[loc[1] + 1] - 1 if loc[1] + 1 < len(starts) else len(lines)
        loc = loc[2:]
    elif loc and isinstance(loc[0], str):
        header = next(
            (
                i
                for i, line in enumerate(lines, 1)
                if re.match(rf"\s*\[\s*{re.escape(loc[0])}\s*\]", line)
            ),
            None,
        )
        if header is not None:
            start = header
            loc = loc[1:]
    key = next((str(part) for part in loc if isinstance(part, str)), None)
    if key is not None:
        for number in range(start, end + 1):
            if re.match(rf"\s*{re.escape(key)}\s*=", lines[number - 1]):
                return number
    return start


def _check_rule(rule: Rule, registry: dict[str, dict[str, str]]) -> list[tuple[str, str]]:
    """Semantic problems of one rule as (field, message)."""
    problems: list[tuple[str, str]] = []
    metrics = registry.get(rule.scope)
    if metrics is None:
        lists = ", ".join(sorted(s for s in registry if s != OVERALL)[:12])
        return [
            ("scope", f"unknown scope {rule.scope!r}; use overall or a report list such as {lists}")
        ]
    unit = metrics.get(rule.metric)
    if unit is None:
        near = [m for m in metrics if rule.metric.rsplit(".", 1)[-1] in m][:3]
        hint = f" (did you mean {', '.join(near)}?)" if near else ""
        problems.append(("metric", f"unknown metric {rule.metric!r} in scope {rule.scope!r}{hint}"))
    for name in rule.evidence:
        if name not in metrics:
            problems.append(
                ("evidence", f"unknown evidence metric {name!r} in scope {rule.scope!r}")
            )
    if rule.comparison == "missing":
        if rule.severity is None:
            problems.append(("severity", "comparison 'missing' needs severity = amber or red"))
        if rule.amber is not None or rule.red is not None:
            problems.append(("amber", "comparison 'missing' takes no thresholds"))
    else:
        if rule.amber is None and rule.red is None:
            problems.append(("amber", "give an amber threshold, a red threshold or both"))
        if rule.severity is not None:
            problems.append(("severity", "severity is only for comparison 'missing'"))
    if unit is not None and rule.comparison in ("below", "above"):
        if unit not in NUMERIC_UNITS:
            problems.append(
                (
                    "comparison",
                    f"{rule.metric} is a {unit}: compare it with "
                    "'is' or 'missing', not below/above",
                )
            )
        for level in ("amber", "red"):
            value = getattr(rule, level)
            if value is not None and (isinstance(value, bool | str)):
                problems.append((level, f"{level} must be a number for a {unit} metric"))
        a, r = rule.amber, rule.red
        if (
            isinstance(a, int | float)
            and isinstance(r, int | float)
            and not isinstance(a, bool)
            and not isinstance(r, bool)
        ):
            if rule.comparison == "below" and r > a:
                problems.append(("red", f"red ({r}) must not be above amber ({a}) for 'below'"))
            if rule.comparison == "above" and r < a:
                problems.append(("red", f"red ({r}) must not be below amber ({a}) for 'above'"))
        if unit == "share":
            for level in ("amber", "red"):
                value = getattr(rule, level)
                if isinstance(value, int | float) and not 0 <= value <= 1:
                    problems.append((level, f"{level} must be a share in [0, 1]"))
    if unit is not None and rule.comparison == "is":
        for level in ("amber", "red"):
            value = getattr(rule, level)
            if unit == "flag" and value is not None and not isinstance(value, bool):
                problems.append((level, f"{level} must be true or false for a flag metric"))
    problems.extend(("message", m) for m in _check_message(rule.message))
    return problems


def _check_message(message: str) -> list[str]:
    """Problems of a message template: it may only name :data:`MESSAGE_FIELDS`, each as
    ``{name}``: no attribute or index (``{value.__class__}`` reached into Python objects), no
    conversion and no format spec (``{value:d}`` failed, and a width of a billion filled the
    memory, only when a report was made)."""
    try:
        parts = [(f, spec, conv) for _, f, spec, conv in string.Formatter().parse(message)]
    except ValueError as exc:
        return [f"message is not a valid template ({exc})"]
    fields = [(f, spec, conv) for f, spec, conv in parts if f is not None]
    unknown = sorted({f for f, _, _ in fields} - MESSAGE_FIELDS)
    if unknown:
        return [
            f"message uses unknown fields {unknown}; use {sorted(MESSAGE_FIELDS)}, each as {{name}}"
        ]
    if any(spec or conv for _, spec, conv in fields):
        return ["message fields take no format spec or conversion; write each as {name}"]
    return []


#: Largest magnitude of a number in a policy file: beyond any amount (money is below 10^15).
MAX_POLICY_NUMBER = 10**18


def _check_numbers(data: Any, where: tuple[str, ...] = ()) -> list[tuple[tuple[str, ...], str]]:
    """Every number of the parsed TOML that is not finite or is beyond
    :data:`MAX_POLICY_NUMBER`, with where it is (``inf``, ``nan`` and ``1e400``, which TOML
    reads as infinity, made every report flag or fail)."""
    found: list[tuple[tuple[str, ...], str]] = []
    if isinstance(data, dict):
        for key, value in data.items():
            found += _check_numbers(value, (*where, str(key)))
    elif isinstance(data, list):
        for index, value in enumerate(data):
            found += _check_numbers(value, (*where, str(index)))
    elif isinstance(data, float) and not math.isfinite(data):
        found.append((where, f"{data} is not a finite number (1e400 reads as infinity)"))
    elif (
        isinstance(data, int | float)
        and not isinstance(data, bool)
        and abs(data) > MAX_POLICY_NUMBER
    ):
        found.append((where, f"numbers in a policy lie within +/- 10^18; got {data:.3g}"))
    return found


def parse_policy(text: str, source: str, registry: dict[str, dict[str, str]]) -> Policy:
    """Parse and validate policy TOML.

    Args:
        text: the file's text.
        source: the name used in messages (the file path).
        registry: the metric registry (:func:`lendcheck.policy.registry.metric_registry`).

    Raises:
        PolicyError: every problem, each with ``source:line``.
    """
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        found = re.search(r"line (\d+)", str(exc))
        line = found.group(1) if found else "1"
        raise PolicyError([f"{source}:{line}: not valid TOML ({exc})"]) from exc
    except RecursionError:
        raise PolicyError([f"{source}: nested deeper than TOML is read"]) from None
    except ValueError as exc:  # an integer of thousands of digits
        raise PolicyError([f"{source}: not a policy lendcheck reads ({exc})"]) from None
    try:
        limits.check_depth(data, limits.MAX_DEPTH)
    except limits.LimitError as exc:
        raise PolicyError([f"{source}: {exc}"]) from None
    numbers = _check_numbers(data)
    if numbers:
        raise PolicyError(
            [
                f"{source}:{_line_of(text, _loc(where))}: {'.'.join(where)}: {what}"
                for where, what in numbers
            ]
        )
    try:
        policy = Policy.model_validate(data)
    except ValidationError as exc:
        problems = []
        for error in exc.errors():
            loc = tuple(error["loc"])
            where = ".".join(str(p) for p in loc)
            problems.append(f"{source}:{_line_of(text, loc)}: {where}: {error['msg']}")
        raise PolicyError(problems) from exc
    problems = []
    seen: set[str] = set()
    for index, rule in enumerate(policy.rules):
        if rule.id in seen:
            problems.append(
                f"{source}:{_line_of(text, ('rules', index, 'id'))}: "
                f"rules[{index}].id: duplicate rule id {rule.id!r}"
            )
        seen.add(rule.id)
        for field, message in _check_rule(rule, registry):
            line = _line_of(text, ("rules", index, field))
            problems.append(f"{source}:{line}: rules[{index}] ({rule.id}).{field}: {message}")
    if problems:
        raise PolicyError(problems)
    return policy


def _loc(where: tuple[str, ...]) -> tuple[Any, ...]:
    """A dotted TOML location as :func:`_line_of` takes it (list indexes as ints)."""
    return tuple(int(p) if p.isdigit() else p for p in where)


DEFAULT_POLICY_RESOURCE = "default.toml"


def default_policy_text() -> str:
    """The text of the policy shipped with lendcheck (``lendcheck/policy/default.toml``)."""
    return (
        resources.files("lendcheck.policy")
        .joinpath(DEFAULT_POLICY_RESOURCE)
        .read_text(encoding="utf-8")
    )


def load_policy(path: str | Path | None, registry: dict[str, dict[str, str]]) -> LoadedPolicy:
    """Load the policy at ``path``, or the default policy when None.

    Raises:
        PolicyError: the file cannot be read or is invalid (exit code 2).
    """
    if path is None:
        text, source, origin = default_policy_text(), "default policy", "default"
    else:
        try:
            raw = limits.read_regular(Path(path), MAX_POLICY_BYTES)
            text = raw.decode("utf-8")
        except limits.LimitError as exc:
            raise PolicyError([f"{path}: {exc}"]) from exc
        except OSError as exc:
            raise PolicyError([f"{path}: cannot read the policy file ({exc.strerror})"]) from exc
        except UnicodeDecodeError as exc:
            raise PolicyError([f"{path}: the policy file is not UTF-8 text"]) from exc
        source, origin = str(path), "file"
    policy = parse_policy(text, source, registry)
    digest = hashlib.sha256(text.encode("utf-8")).hexdigest()
    info = PolicyInfo(
        name=policy.policy_name,
        version=policy.policy_version,
        sha256=digest,
        source="default" if origin == "default" else "file",
    )
    return LoadedPolicy(policy=policy, info=info, text=text)
