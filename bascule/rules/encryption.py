"""Encryption at rest on Scaleway, where the evidence is not on the resource itself.

- PRT-022 (mandatory, stack): every Scaleway bucket has a server-side encryption
  configuration, with a Key Manager key (aws:kms) when it holds health data. The bucket type
  has no encryption setting: it lives in a separate BucketServerSideEncryptionConfiguration
  naming the bucket (PRT-002 judges each configuration's algorithm and key).
- PRT-023 (advisory, manual evidence): a Scaleway block volume (pulumiverse-scaleway 1.60
  `block.Volume`, `block.Snapshot`, a server's `sbs_volume` root) exposes no setting for
  encryption at rest or a customer key. Nothing in the program can show the volume is
  encrypted, so the rule never passes one: it says "cannot verify" for each, and the
  compliance matrix makes the requirement a MANUAL row (the provider's evidence).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any

from bascule.rules import props as p
from bascule.rules.base import (
    Enforcement,
    Evidence,
    Finding,
    ResourceView,
    Rule,
    Severity,
    StackResource,
)
from bascule.rules.check import Params, Resources, findings
from bascule.rules.types import SCW_BUCKETS, SCW_SERVERS, SCW_SNAPSHOTS, SCW_SSE, SCW_VOLUMES

# --------------------------------------------------------------------------- PRT-022


def _algorithms(config: StackResource) -> list[Any]:
    return [
        default.get("sseAlgorithm")
        for rule in p.iter_mappings(config.props.get("rules"))
        for default in p.iter_mappings(rule.get("applyServerSideEncryptionByDefault"))
    ]


def _bucket_verdicts(res: StackResource, configs: Sequence[StackResource]) -> Iterator[str]:
    if not configs:
        yield (
            f"bucket '{res.name}' has no BucketServerSideEncryptionConfiguration: its "
            "objects get no default encryption with a tenant key"
        )
        return
    cls = p.classification_of(res.props)
    algorithms = [a for c in configs for a in _algorithms(c)]
    if cls not in p.HEALTH_CLASSES or any(p.is_unknown(a) for a in algorithms):
        return
    if not any(isinstance(a, str) and a.strip().lower() == "aws:kms" for a in algorithms):
        shown = p.show(algorithms[0]) if algorithms else "not set"
        yield (
            f"bucket '{res.name}' of classification '{cls}' is encrypted with sseAlgorithm "
            f"{shown}, a key Scaleway manages: health data needs aws:kms with a Key Manager key"
        )


def _check_bucket_sse(resources: Resources, params: Params) -> Iterator[Finding]:
    configs: dict[str, list[StackResource]] = {}
    for res in resources:
        if res.type in SCW_SSE:
            key = p.regional_key(res.props.get("bucket"))
            if key is None:
                return  # a configuration names a bucket not known before the update
            configs.setdefault(key, []).append(res)
    for res in resources:
        if res.type not in SCW_BUCKETS or p.is_unknown(res.props.get("name")):
            continue
        names = {p.regional_key(res.props.get("name")), res.name.lower()} - {None}
        mine = [c for name in sorted(str(n) for n in names) for c in configs.get(name, [])]
        yield from findings(_bucket_verdicts(res, mine), res.urn)


PRT_022 = Rule(
    id="PRT-022",
    slug="bucket-encryption-configured",
    severity=Severity.HIGH,
    enforcement=Enforcement.MANDATORY,
    description=(
        "Every Scaleway Object Storage bucket has a server-side encryption configuration "
        "(the bucket resource itself has no encryption setting), with a Key Manager key "
        "(aws:kms) for health data."
    ),
    remediation=(
        "Add a scaleway.object.BucketServerSideEncryptionConfiguration for each bucket "
        "(`bucket` set to the bucket's name); for pseudonymised-health and "
        "pseudonymisation-keys buckets `sseAlgorithm: aws:kms` with `kmsMasterKeyId` naming "
        "the dataset's Key Manager key. PRT-002 checks each configuration's algorithm and key."
    ),
    secnumcloud=("10.1", "10.5"),
    hds=("hds-security",),
    stack_check=_check_bucket_sse,
    applies_to=(*SCW_BUCKETS, *SCW_SSE),
    rationale=(
        "SecNumCloud 10.1 requires the tenant's stored data to be encrypted with at least one "
        "key per tenant. On Scaleway the encryption of a bucket is a separate resource: a "
        "bucket created without one is invisible to a check of the bucket alone, so the rule "
        "reads the whole stack."
    ),
)


# --------------------------------------------------------------------------- PRT-023

MANUAL_NOTE = (
    "pulumiverse-scaleway 1.60 exposes no setting for encryption at rest or a customer key "
    "on block storage; collect Scaleway's evidence (MANUAL row of the compliance matrix)"
)


def _check_volume_evidence(view: ResourceView, params: Params) -> Iterator[str]:
    if view.type in (*SCW_VOLUMES, *SCW_SNAPSHOTS):
        kind = "block volume" if view.type in SCW_VOLUMES else "block snapshot"
        yield f"cannot verify the encryption at rest of this {kind}: {MANUAL_NOTE}"
    elif view.type in SCW_SERVERS:
        for root in p.iter_mappings(view.props.get("rootVolume")):
            vtype = root.get("volumeType")
            if isinstance(vtype, str) and vtype.strip().lower() == "sbs_volume":
                yield (
                    "cannot verify the encryption at rest of rootVolume (sbs_volume): "
                    + MANUAL_NOTE
                )


PRT_023 = Rule(
    id="PRT-023",
    slug="block-encryption-evidence-manual",
    severity=Severity.HIGH,
    enforcement=Enforcement.ADVISORY,
    evidence=Evidence.MANUAL,
    description=(
        "Block storage whose encryption at rest the program cannot show (Scaleway block "
        "volumes, snapshots and sbs root volumes) is listed for manual evidence, never passed."
    ),
    remediation=(
        "Obtain Scaleway's written evidence that Block Storage is encrypted at rest (and with "
        "which keys) for the volumes listed, attach it to the compliance file, and keep the "
        "advisory; or encrypt inside the instance (LUKS with a key from Key Manager) and "
        "record that as the compensating measure."
    ),
    secnumcloud=("10.1",),
    hds=("hds-security",),
    resource_check=_check_volume_evidence,
    applies_to=(*SCW_VOLUMES, *SCW_SNAPSHOTS, *SCW_SERVERS),
    rationale=(
        "SecNumCloud 10.1 a asks for per-volume encryption of block storage. PRT-003 checks "
        "it where the provider's API states it (an encrypted Cinder volume type, OVHcloud's "
        "encryption block); Scaleway's block.Volume has no such field, so a pass would be a "
        "guess: the requirement becomes evidence a reviewer collects from the provider."
    ),
)


RULES = (PRT_022, PRT_023)
