"""The catalog: fixtures for every rule, exact findings, unique ids, complete metadata."""

from __future__ import annotations

import ast
import json
import re
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from fixtures import DATA, load_resources, rule_config, run_rule

from bascule.report.referential import referential
from bascule.rules import catalog
from bascule.rules.base import (
    MANUAL_EVIDENCE_TAG,
    PACK_DEFS,
    PACKS,
    Enforcement,
    Evidence,
    Rule,
    Severity,
)
from bascule.rules.catalog import ALL_RULES, rules_for_pack

SECNUMCLOUD_SECTIONS = {r.id for r in referential().requirements}
HDS_POINTS = {"hosting-eea", "third-country-access", "hds-security"}
RULES_DIR = Path(catalog.__file__).parent
IDS = [rule.id for rule in ALL_RULES]


def _key(finding: Mapping[str, Any]) -> tuple[str, str]:
    return (str(finding["urn"]), str(finding["message"]))


def _variants(rule: Rule) -> list[str]:
    """ "" (fail.json, pass.json, expected.json), then each `-<name>` of a second stack's
    fixtures (fail-scaleway.json...): one export per stack, as real exports are."""
    names = sorted(p.stem[len("fail") :] for p in (DATA / rule.id).glob("fail-*.json"))
    return ["", *names]


CASES = [(rule, variant) for rule in ALL_RULES for variant in _variants(rule)]
CASE_IDS = [f"{rule.id}{variant}" for rule, variant in CASES]


@pytest.mark.parametrize(("rule", "variant"), CASES, ids=CASE_IDS)
def test_rule_has_fixtures(rule: Rule, variant: str) -> None:
    for name in (f"pass{variant}.json", f"fail{variant}.json", f"expected{variant}.json"):
        assert (DATA / rule.id / name).is_file(), f"{rule.id}: missing {name}"


def test_no_fixture_without_rule() -> None:
    assert {d.name for d in DATA.iterdir() if d.is_dir()} == set(IDS)


@pytest.mark.parametrize(("rule", "variant"), CASES, ids=CASE_IDS)
def test_pass_fixture_is_clean(rule: Rule, variant: str) -> None:
    assert run_rule(rule, DATA / rule.id / f"pass{variant}.json", rule_config(rule)) == []


@pytest.mark.parametrize(("rule", "variant"), CASES, ids=CASE_IDS)
def test_fail_fixture_gives_exactly_expected(rule: Rule, variant: str) -> None:
    expected = json.loads((DATA / rule.id / f"expected{variant}.json").read_text())
    assert expected, f"{rule.id}: expected{variant}.json lists no violation"
    found = run_rule(rule, DATA / rule.id / f"fail{variant}.json", rule_config(rule))
    assert sorted(map(_key, found)) == sorted(map(_key, expected))


@pytest.mark.parametrize(("rule", "variant"), CASES, ids=CASE_IDS)
def test_expected_urns_exist_in_fail_fixture(rule: Rule, variant: str) -> None:
    urns = {r["urn"] for r in load_resources(DATA / rule.id / f"fail{variant}.json")}
    for finding in json.loads((DATA / rule.id / f"expected{variant}.json").read_text()):
        assert finding["urn"] in urns


@pytest.mark.parametrize(("rule", "variant"), CASES, ids=CASE_IDS)
def test_fixture_format(rule: Rule, variant: str) -> None:
    for kind in ("pass", "fail"):
        doc = json.loads((DATA / rule.id / f"{kind}{variant}.json").read_text())
        assert doc["version"] == 3
        resources = doc["deployment"]["resources"]
        urns = {r["urn"] for r in resources}
        for res in resources:
            assert {"urn", "type", "custom"} <= res.keys()
            assert res["urn"].split("::")[2].split("$")[-1] == res["type"]
            if res.get("parent"):
                assert res["parent"] in urns
            if res.get("provider"):
                assert res["provider"].rsplit("::", 1)[0] in urns


# ---------------------------------------------------------------------------- a proxy run


class Proxy(Mapping[str, Any]):
    """A read-only mapping like CrossGuard's: not a dict, and lists become tuples-ish."""

    def __init__(self, data: Mapping[str, Any]) -> None:
        self._data = data

    def __getitem__(self, key: str) -> Any:
        return wrap(self._data[key])

    def __iter__(self) -> Iterator[str]:
        return iter(self._data)

    def __len__(self) -> int:
        return len(self._data)


class SeqProxy(Sequence[Any]):
    def __init__(self, data: Sequence[Any]) -> None:
        self._data = data

    def __getitem__(self, index: Any) -> Any:
        return wrap(self._data[index])

    def __len__(self) -> int:
        return len(self._data)


def wrap(value: Any) -> Any:
    if isinstance(value, Mapping):
        return Proxy(value)
    if isinstance(value, list):
        return SeqProxy(value)
    return value


