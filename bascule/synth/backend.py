"""Where a stack keeps its state and its secrets' key: sovereignty applies to both.

Pure: `backend_warnings` takes the parsed Pulumi.yaml, the parsed stack file and the
environment, and returns one line per concern (printed as warnings by `bascule check`).

The secrets key follows the engine's choice (pulumi/pulumi, `getStackSecretsManager`): a KMS
URL in `secretsprovider` is that KMS; otherwise an `encryptionsalt` means the passphrase
provider; otherwise the backend's default: the passphrase provider on a file or bucket
backend, the service's own key manager on a Pulumi Cloud backend. So `secretsprovider:
passphrase` without a salt does not keep the key away from Pulumi Cloud.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

PULUMI_CLOUD = ("https://api.pulumi.com", "https://app.pulumi.com", "app.pulumi.com")
# Key services run by non-EU hyperscalers: the stack's secrets would depend on them.
FOREIGN_KMS = ("awskms://", "azurekeyvault://", "gcpkms://")
# Backends where the engine's default secrets provider is the passphrase one.
DIY_BACKENDS = ("file://", "s3://", "azblob://", "gs://", "postgres://")
LOGIN_HINT = "`pulumi login --local` or an S3 bucket on the sovereign provider"


def backend_warnings(
    project: Mapping[str, Any], stack_file: str, stack: Mapping[str, Any], env: Mapping[str, str]
) -> list[str]:
    warnings: list[str] = []
    backend = env.get("PULUMI_BACKEND_URL") or (project.get("backend") or {}).get("url") or ""
    if not backend:
        warnings.append(
            "state backend not declared (Pulumi.yaml backend.url or PULUMI_BACKEND_URL): the "
            "Pulumi CLI uses the one of your last `pulumi login`, Pulumi Cloud if none; use "
            f"{LOGIN_HINT}"
        )
    elif backend.rstrip("/").startswith(PULUMI_CLOUD):
        warnings.append(f"state backend {backend} is Pulumi Cloud: use {LOGIN_HINT}")
    provider = str(stack.get("secretsprovider") or "")
    if provider.startswith(FOREIGN_KMS):
        warnings.append(
            f"{stack_file}: secretsprovider {provider.split('://')[0]}:// is a non-EU KMS"
        )
    elif (
        "://" not in provider
        and not stack.get("encryptionsalt")
        and not backend.startswith(DIY_BACKENDS)
    ):
        warnings.append(
            f"{stack_file}: no encryptionsalt, so the secrets key is the backend's default "
            "(the Pulumi Cloud service would hold it): create the stack with "
            "`--secrets-provider passphrase`"
        )
    return warnings
