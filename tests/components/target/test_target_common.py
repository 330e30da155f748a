"""Provider-independent helpers of the target tenancy."""

from __future__ import annotations

from components.config.model import EnclaveSize
from components.target.common import flavor_name


def test_flavor_names() -> None:
    assert flavor_name(EnclaveSize(vcpu=4, ram_gb=16, disk_gb=100)) == "snc.4c16g"
    assert flavor_name(EnclaveSize(vcpu=8, ram_gb=64, gpu=2, disk_gb=100)) == "snc.8c64g-gpu2"
