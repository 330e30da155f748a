from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[3]
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

from bascule.policy.result import (  # noqa: E402
    PolicyRun,
    RuleInfo,
    Suppressed,
    SuppressionStatus,
    Violation,
)
from bascule.policy.suppressions import Suppression  # noqa: E402

U = "urn:pulumi:dev::estate::"
ACCT = U + "azure-native:storage:StorageAccount::raw"
RG = U + "azure-native:resources:ResourceGroup::rg"
VAULT = U + "azure-native:keyvault:Vault::kv"


def info(
    policy: str,
    pack: str,
    level: str,
    severity: str,
    scn: tuple[str, ...],
    hds: tuple[str, ...] = (),
    kind: str = "resource",
) -> RuleInfo:
    rule_id = "-".join(policy.split("-")[:2]).upper()
    return RuleInfo(
        policy=policy,
        pack=pack,
        description=f"{rule_id} must hold.",
        level=level,
        default_level=level,
        severity=severity,
        kind=kind,
        rule_id=rule_id,
        secnumcloud=scn,
        hds=hds,
        tags=tuple(f"secnumcloud:{s}" for s in scn) + tuple(f"hds:{h}" for h in hds),
        remediation=f'Fix {rule_id} <now> & "here".',
    )


def violation(
    policy: str, pack: str, urn: str, level: str, severity: str, message: str, rtype: str = ""
) -> Violation:
    rule_id = "-".join(policy.split("-")[:2]).upper()
    return Violation(
        policy,
        rule_id,
        pack,
        urn,
        level,
        severity,
        message,
        rtype,
        f"{rule_id} must hold.\n{message}",
        f"{rule_id} must hold.",
    )


SOV1 = "sov-001-azure-location-allowed"
PRT7 = "prt-007-tls-minimum"
PRT13 = "prt-013-keyvault-hardening"
MIG1 = "mig-001-source-read-only-after-cutover"


def sample_run() -> PolicyRun:
    supp_active = Suppression(PRT7, RG, "legacy app, wave 3", dt.date(2026, 12, 31))
    supp_expired = Suppression(SOV1, RG, "old", dt.date(2026, 1, 1))
    supp_unused = Suppression(PRT13, ACCT, "n/a", dt.date(2026, 12, 31))
    return PolicyRun(
        violations=(
            violation(MIG1, "migration", "", "mandatory", "high", "no lock at all"),
            violation(PRT13, "protection", VAULT, "advisory", "medium", "soft delete <7 days>"),
            violation(
                SOV1,
                "sovereignty",
                ACCT,
                "mandatory",
                "critical",
                "location 'westeurope'",
                "azure-native:storage:StorageAccount",
            ),
            violation(SOV1, "sovereignty", RG, "mandatory", "critical", "location 'eastus'"),
        ),
        suppressed=(
            Suppressed(
                violation(PRT7, "protection", RG, "mandatory", "high", "TLS1_0"), supp_active
            ),
        ),
        suppressions=(
            SuppressionStatus(supp_unused, "unused"),
            SuppressionStatus(supp_active, "active"),
            SuppressionStatus(supp_expired, "expired"),
        ),
        rules_info=(
            info(SOV1, "sovereignty", "mandatory", "critical", ("19.2",), ("hosting-eea",)),
            info(PRT7, "protection", "mandatory", "high", ("10.2",), ("hds-security",)),
            info(PRT13, "protection", "advisory", "medium", ("10.5", "9.7"), ("hds-security",)),
            info(MIG1, "migration", "mandatory", "high", ("19.4",), ("hds-security",), "stack"),
        ),
        resources_analyzed=12,
        source="snapshots/estate.json",
    )
