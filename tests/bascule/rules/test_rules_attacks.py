"""Attacker-style property tests: each bypass class has many shapes, and every shape is caught.

CIDR sets that cover public space by coverage (not by prefix length), Swift ACL spellings,
cloud-init spellings and encodings, pseudonymisation-key spellings.
"""

from __future__ import annotations

import base64
import gzip
import ipaddress
from collections.abc import Mapping
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from bascule.rules import cidr, cloudinit
from bascule.rules.base import ResourceView, StackResource
from bascule.rules.catalog import rule_by_id
from bascule.rules.storage import swift_acl

BOUNDED = settings(max_examples=60, deadline=None)
STACK = "urn:pulumi:dev::bascule::"
SGR = "openstack:networking/secGroupRule:SecGroupRule"
ENCLAVE = "bascule:target:Enclave"


public_v4 = st.builds(
    lambda block, offset, length: ipaddress.IPv4Network(
        (int(block.network_address) + offset % block.num_addresses, length), strict=False
    ),
    st.sampled_from(cidr.public_space(4)),
    st.integers(0, 2**32 - 1),
    st.integers(0, 32),
)
private_v4 = st.builds(
    lambda base, length, offset: ipaddress.IPv4Network(
        (int(ipaddress.IPv4Network(base).network_address) + offset, length), strict=False
    ),
    st.sampled_from(["10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "100.64.0.0/10"]),
    st.integers(16, 32),
    st.integers(0, 2**16 - 1),
).filter(lambda n: all(not n.overlaps(p) for p in cidr.public_space(4)))


@BOUNDED
@given(st.integers(1, 6), st.data())
def test_any_split_of_the_internet_covers_it_and_any_hole_shows(depth: int, data: Any) -> None:
    # Split 0.0.0.0/0 into 2**depth prefixes: together they are the whole internet, whatever
    # their length; leaving out one that holds public space leaves it uncovered.
    parts = list(ipaddress.IPv4Network("0.0.0.0/0").subnets(new_prefix=depth))
    assert cidr.covers_all_public(parts, 4)
    public = [n for n in parts if cidr.public_part([n])]
    hole = data.draw(st.sampled_from(public))
    assert not cidr.covers_all_public([n for n in parts if n != hole], 4)
    assert all(cidr.classify(str(n)).public for n in public)


@BOUNDED
@given(public_v4, st.sampled_from([443, 8787, 3000]))
def test_ingress_from_any_public_range_is_flagged_outside_the_gateway(
    network: ipaddress.IPv4Network, port: int
) -> None:
    rule = StackResource(
        type=SGR,
        props={"direction": "ingress", "protocol": "tcp", "portRangeMin": float(port),
               "portRangeMax": float(port), "remoteIpPrefix": str(network)},
        urn=f"{STACK}{ENCLAVE}${SGR}::rule",
        name="rule",
    )  # fmt: skip
    found = rule_by_id("PRT-009").check_stack([rule])
    assert [f.urn for f in found] == [rule.urn]
    assert "outside the access gateway" in found[0].message


@BOUNDED
@given(private_v4)
def test_ingress_from_private_ranges_is_not_public(network: ipaddress.IPv4Network) -> None:
    assert not cidr.classify(str(network)).public
    rule = StackResource(
        type=SGR,
        props={"direction": "ingress", "protocol": "tcp", "portRangeMin": 443.0,
               "portRangeMax": 443.0, "remoteIpPrefix": str(network)},
        urn=f"{STACK}{ENCLAVE}${SGR}::rule",
        name="rule",
    )  # fmt: skip
    assert rule_by_id("PRT-009").check_stack([rule]) == []


@BOUNDED
@given(public_v4)
def test_ipv4_mapped_ipv6_is_judged_as_the_ipv4_it_maps(network: ipaddress.IPv4Network) -> None:
    mapped = f"::ffff:{network.network_address}/{96 + network.prefixlen}"
    assert cidr.classify(mapped).public


def test_anyone_spellings() -> None:
    for token in ("*", "Any", "Internet", "0.0.0.0/0", "::/0", "0.0.0.0", "::", " 0/0 "):
        source = cidr.classify(token)
        assert source.public, token
    assert not cidr.classify("VirtualNetwork").public
    assert cidr.classify("AzureCloud.FranceCentral").public
    assert cidr.classify("not-a-range").public  # fail closed


# ---------------------------------------------------------------------------- Swift ACLs

space = st.sampled_from(["", " ", "  ", "\t"])
referrer = st.builds(
    lambda a, d, b, c, v: f"{a}{d}{b}:{c}{v}",
    space, st.sampled_from([".r", ".ref", ".referer", ".referrer"]), space, space,
    st.sampled_from(["*", "partner.example.eu", ".health-data-hub.fr", "*.example.com"]),
)  # fmt: skip
anyone = st.builds(lambda a, b, c: f"{a}*{b}:{c}*", space, space, space) | st.just("*")
benign = st.sampled_from(
    ["hdh-prod:analysts", "hdh-prod:*", ".rlistings", ".r:-scraper.example.com", "*:user-42"]
)


@BOUNDED
@given(st.lists(benign, max_size=4), st.lists(referrer, max_size=2), st.lists(anyone, max_size=2))
def test_every_spelling_of_public_or_any_user_acl_is_found(
    safe: list[str], public: list[str], everyone: list[str]
) -> None:
    entries = safe + public + everyone
    referrers, anyones = swift_acl(",".join(entries))
    assert len(referrers) == len(public)
    assert len(anyones) == len(everyone)
    container = ResourceView(
        "openstack:objectstorage/container:Container",
        {"containerRead": ",".join(entries), "metadata": {"classification": "open-data"}},
        f"{STACK}{ENCLAVE}$openstack:objectstorage/container:Container::c",
        "c",
    )
    found = rule_by_id("PRT-005").check_resource(container)
    assert bool(found) == bool(public or everyone)


# ---------------------------------------------------------------------------- cloud-init

truthy = st.sampled_from(["true", "True", "TRUE", "yes", "Yes", "on", "1", '"true"', "'yes'"])
falsy = st.sampled_from(["false", "False", "no", "off", "0", '"false"'])


def _encodings(text: str) -> list[str]:
    raw = text.encode()
    mime = (
        'Content-Type: multipart/mixed; boundary="B"\nMIME-Version: 1.0\n\n--B\n'
        "Content-Type: text/cloud-config\nContent-Transfer-Encoding: base64\n\n"
        f"{base64.b64encode(raw).decode()}\n--B--\n"
    )
    return [
        text,
        base64.b64encode(raw).decode(),
        base64.b64encode(gzip.compress(raw, mtime=0)).decode(),
        mime,
        base64.b64encode(mime.encode()).decode(),
    ]


@BOUNDED
@given(truthy, space, space, st.sampled_from(["yaml", "json"]))
def test_ssh_pwauth_on_in_any_spelling_and_encoding(
    value: str, before: str, after: str, style: str
) -> None:
    if style == "json":
        text = f'{{"ssh_pwauth":{before}{value.strip(chr(39))}{after}}}'
    else:
        text = f"#cloud-config\nssh_pwauth{before}:{after or ' '}{value}\n"
    for encoded in _encodings(text):
        assert "ssh_pwauth is on" in cloudinit.password_logins(encoded), encoded


@BOUNDED
@given(falsy)
def test_ssh_pwauth_off_is_not_a_finding(value: str) -> None:
    for encoded in _encodings(f"#cloud-config\nssh_pwauth: {value}\n"):
        assert cloudinit.password_logins(encoded) == []


# ---------------------------------------------------------------------------- key purposes

word = st.sampled_from(["pseudonymisation", "pseudonymization", "pseudo", "Pseudonymisation"])
sep = st.sampled_from(["-", "_", "", ".", " "])


@BOUNDED
@given(word, sep, st.sampled_from(["salts", "keys", "tables"]), st.booleans())
def test_pseudonymisation_keys_are_found_whatever_their_spelling(
    marker: str, joiner: str, stem: str, upper: bool
) -> None:
    name = f"{stem}{joiner}{marker}"
    name = name.upper() if upper else name
    key = "ovh:Okms/serviceKey:ServiceKey"

    def service_key(resource_name: str, props: Mapping[str, Any]) -> StackResource:
        return StackResource(key, props, f"{STACK}{key}::{resource_name}", resource_name)

    resources = [
        service_key("k1", {"okmsId": "okms-1", "name": name}),
        service_key("datasets-cmk-dataset", {"okmsId": "okms-1", "name": "datasets-cmk"}),
    ]
    found = rule_by_id("PRT-004").check_stack(resources)
    assert [f.urn for f in found] == [resources[0].urn]
    assert "shares OKMS 'okms-1' with dataset key(s) [datasets-cmk-dataset]" in found[0].message
