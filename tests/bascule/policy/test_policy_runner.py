"""The sample pack through the real analyzer gRPC protocol (`python -m pulumi.policy`)."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from policy_support import SAMPLE_PACK

from bascule.policy.analyzer import AnalyzerProcess
from bascule.policy.errors import PolicyConfigError, PolicyRunError
from bascule.policy.runner import PolicySession, run_policies
from bascule.policy.wire import encode_value
from bascule.snapshot.model import UNKNOWN, Resource, SecretValue, Snapshot

TODAY = dt.date(2026, 6, 1)
U = "urn:pulumi:dev::proj::"
STACK = U + "pulumi:pulumi:Stack::proj-dev"
PROV = U + "pulumi:providers:azure-native::az"
RG = U + "azure-native:resources:ResourceGroup::rg"
VM = U + "azure-native:compute:VirtualMachine::vm"
VM2 = U + "azure-native:compute:VirtualMachine::vm2"
BAD = U + "test:index:Forbidden::bad"
APP = U + "test:index:App::app"
PENDING = U + "azure-native:storage:StorageAccount::pending"

L001 = "tst-001-location-allowed"
L002 = "tst-002-no-forbidden-dependency"
L003 = "tst-003-password-secret"


def snapshot() -> Snapshot:
    prov_ref = PROV + "::prov-id"
    return Snapshot(
        resources=(
            Resource(STACK, "pulumi:pulumi:Stack", custom=False),
            Resource(
                PROV,
                "pulumi:providers:azure-native",
                True,
                "prov-id",
                inputs={"location": "eastus"},
                parent=STACK,
            ),
            Resource(
                RG,
                "azure-native:resources:ResourceGroup",
                True,
                "rg",
                inputs={"location": "westeurope"},
                parent=STACK,
                provider=prov_ref,
            ),
            Resource(
                VM,
                "azure-native:compute:VirtualMachine",
                True,
                "vm",
                inputs={"location": "francecentral", "adminPassword": SecretValue("c")},
                parent=STACK,
                dependencies=(RG,),
            ),
            Resource(
                VM2,
                "azure-native:compute:VirtualMachine",
                True,
                "vm2",
                inputs={"location": "francecentral", "adminPassword": "hunter2"},
                parent=STACK,
            ),
            Resource(BAD, "test:index:Forbidden", True, "bad", parent=STACK),
            Resource(
                APP,
                "test:index:App",
                False,
                None,
                inputs={"n": 1},
                outputs={"n": 2},
                parent=STACK,
                dependencies=(BAD,),
                property_dependencies={"n": (BAD,)},
            ),
            Resource(
                PENDING,
                "azure-native:storage:StorageAccount",
                True,
                None,
                inputs={"location": UNKNOWN},
                parent=STACK,
            ),
        ),
        source="snap.json",
        kind="synth",
        project="proj",
        stack="dev",
    )


@pytest.fixture(scope="session")
def session() -> Iterator[PolicySession]:
    with PolicySession([SAMPLE_PACK], project="proj", stack="dev") as s:
        yield s


def write(tmp_path: Path, doc: Any, name: str = "cfg.json") -> Path:
    path = tmp_path / name
    path.write_text(json.dumps(doc))
    return path


def rows(run: Any) -> list[tuple[str, str, str, str]]:
    return [(v.policy, v.urn, v.level, v.message) for v in run.violations]


def test_default_run_exact(session: PolicySession) -> None:
    run = session.run(snapshot(), today=TODAY)
    # The unknown (preview) location of PENDING reaches the rule as Pulumi's sentinel, not as
    # CrossGuard's "can't run during preview" advisory: the rule decides, and stays silent.
    assert rows(run) == [
        (L001, RG, "mandatory", "location 'westeurope' is not allowed"),
        (L001, RG, "mandatory", "provider az is in eastus"),
        (L001, PROV, "mandatory", "location 'eastus' is not allowed"),
        (L002, APP, "mandatory", "depends on forbidden bad"),
        (L003, VM2, "advisory", "adminPassword is not a secret"),
    ]
    v = next(v for v in run.violations if v.urn == RG)
    assert v.full_message == "Azure resources are in an allowed location.\n" + v.message
    assert (v.rule_id, v.severity, v.pack, v.resource_type) == (
        "TST-001",
        "critical",
        "sample",
        "azure-native:resources:ResourceGroup",
    )
    assert run.resources_analyzed == 8
    assert [i.policy for i in run.rules_info] == [L001, L002, L003]
    info = run.rules_info[1]
    assert (info.kind, info.level, info.severity, info.secnumcloud, info.rule_id) == (
        "stack",
        "mandatory",
        "high",
        ("9.7", "19.6"),
        "TST-002",
    )
    assert run.suppressed == () and run.suppressions == ()


def test_enforcement_override_and_params(session: PolicySession, tmp_path: Path) -> None:
    cfg = write(
        tmp_path,
        {
            "all": "advisory",
            L003: "mandatory",
            L002: {"maxResources": 3},
            L001: {"enforcementLevel": "disabled"},
        },
    )
    run = session.run(snapshot(), config_files=[cfg], today=TODAY)
    assert rows(run) == [
        (L002, "", "advisory", "8 resources exceed 3"),
        (L002, APP, "advisory", "depends on forbidden bad"),
        (L003, VM2, "mandatory", "adminPassword is not a secret"),
    ]
    assert [i.level for i in run.rules_info] == ["disabled", "advisory", "mandatory"]


def test_suppressions_applied_by_runner(session: PolicySession, tmp_path: Path) -> None:
    cfg = write(
        tmp_path,
        {
            L001: {
                "allowed": ["francecentral", "eastus"],
                "suppressions": [
                    {"urn": RG, "reason": "moved in wave 2", "expires": "2026-06-01"},
                    {"urn": VM, "reason": "nothing to suppress", "expires": "2027-01-01"},
                ],
            },
            L003: {"suppressions": [{"urn": VM2, "reason": "old", "expires": "2026-05-31"}]},
        },
    )
    run = session.run(snapshot(), config_files=[cfg], today=TODAY)
    assert rows(run) == [
        (L002, APP, "mandatory", "depends on forbidden bad"),
        (L003, VM2, "advisory", "adminPassword is not a secret"),
    ]
    assert [
        (s.violation.urn, s.violation.message, s.suppression.reason) for s in run.suppressed
    ] == [
        (RG, "location 'westeurope' is not allowed", "moved in wave 2"),
        (RG, "provider az is in eastus", "moved in wave 2"),
    ]
    assert [(s.suppression.urn, s.status) for s in run.suppressions] == [
        (VM, "unused"),
        (RG, "active"),
        (VM2, "expired"),
    ]


def test_unknown_policy_is_an_error(session: PolicySession, tmp_path: Path) -> None:
    cfg = write(tmp_path, {"tst-999-nope": "mandatory"})
    with pytest.raises(PolicyConfigError) as err:
        session.run(snapshot(), config_files=[cfg])
    assert err.value.message == f"{cfg}: unknown policy 'tst-999-nope' (not in packs sample)"
    assert err.value.exit_code == 2


def test_known_catalog_policy_of_another_pack_is_accepted(
    session: PolicySession, tmp_path: Path
) -> None:
    # One shared config file for all packs: keys of packs not running here are not errors.
    cfg = write(tmp_path, {"sov-001-azure-location-allowed": "advisory"})
    run = session.run(snapshot(), config_files=[cfg], today=TODAY)
    assert rows(run) == rows(session.run(snapshot(), today=TODAY))


ENGINE = "validating policy config: bascule-sample 0.1.0  "


@pytest.mark.parametrize(
    ("doc", "lines"),
    [
        (
            {L002: {"maxResources": "abc"}},
            [f"{L002}: maxResources: Invalid type. Expected: integer, given: string"],
        ),
        (
            {L002: {"maxResources": 0}},
            [f"{L002}: maxResources: Must be greater than or equal to 1"],
        ),
        (
            {L001: {"allowed": ["a", 3]}, L002: {"maxResources": 2.5}},
            [
                f"{L001}: allowed.1: Invalid type. Expected: string, given: integer",
                f"{L002}: maxResources: Invalid type. Expected: integer, given: number",
            ],
        ),
        (
            {L001: {"suppressions": [{"urn": RG, "reason": "", "expires": "2026-01-01"}]}},
            [f"{L001}: suppressions.0.reason: String length must be greater than or equal to 1"],
        ),
    ],
)
def test_bad_config_gets_every_engine_error(
    session: PolicySession, tmp_path: Path, doc: Any, lines: list[str]
) -> None:
    cfg = write(tmp_path, doc)
    with pytest.raises(PolicyConfigError) as err:
        session.run(snapshot(), config_files=[cfg])
    assert err.value.lines == tuple(f"{cfg}: {ENGINE}{line}" for line in lines)
    assert err.value.exit_code == 2


def test_each_engine_error_names_the_file_that_set_its_policy(
    session: PolicySession, tmp_path: Path
) -> None:
    # Files merge policy by policy: a later file's entry replaces an earlier one's whole.
    first = write(tmp_path, {L001: {"allowed": [3]}, L002: {"maxResources": 0}}, "first.json")
    second = write(tmp_path, {L002: {"maxResources": "abc"}}, "second.json")
    with pytest.raises(PolicyConfigError) as err:
        session.run(snapshot(), config_files=[first, second])
    assert err.value.lines == (
        f"{first}: {ENGINE}{L001}: allowed.0: Invalid type. Expected: string, given: integer",
        f"{second}: {ENGINE}{L002}: maxResources: Invalid type. Expected: integer, given: string",
    )


@pytest.mark.parametrize(
    ("doc", "message"),
    [
        ({L001: {"nope": 1}}, f"{L001}: unknown property 'nope' (known: allowed, suppressions)"),
        ({L001: "strict"}, f"{L001}: enforcement level 'strict' is not one of"),
        (
            {L001: {"suppressions": [{"urn": RG, "reason": "x", "expires": "2026-02-30"}]}},
            f"{L001}: suppressions[0] ({RG}) has a bad expires '2026-02-30'",
        ),
    ],
)
def test_bascule_checks_name_the_file(
    session: PolicySession, tmp_path: Path, doc: Any, message: str
) -> None:
    cfg = write(tmp_path, doc)
    with pytest.raises(PolicyConfigError) as err:
        session.run(snapshot(), config_files=[cfg])
    assert err.value.message.startswith(f"{cfg}: {message}")
    assert "\n" not in err.value.message and err.value.lines == ()


def test_bad_json_config(tmp_path: Path) -> None:
    cfg = tmp_path / "bad.json"
    cfg.write_text("{nope")
    with pytest.raises(PolicyConfigError, match=r"bad\.json: invalid JSON at line 1 column 2"):
        run_policies(snapshot(), packs=[SAMPLE_PACK], config_files=[cfg])


def test_run_policies_one_shot_and_multiple_files(tmp_path: Path) -> None:
    a = write(tmp_path, {L003: "mandatory"}, "a.json")
    b = write(tmp_path, {"all": "advisory"}, "b.json")
    run = run_policies(snapshot(), packs=[SAMPLE_PACK], config_files=[a, b], today=TODAY)
    assert {(v.policy, v.level) for v in run.violations} == {
        (L001, "advisory"),
        (L002, "advisory"),
        (L003, "mandatory"),
    }


def test_encode_value() -> None:
    assert encode_value({"a": SecretValue("x"), "b": [1, UNKNOWN, None, True], "c": (2,)}) == {
        "a": {
            "4dabf18193072939515e22adb298388d": "1b47061264138c4ac30d75fd1eb44270",
            "value": "[secret]",
        },
        "b": [1.0, UNKNOWN, None, True],
        "c": [2.0],
    }


def test_dead_pack_is_a_one_line_error(tmp_path: Path) -> None:
    pack = tmp_path / "broken"
    pack.mkdir()
    (pack / "__main__.py").write_text("raise SystemExit('boom: cannot load rules')\n")
    with pytest.raises(PolicyRunError) as err, AnalyzerProcess(pack, startup_timeout=30):
        pass
    assert err.value.message.startswith("policy pack broken: analyzer did not start")
    assert "\n" not in err.value.message
    assert err.value.exit_code == 3


def test_silent_pack_times_out(tmp_path: Path) -> None:
    pack = tmp_path / "silent"
    pack.mkdir()
    (pack / "__main__.py").write_text("import time\ntime.sleep(60)\n")
    process = AnalyzerProcess(pack, startup_timeout=1)
    with pytest.raises(PolicyRunError, match="no port printed within 1s"), process:
        pass
    assert process._proc is not None and process._proc.poll() is not None


def test_crashing_rule_fails_closed_in_process(monkeypatch: pytest.MonkeyPatch) -> None:
    from pulumi_policy import EnforcementLevel, ResourceValidationPolicy

    import bascule.policy.crossguard as crossguard

    def explode(args: Any, report: Any) -> None:
        raise ValueError("boom")

    crashing = ResourceValidationPolicy(
        name="tst-999-crash", description="crashes", validate=explode,
        enforcement_level=EnforcementLevel.MANDATORY,
    )  # fmt: skip
    monkeypatch.setattr(crossguard, "policies_for_pack", lambda pack: [crashing])
    with (
        PolicySession(["protection"], in_process=True) as local,
        pytest.raises(PolicyRunError) as err,
    ):
        local.run(snapshot(), today=TODAY)
    assert err.value.exit_code == 3
    assert err.value.message.startswith("policy pack protection: Analyze of urn:pulumi:")
    assert err.value.message.endswith("failed: ValueError: boom")


def test_crashing_rule_fails_closed_over_grpc(tmp_path: Path) -> None:
    pack = tmp_path / "crashpack"
    pack.mkdir()
    (pack / "PulumiPolicy.yaml").write_text("runtime: python\nversion: 0.1.0\n")
    (pack / "__main__.py").write_text(
        "from pulumi_policy import EnforcementLevel, PolicyPack, ResourceValidationPolicy\n"
        "def explode(args, report):\n"
        "    raise ValueError('boom')\n"
        "PolicyPack(name='crash', enforcement_level=EnforcementLevel.MANDATORY, policies=[\n"
        "    ResourceValidationPolicy(name='tst-999-crash', description='c', validate=explode)])\n"
    )
    with pytest.raises(PolicyRunError) as err:
        run_policies(snapshot(), packs=[pack], today=TODAY)
    assert err.value.exit_code == 3
    assert err.value.message.startswith("policy pack crashpack: Analyze of urn:pulumi:")
    assert err.value.message.endswith("boom")


def test_requests_are_the_engine_messages_serialized_once(prod_snapshot: Snapshot) -> None:
    from pulumi.runtime.proto import analyzer_pb2

    from bascule.policy.runner import build_requests

    for snap in (snapshot(), prod_snapshot):
        requests = build_requests(snap)
        assert requests.urns == tuple(r.urn for r in snap.resources)
        decoded = [analyzer_pb2.AnalyzeRequest.FromString(b) for b in requests.analyze]
        assert [d.urn for d in decoded] == list(requests.urns)
        stack = analyzer_pb2.AnalyzeStackRequest.FromString(requests.stack)
        assert [r.urn for r in stack.resources] == list(requests.urns)
    app = analyzer_pb2.AnalyzeStackRequest.FromString(build_requests(snapshot()).stack).resources[6]
    assert (app.urn, list(app.dependencies), list(app.propertyDependencies["n"].urns)) == (
        APP,
        [BAD],
        [BAD],
    )
    assert json.loads(json.dumps(dict(app.properties))) == {"n": 2}


@pytest.mark.parametrize("name_length", [1, 200, 20_000])
def test_a_stack_request_joined_from_resource_bytes_is_the_sdk_encoding(name_length: int) -> None:
    from pulumi.runtime.proto import analyzer_pb2

    from bascule.policy.runner import _STACK_RESOURCES_FIELD, _repeated_field_entry

    resources = [
        analyzer_pb2.AnalyzerResource(type="t:m:R", urn=f"{U}t:m:R::{i}", name="n" * name_length)
        for i in range(3)
    ]
    joined = b"".join(
        _repeated_field_entry(_STACK_RESOURCES_FIELD, r.SerializeToString()) for r in resources
    )
    assert joined == analyzer_pb2.AnalyzeStackRequest(resources=resources).SerializeToString()
