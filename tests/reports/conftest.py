"""Fixtures for the knowledge-base tests: the small hand-checked portfolio and the sample."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from reports import kb

FIXTURE = Path(__file__).parent / "fixtures" / "small"
SAMPLE = Path(__file__).resolve().parents[2] / "examples" / "portfolio"


@pytest.fixture
def fixture_dir() -> Path:
    return FIXTURE


@pytest.fixture(scope="session")
def sample() -> kb.Loaded:
    """The sample portfolio, loaded once: it is read-only."""
    return kb.load(str(SAMPLE))


@pytest.fixture
def broken_copy(tmp_path) -> Callable[[str, Callable[[str], str]], Path]:
    """Return a function that copies the fixture and rewrites one file of the copy."""

    def make(file: str, edit: Callable[[str], str]) -> Path:
        root = tmp_path / "kb"
        shutil.copytree(FIXTURE, root)
        path = root / file
        path.write_text(edit(path.read_text() if path.exists() else ""))
        return root

    return make
