# ruff: noqa: E501 - tables of the engine's expected output, one row a line
"""pulumi-policy's integration scenarios (tests/integration, Python packs), offline, on both
policy paths: what `integration_test.go` expects the engine to print, printed from bascule's
results as the engine prints its events (engine_display), plus the exact results.

Packs: tests/data/packs/engine/<scenario>; programs: engine_programs.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

import pytest
from engine_display import engine_output
from engine_programs import (
    UNKNOWN,
    Program,
    one_random_string,
    parent_dependencies,
    provider,
    remediation,
    remote_component,
    resource_options,
    runtime_data,
    unknown_values,
    validate_python_resource,
    validate_resource,
    validate_stack,
)
from policy_support import REPO

from bascule.policy.errors import PolicyConfigError, PolicyRunError
from bascule.policy.result import PolicyRun
from bascule.policy.runner import PolicySession
from bascule.policy.stack import StackContext, snapshot_context
from bascule.snapshot.load import load_snapshot

PACKS = REPO / "tests" / "data" / "packs" / "engine"
PATHS = ("grpc", "in-process")
TODAY = dt.date(2026, 6, 1)


def context_for(program: Program, path: Path, config: Mapping[str, str]) -> StackContext:
    return snapshot_context(load_snapshot(path), config)


def scenario_config(program: Program, scenario: int | None, **extra: str) -> dict[str, str]:
    config = {f"{program.project}:{k}": v for k, v in extra.items()}
    if scenario is not None:
        config[f"{program.project}:scenario"] = str(scenario)
    return config


def run(
    tmp_path: Path,
    pack: str,
    program: Program,
    path: str,
    *,
    config: Mapping[str, str] | None = None,
    policy_config: Mapping[str, Any] | None = None,
    preview: bool = False,
) -> PolicyRun:
    """One `pulumi up --policy-pack` scenario: a session on the pack, one run."""
    snap = program.write(tmp_path, "snapshot", preview=preview)
    snapshot = load_snapshot(snap)
    files = []
    if policy_config:
        files.append(tmp_path / "policy-config.json")
        files[0].write_text(json.dumps(policy_config))
    context = snapshot_context(snapshot, config or {})
    with PolicySession([PACKS / pack], in_process=path == "in-process", context=context) as s:
        return s.run(snapshot, config_files=files, today=TODAY)


def expect(run: PolicyRun, program: Program, errors: list[str], advisory: bool = False) -> None:
    """The Go test's check: every expected string in the output, the update failing unless
    the violations are advisory; and no violation at all when none is expected."""
    output = engine_output(run, program.root["urn"])
    for error in errors:
        assert error in output, f"{error!r} not in:\n{output}"
    if not errors:
        assert run.violations == (), output
    assert run.failed == (bool(errors) and not advisory)


def rows(run: PolicyRun) -> list[tuple[str, str, str, str]]:
    return [(v.policy, v.urn.rsplit("::", 1)[-1], v.level, v.message) for v in run.violations]


# -- validate_resource (TestValidateResource) -----------------------------------------------

STATE = "Prohibits setting state to {} on dynamic resources."
VALIDATE_RESOURCE = {  # scenario -> (policy, resource, description, message)
    3: ("dynamic-no-state-with-value-1", "a", STATE.format(1), "'state' must not have the value 1."),
    4: ("dynamic-no-state-with-value-2", "b", STATE.format(2), "'state' must not have the value 2."),
    5: ("dynamic-no-state-with-value-3-or-4", "c", STATE.format("3 or 4"), "'state' must not have the value 3."),
    6: ("dynamic-no-state-with-value-3-or-4", "d", STATE.format("3 or 4"), "'state' must not have the value 4."),
    7: ("randomuuid-no-keepers", "r1", "Prohibits creating a RandomUuid without any 'keepers'.", "RandomUuid must not have an empty 'keepers'."),
    9: ("dynamic-no-state-with-value-5", "e", STATE.format(5), "'state' must not have the value 5."),
}  # fmt: skip


@pytest.fixture(scope="module", params=PATHS)
def resource_session(request: pytest.FixtureRequest) -> Iterator[PolicySession]:
    context = StackContext("validate_resource", "validate_resource-4242")
    in_process = request.param == "in-process"
    with PolicySession([PACKS / "validate_resource"], in_process=in_process, context=context) as s:
        yield s


@pytest.mark.parametrize("scenario", range(1, 12))
def test_validate_resource(resource_session: PolicySession, tmp_path: Path, scenario: int) -> None:
    program = validate_resource(scenario)
    run = resource_session.run(load_snapshot(program.write(tmp_path, "s")), today=TODAY)
    if scenario not in VALIDATE_RESOURCE:
        expect(run, program, [])
        return
    policy, name, description, message = VALIDATE_RESOURCE[scenario]
    type_ = "random:index:RandomUuid" if scenario == 7 else "pulumi-nodejs:dynamic:Resource"
    expect(run, program, [f"[mandatory]  {policy}  ({type_}: {name})", description, message])
    # Scenario 9's policy names "some-urn": the engine reports the analyzed resource.
    assert rows(run) == [(policy, name, "mandatory", message)]
    v = run.violations[0]
    assert (v.description, v.full_message) == (description, f"{description}\n{message}")
    assert (v.pack_name, v.pack_version) == ("validate-resource-test-policy", "0.0.1")


# -- validate_python_resource (TestValidatePythonResource) -----------------------------------


@pytest.mark.parametrize("path", PATHS)
@pytest.mark.parametrize("scenario", [1, 2, 3])
def test_validate_python_resource(tmp_path: Path, path: str, scenario: int) -> None:
    program = validate_python_resource(scenario)
    result = run(tmp_path, "validate_python_resource", program, path)
    if scenario == 3:
        expect(result, program, [])
        return
    expect(
        result,
        program,
        [
            f"[mandatory]  randomuuid-no-keepers  (random:index:RandomUuid: r{scenario})",
            "Prohibits creating a RandomUuid without any 'keepers'.",
            "RandomUuid must not have an empty 'keepers'.",
        ],
    )
    assert rows(result) == [
        ("randomuuid-no-keepers", f"r{scenario}", "mandatory", "RandomUuid must not have an empty 'keepers'.")
    ]  # fmt: skip


# -- validate_stack (TestValidateStack) -----------------------------------------------------

UUID_DESC = "Prohibits creating a RandomUuid without any 'keepers'."
VALIDATE_STACK = {  # scenario -> (policy, description, message, resource or "" for stack-wide)
    3: ("dynamic-no-state-with-value-1", STATE.format(1), "'state' must not have the value 1.", ""),
    4: ("dynamic-no-state-with-value-2", STATE.format(2), "'state' must not have the value 2.", ""),
    5: ("dynamic-no-state-with-value-3", STATE.format(3), "'state' must not have the value 3.", "c"),
    6: ("randomuuid-no-keepers", UUID_DESC, "RandomUuid must not have an empty 'keepers'.", ""),
    7: ("no-randomstrings", "Prohibits RandomString resources.", "RandomString resources are not allowed.", ""),
    10: ("dynamic-no-foo-with-value-bar", "Prohibits setting foo to 'bar' on dynamic resources.", "'foo' must not have the value 'bar'.", ""),
}  # fmt: skip


@pytest.fixture(scope="module", params=PATHS)
def stack_session(request: pytest.FixtureRequest) -> Iterator[PolicySession]:
    context = StackContext("validate_stack", "validate_stack-4242")
    in_process = request.param == "in-process"
    with PolicySession([PACKS / "validate_stack"], in_process=in_process, context=context) as s:
        yield s


@pytest.mark.parametrize("scenario", range(1, 11))
def test_validate_stack(stack_session: PolicySession, tmp_path: Path, scenario: int) -> None:
    program = validate_stack(scenario)
    run = stack_session.run(load_snapshot(program.write(tmp_path, "s")), today=TODAY)
    if scenario not in VALIDATE_STACK:
        expect(run, program, [])
        return
    policy, description, message, name = VALIDATE_STACK[scenario]
    where = "  (pulumi-nodejs:dynamic:Resource: c)" if name else ""
    expect(run, program, [f"[mandatory]  {policy}{where}", description, message])
    assert [(v.policy, v.urn.rsplit("::", 1)[-1] if v.urn else "", v.level) for v in run.violations] == [
        (policy, name, "mandatory")
    ]  # fmt: skip


# -- enforcementlevel (TestEnforcementLevel) -------------------------------------------------

# pack level x policy level (advisory, disabled, mandatory, not set): what is reported.
ENFORCEMENT = {
    1: "advisory", 2: None, 3: "mandatory", 4: "advisory",
    5: "advisory", 6: None, 7: "mandatory", 8: None,
    9: "advisory", 10: None, 11: "mandatory", 12: "mandatory",
    13: "advisory", 14: None, 15: "mandatory", 16: "advisory",
}  # fmt: skip


@pytest.mark.parametrize("path", PATHS)
@pytest.mark.parametrize("scenario", range(1, 17))
def test_enforcement_level(tmp_path: Path, path: str, scenario: int) -> None:
    program = one_random_string("enforcementlevel")
    config = scenario_config(program, scenario)
    result = run(tmp_path, "enforcementlevel", program, path, config=config)
    level = ENFORCEMENT[scenario]
    if level is None:  # and the pack raises if a disabled policy is called
        expect(result, program, [])
        return
    expect(
        result,
        program,
        [
            f"[{level}]  validate-resource  (random:index:RandomString: str)",
            "Always reports a resource violation.",
            "validate-resource-violation-message",
            f"[{level}]  validate-stack",
            "Always reports a stack violation.",
            "validate-stack-violation-message",
        ],
        advisory=level == "advisory",
    )
    # Every resource is analyzed (the root stack and the default provider too).
    assert sorted(rows(result)) == [
        ("validate-resource", "default_4_0_0", level, "validate-resource-violation-message"),
        ("validate-resource", "enforcementlevel-enforcementlevel-4242", level, "validate-resource-violation-message"),
        ("validate-resource", "str", level, "validate-resource-violation-message"),
        ("validate-stack", "", level, "validate-stack-violation-message"),
    ]  # fmt: skip


# -- config (TestConfig) --------------------------------------------------------------------

PREAMBLE = "error: validating policy config: config-policy 0.0.1  "
CONFIG_GIVEN: dict[int, dict[str, Any]] = {
    1: {"foo": "bar"}, 4: {"foo": "overridden"}, 12: {"foo": 1}, 13: {"foo": "blah"},
    14: {"foo": "blah"}, 15: {"foo": "this is too long", "bar": 3.14}, 16: {"foo": 42},
    17: {"foo": 3.14}, 18: {"foo": 42}, 19: {"foo": True}, 20: {"foo": False},
    21: {"foo": {"bar": "baz"}}, 22: {"foo": ["a", "b", "c"]}, 23: {"foo": None},
    25: {"foo": "overridden"},
}  # fmt: skip
CONFIG_ERRORS = {
    6: ["foo is required"],
    7: ["foo: Invalid type. Expected: string, given: integer"],
    8: ["foo: String length must be less than or equal to 3"],
    9: ["foo: String length must be greater than or equal to 50"],
    10: ['foo: foo must be one of the following: "bar", "baz"'],
    11: ['foo: foo does not match: "bar"'],
    12: ["foo: Invalid type. Expected: string, given: integer"],
    13: ['foo: foo must be one of the following: "bar", "baz"'],
    14: ['foo: foo does not match: "bar"'],
    15: [
        "bar: Invalid type. Expected: integer, given: number",
        "foo: String length must be less than or equal to 3",
    ],
}


@pytest.mark.parametrize("path", PATHS)
@pytest.mark.parametrize("scenario", range(1, 26))
def test_config(tmp_path: Path, path: str, scenario: int) -> None:
    program = one_random_string("config")
    given = CONFIG_GIVEN.get(scenario)
    policy_config = (
        {p: given for p in ("resource-validation", "stack-validation")} if given else None
    )
    config = scenario_config(program, scenario)
    if scenario not in CONFIG_ERRORS:
        # The pack asserts the config each policy gets, in Remediate, Analyze, AnalyzeStack.
        expect(
            run(tmp_path, "config", program, path, config=config, policy_config=policy_config),
            program,
            [],
        )
        return
    with pytest.raises(PolicyConfigError) as err:
        run(tmp_path, "config", program, path, config=config, policy_config=policy_config)
    printed = [f"bascule: error: {line}" for line in err.value.lines]  # as the CLI prints them
    # bascule names the file that set a policy before the engine's line (none: the pack's own).
    where = f"{tmp_path / 'policy-config.json'}: " if given else ""
    want = sorted(
        f"error: {where}{PREAMBLE.removeprefix('error: ')}{policy}: {e}"
        for e in CONFIG_ERRORS[scenario]
        for policy in ("resource-validation", "stack-validation")
    )
    assert [line.removeprefix("bascule: ") for line in printed] == want
    assert err.value.exit_code == 2  # fmt: skip


# -- parent_dependencies, provider, resource_options: the packs assert, no violation -------


@pytest.mark.parametrize("path", PATHS)
def test_parent_dependencies(tmp_path: Path, path: str) -> None:
    program = parent_dependencies()
    expect(run(tmp_path, "parent_dependencies", program, path), program, [])


@pytest.mark.parametrize("path", PATHS)
def test_provider(tmp_path: Path, path: str) -> None:
    program = provider()
    expect(run(tmp_path, "provider", program, path), program, [])


@pytest.mark.parametrize("path", PATHS)
@pytest.mark.parametrize("scenario", [1, 2])
def test_resource_options(tmp_path: Path, path: str, scenario: int) -> None:
    program = resource_options()
    config = scenario_config(program, scenario)
    expect(run(tmp_path, "resource_options", program, path, config=config), program, [])


def test_a_pack_that_asserts_fails_the_run(tmp_path: Path) -> None:
    """The packs above do check: options that are not the state's fail the run (exit 3)."""
    program = resource_options()
    protect = next(r for r in program.resources if r["urn"].endswith("::protect"))
    protect.pop("protect")  # no longer protected: the pack expects it protected
    config = scenario_config(program, 1)
    with pytest.raises(PolicyRunError) as err:
        run(tmp_path, "resource_options", program, "grpc", config=config)
    assert "Remediate of " not in err.value.message  # validate-resource is mandatory here
    assert err.value.message.startswith("policy pack resource_options: Analyze of urn:pulumi:")
    assert "::protect failed: " in err.value.message and err.value.exit_code == 3


