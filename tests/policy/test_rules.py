"""Each default rule fires on a constructed case and stays quiet on a clean one; grades."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from lendcheck.policy.engine import evaluate, grade
from lendcheck.policy.model import Policy, Rule
from lendcheck.policy.verdict import Flag, FlagScope
from lendcheck.report import load_report_policy, report_metrics

DEFAULT = load_report_policy()
REGISTRY = report_metrics()


def _value(unit: str, number: float) -> Any:
    if unit == "money":
        return {"amount": f"{Decimal(str(number)):.2f}", "currency": "GBP"}
    if unit in ("count",):
        return int(number)
    return number


def _nest(path: str, value: Any) -> dict[str, Any]:
    data: dict[str, Any] = {}
    node = data
    *parents, leaf = path.split(".")
    for part in parents:
        node = node.setdefault(part, {})
    node[leaf] = value
    return data


def _data(rule: Rule, value: Any) -> dict[str, Any]:
    item = _nest(rule.metric, value)
    if rule.scope == "overall":
        return item
    item.update({"bank_account_id": "acc-1", "bank_account_name": "Main account", "id": "chk-1"})
    return _nest(rule.scope, [item])


def _cases(rule: Rule) -> list[tuple[str, Any, str | None]]:
    """(label, value, expected severity) for a rule, from its own thresholds."""
    unit = REGISTRY[rule.scope][rule.metric]
    if rule.comparison == "missing":
        return [("missing", None, rule.severity), ("present", _value(unit, 1), None)]
    if rule.comparison == "is":
        level = "red" if rule.red is not None else "amber"
        fires = getattr(rule, level)
        return [(level, fires, level), ("clean", not fires, None)]
    step = 0.01 if unit in ("share", "ratio", "number") else 1
    sign = -1 if rule.comparison == "below" else 1
    cases: list[tuple[str, Any, str | None]] = []
    if rule.red is not None:
        cases.append(("beyond red", _value(unit, rule.red + sign * step), "red"))
    if rule.amber is not None:
        amber_only = rule.amber + sign * step
        if rule.red is None or (sign * (rule.red - amber_only)) > 0:
            cases.append(("amber only", _value(unit, amber_only), "amber"))
        cases.append(("clean", _value(unit, rule.amber - sign * step), None))
    else:
        cases.append(("clean", _value(unit, rule.red - sign * step), None))
    cases.append(
        ("not available", None, None if rule.when_missing == "ignore" else rule.when_missing)
    )
    return cases


RULE_CASES = [
    (rule, label, value, expected)
    for rule in DEFAULT.policy.rules
    for label, value, expected in _cases(rule)
]


@pytest.mark.parametrize(
    ("rule", "label", "value", "expected"),
    RULE_CASES,
    ids=[f"{r.id}-{label}" for r, label, _, _ in RULE_CASES],
)
def test_default_rule(rule: Rule, label: str, value: Any, expected: str | None) -> None:
    only = Policy(policy_name="t", policy_version="1", rules=[rule])
    verdict = evaluate(_data(rule, value), only, REGISTRY)
    assert [f.severity for f in verdict.flags] == ([expected] if expected else [])
    if expected:
        flag = verdict.flags[0]
        assert flag.rule_id == rule.id
        assert flag.value == value
        assert flag.message and "{" not in flag.message
        if rule.scope == "bank.accounts":
            assert (flag.scope.key, flag.scope.name) == ("acc-1", "Main account")


def test_every_default_rule_is_explained() -> None:
    assert len(DEFAULT.policy.rules) >= 15
    for rule in DEFAULT.policy.rules:
        assert len(rule.rationale) > 40, rule.id


def test_flag_carries_evidence_and_formatted_message() -> None:
    rule = next(r for r in DEFAULT.policy.rules if r.id == "reconciled_share_low")
    data = {
        "bank": {
            "accounts": [
                {
                    "bank_account_id": "acc-9",
                    "bank_account_name": "Current \u202eaccount",
                    "reconciliation": {
                        "reconciled_share_by_amount": 0.8123,
                        "unreconciled_amount_pos": {"amount": "1200.00", "currency": "NZD"},
                        "unreconciled_amount_neg": {"amount": "-30.50", "currency": "NZD"},
                    },
                }
            ]
        }
    }
    [flag] = evaluate(
        data, Policy(policy_name="t", policy_version="1", rules=[rule]), REGISTRY
    ).flags
    assert flag.severity == "red"
    assert flag.message == (
        "Current account: only 81.2% of the statement line amount is reconciled (threshold 85.0%)"
    )
    assert flag.thresholds == {"amber": 0.95, "red": 0.85}
    assert flag.evidence == {
        "reconciliation.unreconciled_amount_pos": {"amount": "1200.00", "currency": "NZD"},
        "reconciliation.unreconciled_amount_neg": {"amount": "-30.50", "currency": "NZD"},
    }
    assert flag.scope == FlagScope(path="bank.accounts", key="acc-9", name="Current account")


def test_message_names_why_the_metric_is_missing() -> None:
    # {not_available}: the reason the report gives beside the metric: an evidence question's
    # text, or a section's mapping from figure names to reasons; "not available" when the
    # report says nothing, "" when the metric has a value.
    def message(rule_id: str, data: dict[str, Any]) -> str:
        rule = next(r for r in DEFAULT.policy.rules if r.id == rule_id)
        policy = Policy(policy_name="t", policy_version="1", rules=[rule])
        [flag] = evaluate(data, policy, REGISTRY).flags
        return flag.message

    refused = "Xero answered 400: Cashflow statement is not available in US region"
    cash_flow = {"answered": False, "not_available": refused}
    assert message("cash_flow_missing", {"evidence": {"cash_flow_current": cash_flow}}) == (
        f"The cash flow statement was not supplied ({refused}): DSCR falls back on an EBITDA proxy"
    )
    why = "no bank account in the snapshot"
    overall = {
        "reconciled_share_by_count": None,
        "not_available": {"reconciled_share_by_count": why},
    }
    assert message("no_bank_data", {"bank": {"overall": overall}}).startswith(
        f"Bank statement lines were not supplied ({why}): "
    )
    assert message("no_bank_data", {"bank": {"overall": {}}}).startswith(
        "Bank statement lines were not supplied (not available): "
    )
    rule = Rule.model_validate(
        {
            "id": "low",
            "category": "credit",
            "metric": "financials.loan.dscr",
            "comparison": "below",
            "red": 1.0,
            "message": "DSCR {value}{not_available}",
        }
    )
    data = {"financials": {"loan": {"dscr": 0.5}}}
    policy = Policy(policy_name="t", policy_version="1", rules=[rule])
    [flag] = evaluate(data, policy, REGISTRY).flags
    assert flag.message == "DSCR 0.50"


def test_money_thresholds_compare_exactly() -> None:
    rule = next(r for r in DEFAULT.policy.rules if r.id == "ledger_cash_above_bank")
    policy = Policy(policy_name="t", policy_version="1", rules=[rule])

    def run(amount: str) -> list[str]:
        item = {
            "bank_account_id": "a",
            "ledger_vs_bank": {"ledger_minus_bank": {"amount": amount, "currency": "AUD"}},
        }
        return [
            f.severity for f in evaluate({"bank": {"accounts": [item]}}, policy, REGISTRY).flags
        ]

    assert run("1000.00") == []
    assert run("1000.01") == ["amber"]
    assert run("10000.00") == ["amber"]
    assert run("10000.01") == ["red"]


def _flags(*severities: str, category: str = "credit") -> list[Flag]:
    return [
        Flag(
            rule_id=f"r{i}",
            severity=s,
            category=category,
            message="m",
            metric="x",
            value=None,
            comparison="below",
            thresholds={},
            evidence={},
            scope=FlagScope(path="overall"),
        )
        for i, s in enumerate(severities)
    ]  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("severities", "expected"),
    [
        ((), "A"),
        (("amber",), "B"),
        (("amber", "amber"), "B"),
        (("amber",) * 3, "C"),
        (("red",), "D"),
        (("red", "amber", "amber", "amber"), "D"),
        (("red", "red"), "E"),
    ],
)
def test_grades(severities: tuple[str, ...], expected: str) -> None:
    result = grade(_flags(*severities), DEFAULT.policy)
    assert result.grade == expected
    assert (result.red, result.amber) == (severities.count("red"), severities.count("amber"))
    assert result.drivers == sorted(f"r{i}" for i in range(len(severities)))


def test_data_grade_counts_only_data_rules() -> None:
    rules = [r for r in DEFAULT.policy.rules if r.id in ("current_ratio_low", "feed_stale")]
    data = {
        "financials": {"balance_sheet": {"current": {"current_ratio": 0.5}}},
        "bank": {"accounts": [{"bank_account_id": "a", "freshness": {"days_overdue": 20.0}}]},
    }
    verdict = evaluate(data, Policy(policy_name="t", policy_version="1", rules=rules), REGISTRY)
    assert [(f.rule_id, f.severity) for f in verdict.flags] == [
        ("current_ratio_low", "red"),
        ("feed_stale", "amber"),
    ]
    assert verdict.overall.grade == "D"
    assert verdict.data_confidence.grade == "B"
    assert verdict.data_confidence.drivers == ["feed_stale"]
