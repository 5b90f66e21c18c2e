# committee-cli: the two commands that set everything up are `make demo` and `make test`.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
OUT    ?= out
SCALE  ?= default
# pytest workers (pytest-xdist): one per core; JOBS=1 runs the suite in one process
JOBS   ?= auto
JSON   ?=

.PHONY: demo test test-fast lint bench clean venv system-deps page-images

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
	$(BIN)/python -m pytest -q -n $(JOBS) --dist loadfile $(PYTEST_ARGS)

# The system packages the PDF checks use (tests skip, naming what is missing, without them):
# LibreOffice Writer (docx -> PDF), poppler (pdftotext -bbox, pdftoppm), the Times New Roman
# metrics (Liberation Serif), DejaVu, and Chromium (the website's checks). Installs only as root
# with apt; elsewhere it prints what to install.
SYSTEM_DEPS := libreoffice-writer poppler-utils fonts-liberation2 fonts-dejavu-core chromium

system-deps:
	@if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
		apt-get update && \
		DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends $(SYSTEM_DEPS); \
	else \
		echo "system-deps: not root or no apt-get; install these packages for the PDF checks:"; \
		echo "  $(SYSTEM_DEPS)"; \
	fi

# The page images in docs/rendering.md (docs/images/*.png), after a layout change.
page-images: $(VENV)/.installed-test
	$(BIN)/python -m tools.page_images
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
	$(BIN)/python benchmarks/run.py --scale $(SCALE) $(if $(JSON),--json $(JSON))

clean:
	rm -rf $(VENV) $(OUT) .pytest_cache build dist *.egg-info
