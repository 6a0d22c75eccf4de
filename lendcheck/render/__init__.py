"""Outputs of a :class:`lendcheck.report.Report`: JSON (its dump), HTML (Jinja2) and PDF
(WeasyPrint from the HTML). Templates do no arithmetic; they format values with the tested
filters of :mod:`lendcheck.render.filters`.

Charts, HTML and PDF are made with the cyclic garbage collector paused
(:func:`lendcheck.gc_pause.gc_paused`): importing matplotlib and WeasyPrint, drawing the charts
and laying out the PDF create millions of short-lived objects, and each time they piled up the
collector rescanned every live object, the report and the loaded modules included (about a
fifth of a report's rendering)."""
