"""Offline policy run: the real packs, through Pulumi's analyzer gRPC protocol, on a snapshot.

The engine's sequence (`pulumi preview --policy-pack`): each pack started in its own
environment with the stack's config, ConfigureStack, GetAnalyzerInfo, Configure with the
reconciled policy config, then per resource Remediate (remediate-level policies, applied in
order) and Analyze on the result, and one AnalyzeStack on the outputs. Suppressions are not
sent to the packs: the runner applies them itself (same `is_suppressed`) so it can report
which were used.
"""

from __future__ import annotations

import datetime as dt
import sys
import time
from collections.abc import Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from contextlib import ExitStack
from pathlib import Path
from typing import Any

from bascule.policy.analyzer import DEFAULT_WINDOW, AnalyzerProcess, wait_all_ready
from bascule.policy.config import UserPolicyConfig, load_policy_config
from bascule.policy.environments import PackProject, pack_interpreter, read_pack_project
from bascule.policy.errors import PolicyConfigError
from bascule.policy.outcome import (
    Attribution,
    PackResult,
    assemble,
    diagnostics_to_violations,
    remediate_all,
)
from bascule.policy.planning import (
    PackInfo,
    PackMeta,
    catalog_ids,
    initial_config,
    plan_config,
    rule_infos,
)
from bascule.policy.requests import (
    STACK_RESOURCES_FIELD as _STACK_RESOURCES_FIELD,
)
from bascule.policy.requests import (
    Requests,
    build_requests,
)
from bascule.policy.requests import (
    repeated_field_entry as _repeated_field_entry,
)
from bascule.policy.result import PolicyRun, RuleInfo
from bascule.policy.stack import StackContext, snapshot_context
from bascule.rules.base import PACKS
from bascule.sdk import policy, versions
from bascule.snapshot.model import Snapshot

__all__ = [
    "DEFAULT_PACKS",
    "_STACK_RESOURCES_FIELD",
    "PolicySession",
    "Requests",
    "_repeated_field_entry",
    "build_requests",
    "run_policies",
]

DEFAULT_PACKS = PACKS  # the bundled packs: policies/<pack>/ for each
REPO_ROOT = Path(__file__).resolve().parents[2]


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


def is_bundled(pack: str, path: Path) -> bool:
    """One of bascule's own packs, in this checkout (they import bascule from it)."""
    return pack in PACKS and path.resolve() == (REPO_ROOT / "policies" / pack).resolve()


def _stderr(line: str) -> None:
    print(line, file=sys.stderr)


def _in_process_usable() -> bool:
    """In-process runs rest on pulumi_policy internals (`bascule.sdk.policy`): on any other
    version than the tested one, every pack runs in its own analyzer process instead."""
    if policy.in_process_usable():
        return True
    _stderr(
        f"policy: pulumi-policy {versions.installed('pulumi-policy') or '(none)'} is not the "
        f"version bascule's in-process runs were tested with "
        f"({versions.TESTED['pulumi-policy']}): each pack runs in its own analyzer process"
    )
    return False


def _run_pack(
    process: Any,
    attribution: Attribution,
    requests: Requests | None,
    decoded: list[Any] | None,
    window: int,
) -> PackResult:
    """A bundled pack in process gets the decoded resources; every other the wire requests."""
    # Imported on use (start-up time): a run whose packs all go through analyzer processes
    # loads no pulumi_policy in this process.
    from bascule.policy.inprocess import InProcessAnalyzer

    if isinstance(process, InProcessAnalyzer):
        assert decoded is not None
        return diagnostics_to_violations(attribution, process.analyze_decoded(decoded))
    assert requests is not None
    responses = process.analyze_all(requests.analyze, requests.urns, window=window)
    pairs = list(zip(requests.urns, responses, strict=True))
    pairs.append(("", process.analyze_stack(requests.stack)))
    return diagnostics_to_violations(attribution, pairs)


