"""A research enclave: VMs with no public IP, reachable only from the access gateway zone."""

from __future__ import annotations

from dataclasses import dataclass

import pulumi
from pulumi_azure_native import network

from components.azure.sizing import vm_size_for
from components.azure.vm import (
    VmBase,
    VmPlacement,
    deny_all_inbound_rule,
    hardened_vm,
    security_rule,
)
from components.component import Opts, ProviderComponent
from components.config.model import Enclave as EnclaveConfig
from components.lifecycle import FREEZE_PRIORITY, FREEZE_RULE
from components.tagging import Labels

# After FREEZE_PRIORITY: a frozen enclave's deny-all rule comes first (components/lifecycle.py).
FIRST_ALLOW_PRIORITY = 110


@dataclass(frozen=True)
class EnclaveArgs:
    vm: VmBase
    enclave: EnclaveConfig
    subnet_id: pulumi.Input[str]
    gateway_cidr: str  # the access gateway's zone: the one source its NSG admits
    labels: Labels
    # False once the wave is cut over: the source enclave admits no one (its VMs are left
    # to be deallocated, ARM having no declarative power state): a deny-all rule at
    # FREEZE_PRIORITY shadows the allow rules.
    admits_gateway: bool = True


def instance_name(enclave_name: str, index: int) -> str:
    """`<enclave>-vm`, then `<enclave>-vm-1`...: scaling out never renames the first VM."""
    return f"{enclave_name}-vm" if index == 0 else f"{enclave_name}-vm-{index}"


class Enclave(ProviderComponent):
    vm_ids: list[pulumi.Output[str]]
    vm_size: str

    def __init__(self, name: str, args: EnclaveArgs, opts: Opts = None) -> None:
        super().__init__("bascule:azure:Enclave", name, args.vm.scope.provider, opts)
        tags = args.labels.as_map()
        enclave = args.enclave

        nsg = _firewall(name, args, tags, self.child)
        self.vm_size = vm_size_for(enclave.size)
        self.vm_ids = []
        for index in range(enclave.instances):
            vm_name = instance_name(name, index)
            # Private address only: the enclave is reached through the gateway.
            place = VmPlacement(
                vm_name=vm_name,
                computer_name=vm_name,
                vm_size=self.vm_size,
                nsg_id=nsg.id,
                subnet_id=args.subnet_id,
                data_disk_gb=enclave.size.disk_gb,
            )
            self.vm_ids.append(hardened_vm(args.vm, place, tags, self.child).id)

        self.register_outputs({"vmIds": self.vm_ids, "vmSize": self.vm_size})


def _firewall(
    name: str, args: EnclaveArgs, tags: dict[str, str], child: pulumi.ResourceOptions
) -> network.NetworkSecurityGroup:
    """The enclave's ingress ports from the gateway zone, then deny all; once the wave is cut
    over, a freeze rule above them shadows the allows."""
    allow_rules = [
        security_rule(
            f"allow-gateway-tcp-{port}",
            FIRST_ALLOW_PRIORITY + index,
            source=args.gateway_cidr,
            port=str(port),
        )
        for index, port in enumerate(args.enclave.ingress_ports)
    ]
    freeze = [] if args.admits_gateway else [deny_all_inbound_rule(FREEZE_PRIORITY, FREEZE_RULE)]
    return args.vm.nsg(f"{name}-nsg", [*freeze, *allow_rules, deny_all_inbound_rule()], tags, child)
