# The developer interface. `make run` and `make test` are all a newcomer needs.
SHELL := /bin/bash
export PATH := $(HOME)/.local/bin:$(PATH)
UV := $(shell command -v uv 2>/dev/null || echo $(HOME)/.local/bin/uv)
MANAGE := $(UV) run --frozen python manage.py

.PHONY: help run run-yas setup test test-browser check bench worker beat clean

help:
	@echo "make run     set everything up and serve the demo trust on http://127.0.0.1:8000"
	@echo "make run-yas the same for the ambulance configuration (Yorkshire Ambulance Service) on port 8001"
	@echo "make test    run the test suite (SQLite; PostgreSQL + a real worker when DATABASE_URL/CELERY_BROKER_URL are set)"
	@echo "make check   formatting, lint, types, migrations, security scan"
	@echo "make bench   benchmarks, printed as ratios against a baseline measured in the same run"
	@echo "make worker / make beat   a Celery worker / the scheduler (needs CELERY_BROKER_URL)"

$(UV):
	python3 -m pip install --user --quiet uv

.venv: $(UV) pyproject.toml uv.lock
	$(UV) sync --frozen --all-extras
	@touch .venv

setup: .venv
	$(MANAGE) migrate --noinput
	$(MANAGE) load_demo

run: setup
	@echo
	@echo "PMF is starting on http://127.0.0.1:8000"
	@echo "Sign in as perf, exec, board, md.surgery, cd.surgery, cl.surgery, md.medicine, commissioner"
	@echo "with the development-only password: $${PMF_DEMO_PASSWORD:-pmf-demo-only-password}"
	@echo
	$(MANAGE) runserver 127.0.0.1:8000

# The ambulance configuration, in its own database: one deployment serves one trust.
run-yas: .venv
	DATABASE_URL=sqlite:///$(CURDIR)/db-yas.sqlite3 $(MANAGE) migrate --noinput
	DATABASE_URL=sqlite:///$(CURDIR)/db-yas.sqlite3 $(MANAGE) load_demo --trust yas
	@echo "Yorkshire Ambulance Service on http://127.0.0.1:8001 (users yas.perf, yas.exec)"
	DATABASE_URL=sqlite:///$(CURDIR)/db-yas.sqlite3 $(MANAGE) runserver 127.0.0.1:8001

# axe-core (npm) for the browser tests' accessibility checks; without npm those checks are skipped locally.
node_modules: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	@touch node_modules

test: .venv $(if $(shell command -v npm 2>/dev/null),node_modules)
	$(UV) run --frozen pytest

check: .venv
	$(UV) run --frozen ruff format --check .
	$(UV) run --frozen ruff check .
	$(UV) run --frozen mypy
	$(MANAGE) makemigrations --check --dry-run
	$(UV) run --frozen bandit -q -c pyproject.toml -r pmf divisions kpis national strategy reviews escalation pipeline trust_setup dashboards scorecards demo bench roof

bench: .venv
	$(MANAGE) bench

worker: .venv
	$(UV) run --frozen celery -A roof worker --loglevel=INFO

beat: .venv
	$(UV) run --frozen celery -A roof beat --loglevel=INFO

clean:
	rm -rf .venv db.sqlite3 db.sqlite3-* db-yas.sqlite3* media staticfiles .pytest_cache .mypy_cache .ruff_cache
