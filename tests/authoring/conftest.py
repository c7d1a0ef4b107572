"""Fixtures for the authoring command's tests: a mutable copy of the small valid course."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest

FIXTURES = Path(__file__).parent.parent / "fixtures"
GOOD_COURSE = FIXTURES / "courses" / "good"


@pytest.fixture
def good_course(tmp_path) -> Path:
    """A fresh copy of the small valid course that a test may change."""
    target = tmp_path / "content"
    shutil.copytree(GOOD_COURSE, target)
    return target
