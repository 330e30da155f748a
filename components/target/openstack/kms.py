"""Key management: dataset/disk keys and pseudonymisation keys, never in the same store.

OpenStack: Barbican orders make the key material server-side (no payload ever passes
through Pulumi state), grouped in two Barbican containers. OVH: two OKMS domains, each
key an OKMS service key. Orders, containers and OKMS domains take no metadata or tags.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal

import pulumi
import pulumi_ovh as ovh
from pulumi_openstack import keymanager
from pulumi_openstack.provider import Provider as OpenStackProvider
from pulumi_ovh.provider import Provider as OvhProvider

from components.component import Opts
from components.config.model import Key, KeyPurpose
from components.target.common import key_resource_name as order_name

# Every target key is AES-256: Barbican and OKMS wrap data keys symmetrically.
KEY_ALGORITHM = "aes"
KEY_BITS = 256
OKMS_OPERATIONS = ("encrypt", "decrypt", "wrapKey", "unwrapKey")
OVH_SUBSIDIARY = "FR"

# (store suffix, holds this purpose?): pseudonymisation keys get their own store.
KeyFilter = Callable[[KeyPurpose], bool]
STORES: tuple[tuple[str, KeyFilter], ...] = (
    ("keys", lambda purpose: purpose is not KeyPurpose.PSEUDONYMISATION),
    ("pseudo", lambda purpose: purpose is KeyPurpose.PSEUDONYMISATION),
)


@dataclass(frozen=True)
class KmsArgs:
    platform: str
    keys: tuple[Key, ...]
    backend: Literal["openstack", "ovh"]
    openstack_provider: OpenStackProvider
    ovh_provider: OvhProvider | None = None
    okms_region: str | None = None


class Kms(pulumi.ComponentResource):
    store_of_key: dict[str, str]
    """Key name -> name of the Barbican container or OKMS domain holding it (plain values)."""
    key_refs: dict[str, pulumi.Output[str]]
    store_kind: str  # what a store is: an OKMS domain ("kms") or a Barbican "container"

    def __init__(self, name: str, args: KmsArgs, opts: Opts = None) -> None:
        super().__init__("bascule:target:Kms", name, None, opts)
        self.store_of_key = {}
        self.key_refs = {}
        self.store_kind = "kms" if args.backend == "ovh" else "container"

        for suffix, holds in STORES:
            keys = tuple(k for k in args.keys if holds(k.purpose))
            if not keys:
                continue  # no empty store (an OKMS domain is a billed service)
            store = f"{args.platform}-{suffix}"
            if args.backend == "ovh":
                self._okms(store, keys, args)
            else:
                self._barbican(store, keys, args)
            self.store_of_key.update({k.name: store for k in keys})

        self.register_outputs({"storeOfKey": self.store_of_key, "keyRefs": self.key_refs})

    def _barbican(self, store: str, keys: tuple[Key, ...], args: KmsArgs) -> None:
        child = pulumi.ResourceOptions(parent=self, provider=args.openstack_provider)
        refs: list[keymanager.ContainerV1SecretRefArgs] = []
        for key in keys:
            order = keymanager.OrderV1(
                # Orders carry no metadata or tags: the purpose in the resource name is what
                # lets a reviewer (and PRT-004) tell a dataset key from the rest.
                f"{order_name(key)}-order",
                type="key",
                meta=keymanager.OrderV1MetaArgs(
                    name=key.name,
                    algorithm=KEY_ALGORITHM,
                    bit_length=KEY_BITS,
                    mode="cbc",
                    expiration=f"{key.expires.isoformat()}T00:00:00Z" if key.expires else None,
                ),
                opts=child,
            )
            self.key_refs[key.name] = order.secret_ref
            refs.append(
                keymanager.ContainerV1SecretRefArgs(name=key.name, secret_ref=order.secret_ref)
            )
        keymanager.ContainerV1(store, name=store, type="generic", secret_refs=refs, opts=child)

    def _okms(self, store: str, keys: tuple[Key, ...], args: KmsArgs) -> None:
        if args.ovh_provider is None or args.okms_region is None:
            raise ValueError("the ovh key backend needs an OVH provider and an OKMS region")
        child = pulumi.ResourceOptions(parent=self, provider=args.ovh_provider)
        okms = ovh.okms.Okms(
            store,
            display_name=store,
            region=args.okms_region,
            ovh_subsidiary=OVH_SUBSIDIARY,
            opts=child,
        )
        for key in keys:
            # OKMS keys carry no tags: the purpose in the resource name lets policies tell
            # pseudonymisation keys apart.
            service_key = ovh.okms.ServiceKey(
                f"{key.name}-{key.purpose.value}",
                okms_id=okms.id,
                name=key.name,
                type="oct",
                size=KEY_BITS,
                operations=list(OKMS_OPERATIONS),
                opts=child,
            )
            self.key_refs[key.name] = service_key.id
