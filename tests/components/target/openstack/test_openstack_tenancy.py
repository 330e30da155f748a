"""The target tenancy under mocks: exposure, encryption, key separation, providers, labels."""

from __future__ import annotations

import ipaddress
from collections import Counter
from collections.abc import Callable

from target_harness import OVH_SETTINGS, Registration, TargetRun, dev_config

from bascule.synth.mocks import resource_id
from components.config.stack import StackConfig
from components.tagging import GATEWAY_ROLE, REQUIRED_KEYS

OPEN_PREFIXES = {"0.0.0.0/0", "::/0"}
GATEWAY = "bascule:target:AccessGateway"
ENCLAVE = "bascule:target:Enclave"
# Resources whose OpenStack API takes a tag list, and those that take a metadata map.
TAGGED = {
    "openstack:networking/network:Network",
    "openstack:networking/subnet:Subnet",
    "openstack:networking/router:Router",
    "openstack:networking/secGroup:SecGroup",
    "openstack:networking/port:Port",
    "openstack:networking/floatingIp:FloatingIp",
    "openstack:compute/instance:Instance",
}
WITH_METADATA = {
    "openstack:compute/instance:Instance",
    "openstack:blockstorage/volume:Volume",
    "openstack:objectstorage/container:Container",
}


def _unwrap(value: object) -> object:
    """A deserialized secret may stay wrapped as `{sig: secret, value: ...}`."""
    if isinstance(value, dict) and "value" in value and len(value) == 2:
        return value["value"]
    return value


# --- component tree ---------------------------------------------------------------------------


def test_component_tokens(any_run: TargetRun) -> None:
    config = any_run.config
    counts = Counter(r.type for r in any_run.registrations if r.type.startswith("bascule:"))
    assert counts == {
        "bascule:target:Estate": 1,
        "bascule:target:Network": len(config.zones),
        "bascule:target:Kms": 1,
        "bascule:target:ObjectStorage": len(config.datasets),
        "bascule:target:AuditLog": 1,
        "bascule:target:AccessGateway": 1,
        "bascule:target:Enclave": len(config.resolved_enclaves),
        "bascule:target:Interconnect": 1,
        # The replicating wave's two jobs: datasets and pseudonymisation-keys
        "bascule:target:TransferIdentity": 2,
    }


def test_every_resource_has_a_parent_and_a_unique_urn(any_run: TargetRun) -> None:
    assert all(r.parent for r in any_run.registrations)
    urns = [r.urn for r in any_run.registrations]
    assert len(urns) == len(set(urns))
    by_urn = any_run.by_urn()
    # Every parent except the stack root is one of ours.
    for r in any_run.registrations:
        if r.type != "bascule:target:Estate":
            assert r.parent in by_urn, r.name


def test_every_custom_resource_has_the_explicit_provider(any_run: TargetRun) -> None:
    providers = [r for r in any_run.registrations if r.type.startswith("pulumi:providers:")]
    expected = {"pulumi:providers:openstack"}
    if any_run.config.target.provider == "ovh":
        expected.add("pulumi:providers:ovh")
    assert {p.type for p in providers} == expected
    assert all(p.parent_type == "bascule:target:Estate" for p in providers)
    for r in any_run.custom():
        family = r.type.split(":", 1)[0]
        assert r.provider, f"{r.type} {r.name} uses the default provider"
        assert r.provider_type == f"pulumi:providers:{family}", r.name


def test_provider_settings_and_secrets(ovh_run: TargetRun) -> None:
    target = ovh_run.config.target
    (openstack,) = ovh_run.typed("pulumi:providers:openstack")
    assert openstack.inputs["authUrl"] == target.auth_url
    assert openstack.inputs["region"] == target.region
    assert openstack.inputs["tenantName"] == target.tenant_name
    assert openstack.inputs["userDomainName"] == target.user_domain_name
    assert openstack.inputs["projectDomainName"] == target.project_domain_name
    assert "password" in openstack.secret_inputs
    (ovh,) = ovh_run.typed("pulumi:providers:ovh")
    assert ovh.inputs["endpoint"] == "ovh-eu"
    assert {"applicationSecret", "consumerKey"} <= ovh.secret_inputs


def test_openstack_only_stack_has_no_ovh_resources(dev_run: TargetRun) -> None:
    assert not [
        r for r in dev_run.registrations if r.type.startswith(("ovh:", "pulumi:providers:ovh"))
    ]


