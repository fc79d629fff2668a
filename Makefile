# One command per chore. `make run` and `make test` set everything up on a fresh machine.
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
PORT   ?= 8501
DB     ?= $(or $(RHETORIC_DB),data/rhetoric.duckdb)
DEV_GOLD ?= ../shared/eval/dev.jsonl
# Re-ingest the sample when extraction, tone or the reference tables change: stale rows are replaced.
PIPELINE := $(wildcard dashboard/extract/*.py) $(wildcard dashboard/tone.py) $(wildcard dashboard/tone_model.py) \
            $(wildcard dashboard/embed.py) $(wildcard dashboard/models/tone_model.npz) \
            $(wildcard dashboard/readers.py) $(wildcard dashboard/sources.py) $(wildcard data/*.csv) \
            $(shell find data/sample -type f 2>/dev/null)

.PHONY: setup run db test lint eval train bench chromium clean

setup: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	touch $@

$(DB): $(VENV)/.installed $(PIPELINE)
	@echo "Building $(DB) from the shipped sample in data/sample/ ..."
	$(PY) -m dashboard ingest data/sample --db $(DB)
	@touch $(DB)

db: $(DB)

run: setup db
	RHETORIC_DB=$(DB) $(PY) -m streamlit run app.py --server.port $(PORT) --server.address localhost

# Browser tests drive Debian's chromium; install it when it is missing.
chromium:
	@command -v chromium >/dev/null 2>&1 || { \
		echo "Installing Debian's chromium for the browser tests ..."; \
		SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
		$$SUDO apt-get update -qq && $$SUDO apt-get install -y -qq chromium >/dev/null; }

test: setup chromium
	$(PY) -m pytest

lint: setup
	$(VENV)/bin/ruff check .

eval: setup
	@if [ -f "$(DEV_GOLD)" ]; then $(PY) -m dashboard eval "$(DEV_GOLD)"; \
	else echo "no reference file at $(DEV_GOLD); run: $(PY) -m dashboard eval GOLD.jsonl"; fi
	$(PY) -m dashboard eval-tone --dev "$(DEV_GOLD)"

# The tone model's weights are committed; this remakes them from data/labels/ (same bytes each time).
train: setup
	$(PY) -m dashboard train

bench: setup db
	RHETORIC_DB=$(DB) $(PY) -m dashboard bench

clean:
	rm -rf $(VENV) data/bench screenshots .pytest_cache
