"""Property-based tests (hypothesis, bounded so CI stays fast): random config either
validates or names a key; random snapshots never crash the loader, the packs or parity;
policy results do not depend on resource order."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bascule.errors import BadInputError
from bascule.parity.diff import parity
from bascule.policy.runner import DEFAULT_PACKS, PolicySession
from bascule.snapshot.load import load_snapshot, parse_snapshot
from bascule.snapshot.model import Snapshot
from components.config.errors import StackConfigError
from components.config.load import parse_stack_config

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / "tests" / "data"
BOUNDED = settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)

json_values = st.recursive(
    st.none() | st.booleans() | st.integers(-(10**6), 10**6) | st.text(max_size=20),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=10), children, max_size=4)
    ),
    max_leaves=12,
)


def dev_values() -> dict[str, Any]:
    raw = yaml.safe_load((ROOT / "Pulumi.dev.yaml").read_text())["config"]
    return {
        k.split(":", 1)[1]: json.dumps(v) if not isinstance(v, str) else v
        for k, v in raw.items()
        if k.startswith("bascule:")
    }


@BOUNDED
@given(key=st.sampled_from(sorted(dev_values())), value=json_values, as_json=st.booleans())
def test_random_config_validates_or_names_a_key(key: str, value: Any, as_json: bool) -> None:
    values = dev_values()
    values[key] = json.dumps(value) if as_json else str(value)
    try:
        parse_stack_config(values)
    except StackConfigError as err:
        message = str(err)
        assert message.startswith("bascule:"), message
        assert "\n" not in message


@BOUNDED
@given(
    path=st.sampled_from(["zones", "datasets", "keys", "enclaveFleets", "waves", "gateway"]),
    index=st.integers(0, 3),
    field=st.sampled_from(["name", "zone", "wave", "azureCidr", "size", "count", "key", "x"]),
    value=json_values,
)
def test_random_nested_field_validates_or_names_a_key(
    path: str, index: int, field: str, value: Any
) -> None:
    values = dev_values()
    section = json.loads(values[path])
    target = section[index % len(section)] if isinstance(section, list) else section
    target[field] = value
    values[path] = json.dumps(section)
    try:
        parse_stack_config(values)
    except StackConfigError as err:
        assert str(err).startswith(f"bascule:{path}"), str(err)


resource_strategy = st.fixed_dictionaries(
    {
        "urn": st.one_of(
            st.text(max_size=30),
            st.builds(
                lambda t, n: f"urn:pulumi:dev::bascule::{t}::{n}",
                st.sampled_from(
                    [
                        "azure-native:storage:StorageAccount",
                        "openstack:networking/secGroupRule:SecGroupRule",
                        "openstack:objectstorage/container:Container",
                        "pulumi:providers:openstack",
                        "bascule:target:Enclave",
                    ]
                ),
                st.text("abcdef-", min_size=1, max_size=8),
            ),
        ),
        "type": st.text(max_size=40),
        "custom": json_values,
        "inputs": json_values,
        "outputs": json_values,
        "parent": json_values,
        "provider": json_values,
    }
)


@pytest.fixture(scope="module")
def session() -> Iterator[PolicySession]:
    with PolicySession(DEFAULT_PACKS, project="bascule", stack="dev", in_process=True) as s:
        yield s


@BOUNDED
@given(resources=st.lists(resource_strategy, max_size=6))
def test_random_snapshots_never_crash(session: PolicySession, resources: list[Any]) -> None:
    document = {"version": 3, "deployment": {"resources": resources}}
    try:
        snapshot = parse_snapshot(document, "random.json")
    except BadInputError as err:
        assert err.message.startswith("random.json") and "\n" not in err.message
        return
    run = session.run(snapshot)
    assert run.resources_analyzed == len(snapshot.resources)
    parity(snapshot, snapshot)


@pytest.fixture(scope="module")
def misconfigured() -> Snapshot:
    return load_snapshot(DATA / "checkov" / "misconfigured.json")


@settings(max_examples=8, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])  # fmt: skip
@given(seed=st.randoms(use_true_random=False))
def test_results_do_not_depend_on_resource_order(
    session: PolicySession, misconfigured: Snapshot, seed: Any
) -> None:
    shuffled = list(misconfigured.resources)
    seed.shuffle(shuffled)
    baseline = session.run(misconfigured)
    reordered = session.run(
        Snapshot(tuple(shuffled), misconfigured.source, misconfigured.kind, "bascule", "dev")
    )
    assert reordered.violations == baseline.violations
    assert len(baseline.violations) >= 5
    assert (
        parity(misconfigured, misconfigured).gaps
        == parity(
            Snapshot(tuple(shuffled), "s", "synth"), Snapshot(tuple(shuffled), "s", "synth")
        ).gaps
    )
