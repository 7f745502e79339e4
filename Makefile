# Academy — the two set-up commands: `make run` and `make test`.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
PORT ?= 8000
export PORT

.PHONY: run test install messages check lint bench

$(VENV)/.installed: requirements.txt requirements-dev.txt
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements-dev.txt
	touch $@

# axe-core and the Nu Html Checker (vnu-jar), pinned in package-lock.json, for the accessibility
# and HTML conformance tests (tests/e2e/test_accessibility.py). Needs Node.js (npm) and Java 17+.
# Without npm, `make run` still works and these two checks are skipped (they fail in CI, where
# ACADEMY_REQUIRE_BROWSER=1).
node_modules/.installed: package.json package-lock.json
	@if command -v npm >/dev/null 2>&1; then \
		npm ci --no-audit --no-fund --ignore-scripts && touch $@; \
	else \
		echo "npm not found: install Node.js for the accessibility and HTML checks (axe-core, vnu-jar)." >&2; \
	fi

install: $(VENV)/.installed node_modules/.installed

## Run the product on SQLite with the bundled catalogue at http://127.0.0.1:$(PORT),
## with the background-task worker in the same command. The worker is supervised: when it dies
## it is started again (and recovers the work it left). Ctrl-C stops everything.
run: install
	$(PY) manage.py migrate --noinput
	$(PY) manage.py import_catalogue
	$(PY) manage.py import_past_satisfaction
	$(PY) manage.py import_terms
	@echo "Academy on http://127.0.0.1:$(PORT)/ — e-mails are written to var/mail and listed at /staff/mail/"
	$(PY) manage.py run_local 127.0.0.1:$(PORT)

## Run the test suite (SQLite by default; set DATABASE_URL for PostgreSQL), after the linters, on
## every core (pytest-xdist); PYTEST_ARGS="-p no:xdist" runs it in one process.
PYTEST_ARGS ?= -n auto
test: install lint
	$(PY) -m pytest $(PYTEST_ARGS)

## Lint and format check (ruff) and the import layers between apps (import-linter).
lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports

## Regenerate translation catalogues (needs GNU gettext).
messages: install
	cd academy && ../$(PY) ../manage.py makemessages -l fr -l en --no-obsolete && ../$(PY) ../manage.py compilemessages

check: install
	$(PY) manage.py check
	$(PY) manage.py makemigrations --check --dry-run

## Benchmark the public pages under load against Django's floor (PostgreSQL, gunicorn, wrk):
## BENCH_SCALE=S|L, BENCH_DATABASE_URL (default postgres://postgres@127.0.0.1:5432/academy_bench),
## BENCH_PORT (default 8001), BENCH_SECONDS per page (default 10). See bench/README.md.
BENCH_SCALE ?= S
WRK_DEBIAN_VERSION := 4.1.0-3+b2
bench: install
	@command -v wrk >/dev/null 2>&1 || { \
		if [ "$$(id -u)" = 0 ]; then apt-get install -y -q wrk=$(WRK_DEBIAN_VERSION) || { apt-get update -q && apt-get install -y -q wrk=$(WRK_DEBIAN_VERSION); }; \
		else echo "Install wrk first: sudo apt-get install wrk=$(WRK_DEBIAN_VERSION)"; exit 1; fi; }
	$(PY) bench/run.py --scale $(BENCH_SCALE) $(BENCH_ARGS)