# -- runtime_data (TestRuntimeData) ---------------------------------------------------------


@pytest.fixture
def test_names(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setenv("PULUMI_TEST_PROJECT", "runtime_data")
    monkeypatch.setenv("PULUMI_TEST_STACK", "runtime_data-4242")
    yield


RUNTIME_CONFIG = {
    "runtime_data:aConfigValue": "this value is a value",
    "aws:region": "us-west-2",
    "runtime_data:scenario": "1",
}


@pytest.mark.usefixtures("test_names")
@pytest.mark.parametrize("path", PATHS)
@pytest.mark.parametrize("preview", [False, True], ids=["export", "preview"])
def test_runtime_data(tmp_path: Path, path: str, preview: bool) -> None:
    # The program recorded isDryRun: true in the preview, false in the update's state.
    program = runtime_data("runtime_data", dry_run=preview)
    result = run(tmp_path, "runtime_data", program, path, config=RUNTIME_CONFIG, preview=preview)
    expect(result, program, [])


@pytest.mark.usefixtures("test_names")
@pytest.mark.parametrize("path", PATHS)
def test_runtime_data_without_the_stack_config_fails(tmp_path: Path, path: str) -> None:
    program = runtime_data("runtime_data", dry_run=False)
    with pytest.raises(PolicyRunError) as err:
        run(tmp_path, "runtime_data", program, path)
    # pulumi's ConfigMissingError (the gRPC path shows its last line, with the key too).
    assert err.value.message.startswith("policy pack runtime_data: Analyze of urn:pulumi:")
    assert "runtime_data:aConfigValue" in err.value.message


@pytest.mark.usefixtures("test_names")
def test_runtime_data_with_pulumi_aws_runs_in_its_own_virtualenv(tmp_path: Path) -> None:
    import importlib.util

    assert importlib.util.find_spec("pulumi_aws") is None  # not in bascule's environment
    program = runtime_data("runtime_data", dry_run=False)
    expect(run(tmp_path, "runtime_data_aws", program, "grpc", config=RUNTIME_CONFIG), program, [])


def test_runtime_data_with_pulumi_aws_is_refused_in_process_saying_why(tmp_path: Path) -> None:
    program = runtime_data("runtime_data", dry_run=False)
    with pytest.raises(PolicyConfigError) as err:
        run(tmp_path, "runtime_data_aws", program, "in-process", config=RUNTIME_CONFIG)
    assert err.value.message == (
        "--in-process cannot run policy pack runtime_data_aws: its requirements.txt needs "
        "pulumi-aws>=7.0.0,<8.0.0 (not installed) in bascule's environment; drop --in-process "
        "to run it in its own virtualenv, as the engine does"
    )


# -- unknown_values (TestUnknownValues), remote_component (TestRemoteComponent) -------------

CANT = "can't run {} '{}' from policy pack '{}@v0.0.1' during preview: {} can't be known during preview"


@pytest.mark.parametrize("path", PATHS)
def test_unknown_values(tmp_path: Path, path: str) -> None:
    program = unknown_values()
    result = run(tmp_path, "unknown_values", program, path, preview=True)
    pack = "unknown-values-policy"
    resource_policy, stack_policy = (
        f"unknown-values-{k}-validation" for k in ("resource", "stack")
    )
    expect(
        result,
        program,
        [
            f"{pack}@v0.0.1",
            f"[advisory]  {resource_policy}  (random:index:RandomPet: pet)",
            CANT.format("policy", resource_policy, pack, "string value at .prefix"),
            f"[advisory]  {stack_policy}",
            CANT.format("policy", stack_policy, pack, "string value at .prefix"),
        ],
        advisory=True,
    )
    # The policy is at the remediate level, so Remediate ran first: pulumi_policy's Remediate
    # wraps the properties in its secrets proxy, which does not check for unknowns, so the
    # remediation read the sentinel (printed, as captured) and reported nothing.
    assert sorted(rows(result)) == [
        (resource_policy, "pet", "advisory", CANT.format("policy", resource_policy, pack, "string value at .prefix")),
        (stack_policy, "", "advisory", CANT.format("policy", stack_policy, pack, "string value at .prefix")),
    ]  # fmt: skip


@pytest.mark.parametrize("path", PATHS)
def test_remote_component(tmp_path: Path, path: str) -> None:
    program = remote_component()
    result = run(tmp_path, "remote_component", program, path, preview=True)
    pack = "remote-component-policy"
    message = CANT.format("policy", "resource-validation", pack, "string value at .keepers.hi")
    expect(
        result,
        program,
        [
            f"{pack}@v0.0.1",
            "[advisory]  resource-validation  (random:index:RandomString: innerRandom)",
            message,
        ],
        advisory=True,
    )
    assert rows(result) == [("resource-validation", "innerRandom", "advisory", message)]


# -- remediation ----------------------------------------------------------------------------


@pytest.mark.parametrize("path", PATHS)
def test_remediations_apply_in_order_then_validation_sees_the_result(
    tmp_path: Path, path: str
) -> None:
    program = remediation()
    result = run(tmp_path, "remediation", program, path)
    assert result.violations == ()  # keepers-validated saw the remediated keepers
    assert [(r.policy, r.urn.rsplit("::", 1)[-1], r.changes()) for r in result.remediations] == [
        ("add-keepers", "bare", {"keepers": (None, {"owner": "policy"})}),
        ("tag-keepers", "bare", {"keepers": ({"owner": "policy"}, {"owner": "policy", "tagged": "yes"})}),
        ("tag-keepers", "kept", {"keepers": ({"team": "data"}, {"team": "data", "tagged": "yes"})}),
    ]  # fmt: skip
    assert result.remediations[0].to_dict()["changes"] == {
        "keepers": {"before": None, "after": {"owner": "policy"}}
    }
    engine = engine_output(result, program.root["urn"])
    assert (
        "    remediation-test-policy@v0.0.1 [remediate]  add-keepers  (random:index:RandomUuid: bare)"
        in engine
    )
    from bascule.report.text import render_text

    text = render_text(result)
    assert (
        "Remediations (what the engine would change before analysing):\n"
        f"  - [remediate] add-keepers {program.resources[-3]['urn']}\n"
        '      keepers: (absent) -> {"owner": "policy"}\n'
    ) in text
    # Remediation-only policies are "not applicable" to Analyze, as the SDK answers.
    assert ("add-keepers", program.resources[-3]["urn"], "Policy does not implement validate") in result.not_applicable  # fmt: skip


@pytest.mark.parametrize("path", PATHS)
def test_without_remediation_the_policy_fails(tmp_path: Path, path: str) -> None:
    program = remediation()
    off = {"add-keepers": "disabled", "tag-keepers": "advisory"}
    result = run(tmp_path, "remediation", program, path, policy_config=off)
    assert result.remediations == ()
    assert rows(result) == [
        ("keepers-validated", "bare", "mandatory", "keepers are not tagged: {}"),
        ("keepers-validated", "kept", "mandatory", "keepers are not tagged: {'team': 'data'}"),
    ]
    assert UNKNOWN not in engine_output(result, program.root["urn"])
