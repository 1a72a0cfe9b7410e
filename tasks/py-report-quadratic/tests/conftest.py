import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import signal

import pytest


@pytest.fixture
def time_budget():
    """Fail (rather than hang) when a call takes longer than ``seconds``."""

    def _expired(signum, frame):
        raise TimeoutError("report took longer than its time budget")

    def arm(seconds):
        signal.signal(signal.SIGALRM, _expired)
        signal.alarm(seconds)

    yield arm
    signal.alarm(0)
    signal.signal(signal.SIGALRM, signal.SIG_DFL)
