"""Pairing: the pairing file first, then role, tags, names and normalised names; nothing
guessed among several; the pairing file's own errors are one line."""

from __future__ import annotations

from pathlib import Path

import pytest

from bascule.errors import BadInputError
from bascule.parity.diff import AcceptedGap
from bascule.parity.model import CanonicalObject, Capability
from bascule.parity.pairing import PairingRule, normalised, pair_objects
from bascule.parity.pairing_file import load_pairing, parse_pairing

C = Capability


def obj(capability: Capability, name: str, urn: str = "", **labels: str) -> CanonicalObject:
    return CanonicalObject(capability, name, {}, None, (urn,) if urn else (), labels)


def objects(*items: CanonicalObject) -> dict[str, CanonicalObject]:
    return {o.key: o for o in items}


Row = tuple[str, str | None, str | None, str | None]  # key, source, target, paired by


def pairs(source: list[CanonicalObject], target: list[CanonicalObject],
          rules: tuple[PairingRule, ...] = ()) -> list[Row]:  # fmt: skip
    found, _ = pair_objects(objects(*source), objects(*target), rules)
    return [(p.key, p.source.name if p.source else None, p.target.name if p.target else None,
             p.paired_by) for p in found]  # fmt: skip


def rule(pattern: str, target: str) -> PairingRule:
    return PairingRule(pattern, target, f"p.yaml: pairs[{pattern!r}]")


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("vm-Web_01", "web01"),
        ("web-01-instance", "web01"),
        ("snet-app", "app"),
        ("subnet-app", "app"),
        ("vm", "vm"),  # never empty
        ("kv-hdh-prod", "hdhprod"),
        ("sthdhraw/snds-raw", "sthdhrawsndsraw"),
    ],
)
def test_normalised_names(name: str, expected: str) -> None:
    assert normalised(name) == expected


def test_order_file_then_tags_then_names_then_normalised() -> None:
    source = [
        obj(C.SERVER, "vm-sftp", project="x"),
        obj(C.SERVER, "vm-web-01", project="portal", role="web"),
        obj(C.SERVER, "db", project="snds", role="db"),
        obj(C.SERVER, "vm-batch-01"),
    ]
    target = [
        obj(C.SERVER, "gw-relay"),
        obj(C.SERVER, "portal-frontend", project="portal", role="web"),
        obj(C.SERVER, "db", project="other", role="db"),
        obj(C.SERVER, "batch-01-instance"),
    ]
    assert pairs(source, target, (rule("vm-sftp", "gw-relay"),)) == [
        ("server/batch-01-instance", "vm-batch-01", "batch-01-instance", "normalised name"),
        # Tags before names: `db` keeps its name, the tags (different) do not pair it elsewhere.
        ("server/db", "db", "db", None),
        ("server/gw-relay", "vm-sftp", "gw-relay", "pairing file"),
        ("server/portal-frontend", "vm-web-01", "portal-frontend", "tags project=portal, role=web"),
    ]


def test_nothing_is_guessed_among_several() -> None:
    # Two targets share the tags, two sources one normalised name: all stay unpaired.
    source = [obj(C.SERVER, "vm-a", project="p"), obj(C.SERVER, "web-1"), obj(C.SERVER, "web_1")]
    target = [obj(C.SERVER, "x", project="p"), obj(C.SERVER, "y", project="p"),
              obj(C.SERVER, "web1-server")]  # fmt: skip
    assert [(k, s, t) for k, s, t, _ in pairs(source, target)] == [
        ("server/vm-a", "vm-a", None),
        ("server/web-1", "web-1", None),
        ("server/web1-server", None, "web1-server"),
        ("server/web_1", "web_1", None),
        ("server/x", None, "x"),
        ("server/y", None, "y"),
    ]
    # Capabilities never mix: a dataset and a server of one name stay apart.
    assert [(k, s, t) for k, s, t, _ in pairs([obj(C.DATASET, "a")], [obj(C.SERVER, "a")])] == [
        ("dataset/a", "a", None),
        ("server/a", None, "a"),
    ]


def test_pairing_file_patterns() -> None:
    source = [
        obj(C.SERVER, "hdh-vm-proj-001"),
        obj(C.SERVER, "HDH-VM-proj-002"),
        obj(C.KEY, "legacy", urn="urn:pulumi:prod::hdh::azure-native:keyvault:Key::legacy"),
        obj(C.DATASET, "old-extracts"),
    ]
    target = [obj(C.SERVER, "proj-001"), obj(C.SERVER, "proj-002"), obj(C.KEY, "cmk-raw")]
    rules = (
        rule("hdh-vm-*", "*"),  # case-insensitive; each `*` carried over
        rule("urn:pulumi:prod::hdh::azure-native:keyvault:Key::legacy", "key/cmk-raw"),
        rule("dataset/old-*", "extracts-*"),  # a target not built yet: expected under a name
        rule("nothing-*", "*"),
    )
    found, notes = pair_objects(objects(*source), objects(*target), rules)
    assert [(p.key, p.source.name if p.source else None, p.target is not None, p.paired_by)
            for p in found] == [
        ("dataset/extracts-extracts", "old-extracts", False, "pairing file"),
        ("key/cmk-raw", "legacy", True, "pairing file"),
        ("server/proj-001", "hdh-vm-proj-001", True, "pairing file"),
        ("server/proj-002", "HDH-VM-proj-002", True, "pairing file"),
    ]  # fmt: skip
    assert notes == ["p.yaml: pairs['nothing-*']: matches no source object"]


