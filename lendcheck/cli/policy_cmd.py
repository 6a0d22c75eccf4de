"""``lendcheck policy``: show the effective policy, check a policy file."""

from __future__ import annotations

from pathlib import Path

import click

from lendcheck.cli.base import handle_errors
from lendcheck.report import load_report_policy


@click.group()
def policy() -> None:
    """Lender policies: the rules that turn metrics into flags, grades and exit codes."""


@policy.command(
    epilog="""\b
Examples:
  lendcheck policy show                       # the default policy, as TOML
  lendcheck policy show --policy mine.toml    # a file, after validating it
  lendcheck policy show > mine.toml           # start your own from the default
"""
)
@click.option(
    "--policy",
    "policy_file",
    type=click.Path(path_type=Path),
    default=None,
    help="A policy file; default: the policy shipped with lendcheck.",
)
@click.pass_context
def show(ctx: click.Context, policy_file: Path | None) -> None:
    """Print the effective policy (validated) as TOML."""
    with handle_errors(ctx):
        loaded = load_report_policy(None if policy_file is None else str(policy_file))
        click.echo(
            f"# {loaded.info.name} {loaded.info.version} "
            f"({loaded.info.source}, sha256 {loaded.info.sha256})"
        )
        click.echo(loaded.text, nl=not loaded.text.endswith("\n"))


@policy.command(
    epilog="""\b
Examples:
  lendcheck policy check mine.toml
Exit codes: 0 valid; 2 invalid (every problem listed with its line).
"""
)
@click.argument("policy_file", type=click.Path(path_type=Path))
@click.pass_context
def check(ctx: click.Context, policy_file: Path) -> None:
    """Validate POLICY_FILE: TOML syntax, fields, metric names, thresholds and messages."""
    with handle_errors(ctx):
        loaded = load_report_policy(str(policy_file))
        rules = loaded.policy.rules
        click.echo(
            f"{policy_file}: valid; {loaded.info.name} {loaded.info.version}, "
            f"{len(rules)} rules ({sum(r.category == 'data' for r in rules)} data, "
            f"{sum(r.category == 'credit' for r in rules)} credit)"
        )
