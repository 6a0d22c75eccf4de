"""The root click group and the error handling every command shares."""

from __future__ import annotations

import sys
import traceback
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any, NoReturn, TypeVar

import click

from lendcheck import __version__
from lendcheck.errors import EXIT_INTERNAL, LendcheckError

F = TypeVar("F", bound=Callable[..., Any])


class State:
    """Options of the root group, available to every command."""

    debug: bool = False


@click.group(
    context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100},
    epilog="""\b
Examples:
  lendcheck report samples/harbour-cafe -o out/
  lendcheck report SNAPSHOT_DIR --format json --quiet
  lendcheck samples list

Exit codes: 0 report written and policy passed; 1 policy failed; 2 usage or configuration
error; 3 input error (API or snapshot); 4 output error. See README.md.""",
)
@click.version_option(__version__, "--version", prog_name="lendcheck")
@click.option("--debug", is_flag=True, help="Show tracebacks of errors (never shows tokens).")
@click.pass_context
def main(ctx: click.Context, debug: bool) -> None:
    """Judge a small business's Xero books before a loan: PDF and JSON credit reports."""
    state = ctx.ensure_object(State)
    state.debug = debug


@contextmanager
def handle_errors(ctx: click.Context) -> Iterator[None]:
    """Turn :class:`LendcheckError` into a one-line message on stderr and its exit code.

    Any other exception is a bug in lendcheck: it exits with :data:`EXIT_INTERNAL` (70,
    ``EX_SOFTWARE``) and a one-line message. ``--debug`` prints the traceback before the
    message and never changes the exit code (a loan origination system reads 1 as "report
    written, policy failed").
    """
    state = ctx.find_object(State)
    debug = state is not None and state.debug
    try:
        yield
    except LendcheckError as exc:
        _fail(debug, f"lendcheck: error: {exc}", exc.exit_code)
    except (click.exceptions.Exit, click.ClickException, KeyboardInterrupt, SystemExit):
        raise
    except Exception as exc:
        _fail(
            debug,
            f"lendcheck: internal error ({type(exc).__name__}: {exc}); "
            "rerun with --debug and report it",
            EXIT_INTERNAL,
        )


def _fail(debug: bool, message: str, code: int) -> NoReturn:
    """Print the message (after the traceback with ``--debug``), every known secret and
    token-shaped value masked, and exit with ``code``."""
    from lendcheck.xero.redact import redact  # the standard library only

    if debug:
        click.echo(redact(traceback.format_exc().rstrip("\n")), err=True)
    click.echo(redact(message), err=True)
    sys.exit(code)
