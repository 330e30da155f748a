"""Random properties on every type the by-type readers know (bounded hypothesis): parity and
drift never crash, a snapshot drifts nowhere from itself, and order never matters."""

from __future__ import annotations

import random
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bascule.parity.diff import ParityOptions, parity
from bascule.parity.drift import drift
from bascule.parity.mapping import SOURCE, TARGET
from bascule.parity.model import RESOURCES
from bascule.parity.vocabulary import read_types
from bascule.snapshot.model import UNKNOWN, Resource, Snapshot

NAMES = ["a", "b", "web", "Ext-Net", "default"]
KEYS = [
    "name", "vmName", "id", "hardwareProfile", "vmSize", "storageProfile", "osDisk",
    "dataDisks", "managedDisk", "diskSizeGB", "networkProfile", "networkInterfaces",
    "networkInterfaceConfigurations", "networkSecurityGroup", "ipConfigurations", "subnet",
    "publicIPAddress", "securityRules", "priority", "access", "direction", "protocol",
    "sourceAddressPrefix", "sourceAddressPrefixes", "destinationPortRange", "addressPrefix",
    "addressPrefixes", "virtualNetworkName", "subnets", "addressSpace", "accountName",
    "containerName", "publicAccess", "sku", "encryption", "tags", "metadata", "retentionInDays",
    "networks", "port", "uuid", "blockDevices", "bootIndex", "sourceType", "destinationType",
    "securityGroupIds", "securityGroups", "portSecurityEnabled", "networkId", "cidr",
    "remoteIpPrefix", "remoteGroupId", "portRangeMin", "portRangeMax", "securityGroupId",
    "instanceId", "volumeId", "portId", "internalPortId", "volumeType", "size", "flavorName",
    "versioning", "status", "objectLock", "replication", "rules", "properties", "kty",
    "keySize", "external", "storagePolicy", "containerRead", "meta", "type", "okmsId",
]  # fmt: skip
leaves = (
    st.none()
    | st.booleans()
    | st.integers(-5, 70000)
    | st.floats(allow_nan=True, allow_infinity=True)
    | st.sampled_from(
        [
            *NAMES,
            UNKNOWN,
            "*",
            "Internet",
            "VirtualNetwork",
            "10.0.0.0/24",
            "0.0.0.0/0",
            "22",
            "1-65535",
            "tcp",
            "Allow",
            "Deny",
            "Inbound",
            "ingress",
            "volume",
            "encrypted-luks",
            "P30D",
            "role=audit",
        ]
    )
)
values = st.recursive(
    leaves,
    lambda children: (
        st.lists(children, max_size=3)
        | st.dictionaries(st.sampled_from(KEYS), children, max_size=4)
    ),
    max_leaves=15,
)
TYPES = sorted(read_types(SOURCE) | read_types(TARGET))
resource = st.tuples(
    st.sampled_from(TYPES),
    st.sampled_from(NAMES),
    st.dictionaries(st.sampled_from(KEYS), values, max_size=6),
)


def snapshot(items: list[tuple[str, str, dict[str, Any]]]) -> Snapshot:
    resources = tuple(
        Resource(f"urn:pulumi:p::x::{kind}::{name}{index}", kind, custom=True,
                 id=name, inputs=inputs)
        for index, (kind, name, inputs) in enumerate(items)
    )  # fmt: skip
    return Snapshot(resources, "random.json", "export")


BOUNDED = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@BOUNDED
@given(items=st.lists(resource, max_size=8), seed=st.integers(0, 2**16))
def test_random_estates(items: list[tuple[str, str, dict[str, Any]]], seed: int) -> None:
    one = snapshot(items)
    report = parity(one, one, ParityOptions(reading=RESOURCES))
    assert report.reading == RESOURCES
    report.to_dict()
    assert drift(one, one).gaps == ()  # nothing drifts from itself
    shuffled = list(one.resources)
    random.Random(seed).shuffle(shuffled)
    other = Snapshot(tuple(shuffled), "random.json", "export")
    assert parity(other, other, ParityOptions(reading=RESOURCES)).gaps == report.gaps


@BOUNDED
@given(old=st.lists(resource, max_size=6), new=st.lists(resource, max_size=6))
def test_random_pairs(old: list[Any], new: list[Any]) -> None:
    before, after = snapshot(old), snapshot(new)
    report = drift(before, after, fail_on="any")
    report.to_dict()
    # Anything that drifted makes `--fail-on any` fail, and nothing else does.
    assert report.failed == bool(report.gaps)
    parity(before, after, ParityOptions(reading=RESOURCES)).to_dict()
