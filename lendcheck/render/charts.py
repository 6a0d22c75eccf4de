"""Charts of the report as SVG documents (matplotlib), one pure function per chart.

Each function takes a section of the :class:`lendcheck.report.Report` and returns one
standalone SVG document, exactly as matplotlib writes it; the HTML shows it as an image
(:mod:`lendcheck.render.html`). The charts are:

- :func:`monthly_flows`: receipts and payments per month, stacked by import source, with the
  reconciled share by amount on a second axis;
- :func:`source_mix`: the share of statement lines per month by import source;
- :func:`ageing`: unreconciled receipts and payments per ageing bucket;
- :func:`cadence`: unreconciled lines at each month end (Xero's historical estimates);
- :func:`concentration`: the largest customers' (suppliers') shares.

Rules the functions keep:

- **No untrusted text.** Labels are our own words, months, bucket names and ranks; contact
  names stay in the HTML table beside the chart, where autoescape handles them.
- **No metrics.** Values are drawn as the report holds them; the only arithmetic is geometry
  (stacking offsets, axis limits).
- **Deterministic.** Fixed font (DejaVu Sans), text kept as text (``svg.fonttype = none``),
  no metadata (it would hold the date), ``svg.hashsalt`` from the chart's own key so that
  element IDs are stable. Same report, same bytes.
- **Print-friendly.** Series differ by hatching and line style as well as by grey level, so
  they survive black-and-white printing.
"""

from __future__ import annotations

import io
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any

import matplotlib
from matplotlib.figure import Figure
from matplotlib.patches import PathPatch
from matplotlib.path import Path
from matplotlib.ticker import FuncFormatter, MaxNLocator, PercentFormatter

from lendcheck.metrics.cadence import Cadence
from lendcheck.metrics.concentration import ConcentrationFigures
from lendcheck.metrics.data_source import ImportSourceMix
from lendcheck.metrics.reconciliation import Reconciliation

#: Chart width for a full-width chart, in inches (fits A4 and Letter text width).
FULL_WIDTH = 7.0
#: Chart width for a half-width chart, in inches.
HALF_WIDTH = 3.4
#: Default heights, in inches: a full-width chart and a half-width one (callers fitting a
#: shorter page pass smaller ones).
FULL_HEIGHT = 1.8
HALF_HEIGHT = 1.5

#: How each import-source kind is drawn: label, fill grey, hatch. Direct feed, the most
#: trustworthy, is the darkest and plain; hand-typed lines stand out with a dense hatch.
SOURCE_STYLE: dict[str, tuple[str, str, str]] = {
    "direct_feed": ("direct feed", "#303030", ""),
    "indirect_feed": ("indirect feed", "#8c8c8c", "//"),
    "file_upload": ("file upload", "#d0d0d0", "xx"),
    "manual": ("typed by hand", "#ffffff", "\\\\\\"),
    "other": ("other", "#ededed", "--"),
}

_RC: dict[str, Any] = {
    "svg.fonttype": "none",
    "svg.hashsalt": "lendcheck",
    "font.family": "DejaVu Sans",
    "font.size": 7.0,
    "axes.linewidth": 0.6,
    "axes.edgecolor": "#222222",
    "axes.labelcolor": "#222222",
    "axes.spines.top": False,
    "axes.spines.right": False,
    "xtick.color": "#222222",
    "ytick.color": "#222222",
    "xtick.major.width": 0.5,
    "ytick.major.width": 0.5,
    "hatch.linewidth": 0.5,
    "hatch.color": "#000000",
    "legend.frameon": False,
    "legend.fontsize": 6.5,
    "text.parse_math": False,
    "path.simplify": True,
}


@contextmanager
def _style(key: str) -> Iterator[None]:
    params: dict[Any, Any] = {**_RC, "svg.hashsalt": f"lendcheck-{key}"}
    with matplotlib.rc_context(params):
        yield


#: No metadata block: its default holds the date of the run (and "Creator", "Format", "Type"
#: say nothing a reader needs), so a report would not give the same bytes twice.
_NO_METADATA: dict[str, Any] = {"Date": None, "Creator": None, "Format": None, "Type": None}


