# The two commands a newcomer runs: `make run` and `make test`.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
TRACE ?= vmtrace-traces/readme-demo.json
DEMO_ARGS ?= -machine pc -cpu Skylake-Client,+avx512f

.PHONY: run test lint venv install install-test golden bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip

venv: $(BIN)/python

install: venv
	$(BIN)/python -m pip install -q -e .

install-test: venv
	$(BIN)/python -m pip install -q -e '.[dev]'

# Record the demo command line with the model and open the trace.
run: install
	$(BIN)/vmtrace record -o $(TRACE) -- $(DEMO_ARGS) || true
	$(BIN)/vmtrace view $(TRACE)

# Lint, type-check and run the whole suite (the command CI runs).
test: install-test
	$(BIN)/ruff check tracer model tests bench
	$(BIN)/mypy
	@# pytest exits 5 when it collected nothing: that is a failure, never a pass.
	$(BIN)/python -m pytest -q; status=$$?; \
	if [ $$status -eq 5 ]; then echo "make test: pytest collected no tests" >&2; fi; exit $$status

lint: install-test
	$(BIN)/ruff check tracer model tests bench
	$(BIN)/mypy

# Regenerate the golden traces under traces/ (only on purpose: review the diff).
golden: install
	$(BIN)/python -m tracer.golden

bench: install-test
	$(BIN)/python -m bench

clean:
	rm -rf $(VENV) build *.egg-info .pytest_cache .mypy_cache .ruff_cache