@pytest.mark.parametrize(
    ("rules", "message"),
    [
        ((rule("vm-*", "web"),),
         "p.yaml: pairs['vm-*']: matches 2 source objects (server/vm-a, server/vm-b) for one "
         "target; use `*` in the target to pair each with its own"),
        ((rule("vm-a", "web"), rule("vm-b", "server/web")),
         "p.yaml: pairs['vm-b']: server/web is already paired with server/vm-a"),
        ((rule("vm-a", "dataset/web"),),
         "p.yaml: pairs['vm-a']: server/vm-a is a server, dataset/web a dataset"),
    ],
)  # fmt: skip
def test_pairing_file_mistakes_are_refused(rules: tuple[PairingRule, ...], message: str) -> None:
    source = objects(obj(C.SERVER, "vm-a"), obj(C.SERVER, "vm-b"))
    target = objects(obj(C.SERVER, "web"), obj(C.DATASET, "web"))
    with pytest.raises(BadInputError) as error:
        pair_objects(source, target, rules)
    assert error.value.message == message


def test_pairing_file_text() -> None:
    rules, accepted = parse_pairing(
        "pairs:\n  vm-a: web\n  no: yes\n  'server/vm-*': '*'\n"
        "accepted:\n  - {object: server/web, fields: [ramGb], reason: quota (CAP-1)}\n",
        "p.yaml",
    )
    # Every scalar is text: a VM named `no` is not False.
    assert [(r.pattern, r.target) for r in rules] == [("vm-a", "web"), ("no", "yes"),
                                                      ("server/vm-*", "*")]  # fmt: skip
    assert accepted == (AcceptedGap("server/web", "quota (CAP-1)", ("ramGb",)),)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "p.yaml: empty pairing file (expected `pairs:` or `accepted:`)"),
        ("- a\n", "p.yaml: expected a mapping with `pairs` and/or `accepted`"),
        ("pair: {}\n", "p.yaml: unknown key pair (known: pairs, accepted)"),
        ("pairs: [a]\n", "p.yaml: pairs: expected a mapping of source pattern: target"),
        ("pairs:\n  a: b\n  a: c\n", "p.yaml: line 3: 'a' is given twice (lines 2 and 3)"),
        ("pairs:\n  a: &x b\n  c: *x\n", "p.yaml: line 3: YAML aliases are not allowed in a "
         "pairing file"),
        ("pairs:\n  a: [b]\n",
         "p.yaml: pairs['a']: expected a target name, capability/name or URN"),
        ("pairs:\n  a: b*\n", "p.yaml: pairs['a']: the target has 1 `*` and the pattern 0 "
         "wildcard(s) to fill them"),
        ("pairs:\n  a*: x\n  b*: X\n", "p.yaml: pairs: target 'x' is given to two sources"),
        ("accepted:\n  - {object: server/a}\n",
         "p.yaml: accepted[0].reason: a written reason is required"),
        ("pairs: {a: b\n", "p.yaml: not YAML (line 2, column 1): expected ',' or '}', but got "
         "'<stream end>'"),
        ("pairs: !!python/object:os.system {}\n", "p.yaml: not YAML (line 1, column 8): could "
         "not determine a constructor for the tag 'tag:yaml.org,2002:python/object:os.system'"),
    ],
)  # fmt: skip
def test_bad_pairing_files(text: str, message: str) -> None:
    with pytest.raises(BadInputError) as error:
        parse_pairing(text, "p.yaml")
    assert error.value.message == message


def test_pairing_file_reading(tmp_path: Path) -> None:
    with pytest.raises(BadInputError, match=r"^missing.yaml: no such file$"):
        load_pairing(str(tmp_path / "missing.yaml"))
    binary = tmp_path / "b.yaml"
    binary.write_bytes(b"\xff\xfe pairs")
    with pytest.raises(BadInputError, match=r"^b.yaml: not a pairing file \(not UTF-8 text\)$"):
        load_pairing(str(binary))
    with pytest.raises(BadInputError, match=r"is a directory, not a pairing file$"):
        load_pairing(str(tmp_path))
