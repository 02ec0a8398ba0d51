# The two commands of the README: `make run` and `make test`. Both set everything up first.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
HTMX := accord/web/static/vendor/htmx.min.js

export ACCORD_DATA_DIR ?= $(CURDIR)/var

.PHONY: run test setup lint typecheck messages clean

## run: set up, load the demo data (once) and serve Accord on http://127.0.0.1:$(PORT)
run: setup
	$(BIN)/accord demo
	@echo "Serving Accord on http://127.0.0.1:$(PORT) (Ctrl-C stops it)"
	PORT=$(PORT) $(BIN)/gunicorn -c deploy/gunicorn.conf.py

# The tests' temporary databases go to memory when it can hold them: synchronous=FULL makes
# every commit wait for the disk, which tests need not do.
TEST_TMPDIR ?= $(shell test -d /dev/shm -a -w /dev/shm && echo /dev/shm || echo /tmp)

## test: set up, then lint, check the layers and types, and run the whole test suite
test: setup lint typecheck
	TMPDIR=$(TEST_TMPDIR) $(BIN)/pytest

## setup: virtual environment with Python packages, npm packages, htmx in the static files
setup: $(VENV)/.installed $(HTMX)

$(VENV)/.installed: pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' || \
		{ echo "Accord needs Python 3.11 or newer; set PYTHON=python3.11 (or newer)"; exit 1; }
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[dev]'
	touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund
	touch $@

$(HTMX): node_modules/.installed
	mkdir -p $(@D)
	cp node_modules/htmx.org/dist/htmx.min.js $@

lint: setup
	$(BIN)/ruff check .
	$(BIN)/lint-imports

typecheck: setup
	$(BIN)/mypy

## messages: extract the translatable texts into accord/translations/messages.pot
messages: setup
	mkdir -p accord/translations
	$(BIN)/pybabel extract -F babel.cfg -k _l -k N_ -o accord/translations/messages.pot .

clean:
	rm -rf $(VENV) node_modules $(HTMX) .pytest_cache .mypy_cache .ruff_cache .import_linter_cache
