"""``report.html``: the report rendered with Jinja2 (also the source of the PDF).

The template gets the Report and, computed here from it, what a template cannot make without
code: the charts (inline SVG from :mod:`lendcheck.render.charts`), the anchors of the bank
accounts (our own IDs, never text from the data, so no untrusted text reaches an ``href`` or
``id``) and the section each flag points to. Nothing here computes a metric.

Speed: on Linux, for the first PDF of a process, the charts are drawn in a forked child
process (:func:`_context_in_child`) while this process imports WeasyPrint and compiles the
template, so that a report's two largest start-up costs (matplotlib's import and drawing,
WeasyPrint's import) overlap on two cores. The child runs the same code on a copy of the same
report, so the charts are the same bytes; anything unexpected (no fork, the child fails or
takes longer than :data:`CHILD_TIMEOUT`) and the charts are drawn here instead.
"""

from __future__ import annotations

import logging
import multiprocessing
import os
import sys
import threading
import warnings
from collections.abc import Callable, Sized
from dataclasses import dataclass, field
from multiprocessing.connection import Connection
from typing import Any, Literal

import jinja2
from markupsafe import Markup
from pydantic import BaseModel

from lendcheck.errors import OutputError
from lendcheck.gc_pause import gc_paused
from lendcheck.render.templates import environment, templates_dir

LOG = logging.getLogger(__name__)

Paper = Literal["A4", "Letter"]

#: Rows of each drill-back list shown in the PDF; report.json holds every line, and the PDF says
#: how many it leaves out. The lists were a third of the PDF's layout work at 30 rows; at 15 a
#: committed sample's full report keeps under 3 s (docs/benchmarks.md).
DRILL_CAP = 15
#: Flags listed on the verdict page, by paper (page 1 must stay one page; US Letter is 18 mm
#: shorter than A4); all of them are in section 1.
VERDICT_FLAGS = {"A4": 8, "Letter": 7}


@dataclass
class AccountView:
    """What the template needs about one bank account beyond the report's own fields."""

    number: int
    anchor: str
    flows: Markup | None = None
    mix: Markup | None = None
    ageing: Markup | None = None
    cadence: Markup | None = None


@dataclass
class Context:
    """Render-only helpers: charts, anchors, flag targets."""

    accounts: dict[str, AccountView] = field(default_factory=dict)
    concentration: dict[str, Markup | None] = field(default_factory=dict)
    units: dict[str, dict[str, str]] = field(default_factory=dict)

    def account(self, bank_account_id: str | None) -> AccountView | None:
        """The view of a bank account by its ID (None when unknown)."""
        return self.accounts.get(bank_account_id or "")

    def flag_anchor(self, flag: Any) -> str:
        """The section a flag points to: its bank account, or the section of its metric."""
        scope = flag.scope
        if scope.path == "bank.accounts" and (view := self.account(scope.key)) is not None:
            return view.anchor
        path = flag.metric if scope.path == "overall" else f"{scope.path}.{flag.metric}"
        return section_of(path)

    def section_label(self, anchor: str) -> str:
        """A section's short name for a reference: ``§2`` (financial statements)..."""
        return SECTION_LABELS.get(anchor, "§1")

    def left_out(self, rows: Sized) -> int:
        """How many of a drill-back list's rows the PDF leaves out (report.json has them)."""
        return max(0, len(rows) - DRILL_CAP)

    def unit(self, flag: Any, name: str) -> str:
        """The unit of a metric (or evidence) name in the flag's scope, "" when unknown."""
        return self.units.get(flag.scope.path, {}).get(name, "")


#: Short references to the report's sections by anchor (the numbers of the headings).
SECTION_LABELS = {
    "flags": "§1",
    "financials": "§2",
    "balance-sheet": "§2",
    "loan": "§2",
    "bank": "§3",
    "customers": "§4",
    "integrity": "§5",
}


def section_of(path: str) -> str:
    """The anchor of the section showing the report value at ``path`` (a report.json path)."""
    prefixes = [
        ("bank", "bank"),
        ("financials.concentration", "customers"),
        ("financials.bank_to_books", "customers"),
        ("financials.integrity_checks", "integrity"),
        ("financials.loan", "loan"),
        ("financials", "financials"),
    ]
    for prefix, anchor in prefixes:
        if path == prefix or path.startswith(prefix + "."):
            return anchor
    return "flags"


def _markup(svg: str | None) -> Markup | None:
    # Chart SVG is our own markup from matplotlib; charts.py keeps data text out of it.
    return Markup(svg) if svg is not None else None


def _units(report: BaseModel) -> dict[str, dict[str, str]]:
    try:
        from lendcheck.policy.registry import metric_registry
    except ImportError:  # pragma: no cover - policy engine not installed
        return {}
    return metric_registry(type(report))


#: Chart heights in inches (full width, half width) by paper: US Letter is 18 mm shorter than
#: A4, and each bank account must keep to one page. (A4's are charts.FULL_HEIGHT and
#: HALF_HEIGHT, written out so that this module does not import matplotlib.)
CHART_HEIGHTS = {"A4": (1.8, 1.5), "Letter": (1.55, 1.35)}

