"""Migration: the source estate is frozen once a wave is cut over."""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from typing import Any

from bascule.rules import props as p
from bascule.rules.base import (
    Enforcement,
    Finding,
    Param,
    ResourceView,
    Rule,
    Severity,
    StackResource,
)
from bascule.rules.check import Params, Resources
from bascule.rules.types import MANAGED_HSM, STORAGE_ACCOUNT, SWIFT, VAULT

LOCK_TYPES = (
    "azure-native:authorization:ManagementLockByScope",
    "azure-native:authorization:ManagementLockAtResourceLevel",
    "azure-native:authorization:ManagementLockAtResourceGroupLevel",
    "azure-native:authorization:ManagementLockAtSubscriptionLevel",
)
CUTOVER_PARAM = {
    "cutoverWaves": Param(
        {"type": "array", "items": {"type": ["string", "integer"]}},
        [],
        "Waves already cut over to the target (values of the `wave` tag).",
    )
}


def is_cut_over(props: Mapping[str, Any], params: Params) -> bool:
    tags = p.metadata_of(props)
    if tags.get("migration-state", "").lower() == "cutover":
        return True
    wave = p.wave_of(props)
    return wave is not None and wave in p.str_values(params["cutoverWaves"])


def _same(a: Any, b: Any) -> bool | None:
    if p.is_unknown(a) or p.is_unknown(b):
        return None
    return isinstance(a, str) and isinstance(b, str) and a.lower() == b.lower()


def _scope_covers(lock: StackResource, account: StackResource) -> bool | None:
    scope, acc_id = lock.props.get("scope"), account.props.get("id")
    if p.is_unknown(scope) or p.is_unknown(acc_id) or not isinstance(acc_id, str):
        # A preview: the scope is the output of the resource the lock was built from.
        return True if account.urn in lock.dependencies else None
    if not isinstance(scope, str):
        return False
    s, a = scope.rstrip("/").lower(), acc_id.lower()
    return a == s or a.startswith(s + "/")


# ARM namespace, type and name properties of the resources a lock can protect.
ARM_KINDS: dict[str, tuple[str, str, tuple[str, ...]]] = {
    STORAGE_ACCOUNT: ("Microsoft.Storage", "storageAccounts", ("accountName", "name")),
    VAULT: ("Microsoft.KeyVault", "vaults", ("vaultName", "name")),
    MANAGED_HSM: ("Microsoft.KeyVault", "managedHSMs", ("name",)),
}


def _resource_lock_covers(lock: StackResource, account: StackResource) -> bool | None:
    props = lock.props
    namespace, arm_type, name_keys = ARM_KINDS[account.type]
    checks = [
        _same(props.get("resourceProviderNamespace"), namespace),
        _same(props.get("resourceType"), arm_type),
        _same(props.get("resourceGroupName"), account.props.get("resourceGroupName")),
    ]
    names = {account.name.lower()}
    for key in name_keys:
        value = account.props.get(key)
        if isinstance(value, str) and not p.is_unknown(value):
            names.add(value.lower())
    name = props.get("resourceName")
    checks.append(None if p.is_unknown(name) else isinstance(name, str) and name.lower() in names)
    if any(c is False for c in checks):
        return False
    return None if any(c is None for c in checks) else True


def _lock_covers(lock: StackResource, account: StackResource) -> bool | None:
    """True/False, or None when the lock's scope cannot be decided (unknown values)."""
    if lock.type.endswith("ManagementLockAtSubscriptionLevel"):
        return True
    if lock.type.endswith("ManagementLockByScope"):
        return _scope_covers(lock, account)
    if lock.type.endswith("ManagementLockAtResourceLevel"):
        return _resource_lock_covers(lock, account)
    return _same(lock.props.get("resourceGroupName"), account.props.get("resourceGroupName"))


def _level_in(lock: StackResource, levels: tuple[str, ...]) -> bool | None:
    level = lock.props.get("level")
    if p.is_unknown(level):
        return None
    return isinstance(level, str) and level.lower() in levels


def _locks(resources: Resources, levels: tuple[str, ...]) -> list[StackResource]:
    """The management locks whose level is one of `levels`, or unknown."""
    return [r for r in resources if r.type in LOCK_TYPES and _level_in(r, levels) is not False]


def _undecided(
    res: StackResource, locks: Sequence[StackResource], levels: tuple[str, ...]
) -> list[str] | None:
    """None when one of `locks` of a level in `levels` covers `res`; else the names of those
    whose scope or level is unknown (none: nothing protects it)."""
    verdicts = {
        lock.name: (True if _level_in(lock, levels) else None) and _lock_covers(lock, res)
        for lock in locks
    }
    if any(v is True for v in verdicts.values()):
        return None
    return sorted(name for name, v in verdicts.items() if v is None)


READ_ONLY = ("readonly",)


def _check_locks(resources: Resources, params: Params) -> Iterator[Finding]:
    locks = _locks(resources, READ_ONLY)
    for res in resources:
        if res.type != STORAGE_ACCOUNT or not is_cut_over(res.props, params):
            continue
        unknown = _undecided(res, locks, READ_ONLY)
        if unknown is None:
            continue
        wave = p.wave_of(res.props)
        if unknown:
            yield Finding(
                f"cannot verify that storage account '{res.name}' (wave {wave}) is locked: "
                f"the scope or level of lock(s) {p.fmt_list(unknown)} is unknown",
                res.urn,
            )
            continue
        yield Finding(
            f"storage account '{res.name}' (wave {wave}) is cut over but has "
            "no ReadOnly management lock",
            res.urn,
        )


