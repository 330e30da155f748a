"""Credentials must be Pulumi secrets: a plain-text one in a stack file stops the program."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from bascule.errors import BadInputError
from bascule.synth import synthesize
from components.config.load import plaintext_credentials

ROOT = Path(__file__).resolve().parents[3]


def test_plaintext_credentials_are_listed() -> None:
    raw = {"openstackPassword": "hunter2", "ovhConsumerKey": "x", "platform": "hdh"}
    secret = {"bascule:ovhConsumerKey"}
    assert plaintext_credentials(raw, secret.__contains__) == ["openstackPassword"]
    assert plaintext_credentials({"platform": "hdh"}, secret.__contains__) == []


def test_plain_password_in_a_stack_file_is_refused(tmp_path: Path) -> None:
    for name in ("Pulumi.yaml", "__main__.py", "components"):
        (tmp_path / name).symlink_to(ROOT / name)
    doc = yaml.safe_load((ROOT / "Pulumi.dev.yaml").read_text())
    doc["config"]["bascule:openstackPassword"] = "hunter2-in-clear"
    (tmp_path / "Pulumi.plain.yaml").write_text(yaml.safe_dump(doc))
    with pytest.raises(BadInputError) as err:
        synthesize(tmp_path, "plain")
    assert err.value.message == (
        "Pulumi.plain.yaml: bascule:openstackPassword: a credential must be a Pulumi secret, "
        "not plain text: run `pulumi config set --secret bascule:openstackPassword`"
    )
    assert "hunter2" not in err.value.message
