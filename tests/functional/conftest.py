"""Functional fixtures on top of the shared ones: the raw handler, sample events, people, charters."""

from __future__ import annotations

import copy
import json
import logging
from pathlib import Path

import pytest

EVENTS = Path(__file__).resolve().parent.parent / "events"
SAIL = {"title": "Sunset sail", "entity": "jada", "date": "2031-06-14", "status": "inquiry"}


@pytest.fixture
def sample_event():
    """Return a fresh copy of one of tests/events/*.json."""
    loaded: dict[str, object] = {}

    def load(name: str):
        if name not in loaded:
            loaded[name] = json.loads((EVENTS / name).read_text())
        return copy.deepcopy(loaded[name])

    return load


@pytest.fixture
def add_user(api, admin_token):
    """Have the admin add a person through POST /api/users and sign them in; return their token."""

    def add(email: str, role: str) -> str:
        status, data, _ = api.call("POST", "/api/users", {"email": email, "role": role}, token=admin_token)
        assert status == 201, data
        return api.sign_in(email)

    return add


@pytest.fixture
def add_charter(api, admin_token):
    """Have the admin create a charter through POST /api/events; return it as stored."""

    def add(**fields) -> dict:
        status, data, _ = api.call("POST", "/api/events", {**SAIL, **fields}, token=admin_token)
        assert status == 201, data
        return data

    return add


@pytest.fixture
def quiet_cli_logging():
    """cli.main reconfigures the root logger; put it back for the tests that follow."""
    root = logging.getLogger()
    level, formatters = root.level, [handler.formatter for handler in root.handlers]
    yield
    root.setLevel(level)
    for handler, formatter in zip(root.handlers, formatters, strict=False):
        handler.setFormatter(formatter)
