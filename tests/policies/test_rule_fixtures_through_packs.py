"""Every rule's committed fixtures through the real packs and the analyzer gRPC protocol.

The pure-function tests (tests/bascule/rules) assert the same expected.json files: the two
paths must agree violation for violation, as `pulumi preview --policy-pack` would report.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from bascule.policy.runner import DEFAULT_PACKS, PolicySession
from bascule.rules.base import Rule
from bascule.rules.catalog import ALL_RULES
from bascule.snapshot.load import load_snapshot

DATA = Path(__file__).resolve().parents[1] / "data" / "rules"
TODAY = dt.date(2026, 11, 24)


@pytest.fixture(scope="module", params=["grpc", "in-process"])
def session(request: pytest.FixtureRequest) -> Iterator[PolicySession]:
    # Both paths must give exactly the expected violations: the packs' processes over gRPC
    # (as `pulumi preview`) and the same servicers called in-process (`--in-process`).
    in_process = request.param == "in-process"
    with PolicySession(DEFAULT_PACKS, project="bascule", stack="dev", in_process=in_process) as s:
        yield s


def _config_file(rule: Rule, tmp_path: Path) -> list[Path]:
    params = DATA / rule.id / "config.json"
    if not params.exists():
        return []
    file = tmp_path / "policy-config.json"
    file.write_text(json.dumps({rule.policy_name: json.loads(params.read_text())}))
    return [file]


def _found(session: PolicySession, rule: Rule, fixture: str, tmp_path: Path) -> list[tuple]:
    snapshot = load_snapshot(DATA / rule.id / fixture)
    run = session.run(snapshot, config_files=_config_file(rule, tmp_path), today=TODAY)
    return sorted(
        (v.urn, v.level, v.message) for v in run.violations if v.policy == rule.policy_name
    )


# "" is fail.json/pass.json/expected.json; "-scaleway" a second stack's fixtures, and so on.
CASES = [
    (rule, variant)
    for rule in ALL_RULES
    for variant in ["", *sorted(f.stem[4:] for f in (DATA / rule.id).glob("fail-*.json"))]
]
CASE_IDS = [f"{rule.id}{variant}" for rule, variant in CASES]


@pytest.mark.parametrize(("rule", "variant"), CASES, ids=CASE_IDS)
def test_fail_fixture_through_grpc(
    session: PolicySession, rule: Rule, variant: str, tmp_path: Path
) -> None:
    expected = json.loads((DATA / rule.id / f"expected{variant}.json").read_text())
    level = str(rule.enforcement)
    assert _found(session, rule, f"fail{variant}.json", tmp_path) == sorted(
        (e["urn"], level, e["message"]) for e in expected
    )


@pytest.mark.parametrize(("rule", "variant"), CASES, ids=CASE_IDS)
def test_pass_fixture_through_grpc(
    session: PolicySession, rule: Rule, variant: str, tmp_path: Path
) -> None:
    assert _found(session, rule, f"pass{variant}.json", tmp_path) == []
