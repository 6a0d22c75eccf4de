# lendcheck: a newcomer needs two commands, `make report` and `make test` (README.md).
# Every target sets up what it needs: the virtual environment, the package and the system
# libraries WeasyPrint loads (Pango, HarfBuzz, a font).

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
SAMPLE ?= harbour-cafe
OUT    ?= out
# Every dependency's exact version and sha256 (README, "Reproducible installs"); `make lock` rewrites it.
LOCK   := requirements.lock
UV_VERSION := 0.13.9
# `make lock` keeps every pin that still fits; `make lock LOCK_FLAGS=--upgrade` moves all to the newest.
LOCK_FLAGS ?=

# Debian packages WeasyPrint needs at run time (https://doc.courtbouillon.org/weasyprint/stable/first_steps.html)
SYSTEM_PACKAGES := libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz0b libharfbuzz-subset0 libfontconfig1 fonts-dejavu-core

.PHONY: help setup system-deps report test lint bench lock clean

help:
	@echo "make report   set up and render the sample applicant's report into $(OUT)/"
	@echo "make test     set up and run the whole test suite"
	@echo "make lint     ruff and mypy --strict"
	@echo "make bench    benchmarks (not part of make test)"
	@echo "make lock     re-resolve every dependency into $(LOCK) (after changing pyproject.toml)"
	@echo "make clean    remove the virtual environment and outputs"

setup: $(STAMP) system-deps

# The exact versions of $(LOCK), each file checked against its sha256 (pip refuses any other), then
# lendcheck itself with the locked build backend: the same lendcheck commit installs the same
# libraries, and so renders the same report bytes, on every machine.
$(STAMP): pyproject.toml $(LOCK)
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "lendcheck needs Python >= 3.11; set PYTHON=python3.11 or newer")'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --require-hashes --no-deps -r $(LOCK)
	$(BIN)/python -m pip install --quiet --no-deps --no-build-isolation -e .
	@touch $(STAMP)

# Re-resolves pyproject.toml's dependencies (with the dev extra, the build backend and the `editables`
# package hatchling needs for an editable install) to the newest
# versions that fit, for Python 3.11 and later on every platform, one version per package where
# possible, with the sha256 of every file. Review the diff of $(LOCK), then `make test`.
lock:
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet 'uv==$(UV_VERSION)'
	$(BIN)/python -c 'import tomllib; print("\n".join([*tomllib.load(open("pyproject.toml", "rb"))["build-system"]["requires"], "editables"]))' \
	  | $(BIN)/uv pip compile pyproject.toml - --extra dev --universal --fork-strategy fewest \
	      --python-version 3.11 --generate-hashes --no-header $(LOCK_FLAGS) -o $(LOCK)

# Installs the libraries only where they are missing: with apt-get when root, else prints the command.
system-deps:
	@missing=$$($(PYTHON) -c 'import ctypes.util; print(" ".join(n for n in ("pango-1.0", "pangoft2-1.0", "harfbuzz", "harfbuzz-subset", "fontconfig") if not ctypes.util.find_library(n)))'); \
	command -v fc-list >/dev/null 2>&1 && [ -n "$$(fc-list 2>/dev/null | head -n 1)" ] || missing="$$missing fonts"; \
	if [ -n "$$missing" ]; then \
	  echo "WeasyPrint needs system libraries that are missing: $$missing"; \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	    apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q $(SYSTEM_PACKAGES); \
	  else \
	    echo "Install them, then run make again:"; \
	    echo "  sudo apt-get install -y $(SYSTEM_PACKAGES)"; \
	    echo "(other systems: https://doc.courtbouillon.org/weasyprint/stable/first_steps.html)"; \
	    exit 1; \
	  fi; \
	fi

# --fail-on never: this target shows a report; an applicant the policy fails (exit 1 for a loan
# origination system) still renders without make calling it an error.
report: setup
	$(BIN)/lendcheck report samples/$(SAMPLE) -o $(OUT) --fail-on never

# -n auto: pytest-xdist runs the suite on every core (tests marked slow included). --dist
# loadfile gives each worker whole modules, so a module's shared fixtures (rendered PDFs, a
# Prism server, a batch run) are made once; --no-loadscope-reorder keeps the collection order,
# in which tests/conftest.py puts the modules holding slow tests first (the longest work starts
# first, not last). Not --dist loadgroup: with pytest 9.2 and pytest-xdist 3.8 it silently
# groups nothing (pytest-xdist issue 1386) and every module's fixtures ran on both workers.
test: setup
	$(BIN)/python -m pytest -n auto --dist loadfile --no-loadscope-reorder

lint: setup
	$(BIN)/ruff check lendcheck tests
	$(BIN)/ruff format --check lendcheck tests
	$(BIN)/mypy
	$(BIN)/lint-imports

bench: setup
	$(BIN)/python -m lendcheck.bench

clean:
	rm -rf $(VENV) $(OUT) .pytest_cache .mypy_cache .ruff_cache
