"""What changed between two ``report.json`` files (``lendcheck diff``).

The comparison works on the parsed JSON, not on the :class:`~lendcheck.report.Report` model, so a
report written by an older minor version of the contract still diffs (fields it lacks are listed
in ``schema_only``, not as changes). Numbers are parsed as :class:`~decimal.Decimal` from their
JSON text and money amounts from their decimal strings: every delta is exact, never a binary-float
difference.

Categories (see ``docs/report-json.md`` for the JSON shape):

- ``metrics``: every scalar that differs, with absolute and relative delta, grouped by section
  (the report's top-level key) and bank account. List items are matched by identity
  (:data:`LIST_KEYS`), never by position.
- ``items``: list items (months, buckets, gaps, drill-back lines...) present in one report only.
- ``accounts``: bank accounts added or removed (by ``bank_account_id``).
- ``flags``: raised, cleared or changed severity (by ``rule_id`` + ``scope.key``).
- ``grades``: the verdict's grades that changed.
- ``unreconciled_lines``: lines of ``bank.oldest_unreconciled_lines`` that appeared or
  disappeared (matched by ``statement_line_id``; listed oldest first).

Fields that differ between any two runs (``report_id``, ``lendcheck_version``,
``schema_version``, ``inputs``) are left out unless ``include_all``.

**For a reader** (``print_diff``, and ``summary`` in ``--json``): a summary first (grades, flag
counts, flags raised, cleared and changed, the :mod:`~lendcheck.tools.key_figures` with their
deltas, the unreconciled lines that appeared or cleared), then only the *material* changes
(``MetricChange.material``); ``--all`` prints every change. A change is material when:

- a value appeared or became unavailable (null on one side), outside drill-back statement lines
  and identifiers (fields named ``*_id``/``*_ids``);
- a **share** (unit ``share``) moved by at least :data:`MATERIAL_SHARE_POINTS` (one percentage
  point);
- **money**, a **ratio**, **days** or a **count** moved by at least :data:`MATERIAL_RELATIVE`
  (5 %) of its old value, or from zero to anything else;
- a yes/no value (``cross_check_agrees``...) flipped.

Never material: dates (they move with the report date), text (names, messages, reasons: the
value they explain is compared), the verdict's counts (the summary has them), list items that
appeared or went (a new month enters the monthly series every month), drill-back statement
lines (summarised as counts and amounts), and anything inside a monthly series (``monthly``,
``points``) or the top-contact lists behind the concentration figures: a later month revising
an earlier month is shown with ``--all``. Nor the working of a check (:data:`CHECK_WORKING`):
the two figures a cross-check compares (``xero``, ``recomputed``) and an integrity check's
``values``, ``scale`` and ``tolerance`` move with the figures they check, which are compared
where the report states them; the check's outcome (``difference``, ``agrees``, ``passed``) is
compared.

Two reports of different organisations (``applicant.tenant_id``) or base currencies
(``applicant.base_currency``) are refused by :func:`diff_files` (:class:`NotComparableError`,
exit code 3) unless ``allow_different``; then the difference is in ``warnings`` and printed
first.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from datetime import date
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from lendcheck.contract.schema import parse_version, report_schema
from lendcheck.errors import InputError
from lendcheck.report import SCHEMA_VERSION
from lendcheck.tools.key_figures import KEY_FIGURES, base_currency, key_figure

#: ``format`` of the ``--json`` output.
DIFF_FORMAT = "lendcheck-diff/1"
#: Top-level fields that differ between any two runs: left out unless ``include_all``.
IGNORED = ("inputs", "lendcheck_version", "report_id", "schema_version")
#: Decimal places of ``relative`` deltas.
RELATIVE_DECIMALS = 4
#: A change of money, a ratio, days or a count is material from this share of the old value.
MATERIAL_RELATIVE = Decimal("0.05")
#: A change of a share (a value in [0, 1]) is material from this many units (0.01 = 1 point).
MATERIAL_SHARE_POINTS = Decimal("0.01")
#: Lists whose items are months of a series or drill-back detail (the top contacts behind a
#: concentration figure; behaviour's monthly flows, daily balances and their months, first-digit
#: counts, seasonal indices, returned items by month): changes inside them are never material.
SERIES_LISTS = (
    "monthly",
    "points",
    "top_contacts",
    "special_contacts",
    "months",
    "daily",
    "benford_digits",
    "seasonality",
    "by_month",
)

#: The working of a check, never material (the module docstring): per list of checks, the
#: fields of an item that hold the figures compared rather than the outcome.
CHECK_WORKING: dict[str, tuple[str, ...]] = {
    "cross_check": ("xero", "recomputed"),
    "integrity_checks": ("values", "scale", "tolerance"),
}

#: How the items of a list are identified, by the list's field name (or its parent's and its
#: own, ``monthly.accounts``, which wins): one field, or several joined with ``|`` (dotted
#: fields reach into an item's objects). Lists not named here are matched by the first of
#: :data:`CANDIDATE_KEYS` that identifies every item on both sides, else by position. A bank
#: account's ID in a key is not printed under that account's heading (:func:`_label`).
LIST_KEYS: dict[str, tuple[str, ...]] = {
    "accounts": ("bank_account_id",),
    "oldest_unreconciled_lines": ("statement_line_id",),
    "largest_manual_lines": ("statement_line_id",),
    "largest_uploaded_lines": ("statement_line_id",),
    "balance_breaks": ("bank_account_id", "statement_id"),
    "indicative_mismatches": ("statement_id", "which"),
    "gaps": ("after_statement_id", "before_statement_id"),
    "by_currency": ("currency",),
    "monthly": ("month",),
    "ageing": ("bucket",),
    "sources": ("kind",),
    "points": ("month_end",),
    "amounts": ("field",),
    "counts": ("field",),
    "ages": ("field",),
    "dates": ("field",),
    "inputs": ("name",),
    "top_contacts": ("contact_id",),
    "special_contacts": ("contact_id",),
    "integrity_checks": ("id",),
    "calls": ("endpoint", "file"),
    "flags": ("rule_id", "scope.key"),
    # behaviour (issue 18): per account, per payee, per day, digit and calendar month
    "monthly.accounts": ("key",),
    "daily_balances": ("bank_account_id",),
    "daily": ("date",),
    "seasonality": ("month_of_year",),
    "streams": ("bank_account_id", "payee"),
    "tax_payees": ("payee",),
    "liabilities": ("name",),
    "items": ("reversal.statement_line_id",),
    "by_month": ("month", "currency"),
    "benford_digits": ("digit",),
}
#: Identity fields tried, in order, for lists not in :data:`LIST_KEYS` (a newer minor version).
CANDIDATE_KEYS = (
    "statement_line_id",
    "bank_account_id",
    "rule_id",
    "id",
    "field",
    "month",
    "month_end",
    "bucket",
    "kind",
    "currency",
    "contact_id",
    "name",
    "statement_id",
)

_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


class NotAReportError(InputError):
    """A file is not a lendcheck report, or one of a major schema version this lendcheck does
    not read. Exit code 3; the message names the file."""


class NotComparableError(InputError):
    """The two reports are of different organisations or base currencies, and the caller did
    not allow it (``lendcheck diff --allow-different``). Exit code 3; the message names both."""


@dataclass
class MetricChange:
    """One scalar that differs.

    Attributes:
        section: the report's top-level key (``bank``, ``financials``...).
        account: the bank account ID the value belongs to, if any.
        account_name: that account's name (untrusted text), if known.
        path: where the value is, list items named by identity (``accounts[<id>]``).
        kind: ``money``, ``number``, ``date`` or ``value``.
        change: ``changed``, ``added`` (absent or null before) or ``removed`` (now absent or null).
        old, new: the values (money amounts as decimal strings).
        delta: ``new - old`` (decimal string for money, days for dates); None when undefined.
        relative: ``delta / |old|`` rounded to :data:`RELATIVE_DECIMALS`; None when undefined.
        currency: the currency of money values.
        unit: ``share``, ``ratio`` or ``days`` where the schema says so (``x-unit``), else None.
        material: whether a reader is shown it without ``--all`` (module docstring).
    """

    section: str
    account: str | None
    account_name: str | None
    path: str
    kind: str
    change: str
    old: Any
    new: Any
    delta: Any = None
    relative: float | None = None
    currency: str | None = None
    unit: str | None = None
    material: bool = False

    def to_json(self) -> dict[str, Any]:
        """The change as in ``--json`` (``currency`` only for money)."""
        out: dict[str, Any] = {
            "section": self.section,
            "account": self.account,
            "account_name": self.account_name,
            "path": self.path,
            "kind": self.kind,
            "change": self.change,
            "old": _plain(self.old),
            "new": _plain(self.new),
            "delta": _plain(self.delta),
            "relative": self.relative,
            "unit": self.unit,
            "material": self.material,
        }
        if self.kind == "money":
            out["currency"] = self.currency
        return out


@dataclass
class ReportDiff:
    """Everything that changed between two reports (see the module docstring)."""

    old: dict[str, Any]
    new: dict[str, Any]
    metrics: list[MetricChange] = field(default_factory=list)
    items_added: list[dict[str, Any]] = field(default_factory=list)
    items_removed: list[dict[str, Any]] = field(default_factory=list)
    accounts_added: list[dict[str, Any]] = field(default_factory=list)
    accounts_removed: list[dict[str, Any]] = field(default_factory=list)
    flags_raised: list[dict[str, Any]] = field(default_factory=list)
    flags_cleared: list[dict[str, Any]] = field(default_factory=list)
    flags_severity_changed: list[dict[str, Any]] = field(default_factory=list)
    grades: list[dict[str, Any]] = field(default_factory=list)
    lines_appeared: list[dict[str, Any]] = field(default_factory=list)
    lines_disappeared: list[dict[str, Any]] = field(default_factory=list)
    only_in_old: list[str] = field(default_factory=list)
    only_in_new: list[str] = field(default_factory=list)
    ignored: list[str] = field(default_factory=list)
    summary: dict[str, Any] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)

    @property
    def material(self) -> list[MetricChange]:
        """The metric changes a reader is shown without ``--all``."""
        return [m for m in self.metrics if m.material]

    def counts(self) -> dict[str, int]:
        """How many entries each category holds."""
        return {
            "metrics": len(self.metrics),
            "items_added": len(self.items_added),
            "items_removed": len(self.items_removed),
            "accounts_added": len(self.accounts_added),
            "accounts_removed": len(self.accounts_removed),
            "flags_raised": len(self.flags_raised),
            "flags_cleared": len(self.flags_cleared),
            "flags_severity_changed": len(self.flags_severity_changed),
            "grades": len(self.grades),
            "lines_appeared": len(self.lines_appeared),
            "lines_disappeared": len(self.lines_disappeared),
        }

    @property
    def changed(self) -> bool:
        """True when anything material changed (``schema_only`` and ignored fields are not)."""
        return any(self.counts().values())

    def to_json(self) -> dict[str, Any]:
        """The ``--json`` document (``"format": "lendcheck-diff/1"``); every list sorted."""
        return {
            "format": DIFF_FORMAT,
            "old": self.old,
            "new": self.new,
            "changed": self.changed,
            "warnings": self.warnings,
            "summary": _plain(self.summary),
            "materiality": {
                "relative": float(MATERIAL_RELATIVE),
                "share_points": float(MATERIAL_SHARE_POINTS),
                "material_metrics": len(self.material),
            },
            "counts": self.counts(),
            "grades": self.grades,
            "flags": {
                "raised": _plain(self.flags_raised),
                "cleared": _plain(self.flags_cleared),
                "severity_changed": _plain(self.flags_severity_changed),
            },
            "accounts": {"added": self.accounts_added, "removed": self.accounts_removed},
            "unreconciled_lines": {
                "appeared": _plain(self.lines_appeared),
                "disappeared": _plain(self.lines_disappeared),
            },
            "metrics": [m.to_json() for m in self.metrics],
            "items": {"added": self.items_added, "removed": self.items_removed},
            "schema_only": {"only_in_old": self.only_in_old, "only_in_new": self.only_in_new},
            "ignored": self.ignored,
        }


def render_diff_json(diff: ReportDiff) -> bytes:
    """The diff as canonical JSON bytes: sorted keys, two-space indent, one trailing newline."""
    text = json.dumps(diff.to_json(), sort_keys=True, indent=2, ensure_ascii=False)
    return (text + "\n").encode("utf-8")


# --- loading -----------------------------------------------------------------------------------


def load_report_json(path: str | Path) -> dict[str, Any]:
    """Read a ``report.json`` for comparison: numbers as exact Decimals.

    Raises:
        NotAReportError: the file cannot be read, is not JSON, is not a lendcheck report (no
            ``schema_version`` or ``report_id``), or its major schema version is not the one this
            lendcheck reads (exit code 3).
    """
    name = str(path)
    try:
        text = Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
        raise NotAReportError(f"{name}: cannot read the file ({reason})") from exc
    try:
        data = json.loads(text, parse_float=Decimal)
    except json.JSONDecodeError as exc:
        raise NotAReportError(
            f"{name}: not a lendcheck report (not JSON: {exc.msg} at line {exc.lineno})"
        ) from exc
    version = data.get("schema_version") if isinstance(data, dict) else None
    if not isinstance(version, str) or not isinstance(data.get("report_id"), str):
        raise NotAReportError(
            f"{name}: not a lendcheck report (no schema_version and report_id); "
            "give the report.json that lendcheck report writes"
        )
    try:
        major = parse_version(version)[0]
    except ValueError:
        raise NotAReportError(
            f"{name}: not a lendcheck report (schema_version {version!r} is not a version)"
        ) from None
    ours = parse_version(SCHEMA_VERSION)[0]
    if major != ours:
        raise NotAReportError(
            f"{name}: schema_version {version} is major version {major}; this lendcheck reads "
            f"major version {ours} ({SCHEMA_VERSION}): compare reports of the same major version "
            "with the lendcheck that reads them"
        )
    report: dict[str, Any] = data
    return report


# --- comparing ---------------------------------------------------------------------------------


@dataclass
class _Structure:
    """What the current schema says about a path: fixed object, free-form map, or unknown."""

    objects: set[str]
    maps: set[str]
    units: dict[str, str]


_STRUCTURE: _Structure | None = None


def _structure() -> _Structure:
    global _STRUCTURE
    if _STRUCTURE is None:
        schema = report_schema()
        defs = schema.get("$defs", {})
        objects: set[str] = set()
        maps: set[str] = set()
        units: dict[str, str] = {}

        def walk(node: dict[str, Any], path: str, depth: int) -> None:
            if depth > 40:
                return
            if isinstance(node.get("x-unit"), str):
                units[path] = node["x-unit"]
            if "$ref" in node:
                walk(defs[node["$ref"].rsplit("/", 1)[-1]], path, depth + 1)
                return
            for option in node.get("anyOf", []):
                walk(option, path, depth + 1)
            if node.get("properties"):
                objects.add(path)
                for name, prop in node["properties"].items():
                    walk(prop, f"{path}.{name}" if path else name, depth + 1)
            elif isinstance(node.get("additionalProperties"), dict):
                maps.add(path)
                walk(node["additionalProperties"], path + "{}", depth + 1)
            if isinstance(node.get("items"), dict):
                walk(node["items"], path + "[]", depth + 1)

        walk(schema, "", 0)
        _STRUCTURE = _Structure(objects, maps, units)
    return _STRUCTURE


@dataclass
class _Where:
    path: str  # with item identities: bank.accounts[<id>].reconciliation
    shape: str  # with [] and {}: bank.accounts[].reconciliation
    account: str | None = None
    account_name: str | None = None
    detail: bool = False  # inside a statement line or a monthly series: never material

    def child(self, key: str, in_map: bool = False) -> _Where:
        joined = f"{self.path}.{key}" if self.path else key
        shape = self.shape + "{}" if in_map else f"{self.shape}.{key}" if self.shape else key
        return _Where(joined, shape, self.account, self.account_name, self.detail)

    @property
    def section(self) -> str:
        return self.path.split(".", 1)[0].split("[", 1)[0]


def _is_money(value: Any) -> bool:
    return (
        isinstance(value, dict)
        and set(value) == {"amount", "currency"}
        and isinstance(value["amount"], str)
    )


def _is_number(value: Any) -> bool:
    return isinstance(value, int | Decimal) and not isinstance(value, bool)


def _is_date(value: Any) -> bool:
    if not (isinstance(value, str) and _DATE.match(value)):
        return False
    try:
        date.fromisoformat(value)
    except ValueError:
        return False
    return True


def _decimal(text: str) -> Decimal | None:
    try:
        value = Decimal(text)
    except InvalidOperation:
        return None
    return value if value.is_finite() else None


def _relative(delta: Decimal, old: Decimal) -> float | None:
    if old == 0:
        return None
    rounded = round(float(delta / abs(old)), RELATIVE_DECIMALS)
    return 0.0 if rounded == 0 else rounded


def _plain(value: Any) -> Any:
    """JSON-ready: Decimals back to numbers (their text came from JSON numbers)."""
    if isinstance(value, Decimal):
        exponent = value.as_tuple().exponent
        return int(value) if isinstance(exponent, int) and exponent >= 0 else float(value)
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value


def _kind(value: Any) -> str:
    if _is_money(value):
        return "money"
    if _is_number(value):
        return "number"
    if _is_date(value):
        return "date"
    return "value"


def _get(item: dict[str, Any], dotted: str) -> Any:
    value: Any = item
    for part in dotted.split("."):
        value = value.get(part) if isinstance(value, dict) else None
    return value


def _key_fields(name: str, old: list[Any], new: list[Any]) -> tuple[str, ...] | None:
    items = [*old, *new]
    if not items or not all(isinstance(i, dict) for i in items):
        return None
    own = name.rsplit(".", 1)[-1]
    named = LIST_KEYS.get(name) or LIST_KEYS.get(own)
    candidates = [named] if named else [(c,) for c in CANDIDATE_KEYS]
    for fields in candidates:
        for side in (old, new):
            keys = [_item_key(i, fields) for i in side]
            if any(k is None for k in keys) or len(set(keys)) != len(keys):
                break
        else:
            return fields
    return None


def _item_key(item: dict[str, Any], fields: tuple[str, ...]) -> str | None:
    parts = [_get(item, f) for f in fields]
    if all(p is None for p in parts):
        return None
    return "|".join("" if p is None else str(p) for p in parts)


def _account_of(item: dict[str, Any]) -> str | None:
    """The bank account an object is of: its ``bank_account_id``, or the one ID of its
    ``bank_account_ids`` (a per-account series); None for a pooled or an account-less one."""
    if "bank_account_id" in item:
        account = item["bank_account_id"]
        return account if isinstance(account, str) else None
    ids = item.get("bank_account_ids")
    if isinstance(ids, list) and len(ids) == 1 and isinstance(ids[0], str):
        return ids[0]
    return None


def _account_names(*reports: dict[str, Any]) -> dict[str, str]:
    """Bank account ID -> name, from ``bank.accounts`` of the reports (the newer name wins)."""
    names: dict[str, str] = {}
    for report in reports:
        accounts = _get(report, "bank.accounts")
        for account in accounts if isinstance(accounts, list) else []:
            if not isinstance(account, dict):
                continue
            account_id, name = account.get("bank_account_id"), account.get("bank_account_name")
            if isinstance(account_id, str) and isinstance(name, str):
                names[account_id] = name
    return names


class _Differ:
    def __init__(self, diff: ReportDiff, account_names: dict[str, str] | None = None) -> None:
        self.diff = diff
        self.structure = _structure()
        self.account_names = account_names or {}

    def value(self, old: Any, new: Any, where: _Where) -> None:
        if self._skip(where):
            return
        if (
            isinstance(old, dict)
            and isinstance(new, dict)
            and not (_is_money(old) or _is_money(new))
        ):
            self.mapping(old, new, where)
        elif isinstance(old, list) and isinstance(new, list):
            self.sequence(old, new, where)
        else:
            self.scalar(old, new, where)

    def _skip(self, where: _Where) -> bool:
        path = where.path
        if path in ("verdict.flags", "bank.oldest_unreconciled_lines"):
            return True  # compared as flags and unreconciled lines
        return path.startswith("verdict.") and path.endswith(".grade") and path.count(".") == 2

    def mapping(self, old: dict[str, Any], new: dict[str, Any], where: _Where) -> None:
        fixed = where.shape in self.structure.objects
        account = _account_of(new) or _account_of(old)
        if account is not None:
            name = new.get("bank_account_name", old.get("bank_account_name"))
            if not isinstance(name, str):
                name = self.account_names.get(account, where.account_name)
            where = _Where(where.path, where.shape, account, name, where.detail)
        line_item = "statement_line_id" in old or "statement_line_id" in new
        if line_item:
            where = _Where(where.path, where.shape, where.account, where.account_name, True)
        for key in sorted(set(old) | set(new)):
            if line_item and key == "age_days":
                continue  # grows with as_of; the line itself is what matters
            child = where.child(key, in_map=where.shape in self.structure.maps)
            if key in old and key in new:
                self.value(old[key], new[key], child)
            elif fixed:
                (self.diff.only_in_old if key in old else self.diff.only_in_new).append(child.path)
            else:
                self.scalar(old.get(key), new.get(key), child)

    def sequence(self, old: list[Any], new: list[Any], where: _Where) -> None:
        name = where.path.rsplit(".", 1)[-1]
        parent = re.sub(r"\[[^\]]*\]", "", where.path).rsplit(".", 2)[-2:]
        fields = _key_fields(".".join(parent), old, new)
        if fields is None and all(not isinstance(v, dict | list) for v in [*old, *new]):
            if old != new:  # a list of scalars (IDs, currencies) is one value
                self.scalar(old, new, where)
            return
        old_items = self._keyed(old, fields)  # no identity field: matched by position
        new_items = self._keyed(new, fields)
        for key in sorted(set(old_items) | set(new_items)):
            item_where = _Where(
                f"{where.path}[{key}]",
                where.shape + "[]",
                where.account,
                where.account_name,
                where.detail or name in SERIES_LISTS,
            )
            if key in old_items and key in new_items:
                self.value(old_items[key], new_items[key], item_where)
            else:
                self.item(where, item_where, old_items.get(key), new_items.get(key))

    @staticmethod
    def _keyed(items: list[Any], fields: tuple[str, ...] | None) -> dict[str, Any]:
        if fields is None:
            return {f"{i:06d}": item for i, item in enumerate(items)}
        return {str(_item_key(item, fields)): item for item in items}

    def item(self, parent: _Where, where: _Where, old: Any, new: Any) -> None:
        present = new if new is not None else old
        if parent.path == "bank.accounts" and isinstance(present, dict):
            entry = {
                "bank_account_id": present.get("bank_account_id"),
                "bank_account_name": present.get("bank_account_name"),
                "currency": present.get("currency"),
            }
            (self.diff.accounts_added if new is not None else self.diff.accounts_removed).append(
                entry
            )
            return
        account = where.account
        if isinstance(present, dict) and isinstance(present.get("bank_account_id"), str):
            account = present["bank_account_id"]
        entry = {"section": where.section, "account": account, "path": where.path}
        (self.diff.items_added if new is not None else self.diff.items_removed).append(entry)

    def scalar(self, old: Any, new: Any, where: _Where) -> None:
        if old == new:
            return
        if _is_money(old) and _is_money(new):
            self._money(old, new, where)
            return
        change = "added" if old is None else "removed" if new is None else "changed"
        present = new if new is not None else old
        if change != "changed" and isinstance(present, dict) and not _is_money(present):
            if "statement_line_id" in present:
                where = _Where(where.path, where.shape, where.account, where.account_name, True)
            for key in sorted(present):  # a whole object appeared or went: list its fields
                child = where.child(key, in_map=where.shape in self.structure.maps)
                value = present[key]
                self.scalar(
                    None if change == "added" else value,
                    value if change == "added" else None,
                    child,
                )
            return
        kind = _kind(present)
        if change == "changed" and _kind(old) != _kind(new):
            kind = "value"
        entry = MetricChange(
            where.section, where.account, where.account_name, where.path, kind, change, old, new
        )
        if kind == "money":
            entry.currency = present["currency"]
            entry.old = old["amount"] if old is not None else None
            entry.new = new["amount"] if new is not None else None
        elif change == "changed" and kind == "number":
            delta = Decimal(new) - Decimal(old)
            entry.delta, entry.relative = delta, _relative(delta, Decimal(old))
        elif change == "changed" and kind == "date":
            entry.delta = (date.fromisoformat(new) - date.fromisoformat(old)).days
        self._append(entry, where)

    def _append(self, entry: MetricChange, where: _Where) -> None:
        entry.unit = self.structure.units.get(where.shape)
        entry.material = not where.detail and _is_material(entry)
        self.diff.metrics.append(entry)

    def _money(self, old: dict[str, Any], new: dict[str, Any], where: _Where) -> None:
        a, b = _decimal(old["amount"]), _decimal(new["amount"])
        if a is not None and b is not None and a == b and old["currency"] == new["currency"]:
            return  # "1234.5" and "1234.50" are the same amount
        entry = MetricChange(
            where.section,
            where.account,
            where.account_name,
            where.path,
            "money",
            "changed",
            old["amount"],
            new["amount"],
            currency=new["currency"],
        )
        if a is not None and b is not None and old["currency"] == new["currency"]:
            delta = b - a
            entry.delta, entry.relative = f"{delta:f}", _relative(delta, a)
        elif old["currency"] != new["currency"]:
            entry.currency = f"{old['currency']}→{new['currency']}"
        self._append(entry, where)


def _is_check_working(path: str) -> bool:
    """Whether ``path`` is inside a field of :data:`CHECK_WORKING` of a check's item."""
    for checks, fields in CHECK_WORKING.items():
        _, found, rest = path.partition(f"{checks}.")
        if not found:
            _, found, rest = path.partition(f"{checks}[")
        if found:  # rest: "amounts[total_amount].xero" or "name].values.liabilities"
            inside = rest.split("].", 1)[-1].split(".")
            return inside[0] in fields
    return False