@pytest.mark.parametrize(("rule", "variant"), CASES, ids=CASE_IDS)
def test_same_findings_through_read_only_proxies(rule: Rule, variant: str) -> None:
    """Rules must not depend on dict/list: run the fail fixture with proxied props."""
    import fixtures

    path = DATA / rule.id / f"fail{variant}.json"
    config = rule_config(rule)
    plain = run_rule(rule, path, config)
    resources = load_resources(path)
    if rule.kind == "resource":
        views = fixtures.resource_views(resources)
        proxied = [
            {"urn": v.urn, "message": m}
            for v in views
            for m in rule.check_resource(type(v)(**{**v.__dict__, "props": Proxy(v.props)}), config)
        ]
    else:
        stack = [
            type(r)(**{**r.__dict__, "props": Proxy(r.props)})
            for r in fixtures.stack_resources(resources)
        ]
        proxied = [
            {"urn": str(f.urn), "message": f.message} for f in rule.check_stack(stack, config)
        ]
    assert sorted(map(_key, proxied)) == sorted(map(_key, plain))


@pytest.mark.parametrize(("rule", "variant"), CASES, ids=CASE_IDS)
def test_messages_never_echo_secrets(rule: Rule, variant: str) -> None:
    for kind in ("pass", "fail"):
        path = DATA / rule.id / f"{kind}{variant}.json"
        for finding in run_rule(rule, path, rule_config(rule)):
            assert "ciphertext" not in finding["message"]
            assert "v1:AAAA" not in finding["message"]


def test_missing_evidence_is_reported_as_cannot_verify() -> None:
    """The convention of docs/adding-a-rule.md: a rule that cannot find its evidence says
    `cannot verify ...` (one wording, so reports and reviewers can find them), and at least
    the residency, endpoint, key-separation and lock rules exercise it in their fixtures."""
    with_cannot: set[str] = set()
    for rule, variant in CASES:
        for finding in json.loads((DATA / rule.id / f"expected{variant}.json").read_text()):
            message = finding["message"]
            assert "cannot be verified" not in message and "can't" not in message, message
            if "cannot verify" in message:
                assert message.startswith("cannot verify"), message
                with_cannot.add(rule.id)
    assert {"SOV-001", "SOV-002", "SOV-003", "PRT-004", "PRT-015", "MIG-001"} <= with_cannot


# ---------------------------------------------------------------------------- metadata


def test_ids_slugs_and_policy_names_unique() -> None:
    assert len(set(IDS)) == len(IDS)
    assert len({r.slug for r in ALL_RULES}) == len(ALL_RULES)
    assert len({r.policy_name for r in ALL_RULES}) == len(ALL_RULES)


@pytest.mark.parametrize("rule", ALL_RULES, ids=IDS)
def test_metadata_complete(rule: Rule) -> None:
    prefix = next(p.prefix for p in PACK_DEFS if p.name == rule.pack)
    assert re.fullmatch(rf"{prefix}-\d{{3}}", rule.id)
    assert len(rule.rationale) > 40, f"{rule.id}: say why the rule exists"
    assert re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", rule.slug)
    assert re.fullmatch(r"[a-z0-9-]+", rule.policy_name)
    assert isinstance(rule.severity, Severity)
    assert rule.enforcement in (Enforcement.ADVISORY, Enforcement.MANDATORY)
    assert rule.description.strip().endswith(".")
    assert len(rule.remediation) > 40
    assert rule.secnumcloud, f"{rule.id}: no SecNumCloud section"
    assert set(rule.secnumcloud) <= SECNUMCLOUD_SECTIONS
    assert rule.hds and set(rule.hds) <= HDS_POINTS
    for name, param in rule.params.items():
        assert re.fullmatch(r"[a-z][A-Za-z0-9]*", name)
        assert param.description
        jsonschema.validate(param.default, param.schema)


def test_packs_partition_the_catalog() -> None:
    by_pack = [rule for pack in PACKS for rule in rules_for_pack(pack)]
    assert sorted(r.id for r in by_pack) == sorted(IDS)
    assert all(rules_for_pack(pack) for pack in PACKS)
    with pytest.raises(ValueError):
        rules_for_pack("nope")


def test_every_rule_is_exported_by_its_module() -> None:
    """A Rule defined in a module but missing from its RULES would silently never run."""
    import importlib

    names = [p.stem for p in RULES_DIR.glob("*.py") if p.stem != "__init__"]
    defined = set()
    for name in names:
        module = importlib.import_module(f"bascule.rules.{name}")
        rules = {v.id for v in vars(module).values() if isinstance(v, Rule)}
        if rules:
            assert {r.id for r in getattr(module, "RULES", ())} == rules, name
        defined |= rules
    assert defined == set(IDS)
    assert set(catalog.rule_modules()) == {
        n for n in names if hasattr(importlib.import_module(f"bascule.rules.{n}"), "RULES")
    }


def test_catalog_order_is_pack_then_id() -> None:
    assert list(ALL_RULES) == sorted(ALL_RULES, key=lambda r: (PACKS.index(r.pack), r.id))


def test_checkov_ids_are_unique_and_on_resource_rules() -> None:
    ids = [r.checkov_id for r in ALL_RULES if r.checkov_id]
    assert len(ids) == len(set(ids)) and ids
    assert all(r.kind == "resource" for r in ALL_RULES if r.checkov_id)


