"""Charts of the trends page (matplotlib, SVG documents), by the rules of
:mod:`lendcheck.render.charts`: no untrusted text, no metrics, deterministic, print-friendly.

- :func:`monthly_inflows_outflows`: receipts (up) and payments (down) per month of a currency;
- :func:`daily_balance`: an account's end-of-day balance with the overdrawn days shaded.
"""

from __future__ import annotations

from matplotlib.ticker import FuncFormatter, MaxNLocator

from lendcheck.metrics.daily_balances import AccountBalances
from lendcheck.metrics.trends import FlowSeries
from lendcheck.render.charts import (
    FULL_HEIGHT,
    FULL_WIDTH,
    _amount,
    _bars,
    _figure,
    _month_ticks,
    _style,
    _svg,
)


def monthly_inflows_outflows(
    series: FlowSeries, key: str, height: float = FULL_HEIGHT
) -> str | None:
    """Receipts above and payments below the axis, one pair of bars per month; part months
    (not complete) are drawn hatched.

    Returns:
        The SVG document, or None when the series has no month.
    """
    if not series.months:
        return None
    months = [m.month for m in series.months]
    with _style(f"trend-flows-{key}"):
        fig = _figure(FULL_WIDTH, height)
        ax = fig.add_axes((0.075, 0.12, 0.9, 0.74))
        for complete, hatch, suffix in ((True, "", ""), (False, "////", " (part month)")):
            x = [i for i, m in enumerate(series.months) if m.complete == complete]
            if not x:
                continue
            up = [float(series.months[i].inflows.amount) for i in x]
            down = [-float(series.months[i].outflows.amount) for i in x]
            _bars(
                ax,
                x,
                up,
                width=0.72,
                facecolor="#505050",
                hatch=hatch,
                edgecolor="#000000",
                linewidth=0.35,
                label="receipts" + suffix,
            )
            _bars(
                ax,
                x,
                down,
                width=0.72,
                facecolor="#d0d0d0",
                hatch=hatch,
                edgecolor="#000000",
                linewidth=0.35,
                label="payments" + suffix,
            )
        ax.axhline(0, color="#000000", linewidth=0.6)
        ax.yaxis.set_major_formatter(FuncFormatter(_amount))
        ax.yaxis.set_major_locator(MaxNLocator(6))
        ax.set_ylabel(series.currency)
        _month_ticks(ax, months, 13)
        ax.legend(
            loc="lower left", bbox_to_anchor=(0.0, 1.0), ncol=4, handlelength=1.6, borderaxespad=0.2
        )
        return _svg(fig)


def daily_balance(balances: AccountBalances, key: str, height: float = FULL_HEIGHT) -> str | None:
    """End-of-day balance as a step line; days below zero shaded (not for a credit account,
    whose balance is money owed).

    Returns:
        The SVG document, or None when no daily balance is given (the chain cannot be
        trusted).
    """
    if not balances.daily:
        return None
    values = [float(b.balance.amount) for b in balances.daily]
    x = list(range(len(values)))
    labels = [b.date.strftime("%Y-%m") for b in balances.daily]
    firsts = [i for i, b in enumerate(balances.daily) if b.date.day == 1 or i == 0]
    with _style(f"trend-balance-{key}"):
        fig = _figure(FULL_WIDTH, height)
        ax = fig.add_axes((0.075, 0.12, 0.9, 0.74))
        ax.step(x, values, where="post", color="#000000", linewidth=0.7, label="end-of-day balance")
        if not balances.credit_account and any(v < 0 for v in values):
            ax.fill_between(
                x,
                values,
                0,
                where=[v < 0 for v in values],
                step="post",
                facecolor="#b0b0b0",
                hatch="xxxx",
                edgecolor="#000000",
                linewidth=0.0,
                label="overdrawn",
            )
        ax.axhline(0, color="#000000", linewidth=0.5)
        ax.yaxis.set_major_formatter(FuncFormatter(_amount))
        ax.yaxis.set_major_locator(MaxNLocator(6))
        ax.set_ylabel(balances.currency)
        month_labels = [labels[i] for i in firsts]
        _month_ticks(ax, month_labels, 13)
        step = max(1, -(-len(month_labels) // 13))
        ax.set_xticks(
            [firsts[i] for i in range(0, len(firsts), step)],
            [t.get_text() for t in ax.get_xticklabels()],
        )
        ax.set_xlim(0, len(values))
        ax.legend(
            loc="lower left", bbox_to_anchor=(0.0, 1.0), ncol=2, handlelength=1.6, borderaxespad=0.2
        )
        return _svg(fig)
