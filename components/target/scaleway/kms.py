"""Key Manager keys on Scaleway: one AES-256-GCM key per configured key, rotated yearly
(as the source's Key Vault keys are), never deletable by Pulumi (`unprotected` false).

Key Manager keys belong to a project: the pseudonymisation keys get a project of their own
(`<platform>-pseudo`), so no IAM policy of the platform's project reaches them; that project
is the pseudonymisation keys' store as a Barbican container is on OpenStack.
"""

from __future__ import annotations

from dataclasses import dataclass

import pulumi
from pulumiverse_scaleway import account, keymanager

from components.component import Opts, ProviderComponent
from components.config.model import Key, KeyPurpose
from components.tagging import Labels
from components.target.common import key_resource_name, named
from components.target.scaleway.scope import ScalewayScope

# SSE-KMS's key encryption key is a symmetric AES-256-GCM Key Manager key (docs-content
# macros/object-storage/sse-kms-introduction.mdx, read 2026-12-02).
KEY_USAGE = "symmetric_encryption"
KEY_ALGORITHM = "aes_256_gcm"
KEY_BITS = 256
# The source's Key Vault keys rotate a year after creation (components/azure/key_vault.py).
ROTATION_PERIOD = "8760h"
PSEUDO_SUFFIX = "pseudo"


@dataclass(frozen=True)
class KmsArgs:
    scope: ScalewayScope  # the platform's project (pseudonymisation keys get their own)
    platform: str
    keys: tuple[Key, ...]
    labels: Labels


class Kms(ProviderComponent):
    key_ids: dict[str, pulumi.Output[str]]
    project_of_key: dict[str, pulumi.Input[str]]
    store_of_key: dict[str, str]
    """Key name -> its store: the platform's project id, or `<platform>-pseudo`."""
    pseudo_project_id: pulumi.Input[str] | None

    def __init__(self, name: str, args: KmsArgs, opts: Opts = None) -> None:
        super().__init__("bascule:target:Kms", name, args.scope.provider, opts)
        self.key_ids, self.project_of_key, self.store_of_key = {}, {}, {}
        self.pseudo_project_id = None
        if any(k.purpose is KeyPurpose.PSEUDONYMISATION for k in args.keys):
            pseudo = account.Project(
                **named(f"{args.platform}-{PSEUDO_SUFFIX}"),
                description="pseudonymisation keys and tables only: no other workload",
                opts=self.child,
            )
            self.pseudo_project_id = pseudo.id
        for key in args.keys:
            self._key(key, args, self.child)
        self.register_outputs({"keyIds": self.key_ids, "storeOfKey": self.store_of_key})

    def _key(self, key: Key, args: KmsArgs, child: pulumi.ResourceOptions) -> None:
        pseudo = key.purpose is KeyPurpose.PSEUDONYMISATION
        project: pulumi.Input[str] = (
            self.pseudo_project_id if pseudo and self.pseudo_project_id else args.scope.project_id
        )
        created = keymanager.Key(
            # The purpose in the resource name, as on OpenStack (policies read it there too).
            f"{key_resource_name(key)}-key",
            name=key.name,
            description=f"{key.purpose.value} key {key.name}",
            usage=KEY_USAGE,
            algorithm=KEY_ALGORITHM,
            **args.scope.in_project(project).regional,
            rotation_policy=keymanager.KeyRotationPolicyArgs(rotation_period=ROTATION_PERIOD),
            unprotected=False,
            tags=[*args.labels.with_(role=f"key-{key.purpose.value}").as_list()],
            opts=child,
        )
        self.key_ids[key.name] = created.id
        self.project_of_key[key.name] = project
        self.store_of_key[key.name] = (
            f"{args.platform}-{PSEUDO_SUFFIX}" if pseudo else f"{args.platform}-keys"
        )
