"""Where a stack keeps its state and its secrets' key: sovereignty applies to both.

Pure: `backend_warnings` takes the parsed Pulumi.yaml, the parsed stack file and the
environment, and returns one line per concern (printed as warnings by `bascule check`).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

PULUMI_CLOUD = ("https://api.pulumi.com", "https://app.pulumi.com", "app.pulumi.com")
# Key services run by non-EU hyperscalers: the stack's secrets would depend on them.
FOREIGN_KMS = ("awskms://", "azurekeyvault://", "gcpkms://")


def backend_warnings(
    project: Mapping[str, Any], stack_file: str, stack: Mapping[str, Any], env: Mapping[str, str]
) -> list[str]:
    warnings: list[str] = []
    backend = env.get("PULUMI_BACKEND_URL") or (project.get("backend") or {}).get("url") or ""
    if not backend or backend.rstrip("/").startswith(PULUMI_CLOUD):
        where = backend or "not set in Pulumi.yaml or PULUMI_BACKEND_URL (defaults to Pulumi Cloud)"
        warnings.append(
            f"state backend {where}: use `pulumi login --local` or an S3 bucket on the "
            "sovereign provider"
        )
    provider = str(stack.get("secretsprovider") or "")
    if provider.startswith(FOREIGN_KMS):
        warnings.append(
            f"{stack_file}: secretsprovider {provider.split('://')[0]}:// is a non-EU KMS"
        )
    elif not provider and "encryptionsalt" not in stack:
        warnings.append(
            f"{stack_file}: no secrets provider (the Pulumi Cloud service would hold the key): "
            "create the stack with `--secrets-provider passphrase`"
        )
    return warnings
