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

STORAGE_ACCOUNT = "azure-native:storage:StorageAccount"
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


def is_cut_over(props: Mapping[str, Any], params: Mapping[str, Any]) -> bool:
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


def _resource_lock_covers(lock: StackResource, account: StackResource) -> bool | None:
    props = lock.props
    checks = [
        _same(props.get("resourceProviderNamespace"), "Microsoft.Storage"),
        _same(props.get("resourceType"), "storageAccounts"),
        _same(props.get("resourceGroupName"), account.props.get("resourceGroupName")),
    ]
    names = {account.name.lower()}
    for key in ("accountName", "name"):
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


def _read_only(lock: StackResource) -> bool | None:
    level = lock.props.get("level")
    if p.is_unknown(level):
        return None
    return isinstance(level, str) and level.lower() == "readonly"


def _check_locks(
    resources: Sequence[StackResource], params: Mapping[str, Any]
) -> Iterator[Finding]:
    locks = [r for r in resources if r.type in LOCK_TYPES and _read_only(r) is not False]
    for res in resources:
        if res.type != STORAGE_ACCOUNT or not is_cut_over(res.props, params):
            continue
        verdicts = {
            lock.name: (True if _read_only(lock) else None) and _lock_covers(lock, res)
            for lock in locks
        }
        if any(v is True for v in verdicts.values()):
            continue
        wave = p.wave_of(res.props)
        unknown = sorted(name for name, v in verdicts.items() if v is None)
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
    pack="migration",
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
    secnumcloud=("19.4",),
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


def _check_shared_key(view: ResourceView, params: Mapping[str, Any]) -> Iterator[str]:
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
    pack="migration",
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
    secnumcloud=("19.4", "10.5"),
    hds=("hds-security",),
    params=dict(CUTOVER_PARAM),
    resource_check=_check_shared_key,
    applies_to=(STORAGE_ACCOUNT,),
    rationale=(
        "Account keys and SAS tokens are shared, non-nominative credentials that a management lock"
        " does not block on the data plane (SecNumCloud 9.5 d, 10.5)."
    ),
)


RULES = (
    MIG_001,
    MIG_002,
)
