# Two commands do all set-up on a fresh machine:
#   make demo   — virtualenv, install, migrate SQLite, small demo catalog, serve :8000
#   make test   — the same virtualenv, then the whole test suite
#                 (PostgreSQL when DATABASE_URL is set, SQLite otherwise)
PYTHON ?= python3.11
VENV := .venv
PY := $(VENV)/bin/python
DEMO_PRODUCTS ?= 2000
PYTEST_ARGS ?=

.PHONY: demo test venv deps messages migrate bench lint clean serve audit css

$(VENV)/.installed: requirements.txt pyproject.toml
	@command -v $(PYTHON) >/dev/null 2>&1 || { echo "Python 3.11 is required ($(PYTHON) not found)"; exit 1; }
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.txt
	touch $@

venv: $(VENV)/.installed

deps:
	@bash scripts/system_deps.sh

messages: venv
	$(PY) manage.py compilemessages --ignore=.venv -v0

migrate: venv messages
	$(PY) manage.py migrate --noinput -v0

demo: deps migrate
	$(PY) manage.py load_demo --products $(DEMO_PRODUCTS) --seed 42 --if-empty
	@# A task worker and the scheduler beside the dev server run the PDFs, e-mails,
	@# re-indexing and scheduled jobs the demo queues; Ctrl-C stops all three.
	$(PY) manage.py db_worker --no-reload & worker=$$!; \
	$(PY) manage.py run_scheduler & scheduler=$$!; \
	trap 'kill $$worker $$scheduler 2>/dev/null' EXIT INT TERM; \
	$(PY) manage.py runserver 127.0.0.1:8000

# The production stack on PostgreSQL + Redis: gunicorn, a task worker, the scheduler
# (scripts/serve.sh; Ctrl-C stops all three).
serve: deps venv messages
	bash scripts/serve.sh

test: deps venv messages
	$(PY) -m pytest $(PYTEST_ARGS)

bench: venv
	$(PY) -m bench

lint: venv
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .
	$(VENV)/bin/lint-imports

clean:
	rm -rf $(VENV) var staticfiles

# Quality audits: Lighthouse (mobile + desktop), axe-core and the Nu HTML checker on a
# fresh SQLite demo; fails on any score < 95, axe critical/serious or vnu error.
scripts/audit/node_modules/.installed: scripts/audit/package.json scripts/audit/package-lock.json
	cd scripts/audit && PUPPETEER_SKIP_DOWNLOAD=1 npm ci --no-audit --no-fund
	touch $@

audit: venv scripts/audit/node_modules/.installed
	$(PY) scripts/audit/audit.py

# Rebuild shop/static/shop/site.css (Oscar's stylesheet trimmed by PurgeCSS).
css: scripts/audit/node_modules/.installed
	cd scripts/audit && node build-css.mjs
