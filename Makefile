# lendcheck: a newcomer needs two commands, `make report` and `make test` (README.md).
# Every target sets up what it needs: the virtual environment, the package and the system
# libraries WeasyPrint loads (Pango, HarfBuzz, a font).

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
SAMPLE ?= harbour-cafe
OUT    ?= out

# Debian packages WeasyPrint needs at run time (https://doc.courtbouillon.org/weasyprint/stable/first_steps.html)
SYSTEM_PACKAGES := libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz0b libharfbuzz-subset0 libfontconfig1 fonts-dejavu-core

.PHONY: help setup system-deps report test lint bench clean

help:
	@echo "make report   set up and render the sample applicant's report into $(OUT)/"
	@echo "make test     set up and run the whole test suite"
	@echo "make lint     ruff and mypy --strict"
	@echo "make bench    benchmarks (not part of make test)"
	@echo "make clean    remove the virtual environment and outputs"

setup: $(STAMP) system-deps

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "lendcheck needs Python >= 3.11; set PYTHON=python3.11 or newer")'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	@touch $(STAMP)

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

# -n auto: pytest-xdist runs the suite on every core (tests marked slow included).
test: setup
	$(BIN)/python -m pytest -n auto

lint: setup
	$(BIN)/ruff check lendcheck tests
	$(BIN)/ruff format --check lendcheck tests
	$(BIN)/mypy
	$(BIN)/lint-imports

bench: setup
	$(BIN)/python -m lendcheck.bench

clean:
	rm -rf $(VENV) $(OUT) .pytest_cache .mypy_cache .ruff_cache
