"""``python -m lendcheck`` runs the CLI."""

from lendcheck.cli import main

main()
