"""Tools that work on many reports or on written ``report.json`` files, above the pipeline.

Modules:

- :mod:`~lendcheck.tools.batch`: many applicants from a CSV manifest, in parallel processes
  (``lendcheck batch``), and the throughput measurement the benchmarks call.
- :mod:`~lendcheck.tools.diff`: what changed between two ``report.json`` files
  (``lendcheck diff``), working from the JSON so that an older minor version still diffs.
- :mod:`~lendcheck.tools.key_figures`: the figures a portfolio manager sorts applicants by,
  read from a ``report.json`` (the batch summary's columns and the diff's key figures).
"""
