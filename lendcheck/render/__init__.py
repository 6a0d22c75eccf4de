"""Outputs of a :class:`lendcheck.report.Report`: JSON (its dump), HTML (Jinja2) and PDF
(WeasyPrint from the HTML). Templates do no arithmetic; they format values with the tested
filters of :mod:`lendcheck.render.filters`."""
