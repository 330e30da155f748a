"""The wave lifecycle as the snapshot shows it: every resource's `migration-state` is a
lifecycle status, the one its wave has in the stack's plan (the `waves` output), and what
that status builds is what is there; a wave at cutover (or beyond) carries the CNIL's
sign-off. The statuses and what each builds: components/lifecycle.py.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Mapping
from typing import Any

from bascule.rules import migration as mig
from bascule.rules import props as p
from bascule.rules.base import Enforcement, Finding, Rule, Severity, StackResource
from bascule.rules.check import Params, Resources, findings
from bascule.rules.qualification import CHECK_DATE, check_date
from bascule.rules.transfer import APP_CREDENTIAL, IDENTITY, TRANSFER_ROLE, credential_wave
from bascule.rules.types import INSTANCE, NSG, SCW_APPLICATIONS, STORAGE_ACCOUNT, VM
from components.lifecycle import PHASES, WaveStatus

ROOT = "pulumi:pulumi:Stack"
STATE_TAG = "migration-state"
STATUSES = tuple(s.value for s in WaveStatus)
STOPPED = ("shutoff", "shelved_offloaded")


def declared_waves(resources: Resources) -> dict[str, Mapping[str, Any]] | None:
    """The stack's plan (output `waves`), by wave number; None when it exports none."""
    root = next((r for r in resources if r.type == ROOT), None)
    entries = root.props.get("waves") if root is not None else None
    if not p.is_seq(entries):
        return None
    plan = {}
    for entry in p.iter_mappings(entries):
        number = p.to_int(entry.get("id"))
        if number is not None:
            plan[str(number)] = entry
    return plan


def _status_of(
    wave: str | None, plan: Mapping[str, Mapping[str, Any]] | None, tag: str | None
) -> str | None:
    if plan is not None and wave is not None and wave in plan:
        status = plan[wave].get("status")
        return status if isinstance(status, str) else None
    return tag


def _phase(status: str | None) -> Any:
    return PHASES.get(WaveStatus(status)) if status in STATUSES else None


def _tag_messages(
    res: StackResource, plan: Mapping[str, Mapping[str, Any]] | None
) -> Iterator[str]:
    tags = p.metadata_of(res.props)
    state = tags.get(STATE_TAG)
    if state is None:
        return
    if state not in STATUSES:
        yield f"{STATE_TAG} '{state}' is not a lifecycle status ({', '.join(STATUSES)})"
        return
    wave = p.wave_of(res.props)
    declared = _status_of(wave, plan, None) if plan is not None else None
    if plan is not None and wave not in plan:
        yield f"wave {wave} is not in the stack's plan (output waves)"
    elif declared is not None and declared != state:
        yield f"{STATE_TAG} is '{state}' but wave {wave} is '{declared}' in the stack's plan"


def _wave_status(
    res: StackResource, plan: Mapping[str, Mapping[str, Any]] | None
) -> tuple[str | None, str | None]:
    wave = p.wave_of(res.props)
    return wave, _status_of(wave, plan, p.metadata_of(res.props).get(STATE_TAG))


def _source_messages(
    res: StackResource, resources: Resources, status: str, wave: str | None
) -> Iterator[str]:
    phase = _phase(status)
    if phase is None or p.metadata_of(res.props).get("estate", "source") != "source":
        return
    if not phase.source_present and res.type in (STORAGE_ACCOUNT, VM):
        yield f"wave {wave} is {status}: '{res.name}' should have been removed from the source"
    if res.type == STORAGE_ACCOUNT and status == WaveStatus.ROLLED_BACK:
        locks = [
            r for r in resources if r.type in mig.LOCK_TYPES and r.props.get("level") == "ReadOnly"
        ]
        if any(mig._lock_covers(lock, res) is True for lock in locks):
            yield (
                f"wave {wave} is rolled back: '{res.name}' is still under a ReadOnly lock (the "
                "source is authoritative again)"
            )
    if (
        res.type == NSG
        and not phase.source_enclaves_open
        and p.metadata_of(res.props).get("role") == "enclave"
    ):
        for name in admitting_rules(res.props.get("securityRules")):
            yield f"wave {wave} is {status}: enclave NSG '{res.name}' still admits '{name}'"