#: Draw the charts in a forked child while the template and WeasyPrint are made ready.
PARALLEL_CHARTS = sys.platform == "linux" and hasattr(os, "fork")
#: Seconds to wait for the child before drawing the charts here instead (it takes well under
#: one second for a committed sample and a few for the large one).
CHILD_TIMEOUT = 60.0


def build_context(report: Any, paper: Paper = "A4") -> Context:
    """Charts, anchors and units of a report, for the template."""
    from lendcheck.render import charts  # matplotlib: imported by whoever draws

    context = Context(units=_units(report))
    full, half = CHART_HEIGHTS[paper]
    for number, account in enumerate(report.bank.accounts, start=1):
        key = f"a{number}"
        context.accounts[account.bank_account_id] = AccountView(
            number=number,
            anchor=f"account-{number}",
            flows=_markup(
                charts.monthly_flows(
                    account.import_source_mix, account.reconciliation, key, height=full
                )
            ),
            mix=_markup(charts.source_mix(account.import_source_mix, key, height=half)),
            ageing=_markup(charts.ageing(account.reconciliation, key, height=half)),
            cadence=_markup(charts.cadence(account.cadence, key, height=half)),
        )
    fin = report.financials
    for name, figures in (
        ("customers", fin.concentration.customers),
        ("receipts", fin.bank_to_books.customers_from_receipts),
        ("suppliers", fin.concentration.suppliers),
    ):
        context.concentration[name] = _markup(charts.concentration(figures, name))
    return context


def _fork_for_charts(then_pdf: bool) -> bool:
    """Whether a child drawing the charts saves time: only while this process has WeasyPrint
    still to import (the first report of a process that renders a PDF), and only from a
    process with no other Python thread (a host application's thread could hold a lock the
    child then waits for: forking is left to single-threaded callers such as the CLI)."""
    return (
        PARALLEL_CHARTS
        and then_pdf
        and "weasyprint" not in sys.modules
        and threading.active_count() == 1
    )


def _draw_in_child(report: Any, paper: Paper, sender: Connection) -> None:
    """The child's work: the context sent to the parent; nothing sent on a failure (the
    parent then draws the charts itself), and no traceback printed."""
    try:
        sender.send(build_context(report, paper))
    except Exception:
        LOG.debug("drawing the charts in a child process failed", exc_info=True)
    finally:
        sender.close()


def _context_in_child(report: Any, paper: Paper, then_pdf: bool) -> Callable[[], Context]:
    """Start :func:`build_context` in a forked child (multiprocessing) when that saves time;
    return the function that waits for its result, or, if the child fails or takes longer
    than :data:`CHILD_TIMEOUT`, kills it and builds the context in this process."""

    def here() -> Context:
        return build_context(report, paper)

    if not _fork_for_charts(then_pdf):
        return here
    receiver, sender = multiprocessing.Pipe(duplex=False)
    child = multiprocessing.get_context("fork").Process(
        target=_draw_in_child, args=(report, paper, sender), daemon=True
    )
    try:
        with warnings.catch_warnings():
            # Python 3.12+ warns about forking a process with threads (the data frame
            # library's idle workers): the child only draws with matplotlib and exits, and a
            # child that hangs anyway is killed after CHILD_TIMEOUT.
            warnings.simplefilter("ignore", DeprecationWarning)
            child.start()
    except OSError:
        receiver.close()
        return here
    finally:
        sender.close()  # the child holds its own copy

    def wait() -> Context:
        result: Any = None
        try:
            if receiver.poll(CHILD_TIMEOUT):
                result = receiver.recv()  # our own child's output
        except (EOFError, OSError):  # the child ended without sending
            pass
        finally:
            receiver.close()
            child.join(timeout=5)
            if child.is_alive():
                child.kill()
                child.join()
        if isinstance(result, Context):
            return result
        LOG.debug("no charts from the child process; drawing them here")
        return here()

    return wait


def render_html(report: BaseModel, paper: Paper = "A4", *, then_pdf: bool = False) -> str:
    """Render the report as one self-contained HTML page (CSS inline, charts inline SVG).

    Args:
        report: the :class:`lendcheck.report.Report`.
        paper: page size for print (``A4`` or US ``Letter``).
        then_pdf: the caller renders the PDF next: WeasyPrint is imported while the charts
            are drawn (see the module's docstring).

    Raises:
        OutputError: a template is missing or fails to render.
    """
    try:
        with gc_paused():
            context = _context_in_child(report, paper, then_pdf)
            if then_pdf:
                from lendcheck.render.pdf import prepare

                prepare()
            css = (templates_dir() / "report.css").read_text(encoding="utf-8")
            template = environment().get_template("report.html.j2")
            return template.render(
                report=report,
                css=css,
                paper=paper,
                view=context(),
                drill_cap=DRILL_CAP,
                verdict_flags=VERDICT_FLAGS[paper],
            )
    except (jinja2.TemplateError, OSError) as exc:
        raise OutputError(f"rendering the HTML report failed: {exc}") from exc
