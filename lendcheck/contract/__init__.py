"""The report.json contract: what lenders' systems are built against.

Modules:

- :mod:`~lendcheck.contract.schema`: the JSON Schema of ``report.json``, generated from the
  :class:`lendcheck.report.Report` model (``lendcheck schema``; committed as
  ``docs/report.schema.json``).
- :mod:`~lendcheck.contract.docs`: the field reference of ``docs/report-json.md``, generated from
  the same schema.

The tools that work on written reports (batch, diff, key figures) are in :mod:`lendcheck.tools`.
"""
