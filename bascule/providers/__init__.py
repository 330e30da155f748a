"""Per-provider facts bascule reads in one place: each target provider's module names its
Pulumi packages and resource types, the provider resource that carries its region, its
Terraform equivalents (tfplan export) and its parity vocabulary. Parity, the export mapping
and the rules' type lists read their per-provider parts from here.

Adding a provider: a module here with its `FACTS`, listed in `TARGET_PROVIDERS`.
"""

from __future__ import annotations

from collections.abc import Mapping

from bascule.providers import openstack, ovh, scaleway
from bascule.providers.facts import SOURCE, TARGET, Part, ProviderFacts

__all__ = [
    "SOURCE",
    "TARGET",
    "TARGET_PROVIDERS",
    "Part",
    "ProviderFacts",
    "region_providers",
    "target_packages",
    "target_parity_types",
    "tf_providers",
    "tf_types",
    "unmapped_types",
]

# Every target provider bascule knows, in the order its lists are read.
TARGET_PROVIDERS: tuple[ProviderFacts, ...] = (openstack.FACTS, ovh.FACTS, scaleway.FACTS)


def target_packages() -> tuple[str, ...]:
    """The Pulumi packages of every target provider: ("openstack", "ovh", ...)."""
    return tuple(p for facts in TARGET_PROVIDERS for p in facts.packages)


def region_providers() -> tuple[str, ...]:
    """The provider resource types that must state the target region."""
    return tuple(f.region_provider for f in TARGET_PROVIDERS if f.region_provider)


def tf_types() -> dict[str, str]:
    """Pulumi type -> Terraform type, for every target provider."""
    return {t: tf for facts in TARGET_PROVIDERS for t, tf in facts.tf_types.items()}


def tf_providers() -> dict[str, str]:
    """Pulumi package -> the bridged Terraform provider's source address."""
    return {
        package: facts.tf_provider
        for facts in TARGET_PROVIDERS
        if facts.tf_provider
        for package in facts.packages
    }


def unmapped_types() -> dict[str, str]:
    """Target types with no checkov counterpart, and why."""
    return {t: why for facts in TARGET_PROVIDERS for t, why in facts.unmapped.items()}


def target_parity_types(part: Part) -> tuple[str, ...]:
    """Every target type playing `part`, provider after provider."""
    return tuple(t for facts in TARGET_PROVIDERS for t in facts.parity_types.get(part, ()))


def by_name() -> Mapping[str, ProviderFacts]:
    return {facts.name: facts for facts in TARGET_PROVIDERS}
