"""A policy pack run as Pulumi's engine runs it: a child process speaking the analyzer gRPC API.

`pulumi preview --policy-pack DIR` starts `python -u -m pulumi.policy <engine> DIR` in the
pack's environment, with the stack's names, dry-run flag and config in its environment,
reads the port the pack prints on its first stdout line, then calls ConfigureStack,
GetAnalyzerInfo, Configure, Remediate and Analyze (once per resource) and AnalyzeStack.
`AnalyzerProcess` does exactly that, offline. The one difference: the decrypted config
reaches the pack over a pipe and is put in `os.environ["PULUMI_CONFIG"]` by a few lines
run before `pulumi.policy`, so it never appears in the process's initial environment
(`/proc/<pid>/environ`) or argv; what the pack sees is the same.
"""

from __future__ import annotations

import contextlib
import json
import os
import subprocess
import sys
import tempfile
import threading
import time
from collections import deque
from collections.abc import Mapping, Sequence
from pathlib import Path
from types import TracebackType
from typing import IO, Any

import grpc
from google.protobuf import empty_pb2
from pulumi.runtime.proto import analyzer_pb2, analyzer_pb2_grpc, plugin_pb2

from bascule.policy.errors import PolicyRunError
from bascule.policy.stack import StackContext

STARTUP_TIMEOUT = 60.0
CALL_TIMEOUT = 300.0
DEFAULT_WINDOW = 32
_MAX_MESSAGE = 400 * 1024 * 1024  # as the Pulumi engine: large stacks make large requests
ANALYZE_METHOD = "/pulumirpc.Analyzer/Analyze"
ANALYZE_STACK_METHOD = "/pulumirpc.Analyzer/AnalyzeStack"
REMEDIATE_METHOD = "/pulumirpc.Analyzer/Remediate"
# Run before `python -m pulumi.policy`: the config arrives on stdin, never in argv or the
# initial environment. Standard library only: it runs in the pack's own interpreter.
BOOTSTRAP = (
    "import json, os, runpy, sys\n"
    "os.environ.update(json.loads(sys.stdin.read() or '{}'))\n"
    "sys.stdin.close()\n"
    "sys.stdin = open(os.devnull)\n"
    "sys.argv = ['pulumi.policy', *sys.argv[1:]]\n"
    "runpy.run_module('pulumi.policy', run_name='__main__', alter_sys=True)\n"
)
_CHANNEL_OPTIONS = [
    ("grpc.max_receive_message_length", _MAX_MESSAGE),
    ("grpc.max_send_message_length", _MAX_MESSAGE),
]


def _one_line(text: str, limit: int = 300) -> str:
    lines = [line.strip() for line in text.strip().splitlines() if line.strip()]
    line = lines[-1] if lines else ""
    return line if len(line) <= limit else line[: limit - 3] + "..."


def _rpc_error(pack: str, call: str, err: grpc.RpcError) -> PolicyRunError:
    details = err.details() if hasattr(err, "details") else str(err)
    return PolicyRunError(f"policy pack {pack}: {call} failed: {_one_line(str(details))}")


