"""The acceptance tests of each migration wave, as a tender can cite them (`bascule waves`).

Pure: it judges what the caller gathered (the snapshot, the policy run, the parity report,
the checked transfer evidence). Each wave gets the same seven tests, in this order; a test
is `passed`, `failed` or `skipped` (not applicable to the wave's status, said why).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from bascule.parity.model import Gap
from bascule.policy.result import Violation
from bascule.rules import props as p
from bascule.rules.lifecycle import sign_off_messages
from bascule.rules.transfer import credential_wave
from bascule.rules.types import SCW_APPLICATIONS
from bascule.snapshot.model import Resource, Snapshot
from bascule.waves.evidence import Evidence
from components.lifecycle import PHASES, WaveStatus

PASSED, FAILED, SKIPPED = "passed", "failed", "skipped"
INTERCONNECT_RULES = ("MIG-010", "MIG-011", "MIG-012", "MIG-013")
IDENTITY_RULES = ("MIG-014", "MIG-015", "MIG-016", "MIG-017", "MIG-020")
IDENTITY = "azure-native:managedidentity:UserAssignedIdentity"
APP_CREDENTIAL = "openstack:identity/applicationCredential:ApplicationCredential"
# The target's write identities: OpenStack application credentials and Scaleway IAM
# applications (its deprecated alias too), both named `<platform>-wave<N>-<job>-transfer`.
TARGET_IDENTITIES = (APP_CREDENTIAL, *SCW_APPLICATIONS)
AZ_CONNECTION = "azure-native:network:VirtualNetworkGatewayConnection"
OS_SITE = "openstack:vpnaas/siteConnection:SiteConnection"
ACCOUNT = "azure-native:storage:StorageAccount"
LOCKS = ("ManagementLockByScope", "ManagementLockAtResourceLevel")
# From `parallel` on, the data has been copied: the verification must back the wave.
EVIDENCE_REQUIRED = (WaveStatus.PARALLEL, WaveStatus.CUTOVER, WaveStatus.DECOMMISSIONED)


@dataclass(frozen=True)
class Case:
    name: str
    status: str
    message: str


@dataclass(frozen=True)
class WaveAcceptance:
    id: int
    name: str
    status: str  # the wave's lifecycle status the cases were chosen for
    cases: tuple[Case, ...]
    evidence: Evidence | None = None

    @property
    def failed(self) -> bool:
        return any(c.status == FAILED for c in self.cases)


Verdict = tuple[str, str]
"""What one test says: its status and why (`accept_wave` names the test)."""


@dataclass(frozen=True)
class Inputs:
    """Everything the tests judge, gathered by the caller."""

    snapshot: Snapshot
    violations: Sequence[Violation]  # mandatory ones
    gaps: Sequence[Gap]
    evidence: Mapping[int, Evidence]  # by wave, for the waves that cite one
    today: dt.date


def _tags(resource: Resource) -> Mapping[str, Any]:
    return p.metadata_of(resource.outputs or resource.inputs)


def _wave_of(resource: Resource) -> str | None:
    """The `wave` tag; an application credential (no tags in Keystone) by its name."""
    wave = p.wave_of(resource.outputs or resource.inputs)
    if wave is None and resource.type in TARGET_IDENTITIES:
        parsed = credential_wave(resource.name)
        wave = parsed[0] if parsed else None
    return wave


def _names_wave(message: str, wave: int) -> bool:
    return re.search(rf"\bwave {wave}\b|-wave{wave}-", message) is not None


def _listed(items: Iterable[str], limit: int = 3) -> str:
    shown = sorted(items)
    more = f" and {len(shown) - limit} more" if len(shown) > limit else ""
    return ", ".join(shown[:limit]) + more


def _parity(wave: int, inputs: Inputs) -> Verdict:
    blocking = [g.object for g in inputs.gaps if g.wave == wave and g.blocking]
    if blocking:
        return FAILED, f"{len(blocking)} blocking gap(s): {_listed(blocking)}"
    return PASSED, "no blocking gap on the wave's objects"


def _policy(wave: int, inputs: Inputs) -> Verdict:
    waves = {r.urn: _wave_of(r) for r in inputs.snapshot}
    found = [
        v
        for v in inputs.violations
        if waves.get(v.urn) == str(wave) or _names_wave(v.message, wave)
    ]
    if found:
        rules = sorted({v.rule_id or v.policy for v in found})
        return FAILED, f"{len(found)} mandatory violation(s) ({', '.join(rules)})"
    return PASSED, "no mandatory violation on the wave's resources"


def _identities(wave: int, status: WaveStatus, inputs: Inputs) -> Verdict:
    azure = [
        r.name
        for r in inputs.snapshot
        if r.type == IDENTITY
        and _tags(r).get("role") == "transfer-identity"
        and _wave_of(r) == str(wave)
    ]
    target = [
        r.name for r in inputs.snapshot if r.type in TARGET_IDENTITIES and _wave_of(r) == str(wave)
    ]
    held = [r for r in inputs.snapshot if r.name in set(azure) | set(target)]
    urns = {r.urn for r in held}
    bad = [
        v
        for v in inputs.violations
        if v.rule_id in IDENTITY_RULES and (v.urn in urns or _names_wave(v.message, wave))
    ]
    if not PHASES[status].transfer_identities:
        if azure or target:
            return (
                FAILED,
                f"{status}: no transfer identity should exist, found {_listed(azure + target)}",
            )
        return PASSED, f"none, as {status} requires"
    if not azure or not target:
        side = "Azure managed identity" if not azure else "target write identity"
        return FAILED, f"{status}: no {side} for the wave"
    if bad:
        rules = sorted({v.rule_id for v in bad})
        return FAILED, f"not scoped: {', '.join(rules)}"
    return (
        PASSED,
        f"{len(azure)} read-only source and {len(target)} write-only target identities, scoped",
    )


def _interconnect(status: WaveStatus, inputs: Inputs) -> Verdict:
    bad = [v for v in inputs.violations if v.rule_id in INTERCONNECT_RULES]
    ends = {r.type for r in inputs.snapshot if r.type in (AZ_CONNECTION, OS_SITE)}
    if bad:
        rules = sorted({v.rule_id for v in bad})
        return FAILED, f"not compliant or not matching: {', '.join(rules)}"
    if ends != {AZ_CONNECTION, OS_SITE}:
        if PHASES[status].transfer_identities:
            return FAILED, f"{status}: the stack declares no interconnect"
        return SKIPPED, f"{status}: no data moves, no tunnel needed"
    return PASSED, "both ends compliant (MIG-010..012) and matching (MIG-013)"


def _sign_offs(entry: Mapping[str, Any], inputs: Inputs) -> Verdict:
    number = str(entry.get("id"))
    missing = list(sign_off_messages(number, entry, inputs.today))
    if missing:
        return FAILED, "; ".join(missing)
    offs = p.iter_mappings(entry.get("signOffs"))
    given = sorted({str(o.get("authority", "")).strip().upper() for o in offs})
    shown = ", ".join(given) if given else "none"
    return PASSED, f"as {entry.get('status')} requires (recorded: {shown})"


def _evidence(wave: int, status: WaveStatus, inputs: Inputs) -> Verdict:
    evidence = inputs.evidence.get(wave)
    if evidence is None:
        if status in EVIDENCE_REQUIRED:
            return (
                FAILED,
                f"{status}: no transfer verification manifest cited (transferEvidence)",
            )
        return SKIPPED, f"{status}: not required yet"
    if not evidence.accepted:
        return FAILED, "; ".join(evidence.problems)
    return PASSED, f"manifest: {evidence.manifest} sha256 {evidence.sha256}"


def _rollback(wave: int, status: WaveStatus, inputs: Inputs) -> Verdict:
    if status is WaveStatus.DECOMMISSIONED:
        return SKIPPED, "decommissioned: the source is gone (no way back)"
    accounts = [
        r
        for r in inputs.snapshot
        if r.type == ACCOUNT and _wave_of(r) == str(wave) and _tags(r).get("estate") == "source"
    ]
    if status is not WaveStatus.CUTOVER:
        return PASSED, f"{status}: the source is still authoritative"
    locks = [r for r in inputs.snapshot if r.type.rsplit(":", 1)[-1] in LOCKS]
    if not accounts:
        return FAILED, "cutover: the wave's source storage is not there"
    return (
        PASSED,
        f"{len(accounts)} source account(s) kept, frozen by locks the stack manages "
        f"({len(locks)} in the stack): rolling back lifts them",
    )


def accept_wave(entry: Mapping[str, Any], inputs: Inputs) -> WaveAcceptance:
    wave = int(entry["id"])
    status = WaveStatus(str(entry["status"]))
    cases = (
        Case("parity", *_parity(wave, inputs)),
        Case("policy", *_policy(wave, inputs)),
        Case("transfer-identities", *_identities(wave, status, inputs)),
        Case("interconnect", *_interconnect(status, inputs)),
        Case("sign-offs", *_sign_offs(entry, inputs)),
        Case("transfer-evidence", *_evidence(wave, status, inputs)),
        Case("rollback-path", *_rollback(wave, status, inputs)),
    )
    return WaveAcceptance(
        wave, str(entry.get("name") or ""), str(status), cases, inputs.evidence.get(wave)
    )
