"""What the API states in its OpenAPI schema about refusals: one error body for every 4xx/5xx.

Routes declare their refusals with ``responses=error_responses(s400="why", s401="why", …)`` so the
served ``/openapi.json`` names every status a route really answers (schemathesis checks it).
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field


class ApiError(BaseModel):
    """Every refusal: a stable code, a sentence in English and in Chinese, sometimes more fields."""

    model_config = ConfigDict(extra="allow")
    error: str = Field(description="stable code, e.g. bad_seq, unsigned, gap")
    message: str
    message_zh: str


def error_responses(**statuses: str) -> dict[int | str, dict[str, Any]]:
    """``error_responses(s400="bad date", s401="no login")`` → FastAPI ``responses=`` with the ApiError body."""
    return {int(code.lstrip("s")): {"model": ApiError, "description": why} for code, why in statuses.items()}
