# committee-cli: the two commands that set everything up are `make demo` and `make test`.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
OUT    ?= out
SCALE  ?= default

.PHONY: demo test test-fast lint bench clean venv

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[test,pdf]'
	touch $@ $(VENV)/.installed

venv: $(VENV)/.installed

demo: $(VENV)/.installed
	$(BIN)/committee --registry registry validate
	$(BIN)/committee --registry registry show
	$(BIN)/committee --registry registry members
	$(BIN)/committee --registry registry render decision qd-913-2021 --format md --out $(OUT)/qd-913-2021.md
	$(BIN)/committee --registry registry render decision qd-913-2021 --format html --out $(OUT)/qd-913-2021.html
	$(BIN)/committee --registry registry render decision qd-913-2021 --format docx --out $(OUT)/qd-913-2021.docx
	@echo "Decision 913/QĐ-BNV written to $(OUT)/ (qd-913-2021.md, .html, .docx)"

test: $(VENV)/.installed-test
	$(BIN)/ruff check committee_cli tests benchmarks
	$(BIN)/mypy committee_cli
	$(BIN)/lint-imports
	$(BIN)/python -m pytest -q $(PYTEST_ARGS)

# The static checks and the unit tests (seconds, not minutes): rules, architecture.
test-fast: $(VENV)/.installed-test
	$(BIN)/ruff check committee_cli tests benchmarks
	$(BIN)/mypy committee_cli
	$(BIN)/lint-imports
	$(BIN)/python -m pytest -q tests/unit tests/test_architecture.py

lint: $(VENV)/.installed-test
	$(BIN)/ruff check committee_cli tests benchmarks
	$(BIN)/ruff format --check committee_cli tests benchmarks

bench: $(VENV)/.installed-test
	$(BIN)/python benchmarks/run.py --scale $(SCALE)

clean:
	rm -rf $(VENV) $(OUT) .pytest_cache build dist *.egg-info
