"""Composition: the one :class:`Report` every output comes from, built from a snapshot.

- :mod:`lendcheck.report.build`: the Report model and :func:`build_report` (snapshot in,
  Report out; pure, no clock, no I/O).
- :mod:`lendcheck.report.evidence`: which of a snapshot's responses answers each question of
  the report, and how complete the evidence is (docs/evidence.md).
- :mod:`lendcheck.report.inputs`: the responses the financial analysis reads, chosen by
  evidence, and the organisation's base currency.

This is the layer that reads the snapshot and hands models and frames to
:mod:`lendcheck.metrics` (which never reads it) and the figures to :mod:`lendcheck.policy`.
The names below keep ``from lendcheck.report import build_report`` (and the other names of the
former module ``lendcheck/report.py``) working.
"""

from lendcheck.report.build import (
    SCHEMA_VERSION,
    Applicant,
    InputCall,
    Inputs,
    MissingCall,
    Period,
    Report,
    build_report,
    load_report_policy,
    report_id,
    report_metrics,
)

__all__ = [
    "SCHEMA_VERSION",
    "Applicant",
    "InputCall",
    "Inputs",
    "MissingCall",
    "Period",
    "Report",
    "build_report",
    "load_report_policy",
    "report_id",
    "report_metrics",
]
