"""Metrics: pure functions from frames and models to report models.

Every function here takes Polars frames (:mod:`lendcheck.frames`) and parsed Finance API
models (:mod:`lendcheck.xero.models`) and returns frozen pydantic models
(:mod:`lendcheck.report_types`). No I/O and no clock: the report date ``as_of`` is always an
argument. Definitions of every metric are in ``docs/metrics.md``.

Bank metrics (issue 4, reconciliation quality and data-source confidence):

* :mod:`lendcheck.metrics.reconciliation`: statement-line counts and amounts, reconciled shares,
  ageing, value-weighted ages, books current to, monthly trend;
* :mod:`lendcheck.metrics.data_source`: import-source mix, feed-verified coverage, feed freshness,
  statement continuity, the inputs of the data confidence score (the score:
  :mod:`lendcheck.policy.confidence`);
* :mod:`lendcheck.metrics.cadence`: CashValidation as at past month ends (reconciliation cadence);
* :mod:`lendcheck.metrics.cross_check`: recomputed aggregates against Xero's CashValidation, ledger
  against bank;
* :mod:`lendcheck.metrics.bank`: :func:`~lendcheck.metrics.bank.bank_figures`, which composes them
  (:func:`lendcheck.report.bank.analyse_bank` adds the policy's score).
"""
