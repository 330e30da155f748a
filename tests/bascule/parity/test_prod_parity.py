"""Parity on the synthesized prod stack: at parity as built, and each break is found alone."""

from __future__ import annotations

from dataclasses import replace

from bascule.parity.accepted import accepted_gaps
from bascule.parity.diff import ParityOptions, parity
from bascule.parity.model import ParityReport
from bascule.snapshot.model import Snapshot

TARGET = "urn:pulumi:prod::bascule::bascule:target:Estate$"


def blocking(report: ParityReport) -> list[tuple[str, str, dict]]:
    return [
        (str(g.kind), g.object, {k: (d.source, d.target) for k, d in g.fields.items()})
        for g in report.blocking
    ]


def test_prod_estates_are_at_parity(prod_snapshot: Snapshot) -> None:
    # With the gaps the stack accepts (the target's KMS keys do not rotate by themselves).
    options = ParityOptions(accepted=tuple(accepted_gaps(prod_snapshot)))
    report = parity(prod_snapshot, prod_snapshot, options)
    assert blocking(report) == []
    assert sorted(g.object for g in report.gaps if g.accepted_reason) == [
        "key/datasets-cmk", "key/disks-cmk", "key/pseudo-keys", "key/snds-cmk"
    ]  # fmt: skip
    assert sum(p.capability == "enclave" for p in report.pairs) == 321
    assert all(p.source is not None and p.target is not None for p in report.pairs)


def test_deleted_target_enclave_is_exactly_one_missing(prod_snapshot: Snapshot) -> None:
    component = TARGET + "bascule:target:Enclave::bulk-042"
    kept = tuple(r for r in prod_snapshot.resources if r.urn != component and r.parent != component)
    # The component and its 9 resources (bulk-042 opens two ports: one more rule).
    assert len(prod_snapshot.resources) - len(kept) == 10
    options = ParityOptions(accepted=tuple(accepted_gaps(prod_snapshot)))
    report = parity(prod_snapshot, replace(prod_snapshot, resources=kept), options)
    assert blocking(report) == [("missing", "enclave/bulk-042", {})]


def test_weakened_target_dataset_is_exactly_one_weaker(prod_snapshot: Snapshot) -> None:
    container = (
        TARGET + "bascule:target:ObjectStorage$openstack:objectstorage/container:Container::"
        "snds-copy-container"
    )

    def weaken(resource):  # type: ignore[no-untyped-def]
        if resource.urn != container:
            return resource
        inputs = {**resource.inputs, "containerRead": ".r:*"}
        outputs = {**resource.outputs, "containerRead": ".r:*"}
        return replace(resource, inputs=inputs, outputs=outputs)

    weakened = replace(prod_snapshot, resources=tuple(map(weaken, prod_snapshot.resources)))
    report = parity(
        prod_snapshot, weakened, ParityOptions(accepted=tuple(accepted_gaps(prod_snapshot)))
    )
    assert blocking(report) == [("weaker", "dataset/snds-copy", {"publicAccess": (False, True)})]
