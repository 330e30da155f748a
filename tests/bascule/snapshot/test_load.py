"""Loading stack exports and preview --json into the same model; bad input is one line."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from bascule.errors import BadInputError
from bascule.snapshot.load import load_snapshot, parse_snapshot
from bascule.snapshot.model import SECRET_SIG, SIG_KEY, UNKNOWN, SecretValue, Snapshot
from bascule.snapshot.write import dump_snapshot, write_snapshot

DATA = Path(__file__).resolve().parents[2] / "data" / "snapshots"
EXPORT = DATA / "export-small.json"
PREVIEW = DATA / "preview-small.json"
CIPHERTEXT = "v1:sHA1duJZQTZQ4Hy9://8AmNovePLqHj9vwplobFvD+MBFticRLAd60nzkJX1n7ab8"


def _modulo_unknowns(preview: Any, export: Any) -> Any:
    """`export` with every place the preview did not know yet replaced by UNKNOWN."""
    if preview == UNKNOWN:
        return UNKNOWN
    if isinstance(preview, SecretValue) and isinstance(export, SecretValue):
        return preview  # the preview has no ciphertext
    if isinstance(preview, dict) and isinstance(export, dict):
        return {k: _modulo_unknowns(preview.get(k), v) for k, v in export.items()}
    return export


def test_export_and_preview_load_into_the_same_model() -> None:
    export, preview = load_snapshot(EXPORT), load_snapshot(PREVIEW)
    assert (export.kind, preview.kind) == ("export", "preview")
    assert (export.project, export.stack) == (preview.project, preview.stack) == ("bascule", "dev")
    assert [r.urn for r in export] == [r.urn for r in preview]
    for e, p in zip(export, preview, strict=True):
        assert (e.type, e.custom, e.parent, e.provider_urn) == (
            p.type,
            p.custom,
            p.parent,
            p.provider_urn,
        )
        assert p.inputs == _modulo_unknowns(p.inputs, dict(e.inputs)), e.urn
    container = next(r for r in preview if r.type.endswith("Container"))
    assert container.inputs["storagePolicy"] == UNKNOWN


def test_secrets_keep_ciphertext_only() -> None:
    export, preview = load_snapshot(EXPORT), load_snapshot(PREVIEW)
    provider = export.by_urn()["urn:pulumi:dev::bascule::pulumi:providers:openstack::openstack"]
    assert provider.inputs["password"] == SecretValue(ciphertext=CIPHERTEXT)
    assert export.provider_of(export.resources[2]) == provider
    assert isinstance(preview.resources[1].inputs["password"], SecretValue)


def test_show_secrets_plaintext_is_dropped(tmp_path: Path) -> None:
    doc = json.loads(EXPORT.read_text())
    provider = doc["deployment"]["resources"][1]
    provider["inputs"]["password"] = {SIG_KEY: SECRET_SIG, "plaintext": '"hunter2-plain"'}
    provider["outputs"]["password"] = {SIG_KEY: SECRET_SIG, "value": "hunter2-plain"}
    snapshot = parse_snapshot(doc, "x.json")
    assert snapshot.resources[1].inputs["password"] == SecretValue()
    assert "hunter2" not in repr(snapshot)
    out = tmp_path / "out.json"
    write_snapshot(snapshot, out)
    assert "hunter2" not in out.read_text()


def test_dump_load_round_trip(tmp_path: Path) -> None:
    export = load_snapshot(EXPORT)
    out = tmp_path / "again.json"
    write_snapshot(export, out)
    again = load_snapshot(out)
    assert again.resources == export.resources
    assert dump_snapshot(again)["deployment"]["resources"][1]["inputs"]["password"] == {
        SIG_KEY: SECRET_SIG,
        "ciphertext": CIPHERTEXT,
    }


def test_preview_replace_and_delete_steps() -> None:
    doc = json.loads(PREVIEW.read_text())
    net = doc["steps"][2]
    doc["steps"].append(
        {
            "op": "delete",
            "urn": "urn:pulumi:dev::bascule::a:b:C::gone",
            "oldState": {"urn": "urn:pulumi:dev::bascule::a:b:C::gone", "type": "a:b:C"},
        }
    )
    doc["steps"].append({"op": "same", "urn": net["urn"], "oldState": net["newState"]})
    snapshot = parse_snapshot(doc, "p.json")
    assert len(snapshot) == 6
    assert all(not r.urn.endswith("::gone") for r in snapshot)


def _err(data: Any) -> str:
    with pytest.raises(BadInputError) as info:
        parse_snapshot(data, "snap.json")
    assert info.value.exit_code == 2
    assert "\n" not in info.value.message
    return info.value.message


def test_bad_documents_give_one_line_errors(tmp_path: Path) -> None:
    bad = tmp_path / "snap.json"
    bad.write_text("[\n  1,\n    ]")
    with pytest.raises(BadInputError) as info:
        load_snapshot(bad)
    assert info.value.message == "snap.json: not JSON (line 3, column 5: Expecting value)"
    assert (
        _err({"version": 7, "deployment": {}})
        == "snap.json: unsupported stack export version 7 (bascule reads versions 1, 2, 3 and 4)"
    )
    assert _err({"version": 3}) == 'snap.json: missing "deployment"'
    assert _err([1, 2]) == (
        "snap.json: not a Pulumi stack export, state checkpoint, preview --json or engine "
        "event stream"
    )
    resources: list[Any] = [
        {"urn": f"urn:pulumi:s::p::t:m:T::r{i}", "type": "t:m:T"} for i in range(4)
    ]
    resources.append({"type": "t:m:T"})
    assert _err({"version": 3, "deployment": {"resources": resources}}) == (
        'snap.json: resources[4]: missing "urn"'
    )
    with pytest.raises(BadInputError, match=r"^nope\.json: no such file$"):
        load_snapshot(tmp_path / "nope.json")


def test_model_helpers_on_loaded_export() -> None:
    export: Snapshot = load_snapshot(EXPORT)
    account = export.resources[-1]
    assert account.package == "azure-native"
    provider = export.provider_of(account)
    assert provider is not None and provider.inputs["location"] == "francecentral"
