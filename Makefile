# Thin wrapper: every target goes through scripts/dev.py, so local runs equal CI runs.
PY ?= python3

.PHONY: check test lint format readme docs
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
docs: readme  # regenerate docs/rules/<ID>.md (and the README table) from the rules and their fixtures
	.venv/bin/python -c "import sys; sys.path.insert(0, '.'); from tests.bascule.report.test_rule_docs import refresh; refresh()"
