"""`bascule policy SNAPSHOT --stack-config Pulumi.<stack>.yaml`: the packs get the stack's
config as the engine gives it (decrypted), the project from the Pulumi.yaml beside it; an
empty stack runs a foreign pack's stack policies."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest
from cli_support import bascule

from bascule.synth.crypt import encrypt, new_encryption_salt

ROOT = Path(__file__).resolve().parents[3]
PACKS = ROOT / "tests" / "data" / "packs" / "engine"
sys.path.insert(0, str(ROOT / "tests" / "bascule" / "policy"))

from engine_programs import runtime_data, validate_stack  # noqa: E402

PASSPHRASE = "correct horse battery staple"


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A Pulumi project `runtime_data`, stack `runtime_data-4242`, whose `aConfigValue` is
    a passphrase secret."""
    salt, _ = new_encryption_salt(PASSPHRASE)
    secret = encrypt(PASSPHRASE, salt, "this value is a value")
    (tmp_path / "Pulumi.yaml").write_text("name: runtime_data\nruntime: python\n")
    (tmp_path / "Pulumi.runtime_data-4242.yaml").write_text(
        f"encryptionsalt: {salt}\n"
        "config:\n"
        f"  runtime_data:aConfigValue:\n    secure: {secret}\n"
        "  aws:region: us-west-2\n"
    )
    return tmp_path


TEST_NAMES = {"PULUMI_TEST_PROJECT": "runtime_data", "PULUMI_TEST_STACK": "runtime_data-4242"}


@pytest.mark.parametrize("in_process", [False, True], ids=["grpc", "in-process"])
def test_stack_config_reaches_the_pack_decrypted(project: Path, in_process: bool) -> None:
    snap = runtime_data("runtime_data", dry_run=False).write(project, "state")
    args = ["policy", str(snap), "--pack", str(PACKS / "runtime_data"), "--format", "json"]
    args += ["--stack-config", str(project / "Pulumi.runtime_data-4242.yaml")]
    args += ["--in-process"] if in_process else []
    env = {**TEST_NAMES, "PULUMI_CONFIG_PASSPHRASE": PASSPHRASE}
    result = bascule(*args, env=env)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["violations"] == []
    assert "this value is a value" not in result.stdout + result.stderr


def test_without_stack_config_the_pack_lacks_it(project: Path) -> None:
    snap = runtime_data("runtime_data", dry_run=False).write(project, "state")
    result = bascule("policy", str(snap), "--pack", str(PACKS / "runtime_data"), env=TEST_NAMES)
    assert result.returncode == 3
    assert result.stderr.startswith("bascule: error: policy pack runtime_data: Analyze of ")
    assert "runtime_data:aConfigValue" in result.stderr


def test_a_wrong_passphrase_is_bad_input(project: Path) -> None:
    snap = runtime_data("runtime_data", dry_run=False).write(project, "state")
    result = bascule(
        "policy", str(snap), "--pack", str(PACKS / "runtime_data"),
        "--stack-config", str(project / "Pulumi.runtime_data-4242.yaml"),
        env={**TEST_NAMES, "PULUMI_CONFIG_PASSPHRASE": "wrong"},
    )  # fmt: skip
    assert (result.returncode, result.stdout) == (2, "")
    assert result.stderr.startswith("bascule: error: Pulumi.runtime_data-4242.yaml: ")


@pytest.mark.parametrize(
    ("arg", "message"),
    [
        ("Pulumi.nope.yaml", "Pulumi.nope.yaml: no such stack file"),
        ("stack.yaml", "stack.yaml: --stack-config wants a Pulumi.<stack>.yaml file"),
    ],
)
def test_a_bad_stack_config_names_it(project: Path, arg: str, message: str) -> None:
    snap = runtime_data("runtime_data", dry_run=False).write(project, "state")
    result = bascule("policy", str(snap), "--pack", str(PACKS / "runtime_data"),
                     "--stack-config", str(project / arg))  # fmt: skip
    assert result.returncode == 2
    assert result.stderr == f"bascule: error: {project / message}\n"


def test_stack_config_is_for_snapshots_only() -> None:
    result = bascule("policy", "dev", "--stack-config", "Pulumi.dev.yaml")
    assert result.returncode == 2
    assert result.stderr == (
        "bascule: error: --stack-config is for a SNAPSHOT: a STACK passes its own config\n"
    )


def test_an_empty_stack_runs_a_foreign_packs_stack_policies(tmp_path: Path) -> None:
    snap = validate_stack(1).write(tmp_path, "empty")  # the root stack only
    result = bascule("policy", str(snap), "--pack", str(PACKS / "validate_stack"))
    assert result.returncode == 0, result.stderr
    assert "0 mandatory, 0 advisory, 0 suppressed on 1 resources" in result.stdout
    assert result.stderr == (
        f"bascule: warning: {snap}: no resources (empty stack or snapshot): only stack "
        "policies have something to check\n"
    )


def test_an_empty_stack_is_still_refused_by_bascules_packs(tmp_path: Path) -> None:
    snap = validate_stack(1).write(tmp_path, "empty")
    result = bascule("policy", str(snap))
    assert result.returncode == 2
    assert result.stderr == (
        f"bascule: error: {snap}: no resources to check (empty stack or snapshot)\n"
    )


def test_help_documents_stack_config_and_foreign_packs() -> None:
    result = bascule("policy", "--help")
    text = " ".join(result.stdout.split())
    assert "--stack-config FILE" in text
    assert "own virtualenv" in text


def test_a_stack_passes_its_own_config() -> None:
    from bascule.cli.policy import stack_context
    from bascule.snapshot.model import Snapshot

    context = stack_context("dev", str(ROOT), Snapshot((), "dev", "synth"))
    assert (context.project, context.stack, context.dry_run) == ("bascule", "dev", False)
    # Structured values travel as JSON text, as the engine hands them over.
    assert context.config["bascule:platform"] == "hdh-dev"
    assert json.loads(context.config["bascule:target"])["region"] == "eu-west-sbg-snc"
    assert context.secret_keys == ()
