"""What a policy concludes: flags with their evidence, and grades.

These models are part of the report (``report.policy`` and ``report.verdict``); the rules that
produce them live in :mod:`lendcheck.policy.rules`.
"""

from __future__ import annotations

from typing import Any, Literal

from lendcheck.report_types import ReportModel

Severity = Literal["red", "amber"]
Grade = Literal["A", "B", "C", "D", "E"]
#: Which grade a rule's flags drive: ``credit`` the overall grade only; ``data`` both the data
#: confidence grade and the overall grade; ``evidence`` (evidence the snapshot does not supply,
#: not a finding about the books) the evidence grade, the data confidence grade and the
#: overall grade.
Category = Literal["credit", "data", "evidence"]


class PolicyInfo(ReportModel):
    """The policy a report was judged by.

    Attributes:
        name: ``policy_name`` from the file.
        version: ``policy_version`` from the file (the lender sets it).
        sha256: hex digest of the policy file's bytes (the packaged default's for the default).
        source: ``default`` (shipped with lendcheck) or ``file`` (``--policy``).
    """

    name: str
    version: str
    sha256: str
    source: Literal["default", "file"]


class FlagScope(ReportModel):
    """Where a flag applies.

    Attributes:
        path: ``overall`` or the report list the rule ran over, e.g. ``bank.accounts``.
        key: the item's identifier (a bank account ID, an integrity check ID); None overall.
        name: the item's display name (e.g. the bank account name; untrusted text); None overall.
    """

    path: str
    key: str | None = None
    name: str | None = None


class Flag(ReportModel):
    """One rule that fired.

    Attributes:
        rule_id: the rule's ``id``.
        severity: ``red`` or ``amber``.
        category: ``credit`` or ``data`` (findings about the books), or ``evidence`` (evidence
            the snapshot does not supply).
        message: the rule's message with the values filled in.
        metric: the report name of the metric compared (relative to the scope's items).
        value: the metric's value as in report.json (number, decimal string for money, bool,
            or null when it is not available).
        comparison: ``below``, ``above``, ``is`` or ``missing``.
        thresholds: the rule's thresholds, as in the policy file (``amber``/``red``).
        evidence: other report values the rule names as context, by report name.
        scope: where the flag applies.
    """

    rule_id: str
    severity: Severity
    category: Category
    message: str
    metric: str
    value: Any
    comparison: str
    thresholds: dict[str, Any]
    evidence: dict[str, Any]
    scope: FlagScope


class GradeResult(ReportModel):
    """A grade from A (best) to E and the rules whose flags set it.

    Attributes:
        grade: ``A`` no flags; ``B`` amber flags only, fewer than the policy's ``c_amber``;
            ``C`` at least ``c_amber`` amber flags; ``D`` ``d_red`` red flags or more; ``E``
            ``e_red`` red flags or more (defaults 3, 1, 2: ``docs/policy.md``).
        red, amber: how many flags of each severity count towards it.
        drivers: the rule IDs of those flags, sorted, each once.
    """

    grade: Grade
    red: int
    amber: int
    drivers: list[str]


class Verdict(ReportModel):
    """The policy's conclusion.

    Attributes:
        overall: grade over every flag.
        data_confidence: grade over the flags of ``data`` and ``evidence`` rules: how far the
            books can be trusted and how much of the evidence was supplied.
        evidence: grade over the flags of ``evidence`` rules only (evidence findings: what the
            snapshot does not supply, kept apart from findings about the books).
        flags: every flag, red first, then by rule ID and scope key.
    """

    overall: GradeResult
    data_confidence: GradeResult
    evidence: GradeResult
    flags: list[Flag]
