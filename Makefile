# The README's two commands: `make run` and `make test`. Everything else here serves them.
PY      ?= python3
VENV    := .venv
BIN     := $(VENV)/bin
DB      ?= data/warehouse.duckdb
DATA    ?= data/sample
PORT    ?= 8501
# bench/scale_bench.py's options, e.g. SCALE_ARGS="--province-records 3500000" for a quick run.
SCALE_ARGS ?=
# Debian packages the app (chart export) and the browser tests need.
SYSPKGS := chromium fonts-noto-cjk poppler-utils

.PHONY: run test build sysdeps bench clean

$(BIN)/activate:
	$(PY) -m venv $(VENV)

# Re-install only when a requirements file changes.
$(VENV)/.installed: requirements.txt requirements-dev.txt | $(BIN)/activate
	$(BIN)/pip install --disable-pip-version-check -q -r requirements-dev.txt
	touch $@

sysdeps:
	@bash scripts/sysdeps.sh $(SYSPKGS)

$(DB): | $(VENV)/.installed
	$(BIN)/python -m etl build --data $(DATA) --db $(DB)

build: $(VENV)/.installed
	$(BIN)/python -m etl build --data $(DATA) --db $(DB)

run: $(VENV)/.installed sysdeps $(DB)
	$(BIN)/python -m etl users init --db $(DB)
	$(BIN)/python -m cockpit.serve --server.port $(PORT) --server.headless true \
		--browser.gatherUsageStats false

test: $(VENV)/.installed sysdeps
	$(BIN)/python -m pytest -q tests

bench: $(VENV)/.installed
	$(BIN)/python bench/etl_bench.py
	$(BIN)/python bench/app_bench.py
	$(BIN)/python bench/export_bench.py
	$(BIN)/python bench/read_report_bench.py
	$(BIN)/python bench/scale_bench.py $(SCALE_ARGS)

clean:
	rm -rf $(VENV) $(DB) tests/artifacts
