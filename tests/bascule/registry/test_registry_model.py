"""An offer's standing on a date: visa days inclusive, the warning window, every status."""

from __future__ import annotations

import datetime as dt

import pytest

from bascule.registry.load import BUNDLED, load_registry
from bascule.registry.model import Standing, status_on

D = dt.date


def offer(offer_id: str):  # type: ignore[no-untyped-def]
    return load_registry(BUNDLED).by_id[offer_id]


@pytest.mark.parametrize(
    ("on", "standing", "days_left"),
    [
        (D(2026, 7, 30), Standing.NOT_YET, None),  # the day before the decision
        (D(2026, 7, 31), Standing.QUALIFIED, 1096),  # the decision day
        (D(2026, 12, 1), Standing.QUALIFIED, 973),
        (D(2029, 1, 31), Standing.QUALIFIED, 181),
        (D(2029, 2, 1), Standing.EXPIRING, 180),  # window edge, included
        (D(2029, 7, 31), Standing.EXPIRING, 0),  # the visa's last day
        (D(2029, 8, 1), Standing.EXPIRED, None),
    ],
)
def test_snc_cloud_platform_before_during_and_after_its_visa(
    on: dt.date, standing: Standing, days_left: int | None
) -> None:
    status = status_on(offer("ovhcloud-snc-cloud-platform"), on, 180)
    assert (status.standing, status.days_left) == (standing, days_left)


def test_other_statuses() -> None:
    on = D(2026, 12, 1)
    assert status_on(offer("ovhcloud-public-cloud"), on, 180).standing is Standing.NONE
    assert status_on(offer("scaleway-cloud"), on, 180).standing is Standing.IN_PROGRESS
    assert status_on(offer("worldline-cloud"), on, 180).standing is Standing.UNKNOWN
    assert status_on(offer("outscale-iaas"), on, 180).standing is Standing.EXPIRED
    assert status_on(offer("outscale-iaas"), D(2026, 11, 30), 180).standing is Standing.EXPIRING


def test_visa_text() -> None:
    assert offer("ovhcloud-snc-cloud-platform").visa_text() == "valid 2026-07-31 to 2029-07-31"
    assert offer("scaleway-cloud").visa_text() == "in qualification, stage J0 since 2025-01-08"
    assert offer("ovhcloud-public-cloud").visa_text() == "not qualified"
    assert offer("worldline-cloud").visa_text() == "status unknown"