def _is_material(m: MetricChange) -> bool:
    """The module docstring's rule, for a change outside statement lines and monthly series."""
    name = m.path.rsplit(".", 1)[-1]
    if name.endswith(("_id", "_ids")):
        return False
    if m.kind == "date" or m.section == "verdict":  # the verdict is in the summary
        return False
    if _is_check_working(m.path):
        return False
    if m.kind == "value" and not isinstance(m.new if m.old is None else m.old, bool):
        return False
    if m.change != "changed":
        return True
    if m.kind == "value":
        return isinstance(m.old, bool) and isinstance(m.new, bool)
    old, new = _decimal(str(m.old)), _decimal(str(m.new))
    if old is None or new is None or m.delta is None:
        return m.kind == "money"  # across currencies, or not a number: always shown
    delta = abs(new - old)
    if m.unit == "share":
        return delta >= MATERIAL_SHARE_POINTS
    if old == 0:
        return delta != 0
    return delta >= MATERIAL_RELATIVE * abs(old)


def _header(data: dict[str, Any], file: str) -> dict[str, Any]:
    found = data.get("applicant")
    applicant: dict[str, Any] = found if isinstance(found, dict) else {}
    return {
        "file": file,
        "schema_version": data.get("schema_version"),
        "report_id": data.get("report_id"),
        "as_of": data.get("as_of"),
        "tenant_id": applicant.get("tenant_id"),
        "tenant_name": applicant.get("tenant_name"),
    }


