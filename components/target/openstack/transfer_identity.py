"""One wave's target-side transfer identity for one job: a Keystone application credential
that can list and read that wave's containers of that job and write objects into them, never
delete, and expires at the wave's cutover date.

Named `<platform>-wave<N>-<job>-transfer`, the name `bascule transfer plan` refers to; built
only while the wave is replicating or parallel (components/lifecycle.py). Keystone generates
its secret, which Pulumi keeps as a secret output (`pulumi stack output` reveals it to the
operator who loads it into the transfer job's environment).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

import pulumi
from pulumi_openstack import identity
from pulumi_openstack.provider import Provider

from components.component import Opts
from components.config.interconnect import TransferJob

OBJECT_STORE = "object-store"
CONTAINER_METHODS = ("GET", "HEAD")  # listing and existence checks
OBJECT_METHODS = ("GET", "HEAD", "PUT")  # copy and verify; never DELETE


def access_rules(containers: Sequence[str]) -> list[identity.ApplicationCredentialAccessRuleArgs]:
    """Object-store calls on these containers only (`*` is the account segment)."""
    rules = []
    for container in containers:
        for method in CONTAINER_METHODS:
            rules.append(
                identity.ApplicationCredentialAccessRuleArgs(
                    service=OBJECT_STORE, method=method, path=f"/v1/*/{container}"
                )
            )
        for method in OBJECT_METHODS:
            rules.append(
                identity.ApplicationCredentialAccessRuleArgs(
                    service=OBJECT_STORE, method=method, path=f"/v1/*/{container}/**"
                )
            )
    return rules


@dataclass(frozen=True)
class TransferIdentityArgs:
    provider: Provider
    platform: str
    transfer: TransferJob  # the wave and the job ("datasets" or "pseudonymisation-keys")
    containers: Sequence[str]  # the wave's Swift containers of that job
    roles: Sequence[str]  # the Keystone roles Swift treats as write access
    expires: dt.date  # the wave's cutover date


class TransferIdentity(pulumi.ComponentResource):
    credential_id: pulumi.Output[str]

    def __init__(self, name: str, args: TransferIdentityArgs, opts: Opts = None) -> None:
        super().__init__("bascule:target:TransferIdentity", name, None, opts)
        credential = identity.ApplicationCredential(
            name,
            name=args.transfer.component_name(args.platform),
            description=args.transfer.description(),
            roles=list(args.roles),
            unrestricted=False,
            expires_at=f"{args.expires.isoformat()}T23:59:59Z",
            access_rules=access_rules(args.containers),
            opts=pulumi.ResourceOptions(parent=self, provider=args.provider),
        )
        self.credential_id = credential.id
        self.register_outputs({"credentialId": self.credential_id})
