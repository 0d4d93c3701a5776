# iscctl — the two set-up commands are `make demo` and `make test` (see README.md).
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-$(shell cksum pyproject.toml | cut -d' ' -f1)

.DEFAULT_GOAL := help
.PHONY: help install generate check lint typecheck test demo bench clean

help:  ## list the targets
	@grep -E '^[a-z]+:.*## ' $(MAKEFILE_LIST) | sed 's/:.*## /\t/'

$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	@$(BIN)/python -m pip install --quiet --disable-pip-version-check --upgrade "pip>=24"
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[dev]'
	@rm -f $(VENV)/.installed-*; touch $@

install: $(STAMP)  ## create .venv with iscctl (editable), the pinned generators and the test tools

generate: $(STAMP)  ## validate openapi/isc.yaml and rewrite generated/ from nothing
	$(BIN)/python tools/codegen.py generate

check: $(STAMP)  ## fail if generated/ is stale; lint the hand-written code; mypy --strict
	$(BIN)/python tools/codegen.py check
	$(BIN)/ruff check --no-cache overrides tests bench tools
	$(BIN)/ruff format --no-cache --check overrides tests bench tools
	$(BIN)/mypy generated/iscctl_client generated/iscctl_models overrides/iscctl

test: check  ## make check, then the whole test suite
	$(BIN)/python -m pytest -q

demo: $(STAMP)  ## start the sandbox tenant, run the main job against it, stop it
	$(BIN)/python -m iscctl.demo

bench: $(STAMP)  ## print the performance figures (bench/*.py)
	@for script in bench/*.py; do echo "== $$script"; $(BIN)/python $$script || exit 1; done

clean:  ## remove the virtual environment and caches
	rm -rf $(VENV) .mypy_cache .pytest_cache .ruff_cache build *.egg-info
