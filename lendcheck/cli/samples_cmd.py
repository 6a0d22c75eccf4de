"""``lendcheck samples``: list and generate the simulated sample applicants."""

from __future__ import annotations

import click


@click.group()
def samples() -> None:
    """Simulated sample applicants (snapshots with known risks)."""