def _svg(fig: Figure) -> str:
    """The figure as matplotlib writes it: a standalone SVG document (no background patches:
    the page is white already, and every element costs the PDF renderer work)."""
    fig.patch.set_visible(False)
    for ax in fig.axes:
        ax.patch.set_visible(False)
    buffer = io.StringIO()
    fig.savefig(buffer, format="svg", metadata=_NO_METADATA, bbox_inches=None)
    return buffer.getvalue()


def _figure(width: float, height: float) -> Figure:
    fig = Figure(figsize=(width, height))
    return fig


def _bars(
    ax: Any,
    positions: Sequence[float],
    lengths: Sequence[float],
    bases: Sequence[float] | None = None,
    width: float = 0.7,
    horizontal: bool = False,
    **style: Any,
) -> None:
    """Draw one series of bars as a single compound path: one SVG element per series rather
    than one per bar keeps the document small and quick to lay out."""
    bases = bases or [0.0] * len(positions)
    vertices: list[tuple[float, float]] = []
    codes: list[Any] = []
    for at, length, base in zip(positions, lengths, bases, strict=True):
        if not length:
            continue
        a, b = at - width / 2, at + width / 2
        corners = [(a, base), (b, base), (b, base + length), (a, base + length), (a, base)]
        if horizontal:
            corners = [(y, x) for x, y in corners]
        vertices.extend(corners)
        codes.extend([Path.MOVETO, Path.LINETO, Path.LINETO, Path.LINETO, Path.CLOSEPOLY])
    if not vertices:
        return
    path = Path(vertices, codes)
    ax.add_patch(PathPatch(path, **style))
    ax.update_datalim(vertices)
    ax.autoscale_view()


def _amount(value: float, _pos: int | None = None) -> str:
    """An axis tick in thousands (``k``) or millions (``m``) with as many decimals as it needs,
    up to two: -2,500 is ``-2.5k`` (never rounded to ``-2k``), 10,000 ``10k``, 1,250,000
    ``1.25m``."""
    magnitude = abs(value)
    scaled, unit = (
        (value / 1_000_000, "m")
        if magnitude >= 1_000_000
        else (value / 1_000, "k")
        if magnitude >= 1_000
        else (value, "")
    )
    text = f"{scaled:,.2f}".rstrip("0").rstrip(".")
    return ("0" if text in ("-0", "") else text) + unit


_MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]


