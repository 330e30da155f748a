"""A program on default providers: synth registers them as the engine does, from the stack
file, so residency rules see `azure-native:location`; the bundled stacks stay explicit."""

from __future__ import annotations

from pathlib import Path

import pytest

from bascule.errors import BadInputError
from bascule.policy.runner import run_policies
from bascule.snapshot.model import SecretValue, Snapshot
from bascule.synth import synthesize

DEFAULTS = Path(__file__).resolve().parents[2] / "data" / "programs" / "defaults"
D = "urn:pulumi:dev::defaults::"
AZURE = D + "pulumi:providers:azure-native::default_3_29_0"
OPENSTACK = D + "pulumi:providers:openstack::default_5_5_3"


@pytest.fixture(scope="module")
def defaults() -> Snapshot:
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("PULUMI_CONFIG_PASSPHRASE", "bascule-test-passphrase")
        return synthesize(DEFAULTS, "dev")


def test_default_providers_from_the_stack_config(defaults: Snapshot) -> None:
    by_urn = defaults.by_urn()
    azure, openstack = by_urn[AZURE], by_urn[OPENSTACK]
    assert (azure.type, azure.custom, azure.parent, azure.id) == (
        "pulumi:providers:azure-native",
        True,
        None,
        "default_3_29_0-id",
    )
    assert azure.inputs == {
        "location": "westus",
        "subscriptionId": "00000000-0000-4000-8000-000000000001",
        "version": "3.29.0",
    }
    assert openstack.inputs == {
        "authUrl": "https://auth.eu-west-sbg-snc.cloud.snc.ovh.net/v3",
        "password": SecretValue(),
        "region": "eu-west-sbg-snc",
        "version": "5.5.3",
    }
    users = {r.name: r.provider for r in defaults if r.custom and not r.is_provider}
    assert users == {
        "rg": f"{AZURE}::default_3_29_0-id",
        "store": f"{AZURE}::default_3_29_0-id",
        "net": f"{OPENSTACK}::default_5_5_3-id",
    }
    assert [r.urn for r in defaults if r.is_provider] == [AZURE, OPENSTACK]


def test_policy_flags_the_default_provider_location(defaults: Snapshot) -> None:
    run = run_policies(defaults, in_process=True)
    sov = [(v.rule_id, v.urn, v.message) for v in run.violations if v.rule_id.startswith("SOV")]
    assert sov == [
        (
            "SOV-001",
            AZURE,
            "provider location 'westus' is not in the allowed locations "
            "[francecentral, francesouth]",
        ),
        # azure-native resources outside bascule's Azure source estate (issue 15's SOV-004).
        (
            "SOV-004",
            "urn:pulumi:dev::defaults::azure-native:resources:ResourceGroup::rg",
            "resource type 'azure-native:resources:ResourceGroup' comes from the forbidden "
            "package 'azure-native' outside the Azure source estate",
        ),
        (
            "SOV-004",
            "urn:pulumi:dev::defaults::azure-native:storage:StorageAccount::store",
            "resource type 'azure-native:storage:StorageAccount' comes from the forbidden "
            "package 'azure-native' outside the Azure source estate",
        ),
    ]


def test_parallel_synth_gives_the_same_default_providers(defaults: Snapshot) -> None:
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("PULUMI_CONFIG_PASSPHRASE", "bascule-test-passphrase")
        parallel = synthesize(DEFAULTS, "dev", parallel=True)
    assert parallel.resources == defaults.resources


def test_disabled_default_providers_fail_as_the_engine_does() -> None:
    with pytest.raises(BadInputError) as info:
        synthesize(DEFAULTS, "nodefaults")
    assert info.value.message == (
        "Pulumi.nodefaults.yaml: pulumi:disable-default-providers: Default provider for "
        "'azure-native' disabled. 'azure-native:authorization:getClientConfig' must use an "
        "explicit provider."
    )


def test_the_bundled_stacks_use_no_default_provider(prod_snapshot: Snapshot) -> None:
    defaults = [r.urn for r in prod_snapshot if r.is_provider and "::default" in r.urn]
    assert defaults == []
    assert all(r.provider for r in prod_snapshot if r.custom and not r.is_provider)
