"""A transfer enclave: the VM `bascule transfer run` executes on, inside the source hub,
holding one job's transfer identities (pseudonymisation keys get an enclave of their own).

No public address. Its NIC has its own NSG: SSH from the gateway zone only, and egress only
over HTTPS to the storage private endpoints, the tunnel's remote ranges and the target's
declared Keystone/Swift endpoints, then nothing.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import pulumi
from pulumi_azure_native import compute, network

from components.azure.sizing import vm_size_for
from components.azure.vm import (
    VmBase,
    VmPlacement,
    deny_all_inbound_rule,
    hardened_vm,
    security_rule,
)
from components.component import Opts, ProviderComponent
from components.config.model import EnclaveSize
from components.tagging import Labels

FIRST_PRIORITY = 100
LAST_PRIORITY = 4096
HTTPS = "443"


@dataclass(frozen=True)
class TransferEnclaveArgs:
    vm: VmBase
    subnet_id: pulumi.Input[str]
    gateway_cidr: str  # operators reach it from the access gateway's zone
    egress_cidrs: Sequence[str]  # private endpoints, tunnel ranges, target endpoints
    identity_ids: Sequence[pulumi.Input[str]]
    size: EnclaveSize
    labels: Labels


def egress_rules(cidrs: Sequence[str]) -> list[network.SecurityRuleArgs]:
    """HTTPS to each range, then deny everything else outbound."""
    rules = [
        security_rule(
            f"allow-https-{index}",
            FIRST_PRIORITY + index,
            outbound=True,
            destination=cidr,
            port=HTTPS,
        )
        for index, cidr in enumerate(dict.fromkeys(cidrs))
    ]
    rules.append(security_rule("deny-all-outbound", LAST_PRIORITY, outbound=True, deny=True))
    return rules


class TransferEnclave(ProviderComponent):
    vm_id: pulumi.Output[str]

    def __init__(self, name: str, args: TransferEnclaveArgs, opts: Opts = None) -> None:
        super().__init__("bascule:azure:TransferEnclave", name, args.vm.scope.provider, opts)
        tags = args.labels.with_(role="transfer-enclave").as_map()

        ssh = security_rule(
            "allow-gateway-tcp-22", FIRST_PRIORITY, source=args.gateway_cidr, port="22"
        )
        rules = [ssh, deny_all_inbound_rule(), *egress_rules(args.egress_cidrs)]
        nsg = args.vm.nsg(f"{name}-nsg", rules, tags, self.child)
        place = VmPlacement(
            vm_name=f"{name}-vm",
            nic_name=f"{name}-nic",  # `<name>-nic`, not `<computer_name>-nic`
            computer_name=f"{name}-vm",
            vm_size=vm_size_for(args.size),
            nsg_id=nsg.id,
            subnet_id=args.subnet_id,
            os_disk_gb=args.size.disk_gb,
            identity=compute.VirtualMachineIdentityArgs(
                type=compute.ResourceIdentityType.USER_ASSIGNED,
                user_assigned_identities=list(args.identity_ids),
            ),
        )
        vm = hardened_vm(args.vm, place, tags, self.child)

        self.vm_id = vm.id
        self.register_outputs({"vmId": self.vm_id})
