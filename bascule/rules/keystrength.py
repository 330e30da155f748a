"""Key strength and key life cycle: ANSSI sizes, SSH key types, rotation and expiry.

Sizes follow the issue's reading of ANSSI's cryptographic mechanisms guide (RSA moduli of
at least 3072 bits for new keys, symmetric keys of at least 128 bits, elliptic curves of at
least 256 bits; DSA is ruled out): see docs/rules/PRT-015.md for the source and its status.
"""

from __future__ import annotations

import base64
import binascii
import re
from collections.abc import Iterator, Mapping
from functools import partial
from typing import Any

from bascule.rules import props as p
from bascule.rules.base import Enforcement, Param, ResourceView, Rule, Severity
from bascule.rules.check import Params
from bascule.rules.types import (
    BARBICAN_ORDER,
    BARBICAN_SECRET,
    KEY,
    OKMS_KEY,
    OVH_INSTANCE,
    SCW_KEYS,
    VM,
    VMSS,
)

KEYPAIR = "openstack:compute/keypair:Keypair"
AZ_SSH_KEY = "azure-native:compute:SshPublicKey"
OVH_SSH_KEYS = (
    "ovh:index/cloudProjectSshKey:CloudProjectSshKey",
    "ovh:index/cloudSSHKey:CloudSSHKey",
)
SCW_SSH_KEYS = (
    "scaleway:iam/sshKey:SshKey",
    "scaleway:index/iamSshKey:IamSshKey",
    "scaleway:account/sshKey:SshKey",
    "scaleway:index/accountSshKey:AccountSshKey",
)
# Key Manager algorithm names: aes_256_gcm, rsa_oaep_3072_sha256, ec_p256_sha256...
SCW_CURVES = {"p256": "P-256", "p384": "P-384", "p521": "P-521"}
SYMMETRIC = ("aes", "oct", "oct-hsm", "hmac")
WEAK_ALGORITHMS = ("des", "3des", "tripledes", "des3", "rc4", "rc2", "blowfish", "dsa")
RSA_DEFAULT_AZURE = 2048  # Key Vault's default RSA size when keySize is not set
SIZES: Mapping[str, Param] = {
    "minRsaBits": Param(p.int_schema(1024), 3072, "Minimum RSA modulus for new keys."),
    "minSymmetricBits": Param(p.int_schema(64), 128, "Minimum symmetric key size."),
    "allowedCurves": Param.str_list(
        ["P-256", "P-384", "P-521", "Ed25519"],
        "Elliptic curves allowed for keys (names compared without case or dashes).",
    ),
}


def _judge(algorithm: str, bits: int | None, curve: Any, params: Params) -> str | None:
    """What is wrong with (algorithm, size, curve), or None."""
    algo = algorithm.strip().lower()
    if algo in WEAK_ALGORITHMS:
        return f"algorithm '{algorithm}' is ruled out"
    if algo.startswith("rsa"):
        minimum = p.to_int(params["minRsaBits"]) or 3072
        if bits is None:
            return None
        return f"RSA {bits} bits is below {minimum}" if bits < minimum else None
    if algo.startswith("ec"):
        allowed = [p.norm(str(c)) for c in p.as_seq(params["allowedCurves"])]
        if (
            isinstance(curve, str)
            and curve
            and not p.is_unknown(curve)
            and p.norm(curve) not in allowed
        ):
            return f"curve '{curve}' is not an allowed curve {p.fmt_list(params['allowedCurves'])}"
        return None
    if algo in SYMMETRIC and bits is not None:
        minimum = p.to_int(params["minSymmetricBits"]) or 128
        return f"{algorithm} {bits} bits is below {minimum}" if bits < minimum else None
    return None


def _key_properties(props: Mapping[str, Any]) -> Mapping[str, Any]:
    """A Key's inputs nest them under `properties`; its outputs are flat."""
    inner = props.get("properties")
    return inner if isinstance(inner, Mapping) else props


