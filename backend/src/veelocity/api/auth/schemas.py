from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field

from veelocity.models import UserRole


class UserOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    email: str
    role: UserRole
    is_active: bool
    created_at: datetime


class Credentials(BaseModel):
    model_config = ConfigDict(extra="forbid")

    email: str = Field(min_length=3, max_length=320, examples=["lead@example.com"])
    password: str = Field(min_length=1, max_length=1024)


class SetupStatus(BaseModel):
    needs_setup: bool = Field(description="True until the first admin account exists.")


class TokenResponse(BaseModel):
    access_token: str
    token_type: str = "bearer"  # noqa: S105  (the OAuth token type, not a secret)
    expires_in: int = Field(description="Seconds until the access token expires.")
    user: UserOut


class PasswordChange(BaseModel):
    model_config = ConfigDict(extra="forbid")

    current_password: str = Field(min_length=1, max_length=1024)
    new_password: str = Field(min_length=1, max_length=1024)
