"""Pulumi.yaml as the Pulumi CLI reads it: what `pulumi up` costs before the program runs."""

from __future__ import annotations

from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]


def test_no_typechecker_runs_before_every_preview_and_up() -> None:
    # The Python language host runs `python -m mypy --exclude <venv> <project dir>` when the
    # option is set (pulumi/pulumi sdk/python/cmd/pulumi-language-python/main.go): over this
    # repository it fails at once ("Duplicate module named __main__", the policy packs), and
    # the same check limited to the program costs minutes cold. `make lint` runs mypy instead.
    project = yaml.safe_load((ROOT / "Pulumi.yaml").read_text())
    options = project["runtime"]["options"]
    assert "typechecker" not in options
    assert options == {"toolchain": "pip", "virtualenv": ".venv"}