def _wildcard(value: Any) -> bool:
    return isinstance(value, str) and value.strip().lower() in ("*", "any", "0.0.0.0/0")


def _denies_everything(rule: Mapping[str, Any]) -> bool:
    """An inbound Deny of any protocol from anywhere to any port of any address."""
    return (
        str(rule.get("access", "")).lower() == "deny"
        and all(
            _wildcard(rule.get(key))
            for key in ("protocol", "sourceAddressPrefix", "destinationPortRange")
        )
        and not p.as_seq(rule.get("sourceAddressPrefixes"))
        and not p.as_seq(rule.get("destinationPortRanges"))
        and _wildcard(rule.get("destinationAddressPrefix", "*"))
    )


def admitting_rules(rules: Any) -> list[str]:
    """Names of the inbound Allow rules that take effect: those no deny-everything rule of
    a lower priority number (evaluated first by Azure) shadows. An unreadable priority
    counts as taking effect."""
    inbound = [
        r for r in p.iter_mappings(rules) if str(r.get("direction", "")).lower() == "inbound"
    ]
    floors = [p.to_int(r.get("priority")) for r in inbound if _denies_everything(r)]
    floor = min((f for f in floors if f is not None), default=None)
    names = []
    for rule in inbound:
        if str(rule.get("access", "")).lower() != "allow":
            continue
        priority = p.to_int(rule.get("priority"))
        if floor is None or priority is None or priority < floor:
            names.append(str(rule.get("name")))
    return names


def _target_messages(res: StackResource, status: str, wave: str | None) -> Iterator[str]:
    phase = _phase(status)
    if phase is None or res.type != INSTANCE or phase.target_enclaves_running:
        return
    if p.metadata_of(res.props).get("role") != "enclave":
        return
    state = res.props.get("powerState")
    if p.is_unknown(state):
        return
    if not isinstance(state, str) or state.lower() not in STOPPED:
        shown = p.show(state) if state is not None else "not set (defaults to active)"
        yield (
            f"wave {wave} is {status}: target instance '{res.name}' powerState is {shown}: "
            "researchers have no access before the wave is parallel"
        )


def _identity_messages(
    res: StackResource, plan: Mapping[str, Mapping[str, Any]] | None
) -> Iterator[str]:
    if res.type == IDENTITY and p.metadata_of(res.props).get("role") == TRANSFER_ROLE:
        wave, status = _wave_status(res, plan)
    elif res.type == APP_CREDENTIAL or res.type in SCW_APPLICATIONS:
        name = res.props.get("name") if isinstance(res.props.get("name"), str) else res.name
        parsed = credential_wave(str(name))
        if parsed is None:
            return
        wave, status = parsed[0], _status_of(parsed[0], plan, None)
    else:
        return
    phase = _phase(status)
    if phase is not None and not phase.transfer_identities:
        yield (
            f"wave {wave} is {status}: transfer identity '{res.name}' should not exist "
            "(identities live while replicating or parallel)"
        )


def _check_lifecycle(resources: Resources, params: Params) -> Iterator[Finding]:
    plan = declared_waves(resources)
    for res in resources:
        messages = list(_tag_messages(res, plan))
        wave, status = _wave_status(res, plan)
        if status is not None and not messages:
            messages += _source_messages(res, resources, status, wave)
            messages += _target_messages(res, status, wave)
        messages += _identity_messages(res, plan)
        yield from findings(messages, res.urn)


