"""Parallel synth (one process per estate) gives exactly the single-process snapshot."""

from __future__ import annotations

import itertools
import os
import sys
import threading
from dataclasses import replace
from pathlib import Path

import pytest

from bascule.errors import BadInputError, InternalError
from bascule.snapshot.model import ROOT_STACK_TYPE, Resource, Snapshot
from bascule.snapshot.write import snapshot_json
from bascule.synth import synthesize
from bascule.synth.config import load_stack_config, read_project
from bascule.synth.parallel import (
    PARALLEL_ENV,
    SHARDS,
    SYNTH_ESTATE_ENV,
    ProgressPipe,
    _Child,
    _Counter,
    merge_snapshots,
    parallel_enabled,
    synthesize_in_parallel,
)
from components.estates import ESTATES
from components.estates import SYNTH_ESTATE_ENV as PROGRAM_SIDE_ENV

ROOT = Path(__file__).resolve().parents[3]
MINI = ROOT / "tests" / "data" / "programs" / "mini"


def _same(parallel: Snapshot, single: Snapshot) -> None:
    assert parallel == single
    # Byte for byte: the same resource order and the same key order, secrets included.
    assert snapshot_json(parallel) == snapshot_json(single)


def test_the_program_and_the_runner_speak_the_same_protocol() -> None:
    assert (PROGRAM_SIDE_ENV, ESTATES) == (SYNTH_ESTATE_ENV, SHARDS)


def test_dev_parallel_equals_single() -> None:
    _same(synthesize(ROOT, "dev", parallel=True), synthesize(ROOT, "dev", parallel=False))


def test_prod_parallel_equals_single(prod_snapshot: Snapshot) -> None:
    _same(synthesize(ROOT, "prod", parallel=True), prod_snapshot)


