"""The `bascule` CLI through `python -m bascule`: help, one-line errors, fast startup."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from cli_support import bascule

ROOT = Path(__file__).resolve().parents[3]
DATA = ROOT / "tests" / "data"
MINI = DATA / "programs" / "mini"


@pytest.mark.parametrize(
    "command",
    [[], ["synth"], ["inventory"], ["policy"], ["parity"], ["export"], ["checkov"], ["check"]],
)
def test_help(command: list[str]) -> None:
    result = bascule(*command, "--help")
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("usage: bascule")


def test_no_command_is_usage_error() -> None:
    result = bascule()
    assert result.returncode == 2
    assert "usage:" in result.stderr


def test_help_does_not_import_heavy_modules() -> None:
    code = (
        "import sys, bascule.cli.main as m\n"
        "try:\n    m.main(['--help'])\nexcept SystemExit:\n    pass\n"
        "heavy = [n for n in ('pulumi', 'grpc', 'rich', 'pulumi_azure_native', "
        "'pulumi_openstack', 'google.protobuf') if n in sys.modules]\n"
        "assert not heavy, heavy\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("[\n  1,\n    ]", "bad.json: not JSON (line 3, column 5: Expecting value)"),
        (
            '{"version": 7, "deployment": {}}',
            "bad.json: unsupported stack export version 7 (bascule reads versions 1, 2, 3 and 4)",
        ),
        ('{"version": 3}', 'bad.json: missing "deployment"'),
        (
            '{"hello": 1}',
            "bad.json: not a Pulumi stack export, state checkpoint, preview --json or engine "
            "event stream",
        ),
    ],
)
@pytest.mark.parametrize("command", ["inventory", "policy", "check"])
def test_malformed_snapshot_is_one_line(
    tmp_path: Path, command: str, content: str, message: str
) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text(content)
    result = bascule(command, str(bad))
    assert result.returncode == 2
    assert result.stderr.splitlines() == [f"bascule: error: {message}"]


def test_inventory_of_export_json() -> None:
    result = bascule("inventory", str(DATA / "snapshots" / "export-small.json"), "--format", "json")
    assert result.returncode == 0, result.stderr
    summary = json.loads(result.stdout)
    assert summary["resources"] == 6
    assert summary["estates"]["source"]["byType"] == {
        "azure-native:storage:StorageAccount": 1,
        "pulumi:providers:azure-native": 1,
    }
    assert summary["estates"]["target"]["datasets"] == ["snds-extract"]


def test_synth_and_check_mini(tmp_path: Path) -> None:
    out = tmp_path / "mini.json"
    env = {"PULUMI_CONFIG_PASSPHRASE": "bascule-test-passphrase"}
    result = bascule("synth", str(MINI / "Pulumi.dev.yaml"), "-o", str(out), env=env)
    assert result.returncode == 0, result.stderr
    assert "s3cr3t-Mini-Password" not in out.read_text()
    assert json.loads(out.read_text())["version"] == 3
    result = bascule("check", "dev", "--project-dir", str(MINI), "--format", "json")
    # The mini program breaks mandatory rules: check reports them and exits 1. Its Keystone
    # (auth.example.test) and region (EU-WEST-PAR) are no SecNumCloud-qualified offer's.
    assert result.returncode == 1, result.stderr
    report = json.loads(result.stdout)
    assert report["summary"]["resources"] == 4
    assert [
        (v["policy"], v["urn"].rsplit("::", 1)[-1]) for v in report["policy"]["violations"]
    ] == [
        ("prt-012-required-tags", "hub-net"),
        ("sov-002-target-region-allowed", "openstack"),
        ("sov-003-target-endpoint-approved", "openstack"),
        ("sov-010-target-offer-qualified", "openstack"),
    ]


def test_synth_errors_are_one_line() -> None:
    result = bascule("synth", "nope", "--project-dir", str(MINI))
    assert result.returncode == 2
    assert result.stderr.splitlines() == [
        "bascule: error: Pulumi.nope.yaml: no such stack file (stacks: dev)"
    ]
    result = bascule(
        "synth", "dev", "--project-dir", str(MINI), env={"PULUMI_CONFIG_PASSPHRASE": "wrong"}
    )
    assert result.returncode == 2
    assert result.stderr.splitlines() == ["bascule: error: Pulumi.dev.yaml: incorrect passphrase"]


def test_a_stack_file_outside_the_project_dir_is_read_for_that_project(tmp_path: Path) -> None:
    # As `pulumi --cwd DIR --config-file FILE`: DIR's program, FILE's settings.
    settings = tmp_path / "elsewhere" / "Pulumi.ci.yaml"
    settings.parent.mkdir()
    settings.write_text((MINI / "Pulumi.dev.yaml").read_text())
    env = {"PULUMI_CONFIG_PASSPHRASE": "bascule-test-passphrase", "BASCULE_NO_CACHE": "1"}
    result = bascule("synth", str(settings), "--project-dir", str(MINI), env=env)
    assert result.returncode == 0, result.stderr
    resources = json.loads(result.stdout)["deployment"]["resources"]
    assert resources[0]["urn"] == "urn:pulumi:ci::mini::pulumi:pulumi:Stack::mini-ci"


def test_the_project_file_is_not_taken_for_a_stack() -> None:
    result = bascule("check", str(MINI / "Pulumi.yaml"))
    assert result.returncode == 2
    assert result.stderr.splitlines() == [
        f"bascule: error: {MINI / 'Pulumi.yaml'}: the project file, not a stack: name a stack "
        "(stacks: dev) or its Pulumi.<stack>.yaml"
    ]


def test_export_tfplan_to_file(tmp_path: Path) -> None:
    out = tmp_path / "plan.json"
    baseline = str(DATA / "parity" / "baseline.json")
    result = bascule("export", baseline, "--to", "tfplan", "-o", str(out))
    assert result.returncode == 0, result.stderr
    assert result.stderr == f"export: 59 resources written to {out}\n"
    assert json.loads(out.read_text())["format_version"] == "1.2"
    result = bascule("export", baseline, "--to", "hcl")
    assert result.returncode == 2


@pytest.mark.parametrize("command", ["policy", "check", "checkov"])
def test_empty_snapshot_is_reported_not_passed(tmp_path: Path, command: str) -> None:
    empty = tmp_path / "empty.json"
    empty.write_text('{"version": 3, "deployment": {"manifest": {}, "resources": []}}')
    result = bascule(command, str(empty))
    assert result.returncode == 2
    assert result.stderr.splitlines() == [
        f"bascule: error: {empty}: no resources to check (empty stack or snapshot)"
    ]


# Every command with -o, and what it needs besides: each refuses the output before any work.
WRITERS = {
    "synth": ["dev"],
    "policy": [str(DATA / "parity" / "baseline.json"), "--format", "json"],
    "parity": [str(DATA / "parity" / "baseline.json"), "--format", "json"],
    "export": [str(DATA / "parity" / "baseline.json"), "--to", "tfplan"],
    "checkov": [str(DATA / "parity" / "baseline.json"), "--format", "sarif"],
    "drift": [str(DATA / "parity" / "baseline.json"), str(DATA / "parity" / "baseline.json")],
    "providers": [],
    "waves": [str(DATA / "rules" / "MIG-018" / "pass.json")],
}


def test_every_command_that_writes_is_covered() -> None:
    from bascule.cli.main import build_parser

    subparsers = next(a for a in build_parser()._actions if a.dest == "command")
    writing = {
        name
        for name, sub in subparsers.choices.items()  # type: ignore[union-attr]
        if any(a.dest == "output" for a in sub._actions)
    }
    assert writing == set(WRITERS)


@pytest.mark.parametrize(
    ("where", "problem"),
    [("missing-dir/out.json", "No such file or directory"), ("a-dir", "Is a directory")],
)
@pytest.mark.parametrize("command", sorted(WRITERS))
def test_unwritable_output_is_one_line(
    tmp_path: Path, command: str, where: str, problem: str
) -> None:
    (tmp_path / "a-dir").mkdir()
    out = tmp_path / where
    result = bascule(command, *WRITERS[command], "-o", str(out))
    assert result.returncode == 2
    assert result.stderr.splitlines() == [f"bascule: error: {out}: cannot write: {problem}"]


def test_every_subcommand_has_a_handler() -> None:
    import importlib

    from bascule.cli.main import COMMANDS, build_parser

    subparsers = next(a for a in build_parser()._actions if a.dest == "command")
    assert set(subparsers.choices) == set(COMMANDS)  # type: ignore[arg-type]
    for module, function in COMMANDS.values():
        assert callable(getattr(importlib.import_module(module), function))


def test_a_large_stdout_is_complete_despite_the_fast_exit() -> None:
    """The CLI ends with os._exit: everything buffered must still reach the reader."""
    result = bascule("synth", "dev", env={"BASCULE_SYNTH_PARALLEL": "1"})
    assert result.returncode == 0, result.stderr
    document = json.loads(result.stdout)
    assert len(document["deployment"]["resources"]) == 211
    assert len(result.stdout) > 300_000  # well past any pipe or stdio buffer


def test_a_reader_that_goes_away_is_not_an_error() -> None:
    """`bascule synth dev | head -1`: no traceback about the closed pipe."""
    process = subprocess.Popen(
        [sys.executable, "-m", "bascule", "synth", "dev"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        cwd=ROOT,
    )
    assert process.stdout is not None and process.stderr is not None
    process.stdout.readline()
    process.stdout.close()
    stderr = process.stderr.read().decode()
    assert process.wait(timeout=300) == 0
    assert "Traceback" not in stderr and "BrokenPipeError" not in stderr


def test_the_console_script_and_python_m_bascule_are_one_entry() -> None:
    """Both run `entry` and its fast exit: `bascule --help` is `python -m bascule --help`."""
    from importlib.metadata import entry_points

    from bascule import __main__ as python_m
    from bascule.cli.main import entry

    (script,) = entry_points(group="console_scripts", name="bascule")
    assert script.load() is entry
    assert python_m.entry is entry
    installed = Path(sys.executable).with_name("bascule")
    if not installed.exists():
        pytest.skip(f"{installed}: the console script is not installed beside this interpreter")
    console = subprocess.run(
        [str(installed), "--help"], capture_output=True, text=True, cwd=ROOT, timeout=60
    )
    assert console.returncode == 0, console.stderr
    assert console.stdout == bascule("--help").stdout
