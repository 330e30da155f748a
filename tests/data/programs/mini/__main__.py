"""Tiny Pulumi program for bascule's synth tests: an explicit OpenStack provider whose password
is a config secret, and a network inside a component resource."""

import pulumi
import pulumi_openstack as openstack

config = pulumi.Config()
net = config.require_object("network")

provider = openstack.Provider(
    "openstack",
    auth_url=config.require("authUrl"),
    region=config.require("region"),
    password=config.require_secret("openstackPassword"),
    tenant_name="mini",
)


class Zone(pulumi.ComponentResource):
    def __init__(self, name: str, opts: pulumi.ResourceOptions | None = None) -> None:
        super().__init__("mini:net:Zone", name, None, opts)
        self.network = openstack.networking.Network(
            f"{name}-net",
            name=net["name"],
            mtu=net["mtu"],
            admin_state_up=net["adminStateUp"],
            tags=[f"tier={config.get('tier')}"],
            opts=pulumi.ResourceOptions(parent=self, provider=provider),
        )
        self.register_outputs({"networkId": self.network.id})


zone = Zone("hub")
pulumi.export("networkName", zone.network.name)
pulumi.export("tier", config.get("tier"))