def _severities(report: dict[str, Any]) -> dict[str, int]:
    flags = _get(report, "verdict.flags")
    found = (
        [f.get("severity") for f in flags if isinstance(f, dict)] if isinstance(flags, list) else []
    )
    return {"red": found.count("red"), "amber": found.count("amber")}


def _figure_change(figure: Any, old: Any, new: Any) -> dict[str, Any]:
    """A key figure's old and new values with their delta (exact; money in its currency)."""
    entry: dict[str, Any] = {
        "name": figure.name,
        "label": figure.label,
        "unit": figure.unit,
        "old": old,
        "new": new,
        "delta": None,
    }
    if figure.unit == "money":
        entry["old"] = old["amount"] if _is_money(old) else None
        entry["new"] = new["amount"] if _is_money(new) else None
        currencies = {m["currency"] for m in (old, new) if _is_money(m)}
        entry["currency"] = "→".join(sorted(currencies)) if currencies else None
        a, b = _decimal(str(entry["old"])), _decimal(str(entry["new"]))
        if a is not None and b is not None and len(currencies) == 1:
            entry["delta"] = f"{b - a:f}"
    elif _is_number(old) and _is_number(new):
        entry["delta"] = Decimal(new) - Decimal(old)
    return entry


def _summary(old: dict[str, Any], new: dict[str, Any], diff: ReportDiff) -> dict[str, Any]:
    """The reader's summary (``summary`` in ``--json``; printed first)."""
    grades = []
    for name in ("overall", "data_confidence"):
        before, after = _get(old, f"verdict.{name}.grade"), _get(new, f"verdict.{name}.grade")
        if before is not None or after is not None:
            grades.append({"grade": name, "old": before, "new": after})

    def totals(lines: list[dict[str, Any]]) -> list[dict[str, str]]:
        sums: dict[str, Decimal] = {}
        for line in lines:
            amount = line.get("amount")
            if not isinstance(amount, dict) or not _is_money(amount):
                continue
            value, currency = _decimal(amount["amount"]), str(amount["currency"])
            if value is not None:
                sums[currency] = sums.get(currency, Decimal(0)) + value
        return [{"amount": f"{v:f}", "currency": c} for c, v in sorted(sums.items())]

    return {
        "organisation": {"old": diff.old["tenant_name"], "new": diff.new["tenant_name"]},
        "base_currency": {"old": base_currency(old), "new": base_currency(new)},
        "as_of": {"old": diff.old["as_of"], "new": diff.new["as_of"]},
        "grades": grades,
        "flags": {
            "old": _severities(old),
            "new": _severities(new),
            "raised": len(diff.flags_raised),
            "cleared": len(diff.flags_cleared),
            "severity_changed": len(diff.flags_severity_changed),
        },
        "key_figures": [
            _figure_change(f, key_figure(old, f), key_figure(new, f)) for f in KEY_FIGURES
        ],
        "unreconciled_lines": {
            "appeared": len(diff.lines_appeared),
            "appeared_amount": totals(diff.lines_appeared),
            "disappeared": len(diff.lines_disappeared),
            "disappeared_amount": totals(diff.lines_disappeared),
        },
        "changes": len(diff.metrics),
        "material_changes": len(diff.material),
    }


