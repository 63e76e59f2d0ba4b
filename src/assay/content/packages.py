"""Sandbox checks of coding and SQL packages, delegated to the grading engine.

The engine (``assay.grading``) owns the package format and the sandbox; the content validator
only asks it to grade the reference, the starter and each mutant against the hidden tests and
judges the outcome: the reference passes everything, the starter and every mutant fail.
"""

from __future__ import annotations

import importlib
from pathlib import Path
from types import ModuleType

from assay.content.check import VerifierUnavailable


def _import_engine() -> tuple[ModuleType, ModuleType]:
    try:
        packages = importlib.import_module("assay.grading.packages")
        engine = importlib.import_module("assay.grading.engine")
    except ModuleNotFoundError as exc:
        raise VerifierUnavailable(
            f"the grading engine is not installed ({exc.name} not found)"
        ) from exc
    return packages, engine


class GradingEngineVerifier:
    """Verifies packages by grading their known solutions with ``assay.grading.engine``."""

    def __init__(self) -> None:
        self._packages, self._engine = _import_engine()

    def verify(self, package_dir: Path) -> list[str]:
        raise VerifierUnavailable(
            "assay.grading is present but the content validator is not yet wired to it"
        )
