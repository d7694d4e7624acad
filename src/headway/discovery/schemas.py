"""Input and output shapes of the discovery API: feedback, customers, ideas, votes."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Literal

from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.validators import validate_email
from ninja import Schema
from pydantic import Field, field_validator, model_validator

from headway.api.out import Out
from headway.discovery.services import CustomerData

SourceName = Literal[
    "portal",
    "email",
    "sales_call",
    "support_ticket",
    "interview",
    "survey",
    "app_review",
    "internal",
]
StateName = Literal["new", "processed", "archived"]
ImportanceName = Literal["nice", "important", "critical"]
StatusName = Literal[
    "new", "under_review", "planned", "in_progress", "shipped", "declined", "duplicate"
]

MAX_TEXT = 20_000
#: The largest id a database column holds; larger numbers are bad input, not a server error.
MAX_ID = 2**63 - 1
MAX_REVENUE = Decimal("999999999999.99")


def _not_blank(value: str | None) -> str | None:
    if value is not None and not value.strip():
        raise ValueError("must not be blank")
    return value.strip() if value is not None else None


# --- customers ------------------------------------------------------------------------------------


class CustomerIn(Schema):
    """A customer, matched within the workspace by email, else by name and company."""

    name: str = Field("", max_length=200)
    email: str = Field("", max_length=254)
    company: str = Field("", max_length=200)
    segment: str = Field("", max_length=80)
    revenue: Decimal | None = Field(
        None, ge=0, le=MAX_REVENUE, decimal_places=2, description="Annual revenue."
    )

    @field_validator("email")
    @classmethod
    def _email(cls, value: str) -> str:
        value = value.strip()
        if value:
            try:
                validate_email(value)
            except DjangoValidationError:
                raise ValueError("is not an email address") from None
        return value.lower()

    @model_validator(mode="after")
    def _named(self) -> CustomerIn:
        if not self.name.strip() and not self.email:
            raise ValueError("give the customer's name or email")
        return self

    def data(self) -> CustomerData:
        return CustomerData(
            name=self.name,
            email=self.email,
            company=self.company,
            segment=self.segment,
            revenue=self.revenue,
        )


class CustomerOut(Out):
    id: int
    name: str
    email: str
    company: str
    segment: str
    revenue: float | None


# --- feedback -------------------------------------------------------------------------------------


class FeedbackIn(Schema):
    text: str = Field(min_length=1, max_length=MAX_TEXT, description="What the customer said.")
    source: SourceName = "internal"
    customer: CustomerIn | None = None
    idea: int | None = Field(
        None, ge=1, le=MAX_ID, description="Link the feedback to this idea as evidence."
    )
    importance: ImportanceName = Field("important", description="Importance of the link.")

    _text = field_validator("text")(_not_blank)


class FeedbackPatch(Schema):
    text: str | None = Field(None, min_length=1, max_length=MAX_TEXT)
    source: SourceName | None = None
    state: StateName | None = None
    customer: CustomerIn | None = Field(None, description="null removes the customer.")

    _text = field_validator("text")(_not_blank)


class LinkIn(Schema):
    """Exactly one of `idea` and `feature` (checked after the role, so a viewer hears 403)."""

    idea: int | None = Field(None, ge=1, le=MAX_ID)
    feature: int | None = Field(None, ge=1, le=MAX_ID)
    importance: ImportanceName = "important"


class LinkTarget(Schema):
    """Which link to remove: exactly one of `idea` and `feature`."""

    idea: int | None = Field(None, ge=1, le=MAX_ID)
    feature: int | None = Field(None, ge=1, le=MAX_ID)


class LinkOut(Out):
    id: int
    idea: int | None
    idea_title: str | None
    feature: int | None
    feature_title: str | None
    importance: ImportanceName
    created: datetime


class FeedbackOut(Out):
    id: int
    product: int
    text: str
    source: SourceName
    state: StateName
    customer: CustomerOut | None
    author: str | None
    links: list[LinkOut]
    message_id: str
    version: int
    created: datetime
    updated: datetime


class FeedbackList(Out):
    items: list[FeedbackOut]
    count: int


class FeedbackFilters(Schema):
    q: str | None = Field(None, max_length=200, description="Full-text search of the text.")
    state: StateName | None = None
    source: SourceName | None = None
    idea: int | None = Field(
        None, ge=1, le=MAX_ID, description="Only feedback linked to this idea."
    )
    customer: int | None = Field(
        None, ge=1, le=MAX_ID, description="Only this customer's feedback."
    )
    sort: Literal["recent", "oldest", "triage"] = Field(
        "recent", description="triage: new first, then processed, then archived; newest first."
    )


# --- ideas ----------------------------------------------------------------------------------------


class IdeaIn(Schema):
    title: str = Field(min_length=1, max_length=200)
    description: str = Field("", max_length=MAX_TEXT)
    public: bool = Field(True, description="Shown on the public portal.")
    internal_notes: str = Field("", max_length=MAX_TEXT, description="Never on the portal.")

    _title = field_validator("title")(_not_blank)


class IdeaPatch(Schema):
    title: str | None = Field(None, min_length=1, max_length=200)
    description: str | None = Field(None, max_length=MAX_TEXT)
    status: StatusName | None = None
    public: bool | None = None
    internal_notes: str | None = Field(None, max_length=MAX_TEXT)

    _title = field_validator("title")(_not_blank)


class Demand(Out):
    voters: int
    feedback: int
    customers: int
    revenue: float


class IdeaOut(Out):
    id: int
    product: int
    title: str
    description: str
    status: StatusName
    allowed_next: list[StatusName]
    public: bool
    internal_notes: str
    vote_count: int
    demand: Demand
    merged_into: int | None
    feature: int | None
    author: str | None
    submitter_name: str
    submitter_email: str
    status_changed: datetime
    version: int
    created: datetime
    updated: datetime


class IdeaList(Out):
    items: list[IdeaOut]
    count: int


class IdeaFilters(Schema):
    q: str | None = Field(None, max_length=200, description="Full-text search of title and text.")
    status: list[StatusName] | None = Field(None, description="One or more statuses.")
    public: bool | None = None
    sort: Literal["votes", "recent"] = "votes"


class SimilarParams(Schema):
    limit: int = Field(5, ge=1, le=50, description="How many ideas (1–50).")


class SimilarOut(Schema):
    id: int
    title: str
    score: float


class VoteIn(Schema):
    customer: CustomerIn | None = Field(
        None, description="Vote on this customer's behalf (a proxy vote); omit to vote yourself."
    )


class VoteTarget(Schema):
    customer: int | None = Field(
        None, ge=1, le=MAX_ID, description="Withdraw this customer's proxy vote instead."
    )


class VoteOut(Schema):
    id: int
    user: str | None
    customer: CustomerOut | None
    proxy_by: str | None
    voter_email: str
    created: datetime


class VoteList(Schema):
    items: list[VoteOut]
    count: int


class VoteResult(Schema):
    idea: int
    vote_count: int
    vote: VoteOut


class MergeIn(Schema):
    into: int = Field(ge=1, le=MAX_ID, description="The idea that stays.")


class MergeOut(Schema):
    idea: IdeaOut
    into: IdeaOut
    votes_moved: int
    votes_dropped: int
    feedback_moved: int


class FeatureRef(Schema):
    id: int
    title: str
    status: str


class PromoteOut(Schema):
    feature: FeatureRef
    idea: IdeaOut
