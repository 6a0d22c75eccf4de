"""The one-screen summary ``lendcheck report`` prints."""
from __future__ import annotations

from pathlib import Path

from lendcheck.report import Report


def summary_lines(report: Report, paths: dict[str, Path]) -> list[str]:
    return [f"{report.applicant.tenant_name}", "Written: " + ", ".join(str(p) for p in paths.values())]
