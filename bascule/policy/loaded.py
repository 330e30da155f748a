"""Any Python pack, loaded into this process (`--in-process` for packs that are not bascule's).

The pack's `__main__.py` runs here as `python -m pulumi.policy` would run it (the stack's
config and settings set first, in a context of their own so nothing leaks into bascule's),
up to its `PolicyPack(...)`: the servicer it builds is taken where the SDK hands it to the
gRPC server (`add_AnalyzerServicer_to_server`), before any server starts. The analyzer
calls then go to that very servicer with the same request messages the gRPC path sends.

A pack that cannot be loaded this way is refused with the reason: a requirement of its
`requirements.txt` that bascule's environment lacks, or the error its loading raised.
"""

from __future__ import annotations

import contextvars
import importlib.metadata
import runpy
import sys
import threading
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pulumi.runtime
from google.protobuf import empty_pb2
from packaging.requirements import InvalidRequirement, Requirement
from pulumi.runtime.proto import analyzer_pb2, analyzer_pb2_grpc

from bascule.policy.environments import PackProject
from bascule.policy.errors import PolicyConfigError, PolicyRunError
from bascule.policy.stack import StackContext
from bascule.sdk.policy import Captured, captured_servicer

_LOAD_LOCK = threading.Lock()
_HINT = "drop --in-process to run it in its own virtualenv, as the engine does"


def unmet_requirements(project: PackProject) -> list[str]:
    """The lines of the pack's requirements.txt that bascule's environment does not meet."""
    if not project.requirements.is_file():
        return []

    unmet = []
    for raw in project.requirements.read_text(encoding="utf-8").splitlines():
        line = raw.split(" #", 1)[0].strip()
        if not line or line.startswith("#"):
            continue
        try:
            requirement = Requirement(line)
        except InvalidRequirement:
            unmet.append(f"{line} (bascule cannot check this line)")
            continue
        if requirement.marker is not None and not requirement.marker.evaluate():
            continue
        try:
            installed = importlib.metadata.version(requirement.name)
        except importlib.metadata.PackageNotFoundError:
            unmet.append(f"{line} (not installed)")
            continue
        if not requirement.specifier.contains(installed, prereleases=True):
            unmet.append(f"{line} (bascule has {installed})")
    return unmet


class LoadedPack:
    """A pack's own servicer in this process, with AnalyzerProcess's calls."""

    def __init__(self, project: PackProject, context: StackContext) -> None:
        self.name = project.directory.name
        self.directory = project.directory.resolve()
        unmet = unmet_requirements(project)
        if unmet:
            raise PolicyConfigError(
                f"--in-process cannot run policy pack {self.name}: its requirements.txt needs "
                f"{'; '.join(unmet)} in bascule's environment; {_HINT}"
            )
        self._context = contextvars.copy_context()
        self._modules: dict[str, Any] = {}
        self.servicer = self._context.run(self._load, context)

    # -- loading -----------------------------------------------------------------------

    def _load(self, context: StackContext) -> Any:
        pulumi.runtime.set_all_config(dict(context.config))
        pulumi.runtime.configure(
            pulumi.runtime.Settings(
                project=context.project,
                stack=context.stack,
                dry_run=context.dry_run,
                organization=context.organization,
            )
        )
        before = set(sys.modules)

        with _LOAD_LOCK, captured_servicer():
            try:
                runpy.run_path(str(self.directory), run_name="__main__")
            except Captured as captured:
                return captured.servicer
            except SystemExit as exc:
                raise self._refused(f"its __main__.py exited ({exc.code})") from None
            except Exception as exc:
                raise self._refused(f"loading it raised {type(exc).__name__}: {exc}") from None
            finally:
                self._stash_modules(before)
        raise self._refused("its __main__.py built no PolicyPack")

    def _refused(self, why: str) -> PolicyConfigError:
        line = " ".join(why.split())
        return PolicyConfigError(
            f"--in-process cannot run policy pack {self.name}: {line}; {_HINT}"
        )

    def _stash_modules(self, before: set[str]) -> None:
        """The pack's own modules leave sys.modules between calls (two packs may both have a
        `rules.py`); they are put back, with the pack on sys.path, around each call."""
        for name in set(sys.modules) - before:
            module = sys.modules[name]
            file = getattr(module, "__file__", None)
            if file and Path(file).resolve().is_relative_to(self.directory):
                self._modules[name] = sys.modules.pop(name)

    @contextmanager
    def _entered(self) -> Iterator[None]:
        sys.path.insert(0, str(self.directory))
        sys.modules.update(self._modules)
        try:
            yield
        finally:
            for name in self._modules:
                sys.modules.pop(name, None)
            if str(self.directory) in sys.path:
                sys.path.remove(str(self.directory))

    def _call(self, call: str, method: str, request: Any) -> Any:
        with self._entered():
            try:
                return self._context.run(getattr(self.servicer, method), request, None)
            except Exception as exc:
                detail = " ".join(f"{type(exc).__name__}: {exc}".split())
                raise PolicyRunError(f"policy pack {self.name}: {call} failed: {detail}") from None

    # -- the analyzer calls, as AnalyzerProcess has them -----------------------------------

    def configure_stack(self, request: analyzer_pb2.AnalyzerStackConfigureRequest) -> None:
        # A pulumi_policy too old to implement it keeps the generated stub's: the engine's
        # UNIMPLEMENTED, which it ignores.
        method = getattr(type(self.servicer), "ConfigureStack", None)
        if method is not None and method is not analyzer_pb2_grpc.AnalyzerServicer.ConfigureStack:
            self._call("ConfigureStack", "ConfigureStack", request)

    def info(self) -> analyzer_pb2.AnalyzerInfo:
        info: analyzer_pb2.AnalyzerInfo = self._call(
            "GetAnalyzerInfo", "GetAnalyzerInfo", empty_pb2.Empty()
        )
        return info

    def configure(self, policy_config: Mapping[str, analyzer_pb2.PolicyConfig]) -> None:
        request = analyzer_pb2.ConfigureAnalyzerRequest(policyConfig=dict(policy_config))
        self._call("Configure", "Configure", request)

    def remediate(self, request: bytes, urn: str) -> analyzer_pb2.RemediateResponse:
        message = analyzer_pb2.AnalyzeRequest.FromString(request)
        response: analyzer_pb2.RemediateResponse = self._call(
            f"Remediate of {urn}", "Remediate", message
        )
        return response

    def analyze_all(
        self, requests: Sequence[bytes], urns: Sequence[str], window: int = 0
    ) -> list[analyzer_pb2.AnalyzeResponse]:
        return [
            self._call(f"Analyze of {urn}", "Analyze", analyzer_pb2.AnalyzeRequest.FromString(b))
            for b, urn in zip(requests, urns, strict=True)
        ]

    def analyze_stack(self, request: bytes) -> analyzer_pb2.AnalyzeResponse:
        message = analyzer_pb2.AnalyzeStackRequest.FromString(request)
        response: analyzer_pb2.AnalyzeResponse = self._call("AnalyzeStack", "AnalyzeStack", message)
        return response

    def close(self) -> None:
        self._modules.clear()
