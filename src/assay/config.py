"""Settings: the one place that reads the environment (prefix ``ASSAY_``)."""

from __future__ import annotations

import secrets
from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import Field, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

PROJECT_ROOT = Path(__file__).resolve().parents[2]


class Settings(BaseSettings):
    """Validated once at start-up; every component takes what it needs from here."""

    model_config = SettingsConfigDict(env_prefix="ASSAY_", extra="ignore")

    environment: Literal["development", "test", "production"] = "development"
    var_dir: Path = PROJECT_ROOT / "var"
    content_dir: Path = PROJECT_ROOT / "content"
    database_url: str = ""
    secret_key: str = ""
    base_url: str = "http://127.0.0.1:8000"
    host: str = "127.0.0.1"
    port: int = 8000

    # Queue: "embedded" keeps jobs in a SQLite file under var/; "redis" uses redis_url.
    queue_backend: Literal["embedded", "redis", "immediate"] = "embedded"
    redis_url: str = "redis://127.0.0.1:6379/0"

    # Grading: PostgreSQL-dialect SQL tasks clone throwaway databases through this admin DSN.
    grading_postgres_dsn: str = "postgresql://postgres@127.0.0.1:5432/postgres"

    # Rate limiting storage: "memory://" on one process, or a redis:// URL shared by many.
    rate_limit_storage: str = "memory://"
    login_attempts_per_account: str = "10/15 minutes"
    login_attempts_per_ip: str = "50/15 minutes"

    max_body_bytes: int = Field(default=2 * 1024 * 1024, ge=1024)
    session_days: int = Field(default=14, ge=1)

    # Mail: SMTP when smtp_host is set, otherwise the in-app outbox.
    smtp_host: str = ""
    smtp_port: int = 587
    smtp_username: str = ""
    smtp_password: str = ""
    smtp_starttls: bool = True
    mail_from: str = "Assay <no-reply@assay.local>"

    @field_validator("var_dir")
    @classmethod
    def _absolute(cls, value: Path) -> Path:
        return value.resolve()

    @model_validator(mode="after")
    def _production_has_secrets(self) -> Settings:
        # Fail at start-up, not at the first log-in: production never falls back to a default.
        if self.environment == "production" and len(self.secret_key) < 32:
            raise ValueError("ASSAY_SECRET_KEY must be set (32+ characters) in production")
        return self

    @property
    def effective_database_url(self) -> str:
        """The configured URL, or the embedded SQLite file under var/."""
        return self.database_url or f"sqlite:///{self.var_dir / 'assay.db'}"

    @property
    def secure_cookies(self) -> bool:
        return self.base_url.startswith("https://")

    def effective_secret_key(self) -> str:
        """The configured secret; outside production one is generated once and kept in var/."""
        if self.secret_key:
            return self.secret_key
        if self.environment == "production":
            raise RuntimeError("ASSAY_SECRET_KEY must be set in production")
        path = self.var_dir / "secret_key"
        if not path.exists():
            self.var_dir.mkdir(parents=True, exist_ok=True)
            path.write_text(secrets.token_urlsafe(48))
            path.chmod(0o600)
        return path.read_text().strip()


@lru_cache
def get_settings() -> Settings:
    return Settings()
