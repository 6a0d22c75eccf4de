"""The rule table of ``docs/policy.md``, generated from the default policy so it cannot drift.

``python -m lendcheck.contract.docs`` writes it into ``docs/policy.md`` (between the
``rules:start`` and ``rules:end`` markers) with the other generated references; a test compares
it with the doc. The policy layer cannot load the report's metric registry itself (that would be
an upward import), so the regeneration lives with the report contract.
"""

from __future__ import annotations

from lendcheck.policy.model import Rule


def _threshold(rule: Rule) -> str:
    if rule.comparison == "missing":
        return f"missing → {rule.severity}"
    sign = {"below": "<", "above": ">", "is": "="}[rule.comparison]
    parts = [
        f"{level} {sign} {str(getattr(rule, level)).lower()}"
        for level in ("amber", "red")
        if getattr(rule, level) is not None
    ]
    return ", ".join(parts)


def rules_table(rules: list[Rule]) -> str:
    """A Markdown table of rules: id, category, scope, metric, thresholds, why."""
    lines = [
        "| rule | category | scope | metric | fires when | why this threshold |",
        "|---|---|---|---|---|---|",
    ]
    for rule in rules:
        lines.append(
            f"| `{rule.id}` | {rule.category} | {rule.scope} | `{rule.metric}` | "
            f"{_threshold(rule)} | {rule.rationale} |"
        )
    return "\n".join(lines) + "\n"