def _azure_key(view: ResourceView, params: Params) -> Iterator[str]:
    inner = _key_properties(view.props)
    kty, size, curve = inner.get("kty"), inner.get("keySize"), inner.get("curveName")
    if p.is_unknown(kty) or p.is_unknown(size) or not isinstance(kty, str):
        return
    bits = p.to_int(size)
    if bits is None and kty.lower().startswith("rsa"):
        bits = RSA_DEFAULT_AZURE
        verdict = _judge(kty, bits, curve, params)
        if verdict:
            yield f"properties.keySize is not set (defaults to {bits}): {verdict}"
        return
    verdict = _judge(kty, bits, curve, params)
    if verdict:
        yield f"properties.kty '{kty}': {verdict}"


def _barbican(view: ResourceView, params: Params) -> Iterator[str]:
    props = view.props
    source = props.get("meta") if view.type == BARBICAN_ORDER else props
    if not isinstance(source, Mapping):
        return
    where = "meta." if view.type == BARBICAN_ORDER else ""
    algorithm, bits = source.get("algorithm"), source.get("bitLength")
    if isinstance(algorithm, str) and not p.is_unknown(algorithm) and not p.is_unknown(bits):
        verdict = _judge(algorithm, p.to_int(bits), None, params)
        if verdict:
            yield f"{where}algorithm '{algorithm}', {where}bitLength {p.show(bits)}: {verdict}"
    mode = source.get("mode")
    if isinstance(mode, str) and mode.strip().lower() == "ecb":
        yield f"{where}mode 'ecb' is ruled out (use cbc, gcm or ctr)"


def _okms(view: ResourceView, params: Params) -> Iterator[str]:
    props = view.props
    ktype, size, curve = props.get("type"), props.get("size"), props.get("curve")
    if isinstance(ktype, str) and not p.is_unknown(ktype) and not p.is_unknown(size):
        verdict = _judge(ktype, p.to_int(size), curve, params)
        if verdict:
            yield f"type '{ktype}', size {p.show(size)}: {verdict}"


def _scw_key(view: ResourceView, params: Params) -> Iterator[str]:
    algorithm = view.props.get("algorithm")
    if not isinstance(algorithm, str) or p.is_unknown(algorithm):
        return
    parts = algorithm.strip().lower().split("_")
    numbers = [p.to_int(part) for part in parts if p.to_int(part) is not None]
    family = parts[0]
    if family == "rsa":
        verdict = _judge("rsa", numbers[0] if numbers else None, None, params)
    elif family == "ec" and len(parts) > 1:
        verdict = _judge("ec", None, SCW_CURVES.get(parts[1], parts[1]), params)
    elif family == "aes":
        verdict = _judge("aes", numbers[0] if numbers else None, None, params)
    else:
        verdict = _judge(family, None, None, params)
    if verdict:
        yield f"algorithm '{algorithm}': {verdict}"


def ssh_key(text: str) -> tuple[str, int | None] | None:
    """(type, RSA modulus bits or None) of an OpenSSH public key line; None if unreadable."""
    parts = text.strip().split()
    index = next(
        (i for i, part in enumerate(parts) if part.startswith(("ssh-", "ecdsa-", "sk-"))), None
    )
    if index is None or index + 1 >= len(parts):
        return None
    kind, blob = parts[index], parts[index + 1]
    if kind != "ssh-rsa":
        return kind, None
    try:
        data = base64.b64decode(blob + "=" * (-len(blob) % 4), validate=True)
    except (binascii.Error, ValueError):
        return None
    fields: list[bytes] = []
    pos = 0
    while pos + 4 <= len(data) and len(fields) < 3:
        length = int.from_bytes(data[pos : pos + 4], "big")
        fields.append(data[pos + 4 : pos + 4 + length])
        pos += 4 + length
    if len(fields) < 3 or fields[0] != b"ssh-rsa":
        return None
    return kind, int.from_bytes(fields[2], "big").bit_length()


