"""Shared fixtures of the grading-engine tests: the example packages and one sandbox."""

from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

import pytest

from assay.grading.packages import TaskPackage, load_package
from assay.grading.sandbox import Sandbox

ROOT = Path(__file__).resolve().parents[4]


@pytest.fixture(scope="session")
def sandbox() -> Sandbox:
    return Sandbox()


def package_at(relative: str, **manifest_changes: object) -> TaskPackage:
    """Load a package; optionally tighten its manifest (smaller limits keep tests fast)."""
    package = load_package(ROOT / relative)
    if manifest_changes:
        package = replace(package, manifest=package.manifest.model_copy(update=manifest_changes))
    return package


@pytest.fixture(scope="session")
def load_task() -> Callable[..., TaskPackage]:
    return package_at
