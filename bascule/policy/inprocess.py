"""A bundled pack evaluated in this process, for speed (`--in-process`).

It calls the very servicer a pack's analyzer process serves (pulumi_policy's
`_PolicyAnalyzerServicer`, built with the arguments of `policies/<pack>/__main__.py`), with
the same protobuf requests, minus the process and the gRPC transport. A test asserts that
its results equal the gRPC path's on the prod stack and its mutations.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from google.protobuf import empty_pb2
from pulumi.runtime.proto import analyzer_pb2

from bascule.policy.errors import PolicyRunError

BUNDLED_PACKS = ("sovereignty", "protection", "migration")


class InProcessAnalyzer:
    """Fail closed: a rule that raises stops the run (exit 3), it never counts as passed."""

    def __init__(self, pack: str) -> None:
        self.pack = pack
        from pulumi_policy import EnforcementLevel
        from pulumi_policy.policy import _PolicyAnalyzerServicer

        from bascule.policy.crossguard import policies_for_pack

        # The same arguments PolicyPack(...) gives the servicer in policies/<pack>/__main__.py.
        self.servicer = _PolicyAnalyzerServicer(
            f"bascule-{pack}",
            "0.0.1",
            policies_for_pack(pack),
            EnforcementLevel.MANDATORY,
            None, None, None, None, None, None, None,
        )  # fmt: skip

    def info(self) -> analyzer_pb2.AnalyzerInfo:
        return self.servicer.GetAnalyzerInfo(empty_pb2.Empty(), None)

    def configure(self, policy_config: Mapping[str, analyzer_pb2.PolicyConfig]) -> None:
        request = analyzer_pb2.ConfigureAnalyzerRequest(policyConfig=dict(policy_config))
        self.servicer.Configure(request, None)

    def analyze_all(
        self, requests: Sequence[analyzer_pb2.AnalyzeRequest], window: int = 0
    ) -> list[Any]:
        responses = []
        for request in requests:
            try:
                responses.append(self.servicer.Analyze(request, None))
            except Exception as exc:
                raise self._crashed(f"Analyze of {request.urn}", exc) from None
        return responses

    def analyze_stack(
        self, resources: Iterable[analyzer_pb2.AnalyzerResource]
    ) -> analyzer_pb2.AnalyzeResponse:
        request = analyzer_pb2.AnalyzeStackRequest(resources=list(resources))
        try:
            return self.servicer.AnalyzeStack(request, None)
        except Exception as exc:
            raise self._crashed("AnalyzeStack", exc) from None

    def _crashed(self, call: str, exc: Exception) -> PolicyRunError:
        return PolicyRunError(
            f"policy pack {self.pack}: {call} failed: {type(exc).__name__}: {exc}"
        )

    def close(self) -> None:
        return None
