"""Canonical inventory: one vocabulary for keys whatever the KMS (Key Vault, Barbican, OKMS)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from bascule.parity.inventory import canonical_objects, estate_of, key_algorithm
from bascule.parity.mapping import SOURCE, TARGET
from bascule.snapshot.load import load_snapshot
from bascule.snapshot.model import UNKNOWN, Resource, Snapshot

DATA = Path(__file__).resolve().parents[2] / "data" / "parity"


@pytest.mark.parametrize(
    ("kind", "size", "expected"),
    [
        ("oct", 256, ("AES 256", 256)),  # OVHcloud KMS
        ("oct-HSM", 128.0, ("AES 128", 128)),  # Azure Managed HSM
        ("aes", "256", ("AES 256", 256)),  # Barbican
        ("AES", 256.0, ("AES 256", 256)),
        ("RSA-HSM", 3072, ("RSA 3072", 128)),  # Azure Key Vault Premium
        ("rsa", 2048.0, ("RSA 2048", 112)),
        ("RSA", 1024, ("RSA 1024", None)),  # below any table: no strength claimed
        ("EC", "p-384", ("EC P-384", 192)),
        ("EC-HSM", "P-521", ("EC P-521", 256)),
        ("aes", 512, ("AES 512", None)),  # not an AES key size
        ("des", 56, ("DES 56", None)),  # unknown family: its own word, no strength
        ("aes", None, ("AES", None)),
        ("aes", UNKNOWN, ("AES (unknown)", None)),  # a preview's unknown size
        (None, 256, (None, None)),
        (UNKNOWN, 256, (None, None)),
        ({"nested": 1}, [1], ("{'NESTED': 1} [1]", None)),  # nonsense never crashes
    ],
)
def test_key_algorithm_names_one_vocabulary(kind: Any, size: Any, expected: tuple) -> None:
    assert key_algorithm(kind, size) == expected


def keys(snapshot: Snapshot, estate: str) -> dict[str, tuple[Any, Any]]:
    objects = canonical_objects(estate_of(snapshot, estate))
    return {
        o.name: (o.fields["algorithm"], o.fields["strengthBits"])
        for o in objects.values()
        if o.capability == "key"
    }


def test_barbican_and_okms_keys_read_the_same(prod_snapshot: Snapshot) -> None:
    dev = load_snapshot(DATA / "baseline.json")  # target: OpenStack Barbican orders
    assert keys(dev, TARGET) == {
        "datasets-cmk": ("AES 256", 256),
        "disks-cmk": ("AES 256", 256),
        "pseudo-keys": ("AES 256", 256),
    }
    # prod's target is OVHcloud KMS (`type: oct`): the same words, not `oct 256`.
    assert keys(prod_snapshot, TARGET) == {
        "snds-cmk": ("AES 256", 256),
        "datasets-cmk": ("AES 256", 256),
        "disks-cmk": ("AES 256", 256),
        "pseudo-keys": ("AES 256", 256),
    }
    # Azure keys are RSA-HSM: named by algorithm, the HSM being the securityContainer field.
    assert keys(prod_snapshot, SOURCE) == {
        "snds-cmk": ("RSA 4096", 152),
        "datasets-cmk": ("RSA 3072", 128),
        "disks-cmk": ("RSA 3072", 128),
        "pseudo-keys": ("RSA 3072", 128),
    }


def target_with(resource: Resource) -> Snapshot:
    estate = Resource("urn:pulumi:dev::bascule::bascule:target:Estate::target",
                      "bascule:target:Estate", custom=False)  # fmt: skip
    return Snapshot((estate, resource), "t.json", "export")


def test_an_rsa_barbican_secret_is_not_2048_bits_strong() -> None:
    # Barbican secrets carry free metadata: an RSA-2048 secret is 112 bits strong, not 2048.
    secret = Resource(
        "urn:pulumi:dev::bascule::bascule:target:Estate$openstack:keymanager/secretV1:SecretV1::k",
        "openstack:keymanager/secretV1:SecretV1", custom=True,
        inputs={"name": "k", "algorithm": "rsa", "bitLength": 2048.0},
        parent="urn:pulumi:dev::bascule::bascule:target:Estate::target",
    )  # fmt: skip
    assert keys(target_with(secret), TARGET) == {"k": ("RSA 2048", 112)}


def test_an_okms_ec_key_is_named_by_its_curve() -> None:
    key = Resource(
        "urn:pulumi:dev::bascule::bascule:target:Estate$ovh:okms/serviceKey:ServiceKey::k",
        "ovh:okms/serviceKey:ServiceKey", custom=True,
        inputs={"name": "k", "type": "EC", "curve": "P-256", "okmsId": "o"},
        parent="urn:pulumi:dev::bascule::bascule:target:Estate::target",
    )  # fmt: skip
    assert keys(target_with(key), TARGET) == {"k": ("EC P-256", 128)}


def test_a_barbican_order_is_named_by_its_containers_reference() -> None:
    # The secret's own name carries the key's purpose (components/target/openstack/kms.py); the
    # container's reference to it carries the key's name, which the source key has too.
    parent = "urn:pulumi:dev::bascule::bascule:target:Estate::target"
    ref = "https://barbican.example:9311/v1/secrets/0c3e0d9e-5a36-5a8c-9d0f-6c1f3a1b2c3d"
    order = Resource(
        f"{parent[:-len('::target')]}$openstack:keymanager/orderV1:OrderV1::pseudo-keys-order",
        "openstack:keymanager/orderV1:OrderV1", custom=True,
        inputs={"type": "key", "meta": {"name": "pseudo-keys-pseudonymisation",
                                        "algorithm": "aes", "bitLength": 256.0}},
        outputs={"type": "key", "secretRef": ref,
                 "meta": {"name": "pseudo-keys-pseudonymisation", "algorithm": "aes",
                          "bitLength": 256.0}},
        parent=parent,
    )  # fmt: skip
    container = Resource(
        f"{parent[:-len('::target')]}$openstack:keymanager/containerV1:ContainerV1::hdh-pseudo",
        "openstack:keymanager/containerV1:ContainerV1", custom=True,
        inputs={"name": "hdh-pseudo", "type": "generic",
                "secretRefs": [{"name": "pseudo-keys", "secretRef": ref}]},
        outputs={"name": "hdh-pseudo", "type": "generic",
                 "secretRefs": [{"name": "pseudo-keys", "secretRef": ref}]},
        parent=parent,
    )  # fmt: skip
    estate = Resource(parent, "bascule:target:Estate", custom=False)
    snapshot = Snapshot((estate, order, container), "t.json", "export")
    assert keys(snapshot, TARGET) == {"pseudo-keys": ("AES 256", 256)}
    # Without the container (or with an unknown reference) the secret's own name stands.
    alone = Snapshot((estate, order), "t.json", "export")
    assert keys(alone, TARGET) == {"pseudo-keys-pseudonymisation": ("AES 256", 256)}
