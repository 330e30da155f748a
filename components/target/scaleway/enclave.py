"""A research enclave on Scaleway: its security group (default drop both ways, the enclave's
ports from the gateway zone in, the platform zones out), a placement group, and per instance
a data volume and the instance, with no public address.
"""

from __future__ import annotations

from dataclasses import dataclass

import pulumi
from pulumiverse_scaleway import instance

from components.component import Opts, ProviderComponent
from components.config.model import Enclave as EnclaveConfig
from components.target.common import BOOT_DISK_GB, ServerSpec, named
from components.target.scaleway.catalog import type_for
from components.target.scaleway.server import InstanceHost, private_server, security_group, tcp_in


@dataclass(frozen=True)
class EnclaveArgs:
    host: InstanceHost  # on the enclave zone's Private Network
    enclave: EnclaveConfig
    gateway_cidr: str
    running: bool = True  # False: built, but powered off (its wave is not yet open)


class Enclave(ProviderComponent):
    instance_ids: list[pulumi.Output[str]]
    flavor: str

    def __init__(self, name: str, args: EnclaveArgs, opts: Opts = None) -> None:
        super().__init__("bascule:target:Enclave", name, args.host.provider, opts)
        enclave, place = args.enclave, args.host.place
        self.flavor = type_for(enclave.size).name
        inbound = [tcp_in(p, args.gateway_cidr) for p in enclave.ingress_ports]
        group = security_group(name, inbound, args.host, self.child)
        placement = instance.PlacementGroup(
            **named(f"{name}-servers"),
            # Spread over hosts where possible; never blocks scheduling (OpenStack's soft
            # anti-affinity).
            policy_type="max_availability",
            policy_mode="optional",
            zone=place.zone,
            project_id=place.project_id,
            tags=place.tags,
            opts=self.child,
        )
        self.instance_ids = []
        for index in range(enclave.instances):
            server = private_server(
                name,
                f"-{index}",
                args.host,
                ServerSpec(
                    security_group_id=group.id,
                    machine_type=self.flavor,
                    boot_gb=BOOT_DISK_GB,
                    data_gb=enclave.size.disk_gb,
                    spread_group_id=placement.id,
                    running=args.running,
                ),
                self.child,
            )
            self.instance_ids.append(server.id)
        self.register_outputs({"instanceIds": self.instance_ids, "flavor": self.flavor})
