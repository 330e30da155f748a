"""Shared pieces of a hardened Linux VM: SSH-key-only login, disks encrypted with the CMK."""

from __future__ import annotations

from dataclasses import dataclass

import pulumi
from pulumi_azure_native import compute, network

from components.azure.scope import AzureScope

ADMIN_USERNAME = "bascule"
# Every OS and data disk goes through the disk encryption set (customer-managed key).
ENCRYPTED_DISK_TYPE = "Premium_LRS"


def image_reference(urn: str) -> compute.ImageReferenceArgs:
    """`publisher:offer:sku:version`, as in `az vm create --image`."""
    publisher, offer, sku, version = urn.split(":")
    return compute.ImageReferenceArgs(publisher=publisher, offer=offer, sku=sku, version=version)


def linux_os_profile(computer_name: str, ssh_public_key: str) -> compute.OSProfileArgs:
    # No admin_password at all: password login is disabled, keys only.
    return compute.OSProfileArgs(
        computer_name=computer_name[:64],
        admin_username=ADMIN_USERNAME,
        linux_configuration=compute.LinuxConfigurationArgs(
            disable_password_authentication=True,
            ssh=compute.SshConfigurationArgs(
                public_keys=[
                    compute.SshPublicKeyArgs(
                        key_data=ssh_public_key,
                        path=f"/home/{ADMIN_USERNAME}/.ssh/authorized_keys",
                    )
                ]
            ),
        ),
    )


def _encrypted_disk(disk_encryption_set_id: pulumi.Input[str]) -> compute.ManagedDiskParametersArgs:
    return compute.ManagedDiskParametersArgs(
        storage_account_type=ENCRYPTED_DISK_TYPE,
        disk_encryption_set=compute.DiskEncryptionSetParametersArgs(id=disk_encryption_set_id),
    )


def encrypted_storage_profile(
    *,
    image: str,
    disk_encryption_set_id: pulumi.Input[str],
    os_disk_gb: int | None = None,
    data_disk_gb: int | None = None,
) -> compute.StorageProfileArgs:
    """OS disk, plus an optional data disk inline (no separate Disk resource per VM)."""
    data_disks = (
        [
            compute.DataDiskArgs(
                lun=0,
                create_option="Empty",
                disk_size_gb=data_disk_gb,
                delete_option="Detach",  # research data outlives the VM
                managed_disk=_encrypted_disk(disk_encryption_set_id),
            )
        ]
        if data_disk_gb
        else []
    )
    return compute.StorageProfileArgs(
        image_reference=image_reference(image),
        os_disk=compute.OSDiskArgs(
            create_option="FromImage",
            caching=compute.CachingTypes.READ_WRITE,
            delete_option="Delete",
            disk_size_gb=os_disk_gb,
            managed_disk=_encrypted_disk(disk_encryption_set_id),
        ),
        data_disks=data_disks,
    )


def security_rule(
    name: str,
    priority: int,
    *,
    outbound: bool = False,
    deny: bool = False,
    source: str | list[str] = "*",
    destination: str = "*",
    port: str = "*",
) -> network.SecurityRuleArgs:
    """One NSG rule, any source port: an allow rule lets TCP through, a deny rule stops every
    protocol; `source` a prefix or service tag, or a list of them."""
    one, many = (None, source) if isinstance(source, list) else (source, None)
    return network.SecurityRuleArgs(
        name=name,
        priority=priority,
        direction="Outbound" if outbound else "Inbound",
        access="Deny" if deny else "Allow",
        protocol="*" if deny else "Tcp",
        source_address_prefix=one,
        source_address_prefixes=many,
        source_port_range="*",
        destination_address_prefix=destination,
        destination_port_range=port,
    )


def deny_all_inbound_rule(
    priority: int = 4096, name: str = "deny-all-inbound"
) -> network.SecurityRuleArgs:
    """The explicit last inbound rule: nothing that was not allowed above gets in."""
    return security_rule(name, priority, deny=True)


@dataclass(frozen=True)
class VmBase:
    """What every VM of the estate is built with: where it goes, the disk encryption set
    every disk goes through, the operators' SSH key and the image."""

    scope: AzureScope
    disk_encryption_set_id: pulumi.Input[str]
    ssh_public_key: str
    vm_image: str

    def nsg(
        self,
        name: str,
        rules: list[network.SecurityRuleArgs],
        tags: dict[str, str],
        opts: pulumi.ResourceOptions,
    ) -> network.NetworkSecurityGroup:
        return network.NetworkSecurityGroup(
            name,
            resource_group_name=self.scope.resource_group_name,
            location=self.scope.location,
            security_rules=rules,
            tags=tags,
            opts=opts,
        )


@dataclass(frozen=True)
class VmPlacement:
    """One VM's own part: its names, size, disks, network and identity."""

    vm_name: str
    computer_name: str
    vm_size: str
    nsg_id: pulumi.Input[str]
    subnet_id: pulumi.Input[str]
    os_disk_gb: int | None = None
    data_disk_gb: int | None = None
    public_ip_id: pulumi.Input[str] | None = None
    identity: compute.VirtualMachineIdentityArgs | None = None
    nic_name: str | None = None  # None: the host's own, `<computer_name>-nic`

    @property
    def nic(self) -> str:
        return self.nic_name or f"{self.computer_name}-nic"


def hardened_vm(
    base: VmBase, place: VmPlacement, tags: dict[str, str], opts: pulumi.ResourceOptions
) -> compute.VirtualMachine:
    """A Linux VM on its one NIC behind its NSG, SSH keys only, every disk under the CMK."""
    nic = _single_nic(base, place, tags, opts)
    return compute.VirtualMachine(
        place.vm_name,
        resource_group_name=base.scope.resource_group_name,
        location=base.scope.location,
        hardware_profile=compute.HardwareProfileArgs(vm_size=place.vm_size),
        identity=place.identity,
        os_profile=linux_os_profile(place.computer_name, base.ssh_public_key),
        storage_profile=encrypted_storage_profile(
            image=base.vm_image,
            disk_encryption_set_id=base.disk_encryption_set_id,
            os_disk_gb=place.os_disk_gb,
            data_disk_gb=place.data_disk_gb,
        ),
        network_profile=compute.NetworkProfileArgs(
            network_interfaces=[compute.NetworkInterfaceReferenceArgs(id=nic.id, primary=True)]
        ),
        tags=tags,
        opts=opts,
    )


def _single_nic(
    base: VmBase, place: VmPlacement, tags: dict[str, str], opts: pulumi.ResourceOptions
) -> network.NetworkInterface:
    """A VM's one NIC behind its NSG: a dynamic private address, and a public one only when
    given (the access gateway's; enclaves are reached through the gateway)."""
    public_ip = network.PublicIPAddressArgs(id=place.public_ip_id) if place.public_ip_id else None
    return network.NetworkInterface(
        place.nic,
        resource_group_name=base.scope.resource_group_name,
        location=base.scope.location,
        network_security_group=network.NetworkSecurityGroupArgs(id=place.nsg_id),
        ip_configurations=[
            network.NetworkInterfaceIPConfigurationArgs(
                name="primary",
                primary=True,
                subnet=network.SubnetArgs(id=place.subnet_id),
                private_ip_allocation_method="Dynamic",
                public_ip_address=public_ip,
            )
        ],
        tags=tags,
        opts=opts,
    )
