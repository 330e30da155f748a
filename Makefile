# Thin wrapper: every target goes through scripts/dev.py, so local runs equal CI runs.
PY ?= python3

.PHONY: check test lint format bench
check:
	$(PY) scripts/dev.py check dev
test:
	$(PY) scripts/dev.py test
lint:
	$(PY) scripts/dev.py lint
format:
	.venv/bin/ruff format . && .venv/bin/ruff check --fix .
