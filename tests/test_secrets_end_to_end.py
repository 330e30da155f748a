"""A planted credential never shows: prod synthesized with a secret password, then every
output of every command (all formats, files and streams) scanned for the plaintext."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import yaml

from bascule.synth.crypt import encrypt, new_encryption_salt

ROOT = Path(__file__).resolve().parents[1]
PASSPHRASE = "bascule-secret-scan-passphrase"
PLANTED = "Planted-S3cret-9f1c2e7b"


def test_planted_secret_never_appears(tmp_path: Path) -> None:
    project = tmp_path / "project"  # outputs go next to it: a new file inside is a change
    project.mkdir()
    for name in ("Pulumi.yaml", "__main__.py", "components"):
        (project / name).symlink_to(ROOT / name)
    doc = yaml.safe_load((ROOT / "Pulumi.prod.yaml").read_text())
    salt, _ = new_encryption_salt(PASSPHRASE)
    doc["encryptionsalt"] = salt
    doc["config"]["bascule:openstackPassword"] = {"secure": encrypt(PASSPHRASE, salt, PLANTED)}
    doc["config"]["bascule:ovhApplicationSecret"] = {"secure": encrypt(PASSPHRASE, salt, PLANTED)}
    (project / "Pulumi.scan.yaml").write_text(yaml.safe_dump(doc))
    cache = tmp_path / "cache"  # the synth cache is an output too
    env = {
        **{k: v for k, v in os.environ.items() if k != "CI"},  # the cache is off in CI
        "PULUMI_CONFIG_PASSPHRASE": PASSPHRASE,
        "BASCULE_NO_CACHE": "",
        "BASCULE_CACHE_DIR": str(cache),
    }

    def run(*args: str) -> str:
        result = subprocess.run(
            [sys.executable, "-m", "bascule", *args], capture_output=True, text=True,
            cwd=project, env=env, timeout=600,
        )  # fmt: skip
        assert result.returncode in (0, 1), result.stderr
        return result.stdout + result.stderr

    snapshot = tmp_path / "scan.json"
    outputs = [run("synth", "Pulumi.scan.yaml", "-o", str(snapshot))]
    outputs.append(run("inventory", "Pulumi.scan.yaml"))  # answered from the cache
    assert "reusing" in outputs[-1]
    outputs.extend(entry.read_text() for entry in sorted(cache.iterdir()))
    assert "secretsprovider" not in outputs[0]  # synth ran; warnings are check's business
    text = snapshot.read_text()
    assert "4dabf18193072939515e22adb298388d" in text  # the secret travels as a Pulumi secret
    outputs.append(text)
    for fmt in ("text", "json"):
        outputs.append(run("check", str(snapshot), "--format", fmt, "--in-process"))
    for fmt in ("sarif", "junit", "matrix"):  # text and json: through check above
        outputs.append(run("policy", str(snapshot), "--format", fmt, "--in-process"))
    for fmt in ("text", "markdown", "html", "json"):
        outputs.append(run("parity", str(snapshot), "--format", fmt))
    for target in ("tfplan", "arm"):
        outputs.append(run("export", str(snapshot), "--to", target))
    outputs.append(run("inventory", str(snapshot), "--format", "json"))
    assert len(outputs) == 16
    for output in outputs:
        assert PLANTED not in output
