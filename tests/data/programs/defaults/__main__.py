"""Tiny Pulumi program for bascule's synth tests: Azure and OpenStack resources and an invoke,
none with an explicit provider, so the engine (and bascule's synth) registers default
providers from the stack config."""

import pulumi
import pulumi_azure_native as azure_native
import pulumi_openstack as openstack

config = pulumi.Config()
prefix = config.require("prefix")

client = azure_native.authorization.get_client_config_output()
group = azure_native.resources.ResourceGroup("rg", resource_group_name=f"{prefix}-rg")
account = azure_native.storage.StorageAccount(
    "store",
    account_name=f"{prefix}store",
    resource_group_name=group.name,
    kind="StorageV2",
    sku={"name": "Standard_ZRS"},
    allow_blob_public_access=False,
    minimum_tls_version="TLS1_2",
)
network = openstack.networking.Network("net", name=f"{prefix}-net")

pulumi.export("tenant", client.tenant_id)
pulumi.export("account", account.name)
