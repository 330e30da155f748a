"""Neutron security groups without the allow-all defaults: the gateway's, each enclave's and
the platform's egress group are built the same way (helpers, no component)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import pulumi
from pulumi_openstack import networking

from components.tagging import Labels
from components.target.common import named


@dataclass(frozen=True)
class Flow:
    """One flow a security group lets through, `name` its rule: IPv4 from (`ingress`) or to
    (`egress`) a range, on one TCP port, or on any protocol when no port is given."""

    name: str
    direction: str
    cidr: pulumi.Input[str]
    description: str
    port: int | None = None


def security_group(
    name: str,
    description: str,
    flows: Iterable[Flow],
    labels: Labels,
    opts: pulumi.ResourceOptions,
) -> networking.SecGroup:
    """A group without Neutron's allow-all egress defaults: only its flows pass."""
    group = networking.SecGroup(
        **named(name),
        description=description,
        delete_default_rules=True,
        tags=labels.as_list(),
        opts=opts,
    )
    for flow in flows:
        networking.SecGroupRule(
            flow.name,
            security_group_id=group.id,
            direction=flow.direction,
            ethertype="IPv4",
            protocol=None if flow.port is None else "tcp",
            port_range_min=flow.port,
            port_range_max=flow.port,
            remote_ip_prefix=flow.cidr,
            description=flow.description,
            opts=opts,
        )
    return group