class AnalyzerProcess:
    """Context manager: a policy pack's analyzer process and a gRPC stub to it.

    The child is always terminated on exit, even on error.
    """

    def __init__(
        self,
        pack_dir: Path,
        *,
        project: str = "",
        stack: str = "",
        context: StackContext | None = None,
        python: str = sys.executable,
        startup_timeout: float = STARTUP_TIMEOUT,
        extra_env: Mapping[str, str] | None = None,
    ) -> None:
        self.pack_dir = Path(pack_dir).resolve()
        self.name = self.pack_dir.name
        self.context = context or StackContext(project or "bascule", stack or "offline")
        self.python = python
        self.startup_timeout = startup_timeout
        self.extra_env = dict(extra_env or {})
        self._proc: subprocess.Popen[bytes] | None = None
        self._stderr: IO[bytes] | None = None
        self._channel: grpc.Channel | None = None
        self._stub: analyzer_pb2_grpc.AnalyzerStub | None = None
        self._analyze_bytes: Any = None
        self._analyze_stack_bytes: Any = None
        self._remediate_bytes: Any = None
        self.port: int | None = None

    # -- process lifecycle -------------------------------------------------------------

    def start(self) -> AnalyzerProcess:
        if not (self.pack_dir / "__main__.py").is_file():
            raise PolicyRunError(f"policy pack {self.pack_dir}: no __main__.py", exit_code=2)
        env = {k: v for k, v in os.environ.items() if k != "PULUMI_CONFIG"}
        env.update(self.context.process_env())
        env["PYTHONUNBUFFERED"] = "1"
        env.update(self.extra_env)
        self._stderr = tempfile.TemporaryFile()  # noqa: SIM115 - closed in close()
        self._proc = subprocess.Popen(
            [self.python, "-u", "-c", BOOTSTRAP, "127.0.0.1:0", str(self.pack_dir)],
            cwd=self.pack_dir,
            env=env,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=self._stderr,
        )
        assert self._proc.stdin is not None
        with contextlib.suppress(BrokenPipeError):  # a pack that died says why on stderr
            self._proc.stdin.write(json.dumps(self.context.config_env()).encode())
        with contextlib.suppress(BrokenPipeError):
            self._proc.stdin.close()
        return self

    def wait_ready(self) -> AnalyzerProcess:
        """Read the port (first stdout line) and connect; one-line error if none comes."""
        proc = self._require_proc()
        assert proc.stdout is not None
        lines: deque[bytes] = deque()
        done = threading.Event()

        def read_first_line() -> None:
            assert proc.stdout is not None
            lines.append(proc.stdout.readline())
            done.set()
            # Keep draining so a chatty pack can never block on a full pipe.
            for _ in iter(lambda: proc.stdout.read(65536) if proc.stdout else b"", b""):
                pass

        threading.Thread(target=read_first_line, daemon=True).start()
        if not done.wait(self.startup_timeout):
            raise PolicyRunError(
                f"policy pack {self.name}: no port printed within {self.startup_timeout:.0f}s"
            )
        first = lines[0].decode(errors="replace").strip() if lines else ""
        if not first.isdigit():
            proc.poll()
            if proc.returncode is None:
                with contextlib.suppress(subprocess.TimeoutExpired):
                    proc.wait(2)
            detail = _one_line(self.stderr_text()) or first or "no output"
            code = proc.returncode
            raise PolicyRunError(
                f"policy pack {self.name}: analyzer did not start"
                + (f" (exit {code})" if code is not None else "")
                + f": {detail}"
            )
        self.port = int(first)
        self._channel = grpc.insecure_channel(f"127.0.0.1:{self.port}", options=_CHANNEL_OPTIONS)
        try:
            grpc.channel_ready_future(self._channel).result(timeout=self.startup_timeout)
        except grpc.FutureTimeoutError:
            raise PolicyRunError(
                f"policy pack {self.name}: cannot connect to 127.0.0.1:{self.port}"
            ) from None
        self._stub = analyzer_pb2_grpc.AnalyzerStub(self._channel)
        # Requests arrive serialized (once, for every pack): sent as they are.
        self._analyze_bytes = self._channel.unary_unary(
            ANALYZE_METHOD, response_deserializer=analyzer_pb2.AnalyzeResponse.FromString
        )
        self._analyze_stack_bytes = self._channel.unary_unary(
            ANALYZE_STACK_METHOD, response_deserializer=analyzer_pb2.AnalyzeResponse.FromString
        )
        self._remediate_bytes = self._channel.unary_unary(
            REMEDIATE_METHOD, response_deserializer=analyzer_pb2.RemediateResponse.FromString
        )
        return self

    def stderr_text(self) -> str:
        if self._stderr is None:
            return ""
        try:
            self._stderr.flush()
            self._stderr.seek(0)
            return self._stderr.read().decode(errors="replace")
        except (OSError, ValueError):
            return ""

    def close(self) -> None:
        if self._channel is not None:
            self._channel.close()
            self._channel = None
        proc = self._proc
        if proc is not None and proc.poll() is None:
            proc.terminate()
            try:
                proc.wait(5)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait(5)
        if proc is not None and proc.stdout is not None:
            proc.stdout.close()
        if self._stderr is not None:
            self._stderr.close()
            self._stderr = None

    def __enter__(self) -> AnalyzerProcess:
        try:
            return self.start().wait_ready()
        except BaseException:
            self.close()
            raise

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def _require_proc(self) -> subprocess.Popen[bytes]:
        if self._proc is None:
            raise PolicyRunError(f"policy pack {self.name}: not started")
        return self._proc

    @property
    def stub(self) -> analyzer_pb2_grpc.AnalyzerStub:
        stub: analyzer_pb2_grpc.AnalyzerStub = self._connected(self._stub)
        return stub

    def _connected(self, call: Any) -> Any:
        """`call`, set once connected; a one-line error before that."""
        if call is None:
            raise PolicyRunError(f"policy pack {self.name}: not connected")
        return call

    def _failed(self, call: str, err: grpc.RpcError) -> PolicyRunError:
        proc = self._proc
        if proc is not None and proc.poll() is not None:
            detail = _one_line(self.stderr_text()) or "no output"
            return PolicyRunError(
                f"policy pack {self.name}: analyzer exited ({proc.returncode}) during {call}: "
                f"{detail}"
            )
        return _rpc_error(self.name, call, err)

    # -- analyzer calls ----------------------------------------------------------------

    def info(self) -> analyzer_pb2.AnalyzerInfo:
        try:
            return self.stub.GetAnalyzerInfo(empty_pb2.Empty(), timeout=CALL_TIMEOUT)
        except grpc.RpcError as err:
            raise self._failed("GetAnalyzerInfo", err) from None

    def plugin_version(self) -> str:
        try:
            info: plugin_pb2.PluginInfo = self.stub.GetPluginInfo(
                empty_pb2.Empty(), timeout=CALL_TIMEOUT
            )
        except grpc.RpcError as err:
            raise self._failed("GetPluginInfo", err) from None
        return info.version

    def configure_stack(self, request: analyzer_pb2.AnalyzerStackConfigureRequest) -> None:
        """The engine's first call; a pack too old to implement it is left as it is."""
        try:
            self.stub.ConfigureStack(request, timeout=CALL_TIMEOUT)
        except grpc.RpcError as err:
            if err.code() != grpc.StatusCode.UNIMPLEMENTED:
                raise self._failed("ConfigureStack", err) from None

    def configure(self, policy_config: Mapping[str, analyzer_pb2.PolicyConfig]) -> None:
        request = analyzer_pb2.ConfigureAnalyzerRequest(policyConfig=dict(policy_config))
        try:
            self.stub.Configure(request, timeout=CALL_TIMEOUT)
        except grpc.RpcError as err:
            raise self._failed("Configure", err) from None

    def analyze_all(
        self, requests: Sequence[bytes], urns: Sequence[str], window: int = DEFAULT_WINDOW
    ) -> list[analyzer_pb2.AnalyzeResponse]:
        """One Analyze per serialized AnalyzeRequest, at most `window` in flight; responses
        in request order (`urns` name them in errors)."""
        call = self._connected(self._analyze_bytes)
        responses: list[Any] = [None] * len(requests)
        in_flight: deque[tuple[int, Any]] = deque()

        def collect(index: int, future: Any) -> None:
            try:
                responses[index] = future.result()
            except grpc.RpcError as err:
                raise self._failed(f"Analyze of {urns[index]}", err) from None

        try:
            for index, request in enumerate(requests):
                if len(in_flight) >= window:
                    collect(*in_flight.popleft())
                future = call.future(request, timeout=CALL_TIMEOUT)
                in_flight.append((index, future))
            while in_flight:
                collect(*in_flight.popleft())
        finally:
            for _, future in in_flight:
                future.cancel()
        return responses

    def remediate(self, request: bytes, urn: str) -> analyzer_pb2.RemediateResponse:
        """Remediate with a serialized AnalyzeRequest; a pack without it remediates nothing."""
        call = self._connected(self._remediate_bytes)
        try:
            response: analyzer_pb2.RemediateResponse = call(request, timeout=CALL_TIMEOUT)
        except grpc.RpcError as err:
            if err.code() == grpc.StatusCode.UNIMPLEMENTED:
                return analyzer_pb2.RemediateResponse()
            raise self._failed(f"Remediate of {urn}", err) from None
        return response

    def analyze_stack(self, request: bytes) -> analyzer_pb2.AnalyzeResponse:
        """AnalyzeStack with a serialized AnalyzeStackRequest."""
        call = self._connected(self._analyze_stack_bytes)
        try:
            response: analyzer_pb2.AnalyzeResponse = call(request, timeout=CALL_TIMEOUT)
        except grpc.RpcError as err:
            raise self._failed("AnalyzeStack", err) from None
        return response


def wait_all_ready(processes: Sequence[AnalyzerProcess]) -> None:
    """Wait for several started processes (they boot in parallel)."""
    deadline = time.monotonic() + max((p.startup_timeout for p in processes), default=0)
    for process in processes:
        process.startup_timeout = max(1.0, deadline - time.monotonic())
        process.wait_ready()
