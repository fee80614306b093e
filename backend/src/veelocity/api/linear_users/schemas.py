"""Linear user payloads: who each Linear user is among Veelocity's developers, and how we know."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from veelocity.api.ids import RowId

#: "email": the developer with the same e-mail address; "chosen": an admin picked the developer
#: (or picked nobody) in People, and later syncs keep that choice; "none": no developer matches.
MatchKind = Literal["email", "chosen", "none"]


class DeveloperChoice(BaseModel):
    id: int
    login: str
    name: str | None


class LinearUserOut(BaseModel):
    id: int
    name: str
    display_name: str | None
    email: str | None
    active: bool
    developer: DeveloperChoice | None = Field(
        description="The Veelocity developer this Linear user is; null when none."
    )
    matched_by: MatchKind = Field(
        description=(
            "How the developer was found: `email` (same address), `chosen` (an admin's choice, "
            "which syncs keep, including choosing nobody) or `none`."
        )
    )


class LinearUserList(BaseModel):
    items: list[LinearUserOut] = Field(description="Linear users, by name.")
    developers: list[DeveloperChoice] = Field(
        description="The developers (bots left out) an admin can choose from, by login."
    )


class DeveloperOverride(BaseModel):
    """The developer a Linear user is, chosen by hand; null says the user is no developer."""

    model_config = ConfigDict(extra="forbid")

    developer_id: RowId | None
