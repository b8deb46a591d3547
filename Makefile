# Everything a person does with this repository. The first target that needs Python creates
# .venv and installs the development requirements; later runs reuse it.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run reports test lint format bench clean screenshots deploy mutate

$(STAMP): requirements.txt requirements-dev.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -r requirements-dev.txt
	touch $(STAMP)

## run: the dashboard and API at http://127.0.0.1:8000 on the embedded AWS stand-in
run: $(STAMP)
	$(BIN)/python -m shipcaptaincrew serve

## reports: the main job once on the embedded AWS stand-in: every report built, archived and sent to outbox/
reports: $(STAMP)
	$(BIN)/python -m reports send --embedded

## test: lint, format check and every test, browser tests included
test: $(STAMP) lint
	$(BIN)/python -m pytest

## screenshots: run the browser tests and save the main screens into docs/screenshots/
screenshots: $(STAMP)
	SCREENSHOTS=1 $(BIN)/python -m pytest tests/browser -q

# the modules `make mutate` checks (paths: a folder or one .py file), and their mutant-name patterns
MODULES ?= reports/analysis/ reports/runs/ shipcaptaincrew/auth/
MUTANTS = $(foreach m,$(MODULES),"$(subst /,.,$(patsubst %.py,%,$(patsubst %/,%,$(m)))).*")

## mutate: mutation testing of the guarantees' code with the fast tests, then a score per module and the survivors (docs/testing.md; e.g. make mutate MODULES=reports/analysis/finance.py)
mutate: $(STAMP)
	nice -n 10 $(BIN)/mutmut run --max-children 2 $(MUTANTS)
	$(BIN)/python scripts/mutation_score.py $(MODULES)

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(STAMP)
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

## bench: the benchmarks of SPEC section 7 and docs/performance.md: a table, and bench/results.json
bench: $(STAMP)
	$(BIN)/python -m bench

## deploy: package and ship to AWS (scripts/deploy.sh; e.g. make deploy ARGS="--create" or ARGS="--dry-run")
deploy: $(STAMP)
	scripts/deploy.sh $(ARGS)

clean:
	rm -rf $(VENV) dist outbox mutants .pytest_cache .ruff_cache
