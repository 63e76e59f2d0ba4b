"""Shapes shared by every JSON endpoint: the error body and the page of a list."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, Generic, TypeVar

from pydantic import BaseModel, Field

from assay.kit.pagination import PageParams, next_cursor

T = TypeVar("T")


class ErrorOut(BaseModel):
    error: str = Field(description="A stable machine-readable code, e.g. `not_found`.")
    detail: str = Field(description="What went wrong and what to do about it, for a person.")


class PageOut(BaseModel, Generic[T]):
    items: list[T]
    next_cursor: str | None = Field(
        description="Pass as `cursor` to get the next page; null on the last page."
    )


def page_of(rows: Sequence[Any], params: PageParams, convert: Callable[[Any], T]) -> PageOut[T]:
    page, cursor = next_cursor(rows, params)
    return PageOut[T](items=[convert(row) for row in page], next_cursor=cursor)


ERROR_RESPONSES: dict[int | str, dict[str, Any]] = {
    status: {"model": ErrorOut, "description": description}
    for status, description in {
        400: "Malformed request (e.g. invalid JSON or cursor)",
        401: "Missing, invalid or revoked credentials",
        403: "Your role may not do this, or the CSRF token is missing",
        404: "No such thing in your organization",
        409: "Conflicts with the current state",
        413: "Body over the size limit",
        415: "Body is not application/json",
        422: "The body or query failed validation",
        429: "Rate limited; see Retry-After",
    }.items()
}
