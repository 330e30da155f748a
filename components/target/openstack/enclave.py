"""A research enclave: instances with no public address, reachable from the gateway zone only.

Per single-instance enclave: server group, security group, one ingress rule per port,
and per instance a port, a boot volume, a data volume, the instance and the data attachment
(8 resources with the default single ingress port). Egress rules are shared estate-wide.
"""

from __future__ import annotations

from dataclasses import dataclass

import pulumi
from pulumi_openstack import compute, networking

from components.component import Opts, ProviderComponent
from components.config.model import Enclave as EnclaveConfig
from components.target.common import BOOT_DISK_GB, ServerSpec, flavor_name, named
from components.target.openstack.catalog import ENCRYPTED_VOLUME_TYPES
from components.target.openstack.security_group import Flow, security_group
from components.target.openstack.server import ServerHost, private_server


@dataclass(frozen=True)
class EnclaveArgs:
    host: ServerHost  # on the enclave zone's network
    enclave: EnclaveConfig
    gateway_cidr: str
    running: bool = True  # False: built, but shut off (its wave is not yet open on the target)


class Enclave(ProviderComponent):
    instance_ids: list[pulumi.Output[str]]
    flavor: str
    volume_type: str  # of every volume, boot and data
    encrypted: bool  # that volume type is an encrypted one

    def __init__(self, name: str, args: EnclaveArgs, opts: Opts = None) -> None:
        super().__init__("bascule:target:Enclave", name, args.host.vm.provider, opts)
        enclave = args.enclave
        self.flavor = flavor_name(enclave.size)
        self.volume_type = args.host.vm.volume_type
        self.encrypted = self.volume_type in ENCRYPTED_VOLUME_TYPES

        server_group = compute.ServerGroup(
            **named(f"{name}-servers"),
            # Soft: a single-host failure never blocks scheduling, instances still spread.
            policies="soft-anti-affinity",
            opts=self.child,
        )
        group = self._security_group(name, args, self.child)
        self.instance_ids = [
            self._instance(name, index, args, (group.id, server_group.id), self.child)
            for index in range(enclave.instances)
        ]

        self.register_outputs({"instanceIds": self.instance_ids, "flavor": self.flavor})

    def _security_group(
        self, name: str, args: EnclaveArgs, child: pulumi.ResourceOptions
    ) -> networking.SecGroup:
        """Ingress from the gateway zone only, one rule per port."""
        return security_group(
            f"{name}-sg",
            f"Enclave {name}: ingress from the access gateway zone only",
            [
                Flow(
                    f"{name}-in-tcp-{port}",
                    "ingress",
                    args.gateway_cidr,
                    f"tcp/{port} from the gateway zone",
                    port,
                )
                for port in args.enclave.ingress_ports
            ],
            args.host.labels,
            child,
        )

    def _instance(
        self,
        name: str,
        index: int,
        args: EnclaveArgs,
        group_ids: tuple[pulumi.Output[str], pulumi.Output[str]],  # security, server group
        child: pulumi.ResourceOptions,
    ) -> pulumi.Output[str]:
        """Port, boot volume, instance, data volume and its attachment: the instance's id."""
        security_group_id, server_group_id = group_ids
        _, instance = private_server(
            name,
            f"-{index}",
            args.host,
            ServerSpec(
                security_group_id=security_group_id,
                machine_type=self.flavor,
                boot_gb=BOOT_DISK_GB,
                data_gb=args.enclave.size.disk_gb,
                spread_group_id=server_group_id,
                running=args.running,
            ),
            child,
        )
        return instance.id