class PolicySession:
    """Started packs (analyzer processes, or loaded in this process), reusable for several
    runs on snapshots of the same stack. `run_policies` is a one-shot session.

    `context` is what the engine tells the packs about the stack (names, config, dry run,
    tags); by default the names given, no config, not a dry run.
    """

    def __init__(
        self,
        packs: Sequence[str | Path] = DEFAULT_PACKS,
        repo_root: Path = REPO_ROOT,
        project: str = "",
        stack: str = "",
        in_process: bool = False,
        context: StackContext | None = None,
    ) -> None:
        self.dirs = resolve_pack_dirs(packs, repo_root)
        self.in_process = in_process and _in_process_usable()
        self.context = context or StackContext(project or "bascule", stack or "offline")
        self.catalog = catalog_ids()
        self._exit = ExitStack()
        self.processes: dict[str, Any] = {}  # AnalyzerProcess, InProcessAnalyzer, LoadedPack
        self._packs: dict[str, PackInfo] = {}
        self.startup_seconds = 0.0

    def __enter__(self) -> PolicySession:
        t0 = time.perf_counter()
        try:
            projects = {pack: read_pack_project(path) for pack, path in self.dirs.items()}
            if self.in_process:
                self._load_in_process(projects)
            else:
                self._start_processes(projects)
            request = self.context.configure_stack_request()
            for process in self.processes.values():
                process.configure_stack(request)
            self._packs = {
                pack: self._pack_info(pack, process, projects[pack])
                for pack, process in self.processes.items()
            }
        except BaseException:
            self._exit.close()
            raise
        self.startup_seconds = time.perf_counter() - t0
        return self

    def _load_in_process(self, projects: Mapping[str, PackProject]) -> None:
        # On use, as in `_run_pack`: pulumi_policy only for packs run in this process.
        from bascule.policy.inprocess import InProcessAnalyzer
        from bascule.policy.loaded import LoadedPack

        for pack, project in projects.items():
            if is_bundled(pack, self.dirs[pack]):
                self.processes[pack] = InProcessAnalyzer(pack)
            else:
                loaded = LoadedPack(project, self.context)
                self._exit.callback(loaded.close)
                self.processes[pack] = loaded

    def _start_processes(self, projects: Mapping[str, PackProject]) -> None:
        for pack, path in self.dirs.items():
            python = pack_interpreter(projects[pack], bundled=is_bundled(pack, path), log=_stderr)
            process = AnalyzerProcess(path, context=self.context, python=python)
            self._exit.callback(process.close)
            self.processes[pack] = process.start()
        wait_all_ready(list(self.processes.values()))

    def _pack_info(self, pack: str, process: Any, project: PackProject) -> PackInfo:
        info = process.info()
        meta = PackMeta(info.name, project.version or info.version)
        return PackInfo(rule_infos(pack, info, self.catalog), initial_config(info), meta)

    def __exit__(self, *exc: object) -> None:
        self._exit.close()

    @property
    def infos(self) -> dict[str, list[RuleInfo]]:
        return {pack: p.infos for pack, p in self._packs.items()}

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
        plans = plan_config(self._packs, user, self.catalog, today)
        t0 = time.perf_counter()
        for pack, process in self.processes.items():
            process.configure(plans[pack].config)
        types = {r.urn: r.type for r in snapshot.resources}
        attributions = {
            pack: Attribution(pack, plans[pack], self.catalog, types) for pack in self.processes
        }
        remediation = remediate_all(snapshot, self.processes, attributions)
        requests, decoded = self._requests(snapshot, remediation.inputs)
        t_encode = time.perf_counter()
        results = self._analyze(attributions, requests, decoded, window)
        t_done = time.perf_counter()
        if timings is not None:
            timings.update(
                encode=t_encode - t0, startup=self.startup_seconds, analyze=t_done - t_encode
            )
        return assemble(
            snapshot,
            plans,
            [*remediation.results.values(), *results.values()],
            remediation.remediations,
            today,
        )

    def _requests(
        self, snapshot: Snapshot, remediated: Mapping[str, Any]
    ) -> tuple[Requests | None, list[Any] | None]:
        """The wire requests for processes and loaded packs, the decoded resources for the
        bundled packs in process: each built once, only if some pack needs it."""
        # On use, as in `_run_pack`: pulumi_policy only for packs run in this process.
        from bascule.policy.inprocess import InProcessAnalyzer, decode_snapshot

        kinds = {isinstance(p, InProcessAnalyzer) for p in self.processes.values()}
        requests = build_requests(snapshot, remediated) if False in kinds else None
        decoded = decode_snapshot(snapshot, remediated) if True in kinds else None
        return requests, decoded

    def _analyze(
        self,
        attributions: Mapping[str, Attribution],
        requests: Requests | None,
        decoded: list[Any] | None,
        window: int,
    ) -> dict[str, PackResult]:
        # Packs in this process share the interpreter (and pulumi's runtime settings): serial.
        workers = 1 if self.in_process else max(1, len(self.processes))
        with ThreadPoolExecutor(max_workers=workers) as pool:
            futures = {
                pack: pool.submit(_run_pack, process, attributions[pack], requests, decoded, window)
                for pack, process in self.processes.items()
            }
            return {pack: future.result() for pack, future in futures.items()}


def run_policies(
    snapshot: Snapshot,
    packs: Sequence[str | Path] = DEFAULT_PACKS,
    config_files: Sequence[str | Path] = (),
    today: dt.date | None = None,
    repo_root: Path = REPO_ROOT,
    window: int = DEFAULT_WINDOW,
    timings: dict[str, float] | None = None,
    in_process: bool = False,
    context: StackContext | None = None,
) -> PolicyRun:
    """Run the policy packs on a snapshot, offline, as `pulumi preview` would.

    Raises `PolicyConfigError` (exit 2) on a bad config, `PolicyRunError` (exit 3) when an
    analyzer process fails. The config files are read before any process starts. Without a
    `context`, the packs get the snapshot's stack and project names and no stack config.
    """
    user = load_policy_config(config_files)
    context = context or snapshot_context(snapshot)
    with PolicySession(packs, repo_root, in_process=in_process, context=context) as session:
        return session.run(snapshot, today=today, window=window, timings=timings, user_config=user)