# --- exposure ---------------------------------------------------------------------------------


def test_floating_ips_only_under_the_gateway(any_run: TargetRun) -> None:
    fips = any_run.of_type("networking/floatingIp:FloatingIp")
    assocs = any_run.of_type("networking/floatingIpAssociate:FloatingIpAssociate")
    assert len(fips) == 1 and len(assocs) == 1
    assert all(r.parent_type == GATEWAY for r in fips + assocs)
    (gateway_port,) = [
        r for r in any_run.of_type("networking/port:Port") if r.parent_type == GATEWAY
    ]
    assert assocs[0].inputs["portId"] == resource_id(gateway_port.name)


def test_gateway_resources_are_direct_children(any_run: TargetRun) -> None:
    (gateway,) = any_run.typed(GATEWAY)
    children = Counter(r.type for r in any_run.registrations if r.parent == gateway.urn)
    assert children == {
        "openstack:networking/secGroup:SecGroup": 1,
        "openstack:networking/secGroupRule:SecGroupRule": len(
            any_run.config.gateway.allowed_source_cidrs
        ),
        "openstack:networking/port:Port": 1,
        "openstack:blockstorage/volume:Volume": 1,
        "openstack:compute/instance:Instance": 1,
        "openstack:networking/floatingIp:FloatingIp": 1,
        "openstack:networking/floatingIpAssociate:FloatingIpAssociate": 1,
    }
    (instance,) = [
        r for r in any_run.of_type("compute/instance:Instance") if r.parent == gateway.urn
    ]
    assert instance.inputs["metadata"]["role"] == GATEWAY_ROLE
    assert f"role={GATEWAY_ROLE}" in instance.inputs["tags"]


def test_every_rule_is_explicit(any_run: TargetRun) -> None:
    rules = any_run.of_type("networking/secGroupRule:SecGroupRule")
    assert rules
    for rule in rules:
        assert rule.inputs.get("remoteIpPrefix") or rule.inputs.get("remoteGroupId"), rule.name
        assert rule.inputs["direction"] in {"ingress", "egress"}


def test_open_ingress_only_on_the_gateway_port(any_run: TargetRun) -> None:
    port = any_run.config.gateway.port
    for rule in any_run.of_type("networking/secGroupRule:SecGroupRule"):
        if rule.inputs.get("remoteIpPrefix") in OPEN_PREFIXES:
            assert rule.parent_type == GATEWAY, rule.name
            assert rule.inputs["direction"] == "ingress"
            assert rule.inputs["protocol"] == "tcp"
            assert rule.inputs["portRangeMin"] == rule.inputs["portRangeMax"] == port


def test_security_groups_drop_default_rules(any_run: TargetRun) -> None:
    groups = any_run.of_type("networking/secGroup:SecGroup")
    assert groups and all(g.inputs.get("deleteDefaultRules") is True for g in groups)


def test_enclave_ingress_only_from_gateway_zone(any_run: TargetRun) -> None:
    config = any_run.config
    gateway_cidr = str(config.zone(config.gateway.zone).target_cidr)
    enclave_rules = [
        r
        for r in any_run.of_type("networking/secGroupRule:SecGroupRule")
        if r.parent_type == ENCLAVE
    ]
    assert len(enclave_rules) == sum(len(e.ingress_ports) for e in config.resolved_enclaves)
    for rule in enclave_rules:
        assert rule.inputs["direction"] == "ingress"
        assert rule.inputs["remoteIpPrefix"] == gateway_cidr
        assert rule.inputs["protocol"] == "tcp"


def test_egress_only_to_platform_cidrs(any_run: TargetRun) -> None:
    platform = {str(z.target_cidr) for z in any_run.config.zones}
    egress = [
        r
        for r in any_run.of_type("networking/secGroupRule:SecGroupRule")
        if r.inputs["direction"] == "egress"
    ]
    assert {r.inputs["remoteIpPrefix"] for r in egress} == platform
    (group,) = [
        g
        for g in any_run.of_type("networking/secGroup:SecGroup")
        if g.name == f"{any_run.config.platform}-egress"
    ]
    for port in any_run.of_type("networking/port:Port"):
        assert resource_id(group.name) in port.inputs["securityGroupIds"], port.name


