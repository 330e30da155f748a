"""Offline policy run: the real packs, through Pulumi's analyzer gRPC protocol, on a snapshot.

The same sequence as `pulumi preview --policy-pack`: GetAnalyzerInfo, Configure, one Analyze
per resource (inputs), one AnalyzeStack (outputs). Suppressions are not sent to the packs:
the runner applies them itself (same `is_suppressed`) so it can report which were used.
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Iterable, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from contextlib import ExitStack
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from google.protobuf import json_format, struct_pb2
from pulumi.runtime.proto import analyzer_pb2

from bascule.policy.analyzer import DEFAULT_WINDOW, AnalyzerProcess, wait_all_ready
from bascule.policy.config import (
    PolicyConfigEntry,
    UserPolicyConfig,
    load_policy_config,
    validate_properties,
)
from bascule.policy.errors import PolicyConfigError
from bascule.policy.result import (
    PolicyRun,
    RuleInfo,
    Suppressed,
    SuppressionStatus,
    Violation,
)
from bascule.policy.suppressions import SUPPRESSIONS_KEY, Suppression, is_suppressed
from bascule.policy.wire import to_struct
from bascule.rules.base import PACKS
from bascule.snapshot.model import Resource, Snapshot

DEFAULT_PACKS = PACKS  # the bundled packs: policies/<pack>/ for each
REPO_ROOT = Path(__file__).resolve().parents[2]

_LEVEL_NAMES = {
    analyzer_pb2.ADVISORY: "advisory",
    analyzer_pb2.MANDATORY: "mandatory",
    analyzer_pb2.DISABLED: "disabled",
    analyzer_pb2.REMEDIATE: "remediate",
}
_LEVEL_VALUES = {name: value for value, name in _LEVEL_NAMES.items()}
_SEVERITY_NAMES = {
    analyzer_pb2.POLICY_SEVERITY_UNSPECIFIED: "",
    analyzer_pb2.POLICY_SEVERITY_LOW: "low",
    analyzer_pb2.POLICY_SEVERITY_MEDIUM: "medium",
    analyzer_pb2.POLICY_SEVERITY_HIGH: "high",
    analyzer_pb2.POLICY_SEVERITY_CRITICAL: "critical",
}
_KINDS = {
    analyzer_pb2.POLICY_TYPE_RESOURCE: "resource",
    analyzer_pb2.POLICY_TYPE_STACK: "stack",
}


# -- requests ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Requests:
    """The wire requests, serialized once and sent as they are to every pack: a pack's
    analyzer decodes the same bytes the engine would send it."""

    urns: tuple[str, ...]
    analyze: tuple[bytes, ...]  # one AnalyzeRequest per resource
    stack: bytes  # the AnalyzeStackRequest


def build_requests(snapshot: Snapshot) -> Requests:
    """Analyze requests (inputs) and the AnalyzeStack request (outputs) for every resource."""
    by_urn = snapshot.by_urn()
    providers: dict[str, analyzer_pb2.AnalyzerProviderResource] = {}

    def provider_of(resource: Resource) -> analyzer_pb2.AnalyzerProviderResource | None:
        urn = resource.provider_urn
        if urn is None or urn not in by_urn:
            return None
        if urn not in providers:
            prov = by_urn[urn]
            providers[urn] = analyzer_pb2.AnalyzerProviderResource(
                type=prov.type, properties=to_struct(prov.inputs), urn=prov.urn, name=prov.name
            )
        return providers[urn]

    analyze: list[bytes] = []
    stack = bytearray()
    for resource in snapshot.resources:
        options = analyzer_pb2.AnalyzerResourceOptions(parent=resource.parent or "")
        provider = provider_of(resource)
        analyze.append(
            analyzer_pb2.AnalyzeRequest(
                type=resource.type,
                properties=to_struct(resource.inputs),
                urn=resource.urn,
                name=resource.name,
                options=options,
                provider=provider,
            ).SerializeToString()
        )
        stack_resource = analyzer_pb2.AnalyzerResource(
            type=resource.type,
            properties=to_struct(resource.outputs or resource.inputs),
            urn=resource.urn,
            name=resource.name,
            options=options,
            provider=provider,
            parent=resource.parent or "",
            dependencies=list(resource.dependencies),
            propertyDependencies={
                key: analyzer_pb2.AnalyzerPropertyDependencies(urns=list(urns))
                for key, urns in resource.property_dependencies.items()
            },
        ).SerializeToString()
        stack += _repeated_field_entry(_STACK_RESOURCES_FIELD, stack_resource)
    urns = tuple(resource.urn for resource in snapshot.resources)
    return Requests(urns, tuple(analyze), bytes(stack))


# A message's serialized repeated field is its entries' encodings, one after another: the
# AnalyzeStackRequest is built from each resource's bytes, never as one message tree.
_STACK_RESOURCES_FIELD = analyzer_pb2.AnalyzeStackRequest.DESCRIPTOR.fields_by_name[
    "resources"
].number
_LENGTH_DELIMITED = 2


def _repeated_field_entry(field_number: int, payload: bytes) -> bytes:
    return _varint(field_number << 3 | _LENGTH_DELIMITED) + _varint(len(payload)) + payload


def _varint(value: int) -> bytes:
    out = bytearray()
    while True:
        low, value = value & 0x7F, value >> 7
        if value:
            out.append(low | 0x80)
        else:
            out.append(low)
            return bytes(out)


# -- policy info and config ----------------------------------------------------------------


def _catalog_ids() -> dict[str, tuple[str, str]]:
    """policy name -> (rule id, pack) for every rule of the catalog (empty if unavailable)."""
    try:
        from bascule.rules.catalog import ALL_RULES
    except ImportError:  # pragma: no cover - the catalog is part of the package
        return {}
    return {rule.policy_name: (rule.id, rule.pack) for rule in ALL_RULES}


def _rule_id(policy: str, catalog: Mapping[str, tuple[str, str]]) -> str:
    if policy in catalog:
        return catalog[policy][0]
    parts = policy.split("-")
    if len(parts) >= 2 and parts[1].isdigit():
        return f"{parts[0].upper()}-{parts[1]}"
    return policy


def rule_infos(
    pack: str, info: analyzer_pb2.AnalyzerInfo, catalog: Mapping[str, tuple[str, str]]
) -> list[RuleInfo]:
    infos = []
    for policy in info.policies:
        tags = tuple(policy.tags)
        level = _LEVEL_NAMES.get(policy.enforcementLevel, "advisory")
        infos.append(
            RuleInfo(
                policy=policy.name,
                pack=pack,
                description=policy.description,
                level=level,
                default_level=level,
                severity=_SEVERITY_NAMES.get(policy.severity, ""),
                kind=_KINDS.get(policy.policy_type, ""),
                rule_id=_rule_id(policy.name, catalog),
                secnumcloud=tuple(t.split(":", 1)[1] for t in tags if t.startswith("secnumcloud:")),
                hds=tuple(t.split(":", 1)[1] for t in tags if t.startswith("hds:")),
                tags=tags,
                remediation=policy.remediation_steps,
                config_schema=json_format.MessageToDict(policy.configSchema),
            )
        )
    return infos


@dataclass
class PackPlan:
    pack: str
    infos: list[RuleInfo]
    config: dict[str, analyzer_pb2.PolicyConfig]
    suppressions: dict[str, list[Suppression]]


def plan_config(
    infos_by_pack: Mapping[str, Sequence[RuleInfo]],
    user: UserPolicyConfig,
    catalog: Mapping[str, tuple[str, str]],
) -> dict[str, PackPlan]:
    """Route the user's config to the packs, validate it, and build each Configure request."""
    owner = {info.policy: pack for pack, infos in infos_by_pack.items() for info in infos}
    for name, entry in user.policies.items():
        if name not in owner and name not in catalog:
            raise PolicyConfigError(
                f"{entry.source}: unknown policy {name!r} (not in packs {', '.join(infos_by_pack)})"
            )
    plans: dict[str, PackPlan] = {}
    for pack, infos in infos_by_pack.items():
        config: dict[str, analyzer_pb2.PolicyConfig] = {}
        suppressions: dict[str, list[Suppression]] = {}
        new_infos = []
        for info in infos:
            entry = user.policies.get(info.policy, PolicyConfigEntry(source=""))
            schema = info.config_schema
            validate_properties(
                entry, info.policy, schema.get("properties", {}), schema.get("required", [])
            )
            level = entry.level or user.all_level or info.default_level
            properties = {k: v for k, v in entry.properties.items() if k != SUPPRESSIONS_KEY}
            struct = struct_pb2.Struct()
            struct.update(properties)
            config[info.policy] = analyzer_pb2.PolicyConfig(
                enforcementLevel=_LEVEL_VALUES[level], properties=struct
            )
            suppressions[info.policy] = entry.suppressions
            new_infos.append(_with_level(info, level))
        plans[pack] = PackPlan(pack, new_infos, config, suppressions)
    return plans


