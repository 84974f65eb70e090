# Each target sets up what it needs: a fresh clone needs only `make run` or `make test`.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp
RAW    ?= data/raw
OUT    ?= data/build/extract
APP_PORT ?= 8501
APP_HOST ?= 127.0.0.1

.DEFAULT_GOAL := run
.PHONY: setup run build extract eval test lint bench clean

$(STAMP): requirements.txt pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --disable-pip-version-check -r requirements.txt
	$(BIN)/pip install -q --disable-pip-version-check --no-deps -e .
	touch $(STAMP)

setup: $(STAMP)

extract: setup
	$(BIN)/ikg extract $(RAW) --out $(OUT)

# extraction scored against the gold annotations in ../shared/gold (per document, by type, macro)
eval: setup
	$(BIN)/ikg eval

# extraction + resolution + load into the embedded store (data/build/graph.lbdb), or into
# Neo4j when NEO4J_URI is set
build: setup
	$(BIN)/ikg build $(RAW) $(if $(NEO4J_URI),--store neo4j,)

# the main job: build the graph, then serve the app on http://$(APP_HOST):$(APP_PORT)
run: build
	$(BIN)/ikg app --port $(APP_PORT) --host $(APP_HOST)

# The Neo4j test server starts before the tests and stops after them; without Java/Maven the
# Neo4j tests skip (and fail under CI=true, where nothing may skip).
test: setup
	@$(BIN)/python $(NEO4J_CTL) up || echo "note: Neo4j test server not started; Neo4j tests will skip"
	@$(BIN)/python -m pytest; status=$$?; $(BIN)/python $(NEO4J_CTL) down >/dev/null 2>&1; exit $$status

lint: setup
	$(BIN)/ruff check .

bench: setup
	$(BIN)/python bench/bench_extract.py

clean:
	rm -rf data/build

include mk/neo4j.mk
