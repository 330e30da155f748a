"""Accepted gaps travel in the stack's `parityAccepted` output; bad entries are one line."""

from __future__ import annotations

from typing import Any

import pytest

from bascule.errors import BadInputError
from bascule.parity.accepted import accepted_gaps
from bascule.parity.diff import AcceptedGap
from bascule.snapshot.model import ROOT_STACK_TYPE, Resource, Snapshot


def snapshot_with(outputs: dict[str, Any]) -> Snapshot:
    root = Resource("urn:pulumi:dev::bascule::pulumi:pulumi:Stack::bascule-dev", ROOT_STACK_TYPE,
                    custom=False, outputs=outputs)  # fmt: skip
    return Snapshot((root,), "dev.json", "export", "bascule", "dev")


def test_read_from_stack_outputs() -> None:
    outputs = {
        "parityAccepted": [
            {"object": "enclave/gpu-001", "fields": ["gpu"], "reason": "A100 quota in wave 4"},
            {"object": "key/snds-cmk", "reason": "rotation handled by the KMS policy"},
        ]
    }
    assert accepted_gaps(snapshot_with(outputs)) == [
        AcceptedGap("enclave/gpu-001", "A100 quota in wave 4", ("gpu",)),
        AcceptedGap("key/snds-cmk", "rotation handled by the KMS policy"),
    ]
    assert accepted_gaps(snapshot_with({})) == []


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ({"x": 1}, "dev.json: output parityAccepted is not a list"),
        (["x"], "dev.json: output parityAccepted[0]: not an object"),
        (
            [{"object": "gpu-001", "reason": "r"}],
            "dev.json: output parityAccepted[0].object: expected '<capability>/<name>', "
            "got 'gpu-001'",
        ),
        (
            [{"object": "enclave/a", "reason": "  "}],
            "dev.json: output parityAccepted[0].reason: a written reason is required",
        ),
        (
            [{"object": "enclave/a", "reason": "ok", "fields": "gpu"}],
            "dev.json: output parityAccepted[0].fields: expected a list of field names",
        ),
    ],
)
def test_bad_entries(value: Any, message: str) -> None:
    with pytest.raises(BadInputError) as err:
        accepted_gaps(snapshot_with({"parityAccepted": value}))
    assert err.value.message == message
    assert err.value.exit_code == 2


def test_a_pattern_accepts_its_fields_weaknesses_only() -> None:
    from bascule.parity.diff import AcceptedGap
    from bascule.parity.model import Capability, FieldDiff, Gap, GapKind

    weaker, stronger = GapKind.WEAKER, GapKind.STRONGER
    pattern = AcceptedGap("enclave/*", "manual evidence filed", ("encrypted",))

    def gap(name: str, **fields: GapKind) -> Gap:
        diffs = {f: FieldDiff(1, 0, kind) for f, kind in fields.items()}
        return Gap(GapKind.WEAKER, Capability.ENCLAVE, name, diffs)

    assert pattern.covers(gap("gpu-001", encrypted=weaker))
    assert pattern.covers(gap("gpu-001", encrypted=weaker, ramGb=stronger))
    assert not pattern.covers(gap("gpu-001", encrypted=weaker, publicIp=weaker))
    assert not pattern.covers(gap("gpu-001", ramGb=stronger))  # nothing weaker to accept
    assert not AcceptedGap("enclave/gpu-*", "r", ("encrypted",)).covers(
        gap("pilot-001", encrypted=weaker)
    )
    # The capability is part of the pattern: a dataset is not an enclave.
    assert not pattern.covers(
        Gap(GapKind.WEAKER, Capability.DATASET, "x", {"encrypted": FieldDiff(1, 0, weaker)})
    )
