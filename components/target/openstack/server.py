"""A Nova server on a private port, booted from an encrypted volume: the gateway and every
enclave instance are built the same way (helpers, no component: the caller is the parent)."""

from __future__ import annotations

from dataclasses import dataclass

import pulumi
from pulumi_openstack import blockstorage, compute, networking
from pulumi_openstack.provider import Provider

from components.tagging import Labels
from components.target.common import ServerSpec, named
from components.target.openstack.network import Network


@dataclass(frozen=True)
class VmCommon:
    """What the gateway and every enclave instance share."""

    provider: Provider
    egress_security_group_id: pulumi.Input[str]
    image_id: pulumi.Input[str]
    volume_type: str
    key_pair: pulumi.Input[str]


@dataclass(frozen=True)
class ServerHost:
    """Where the gateway or an enclave builds its servers: with the platform's common part,
    on the network of its zone, under its labels."""

    vm: VmCommon
    network: Network
    labels: Labels


def private_server(
    name: str, suffix: str, host: ServerHost, spec: ServerSpec, opts: pulumi.ResourceOptions
) -> tuple[networking.Port, compute.Instance]:
    """Port, boot volume, instance and data volume: `<name>-port<suffix>`, `-boot<suffix>`,
    `-vm<suffix>`, `-data<suffix>`, in the server's own security group and the platform's
    egress group."""
    vm = host.vm
    tags = host.labels.as_list()
    metadata = host.labels.as_map()
    port = networking.Port(
        **named(f"{name}-port{suffix}"),
        network_id=host.network.network_id,
        fixed_ips=[networking.PortFixedIpArgs(subnet_id=host.network.subnet_id)],
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
        [compute.InstanceSchedulerHintArgs(group=spec.spread_group_id)]
        if spec.spread_group_id is not None
        else None
    )
    instance = compute.Instance(
        **named(f"{name}-vm{suffix}"),
        flavor_name=spec.machine_type,
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
        power_state=None if spec.running else "shutoff",  # Nova's default: active
        metadata=metadata,
        tags=tags,
        opts=opts,
    )
    if spec.data_gb is not None:
        _data_volume(f"{name}-data", suffix, host, spec.data_gb, instance.id, opts)
    return port, instance


def _data_volume(
    name: str,
    suffix: str,
    host: ServerHost,
    size_gb: int,
    instance_id: pulumi.Output[str],
    opts: pulumi.ResourceOptions,
) -> None:
    """The research data, apart from the OS: `<name><suffix>`, attached as
    `<name>-attach<suffix>`."""
    data = blockstorage.Volume(
        **named(f"{name}{suffix}"),
        size=size_gb,
        volume_type=host.vm.volume_type,
        metadata=host.labels.as_map(),
        opts=opts,
    )
    compute.VolumeAttach(
        f"{name}-attach{suffix}", instance_id=instance_id, volume_id=data.id, opts=opts
    )
