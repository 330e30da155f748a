"""The bundled packs evaluated in this process, for speed (`--in-process`).

It holds the very servicer a pack's analyzer process serves (pulumi_policy's
`_PolicyAnalyzerServicer`, built with the arguments of `policies/<pack>/__main__.py`) for
the pack's info, config and enforcement levels, and runs its policies the way the servicer's
`Analyze` and `AnalyzeStack` do, minus the wire: no protobuf Struct per resource, and each
resource's properties decoded once for every policy of every pack instead of once per
policy. Tests assert that the results equal the gRPC path's on every rule fixture and on the
prod stack with its mutations.
"""

from __future__ import annotations

import asyncio
from collections.abc import Mapping
from dataclasses import dataclass
from inspect import isawaitable
from typing import Any

from google.protobuf import empty_pb2
from pulumi.runtime.proto import analyzer_pb2
from pulumi_policy import (
    EnforcementLevel,
    PolicyProviderResource,
    ResourceValidationArgs,
    ResourceValidationPolicy,
    StackValidationArgs,
    StackValidationPolicy,
)
from pulumi_policy.policy import (
    PolicyCustomTimeouts,
    PolicyResource,
    PolicyResourceOptions,
)

from bascule.policy import crossguard
from bascule.policy.errors import PolicyRunError
from bascule.policy.requests import public_props
from bascule.policy.wire import engine_props
from bascule.sdk import policy as sdk
from bascule.snapshot.model import Resource, Snapshot


@dataclass(frozen=True)
class DecodedResource:
    """One resource as a pack sees it: engine-decoded inputs (Analyze) and outputs
    (AnalyzeStack)."""

    type: str
    urn: str
    name: str
    parent: str  # the parent's URN, "" for the stack itself
    inputs: dict[str, Any]
    outputs: dict[str, Any]
    provider: Any  # PolicyProviderResource | None
    dependencies: tuple[str, ...]
    property_dependencies: Mapping[str, tuple[str, ...]]
    options: Any  # PolicyResourceOptions


def decode_snapshot(
    snapshot: Snapshot, remediated: Mapping[str, Mapping[str, Any]] | None = None
) -> list[DecodedResource]:
    """Decode every resource once, as `build_requests` encodes it (remediated inputs, no
    internal keys, property dependencies with URNs only); the result is shared by all
    in-process packs (rules are pure functions: none changes the props it is given)."""

    remediated = remediated or {}
    by_urn = snapshot.by_urn()
    providers: dict[str, Any] = {}

    def provider_of(urn: str | None) -> Any:
        if urn is None or urn not in by_urn:
            return None
        if urn not in providers:
            prov = by_urn[urn]
            providers[urn] = PolicyProviderResource(
                prov.type, engine_props(public_props(prov.inputs)), prov.urn, prov.name
            )
        return providers[urn]

    decoded = []
    for r in snapshot.resources:
        raw = remediated.get(r.urn, r.inputs)
        inputs = engine_props(public_props(raw))
        decoded.append(
            DecodedResource(
                type=r.type,
                urn=r.urn,
                name=r.name,
                parent=r.parent or "",
                inputs=inputs,
                # As build_requests sends them: outputs, else the inputs.
                outputs=engine_props(public_props(r.outputs)) if r.outputs else inputs,
                provider=provider_of(r.provider_urn),
                dependencies=tuple(r.dependencies),
                property_dependencies={k: u for k, u in r.property_dependencies.items() if u},
                options=_options(r),
            )
        )
    return decoded


def _options(r: Resource) -> Any:
    """What the servicer's `_get_resource_options` makes of build_requests' options."""

    opts = r.options
    timeouts = opts.custom_timeouts
    return PolicyResourceOptions(
        opts.protect,
        list(opts.ignore_changes),
        opts.delete_before_replace,
        list(opts.aliases),
        PolicyCustomTimeouts(timeouts.create, timeouts.update, timeouts.delete),
        list(opts.additional_secret_outputs),
        r.parent or None,
    )


def _settle(result: Any) -> None:
    # As the servicer does for an async validate.
    if isawaitable(result):
        loop = asyncio.new_event_loop()
        try:
            loop.run_until_complete(result)
        finally:
            loop.close()


