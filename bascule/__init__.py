"""bascule: Azure to SecNumCloud migration as code (Pulumi estates, policy packs, parity)."""

from importlib import metadata


def _version() -> str:
    try:
        return metadata.version("bascule")
    except metadata.PackageNotFoundError:  # run from a source tree that was never installed
        return "0+unknown"


__version__ = _version()