def test_enclave_ports_have_no_public_address(any_run: TargetRun) -> None:
    enclave_ports = [r for r in any_run.of_type("networking/port:Port") if r.parent_type == ENCLAVE]
    assert len(enclave_ports) == sum(e.instances for e in any_run.config.resolved_enclaves)
    port_ids = {resource_id(p.name) for p in enclave_ports}
    for assoc in any_run.of_type("networking/floatingIpAssociate:FloatingIpAssociate"):
        assert assoc.inputs["portId"] not in port_ids


# --- network ----------------------------------------------------------------------------------


def test_networks_subnets_and_router(any_run: TargetRun) -> None:
    config = any_run.config
    subnets = {r.name: r for r in any_run.of_type("networking/subnet:Subnet")}
    for zone in config.zones:
        subnet = subnets[f"{zone.name}-subnet"]
        assert subnet.inputs["cidr"] == str(zone.target_cidr)
        assert subnet.inputs.get("dnsNameservers", []) == []
        assert subnet.inputs["dnsPublishFixedIp"] is False
    networks = any_run.of_type("networking/network:Network")
    assert len(networks) == len(config.zones)
    assert all(n.inputs["adminStateUp"] is True for n in networks)
    assert all(n.inputs.get("shared") is not True for n in networks)
    (router,) = any_run.of_type("networking/router:Router")
    assert router.inputs["externalNetworkId"] == "Ext-Net-id"
    interfaces = any_run.of_type("networking/routerInterface:RouterInterface")
    assert {i.inputs["subnetId"] for i in interfaces} == {resource_id(n) for n in subnets}
    assert all(i.inputs["routerId"] == resource_id(router.name) for i in interfaces)


# --- encryption and storage -------------------------------------------------------------------


def test_every_volume_is_encrypted(any_run: TargetRun) -> None:
    volume_type = any_run.config.target.volume_type
    volumes = any_run.of_type("blockstorage/volume:Volume")
    # Boot + data per enclave instance, plus the gateway's boot volume.
    assert len(volumes) == 2 * sum(e.instances for e in any_run.config.resolved_enclaves) + 1
    assert all(v.inputs["volumeType"] == volume_type for v in volumes)


def test_every_container_is_private_versioned_and_encrypted(any_run: TargetRun) -> None:
    target = any_run.config.target
    containers = any_run.of_type("objectstorage/container:Container")
    assert len(containers) == len(any_run.config.datasets) + 1  # + the audit log
    for container in containers:
        assert ".r:" not in (container.inputs.get("containerRead") or ""), container.name
        assert not container.inputs.get("containerWrite"), container.name
        assert container.inputs.get("versioning") is True or container.inputs.get(
            "versioningLegacy"
        ), container.name
        assert container.inputs["storagePolicy"] == target.storage_policy


def test_dataset_containers_name_their_key(any_run: TargetRun) -> None:
    containers = {r.name: r for r in any_run.of_type("objectstorage/container:Container")}
    for dataset in any_run.config.datasets:
        metadata = containers[f"{dataset.name}-container"].inputs["metadata"]
        assert metadata["dataset"] == dataset.name
        assert metadata["kms-key"] == dataset.key
        assert metadata["classification"] == dataset.classification.value
        assert metadata["wave"] == str(dataset.wave)


def test_audit_log_container(any_run: TargetRun) -> None:
    (audit,) = [
        r
        for r in any_run.of_type("objectstorage/container:Container")
        if r.parent_type == "bascule:target:AuditLog"
    ]
    metadata = audit.inputs["metadata"]
    assert metadata["classification"] == "audit-logs"
    assert int(metadata["retention-days"]) >= 180
    assert int(metadata["retention-days"]) == any_run.config.target.audit_retention_days


# --- keys -------------------------------------------------------------------------------------


def _pseudo_names(run: TargetRun) -> set[str]:
    return {k.name for k in run.config.keys if k.purpose.value == "pseudonymisation"}