def test_rule_metadata_is_validated() -> None:
    base = rule_kwargs()
    with pytest.raises(ValueError, match="unknown pack"):
        Rule(**{**base, "pack": "nope"})
    with pytest.raises(ValueError, match="checkov ids are CKV_BSC_<n>"):
        Rule(**{**base, "checkov_id": "CKV_AZURE_1"})
    with pytest.raises(ValueError, match="applies_to names no resource kind"):
        Rule(**{**base, "applies_to": ()})
    with pytest.raises(ValueError, match="a manual-evidence rule is advisory"):
        Rule(**{**base, "enforcement": Enforcement.MANDATORY, "evidence": Evidence.MANUAL})


def test_a_rule_without_pack_is_in_the_pack_of_its_id_prefix() -> None:
    base = {k: v for k, v in rule_kwargs().items() if k != "pack"}
    assert Rule(**{**base, "id": "MIG-999"}).pack == "migration"
    assert Rule(**base).pack == "protection"
    with pytest.raises(ValueError, match="TST-001: no pack has the prefix 'TST'"):
        Rule(**{**base, "id": "TST-001"})


def test_manual_evidence_rules_are_tagged_for_the_matrix() -> None:
    from bascule.policy.crossguard import rule_tags

    manual = [r.id for r in ALL_RULES if r.evidence is Evidence.MANUAL]
    assert manual == ["PRT-023"]
    assert rule_tags(catalog.rule_by_id("PRT-023"))[-1] == MANUAL_EVIDENCE_TAG
    assert MANUAL_EVIDENCE_TAG not in rule_tags(catalog.rule_by_id("PRT-003"))


def rule_kwargs() -> dict[str, Any]:
    return {
        "id": "PRT-999", "slug": "x", "pack": "protection", "severity": Severity.LOW,
        "enforcement": Enforcement.ADVISORY, "description": "d.", "remediation": "r",
        "secnumcloud": ("10.1",), "resource_check": lambda v, p: iter(()), "applies_to": ("*",),
    }  # fmt: skip


def test_rule_modules_are_pure() -> None:
    """No pulumi import and no I/O helpers in the rule modules."""
    for path in RULES_DIR.glob("*.py"):
        tree = ast.parse(path.read_text())
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom):
                names = [node.module or ""]
            elif isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
                assert node.func.id != "open", f"{path.name}: calls open()"
                continue
            else:
                continue
            for name in names:
                root = name.split(".")[0]
                assert root not in {"pulumi", "pulumi_policy", "os", "subprocess", "pathlib"}, (
                    f"{path.name} imports {name}"
                )


def _type_constants(rule: Rule) -> set[str]:
    """Type tokens the rule's check functions name (module constants, one call level deep)."""
    import inspect
    import types

    check = rule.resource_check or rule.stack_check
    module = inspect.getmodule(check)
    assert module is not None
    found: set[str] = set()
    seen: set[object] = set()

    def walk(function: types.FunctionType) -> None:
        if function in seen:
            return
        seen.add(function)
        codes = [function.__code__]
        while codes:
            code = codes.pop()
            for name in code.co_names:
                value = getattr(module, name, None)
                if isinstance(value, str) and value.count(":") == 2:
                    found.add(value)
                elif isinstance(value, tuple | frozenset):
                    found.update(v for v in value if isinstance(v, str) and v.count(":") == 2)
                elif isinstance(value, types.FunctionType) and value.__module__ == module.__name__:
                    walk(value)
            codes.extend(c for c in code.co_consts if isinstance(c, types.CodeType))

    walk(check)  # type: ignore[arg-type]
    return found


@pytest.mark.parametrize("rule", ALL_RULES, ids=IDS)
def test_applies_to_covers_every_kind_the_rule_examines(rule: Rule) -> None:
    # Every type the check code compares against, and every type it flags in its failing
    # fixture, is one of the kinds it declares (reports use them for "nothing to check").
    assert rule.applies_to
    uncovered = {t for t in _type_constants(rule) if not rule.applies(t)}
    assert uncovered == set()
    for variant in _variants(rule):
        expected = json.loads((DATA / rule.id / f"expected{variant}.json").read_text())
        failing = load_resources(DATA / rule.id / f"fail{variant}.json")
        types_by_urn = {r["urn"]: r["type"] for r in failing}
        flagged = {types_by_urn[f["urn"]] for f in expected if f.get("urn") in types_by_urn}
        assert flagged and all(rule.applies(t) for t in flagged), variant


def test_applies_matches_types_packages_and_providers() -> None:
    sov1 = catalog.rule_by_id("SOV-001")  # packages
    assert sov1.applies("azure-native:storage:StorageAccount")
    assert sov1.applies("pulumi:providers:azure-native")
    assert not sov1.applies("openstack:compute/instance:Instance")
    sov3 = catalog.rule_by_id("SOV-003")  # provider types only
    assert sov3.applies("pulumi:providers:ovh") and not sov3.applies("ovh:Okms/okms:Okms")
