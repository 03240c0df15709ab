# LianXin POS (连心收银) — the two commands a new person needs: `make run` and `make test`.
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed
TSTAMP := $(VENV)/.installed-test

.PHONY: run run-headoffice test lint bench crash-test screenshot clean-venv translations

$(PY):
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip

$(STAMP): $(PY) setup.cfg pyproject.toml
	$(PY) -m pip install -q -e .
	touch $@

$(TSTAMP): $(STAMP)
	$(PY) -m pip install -q -e '.[test]'
	touch $@

## Open the till on the default database (the demo store is seeded on first run).
run: $(STAMP)
	$(PY) main.py

## Head office with demo data (first time: office accounts + a month of the two demo counters), on 127.0.0.1:8080.
run-headoffice: $(STAMP)
	$(PY) main.py headoffice demo --only-if-new
	$(PY) main.py headoffice serve

## Run the whole test suite offscreen, one worker per CPU core (pytest-xdist).
test: $(TSTAMP)
	QT_QPA_PLATFORM=offscreen $(PY) -m pytest -q -p no:cacheprovider -n auto

## Benchmarks at real scale (200,000 products); figures go to bench/results/latest.json and the README.
bench: $(TSTAMP)
	QT_QPA_PLATFORM=offscreen $(PY) -m bench.run_all

## SIGKILL a selling till 5,000 times and check the ledger after every kill (`make test` runs 200).
crash-test: $(TSTAMP)
	CRASH_KILLS=5000 QT_QPA_PLATFORM=offscreen $(PY) -m pytest -q -p no:cacheprovider -s tests/crash

lint: $(TSTAMP)
	$(VENV)/bin/ruff check pos ui printers headoffice tests bench main.py

## Compile the English translation (.ts -> .qm; the UI's own strings are Chinese); the .qm is committed.
translations: $(STAMP)
	$(VENV)/bin/pyside6-lrelease resources/i18n/lianxin_en.ts -qm resources/i18n/lianxin_en.qm

clean-venv:
	rm -rf $(VENV)