def test_barbican_keys_generated_server_side_and_separated(dev_run: TargetRun) -> None:
    assert not dev_run.of_type("keymanager/secretV1:SecretV1")  # no payload ever in state
    orders = dev_run.of_type("keymanager/orderV1:OrderV1")
    assert len(orders) == len(dev_run.config.keys)
    for order in orders:
        assert order.inputs["type"] == "key"
        assert order.inputs["meta"]["algorithm"] == "aes"
        assert order.inputs["meta"]["bitLength"] == 256
    containers = dev_run.of_type("keymanager/containerV1:ContainerV1")
    held = {c.name: {ref["name"] for ref in c.inputs["secretRefs"]} for c in containers}
    pseudo = _pseudo_names(dev_run)
    assert pseudo, "the dev stack has pseudonymisation keys"
    assert any(names == pseudo for names in held.values())
    for names in held.values():
        assert names <= pseudo or not (names & pseudo), "pseudonymisation keys mixed"
    assert set().union(*held.values()) == {k.name for k in dev_run.config.keys}


def test_okms_keys_separated(ovh_run: TargetRun) -> None:
    domains = ovh_run.typed("ovh:Okms/okms:Okms")
    assert len(domains) == 2
    assert all(d.inputs["region"] == OVH_SETTINGS["ovhOkmsRegion"] for d in domains)
    keys = ovh_run.typed("ovh:Okms/serviceKey:ServiceKey")
    assert len(keys) == len(ovh_run.config.keys)
    by_domain: dict[str, set[str]] = {}
    for key in keys:
        assert key.inputs["type"] == "oct" and key.inputs["size"] == 256
        assert {"encrypt", "decrypt", "wrapKey", "unwrapKey"} == set(key.inputs["operations"])
        by_domain.setdefault(key.inputs["okmsId"], set()).add(key.inputs["name"])
    pseudo = _pseudo_names(ovh_run)
    # The policies recognise OKMS pseudonymisation keys by their resource name.
    assert {k.inputs["name"] for k in keys if "pseudonymisation" in k.name} == pseudo
    assert pseudo in by_domain.values()
    assert all(names == pseudo or not (names & pseudo) for names in by_domain.values())
    assert not ovh_run.of_type("keymanager/containerV1:ContainerV1")


def test_inventory_records_key_store(any_run: TargetRun) -> None:
    kind = "kms" if any_run.config.target.provider == "ovh" else "container"
    keys = any_run.inventory["keys"]
    pseudo = _pseudo_names(any_run)
    pseudo_stores = {keys[name][kind] for name in pseudo}
    other_stores = {entry[kind] for name, entry in keys.items() if name not in pseudo}
    assert len(pseudo_stores) == 1 and not pseudo_stores & other_stores


# --- compute ----------------------------------------------------------------------------------


def test_instances_use_keys_and_boot_from_encrypted_volumes(any_run: TargetRun) -> None:
    volumes = {resource_id(v.name): v for v in any_run.of_type("blockstorage/volume:Volume")}
    for instance in any_run.of_type("compute/instance:Instance"):
        assert "adminPass" not in instance.inputs, instance.name
        assert instance.inputs["keyPair"]
        (boot,) = instance.inputs["blockDevices"]
        assert boot["sourceType"] == "volume" and boot["bootIndex"] == 0
        assert boot["uuid"] in volumes
        (network,) = instance.inputs["networks"]
        assert network["port"].endswith("-id")


def test_enclave_instances(any_run: TargetRun) -> None:
    instances = {r.name: r for r in any_run.of_type("compute/instance:Instance")}
    groups = {r.name for r in any_run.of_type("compute/serverGroup:ServerGroup")}
    attaches = {r.name: r for r in any_run.of_type("compute/volumeAttach:VolumeAttach")}
    for enclave in any_run.config.resolved_enclaves:
        assert f"{enclave.name}-servers" in groups
        for index in range(enclave.instances):
            instance = instances[f"{enclave.name}-vm-{index}"]
            flavor = f"snc.{enclave.size.vcpu}c{enclave.size.ram_gb}g"
            if enclave.size.gpu:
                flavor += f"-gpu{enclave.size.gpu}"
            assert instance.inputs["flavorName"] == flavor
            assert instance.inputs["schedulerHints"][0]["group"] == resource_id(
                f"{enclave.name}-servers"
            )
            assert instance.inputs["metadata"]["project"] == enclave.name
            attach = attaches[f"{enclave.name}-data-attach-{index}"]
            assert attach.inputs["volumeId"] == resource_id(f"{enclave.name}-data-{index}")
            assert attach.inputs["instanceId"] == resource_id(instance.name)


