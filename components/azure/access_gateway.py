"""The access gateway: the only VM with a public IP, reachable on one TCP port from known CIDRs.

Every resource is a direct child of this component: policies recognise the gateway by the
parent type in the URN.
"""

from __future__ import annotations

from dataclasses import dataclass

import pulumi
from pulumi_azure_native import compute, network
from pulumi_azure_native.provider import Provider

from components.azure.sizing import vm_size_for
from components.azure.vm import (
    deny_all_inbound_rule,
    encrypted_storage_profile,
    linux_os_profile,
    single_nic,
)
from components.config.model import Gateway
from components.tagging import GATEWAY_ROLE, Labels


@dataclass(frozen=True)
class AccessGatewayArgs:
    provider: Provider
    resource_group_name: pulumi.Input[str]
    location: str
    gateway: Gateway
    subnet_id: pulumi.Input[str]
    disk_encryption_set_id: pulumi.Input[str]
    ssh_public_key: str
    vm_image: str
    labels: Labels


class AccessGateway(pulumi.ComponentResource):
    public_ip_id: pulumi.Output[str]
    vm_id: pulumi.Output[str]
    vm_size: str

    def __init__(
        self, name: str, args: AccessGatewayArgs, opts: pulumi.ResourceOptions | None = None
    ) -> None:
        super().__init__("bascule:azure:AccessGateway", name, None, opts)
        child = pulumi.ResourceOptions(parent=self, provider=args.provider)
        tags = args.labels.with_(role=GATEWAY_ROLE).as_map()
        gateway = args.gateway

        public_ip = network.PublicIPAddress(
            f"{name}-pip",
            resource_group_name=args.resource_group_name,
            location=args.location,
            sku=network.PublicIPAddressSkuArgs(name="Standard"),
            public_ip_allocation_method="Static",
            tags=tags,
            opts=child,
        )
        nsg = network.NetworkSecurityGroup(
            f"{name}-nsg",
            resource_group_name=args.resource_group_name,
            location=args.location,
            security_rules=[
                network.SecurityRuleArgs(
                    name=f"allow-tcp-{gateway.port}",
                    priority=100,
                    direction="Inbound",
                    access="Allow",
                    protocol="Tcp",
                    source_address_prefixes=[str(cidr) for cidr in gateway.allowed_source_cidrs],
                    source_port_range="*",
                    destination_address_prefix="*",
                    destination_port_range=str(gateway.port),
                ),
                deny_all_inbound_rule(),
            ],
            tags=tags,
            opts=child,
        )
        nic = single_nic(
            f"{name}-nic",
            resource_group_name=args.resource_group_name,
            location=args.location,
            nsg_id=nsg.id,
            subnet_id=args.subnet_id,
            tags=tags,
            opts=child,
            public_ip_id=public_ip.id,
        )
        self.vm_size = vm_size_for(gateway.size)
        vm = compute.VirtualMachine(
            f"{name}-vm",
            resource_group_name=args.resource_group_name,
            location=args.location,
            hardware_profile=compute.HardwareProfileArgs(vm_size=self.vm_size),
            os_profile=linux_os_profile(name, args.ssh_public_key),
            storage_profile=encrypted_storage_profile(
                image=args.vm_image,
                disk_encryption_set_id=args.disk_encryption_set_id,
                os_disk_gb=gateway.size.disk_gb,
            ),
            network_profile=compute.NetworkProfileArgs(
                network_interfaces=[compute.NetworkInterfaceReferenceArgs(id=nic.id, primary=True)]
            ),
            tags=tags,
            opts=child,
        )
        self.public_ip_id = public_ip.id
        self.vm_id = vm.id

        self.register_outputs({"publicIpId": self.public_ip_id, "vmId": self.vm_id})