def _flag_entry(flag: dict[str, Any]) -> dict[str, Any]:
    found = flag.get("scope")
    scope: dict[str, Any] = found if isinstance(found, dict) else {}
    return {
        "rule_id": flag.get("rule_id"),
        "scope_path": scope.get("path"),
        "scope_key": scope.get("key"),
        "scope_name": scope.get("name"),
        "severity": flag.get("severity"),
        "message": flag.get("message"),
        "metric": flag.get("metric"),
        "value": flag.get("value"),
    }


def _flags(old: Any, new: Any) -> Iterator[tuple[str, dict[str, Any]]]:
    def index(flags: Any) -> dict[tuple[str, str], dict[str, Any]]:
        out: dict[tuple[str, str], dict[str, Any]] = {}
        for flag in flags if isinstance(flags, list) else []:
            if isinstance(flag, dict):
                key = (str(flag.get("rule_id")), str(_get(flag, "scope.key") or ""))
                out.setdefault(key, flag)
        return out

    before, after = index(old), index(new)
    for key in sorted(set(before) | set(after)):
        if key not in before:
            yield "raised", _flag_entry(after[key])
        elif key not in after:
            yield "cleared", _flag_entry(before[key])
        elif before[key].get("severity") != after[key].get("severity"):
            entry = _flag_entry(after[key])
            entry.pop("severity")
            entry.pop("value")
            entry.update(
                old_severity=before[key].get("severity"),
                new_severity=after[key].get("severity"),
                old_value=before[key].get("value"),
                new_value=after[key].get("value"),
            )
            yield "severity_changed", entry