def test_anti_affinity(any_run: TargetRun) -> None:
    for group in any_run.of_type("compute/serverGroup:ServerGroup"):
        assert group.inputs["policies"] in {"anti-affinity", "soft-anti-affinity"}


def test_single_instance_enclave_is_small(any_run: TargetRun) -> None:
    for enclave in any_run.typed(ENCLAVE):
        config = next(e for e in any_run.config.resolved_enclaves if e.name == enclave.name)
        children = [r for r in any_run.registrations if r.parent == enclave.urn]
        if config.instances == 1 and len(config.ingress_ports) == 1:
            assert len(children) <= 8, enclave.name


# --- labels -----------------------------------------------------------------------------------


def test_required_labels(any_run: TargetRun) -> None:
    for r in any_run.custom():
        if r.type in TAGGED:
            tags = set(r.inputs.get("tags") or [])
            for key in (*REQUIRED_KEYS, "estate"):
                assert any(t.startswith(f"{key}=") for t in tags), (r.name, key)
            assert "estate=target" in tags
        if r.type in WITH_METADATA:
            metadata = r.inputs.get("metadata") or {}
            assert set(REQUIRED_KEYS) <= set(metadata), r.name
            assert metadata["estate"] == "target"


def test_shared_infra_labels(any_run: TargetRun) -> None:
    (router,) = any_run.of_type("networking/router:Router")
    tags = set(router.inputs["tags"])
    assert {f"project={any_run.config.platform}", "classification=platform", "wave=0"} <= tags


# --- inventory --------------------------------------------------------------------------------


def test_inventory_shape(any_run: TargetRun) -> None:
    config = any_run.config
    inventory = any_run.inventory
    assert set(inventory) == {"zones", "datasets", "keys", "enclaves"}
    assert set(inventory["zones"]) == {z.name for z in config.zones}
    assert set(inventory["datasets"]) == {d.name for d in config.datasets}
    assert set(inventory["keys"]) == {k.name for k in config.keys}
    assert set(inventory["enclaves"]) == {e.name for e in config.resolved_enclaves}
    for zone in config.zones:
        entry = inventory["zones"][zone.name]
        assert ipaddress.ip_network(entry["cidr"]) == zone.target_cidr
        assert entry["role"] == zone.role.value
    containers = {c.inputs["name"]: c for c in any_run.of_type("objectstorage/container:Container")}
    for entry in inventory["datasets"].values():
        # What the inventory says is what the container was built with.
        container = containers[entry["container"]]
        assert entry["versioned"] is container.inputs["versioning"] is True
        assert entry["private"] is True
        assert not {"containerRead", "containerWrite"} & set(container.inputs)
        assert entry["storagePolicy"] == container.inputs["storagePolicy"]
        assert {"classification", "sizeGb", "raw", "wave", "key"} <= set(entry)
    for name, entry in inventory["enclaves"].items():
        assert entry["encrypted"] is True
        assert (
            {v.inputs["volumeType"] for v in _enclave_volumes(any_run, name)}
            == {entry["volumeType"]}
            == {"encrypted-luks"}
        )
        assert {"vcpu", "ramGb", "gpu", "diskGb", "wave", "classification", "instances"} <= set(
            entry
        )
    # Plain values only: the architect diffs them against the source estate.
    assert _plain(inventory)


def _enclave_volumes(run: TargetRun, enclave: str) -> list[Registration]:
    (component,) = [e for e in run.typed(ENCLAVE) if e.name == enclave]
    return [r for r in run.of_type("blockstorage/volume:Volume") if r.parent == component.urn]


def test_inventory_says_unencrypted_volumes_are(
    build_target: Callable[[StackConfig], TargetRun],
) -> None:
    """A volume type the catalogue does not know as encrypted is reported as such."""
    run = build_target(dev_config(volumeType="standard"))
    for name, entry in run.inventory["enclaves"].items():
        assert entry["volumeType"] == "standard"
        assert entry["encrypted"] is False
        assert {v.inputs["volumeType"] for v in _enclave_volumes(run, name)} == {"standard"}


def _plain(value: object) -> bool:
    if isinstance(value, dict):
        return all(isinstance(k, str) and _plain(v) for k, v in value.items())
    if isinstance(value, list | tuple):
        return all(_plain(v) for v in value)
    return value is None or isinstance(value, str | int | float | bool)