def _with_level(info: RuleInfo, level: str) -> RuleInfo:
    return replace(info, level=level)


# -- the run -------------------------------------------------------------------------------


def _message_part(description: str, message: str) -> str:
    prefix = description + "\n"
    if message.startswith(prefix):
        return message[len(prefix) :]
    if message == description:
        return ""
    return message


@dataclass
class PackResult:
    violations: list[Violation]
    not_applicable: list[tuple[str, str, str]]


def _diagnostics_to_violations(
    pack: str,
    responses: Iterable[tuple[str, analyzer_pb2.AnalyzeResponse]],
    catalog: Mapping[str, tuple[str, str]],
    types: Mapping[str, str],
) -> PackResult:
    violations: list[Violation] = []
    not_applicable: list[tuple[str, str, str]] = []
    for request_urn, response in responses:
        for diag in response.diagnostics:
            urn = diag.urn or request_urn
            violations.append(
                Violation(
                    policy=diag.policyName,
                    rule_id=_rule_id(diag.policyName, catalog),
                    pack=pack,
                    urn=urn,
                    level=_LEVEL_NAMES.get(diag.enforcementLevel, "advisory"),
                    severity=_SEVERITY_NAMES.get(diag.severity, ""),
                    message=_message_part(diag.description, diag.message),
                    resource_type=types.get(urn, ""),
                    full_message=diag.message,
                )
            )
        for na in response.not_applicable:
            not_applicable.append((na.policy_name, request_urn, na.reason))
    return PackResult(violations, not_applicable)