class InProcessAnalyzer:
    """Fail closed: a rule that raises stops the run (exit 3), it never counts as passed."""

    def __init__(self, pack: str) -> None:
        self.pack = pack
        self.policies = crossguard.policies_for_pack(pack)
        # The same arguments PolicyPack(...) gives the servicer in policies/<pack>/__main__.py.
        self.servicer = sdk.analyzer_servicer(
            f"bascule-{pack}", "0.0.1", self.policies, EnforcementLevel.MANDATORY
        )

    def info(self) -> analyzer_pb2.AnalyzerInfo:
        return self.servicer.GetAnalyzerInfo(empty_pb2.Empty(), None)

    def configure_stack(self, request: analyzer_pb2.AnalyzerStackConfigureRequest) -> None:
        self.servicer.ConfigureStack(request, None)

    def remediate(self, request: bytes, urn: str) -> analyzer_pb2.RemediateResponse:
        """Only called when a policy is configured at the remediate level: the servicer's own
        answer (bascule's rules have no remediation: "Policy does not implement remediate")."""

        try:
            response: analyzer_pb2.RemediateResponse = self.servicer.Remediate(
                analyzer_pb2.AnalyzeRequest.FromString(request), None
            )
        except Exception as exc:
            raise self._crashed(f"Remediate of {urn}", exc) from None
        return response

    def configure(self, policy_config: Mapping[str, analyzer_pb2.PolicyConfig]) -> None:
        request = analyzer_pb2.ConfigureAnalyzerRequest(policyConfig=dict(policy_config))
        self.servicer.Configure(request, None)

    def _active(self, kind: type) -> list[tuple[Any, Any]]:
        """(policy, enforcement level) for the policies `Analyze`/`AnalyzeStack` would run."""

        active = []
        for policy in self.policies:
            level = sdk.enforcement_level(self.servicer, policy)
            if level == EnforcementLevel.DISABLED or not isinstance(policy, kind):
                continue
            if level == EnforcementLevel.REMEDIATE:
                level = EnforcementLevel.MANDATORY
            active.append((policy, level))
        return active

    def analyze_decoded(
        self, resources: list[DecodedResource]
    ) -> list[tuple[str, analyzer_pb2.AnalyzeResponse]]:
        """One (urn, response) per resource, then ("", the stack response): what the gRPC
        path gets from one `Analyze` per resource and one `AnalyzeStack`."""

        servicer = self.servicer
        tags = sdk.stack_tags(servicer)
        active = self._active(ResourceValidationPolicy)
        pairs = []
        for r in resources:
            response = analyzer_pb2.AnalyzeResponse()
            opts = r.options
            for policy, level in active:
                if not policy.has_validation():
                    response.not_applicable.append(
                        analyzer_pb2.PolicyNotApplicable(
                            policy_name=policy.name, reason="Policy does not implement validate"
                        )
                    )
                    continue
                config = sdk.policy_config(servicer, policy.name)
                args = ResourceValidationArgs(
                    r.type, r.inputs, r.urn, r.name, opts, r.provider, config, tags
                )
                self._validate(policy, level, args, response, f"Analyze of {r.urn}")
            pairs.append((r.urn, response))
        pairs.append(("", self._analyze_stack(resources)))
        return pairs

    def _analyze_stack(self, resources: list[DecodedResource]) -> analyzer_pb2.AnalyzeResponse:

        servicer = self.servicer
        tags = sdk.stack_tags(servicer)
        response = analyzer_pb2.AnalyzeResponse()
        active = self._active(StackValidationPolicy)
        if not active:
            return response
        views = {
            r.urn: PolicyResource(
                r.type, r.outputs, r.urn, r.name, r.options, r.provider, None, [], {}
            )
            for r in resources
        }
        for r in resources:
            view = views[r.urn]
            if r.parent in views:
                view.parent = views[r.parent]
            view.dependencies.extend(views[d] for d in r.dependencies if d in views)
            for key, urns in r.property_dependencies.items():
                view.property_dependencies[key] = [views[u] for u in urns if u in views]
        ordered = [views[r.urn] for r in resources]
        for policy, level in active:
            args = StackValidationArgs(ordered, sdk.policy_config(servicer, policy.name), tags)
            self._validate(policy, level, args, response, "AnalyzeStack")
        return response

    def _validate(
        self, policy: Any, level: Any, args: Any, response: analyzer_pb2.AnalyzeResponse, call: str
    ) -> None:
        """One policy on one request, as the servicer runs it; a crash fails the run."""

        report = sdk.report_violation(self.servicer, response, policy, level)
        try:
            _settle(policy.validate(args, report))
        except sdk.not_applicable_error() as exc:
            response.not_applicable.append(
                analyzer_pb2.PolicyNotApplicable(policy_name=policy.name, reason=exc.reason or "")
            )
        except Exception as exc:
            raise self._crashed(call, exc) from None

    def _crashed(self, call: str, exc: Exception) -> PolicyRunError:
        return PolicyRunError(
            f"policy pack {self.pack}: {call} failed: {type(exc).__name__}: {exc}"
        )

    def close(self) -> None:
        return None
