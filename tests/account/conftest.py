"""The audit's fixtures: a blank account on the session's moto server for every test, the audit's
own clients on it (built once), and a reader pinned to one day.

Ages are worked out against TODAY, 2026-12-04; keys are backdated through moto's backend (the
session's moto server runs in this process), since IAM has no API to date a key.
"""

from __future__ import annotations

import urllib.request

import pytest
from audit_world import REGION, TODAY

from reports.account.read import read_account
from reports.quick_clients import QuickClients


@pytest.fixture(scope="session")
def audit_clients(aws_endpoint) -> QuickClients:
    return QuickClients(REGION, aws_endpoint)


@pytest.fixture
def aws(aws_endpoint, audit_clients) -> QuickClients:
    """A blank account (every service emptied); the clients create the test's resources too."""
    urllib.request.urlopen(
        urllib.request.Request(f"{aws_endpoint}/moto-api/reset", method="POST"), timeout=10
    ).close()
    return audit_clients


@pytest.fixture
def read(aws):
    """Read the account as a run on TODAY does, for the app's function `app-fn`."""
    return lambda **options: read_account(aws, today=TODAY, function_name="app-fn", **options)