def _ssh(value: Any, path: str, params: Params) -> Iterator[str]:
    if not isinstance(value, str) or not value or p.is_unknown(value):
        return
    parsed = ssh_key(value)
    if parsed is None:
        yield f"cannot verify the SSH key at {path}: not an OpenSSH public key line"
        return
    kind, bits = parsed
    if kind == "ssh-dss":
        yield f"{path} is a DSA key (ssh-dss), ruled out"
    elif bits is not None:
        minimum = p.to_int(params["minRsaBits"]) or 3072
        if bits < minimum:
            yield f"{path} is an RSA key of {bits} bits, below {minimum}"


def _ssh_at(path: str, view: ResourceView, params: Params) -> Iterator[str]:
    """The SSH public key at `path` (a key resource's, an OVHcloud instance's)."""
    yield from _ssh(p.get(view.props, path), path, params)


def _vm_ssh_keys(base: str, view: ResourceView, params: Params) -> Iterator[str]:
    keys = p.get(view.props, f"{base}.linuxConfiguration.ssh.publicKeys")
    for index, key in enumerate(p.iter_mappings(keys)):
        path = f"{base}.linuxConfiguration.ssh.publicKeys[{index}].keyData"
        yield from _ssh(key.get("keyData"), path, params)


_check_strength = p.by_type(
    (KEY, _azure_key),
    ((BARBICAN_SECRET, BARBICAN_ORDER), _barbican),
    (OKMS_KEY, _okms),
    (SCW_KEYS, _scw_key),
    ((KEYPAIR, AZ_SSH_KEY, *OVH_SSH_KEYS, *SCW_SSH_KEYS), partial(_ssh_at, "publicKey")),
    (OVH_INSTANCE, partial(_ssh_at, "sshKeyCreate.publicKey")),
    (VM, partial(_vm_ssh_keys, "osProfile")),
    (VMSS, partial(_vm_ssh_keys, "virtualMachineProfile.osProfile")),
)


PRT_015 = Rule(
    id="PRT-015",
    slug="key-strength",
    severity=Severity.HIGH,
    enforcement=Enforcement.MANDATORY,
    description=(
        "Keys and SSH public keys are of the sizes and types ANSSI allows: RSA of at least "
        "3072 bits, symmetric keys of at least 128 bits, allowed curves, no DSA."
    ),
    remediation=(
        "Key Vault keys: `keySize` 3072 or 4096 (set it: the default is 2048) or an EC key on "
        "P-256/P-384/P-521; Barbican secrets and orders: AES of 128 bits or more, RSA 3072+, "
        "no ECB; OVHcloud KMS keys: oct 256, RSA 3072+, EC P-256+; Scaleway Key Manager: "
        "aes_256_gcm, rsa_*_3072/4096 or ec_p256/p384; SSH keys: ed25519, ECDSA or RSA 3072+, "
        "never ssh-dss."
    ),
    secnumcloud=("10.1", "10.2", "10.5"),
    hds=("hds-security",),
    params=dict(SIZES),
    resource_check=_check_strength,
    applies_to=(
        KEY,
        BARBICAN_SECRET,
        BARBICAN_ORDER,
        OKMS_KEY,
        KEYPAIR,
        AZ_SSH_KEY,
        *OVH_SSH_KEYS,
        OVH_INSTANCE,
        VM,
        VMSS,
        *SCW_KEYS,
        *SCW_SSH_KEYS,
    ),
    rationale=(
        "SecNumCloud 10.5 a requires keys that respect the rules of ANSSI's cryptographic "
        "annex (RGS B2), 10.1 b and 10.2 the same for encryption at rest and in transit. A "
        "2048-bit RSA key created today outlives the period ANSSI accepts it for, and DSA SSH "
        "keys are deprecated by OpenSSH itself."
    ),
    checkov_id="CKV_BSC_6",
)


# --------------------------------------------------------------------------- PRT-016


def _azure_lifecycle(view: ResourceView, params: Params) -> Iterator[str]:
    inner = _key_properties(view.props)
    policy = inner.get("rotationPolicy")
    if p.is_unknown(policy):
        return
    actions = [
        str(p.get(a, "action.type") or "").lower()
        for a in p.iter_mappings(
            p.get(policy, "lifetimeActions") if isinstance(policy, Mapping) else None
        )
    ]
    if "rotate" not in actions:
        yield "properties.rotationPolicy has no Rotate lifetime action (the key is never rotated)"
    expiry = p.get(policy, "attributes.expiryTime") if isinstance(policy, Mapping) else None
    expires = p.get(inner, "attributes.expires")
    if not p.has_value(expiry) and not p.has_value(expires):
        yield (
            "no expiry: set properties.rotationPolicy.attributes.expiryTime (or "
            "properties.attributes.expires)"
        )


