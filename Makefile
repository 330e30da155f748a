# Thin wrapper: every target goes through scripts/dev.py, so local runs equal CI runs.
PY ?= python3

.PHONY: check test lint format readme
check:
	$(PY) scripts/dev.py check dev
test:
	$(PY) scripts/dev.py test
lint:
	$(PY) scripts/dev.py lint
format:
	.venv/bin/ruff format . && .venv/bin/ruff check --fix .
readme:  # regenerate the README's usage block, rules table and benchmark figures
	.venv/bin/python -c "import sys; sys.path.insert(0, '.'); from tests.test_readme import refresh; refresh()"
