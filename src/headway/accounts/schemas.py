from __future__ import annotations

from datetime import datetime
from typing import Literal

from ninja import Schema
from pydantic import Field

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
    function: Function | Literal[""] | None = Field(
        None, description='The member\'s team; "" clears it.'
    )


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
