"""Synth of a tiny committed program under mocks: config, secrets, links, round trip."""

from __future__ import annotations

import sys
import time
from pathlib import Path

import pytest

from bascule.errors import BadInputError, UsageError
from bascule.snapshot.load import load_snapshot
from bascule.snapshot.model import ROOT_STACK_TYPE, SecretValue, Snapshot
from bascule.snapshot.write import write_snapshot
from bascule.synth import synthesize
from bascule.synth.config import Project, build_config, read_project
from bascule.synth.crypt import crypter_from_salt, encrypt, new_encryption_salt
from bascule.synth.run import resolve_stack

MINI = Path(__file__).resolve().parents[2] / "data" / "programs" / "mini"
PASSPHRASE = "bascule-test-passphrase"
PLAINTEXT = "s3cr3t-Mini-Password"


@pytest.fixture(scope="module")
def mini() -> Snapshot:
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("PULUMI_CONFIG_PASSPHRASE", PASSPHRASE)
        return synthesize(MINI, "dev")


def test_resources_links_and_provider(mini: Snapshot) -> None:
    by_type = {r.type: r for r in mini}
    assert set(by_type) == {
        ROOT_STACK_TYPE,
        "mini:net:Zone",
        "pulumi:providers:openstack",
        "openstack:networking/network:Network",
    }
    stack, zone = by_type[ROOT_STACK_TYPE], by_type["mini:net:Zone"]
    provider = by_type["pulumi:providers:openstack"]
    network = by_type["openstack:networking/network:Network"]
    assert (mini.project, mini.stack, mini.kind) == ("mini", "dev", "synth")
    assert stack.urn == "urn:pulumi:dev::mini::pulumi:pulumi:Stack::mini-dev"
    assert network.urn == (
        "urn:pulumi:dev::mini::mini:net:Zone$openstack:networking/network:Network::hub-net"
    )
    assert zone.parent == stack.urn and not zone.custom
    assert network.parent == zone.urn
    assert provider.custom and provider.parent == stack.urn
    assert provider.inputs["authUrl"] == "https://auth.example.test/v3"
    assert provider.inputs["region"] == "EU-WEST-PAR"
    assert provider.inputs["password"] == SecretValue()
    assert mini.provider_of(network) == provider
    assert network.provider == f"{provider.urn}::{provider.id}"
    # Structured config arrives as JSON; ints stay ints; project config defaults apply.
    assert network.inputs["mtu"] == 1450 and network.inputs["adminStateUp"] is True
    assert network.inputs["tags"] == ["tier=small"]
    assert stack.outputs == {"networkName": "mini-net", "tier": "small"}
    assert zone.outputs == {"networkId": "hub-net-id"}
    assert mini.resources[0] == stack  # parents come first


def test_round_trip_and_no_plaintext(mini: Snapshot, tmp_path: Path) -> None:
    out = tmp_path / "mini.json"
    write_snapshot(mini, out)
    text = out.read_text()
    assert PLAINTEXT not in text
    assert PLAINTEXT not in repr(mini)
    loaded = load_snapshot(out)
    assert loaded.resources == mini.resources
    assert (loaded.project, loaded.stack) == ("mini", "dev")


