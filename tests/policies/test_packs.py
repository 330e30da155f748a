"""The three real packs (`policies/*`) through the analyzer gRPC protocol."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from bascule.policy.runner import DEFAULT_PACKS, PolicySession
from bascule.rules.base import PACKS, ProviderView, ResourceView, StackResource
from bascule.rules.catalog import ALL_RULES, rules_for_pack
from bascule.snapshot.model import Resource, Snapshot

REPO = Path(__file__).resolve().parents[2]
TODAY = dt.date(2026, 6, 1)
U = "urn:pulumi:dev::estate::"
STACK = U + "pulumi:pulumi:Stack::estate-dev"
PROV = U + "pulumi:providers:azure-native::az"
ACCT = U + "azure-native:storage:StorageAccount::raw"
RG = U + "azure-native:resources:ResourceGroup::rg"
OS_PROV = U + "pulumi:providers:openstack::snc"
TAGS = {"project": "estate", "classification": "c2", "wave": "1"}


def snapshot() -> Snapshot:
    account = {
        "location": "westeurope",
        "resourceGroupName": "rg",
        "accountName": "raw",
        "tags": TAGS | {"migration-state": "cutover"},
    }
    return Snapshot(
        resources=(
            Resource(STACK, "pulumi:pulumi:Stack", custom=False),
            Resource(
                PROV,
                "pulumi:providers:azure-native",
                True,
                "p1",
                inputs={"location": "francecentral"},
                parent=STACK,
            ),
            Resource(
                OS_PROV,
                "pulumi:providers:openstack",
                True,
                "p2",
                inputs={"region": "EU-WEST-PAR"},
                parent=STACK,
            ),
            Resource(
                RG,
                "azure-native:resources:ResourceGroup",
                True,
                "rg",
                inputs={"location": "francecentral", "resourceGroupName": "rg", "tags": TAGS},
                parent=STACK,
                provider=PROV + "::p1",
            ),
            Resource(
                ACCT,
                "azure-native:storage:StorageAccount",
                True,
                "raw",
                inputs=account,
                outputs=account | {"id": "/subscriptions/s/raw"},
                parent=STACK,
                provider=PROV + "::p1",
                dependencies=(RG,),
            ),
        ),
        source="estate.json",
        kind="synth",
        project="estate",
        stack="dev",
    )


def direct(snap: Snapshot) -> list[tuple[str, str, str, str]]:
    """What the rules say when called directly: the oracle for the gRPC path."""
    by_urn = snap.by_urn()

    def provider(r: Resource) -> ProviderView | None:
        prov = by_urn.get(r.provider_urn or "")
        if prov is None:
            return None
        return ProviderView(prov.type, prov.inputs, prov.urn, prov.name)

    found = []
    for rule in ALL_RULES:
        level = str(rule.enforcement)
        if rule.kind == "resource":
            for r in snap.resources:
                view = ResourceView(r.type, r.inputs, r.urn, r.name, provider(r))
                found += [(rule.policy_name, r.urn, level, m) for m in rule.check_resource(view)]
        else:
            views = [
                StackResource(
                    r.type,
                    r.outputs or r.inputs,
                    r.urn,
                    r.name,
                    r.parent,
                    r.dependencies,
                    provider(r),
                )
                for r in snap.resources
            ]
            found += [
                (rule.policy_name, f.urn or "", level, f.message) for f in rule.check_stack(views)
            ]
    return sorted(found)


@pytest.fixture(scope="session")
def session() -> Iterator[PolicySession]:
    with PolicySession(DEFAULT_PACKS, project="estate", stack="dev") as s:
        yield s


def test_pack_files() -> None:
    # One pack directory per pack of the one pack list, each with the same generic __main__.
    assert DEFAULT_PACKS == PACKS
    pack_dirs = {p.parent.name for p in (REPO / "policies").glob("*/PulumiPolicy.yaml")}
    assert pack_dirs == set(PACKS)
    mains = {(REPO / "policies" / pack / "__main__.py").read_text() for pack in PACKS}
    assert len(mains) == 1
    main = mains.pop()
    assert 'name=f"bascule-{PACK}"' in main and "policies_for_pack(PACK)" in main
    for pack in PACKS:
        root = REPO / "policies" / pack
        yaml = (root / "PulumiPolicy.yaml").read_text()
        assert "runtime:\n  name: python\n" in yaml
        assert "toolchain: pip" in yaml and "virtualenv: venv" in yaml
        assert "version: 0.1.0" in yaml
        assert "pulumi-policy==1.21.0" in (root / "requirements.txt").read_text()


def test_analyzer_info_lists_every_rule(session: PolicySession) -> None:
    for pack in DEFAULT_PACKS:
        infos = session.infos[pack]
        assert [i.policy for i in infos] == [r.policy_name for r in rules_for_pack(pack)]
        for info, rule in zip(infos, rules_for_pack(pack), strict=True):
            assert info.rule_id == rule.id
            assert info.level == str(rule.enforcement)
            assert info.severity == str(rule.severity)
            assert info.secnumcloud == rule.secnumcloud
            assert info.hds == rule.hds
            assert info.remediation == rule.remediation
            assert info.kind == rule.kind
            assert set(info.config_schema["properties"]) == {*rule.params, "suppressions"}


def test_one_rule_per_pack_exact(session: PolicySession) -> None:
    run = session.run(snapshot(), today=TODAY)
    got = [(v.policy, v.urn, v.level, v.message) for v in run.violations]
    assert (
        "sov-001-azure-location-allowed",
        ACCT,
        "mandatory",
        "location 'westeurope' is not in the allowed locations [francecentral, francesouth]",
    ) in got
    assert (
        "mig-001-source-read-only-after-cutover",
        ACCT,
        "mandatory",
        "storage account 'raw' (wave 1) is cut over but has no ReadOnly management lock",
    ) in got
    assert not any(p == "prt-012-required-tags" for p, *_ in got)
    # The whole set is what the rules say when called directly, through the real protocol.
    assert sorted(got) == direct(snapshot())
    packs = {v.pack for v in run.violations}
    assert {"sovereignty", "migration"} <= packs


def test_protection_pack(session: PolicySession) -> None:
    snap = snapshot()
    untagged = Resource(
        U + "azure-native:resources:ResourceGroup::bare",
        "azure-native:resources:ResourceGroup",
        True,
        "bare",
        inputs={"location": "francecentral"},
        parent=STACK,
    )
    snap = Snapshot((*snap.resources, untagged), "estate.json", "synth", "estate", "dev")
    run = session.run(snap, today=TODAY)
    assert [
        (v.urn, v.level, v.message) for v in run.violations if v.policy == "prt-012-required-tags"
    ] == [(untagged.urn, "mandatory", "missing required tags [project, classification, wave]")]
    assert sorted((v.policy, v.urn, v.level, v.message) for v in run.violations) == direct(snap)


def test_config_routed_to_owning_pack(session: PolicySession, tmp_path: Path) -> None:
    cfg = tmp_path / "policy.json"
    cfg.write_text(
        json.dumps(
            {
                "sov-001-azure-location-allowed": {
                    "allowedLocations": ["westeurope", "francecentral"]
                },
                "mig-001-source-read-only-after-cutover": "advisory",
                "prt-012-required-tags": {"suppressions": []},
            }
        )
    )
    run = session.run(snapshot(), config_files=[cfg], today=TODAY)
    policies = {(v.policy, v.level) for v in run.violations}
    assert ("mig-001-source-read-only-after-cutover", "advisory") in policies
    assert not any(p == "sov-001-azure-location-allowed" for p, _ in policies)


def test_many_resources_concurrent_analyze_matches_direct_calls(session: PolicySession) -> None:
    kinds = (
        "azure-native:storage:StorageAccount",
        "azure-native:resources:ResourceGroup",
        "azure-native:keyvault:Vault",
    )
    extra = []
    for i in range(300):
        kind = kinds[i % 3]
        props = {
            "location": "francecentral" if i % 7 else "westeurope",
            "tags": TAGS if i % 5 else {"project": "estate"},
            "resourceGroupName": "rg",
        }
        extra.append(
            Resource(
                f"{U}{kind}::r{i}",
                kind,
                True,
                f"id{i}",
                inputs=props,
                parent=STACK,
                provider=PROV + "::p1",
            )
        )
    base = snapshot()
    snap = Snapshot((*base.resources, *extra), "estate.json", "synth", "estate", "dev")
    for window in (1, 64):
        run = session.run(snap, today=TODAY, window=window)
        assert sorted((v.policy, v.urn, v.level, v.message) for v in run.violations) == direct(snap)
        assert run.resources_analyzed == len(snap.resources)


def test_example_policy_config_is_valid_for_the_real_packs(session: PolicySession) -> None:
    example = REPO / "policies" / "config" / "example.json"
    run = session.run(snapshot(), config_files=[example], today=TODAY)
    levels = {info.policy: info.level for info in run.rules_info}
    assert levels["prt-013-keyvault-hardening"] == "advisory"
    assert levels["mig-002-cutover-source-no-shared-key"] == "mandatory"  # from "all"
    assert [(s.suppression.policy, s.status) for s in run.suppressions] == [
        ("prt-008-no-public-ip-on-enclaves", "unused")
    ]
