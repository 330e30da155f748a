"""The stack's names, config and tags reach a pack as the engine gives them, and the
decrypted config never appears in the pack process's argv or initial environment."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from bascule.policy.analyzer import AnalyzerProcess
from bascule.policy.runner import PolicySession
from bascule.policy.stack import StackContext
from bascule.snapshot.model import Resource, Snapshot

MARKER = "plain-marker-41c7"  # the decrypted value of a secret setting
PACK = """
import os
import pulumi
from pulumi_policy import PolicyPack, ResourceValidationPolicy, EnforcementLevel


def report(args, report_violation):
    seen = pulumi.Config().get("marker") == "plain-marker-41c7"
    names = (pulumi.get_project(), pulumi.get_stack(), pulumi.get_organization())
    tags = sorted(args.stack_tags.items())
    dry = pulumi.runtime.is_dry_run()
    report_violation(f"marker seen: {seen}; names: {names}; tags: {tags}; dry run: {dry}")


PolicyPack(name="context-pack", enforcement_level=EnforcementLevel.ADVISORY, policies=[
    ResourceValidationPolicy(name="context", description="What the pack knows.", validate=report)])
"""


@pytest.fixture
def pack(tmp_path: Path) -> Path:
    directory = tmp_path / "context-pack"
    directory.mkdir()
    (directory / "PulumiPolicy.yaml").write_text("runtime: python\n")
    (directory / "__main__.py").write_text(PACK)
    return directory


CONTEXT = StackContext(
    "proj",
    "dev",
    config={"proj:marker": MARKER, "proj:region": "eu-west-par"},
    secret_keys=("proj:marker",),
    dry_run=True,
    tags={"team": "data", "pulumi:project": "proj"},
)
SNAPSHOT = Snapshot(
    (
        Resource(
            "urn:pulumi:dev::proj::pulumi:pulumi:Stack::proj-dev", "pulumi:pulumi:Stack", False
        ),
    ),
    "s.json",
    "preview",
)


@pytest.mark.parametrize("in_process", [False, True], ids=["grpc", "in-process"])
def test_the_pack_gets_config_names_tags_and_dry_run(pack: Path, in_process: bool) -> None:
    with PolicySession([pack], in_process=in_process, context=CONTEXT) as session:
        run = session.run(SNAPSHOT, today=dt.date(2026, 6, 1))
    assert [v.message for v in run.violations] == [
        "marker seen: True; names: ('proj', 'dev', 'organization'); "
        "tags: [('pulumi:project', 'proj'), ('team', 'data')]; dry run: True"
    ]


def test_in_process_config_does_not_outlive_the_run(pack: Path) -> None:
    import pulumi

    with PolicySession([pack], in_process=True, context=CONTEXT) as session:
        session.run(SNAPSHOT, today=dt.date(2026, 6, 1))
    assert pulumi.Config("proj").get("marker") is None


def test_the_config_is_not_in_the_pack_process_argv_or_environment(pack: Path) -> None:
    with AnalyzerProcess(pack, context=CONTEXT) as process:
        assert process._proc is not None
        pid = process._proc.pid
        environ = Path(f"/proc/{pid}/environ").read_bytes()
        cmdline = Path(f"/proc/{pid}/cmdline").read_bytes()
        variables = dict(v.split(b"=", 1) for v in environ.split(b"\0") if b"=" in v)
    assert MARKER.encode() not in environ + cmdline
    assert b"PULUMI_CONFIG" not in variables
    assert (variables[b"PULUMI_PROJECT"], variables[b"PULUMI_STACK"]) == (b"proj", b"dev")
    assert (variables[b"PULUMI_ORGANIZATION"], variables[b"PULUMI_DRY_RUN"]) == (
        b"organization",
        b"true",
    )
