"""``lendcheck samples``: list and generate the simulated sample applicants."""

from __future__ import annotations

import time
from pathlib import Path
from typing import TYPE_CHECKING

import click

from lendcheck.cli.base import handle_errors
from lendcheck.errors import UsageError

if TYPE_CHECKING:
    from types import ModuleType


def _simulator() -> ModuleType:
    """:mod:`lendcheck.simulator`, which the runtime wheel leaves out (a development tool).

    Raises:
        UsageError: lendcheck was installed from a wheel, without the simulator (exit code 2).
    """
    try:
        import lendcheck.simulator as simulator
    except ModuleNotFoundError as exc:
        if exc.name != "lendcheck.simulator":
            raise
        raise UsageError(
            "lendcheck samples needs the sample simulator, a development tool that the "
            "installed package leaves out: use a source checkout (git clone, then make setup); "
            "the bundled samples are in its samples/ folder"
        ) from None
    return simulator


@click.group()
def samples() -> None:
    """Simulated sample applicants (snapshots with known risks)."""


@samples.command("list")
@click.pass_context
def list_samples(ctx: click.Context) -> None:
    """List the sample applicants: name, currency, months of statements, planted risk.

    The first is the default sample. Generate one with ``lendcheck samples generate NAME``.
    """
    with handle_errors(ctx):
        for name, profile in _simulator().SAMPLES.items():
            click.echo(
                f"{name:<18} {profile.currency}  {profile.months:>2} months  {profile.headline}"
            )


@samples.command("generate")
@click.argument("name", required=False)
@click.option(
    "--scale",
    type=click.Choice(["large"]),
    default=None,
    help="Generate the large benchmark sample (10 accounts, 36 months, ~1M lines).",
)
@click.option(
    "-o",
    "--output",
    "output",
    type=click.Path(path_type=Path),
    required=True,
    help="Directory to write the snapshot to (must not exist or be empty).",
)
@click.option("--overwrite", is_flag=True, help="Replace an existing snapshot directory.")
@click.pass_context
def generate(
    ctx: click.Context, name: str | None, scale: str | None, output: Path, overwrite: bool
) -> None:
    """Write sample NAME (or --scale large) as a lendcheck snapshot directory.

    \b
    Examples:
      lendcheck samples generate harbour-cafe -o samples/harbour-cafe --overwrite
      lendcheck samples generate --scale large -o /tmp/large
    """
    with handle_errors(ctx):
        simulator = _simulator()
        if (name is None) == (scale is None):
            raise UsageError(
                "give a sample NAME or --scale large (not both); see lendcheck samples list"
            )
        started = time.perf_counter()
        if scale == "large":
            path = simulator.generate_large(output, overwrite=overwrite)
        else:
            assert name is not None
            path = simulator.generate_sample(name, output, overwrite=overwrite)
        seconds = time.perf_counter() - started
        click.echo(f"wrote {path} in {seconds:.1f} s", err=True)
