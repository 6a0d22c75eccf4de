"""``report.html``: the report rendered with Jinja2 (also the source of the PDF).

The template gets the Report and, computed here from it, what a template cannot make without
code: the charts (images of the SVG documents of :mod:`lendcheck.render.charts`, inline as
``data:`` URLs, so that the page stays self-contained and each chart's element IDs stay its
own), the anchors of the bank
accounts (our own IDs, never text from the data, so no untrusted text reaches an ``href`` or
``id``) and the section each flag points to. Nothing here computes a metric.

The charts are drawn in this process. (They were once drawn in a forked child to overlap
matplotlib's and WeasyPrint's imports, 0.2-0.6 s of a full report; a ``kill -9`` of the
command left that child behind, so no process is started any more: issue 20, finding 5.)
"""

from __future__ import annotations

import base64
from collections.abc import Sized
from dataclasses import dataclass, field
from typing import Any, Literal

import jinja2
from markupsafe import Markup
from pydantic import BaseModel

from lendcheck.errors import OutputError
from lendcheck.policy.registry import metric_registry
from lendcheck.render import wording
from lendcheck.render.pdf import CHART_URL_PREFIX
from lendcheck.render.templates import environment, templates_dir

Paper = Literal["A4", "Letter"]

#: Rows of each drill-back list shown in the PDF; report.json holds every line, and the PDF says
#: how many it leaves out. The lists were a third of the PDF's layout work at 30 rows; at 15 a
#: committed sample's full report keeps under 3 s (docs/benchmarks.md).
DRILL_CAP = 15
#: Flags listed on the verdict page, by paper (page 1 must stay one page; US Letter is 18 mm
#: shorter than A4; page 1 also lists what missing evidence costs and the evidence findings
#: group row, and sundown-wholesale's Letter page 1 ran one line over at 6); all of them are in
#: section 1.
VERDICT_FLAGS = {"A4": 7, "Letter": 5}


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
    #: Trends page charts: ``flows-<currency index>`` and ``balance-<bank account id>``.
    trends: dict[str, Markup | None] = field(default_factory=dict)
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

    def value_label(self, key: str) -> str:
        """A figure's name in an integrity check's values, in words, with a bank account's ID
        replaced by its number: ``<id>.balance_sheet_bank`` -> ``account #1 balance sheet bank``
        (the IDs are in Appendix B)."""
        prefix, _, rest = key.partition(".")
        view = self.account(prefix) if rest else None
        words = (rest if view else key).replace("_", " ").replace(".", " ")
        return f"account #{view.number} {words}" if view else words

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
    "behaviour": "§6",
}


def section_of(path: str) -> str:
    """The anchor of the section showing the report value at ``path`` (a report.json path)."""
    prefixes = [
        ("bank", "bank"),
        ("financials.concentration", "customers"),
        ("financials.bank_to_books", "customers"),
        ("financials.integrity_checks", "integrity"),
        ("financials.loan", "loan"),
        ("behaviour", "behaviour"),
        ("financials", "financials"),
    ]
    for prefix, anchor in prefixes:
        if path == prefix or path.startswith(prefix + "."):
            return anchor
    return "flags"


def _markup(svg: str | None) -> Markup | None:
    """An ``<img>`` of a chart's SVG document (our own, from matplotlib; charts.py keeps data
    text out of it), None for no chart."""
    if svg is None:
        return None
    url = CHART_URL_PREFIX + base64.b64encode(svg.encode("utf-8")).decode("ascii")
    return Markup(f'<img class="chart" alt="" src="{url}">')


def _units(report: BaseModel) -> dict[str, dict[str, str]]:
    return metric_registry(type(report))


#: Chart heights in inches (full width, half width) by paper: US Letter is 18 mm shorter than
#: A4, and each bank account must keep to one page. (A4's are charts.FULL_HEIGHT and
#: HALF_HEIGHT, written out so that this module does not import matplotlib.)
CHART_HEIGHTS = {"A4": (1.8, 1.5), "Letter": (1.55, 1.35)}


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
    from lendcheck.render import trend_charts

    for number, series in enumerate(report.behaviour.monthly.by_currency, start=1):
        context.trends[f"flows-{series.key}"] = _markup(
            trend_charts.monthly_inflows_outflows(series, f"c{number}", height=full)
        )
    for number, balances in enumerate(report.behaviour.daily_balances, start=1):
        context.trends[f"balance-{balances.bank_account_id}"] = _markup(
            trend_charts.daily_balance(balances, f"b{number}", height=half)
        )
    return context


def _losses(report: Any) -> list[wording.Loss]:
    """What page 1 says the missing calls cost (:func:`lendcheck.render.wording.losses`)."""
    names = {a.bank_account_id: a.bank_account_name for a in report.bank.accounts}
    return wording.losses(report.inputs.missing, report.period.start.isoformat(), names)


def _not_checked(report: Any) -> dict[str, str | None]:
    """Why page 1's bank checks are not checked, in words (:func:`wording.not_checked`)."""
    return {
        check: wording.not_checked(report.bank, check)
        for check in ("cross_check", "ledger_vs_bank", "continuity")
    }


def render_html(report: BaseModel, paper: Paper = "A4") -> str:
    """Render the report as one self-contained HTML page (CSS inline, charts as images of
    their SVG in ``data:`` URLs).

    Args:
        report: the :class:`lendcheck.report.Report`.
        paper: page size for print (``A4`` or US ``Letter``).

    Raises:
        OutputError: a template is missing or fails to render.
    """
    try:
        context = build_context(report, paper)
        css = (templates_dir() / "report.css").read_text(encoding="utf-8")
        template = environment().get_template("report.html.j2")
        return template.render(
            report=report,
            css=css,
            paper=paper,
            view=context,
            drill_cap=DRILL_CAP,
            verdict_flags=VERDICT_FLAGS[paper],
            losses=_losses(report),
            not_checked=_not_checked(report),
        )
    except (jinja2.TemplateError, OSError) as exc:
        raise OutputError(f"rendering the HTML report failed: {exc}") from exc