def _month_ticks(ax: Any, months: Sequence[str], most: int) -> None:
    """Label at most ``most`` of the months (``2026-01`` → ``Jan 26``), evenly spaced, with no
    tick marks: fewer elements, and labels that stay horizontal and readable."""
    step = max(1, -(-len(months) // most))
    positions = list(range(0, len(months), step))
    labels = []
    for index in positions:
        year, month = months[index].split("-")[:2]
        labels.append(f"{_MONTHS[int(month) - 1]} {year[2:]}")
    ax.set_xticks(positions, labels)
    ax.tick_params(axis="x", length=0)
    ax.set_xlim(-0.6, len(months) - 0.4)


def monthly_flows(
    mix: ImportSourceMix, reconciliation: Reconciliation, key: str, height: float = FULL_HEIGHT
) -> str | None:
    """Receipts (up) and payments (down) per month, stacked by import source, with the
    reconciled share by amount of the month's lines (line, right axis).

    Args:
        mix: the account's import-source mix; ``mix.monthly`` gives the amounts per kind.
        reconciliation: the account's reconciliation; ``monthly`` gives the reconciled share.
        key: a stable key unique to this chart in the document (e.g. the bank account ID).

    Returns:
        The SVG document, or None when there are no months with lines.
    """
    if not mix.monthly:
        return None
    months = [m.month for m in mix.monthly]
    x = list(range(len(months)))
    share_by_month = {m.month: m.reconciled_share_by_amount for m in reconciliation.monthly}
    with _style(f"flows-{key}"):
        fig = _figure(FULL_WIDTH, height)
        ax = fig.add_axes((0.075, 0.12, 0.85, 0.74))
        up = [0.0] * len(x)
        down = [0.0] * len(x)
        for kind, (label, colour, hatch) in SOURCE_STYLE.items():
            pos = [float(_kind(m.sources, kind).amount_pos.amount) for m in mix.monthly]
            neg = [float(_kind(m.sources, kind).amount_neg.amount) for m in mix.monthly]
            if not any(pos) and not any(neg):
                continue
            _bars(
                ax,
                x,
                pos,
                up,
                width=0.72,
                facecolor=colour,
                hatch=hatch,
                edgecolor="#000000",
                linewidth=0.35,
                label=label,
            )
            _bars(
                ax,
                x,
                neg,
                down,
                width=0.72,
                facecolor=colour,
                hatch=hatch,
                edgecolor="#000000",
                linewidth=0.35,
            )
            up = [a + b for a, b in zip(up, pos, strict=True)]
            down = [a + b for a, b in zip(down, neg, strict=True)]
        ax.axhline(0, color="#000000", linewidth=0.6)
        ax.yaxis.set_major_formatter(FuncFormatter(_amount))
        ax.yaxis.set_major_locator(MaxNLocator(6))
        ax.set_ylabel(_currency(reconciliation))
        _month_ticks(ax, months, 13)
        share_ax = ax.twinx()
        share_ax.spines["right"].set_visible(True)
        shares = [share_by_month.get(m) for m in months]
        share_ax.plot(
            x,
            [float("nan") if s is None else s for s in shares],
            color="#000000",
            linestyle="--",
            linewidth=1.0,
            marker="o",
            markersize=2.4,
            markerfacecolor="#ffffff",
            label="reconciled share",
        )
        share_ax.set_ylim(0, 1.05)
        share_ax.yaxis.set_major_formatter(PercentFormatter(1.0, decimals=0))
        handles, labels = ax.get_legend_handles_labels()
        line_handles, line_labels = share_ax.get_legend_handles_labels()
        ax.legend(
            handles + line_handles,
            labels + line_labels,
            loc="lower left",
            bbox_to_anchor=(0.0, 1.0),
            ncol=6,
            handlelength=1.6,
            columnspacing=1.2,
            borderaxespad=0.2,
        )
        return _svg(fig)


def source_mix(mix: ImportSourceMix, key: str, height: float = HALF_HEIGHT) -> str | None:
    """Share of the month's statement lines by import source (100 % stacked bars).

    Returns:
        The SVG document, or None when there are no months with lines or all lines came
        from one import source (a chart of one full bar per month says nothing).
    """
    if not mix.monthly or len([s for s in mix.sources if s.lines]) < 2:
        return None  # one source is 100% every month: the table says it in one line
    months = [m.month for m in mix.monthly]
    x = list(range(len(months)))
    with _style(f"mix-{key}"):
        fig = _figure(HALF_WIDTH, height)
        ax = fig.add_axes((0.13, 0.12, 0.84, 0.74))
        bottom = [0.0] * len(x)
        for kind, (label, colour, hatch) in SOURCE_STYLE.items():
            values = [_kind(m.sources, kind).share_by_count or 0.0 for m in mix.monthly]
            if not any(values):
                continue
            _bars(
                ax,
                x,
                values,
                bottom,
                width=0.8,
                facecolor=colour,
                hatch=hatch,
                edgecolor="#000000",
                linewidth=0.3,
                label=label,
            )
            bottom = [a + b for a, b in zip(bottom, values, strict=True)]
        ax.set_ylim(0, 1)
        ax.yaxis.set_major_formatter(PercentFormatter(1.0, decimals=0))
        _month_ticks(ax, months, 6)
        ax.legend(
            loc="lower left",
            bbox_to_anchor=(-0.02, 1.0),
            ncol=5,
            handlelength=1.2,
            columnspacing=0.6,
            handletextpad=0.3,
            fontsize=5.5,
            borderaxespad=0.1,
        )
        return _svg(fig)


def ageing(reconciliation: Reconciliation, key: str, height: float = HALF_HEIGHT) -> str | None:
    """Unreconciled receipts (up) and payments (down) per ageing bucket, with the number of
    lines of each bucket written above it.

    Returns:
        The SVG document, or None when no line is unreconciled.
    """
    buckets = reconciliation.ageing
    if not buckets or not any(b.lines for b in buckets):
        return None
    x = list(range(len(buckets)))
    with _style(f"ageing-{key}"):
        fig = _figure(HALF_WIDTH, height)
        ax = fig.add_axes((0.16, 0.12, 0.81, 0.74))
        pos = [float(b.amount_pos.amount) for b in buckets]
        neg = [float(b.amount_neg.amount) for b in buckets]
        _bars(
            ax,
            x,
            pos,
            width=0.6,
            facecolor="#505050",
            edgecolor="#000000",
            linewidth=0.4,
            label="receipts",
        )
        _bars(
            ax,
            x,
            neg,
            width=0.6,
            facecolor="#ffffff",
            hatch="////",
            edgecolor="#000000",
            linewidth=0.4,
            label="payments",
        )
        ax.axhline(0, color="#000000", linewidth=0.6)
        ax.yaxis.set_major_formatter(FuncFormatter(_amount))
        ax.yaxis.set_major_locator(MaxNLocator(5))
        ax.set_xticks(x, [f"{b.bucket} d" for b in buckets])
        ax.tick_params(axis="x", length=0)
        ax.set_xlim(-0.5, len(x) - 0.5)
        top = max([*pos, 0.0])
        bottom_ = min([*neg, 0.0])
        span = (top - bottom_) or 1.0
        ax.set_ylim(bottom_ - span * 0.05, top + span * 0.18)
        for index, bucket in enumerate(buckets):
            ax.annotate(f"{bucket.lines:,}", (index, top + span * 0.06), ha="center", fontsize=6)
        ax.set_ylabel(_currency(reconciliation))
        ax.legend(
            loc="lower left",
            bbox_to_anchor=(-0.02, 1.0),
            ncol=2,
            handlelength=1.4,
            fontsize=5.5,
            borderaxespad=0.1,
        )
        return _svg(fig)


def cadence(series: Cadence, key: str, height: float = HALF_HEIGHT) -> str | None:
    """Unreconciled lines at each month end (Xero CashValidation as at that date: estimates).

    Returns:
        The SVG document, or None when no month end has figures.
    """
    points = [p for p in series.points if p.unreconciled_lines is not None]
    if not points:
        return None
    with _style(f"cadence-{key}"):
        fig = _figure(HALF_WIDTH, height)
        ax = fig.add_axes((0.15, 0.12, 0.82, 0.84))
        x = list(range(len(series.points)))
        values = [
            float("nan") if p.unreconciled_lines is None else p.unreconciled_lines
            for p in series.points
        ]
        ax.plot(
            x,
            values,
            color="#000000",
            linewidth=1.0,
            marker="s",
            markersize=2.6,
            markerfacecolor="#ffffff",
        )
        ax.set_ylim(bottom=0)
        ax.yaxis.set_major_locator(MaxNLocator(5, integer=True))
        _month_ticks(ax, [p.month_end.isoformat() for p in series.points], 6)
        ax.set_ylabel("unreconciled lines")
        return _svg(fig)


def concentration(figures: ConcentrationFigures, key: str) -> str | None:
    """The largest contacts' shares as horizontal bars labelled by rank (names, shares, the
    top-five share and the HHI are in the table beside the chart).

    Returns:
        The SVG document, or None when no contact has a share.
    """
    contacts = [c for c in figures.top_contacts if c.share is not None]
    if not contacts:
        return None
    with _style(f"concentration-{key}"):
        fig = _figure(HALF_WIDTH, 1.3)
        ax = fig.add_axes((0.1, 0.16, 0.86, 0.8))
        y = list(range(len(contacts)))
        values = [c.share or 0.0 for c in contacts]
        _bars(
            ax,
            y[:1],
            values[:1],
            width=0.62,
            horizontal=True,
            facecolor="#303030",
            edgecolor="#000000",
            linewidth=0.4,
        )
        _bars(
            ax,
            y[1:],
            values[1:],
            width=0.62,
            horizontal=True,
            facecolor="#b0b0b0",
            hatch="///",
            edgecolor="#000000",
            linewidth=0.4,
        )
        ax.set_yticks(y, [f"#{i + 1}" for i in y])
        ax.set_ylim(len(y) - 0.5, -0.5)  # largest on top
        ax.set_xlim(0, 1)
        ax.xaxis.set_major_formatter(PercentFormatter(1.0, decimals=0))
        ax.tick_params(axis="y", length=0)
        return _svg(fig)


def _kind(sources: Sequence[Any], kind: str) -> Any:
    return next(s for s in sources if s.kind == kind)


def _currency(reconciliation: Reconciliation) -> str:
    return reconciliation.total_amount.currency or "amount"
