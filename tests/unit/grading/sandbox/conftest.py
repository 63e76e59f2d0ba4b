"""Fixtures for the sandbox tests."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from tests.sandbox_traces import leftover_cgroups


@pytest.fixture
def cgroups_left() -> Callable[[str], list[Path]]:
    return leftover_cgroups
