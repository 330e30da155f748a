"""A Nova server on a private port, booted from an encrypted volume: the gateway and every
enclave instance are built the same way (helpers, no component: the caller is the parent)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import pulumi
from pulumi_openstack import blockstorage, compute, networking
from pulumi_openstack.provider import Provider

from components.tagging import Labels
from components.target.common import named
from components.target.openstack.network import Network


@dataclass(frozen=True)
class VmCommon:
    """What the gateway and every enclave instance share."""

    provider: Provider
    egress_security_group_id: pulumi.Input[str]
    image_id: pulumi.Input[str]
    volume_type: str
    key_pair: pulumi.Input[str]

    def server(
        self, name: str, suffix: str, spec: ServerSpec, opts: pulumi.ResourceOptions
    ) -> tuple[networking.Port, compute.Instance]:
        """Port, boot volume and instance: `<name>-port<suffix>`, `-boot<suffix>`, `-vm<suffix>`,
        in the server's own security group and the platform's egress group."""
        return private_server(name, suffix, self, spec, opts)


@dataclass(frozen=True)
class ServerSpec:
    """One server's own part: its zone's network, its own security group, flavor and boot disk."""

    network: Network
    security_group_id: pulumi.Input[str]
    flavor: str
    boot_gb: int
    labels: Labels
    server_group_id: pulumi.Input[str] | None = None
    power_state: str | None = None  # "shutoff": built but stopped (Nova's default: active)


def private_server(
    name: str, suffix: str, vm: VmCommon, spec: ServerSpec, opts: pulumi.ResourceOptions
) -> tuple[networking.Port, compute.Instance]:
    tags = spec.labels.as_list()
    metadata = spec.labels.as_map()
    port = networking.Port(
        **named(f"{name}-port{suffix}"),
        network_id=spec.network.network_id,
        fixed_ips=[networking.PortFixedIpArgs(subnet_id=spec.network.subnet_id)],
        security_group_ids=[spec.security_group_id, vm.egress_security_group_id],
        port_security_enabled=True,
        admin_state_up=True,
        tags=tags,
        opts=opts,
    )
    boot = blockstorage.Volume(
        **named(f"{name}-boot{suffix}"),
        size=spec.boot_gb,
        image_id=vm.image_id,
        volume_type=vm.volume_type,
        metadata=metadata,
        opts=opts,
    )
    hints = (
        [compute.InstanceSchedulerHintArgs(group=spec.server_group_id)]
        if spec.server_group_id is not None
        else None
    )
    instance = compute.Instance(
        **named(f"{name}-vm{suffix}"),
        flavor_name=spec.flavor,
        # SSH key only: no admin_pass ever goes into state.
        key_pair=vm.key_pair,
        block_devices=[
            compute.InstanceBlockDeviceArgs(
                source_type="volume",
                destination_type="volume",
                uuid=boot.id,
                boot_index=0,
                delete_on_termination=False,
            )
        ],
        networks=[compute.InstanceNetworkArgs(port=port.id)],
        scheduler_hints=hints,
        # Metadata via config drive: egress to the metadata service is not allowed.
        config_drive=True,
        power_state=spec.power_state,
        metadata=metadata,
        tags=tags,
        opts=opts,
    )
    return port, instance


@dataclass(frozen=True)
class Flow:
    """One flow a security group lets through, `name` its rule: IPv4 from (`ingress`) or to
    (`egress`) a range, on one TCP port, or on any protocol when no port is given."""

    name: str
    direction: str
    cidr: pulumi.Input[str]
    description: str
    port: int | None = None


def security_group(
    name: str,
    description: str,
    flows: Iterable[Flow],
    labels: Labels,
    opts: pulumi.ResourceOptions,
) -> networking.SecGroup:
    """A group without Neutron's allow-all egress defaults: only its flows pass."""
    group = networking.SecGroup(
        **named(name),
        description=description,
        delete_default_rules=True,
        tags=labels.as_list(),
        opts=opts,
    )
    for flow in flows:
        networking.SecGroupRule(
            flow.name,
            security_group_id=group.id,
            direction=flow.direction,
            ethertype="IPv4",
            protocol=None if flow.port is None else "tcp",
            port_range_min=flow.port,
            port_range_max=flow.port,
            remote_ip_prefix=flow.cidr,
            description=flow.description,
            opts=opts,
        )
    return group
