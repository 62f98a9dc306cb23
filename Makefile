# zsa-flow — two commands for a fresh machine: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
NODE_STAMP := node_modules/.installed
ASSETS := zsa_flow/web/static/vendor/bpmn-js/bpmn-navigated-viewer.production.min.js
FEELIN := zsa_flow/web/static/vendor/feelin/feelin.min.js
CHROMIUM := /usr/bin/chromium
export ZSA_DATABASE_URL ?= sqlite:///instance/zsa.db

.PHONY: install run test bench bench-load check lint lint-models assets browser serve clean

install: $(STAMP) $(NODE_STAMP) assets

$(STAMP): pyproject.toml
	test -d $(VENV) || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	touch $(STAMP)

# Node packages from the npm registry, pinned in package-lock.json: bpmn-js for the case diagram,
# feelin (+ esbuild to bundle it) for live form conditions, bpmnlint + bpmn-moddle + camunda-bpmn-moddle
# for `make lint-models`.
$(NODE_STAMP): package.json package-lock.json
	npm ci --silent --no-audit --no-fund
	touch $(NODE_STAMP)

assets: $(ASSETS) $(FEELIN)

$(ASSETS): $(NODE_STAMP)
	mkdir -p zsa_flow/web/static/vendor/bpmn-js
	cp node_modules/bpmn-js/dist/bpmn-navigated-viewer.production.min.js zsa_flow/web/static/vendor/bpmn-js/
	cp -r node_modules/bpmn-js/dist/assets/* zsa_flow/web/static/vendor/bpmn-js/

# feelin (bpmn-io's FEEL interpreter, as in Camunda's form-js) ships ES modules with bare imports only:
# esbuild bundles it into one file that sets `window.feelin` for static/zsa-form.js.
$(FEELIN): $(NODE_STAMP)
	mkdir -p zsa_flow/web/static/vendor/feelin
	node_modules/.bin/esbuild node_modules/feelin/dist/index.js --bundle --minify --format=iife \
		--global-name=feelin --target=es2020 --log-level=warning --outfile=$(FEELIN)
	cp node_modules/feelin/LICENSE zsa_flow/web/static/vendor/feelin/LICENSE 2>/dev/null || true

# Debian's chromium for the Playwright browser tests (no browser download).
browser:
	@test -x $(CHROMIUM) || (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null)

run: install
	$(BIN)/zsa-flow db upgrade
	$(BIN)/zsa-flow deploy processes forms
	$(BIN)/zsa-flow demo seed
	@echo "zsa-flow läuft auf http://127.0.0.1:5000 (Demo-Zugänge: README.md)"
	$(BIN)/zsa-flow serve --host 127.0.0.1 --port 5000

test: install browser
	$(BIN)/python -m pytest

bench: install
	$(BIN)/python -m bench.engine
	$(BIN)/python -m bench.inbox
	$(BIN)/python -m bench.dmn
	$(BIN)/python -m bench.audit
	@if [ -d ../shared/dmn-tck ]; then $(BIN)/python -m bench.tck ../shared/dmn-tck; fi
	$(BIN)/python -m bench.audit_replay
	$(BIN)/python -m bench.simulate

# Load and fault runs against the local PostgreSQL (dedicated database zsa_load, created and dropped).
bench-load: install
	$(BIN)/python -m bench.load
	$(BIN)/python -m bench.faults

# The process library: zsa-flow's own checks, then the BPMN files as Camunda Modeler sees them.
check: install
	$(BIN)/zsa-flow check processes forms
	$(MAKE) --no-print-directory lint-models

lint-models: $(NODE_STAMP)
	node tools/bpmn-lint/bpmn-lint.mjs $$(find processes -name '*.bpmn' | sort)

# Python code: ruff with the rules of pyproject.toml.
lint: $(STAMP)
	$(BIN)/ruff check .

clean:
	rm -rf $(VENV) node_modules instance zsa_flow/web/static/vendor test-artifacts
