import pytest
from report_support import sample_run

from bascule.policy.result import PolicyRun


@pytest.fixture
def run() -> PolicyRun:
    return sample_run()
