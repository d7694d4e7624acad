from __future__ import annotations

from datetime import datetime

from ninja import Schema
from pydantic import Field, field_validator

from headway.accounts.models import Function, Role


class TokenIn(Schema):
    username: str = Field(min_length=1, max_length=150)
    password: str = Field(min_length=1, max_length=1000)


class TokenOut(Schema):
    token: str


class WorkspaceIn(Schema):
    name: str = Field(min_length=1, max_length=120)


class WorkspaceOut(Schema):
    id: int
    name: str
    slug: str
    role: str | None = None
    created: datetime


class MemberIn(Schema):
    username: str = Field(min_length=1, max_length=150)
    role: Role = Role.VIEWER
    function: Function | None = None


class MemberPatch(Schema):
    role: Role | None = None
    function: str | None = Field(
        None,
        description="The member's team: " + ", ".join(Function.values) + '; "" clears it.',
    )

    @field_validator("function")
    @classmethod
    def known_function(cls, value: str | None) -> str | None:
        if value not in (None, "", *Function.values):
            raise ValueError(f'Choose one of {", ".join(Function.values)}, or "" for none.')
        return value


class MemberOut(Schema):
    username: str
    role: str
    function: str
    created: datetime


class WorkspaceList(Schema):
    items: list[WorkspaceOut]
    count: int


class MemberList(Schema):
    items: list[MemberOut]
    count: int
