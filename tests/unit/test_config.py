"""Settings refuse to start production without a real secret key."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from assay.config import Settings


@pytest.mark.parametrize("secret", ["", "short"])
def test_production_refuses_a_missing_or_weak_secret_key(secret: str) -> None:
    with pytest.raises(ValidationError, match="ASSAY_SECRET_KEY"):
        Settings(environment="production", secret_key=secret)


def test_production_starts_with_a_real_secret_key() -> None:
    settings = Settings(environment="production", secret_key="k" * 48)
    assert settings.effective_secret_key() == "k" * 48


def test_development_may_generate_its_own_secret() -> None:
    assert Settings(environment="development", secret_key="").environment == "development"