MIG_018 = Rule(
    id="MIG-018",
    slug="snapshot-matches-wave-status",
    severity=Severity.HIGH,
    enforcement=Enforcement.MANDATORY,
    description=(
        "What the snapshot holds matches each wave's lifecycle status: tags name a known "
        "status, the one in the stack's plan; a decommissioned source is gone, a cut-over "
        "source admits no one, a rolled-back source is unlocked, target enclaves run only from "
        "`parallel` on, transfer identities exist only while replicating or parallel."
    ),
    remediation=(
        "Change the wave's `status` in `bascule:waves` and let the components build it "
        "(`bascule waves plan STACK --since OLD` shows the move); never edit tags by hand."
    ),
    secnumcloud=("12.2",),
    hds=("hds-security",),
    stack_check=_check_lifecycle,
    applies_to=("*",),
    rationale=(
        "The lifecycle decides who may write where: a source still writable after cutover "
        "drifts from the target, a decommissioned source that lingers keeps health data (and "
        "the keys that decrypt it, whose deletion is its crypto-erasure) outside the plan, "
        "target enclaves running before `parallel` process data not yet validated, and "
        "leftover transfer identities keep access after the wave. The snapshot must show the "
        "change that was approved (SecNumCloud 12.2 change management)."
    ),
)


# --------------------------------------------------------------------------- MIG-019


def sign_off_messages(number: str, entry: Mapping[str, Any], on: dt.date) -> Iterator[str]:
    """What a wave's plan entry lacks in sign-offs for its status on `on` (also `bascule waves`)."""
    status = entry.get("status")
    phase = _phase(status if isinstance(status, str) else None)
    if phase is None:
        return
    cutover = _date(entry.get("cutoverDate"))
    offs = list(p.iter_mappings(entry.get("signOffs")))
    for authority in phase.sign_offs:
        found = [o for o in offs if str(o.get("authority", "")).strip().lower() == authority]
        if not found:
            yield f"wave {number} is {status} without a {authority.upper()} sign-off"
            continue
        dates = [_date(o.get("date")) for o in found]
        valid = [d for d in dates if d is not None and d <= on]
        if not valid:
            yield (
                f"wave {number}'s {authority.upper()} sign-off is dated after {on.isoformat()} "
                "(or not a date): not yet given"
            )
        elif cutover is not None and min(valid) > cutover:
            yield (
                f"wave {number}'s {authority.upper()} sign-off ({min(valid).isoformat()}) came "
                f"after its cutover ({cutover.isoformat()})"
            )


def _date(value: Any) -> dt.date | None:
    try:
        return dt.date.fromisoformat(str(value)[:10]) if value is not None else None
    except ValueError:
        return None


def _check_sign_offs(resources: Resources, params: Params) -> Iterator[Finding]:
    root = next((r for r in resources if r.type == ROOT), None)
    plan = declared_waves(resources)
    if plan is None:
        tagged = [
            r
            for r in resources
            if p.metadata_of(r.props).get(STATE_TAG) in ("cutover", "decommissioned")
        ]
        if tagged:
            yield Finding(
                "cannot verify the sign-offs of cut-over waves: the stack exports no `waves` plan",
                root.urn if root is not None else tagged[0].urn,
            )
        return
    on = check_date(params)
    if isinstance(on, str):
        yield Finding(on, root.urn if root is not None else None)
        return
    for number in sorted(plan, key=int):
        yield from findings(
            sign_off_messages(number, plan[number], on), root.urn if root is not None else None
        )


MIG_019 = Rule(
    id="MIG-019",
    slug="cutover-signed-off",
    severity=Severity.CRITICAL,
    enforcement=Enforcement.MANDATORY,
    description=(
        "A wave at cutover or decommissioned carries the CNIL's sign-off in the stack's plan, "
        "dated on or before the check date and before the cutover."
    ),
    remediation=(
        "Record it under the wave in `bascule:waves`: `signOffs: [{authority: CNIL, "
        "reference: <decision>, date: YYYY-MM-DD}]`, or move the wave back."
    ),
    secnumcloud=("12.2",),
    hds=("hds-security",),
    params={"checkDate": CHECK_DATE},
    stack_check=_check_sign_offs,
    applies_to=(ROOT, "*"),
    rationale=(
        "A cutover moves a wave's health data to a new host: the migration plan requires the "
        "CNIL's sign-off, recorded with its reference, on or before the cutover date, and a "
        "cut-over wave without it is an unapproved change of the processing (SecNumCloud 12.2 "
        "change management)."
    ),
)

RULES = (MIG_018, MIG_019)
