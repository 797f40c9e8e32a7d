# Two commands matter: `make book` builds the site, `make test` runs every test.
# Both create .venv from requirements.txt when it is missing or older than requirements.txt.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
BUNDLE := _assets/_static/vendor/vega-bundle.js

.PHONY: book test lint validate refresh pages assets bench data-diff import clean

$(STAMP): requirements.txt pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements.txt
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --no-deps --no-build-isolation -e .
	touch $(STAMP)

$(BUNDLE): $(STAMP)
	$(BIN)/python -m mhwkb assets
	touch $@

assets: $(BUNDLE)

validate: $(STAMP)
	$(BIN)/python -m mhwkb validate

refresh: validate
	$(BIN)/python -m mhwkb refresh

# The site is rebuilt only when one of its inputs changed; `mhwkb build` then validates, re-runs
# exactly the stale chapters, regenerates changed pages and builds strictly (see README).
SITE := _build/html/.built
SOURCES := $(wildcard data/* chapters/*.ipynb chapters/*.md mhwkb/*.py mhwkb/templates/* _static/*.css _static/*.js _static/*.svg) _config.yml _toc.yml

book: $(SITE)

$(SITE): $(STAMP) $(BUNDLE) $(SOURCES)
	$(BIN)/python -m mhwkb build
	touch $(SITE)

lint: $(STAMP)
	$(BIN)/ruff format --check .
	$(BIN)/ruff check .

test: $(BUNDLE) lint
	@scripts/install_chromium.sh
	$(BIN)/python -m pytest -v

bench: $(BUNDLE)
	$(BIN)/python scripts/bench.py

data-diff: $(STAMP)
	$(BIN)/python -m mhwkb diff $(REF)

# Official release files into data/ (see CONTRIBUTING.md): a file, a folder or a URL.
import: $(STAMP)
	$(if $(SRC),,$(error give the release: make import SRC=file-folder-or-URL))
	$(BIN)/python -m mhwkb import $(SRC)

clean:
	rm -rf _build