def test_runs_repeatedly_without_passphrase(
    mini: Snapshot, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("PULUMI_CONFIG_PASSPHRASE", raising=False)
    monkeypatch.delenv("PULUMI_CONFIG_PASSPHRASE_FILE", raising=False)
    start = time.perf_counter()
    again = synthesize(MINI, "dev")
    assert time.perf_counter() - start < 10
    assert again.resources == mini.resources  # the placeholder is secret too


def test_wrong_passphrase_is_one_line(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PULUMI_CONFIG_PASSPHRASE", "not-it")
    with pytest.raises(BadInputError) as info:
        synthesize(MINI, "dev")
    assert str(info.value) == "Pulumi.dev.yaml: incorrect passphrase"
    assert info.value.exit_code == 2


def test_missing_stack_file() -> None:
    with pytest.raises(
        BadInputError, match=r"^Pulumi\.nope\.yaml: no such stack file \(stacks: dev\)$"
    ):
        synthesize(MINI, "nope")


def test_program_config_error_is_one_line(tmp_path: Path) -> None:
    for name in ("Pulumi.yaml", "__main__.py"):
        (tmp_path / name).write_text((MINI / name).read_text())
    (tmp_path / "Pulumi.dev.yaml").write_text("config:\n  mini:region: X\n")
    with pytest.raises(BadInputError) as info:
        synthesize(tmp_path, "dev")
    assert info.value.message.startswith("Pulumi.dev.yaml: Missing required configuration")
    assert "mini:network" in info.value.message


def test_crypt_round_trip_and_config_map() -> None:
    salt, crypter = new_encryption_salt("pw", salt=b"12345678")
    value = encrypt("pw", salt, "hello")
    assert crypter_from_salt("pw", salt).decrypt(value) == "hello"
    assert crypter.decrypt(value) == "hello"
    project = Project(name="p", directory=MINI, config={"d": {"default": 3}, "x:y": True})
    doc = {
        "encryptionsalt": salt,
        "config": {"a": {"b": [1, "c"]}, "p:s": {"secure": value}, "n": 5, "f": False},
    }
    config, secrets = build_config(project, doc, "Pulumi.t.yaml", "pw")
    assert config == {
        "p:d": "3",
        "x:y": "true",
        "p:a": '{"b":[1,"c"]}',
        "p:s": "hello",
        "p:n": "5",
        "p:f": "false",
    }
    assert secrets == ["p:s"]
    config, _ = build_config(project, doc, "Pulumi.t.yaml", None)
    assert config["p:s"] == "[secret]"


def test_resolve_stack_path(tmp_path: Path) -> None:
    assert resolve_stack(str(MINI / "Pulumi.dev.yaml")) == (MINI, "dev", MINI / "Pulumi.dev.yaml")
    assert resolve_stack("prod", MINI) == (MINI, "prod", MINI / "Pulumi.prod.yaml")
    assert resolve_stack("Pulumi.dev.yaml", MINI) == (MINI, "dev", MINI / "Pulumi.dev.yaml")
    # A settings file from elsewhere, for the project given: as `pulumi --config-file`.
    elsewhere = tmp_path / "Pulumi.ci.yml"
    assert resolve_stack(str(elsewhere), MINI) == (MINI, "ci", elsewhere)


@pytest.mark.parametrize(
    ("given", "message"),
    [
        (
            "{mini}/Pulumi.yaml",
            "{mini}/Pulumi.yaml: the project file, not a stack: name a stack (stacks: dev) "
            "or its Pulumi.<stack>.yaml",
        ),
        ("{mini}/dev", "{mini}/dev: neither a stack name nor a Pulumi.<stack>.yaml file"),
    ],
)
def test_resolve_stack_refuses_what_is_not_a_stack(given: str, message: str) -> None:
    with pytest.raises(UsageError) as err:
        resolve_stack(given.format(mini=MINI))
    assert err.value.message == message.format(mini=MINI)


def test_a_directory_named_like_a_stack_file_is_not_a_stack(tmp_path: Path) -> None:
    (tmp_path / "Pulumi.yaml").write_text("name: p\nruntime: python\n")
    (tmp_path / "Pulumi.dir.yaml").mkdir()
    (tmp_path / "Pulumi.dev.yaml").write_text("config: {}\n")
    (tmp_path / "Pulumi.ci.yml").write_text("config: {}\n")
    assert read_project(tmp_path).stacks() == ["ci", "dev"]
    with pytest.raises(BadInputError) as err:
        synthesize(tmp_path, "dir")
    assert err.value.message == "Pulumi.dir.yaml: no such stack file (stacks: ci, dev)"


STALE_COMPONENT = """
from __future__ import annotations

import pulumi


class Zone(pulumi.ComponentResource):
    zone_name: pulumi.Output[str]

    def __init__(self, name: str) -> None:
        super().__init__("stale:net:Zone", name, None, None)
        self.zone_name = pulumi.Output.from_input(name)
        self.register_outputs({"zoneName": self.zone_name})
"""


def test_a_program_package_loaded_before_the_synth_gets_fresh_submodules(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A package of the program that was imported before the synth (bascule.providers imports
    components.target.openstack's catalog) keeps its attributes: the submodules a run loaded
    must leave them too, or the next run reuses a module sys.modules no longer has."""
    package = tmp_path / "stale_pkg_for_synth"
    package.mkdir()
    (package / "__init__.py").write_text("")
    (package / "zone.py").write_text(STALE_COMPONENT)
    (tmp_path / "Pulumi.yaml").write_text("name: stale\nruntime: python\n")
    (tmp_path / "Pulumi.dev.yaml").write_text("config: {}\n")
    (tmp_path / "__main__.py").write_text(
        "from stale_pkg_for_synth import zone\n\nzone.Zone('hub')\n"
    )
    monkeypatch.syspath_prepend(str(tmp_path))
    monkeypatch.delitem(sys.modules, "stale_pkg_for_synth", raising=False)
    import stale_pkg_for_synth

    try:
        counts = [len(synthesize(tmp_path, "dev").resources) for _ in range(2)]
        assert counts == [2, 2]  # the stack and the component, both times
        assert not hasattr(stale_pkg_for_synth, "zone")
        assert "stale_pkg_for_synth.zone" not in sys.modules
    finally:
        sys.modules.pop("stale_pkg_for_synth", None)
