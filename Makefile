# Two commands matter: `make book` builds the site, `make test` runs every test.
# Both create .venv from requirements.txt when it is missing or older than requirements.txt.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
BUNDLE := _static/vendor/vega-bundle.js

.PHONY: book test validate refresh pages assets bench data-diff clean

$(STAMP): requirements.txt pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements.txt
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --no-deps --no-build-isolation -e .
	touch $(STAMP)

$(BUNDLE): $(STAMP)
	$(BIN)/python -m mhwkb assets

assets: $(BUNDLE)

validate: $(STAMP)
	$(BIN)/python -m mhwkb validate

refresh: validate
	$(BIN)/python -m mhwkb refresh

book: refresh $(BUNDLE)
	$(BIN)/python -m mhwkb datapackage
	$(BIN)/python -m mhwkb pages
	$(BIN)/jupyter-book build . --warningiserror --nitpick --keep-going --quiet
	$(BIN)/python -m mhwkb publish _build/html

test: $(BUNDLE)
	@scripts/install_chromium.sh
	$(BIN)/python -m pytest

bench: $(BUNDLE)
	$(BIN)/python scripts/bench.py

data-diff: $(STAMP)
	$(BIN)/python -m mhwkb diff $(REF)

clean:
	rm -rf _build
