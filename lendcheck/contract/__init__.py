"""The report.json contract and the tools built on it.

Modules:

- :mod:`~lendcheck.contract.schema`: the JSON Schema of ``report.json``, generated from the
  :class:`lendcheck.report.Report` model (``lendcheck schema``; committed as
  ``docs/report.schema.json``).
- :mod:`~lendcheck.contract.docs`: the field reference of ``docs/report-json.md``, generated from
  the same schema.
- :mod:`~lendcheck.contract.diff`: what changed between two ``report.json`` files
  (``lendcheck diff``), working from the JSON so that an older minor version still diffs.
- :mod:`~lendcheck.contract.batch`: many applicants from a CSV manifest, in parallel processes
  (``lendcheck batch``), and the throughput measurement the benchmarks call.
"""
