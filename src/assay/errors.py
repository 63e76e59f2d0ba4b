"""The error hierarchy: every expected failure carries a code, an HTTP status and a message."""

from __future__ import annotations


class AppError(Exception):
    """An expected failure, rendered as ``{"error": code, "detail": message}``."""

    code = "error"
    status = 400

    def __init__(self, message: str, *, code: str | None = None, status: int | None = None):
        super().__init__(message)
        self.message = message
        if code is not None:
            self.code = code
        if status is not None:
            self.status = status


class ValidationFailed(AppError):
    code = "validation_error"
    status = 422


class BadRequest(AppError):
    code = "bad_request"
    status = 400


class NotAuthenticated(AppError):
    code = "not_authenticated"
    status = 401


class PermissionDenied(AppError):
    code = "forbidden"
    status = 403


class NotFound(AppError):
    code = "not_found"
    status = 404


class Conflict(AppError):
    code = "conflict"
    status = 409


class Gone(AppError):
    code = "gone"
    status = 410


class PayloadTooLarge(AppError):
    code = "payload_too_large"
    status = 413


class UnsupportedMediaType(AppError):
    code = "unsupported_media_type"
    status = 415


class RateLimited(AppError):
    code = "rate_limited"
    status = 429

    def __init__(self, message: str, *, retry_after: int):
        super().__init__(message)
        self.retry_after = retry_after


class ServiceUnavailable(AppError):
    code = "unavailable"
    status = 503