def go_hours(value: Any) -> float | None:
    """Hours of a Go duration (`720h`, `8760h0m0s`, `90m`); None if unreadable."""
    if not isinstance(value, str) or not value.strip():
        return None
    units = {"h": 1.0, "m": 1 / 60, "s": 1 / 3600}
    found = re.fullmatch(
        r"(?:(\d+(?:\.\d+)?)h)?(?:(\d+(?:\.\d+)?)m)?(?:(\d+(?:\.\d+)?)s)?", value.strip()
    )
    if not found or not any(found.groups()):
        return None
    return sum(float(g) * u for g, u in zip(found.groups(), units.values(), strict=True) if g)


def _scw_rotation(view: ResourceView, params: Params) -> Iterator[str]:
    policy = view.props.get("rotationPolicy")
    if p.is_unknown(policy):
        return
    period = p.get(policy, "rotationPeriod") if isinstance(policy, Mapping) else None
    if p.is_unknown(period):
        return
    if not p.has_value(period):
        yield "rotationPolicy.rotationPeriod is not set (the key is never rotated)"
    elif go_hours(period) is None:
        yield (
            f"cannot verify the rotation: rotationPolicy.rotationPeriod {p.show(period)} is not "
            "a duration"
        )


def _secret_expiry(view: ResourceView, params: Params) -> Iterator[str]:
    expiration = view.props.get("expiration")
    if not p.is_unknown(expiration) and not p.has_value(expiration):
        yield "expiration is not set (the secret never expires)"


def _order_expiry(view: ResourceView, params: Params) -> Iterator[str]:
    meta = view.props.get("meta")
    expiration = meta.get("expiration") if isinstance(meta, Mapping) else None
    if not p.is_unknown(meta) and not p.is_unknown(expiration) and not p.has_value(expiration):
        yield "meta.expiration is not set (the key never expires)"


_check_lifecycle = p.by_type(
    (KEY, _azure_lifecycle),
    (BARBICAN_SECRET, _secret_expiry),
    (SCW_KEYS, _scw_rotation),
    (BARBICAN_ORDER, _order_expiry),
)


PRT_016 = Rule(
    id="PRT-016",
    slug="key-rotation-and-expiry",
    severity=Severity.MEDIUM,
    enforcement=Enforcement.MANDATORY,
    description=(
        "Keys have a crypto-period where the service offers one: Key Vault keys a rotation "
        "policy that rotates them and an expiry, Barbican secrets and orders an expiration, "
        "Scaleway Key Manager keys a rotation period."
    ),
    remediation=(
        "Key Vault: `properties.rotationPolicy` with a `lifetimeActions` entry of action "
        "`rotate` (e.g. `timeAfterCreate: P1Y`) and `attributes.expiryTime` (e.g. P2Y). "
        "Barbican: `expiration` on SecretV1, `meta.expiration` on OrderV1. Scaleway: "
        "`rotationPolicy.rotationPeriod` (e.g. 8760h) on keymanager.Key (Key Manager keys have "
        "no expiry setting). OVHcloud KMS service keys have no rotation setting: rotate them "
        "by procedure."
    ),
    secnumcloud=("10.5",),
    hds=("hds-security",),
    resource_check=_check_lifecycle,
    applies_to=(KEY, BARBICAN_SECRET, BARBICAN_ORDER, *SCW_KEYS),
    rationale=(
        "SecNumCloud 10.5 covers keys through their life cycle, rotation and destruction "
        "included; a key that never rotates or expires concentrates years of data under one "
        "secret. Only the services that can enforce a crypto-period are checked."
    ),
    checkov_id="CKV_BSC_7",
)


RULES = (PRT_015, PRT_016)