def _run_pack(
    process: Any,
    pack: str,
    requests: Requests | list[Any],
    catalog: Mapping[str, tuple[str, str]],
    types: Mapping[str, str],
    window: int,
) -> PackResult:
    """An AnalyzerProcess gets the wire requests; an InProcessAnalyzer the decoded ones."""
    if not isinstance(requests, Requests):
        pairs = process.analyze_decoded(requests)
        return _diagnostics_to_violations(pack, pairs, catalog, types)
    responses = process.analyze_all(requests.analyze, requests.urns, window=window)
    pairs = list(zip(requests.urns, responses, strict=True))
    pairs.append(("", process.analyze_stack(requests.stack)))
    return _diagnostics_to_violations(pack, pairs, catalog, types)


def resolve_pack_dirs(packs: Sequence[str | Path], repo_root: Path) -> dict[str, Path]:
    """Pack name -> directory: a bare name is `<repo_root>/policies/<name>`."""
    dirs: dict[str, Path] = {}
    for pack in packs:
        path = Path(pack)
        if isinstance(pack, Path) or "/" in str(pack):
            dirs[path.name] = path
        else:
            path = repo_root / "policies" / str(pack)
            if not path.is_dir():
                raise PolicyConfigError(f"unknown policy pack {pack!r}: no directory {path}")
            dirs[str(pack)] = path
    return dirs


class PolicySession:
    """Started analyzer processes for several packs, reusable for several runs.

    `run_policies` is a one-shot session; tests and long-lived callers keep one open.
    """

    def __init__(
        self,
        packs: Sequence[str | Path] = DEFAULT_PACKS,
        repo_root: Path = REPO_ROOT,
        project: str = "",
        stack: str = "",
        in_process: bool = False,
    ) -> None:
        self.dirs = resolve_pack_dirs(packs, repo_root)
        self.in_process = in_process
        if in_process:
            from bascule.policy.inprocess import BUNDLED_PACKS

            foreign = [
                p
                for p, d in self.dirs.items()
                if p not in BUNDLED_PACKS or d.parent.name != "policies"
            ]
            if foreign:
                raise PolicyConfigError(
                    f"--in-process runs the bundled packs only, not {', '.join(foreign)}"
                )
        self.project = project
        self.stack = stack
        self.catalog = _catalog_ids()
        self._exit = ExitStack()
        self.processes: dict[str, Any] = {}  # AnalyzerProcess, or InProcessAnalyzer
        self._infos: dict[str, list[RuleInfo]] = {}
        self.startup_seconds = 0.0

    def __enter__(self) -> PolicySession:
        t0 = time.perf_counter()
        try:
            if self.in_process:
                from bascule.policy.inprocess import InProcessAnalyzer

                self.processes = {pack: InProcessAnalyzer(pack) for pack in self.dirs}
                self._infos = {
                    pack: rule_infos(pack, p.info(), self.catalog)
                    for pack, p in self.processes.items()
                }
                self.startup_seconds = time.perf_counter() - t0
                return self
            for pack, path in self.dirs.items():
                process = AnalyzerProcess(path, project=self.project, stack=self.stack)
                self._exit.callback(process.close)
                self.processes[pack] = process.start()
            wait_all_ready(list(self.processes.values()))
            self._infos = {
                pack: rule_infos(pack, p.info(), self.catalog) for pack, p in self.processes.items()
            }
        except BaseException:
            self._exit.close()
            raise
        self.startup_seconds = time.perf_counter() - t0
        return self

    def __exit__(self, *exc: object) -> None:
        self._exit.close()

    @property
    def infos(self) -> dict[str, list[RuleInfo]]:
        return self._infos

    def run(
        self,
        snapshot: Snapshot,
        config_files: Sequence[str | Path] = (),
        today: dt.date | None = None,
        window: int = DEFAULT_WINDOW,
        timings: dict[str, float] | None = None,
        user_config: UserPolicyConfig | None = None,
    ) -> PolicyRun:
        today = today or dt.date.today()
        user = user_config if user_config is not None else load_policy_config(config_files)
        plans = plan_config(self._infos, user, self.catalog)
        t0 = time.perf_counter()
        requests: Requests | list[Any]
        if self.in_process:
            from bascule.policy.inprocess import decode_snapshot

            requests = decode_snapshot(snapshot)
        else:
            requests = build_requests(snapshot)
        types = {r.urn: r.type for r in snapshot.resources}
        t_encode = time.perf_counter()
        for pack, process in self.processes.items():
            process.configure(plans[pack].config)
        catalog = self.catalog
        # In-process servicers share this interpreter (and pulumi's runtime settings): serial.
        workers = 1 if self.in_process else max(1, len(self.processes))
        with ThreadPoolExecutor(max_workers=workers) as pool:
            futures = {
                pack: pool.submit(_run_pack, process, pack, requests, catalog, types, window)
                for pack, process in self.processes.items()
            }
            results = {pack: future.result() for pack, future in futures.items()}
        t_done = time.perf_counter()
        if timings is not None:
            timings.update(
                encode=t_encode - t0, startup=self.startup_seconds, analyze=t_done - t_encode
            )
        return _assemble(snapshot, plans, results, types, today)