def _line_entry(line: dict[str, Any]) -> dict[str, Any]:
    return {
        k: line.get(k)
        for k in (
            "statement_line_id",
            "bank_account_id",
            "date",
            "amount",
            "payee",
            "reference",
            "age_days",
        )
    }


def _by_date(lines: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Oldest first, then by account and statement line ID (a total order)."""
    return sorted(
        lines,
        key=lambda line: (
            str(line["date"] or ""),
            str(line["bank_account_id"]),
            str(line["statement_line_id"]),
        ),
    )


def diff_reports(
    old: dict[str, Any],
    new: dict[str, Any],
    *,
    old_name: str = "OLD",
    new_name: str = "NEW",
    include_all: bool = False,
) -> ReportDiff:
    """Compare two parsed reports (:func:`load_report_json`).

    Args:
        old, new: the reports as dicts (numbers as Decimal, as :func:`load_report_json` gives).
        old_name, new_name: how the files are named in the result.
        include_all: also compare :data:`IGNORED` fields.

    Returns:
        The :class:`ReportDiff`, every list in a deterministic order.
    """
    diff = ReportDiff(old=_header(old, old_name), new=_header(new, new_name))
    diff.ignored = [] if include_all else sorted(k for k in IGNORED if k in old or k in new)
    skip = set(diff.ignored)
    differ = _Differ(diff, _account_names(old, new))
    differ.mapping(
        {k: v for k, v in old.items() if k not in skip},
        {k: v for k, v in new.items() if k not in skip},
        _Where("", ""),
    )

    old_verdict, new_verdict = old.get("verdict"), new.get("verdict")
    if isinstance(old_verdict, dict) and isinstance(new_verdict, dict):
        for kind, entry in _flags(old_verdict.get("flags"), new_verdict.get("flags")):
            getattr(diff, f"flags_{kind}").append(entry)
        for name in sorted(set(old_verdict) & set(new_verdict)):
            before, after = old_verdict[name], new_verdict[name]
            if (
                isinstance(before, dict)
                and isinstance(after, dict)
                and "grade" in before
                and "grade" in after
                and before["grade"] != after["grade"]
            ):
                diff.grades.append({"grade": name, "old": before["grade"], "new": after["grade"]})

    old_lines = _get(old, "bank.oldest_unreconciled_lines")
    new_lines = _get(new, "bank.oldest_unreconciled_lines")
    if isinstance(old_lines, list) and isinstance(new_lines, list):
        before = {
            str(line.get("statement_line_id")): line for line in old_lines if isinstance(line, dict)
        }
        after = {
            str(line.get("statement_line_id")): line for line in new_lines if isinstance(line, dict)
        }
        diff.lines_appeared = _by_date([_line_entry(after[k]) for k in set(after) - set(before)])
        diff.lines_disappeared = _by_date(
            [_line_entry(before[k]) for k in set(before) - set(after)]
        )

    diff.summary = _summary(old, new, diff)
    diff.warnings = comparability(old, new)
    diff.metrics.sort(key=lambda m: (m.section, m.account or "", m.path))
    for items in (diff.items_added, diff.items_removed):
        items.sort(key=lambda e: (e["section"], e["account"] or "", e["path"]))
    for accounts in (diff.accounts_added, diff.accounts_removed):
        accounts.sort(key=lambda e: str(e["bank_account_id"]))
    diff.only_in_old.sort()
    diff.only_in_new.sort()
    return diff


def comparability(old: dict[str, Any], new: dict[str, Any]) -> list[str]:
    """Why two parsed reports should not be compared: different organisations
    (``applicant.tenant_id``, else ``tenant_name`` when an ID is missing) or base currencies
    (``applicant.base_currency``). Empty when they are of the same organisation and currency."""
    reasons = []
    a, b = _header(old, "OLD"), _header(new, "NEW")
    same_org = (
        a["tenant_id"] == b["tenant_id"]
        if a["tenant_id"] and b["tenant_id"]
        else a["tenant_name"] == b["tenant_name"]
    )
    if not same_org:
        reasons.append(
            f"different organisations: {a['tenant_name']} ({a['tenant_id']}) and "
            f"{b['tenant_name']} ({b['tenant_id']})"
        )
    if base_currency(old) != base_currency(new):
        reasons.append(
            f"different base currencies: {base_currency(old)} and {base_currency(new)}: "
            "amounts are not comparable"
        )
    return reasons


def diff_files(
    old_path: str | Path,
    new_path: str | Path,
    *,
    include_all: bool = False,
    allow_different: bool = False,
) -> ReportDiff:
    """:func:`diff_reports` of two ``report.json`` files.

    Args:
        allow_different: compare reports of different organisations or base currencies
            (the reasons are in the result's ``warnings``) instead of refusing.

    Raises:
        NotAReportError: a file is not a lendcheck report of a major version this lendcheck
            reads (exit code 3).
        NotComparableError: the reports are of different organisations or base currencies and
            ``allow_different`` is False (exit code 3).
    """
    old = load_report_json(old_path)
    new = load_report_json(new_path)
    reasons = comparability(old, new)
    if reasons and not allow_different:
        raise NotComparableError(
            f"{old_path} and {new_path} are not comparable: {'; '.join(reasons)}. "
            "Compare two reports of one applicant, or pass --allow-different to compare anyway"
        )
    return diff_reports(
        old, new, old_name=str(old_path), new_name=str(new_path), include_all=include_all
    )


# --- terminal output ---------------------------------------------------------------------------

#: Headings of the report's top-level sections in the printed diff.
SECTION_TITLES = {
    "applicant": "Applicant",
    "period": "Period",
    "bank": "Bank, all accounts",
    "financials": "Financials",
    "verdict": "Verdict",
    "policy": "Policy",
}
_NO_VALUE = "not available"


def _amount(amount: Any, currency: str | None, signed: bool = False) -> str:
    """``GBP 1,234.50`` (``GBP +12.00`` when signed) from a decimal string."""
    value = _decimal(str(amount)) if amount is not None else None
    if value is None:
        return _NO_VALUE if amount is None else str(amount)
    text = f"{value:+,.2f}" if signed else f"{value:,.2f}"
    return f"{currency} {text}" if currency else text


def _number(value: Any, unit: str | None, signed: bool = False) -> str:
    """A number in its unit: shares as percentages (a share's delta in points), days, counts."""
    if value is None:
        return _NO_VALUE
    if isinstance(value, bool):
        return "yes" if value else "no"
    if not _is_number(value):
        return str(value)
    number = Decimal(value)
    sign = "+" if signed else ""
    if unit in ("share", "percent"):
        return f"{number * 100:{sign},.2f} pts" if signed else f"{number * 100:,.2f}%"
    if unit == "days":
        return f"{number:{sign},f} days"
    if unit == "ratio":
        return f"{number:{sign},.2f}"
    return f"{number:{sign},f}"


def _value_text(m: MetricChange, value: Any) -> str:
    if m.kind == "money":
        return _amount(value, m.currency)
    if value is None:
        return _NO_VALUE
    if isinstance(value, list):
        return ", ".join(str(_plain(v)) for v in value) or "none"
    if isinstance(value, dict):
        return json.dumps(_plain(value), sort_keys=True)
    return _number(value, m.unit)


def _change_text(m: MetricChange) -> str:
    if m.change == "added":
        return "now available"
    if m.change == "removed":
        return "no longer available"
    if m.delta is None:
        return "changed"
    if m.kind == "money":
        return _amount(m.delta, m.currency, signed=True)
    if m.kind == "date":
        return f"{m.delta:+d} days"
    text = _number(m.delta, m.unit, signed=True)
    if m.relative is not None and m.unit != "share":
        text += f" ({m.relative * 100:+.1f}%)"
    return text


def _label(m: MetricChange) -> str:
    """Where the value is, in words: ``reconciliation / ageing 0-30 / amount neg``. Under an
    account's heading its ID is not repeated: ``daily balances / lowest balance`` for
    ``behaviour.daily_balances[<id>].lowest_balance``, ``monthly / inflows / trend 3 months``
    for ``behaviour.monthly.accounts[<id>].inflows.trend_3_months``."""
    path = m.path
    for prefix in (f"bank.accounts[{m.account}].", f"{m.section}."):
        if path.startswith(prefix):
            path = path[len(prefix) :]
            break
    path = path.removeprefix("overall.") if m.section == "bank" else path  # "all accounts"
    parts = re.split(r"\.(?![^\[]*\])", path)
    words = []
    for part in parts:
        if match := re.fullmatch(r"by_currency\[(.+)\]", part):
            words.append(f"{match[1]} accounts")
        elif match := re.fullmatch(r"(.+?)\[(.+)\]", part):
            # the account the heading names is not repeated by its ID (daily_balances[<id>],
            # streams[<id>|<payee>])
            key = "|".join(k for k in match[2].split("|") if k != m.account)
            if key or match[1] != "accounts":
                words.append(f"{match[1].replace('_', ' ')} {key}".rstrip())
        else:
            words.append(part.replace("_", " "))
    return " / ".join(words)


#: Values of one object that appeared or went together are printed as one row from this many.
COLLAPSE_FROM = 3


def _rows(metrics: list[MetricChange], collapse: bool) -> Iterator[tuple[str, str, str, str]]:
    """Table rows (label, old, new, change). With ``collapse``, :data:`COLLAPSE_FROM` or more
    values of one object that all appeared (or all went) are one row: "balance sheet / current
    (16 figures)": now available."""
    pending: list[MetricChange] = []

    def flush() -> Iterator[tuple[str, str, str, str]]:
        if len(pending) >= COLLAPSE_FROM:
            first = pending[0]
            parent = _label(replace(first, path=group(first)))
            absent = _NO_VALUE
            present = f"{len(pending)} figures"
            yield (
                f"{parent} ({len(pending)} figures)",
                absent if first.change == "added" else present,
                present if first.change == "added" else absent,
                _change_text(first),
            )
        else:
            for m in pending:
                yield _label(m), _value_text(m, m.old), _value_text(m, m.new), _change_text(m)
        pending.clear()

    def group(m: MetricChange) -> str:  # the list item, else the object, the value is in
        prefix = f"bank.accounts[{m.account}]."
        prefix = prefix if m.account and m.path.startswith(prefix) else ""
        inner = m.path.removeprefix(prefix)
        item = re.match(r"^(.*?\])\.", inner)
        return prefix + (item[1] if item else inner.rsplit(".", 1)[0])

    for m in metrics:
        if pending and (m.change != pending[0].change or group(m) != group(pending[0])):
            yield from flush()
        if collapse and m.change in ("added", "removed"):
            pending.append(m)
        else:
            yield from flush()
            yield _label(m), _value_text(m, m.old), _value_text(m, m.new), _change_text(m)
    yield from flush()


def _figure_text(entry: dict[str, Any], side: str) -> str:
    value = entry[side]
    if entry["unit"] == "money":
        return _amount(value, entry.get("currency"))
    return _number(value, entry["unit"])


def _figure_change_text(entry: dict[str, Any]) -> str:
    if entry["old"] is None and entry["new"] is None:
        return ""
    if entry["old"] is None:
        return "now available"
    if entry["new"] is None:
        return "no longer available"
    if entry["delta"] is None:
        return "not comparable"
    if entry["unit"] == "money":
        return _amount(entry["delta"], entry.get("currency"), signed=True)
    return _number(entry["delta"], entry["unit"], signed=True)


def print_diff(diff: ReportDiff, console: Any, *, show_all: bool = False) -> None:
    """Write the diff for a reader to a :class:`rich.console.Console`: the summary (grades,
    flags, key figures, unreconciled lines), the flags raised, cleared and changed, accounts
    added or removed, then the material changes (every change when ``show_all``). Every amount
    carries its currency.

    Every string goes through :func:`lendcheck.text.clean_untrusted` (a report file may carry
    terminal escape sequences in names, payees or references) and is printed as plain
    :class:`rich.text.Text`, never as markup.
    """
    from rich.table import Table
    from rich.text import Text as RichText

    from lendcheck.text import clean_untrusted

    def safe(value: object = "", style: str = "") -> RichText:
        return RichText(clean_untrusted(str(value), 1000), style=style)

    def heading(text: str) -> None:
        console.print()
        console.print(safe(text, style="bold"))

    def table(*columns: str) -> Any:
        return Table(*columns, box=None, pad_edge=False, show_edge=False)

    summary = diff.summary
    for warning in diff.warnings:
        console.print(safe(f"WARNING: {warning}", style="bold red"))
    names = summary["organisation"]
    currencies = summary["base_currency"]
    org = names["new"] if names["old"] == names["new"] else f"{names['old']} / {names['new']}"
    currency = (
        currencies["new"]
        if currencies["old"] == currencies["new"]
        else f"{currencies['old']} / {currencies['new']}"
    )
    console.print(
        safe(
            f"{org} ({currency}): report of {diff.old['as_of']} against {diff.new['as_of']}",
            style="bold",
        )
    )
    for side, label in ((diff.old, "old"), (diff.new, "new")):
        console.print(
            safe(
                f"  {label}: {side['file']} ({side['report_id']}, schema {side['schema_version']})"
            )
        )

    heading("Summary")
    overview = table("", "old", "new", "change")
    grade_names = {"overall": "Overall grade", "data_confidence": "Data confidence grade"}
    for grade in summary["grades"]:
        overview.add_row(
            safe(grade_names.get(grade["grade"], grade["grade"])),
            safe(grade["old"] or _NO_VALUE),
            safe(grade["new"] or _NO_VALUE),
            safe("changed" if grade["old"] != grade["new"] else "same"),
        )
    flags = summary["flags"]
    for severity in ("red", "amber"):
        before, after = flags["old"][severity], flags["new"][severity]
        overview.add_row(
            safe(f"{severity.capitalize()} flags"),
            safe(before),
            safe(after),
            safe(f"{after - before:+d}" if after != before else "same"),
        )
    for entry in summary["key_figures"]:
        overview.add_row(
            safe(entry["label"]),
            safe(_figure_text(entry, "old")),
            safe(_figure_text(entry, "new")),
            safe(_figure_change_text(entry)),
        )
    console.print(overview)
    lines = summary["unreconciled_lines"]

    def amounts(key: str) -> str:
        totals = lines[key]
        return ", ".join(_amount(t["amount"], t["currency"]) for t in totals) or "none"

    console.print(
        safe(
            f"Unreconciled statement lines: {lines['appeared']} new "
            f"({amounts('appeared_amount')}), {lines['disappeared']} reconciled or gone "
            f"({amounts('disappeared_amount')})"
        )
    )
    console.print(
        safe(
            f"Flags: {flags['raised']} raised, {flags['cleared']} cleared, "
            f"{flags['severity_changed']} with a new severity. Changes: "
            f"{summary['material_changes']} material of {summary['changes']}"
            + ("" if show_all else " (--all shows every change)")
        )
    )

    def where(entry: dict[str, Any]) -> str:
        return str(
            entry["scope_name"]
            or ("whole organisation" if not entry["scope_key"] else entry["scope_key"])
        )

    for title, entries in (
        ("Flags raised", diff.flags_raised),
        ("Flags cleared", diff.flags_cleared),
    ):
        if entries:
            heading(f"{title} ({len(entries)})")
            listed = table("severity", "where", "flag")
            for f in entries:
                listed.add_row(
                    safe(str(f["severity"]), style="red" if f["severity"] == "red" else "yellow"),
                    safe(where(f)),
                    safe(str(f["message"])),
                )
            console.print(listed)
    if diff.flags_severity_changed:
        heading(f"Flags with a new severity ({len(diff.flags_severity_changed)})")
        listed = table("severity", "where", "flag", "value")
        for f in diff.flags_severity_changed:
            listed.add_row(
                safe(f"{f['old_severity']} → {f['new_severity']}"),
                safe(where(f)),
                safe(str(f["message"])),
                safe(f"{_flag_value(f['old_value'])} → {_flag_value(f['new_value'])}"),
            )
        console.print(listed)
    for title, accounts in (
        ("Bank accounts added", diff.accounts_added),
        ("Bank accounts removed", diff.accounts_removed),
    ):
        if accounts:
            heading(f"{title} ({len(accounts)})")
            for a in accounts:
                console.print(safe(f"  {a['bank_account_name']} ({a['currency']})"))
    if show_all:
        for title, found in (
            ("Unreconciled lines that appeared", diff.lines_appeared),
            ("Unreconciled lines reconciled or gone", diff.lines_disappeared),
        ):
            if found:
                heading(f"{title} ({len(found)})")
                listed = table("date", "amount", "payee", "reference", "line")
                for line in found:
                    amount = line["amount"] or {}
                    listed.add_row(
                        safe(line["date"] or _NO_VALUE),
                        safe(_amount(amount.get("amount"), amount.get("currency"))),
                        safe(line["payee"] or ""),
                        safe(line["reference"] or ""),
                        safe(str(line["statement_line_id"])),
                    )
                console.print(listed)

    shown = diff.metrics if show_all else diff.material
    heading(
        ("Every change" if show_all else "Material changes")
        + f" ({len(shown)} of {len(diff.metrics)})"
    )
    if not shown:
        console.print(safe("  none"))
    groups: dict[tuple[str, str | None], list[MetricChange]] = {}
    for metric in shown:
        groups.setdefault((metric.section, metric.account), []).append(metric)
    for (section, account), metrics in groups.items():
        if account and section == "bank":
            title = f"Bank account {metrics[0].account_name or account}"
        elif account:
            title = (
                f"{SECTION_TITLES.get(section, section.replace('_', ' ').capitalize())}, "
                f"bank account {metrics[0].account_name or account}"
            )
        else:
            title = SECTION_TITLES.get(section, section.replace("_", " ").capitalize())
        console.print()
        console.print(safe(f"  {title}", style="bold"))
        listed = table("", "old", "new", "change")
        for label, old_text, new_text, change in _rows(metrics, collapse=not show_all):
            listed.add_row(safe(f"    {label}"), safe(old_text), safe(new_text), safe(change))
        console.print(listed)
    if show_all and (diff.items_added or diff.items_removed):
        heading("List items present in one report only (by list)")
        counts: dict[str, list[int]] = {}
        for sign, items in ((0, diff.items_added), (1, diff.items_removed)):
            for item in items:
                parent = item["path"].rsplit("[", 1)[0]
                counts.setdefault(parent, [0, 0])[sign] += 1
        listed = table("list", "added", "removed")
        for parent in sorted(counts):
            listed.add_row(safe(parent), str(counts[parent][0]), str(counts[parent][1]))
        console.print(listed)
    if diff.only_in_old or diff.only_in_new:
        heading("Fields in one schema version only (not compared)")
        for path in diff.only_in_old:
            console.print(safe(f"  only in the old report: {path}"))
        for path in diff.only_in_new:
            console.print(safe(f"  only in the new report: {path}"))
    if diff.ignored:
        console.print()
        console.print(
            safe(
                "Not compared (they differ between any two runs; --all includes them): "
                f"{', '.join(diff.ignored)}",
                style="dim",
            )
        )


def _flag_value(value: Any) -> str:
    if _is_money(value):
        return _amount(value["amount"], value["currency"])
    return _NO_VALUE if value is None else str(_plain(value))