def test_each_process_declares_one_estate(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(SYNTH_ESTATE_ENV, "source")
    source = synthesize(ROOT, "dev", parallel=False)
    monkeypatch.setenv(SYNTH_ESTATE_ENV, "target")
    target = synthesize(ROOT, "dev", parallel=False)
    kinds = {
        name: {r.type.split(":")[0] for r in snap if r.custom and r.type != ROOT_STACK_TYPE}
        for name, snap in (("source", source), ("target", target))
    }
    assert kinds == {"source": {"azure-native", "pulumi"}, "target": {"openstack", "pulumi"}}
    [stack] = [r for r in source if r.type == ROOT_STACK_TYPE]
    assert sorted(stack.outputs) == ["parityAccepted", "source", "waves"]


def test_a_program_that_ignores_the_request_still_gives_the_single_result(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("PULUMI_CONFIG_PASSPHRASE", "bascule-test-passphrase")
    _same(synthesize(MINI, "dev", parallel=True), synthesize(MINI, "dev", parallel=False))


def _failing_project(tmp_path: Path) -> Path:
    (tmp_path / "Pulumi.yaml").write_text("name: broken\nruntime: python\n")
    (tmp_path / "Pulumi.dev.yaml").write_text("config: {}\n")
    (tmp_path / "__main__.py").write_text(
        "import pulumi\n\nraise RuntimeError('no estate today')\n"
    )
    return tmp_path


def test_a_failing_program_fails_the_same_way(tmp_path: Path) -> None:
    project = _failing_project(tmp_path)
    messages = []
    for parallel in (False, True):
        with pytest.raises(BadInputError) as caught:
            synthesize(project, "dev", parallel=parallel)
        messages.append(caught.value.message)
    assert messages[0] == messages[1]
    assert messages[0] == (
        "__main__.py: program failed: RuntimeError: no estate today (__main__.py:3)"
    )


def _child_result(request: dict[str, object]) -> object:
    return _Child("source", request, _Counter(None)).result()


def test_a_child_given_bad_input_reports_it_in_one_line() -> None:
    result = _child_result({"projectDir": "/nonexistent", "stack": "dev"})
    assert isinstance(result, BadInputError)
    assert (
        result.message == "/nonexistent/Pulumi.yaml: no such file (not a Pulumi project directory)"
    )


def test_a_child_that_breaks_is_an_internal_error_naming_the_estate() -> None:
    result = _child_result({"projectDir": str(ROOT)})  # no stack: a bug on bascule's side
    assert isinstance(result, InternalError) and result.exit_code == 3
    assert result.message == "synth of the source estate failed (exit 3): KeyError: 'stack'"


# A child that writes what the old stderr protocol produced when two threads' lines glued
# together, then a count, then its message and exit 2.
_GARBLED_CHILD = """
import json, os, sys
fd = json.load(sys.stdin)["progressFd"]
os.write(fd, b"25\\n225bascule-synth-progress 250\\nnot a count\\n50\\n")
print("Pulumi.dev.yaml: the message after the garbage", file=sys.stderr)
sys.exit(2)
"""


def test_a_garbled_progress_line_loses_neither_the_count_nor_the_message() -> None:
    shown: list[int] = []
    child = _Child(
        "source", {}, _Counter(shown.append), command=(sys.executable, "-c", _GARBLED_CHILD)
    )
    result = child.result()
    assert isinstance(result, BadInputError)
    assert result.message == "Pulumi.dev.yaml: the message after the garbage"
    assert shown == [25, 50]


def test_the_counter_never_goes_back_when_updates_arrive_out_of_order() -> None:
    shown: list[int] = []
    counter = _Counter(shown.append)
    for shard, count in (("", 25), ("", 23), ("source", 3000), ("source", 2975), ("", 30)):
        counter.update(shard, count)
    assert shown == [25, 3024, 3029]  # the stack, in both processes, counted once


def test_the_child_writes_whole_increasing_lines_from_many_threads() -> None:
    read_end, write_end = os.pipe()
    pipe = ProgressPipe(write_end, every=25)

    def work(start: int) -> None:
        for count in range(start, 5_000, 4):
            pipe.report(count)

    threads = [threading.Thread(target=work, args=(i,)) for i in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    os.close(write_end)
    with open(read_end, "rb") as reader:
        lines = reader.read().decode().split("\n")
    assert lines[-1] == ""  # every line ends with its newline
    counts = [int(line) for line in lines[:-1]]  # every line is one count, nothing glued
    assert counts == sorted(set(counts))
    assert all(b - a >= 25 for a, b in itertools.pairwise(counts))
    assert counts[-1] > 5_000 - 4 - 25


def test_the_live_counter_adds_up_both_processes() -> None:
    counts: list[int] = []
    snapshot = synthesize(ROOT, "dev", parallel=True, on_resource=counts.append)
    assert counts == sorted(counts)
    # The child reports every 25 resources; the stack registers in both, counted once.
    assert len(snapshot) - 25 < counts[-1] <= len(snapshot)


def _resource(urn: str, **fields: object) -> Resource:
    return Resource(urn=urn, type=urn.split("::")[2], custom=True, **fields)  # type: ignore[arg-type]


STACK = "urn:pulumi:dev::p::pulumi:pulumi:Stack::p-dev"


def _snapshot(*resources: Resource) -> Snapshot:
    return Snapshot(resources=resources, source="test", kind="synth")


def test_merge_joins_stack_outputs_and_restores_dependency_order() -> None:
    stack = Resource(urn=STACK, type=ROOT_STACK_TYPE, custom=False)
    net = _resource("urn:pulumi:dev::p::t:net::z-net", parent=STACK)
    vm = _resource("urn:pulumi:dev::p::t:vm::a-vm", parent=STACK, dependencies=(net.urn,))
    disk = _resource("urn:pulumi:dev::p::t:disk::b-disk", parent=STACK)
    left = _snapshot(replace(stack, outputs={"target": 1, "shared": [1]}), net, vm)
    right = _snapshot(replace(stack, outputs={"source": 2, "shared": [1]}), disk)
    merged = merge_snapshots([left, right])
    assert [r.urn for r in merged] == [STACK, disk.urn, net.urn, vm.urn]
    assert list(merged.resources[0].outputs.items()) == [
        ("shared", [1]),
        ("source", 2),
        ("target", 1),
    ]


def test_merge_refuses_runs_that_disagree() -> None:
    stack = Resource(urn=STACK, type=ROOT_STACK_TYPE, custom=False)
    net = _resource("urn:pulumi:dev::p::t:net::net", parent=STACK)
    other = replace(net, inputs={"mtu": 1400})
    with pytest.raises(InternalError, match=r"^parallel synth runs disagree on urn:.*::net$"):
        merge_snapshots([_snapshot(stack, net), _snapshot(stack, other)])
    with pytest.raises(InternalError, match="disagree on output 'shared' of urn:"):
        merge_snapshots(
            [
                _snapshot(replace(stack, outputs={"shared": 1})),
                _snapshot(replace(stack, outputs={"shared": 2})),
            ]
        )


@pytest.mark.parametrize(("value", "expected"), [("0", False), (" 0 ", False), ("1", True)])
def test_parallel_synth_can_be_turned_off(
    monkeypatch: pytest.MonkeyPatch, value: str, expected: bool
) -> None:
    monkeypatch.setattr("os.sched_getaffinity", lambda _pid: {0, 1})
    monkeypatch.setenv(PARALLEL_ENV, value)
    assert parallel_enabled() is expected


def test_one_core_runs_one_process(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("os.sched_getaffinity", lambda _pid: {0})
    monkeypatch.delenv(PARALLEL_ENV, raising=False)
    assert parallel_enabled() is False


def test_an_interrupt_stops_the_child_and_is_raised_as_such(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    killed: list[str] = []
    original_kill = _Child.kill

    def kill(child: _Child) -> None:
        killed.append(child.shard)
        original_kill(child)

    def interrupted(_count: object) -> Snapshot:
        raise KeyboardInterrupt

    monkeypatch.setattr(_Child, "kill", kill)
    project = read_project(ROOT)
    config, secret_keys = load_stack_config(project, "dev")
    with pytest.raises(KeyboardInterrupt):
        synthesize_in_parallel(project, "dev", config, secret_keys, interrupted)
    assert killed == ["source"]
    assert SYNTH_ESTATE_ENV not in os.environ  # the estate request does not outlive the run
