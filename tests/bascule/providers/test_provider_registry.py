"""bascule/providers: every provider module registered, and the lists that read it spell no
target provider's package or type of their own."""

from __future__ import annotations

import ast
import importlib
import pkgutil
import re
from pathlib import Path

import pytest

import bascule.providers as providers
from bascule.export import mapping as export_mapping
from bascule.parity import mapping as parity_mapping
from bascule.parity import vocabulary
from bascule.providers import (
    TARGET,
    TARGET_PROVIDERS,
    Part,
    region_providers,
    target_packages,
    target_parity_types,
)
from bascule.report import summary
from bascule.rules import residency
from components.target.openstack import catalog

ROOT = Path(providers.__file__).resolve().parents[1]
# The modules whose per-provider lists the registry owns (rules name the types they judge,
# parity's readers the types bascule's components build: those are not lists of a provider).
LIST_MODULES = (
    "parity/vocabulary.py",
    "parity/mapping.py",
    "export/mapping.py",
    "rules/residency.py",
    "rules/props.py",
)
PACKAGE_LIST_MODULES = (*LIST_MODULES, "report/summary.py")


def _provider_modules() -> list[str]:
    return sorted(
        m.name
        for m in pkgutil.iter_modules(providers.__path__)
        if m.name != "facts" and not m.name.startswith("_")
    )


def test_every_provider_module_is_registered_once() -> None:
    registered = [f.name for f in TARGET_PROVIDERS]
    assert _provider_modules() == ["openstack", "ovh", "scaleway"]
    for name in _provider_modules():
        facts = importlib.import_module(f"bascule.providers.{name}").FACTS
        assert facts.name == name
        assert registered.count(name) == 1 and facts in TARGET_PROVIDERS
    assert all(f.estate == TARGET for f in TARGET_PROVIDERS)


def test_each_provider_names_only_its_own_packages_types() -> None:
    seen: set[str] = set()
    for facts in TARGET_PROVIDERS:
        assert not seen & set(facts.packages), facts.name
        seen |= set(facts.packages)
        prefixes = tuple(
            prefix for p in facts.packages for prefix in (f"{p}:", f"pulumi:providers:{p}")
        )
        assert facts.types() and all(t.startswith(prefixes) for t in facts.types()), facts.name
        assert (facts.tf_provider is None) == (not facts.tf_types), facts.name
        assert not set(facts.tf_types) & set(facts.unmapped), facts.name


def test_the_readers_take_the_registrys_lists() -> None:
    assert target_packages() == ("openstack", "ovh", "scaleway")
    assert region_providers() == ("pulumi:providers:openstack",)
    assert residency.TARGET_PACKAGES == summary.TARGET_PACKAGES
    assert target_packages() == residency.TARGET_PACKAGES
    assert region_providers() == residency.REGION_PROVIDERS
    key_source = parity_mapping.OBJECTS[parity_mapping.Capability.KEY][TARGET]
    assert (
        key_source.resource
        == target_parity_types(Part.KEY)
        == (
            "openstack:keymanager/orderV1:OrderV1",
            "openstack:keymanager/secretV1:SecretV1",
            "ovh:Okms/serviceKey:ServiceKey",
            "ovh:okms/serviceKey:ServiceKey",
            "scaleway:keymanager/key:Key",
        )
    )
    assert [v.name for v in vocabulary.vocabularies(TARGET)] == [
        "openstack",
        "ovh",
        "scaleway",
    ]
    assert [v.label for v in vocabulary.vocabularies(TARGET)] == [
        "OpenStack",
        "OVHcloud",
        "Scaleway",
    ]
    assert vocabulary.packages_of(TARGET) == target_packages()
    for facts in TARGET_PROVIDERS:
        assert set(facts.tf_types) <= set(export_mapping.TF_TYPES)
        assert set(facts.unmapped) <= set(export_mapping.UNMAPPED)
    assert set(export_mapping.TF_PROVIDERS) == set(target_packages())
    # The program builds with the catalogue parity judges by: one definition.
    assert parity_mapping.ENCRYPTED_VOLUME_TYPES is catalog.ENCRYPTED_VOLUME_TYPES
    assert parity_mapping.ENCRYPTED_STORAGE_POLICIES is catalog.ENCRYPTED_STORAGE_POLICIES


def _strings(tree: ast.AST) -> list[str]:
    return [
        n.value for n in ast.walk(tree) if isinstance(n, ast.Constant) and isinstance(n.value, str)
    ]


def _type_tokens(source: str) -> list[str]:
    """Every string constant that is a target type token or a target provider's type."""
    packages = "|".join(re.escape(p) for p in target_packages())
    token = re.compile(rf"^(?:(?:{packages}):[^:\s]+:[^:\s]+|pulumi:providers:(?:{packages}))$")
    return [s for s in _strings(ast.parse(source)) if token.match(s)]


def _package_lists(source: str) -> list[list[str]]:
    """The strings of every tuple, list or set literal holding a target package name."""
    found: list[list[str]] = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Tuple | ast.List | ast.Set):
            strings = _strings(node)
            if set(target_packages()) & set(strings):
                found.append(strings)
    return found


@pytest.mark.parametrize("module", LIST_MODULES)
def test_no_list_module_spells_a_target_type(module: str) -> None:
    assert _type_tokens((ROOT / module).read_text()) == [], module


@pytest.mark.parametrize("module", PACKAGE_LIST_MODULES)
def test_no_list_module_spells_the_target_packages(module: str) -> None:
    assert _package_lists((ROOT / module).read_text()) == [], module


def test_the_scans_find_what_they_look_for() -> None:
    source = (
        'A = ("openstack", "ovh")\n'
        'B = {"openstack:compute/instance:Instance": "pulumi:providers:ovh", "x:y:Z": 1}\n'
        'C = "openstack is a word"\n'
    )
    assert _type_tokens(source) == [
        "openstack:compute/instance:Instance",
        "pulumi:providers:ovh",
    ]
    assert _package_lists(source) == [["openstack", "ovh"]]
