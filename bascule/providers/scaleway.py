"""Scaleway (pulumiverse-scaleway 1.60): the target on Scaleway fr-par (issue 21).

Sources (read 2026-12-01):
- pulumiverse-scaleway 1.60.0 types and property names: the SDK installed in `.venv`
  (pulumiverse_scaleway), e.g. `instance.Server(type=..., root_volume=..., ip_id=...)`,
  `block.Volume(size_in_gb=...)` (no encryption setting), `keymanager.Key(usage=,
  algorithm=, rotation_policy=)`, `s2svpn.Connection(ikev2_ciphers=, esp_ciphers=,
  secret_id=)`. Its `pulumi-plugin.json`: plugin `scaleway` 1.60.0 from
  `github://api.github.com/pulumiverse`.
- Terraform: pulumiverse-scaleway bridges the scaleway/scaleway provider
  (registry.terraform.io/scaleway/scaleway); resource names as that provider's own tests and
  docs spell them (terraform-provider-scaleway provider/provider_test.go, docs/resources/
  s2s_vpn_connection.md); the bridge's modules rename `vpc` to `network`, `key_manager` to
  `keymanager`, `secret` to `secrets`.
- The Scaleway provider resource carries the default region and zone; every resource may
  state its own (`region`, `zone`): the residency rule judges both (region and zone), so
  there is no `region_provider` to judge as OpenStack's is.
- Parity reads bascule's own Scaleway components (bascule/parity/inventory_scaleway.py); an
  estate bascule did not build is not read by type yet (no `parity_types`): its resources
  are listed as not compared, never taken for OpenStack ones.
"""

from __future__ import annotations

from bascule.providers.facts import TARGET, Part, ProviderFacts

FACTS = ProviderFacts(
    name="scaleway",
    estate=TARGET,
    label="Scaleway",
    packages=("scaleway",),
    # The provider carries the default region and zone, judged with every resource's own
    # by the residency rule's Scaleway check (region and zone), not as an OpenStack region.
    region_provider=None,
    tf_provider="registry.terraform.io/scaleway/scaleway",
    tf_types={
        "scaleway:instance/server:Server": "scaleway_instance_server",
        "scaleway:instance/ip:Ip": "scaleway_instance_ip",
        "scaleway:instance/securityGroup:SecurityGroup": "scaleway_instance_security_group",
        "scaleway:instance/securityGroupRules:SecurityGroupRules": (
            "scaleway_instance_security_group_rules"
        ),
        "scaleway:instance/placementGroup:PlacementGroup": "scaleway_instance_placement_group",
        "scaleway:instance/privateNic:PrivateNic": "scaleway_instance_private_nic",
        "scaleway:instance/volume:Volume": "scaleway_instance_volume",
        "scaleway:block/volume:Volume": "scaleway_block_volume",
        "scaleway:network/vpc:Vpc": "scaleway_vpc",
        "scaleway:network/privateNetwork:PrivateNetwork": "scaleway_vpc_private_network",
        "scaleway:network/publicGateway:PublicGateway": "scaleway_vpc_public_gateway",
        "scaleway:object/bucket:Bucket": "scaleway_object_bucket",
        "scaleway:object/bucketAcl:BucketAcl": "scaleway_object_bucket_acl",
        "scaleway:object/bucketPolicy:BucketPolicy": "scaleway_object_bucket_policy",
        "scaleway:object/bucketLockConfiguration:BucketLockConfiguration": (
            "scaleway_object_bucket_lock_configuration"
        ),
        "scaleway:object/bucketServerSideEncryptionConfiguration:"
        "BucketServerSideEncryptionConfiguration": (
            "scaleway_object_bucket_server_side_encryption_configuration"
        ),
        "scaleway:keymanager/key:Key": "scaleway_key_manager_key",
        "scaleway:account/project:Project": "scaleway_account_project",
        "scaleway:secrets/secret:Secret": "scaleway_secret",
        "scaleway:secrets/version:Version": "scaleway_secret_version",
        "scaleway:s2svpn/gateway:Gateway": "scaleway_s2s_vpn_gateway",
        "scaleway:s2svpn/customerGateway:CustomerGateway": "scaleway_s2s_vpn_customer_gateway",
        "scaleway:s2svpn/routingPolicy:RoutingPolicy": "scaleway_s2s_vpn_routing_policy",
        "scaleway:s2svpn/connection:Connection": "scaleway_s2s_vpn_connection",
    },
    unmapped={
        "pulumi:providers:scaleway": "provider configuration (checked by bascule's SOV rules)",
        "scaleway:iam/application:Application": "transfer identity, checked by MIG-015, MIG-018",
        "scaleway:iam/policy:Policy": "transfer identity's rights, checked by MIG-015",
        "scaleway:iam/apiKey:ApiKey": "transfer credential, checked by MIG-015, MIG-016",
    },
    # Keys only: what parity reads of bascule's Scaleway components by type (an estate
    # bascule did not build is not read by type: see the module docstring).
    parity_types={Part.KEY: ("scaleway:keymanager/key:Key",)},
)
