# One task runner for the dev loop. `make demo` and `make test` are all a new
# machine needs: both create the virtualenv and install on first use.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo test lint bench eval clean serve

$(STAMP): pyproject.toml
	@command -v $(PYTHON) >/dev/null 2>&1 || { echo "need $(PYTHON) (set PYTHON=...)"; exit 1; }
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

demo: $(STAMP)
	rm -f storyline-demo.db storyline-demo.db-wal storyline-demo.db-shm
	$(BIN)/storyline demo --db storyline-demo.db

# The demo database on the web: pages at http://127.0.0.1:8000/, the API at /api/v1.
serve: $(STAMP)
	$(BIN)/storyline serve --db storyline-demo.db

test: $(STAMP)
	$(BIN)/python -m pytest

lint: $(STAMP)
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench

bench: $(STAMP)
	$(BIN)/python bench/ingest_bench.py
	$(BIN)/python bench/brief_bench.py
	$(BIN)/python bench/serve_bench.py

# Quality figures on ../shared/data, as written in the README.
eval: $(STAMP)
	$(BIN)/storyline eval cluster ../shared/data/clustering/ecbplus-dev.jsonl --level event
	$(BIN)/storyline eval cluster ../shared/data/clustering/ecbplus-dev.jsonl --level storyline
	$(BIN)/storyline eval cluster ../shared/data/clustering/dtels-zh-dev.jsonl --level storyline
	$(BIN)/storyline eval timex ../shared/data/timex/tempeval3-train.jsonl
	$(BIN)/storyline eval quotes ../shared/data/quotes/polnear-dev.jsonl
	$(BIN)/storyline eval timeline ../shared/data/timelines/ml-crisis-dev-articles.jsonl ../shared/data/timelines/ml-crisis-dev-references.jsonl
	$(BIN)/storyline eval stance tests/gold/stance_heldout.jsonl

clean:
	rm -rf $(VENV) build *.egg-info storyline-demo.db*
