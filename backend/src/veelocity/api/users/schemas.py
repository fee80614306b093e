from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field, StrictBool

from veelocity.api.auth.schemas import UserOut
from veelocity.models import UserRole


class UserList(BaseModel):
    items: list[UserOut]


class NewUser(BaseModel):
    model_config = ConfigDict(extra="forbid")

    email: str = Field(min_length=3, max_length=320)
    password: str = Field(min_length=1, max_length=1024)
    role: UserRole = UserRole.VIEWER


class UserChange(BaseModel):
    """Only role and active state can change; any other field is refused."""

    model_config = ConfigDict(extra="forbid")

    role: UserRole | None = None
    # Strict: 0, 1, "true" or "no" are refused rather than guessed at.
    is_active: StrictBool | None = None