def _assemble(
    snapshot: Snapshot,
    plans: Mapping[str, PackPlan],
    results: Mapping[str, PackResult],
    types: Mapping[str, str],
    today: dt.date,
) -> PolicyRun:
    all_suppressions = {
        policy: supps for plan in plans.values() for policy, supps in plan.suppressions.items()
    }
    violations: list[Violation] = []
    suppressed: list[Suppressed] = []
    used: set[Suppression] = set()
    for result in results.values():
        for violation in result.violations:
            match = is_suppressed(all_suppressions.get(violation.policy, []), violation.urn, today)
            if match is None:
                violations.append(violation)
            else:
                used.add(match)
                suppressed.append(Suppressed(violation, match))
    statuses = [
        SuppressionStatus(
            s,
            "expired" if not s.active(today) else ("active" if s in used else "unused"),
        )
        for supps in all_suppressions.values()
        for s in supps
    ]
    return PolicyRun(
        violations=tuple(sorted(violations, key=Violation.sort_key)),
        suppressed=tuple(sorted(suppressed, key=lambda s: s.violation.sort_key())),
        suppressions=tuple(
            sorted(statuses, key=lambda s: (s.suppression.policy, s.suppression.urn))
        ),
        rules_info=tuple(info for plan in plans.values() for info in plan.infos),
        resources_analyzed=len(snapshot.resources),
        not_applicable=tuple(
            sorted(na for result in results.values() for na in result.not_applicable)
        ),
        source=snapshot.source,
        resource_types=dict(types),
        **_rule_kinds(plans, types),
    )


def _rule_kinds(plans: Mapping[str, PackPlan], types: Mapping[str, str]) -> dict[str, Any]:
    """For each of bascule's rules in the run: the URNs of the resource kinds it examines
    (`checked`) and those kinds (`kinds`). Foreign packs' rules are left out."""
    from bascule.rules.catalog import ALL_RULES

    by_policy = {rule.policy_name: rule for rule in ALL_RULES}
    rules = {
        info.policy: by_policy[info.policy]
        for plan in plans.values()
        for info in plan.infos
        if info.policy in by_policy
    }
    urns_by_type: dict[str, list[str]] = {}
    for urn, type_ in types.items():
        urns_by_type.setdefault(type_, []).append(urn)
    return {
        "checked": {
            policy: frozenset(
                urn for type_, urns in urns_by_type.items() if rule.applies(type_) for urn in urns
            )
            for policy, rule in rules.items()
        },
        "kinds": {policy: rule.applies_to for policy, rule in rules.items()},
    }


def run_policies(
    snapshot: Snapshot,
    packs: Sequence[str | Path] = DEFAULT_PACKS,
    config_files: Sequence[str | Path] = (),
    today: dt.date | None = None,
    repo_root: Path = REPO_ROOT,
    window: int = DEFAULT_WINDOW,
    timings: dict[str, float] | None = None,
    in_process: bool = False,
) -> PolicyRun:
    """Run the policy packs on a snapshot, offline, exactly as `pulumi preview` would.

    Raises `PolicyConfigError` (exit 2) on a bad config, `PolicyRunError` (exit 3) when an
    analyzer process fails. The config files are read before any process starts.
    """
    user = load_policy_config(config_files)
    with PolicySession(
        packs, repo_root, snapshot.project, snapshot.stack, in_process=in_process
    ) as session:
        return session.run(snapshot, today=today, window=window, timings=timings, user_config=user)
