# The two commands: `make run` and `make test`. Each installs what is missing first.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-$(shell cat pyproject.toml | sha256sum | cut -c1-12)
PG_URL ?= postgresql+psycopg://postgres@127.0.0.1:5432/postgres
export LICENSING_TEST_PG_URL ?= $(PG_URL)

.PHONY: run test lint unit render-deps system-deps postgres assets catalogs translations bench bench-quick screenshots clean

$(STAMP): pyproject.toml
	@test -d $(VENV) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip setuptools wheel
	$(PY) -m pip install -q -e '.[test]'
	@rm -f $(VENV)/.installed-* && touch $(STAMP)

# Debian packages. What documents need to render (Pango for WeasyPrint, HarfBuzz's subsetter, without which
# WeasyPrint falls back to fontTools and a PDF takes four times as long) is installed for `make run` and the
# benchmarks too; the tests add Chromium for the browser tests and poppler to read PDFs back.
define install_missing
	@if [ -n "$(strip $(1))" ]; then \
	  echo "installing: $(strip $(1))"; \
	  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $(1) >/dev/null) || \
	  (echo "could not install $(strip $(1)) (run as root)" >&2; exit 1); \
	fi
endef
missing_render = $(if $(shell ldconfig -p | grep libharfbuzz-subset),,libharfbuzz-subset0) \
  $(if $(shell ldconfig -p | grep libpango-1.0),,libpango-1.0-0 libpangoft2-1.0-0)
missing_test = $(if $(shell command -v chromium),,chromium) $(if $(shell command -v pdftotext),,poppler-utils)

render-deps:
	$(call install_missing,$(missing_render))

system-deps: render-deps
	$(call install_missing,$(missing_test))

# PostgreSQL must answer for the concurrency and fault tests; start the local cluster if it is down.
postgres:
	@pg_isready -q -h 127.0.0.1 -p 5432 || \
	  (command -v pg_ctlcluster >/dev/null && pg_ctlcluster --skip-systemctl-redirect $$(ls /etc/postgresql) main start && sleep 2) || true
	@pg_isready -h 127.0.0.1 -p 5432

# Front-end assets (bpmn-js) from the npm registry, pinned by the lock file; no CDN.
assets:
	@if [ -f web/static/package.json ]; then \
	  if [ ! -d web/static/node_modules ] || [ web/static/package-lock.json -nt web/static/node_modules ]; then \
	    (cd web/static && npm ci --no-audit --no-fund --loglevel=error) && touch web/static/node_modules; \
	  fi; \
	fi

# Translations (web/translations): the compiled .mo files are kept next to their .po files; a .po edited by hand
# is compiled again by `make run` / `make test`. `make translations` extracts the msgids from the code, the
# templates and the diagrams' timer names, merges them into kk, ru and en, and compiles.
CATALOGS := $(patsubst %.po,%.mo,$(wildcard web/translations/*/LC_MESSAGES/messages.po))

web/translations/%/LC_MESSAGES/messages.mo: web/translations/%/LC_MESSAGES/messages.po | $(STAMP)
	$(VENV)/bin/pybabel -q compile -D messages -i $< -o $@

catalogs: $(CATALOGS)

translations: $(STAMP)
	$(VENV)/bin/pybabel -q extract -F babel.cfg -k N_ -k NC_:1c,2 --no-location --sort-output --project=mining-licensing \
	  --copyright-holder="" -o web/translations/messages.pot .
	$(VENV)/bin/pybabel -q update -i web/translations/messages.pot -d web/translations --no-fuzzy-matching \
	  --ignore-obsolete -w 120
	$(VENV)/bin/pybabel compile -d web/translations --statistics

run: $(STAMP) render-deps assets catalogs
	$(VENV)/bin/licensing serve --demo

lint: $(STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/lint-imports
	$(VENV)/bin/mypy

test: $(STAMP) system-deps postgres assets catalogs lint
	$(VENV)/bin/pytest -n 2 --dist loadgroup -q

unit: $(STAMP)
	$(VENV)/bin/pytest -q tests/unit

bench: $(STAMP) render-deps postgres
	$(PY) -m bench

bench-quick: $(STAMP) render-deps postgres
	$(PY) -m bench --quick

screenshots: $(STAMP) system-deps assets
	$(PY) -m tests.browser.screenshots

clean:
	rm -rf $(VENV) var .pytest_cache .ruff_cache .mypy_cache
