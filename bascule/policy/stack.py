"""What the engine tells a policy pack about the stack: project, stack, organisation, tags,
dry run and the stack's config (`PolicyAnalyzerOptions` in pulumi's engine).

The engine hands a pack the stack config *decrypted* (`target.Config.Decrypt` in
`pkg/engine/update.go`): in the `PULUMI_CONFIG` environment variable, which is where
pulumi_policy's Python packs read it, and in `ConfigureStack` with the list of secret keys.
bascule does the same (see the README, "Stack config and secrets"), except that the values
travel to the pack process over a pipe instead of its initial environment.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from pulumi.runtime.proto import analyzer_pb2

from bascule.errors import BadInputError
from bascule.snapshot.model import Snapshot
from bascule.synth.config import load_stack_config, read_project

# The diy (local file or bucket) backend's organisation: pkg/backend/diy/state.go.
DIY_ORGANIZATION = "organization"


@dataclass(frozen=True)
class StackContext:
    project: str
    stack: str
    organization: str = DIY_ORGANIZATION
    config: Mapping[str, str] = field(default_factory=dict)  # "<ns>:<key>" -> value (plain)
    secret_keys: tuple[str, ...] = ()
    dry_run: bool = False
    tags: Mapping[str, str] = field(default_factory=dict)

    def process_env(self) -> dict[str, str]:
        """The variables the engine sets for a pack (`constructEnv`), without the config."""
        return {
            "PULUMI_ORGANIZATION": self.organization,
            "PULUMI_PROJECT": self.project,
            "PULUMI_STACK": self.stack,
            "PULUMI_DRY_RUN": "true" if self.dry_run else "false",
        }

    def config_env(self) -> dict[str, str]:
        """`PULUMI_CONFIG` as the engine sets it: the JSON map, only when there is config."""
        if not self.config:
            return {}
        return {"PULUMI_CONFIG": json.dumps(dict(self.config), separators=(",", ":"))}

    def configure_stack_request(self) -> analyzer_pb2.AnalyzerStackConfigureRequest:
        return analyzer_pb2.AnalyzerStackConfigureRequest(
            stack=self.stack,
            project=self.project,
            organization=self.organization,
            dry_run=self.dry_run,
            config=dict(self.config),
            config_secret_keys=list(self.secret_keys),
            tags=dict(self.tags),
        )


def snapshot_context(
    snapshot: Snapshot,
    config: Mapping[str, str] | None = None,
    secret_keys: Sequence[str] = (),
    project: str | None = None,
    tags: Mapping[str, str] | None = None,
) -> StackContext:
    """The context of a run on `snapshot`: names from its URNs unless given, dry run for a
    preview (the engine's `opts.DryRun`), the config given (none: the pack sees none)."""
    return StackContext(
        project=project or snapshot.project or "bascule",
        stack=snapshot.stack or "offline",
        config=dict(config or {}),
        secret_keys=tuple(secret_keys),
        dry_run=snapshot.kind == "preview",
        tags=dict(tags or {}),
    )


def read_stack_config(stack_file: str | Path) -> tuple[str, str, dict[str, str], list[str]]:
    """`Pulumi.<stack>.yaml` and the `Pulumi.yaml` beside it, read and decrypted as synth
    reads them: (project, stack, config, secret keys). One-line errors (exit 2)."""

    path = Path(stack_file)
    name = path.name
    if not (name.startswith("Pulumi.") and name.endswith((".yaml", ".yml"))):
        raise BadInputError(f"{stack_file}: --stack-config wants a Pulumi.<stack>.yaml file")
    if not path.is_file():
        raise BadInputError(f"{stack_file}: no such stack file")
    stack = name[len("Pulumi.") :].rsplit(".", 1)[0]
    project = read_project(path.resolve().parent)
    config, secret_keys = load_stack_config(project, stack)
    return project.name, stack, config, secret_keys
