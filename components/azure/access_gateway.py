"""The access gateway: the only VM with a public IP, reachable on one TCP port from known CIDRs.

Every resource is a direct child of this component: policies recognise the gateway by the
parent type in the URN. That includes the gateway zone's subnet and its NSG: Azure evaluates
the subnet's NSG before the NIC's, so the subnet must admit the gateway port too, and only
the gateway may admit traffic from the internet.
"""

from __future__ import annotations

from dataclasses import dataclass

import pulumi
from pulumi_azure_native import network

from components.azure.network import zone_nsg, zone_subnet
from components.azure.sizing import vm_size_for
from components.azure.vm import (
    VmBase,
    VmPlacement,
    deny_all_inbound_rule,
    hardened_vm,
    security_rule,
)
from components.component import Opts, ProviderComponent
from components.config.model import Gateway, Zone
from components.tagging import GATEWAY_ROLE, Labels


@dataclass(frozen=True)
class AccessGatewayArgs:
    vm: VmBase
    gateway: Gateway
    zone: Zone  # the gateway zone: its subnet is built here
    virtual_network_name: pulumi.Input[str]
    labels: Labels
    # The component the zone's subnet and NSG were children of before (bascule < 0.9):
    # an alias, so a deployed estate moves them instead of replacing them.
    moved_from: pulumi.Resource | None = None


class AccessGateway(ProviderComponent):
    public_ip_id: pulumi.Output[str]
    subnet_id: pulumi.Output[str]
    vm_id: pulumi.Output[str]
    vm_size: str

    def __init__(self, name: str, args: AccessGatewayArgs, opts: Opts = None) -> None:
        super().__init__("bascule:azure:AccessGateway", name, args.vm.scope.provider, opts)
        base = args.vm
        tags = args.labels.with_(role=GATEWAY_ROLE).as_map()
        gateway = args.gateway

        self.subnet_id = self._zone(args, tags)
        public_ip = network.PublicIPAddress(
            f"{name}-pip",
            resource_group_name=base.scope.resource_group_name,
            location=base.scope.location,
            sku=network.PublicIPAddressSkuArgs(name="Standard"),
            public_ip_allocation_method="Static",
            tags=tags,
            opts=self.child,
        )
        nsg = base.nsg(
            f"{name}-nsg", [_service_rule(gateway), deny_all_inbound_rule()], tags, self.child
        )
        self.vm_size = vm_size_for(gateway.size)
        vm = hardened_vm(
            base,
            VmPlacement(
                vm_name=f"{name}-vm",
                computer_name=name,
                vm_size=self.vm_size,
                nsg_id=nsg.id,
                subnet_id=self.subnet_id,
                os_disk_gb=gateway.size.disk_gb,
                public_ip_id=public_ip.id,
            ),
            tags,
            self.child,
        )
        self.public_ip_id = public_ip.id
        self.vm_id = vm.id

        self.register_outputs(
            {"publicIpId": self.public_ip_id, "subnetId": self.subnet_id, "vmId": self.vm_id}
        )

    def _zone(self, args: AccessGatewayArgs, tags: dict[str, str]) -> pulumi.Output[str]:
        """The gateway zone's subnet, its NSG admitting the gateway port before the explicit
        deny of internet sources every zone has."""
        moved = [pulumi.Alias(parent=args.moved_from)] if args.moved_from else []
        opts = pulumi.ResourceOptions(parent=self, provider=args.vm.scope.provider, aliases=moved)
        nsg = zone_nsg(
            args.zone,
            args.vm.scope.resource_group_name,
            args.vm.scope.location,
            args.labels.with_(role=GATEWAY_ROLE),
            opts,
            allow=(_service_rule(args.gateway),),
        )
        return zone_subnet(
            args.zone, args.vm.scope.resource_group_name, args.virtual_network_name, nsg.id, opts
        ).id


def _service_rule(gateway: Gateway) -> network.SecurityRuleArgs:
    """The one inbound flow the gateway serves: its TCP port from the allowed sources."""
    return security_rule(
        f"allow-tcp-{gateway.port}",
        100,
        source=[str(cidr) for cidr in gateway.allowed_source_cidrs],
        port=str(gateway.port),
    )
