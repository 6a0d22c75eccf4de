"""Benchmarks of lendcheck's stages (``make bench``; not part of ``make test``).

:mod:`~lendcheck.bench.run` runs each stage group of :mod:`~lendcheck.bench.worker` in a fresh
process on every committed sample and on the large generated sample, beside the plain-Python
baseline of :mod:`~lendcheck.bench.baseline`, and writes ``docs/benchmarks.md``.
"""