MIG_001 = Rule(
    id="MIG-001",
    slug="source-read-only-after-cutover",
    severity=Severity.HIGH,
    enforcement=Enforcement.MANDATORY,
    description=(
        "Every source storage account of a cut-over wave is covered by a ReadOnly "
        "management lock, so the source of truth cannot diverge from the target."
    ),
    remediation=(
        "Add an authorization.ManagementLockByScope with `level: ReadOnly` and `scope` set "
        "to the account's id (or its resource group) for each account in a cut-over wave; "
        "list the wave in `cutoverWaves` (or tag `migration-state=cutover`)."
    ),
    secnumcloud=("12.2",),
    hds=("hds-security",),
    params=dict(CUTOVER_PARAM),
    stack_check=_check_locks,
    applies_to=(*LOCK_TYPES, STORAGE_ACCOUNT),
    rationale=(
        "Once a wave is cut over the target is the source of truth: a writable source copy would "
        "drift from it silently, and any change there would escape the target's controls "
        "(SecNumCloud 12.2 change management)."
    ),
)


def _check_shared_key(view: ResourceView, params: Params) -> Iterator[str]:
    if view.type != STORAGE_ACCOUNT or not is_cut_over(view.props, params):
        return
    value = view.props.get("allowSharedKeyAccess")
    if p.is_unknown(value):
        return
    if p.to_bool(value) is not False:
        shown = "not set (defaults to true)" if value is None else p.show(value)
        yield (
            f"allowSharedKeyAccess is {shown} on an account of cut-over wave "
            f"{p.wave_of(view.props)}; account keys/SAS would still allow writes despite the "
            "ReadOnly lock"
        )


MIG_002 = Rule(
    id="MIG-002",
    slug="cutover-source-no-shared-key",
    severity=Severity.MEDIUM,
    enforcement=Enforcement.ADVISORY,
    description=(
        "Source storage accounts of a cut-over wave disable shared-key (account key/SAS) "
        "access, which a management lock does not block on the data plane."
    ),
    remediation=(
        "Set `allowSharedKeyAccess: false` on the storage.StorageAccount once its wave is "
        "cut over; readers use Entra ID (RBAC) only."
    ),
    secnumcloud=("9.5", "10.5"),
    hds=("hds-security",),
    params=dict(CUTOVER_PARAM),
    resource_check=_check_shared_key,
    applies_to=(STORAGE_ACCOUNT,),
    rationale=(
        "Account keys and SAS tokens are shared, non-nominative credentials that a management lock"
        " does not block on the data plane (SecNumCloud 9.5 d, 10.5)."
    ),
)


# --------------------------------------------------------------------------- MIG-003

PROTECTING = ("readonly", "cannotdelete")
PROTECTED_CONTAINERS = (*p.HEALTH_CLASSES, "audit-logs")


def _force_destroy(res: StackResource) -> Iterator[Finding]:
    classification = p.metadata_of(res.props).get("classification")
    if classification in PROTECTED_CONTAINERS and p.to_bool(res.props.get("forceDestroy")) is True:
        yield Finding(
            f"container '{res.name}' has forceDestroy: a destroy deletes its objects", res.urn
        )


def _check_deletion(resources: Resources, params: Params) -> Iterator[Finding]:
    locks = _locks(resources, PROTECTING)
    for res in resources:
        if res.type == SWIFT:
            yield from _force_destroy(res)
            continue
        if res.type not in ARM_KINDS or is_cut_over(res.props, params):
            continue
        unknown = _undecided(res, locks, PROTECTING)
        if unknown is None:
            continue
        kind = res.type.rsplit(":", 1)[-1]
        if unknown:
            yield Finding(
                f"cannot verify that {kind} '{res.name}' is protected from deletion: the scope or "
                f"level of lock(s) {p.fmt_list(unknown)} is unknown",
                res.urn,
            )
        else:
            yield Finding(
                f"{kind} '{res.name}' is not cut over and has no CanNotDelete (or ReadOnly) "
                "management lock",
                res.urn,
            )


MIG_003 = Rule(
    id="MIG-003",
    slug="deletion-protection-before-cutover",
    severity=Severity.HIGH,
    enforcement=Enforcement.MANDATORY,
    description=(
        "Until their wave is cut over, source storage accounts, Key Vaults and Managed HSMs are "
        "protected from deletion by a management lock, and no health-data or audit container "
        "of the target can be force-destroyed."
    ),
    remediation=(
        "Add an authorization.ManagementLockByScope with `level: CanNotDelete` on each storage "
        "account and vault of a wave not yet cut over (ReadOnly once it is, MIG-001); set "
        "`forceDestroy: false` on dataset and audit containers."
    ),
    secnumcloud=("12.5", "17.4"),
    hds=("hds-security",),
    params=dict(CUTOVER_PARAM),
    stack_check=_check_deletion,
    applies_to=(*LOCK_TYPES, *ARM_KINDS, SWIFT),
    rationale=(
        "During a migration the source is the only complete copy: a deleted account or vault "
        "(and the keys that decrypt it) cannot be recovered from a target not yet loaded. "
        "SecNumCloud 12.5 protects backups and copies, 17.4 the availability of the means of "
        "processing; a delete lock and no force-destroy make deletion a deliberate two-step act."
    ),
)


RULES = (MIG_001, MIG_002, MIG_003)
