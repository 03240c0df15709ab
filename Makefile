# LianXin POS (连心收银) — the two commands a new person needs: `make run` and `make test`.
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed
TSTAMP := $(VENV)/.installed-test

.PHONY: run deps run-headoffice test lint bench crash-test screenshot screenshots clean-venv translations

$(PY):
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip

$(STAMP): $(PY) setup.cfg pyproject.toml
	$(PY) -m pip install -q -e .
	touch $@

$(TSTAMP): $(STAMP)
	$(PY) -m pip install -q -e '.[test]'
	touch $@

## Open the till on the default database (the demo store is seeded on first run; a plain
## `python main.py` with no database opens the set-up wizard instead);
## `make run STORE=PM` opens the demo's 平茂连心馆 counter (terminal PM01) on a database of its own.
run: deps $(STAMP)
	$(PY) main.py gui --demo $(if $(STORE),--store $(STORE))

# The Debian packages Qt's window (the xcb platform plugin: `ldd` on PySide6/Qt/plugins/platforms/libqxcb.so)
# needs; the same names on Ubuntu, 统信UOS and 麒麟. README "Two commands" lists them too.
WINDOW_DEBS := libegl1 libgl1 libfontconfig1 libfreetype6 libdbus-1-3 libx11-6 libx11-xcb1 libxkbcommon0 \
	libxkbcommon-x11-0 libxcb1 libxcb-cursor0 libxcb-glx0 libxcb-icccm4 libxcb-image0 libxcb-keysyms1 \
	libxcb-randr0 libxcb-render0 libxcb-render-util0 libxcb-shape0 libxcb-shm0 libxcb-sync1 libxcb-util1 \
	libxcb-xfixes0 libxcb-xkb1

## Install the window's Debian packages that are missing (as root), or print the apt-get command for them.
deps:
	@command -v dpkg-query >/dev/null 2>&1 || exit 0; \
	need=""; for p in $(WINDOW_DEBS); do \
	    dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q 'install ok installed' || need="$$need $$p"; \
	done; \
	[ -z "$$need" ] && exit 0; \
	if [ "$$(id -u)" = 0 ]; then \
	    echo "Installing the packages the till's window needs:$$need"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive DEBCONF_NOWARNINGS=yes apt-get install -y -qq$$need >/dev/null; \
	else \
	    echo "The till's window needs these Debian packages; install them, then run make again:"; \
	    echo "    sudo apt-get install$$need"; exit 1; \
	fi

## Head office with demo data (first time: office accounts + a month of the two demo counters), on 127.0.0.1:8080.
run-headoffice: $(STAMP)
	$(PY) main.py headoffice demo --only-if-new
	$(PY) main.py headoffice serve

## Run the whole test suite offscreen, one worker per CPU core (pytest-xdist).
test: $(TSTAMP)
	QT_QPA_PLATFORM=offscreen $(PY) -m pytest -q -p no:cacheprovider -n auto

## Benchmarks at real scale; figures go to bench/results/latest.json (this run), history.jsonl (every
## run) and the README, each beside its floor from the same run. BENCH_CATALOG sets the catalogue size,
## ONLY a subset, e.g. `make bench BENCH_CATALOG=1000000 ONLY="bench_ledger bench_closing"`.
BENCH_CATALOG ?= 200000
bench: $(TSTAMP)
	BENCH_CATALOG=$(BENCH_CATALOG) QT_QPA_PLATFORM=offscreen $(PY) -m bench.run_all $(ONLY)

## SIGKILL a selling till 5,000 times and check the ledger after every kill (`make test` runs 200).
crash-test: $(TSTAMP)
	CRASH_KILLS=5000 QT_QPA_PLATFORM=offscreen $(PY) -m pytest -q -p no:cacheprovider -s tests/crash

lint: $(TSTAMP)
	$(VENV)/bin/ruff check pos ui printers headoffice tests bench main.py

## Every main screen at 1024×768, 1366×768 and 1920×1080, in Chinese and English, into OUT (default
## /tmp/lianxin-screenshots/<size>/<language>/); prints what does not fit and fails if anything does not.
OUT ?= /tmp/lianxin-screenshots
screenshots: $(STAMP)
	QT_QPA_PLATFORM=offscreen $(PY) -m ui.screenshots_all --out $(OUT)

## Refresh the English translation from ui/*.py and resources/i18n/pending/*.jsonl, then compile it
## (.ts -> .qm; the UI's own strings are Chinese); both files are committed.
translations: $(STAMP)
	$(PY) resources/i18n/update.py

clean-venv:
	rm -rf $(VENV)

# -- the installable package (Windows: resources/packaging/WINDOWS.md) --------------------------------
.PHONY: package package-check
PSTAMP  := $(VENV)/.installed-package
VERSION ?=

$(PSTAMP): $(STAMP)
	$(PY) -m pip install -q -e '.[package]'
	touch $@

## Build dist/lianxin-pos_<version>_<arch>.deb: a PyInstaller one-folder bundle under /opt/lianxin-pos,
## /usr/bin/lianxin-pos, a menu entry. `make package VERSION=0.1.1` builds it as another version.
package: $(PSTAMP)
	PY=$(PY) VERSION=$(VERSION) WINDOW_DEBS="$(WINDOW_DEBS)" resources/packaging/build-deb.sh

## As root (CI): build, dpkg -i, a sale on a throw-away HOME, open the installed till under Xvfb and take
## a picture, upgrade, dpkg -r / -P (the ledger stays). Figures and the picture go to build/package/.
package-check: package
	resources/packaging/check-deb.sh
