"""OpenStack (the SecNumCloud OpenStack offers; OVHcloud's Public Cloud is one too).

Sources (read 2026-12-01):
- pulumi-openstack 5.x types and input names: the SDK installed in `.venv` (pulumi_openstack).
  `openstack:compute/secGroup:SecGroup` and `openstack:compute/floatingIpAssociate:...` are
  the nova-network types of pulumi-openstack 3.x/4.x, still found in older exports.
- Terraform types and source address: those of the Terraform provider pulumi-openstack
  bridges (registry.terraform.io/providers/terraform-provider-openstack/openstack), as the
  tfplan export has given them to checkov since it exists (moved here unchanged, not
  re-read this session).
"""

from __future__ import annotations

from bascule.providers.facts import TARGET, Part, ProviderFacts

# The program builds with these (components/target/openstack/catalog.py imports them), and
# parity judges by them: one definition.
ENCRYPTED_VOLUME_TYPES = frozenset({"encrypted-luks"})
ENCRYPTED_STORAGE_POLICIES = frozenset({"encrypted", "encrypted-3az"})

PROVIDER = "pulumi:providers:openstack"

FACTS = ProviderFacts(
    name="openstack",
    estate=TARGET,
    label="OpenStack",
    packages=("openstack",),
    # The Keystone region every resource inherits; resources may override it.
    region_provider=PROVIDER,
    tf_provider="registry.terraform.io/terraform-provider-openstack/openstack",
    tf_types={
        "openstack:compute/instance:Instance": "openstack_compute_instance_v2",
        "openstack:compute/keypair:Keypair": "openstack_compute_keypair_v2",
        "openstack:compute/serverGroup:ServerGroup": "openstack_compute_servergroup_v2",
        "openstack:compute/volumeAttach:VolumeAttach": "openstack_compute_volume_attach_v2",
        "openstack:blockstorage/volume:Volume": "openstack_blockstorage_volume_v3",
        "openstack:networking/network:Network": "openstack_networking_network_v2",
        "openstack:networking/subnet:Subnet": "openstack_networking_subnet_v2",
        "openstack:networking/router:Router": "openstack_networking_router_v2",
        "openstack:networking/routerInterface:RouterInterface": (
            "openstack_networking_router_interface_v2"
        ),
        "openstack:networking/port:Port": "openstack_networking_port_v2",
        "openstack:networking/secGroup:SecGroup": "openstack_networking_secgroup_v2",
        "openstack:networking/secGroupRule:SecGroupRule": "openstack_networking_secgroup_rule_v2",
        "openstack:networking/floatingIp:FloatingIp": "openstack_networking_floatingip_v2",
        "openstack:networking/floatingIpAssociate:FloatingIpAssociate": (
            "openstack_networking_floatingip_associate_v2"
        ),
        "openstack:objectstorage/container:Container": "openstack_objectstorage_container_v1",
        "openstack:keymanager/orderV1:OrderV1": "openstack_keymanager_order_v1",
        "openstack:keymanager/containerV1:ContainerV1": "openstack_keymanager_container_v1",
        "openstack:keymanager/secretV1:SecretV1": "openstack_keymanager_secret_v1",
    },
    unmapped={
        PROVIDER: "provider configuration (checked by bascule's SOV rules)",
        # The migration's own resources (issue 20): not exported yet; MIG-010..017 check them.
        "openstack:vpnaas/ikePolicy:IkePolicy": "interconnect, checked by MIG-010 and MIG-013",
        "openstack:vpnaas/ipSecPolicy:IpSecPolicy": "interconnect, checked by MIG-011 and MIG-013",
        "openstack:vpnaas/service:Service": "interconnect, checked by MIG-013",
        "openstack:vpnaas/endpointGroup:EndpointGroup": "interconnect, checked by MIG-013",
        "openstack:vpnaas/siteConnection:SiteConnection": (
            "interconnect, checked by MIG-012, MIG-013"
        ),
        "openstack:identity/applicationCredential:ApplicationCredential": (
            "transfer credential, checked by MIG-015, MIG-016, MIG-020"
        ),
    },
    parity_types={
        Part.SERVER: ("openstack:compute/instance:Instance",),
        Part.DISK: ("openstack:blockstorage/volume:Volume",),
        Part.DISK_ATTACHMENT: ("openstack:compute/volumeAttach:VolumeAttach",),
        Part.INTERFACE: ("openstack:networking/port:Port",),
        Part.INTERFACE_ATTACHMENT: ("openstack:compute/interfaceAttach:InterfaceAttach",),
        Part.FIREWALL: (
            "openstack:networking/secGroup:SecGroup",
            "openstack:compute/secGroup:SecGroup",  # nova-network, inline `rules`
        ),
        Part.FIREWALL_RULE: ("openstack:networking/secGroupRule:SecGroupRule",),
        Part.FIREWALL_ATTACHMENT: (
            "openstack:networking/portSecGroupAssociate:PortSecGroupAssociate",
        ),
        Part.PUBLIC_ADDRESS: ("openstack:networking/floatingIp:FloatingIp",),
        Part.PUBLIC_ADDRESS_ATTACHMENT: (
            "openstack:networking/floatingIpAssociate:FloatingIpAssociate",
            "openstack:compute/floatingIpAssociate:FloatingIpAssociate",
        ),
        Part.PORT_FORWARDING: ("openstack:networking/portForwardingV2:PortForwardingV2",),
        Part.CONTAINER: ("openstack:objectstorage/container:Container",),
        Part.KEY: (
            "openstack:keymanager/orderV1:OrderV1",
            "openstack:keymanager/secretV1:SecretV1",
        ),
        Part.KEY_STORE: ("openstack:keymanager/containerV1:ContainerV1",),
        Part.NETWORK: ("openstack:networking/network:Network",),
        Part.SUBNET: ("openstack:networking/subnet:Subnet",),
    },
)
