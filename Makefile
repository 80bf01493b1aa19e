# The README's commands. Each target is repeatable.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: help install browser-tools run test lint format bench migrations-check messages messages-update clean

help: ## List the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F ':.*## ' '{printf "  make %-18s %s\n", $$1, $$2}'

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet ".[dev]"
	touch $@

install: $(STAMP) messages ## Create .venv and install the project and its test tools

# axe-core for the browser tests, from the npm registry (never a CDN). Without npm the browser
# tests skip locally; CI installs it.
node_modules/.installed-stamp: package.json package-lock.json
	@if command -v npm >/dev/null; then npm ci --no-audit --no-fund --silent && touch $@; \
	else echo "npm mangler: nettlesertestene hoppes over (installer Node.js og kjør make test igjen)."; fi

browser-tools: node_modules/.installed-stamp

messages: $(STAMP) ## Compile the translations (locale/*/LC_MESSAGES/django.po)
	@if command -v msgfmt >/dev/null; then $(BIN)/python manage.py compilemessages --ignore=.venv -v0; \
	else echo "msgfmt (gettext) mangler: engelsk grensesnitt er ikke kompilert; norsk fungerer som vanlig."; fi

messages-update: $(STAMP) ## Extract every translatable string into locale/en/LC_MESSAGES/django.po for translating
	$(BIN)/python manage.py makemessages -l en --no-location --no-obsolete \
		-i '.venv/*' -i 'node_modules/*' -i 'var/*' -i 'artifacts/*' -i 'bench/*' -i 'tests/*' -i 'static/*'

run: install ## Migrate, load the programme content, build the search index and serve on 127.0.0.1:8000
	$(BIN)/python manage.py migrate --noinput -v0
	$(BIN)/python manage.py load_programme
	$(BIN)/python manage.py update_index
	$(BIN)/python manage.py ensure_admin --url http://$(HOST):$(PORT)/admin/
	@echo "Nettstedet: http://$(HOST):$(PORT)/   Administrasjon: http://$(HOST):$(PORT)/admin/"
	$(BIN)/python manage.py runserver $(HOST):$(PORT)

test: install browser-tools ## Run the whole test suite (browser tests included when Chromium is installed)
	$(BIN)/python -m pytest $(PYTEST_ARGS)

lint: install ## ruff check and format check
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: install ## Apply ruff's fixes and formatting
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

migrations-check: install ## Fail if a model change has no migration
	$(BIN)/python manage.py makemigrations --check --dry-run

bench: install ## Run the benchmarks in bench/ and print their figures
	@set -e; found=0; for script in bench/*.py; do \
		[ -e "$$script" ] || continue; found=1; echo "== $$script"; $(BIN)/python "$$script"; done; \
	[ $$found = 1 ] || echo "no benchmarks yet"

clean: ## Remove the virtualenv and local data (database, media, search index)
	rm -rf $(VENV) var node_modules artifacts
