"""The discovery API: feedback and its links, ideas, votes, merge and promotion."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from ninja import Query, Router, Status

from headway.accounts.access import access_of
from headway.accounts.models import Role
from headway.api.errors import ProblemError, invalid
from headway.api.etag import expected_version, with_etag
from headway.api.pagination import Page, paginate
from headway.core import changes
from headway.discovery import services, suggestions, workflow
from headway.discovery.models import Customer, Feedback, FeedbackLink, Idea, Vote
from headway.discovery.schemas import (
    FeedbackFilters,
    FeedbackIn,
    FeedbackList,
    FeedbackOut,
    FeedbackPatch,
    IdeaFilters,
    IdeaIn,
    IdeaList,
    IdeaOut,
    IdeaPatch,
    LinkIn,
    LinkOut,
    LinkTarget,
    MergeIn,
    MergeOut,
    PromoteOut,
    SimilarOut,
    SimilarParams,
    VoteIn,
    VoteList,
    VoteResult,
    VoteTarget,
)
from headway.planning.models import Feature
from headway.products.models import Product

router = Router(tags=["discovery"])


# --- shaping --------------------------------------------------------------------------------------


def customer_out(customer: Customer | None) -> dict[str, Any] | None:
    if customer is None:
        return None
    return {
        "id": customer.pk,
        "name": customer.name,
        "email": customer.email,
        "company": customer.company,
        "segment": customer.segment,
        "revenue": float(customer.revenue) if customer.revenue is not None else None,
    }


def link_out(evidence: FeedbackLink) -> dict[str, Any]:
    return {
        "id": evidence.pk,
        "idea": evidence.idea_id,
        "idea_title": evidence.idea.title if evidence.idea else None,
        "feature": evidence.feature_id,
        "feature_title": evidence.feature.title if evidence.feature else None,
        "importance": evidence.importance,
        "created": evidence.created,
    }


def feedback_out(feedback: Feedback) -> dict[str, Any]:
    return {
        "id": feedback.pk,
        "product": feedback.product_id,
        "text": feedback.text,
        "source": feedback.source,
        "state": feedback.state,
        "customer": customer_out(feedback.customer),
        "author": feedback.author.username if feedback.author else None,
        "links": [link_out(evidence) for evidence in feedback.links.all()],
        "message_id": feedback.message_id,
        "version": feedback.version,
        "created": feedback.created,
        "updated": feedback.updated,
    }


def idea_out(idea: Idea) -> dict[str, Any]:
    return {
        "id": idea.pk,
        "product": idea.product_id,
        "title": idea.title,
        "description": idea.description,
        "status": idea.status,
        "allowed_next": list(workflow.allowed_next(idea.status)),
        "public": idea.public,
        "internal_notes": idea.internal_notes,
        "vote_count": idea.vote_count,
        "demand": {
            "voters": idea.vote_count,
            "feedback": idea.feedback_count,  # type: ignore[attr-defined]
            "customers": idea.customer_count,  # type: ignore[attr-defined]
            "revenue": float(idea.revenue_weight),  # type: ignore[attr-defined]
        },
        "merged_into": idea.merged_into_id,
        "feature": idea.feature_id,
        "author": idea.author.username if idea.author else None,
        "submitter_name": idea.submitter_name,
        "submitter_email": idea.submitter_email,
        "status_changed": idea.status_changed,
        "version": idea.version,
        "created": idea.created,
        "updated": idea.updated,
    }


def vote_out(vote: Vote) -> dict[str, Any]:
    return {
        "id": vote.pk,
        "user": vote.user.username if vote.user else None,
        "customer": customer_out(vote.customer),
        "proxy_by": vote.proxy_by.username if vote.proxy_by else None,
        "voter_email": vote.voter_email,
        "created": vote.created,
    }


# --- querysets ------------------------------------------------------------------------------------


feedback_queryset = services.feedback_queryset
idea_queryset = services.idea_queryset


def fresh_idea(idea_id: int) -> Idea:
    """The idea as stored now, with its demand figures."""
    return services.add_demand([idea_queryset().get(pk=idea_id)])[0]


def product_of(request: HttpRequest, product_id: int, role: str = Role.VIEWER) -> Product:
    return access_of(request).get(Product.objects.all(), role, pk=product_id)


def one_idea(request: HttpRequest, idea_id: int, role: str = Role.VIEWER) -> Idea:
    idea = access_of(request).get(idea_queryset().select_related("product"), role, pk=idea_id)
    return services.add_demand([idea])[0]


def one_feedback(request: HttpRequest, feedback_id: int, role: str = Role.VIEWER) -> Feedback:
    return access_of(request).get(
        feedback_queryset().select_related("product"), role, pk=feedback_id
    )


def idea_in_product(product_id: int, idea_id: int, field: str = "idea") -> Idea:
    idea = Idea.objects.filter(product_id=product_id, pk=idea_id).first()
    if idea is None:
        raise invalid(field, f"There is no idea #{idea_id} in this product.")
    return idea


def conflict(error: services.Conflict) -> ProblemError:
    return ProblemError(409, str(error))


# --- feedback -------------------------------------------------------------------------------------


@router.get("/products/{product_id}/feedback", response=FeedbackList, summary="List feedback")
def list_feedback(
    request: HttpRequest, product_id: int, page: Query[Page], filters: Query[FeedbackFilters]
) -> dict[str, Any]:
    """The product's feedback, newest first; `q` searches the text."""
    product = product_of(request, product_id)
    result = paginate(services.feedback_of(product, **filters.dict()), page)
    result["items"] = [feedback_out(f) for f in result["items"]]
    return result


@router.post("/products/{product_id}/feedback", response={201: FeedbackOut}, summary="Add feedback")
def create_feedback(
    request: HttpRequest, product_id: int, payload: FeedbackIn, response: HttpResponse
) -> Status[dict[str, Any]]:
    """Record feedback (contributors and above); the customer is matched or created, and
    `idea` links it to an idea with `importance`."""
    product = product_of(request, product_id, Role.CONTRIBUTOR)
    idea = idea_in_product(product.pk, payload.idea) if payload.idea is not None else None
    feedback = services.create_feedback(
        request.user,
        product,
        text=payload.text,
        source=payload.source,
        customer=payload.customer.data() if payload.customer else None,
        idea=idea,
        importance=payload.importance,
    )
    feedback = feedback_queryset().get(pk=feedback.pk)
    with_etag(response, feedback)
    return Status(201, feedback_out(feedback))


@router.get("/feedback/{feedback_id}", response=FeedbackOut, summary="Get feedback")
def get_feedback(request: HttpRequest, feedback_id: int, response: HttpResponse) -> dict[str, Any]:
    """One feedback item with its customer and links."""
    feedback = one_feedback(request, feedback_id)
    with_etag(response, feedback)
    return feedback_out(feedback)


@router.patch("/feedback/{feedback_id}", response=FeedbackOut, summary="Change feedback")
def patch_feedback(
    request: HttpRequest, feedback_id: int, payload: FeedbackPatch, response: HttpResponse
) -> dict[str, Any]:
    """Change feedback. Contributors may change only `state` (triage); product managers all."""
    feedback = one_feedback(request, feedback_id, Role.CONTRIBUTOR)
    values = payload.dict(exclude_unset=True)
    if set(values) - {"state"}:
        access_of(request).require(feedback.product.workspace_id, Role.PRODUCT_MANAGER)
    for field in ("text", "source", "state"):
        if field in values and values[field] is None:
            values.pop(field)
    if "customer" in values and payload.customer is not None:
        values["customer"] = payload.customer.data()
    version = expected_version(request, feedback)
    services.update_feedback(request.user, feedback, values, version)
    feedback = feedback_queryset().get(pk=feedback.pk)
    with_etag(response, feedback)
    return feedback_out(feedback)


@router.delete("/feedback/{feedback_id}", response={204: None}, summary="Delete feedback")
def delete_feedback(request: HttpRequest, feedback_id: int) -> Status[None]:
    """Delete feedback and its links (product managers)."""
    feedback = one_feedback(request, feedback_id, Role.PRODUCT_MANAGER)
    version = expected_version(request, feedback)
    changes.delete(feedback, user=request.user, expected_version=version)
    return Status(204, None)


@router.post(
    "/feedback/{feedback_id}/links", response={200: LinkOut, 201: LinkOut}, summary="Link feedback"
)
def create_link(request: HttpRequest, feedback_id: int, payload: LinkIn) -> Status[dict[str, Any]]:
    """Link feedback to an idea or a feature as evidence (contributors and above); linking the
    same pair again changes its importance (200)."""
    feedback = one_feedback(request, feedback_id, Role.CONTRIBUTOR)
    if (payload.idea is None) == (payload.feature is None):
        raise invalid("idea", "Give exactly one of idea and feature.")
    idea = feature = None
    if payload.idea is not None:
        idea = idea_in_product(feedback.product_id, payload.idea)
    elif payload.feature is not None:
        feature = Feature.objects.filter(product_id=feedback.product_id, pk=payload.feature).first()
        if feature is None:
            raise invalid("feature", f"There is no feature #{payload.feature} in this product.")
    evidence, created = services.link(
        request.user, feedback, idea=idea, feature=feature, importance=payload.importance
    )
    evidence = FeedbackLink.objects.select_related("idea", "feature").get(pk=evidence.pk)
    return Status(201 if created else 200, link_out(evidence))


@router.delete("/feedback/{feedback_id}/links", response={204: None}, summary="Unlink feedback")
def delete_link(request: HttpRequest, feedback_id: int, target: Query[LinkTarget]) -> Status[None]:
    """Remove the link of feedback to `?idea=ID` or `?feature=ID` (contributors and above)."""
    feedback = one_feedback(request, feedback_id, Role.CONTRIBUTOR)
    idea, feature = target.idea, target.feature
    if (idea is None) == (feature is None):
        raise invalid("idea", "Give exactly one of idea and feature.")
    lookup = {"idea_id": idea} if idea is not None else {"feature_id": feature}
    evidence = FeedbackLink.objects.filter(feedback=feedback, **lookup).first()
    if evidence is None:
        raise ProblemError(404, "This feedback has no such link.")
    services.unlink(request.user, evidence)
    return Status(204, None)


# --- ideas ----------------------------------------------------------------------------------------


@router.get("/products/{product_id}/ideas", response=IdeaList, summary="List ideas")
def list_ideas(
    request: HttpRequest, product_id: int, page: Query[Page], filters: Query[IdeaFilters]
) -> dict[str, Any]:
    """The product's ideas with their demand; `q` searches, `status` filters, `sort` orders by
    votes (default) or recent."""
    product = product_of(request, product_id)
    result = paginate(services.ideas_of(product, **filters.dict()), page)
    result["items"] = [idea_out(i) for i in services.add_demand(result["items"])]
    return result


@router.post("/products/{product_id}/ideas", response={201: IdeaOut}, summary="Add an idea")
def create_idea(
    request: HttpRequest, product_id: int, payload: IdeaIn, response: HttpResponse
) -> Status[dict[str, Any]]:
    """Add an idea (contributors and above); it starts as new."""
    product = product_of(request, product_id, Role.CONTRIBUTOR)
    idea = services.create_idea(request.user, product, **payload.dict())
    idea = fresh_idea(idea.pk)
    with_etag(response, idea)
    return Status(201, idea_out(idea))


@router.get("/ideas/{idea_id}", response=IdeaOut, summary="Get an idea")
def get_idea(request: HttpRequest, idea_id: int, response: HttpResponse) -> dict[str, Any]:
    """One idea with its demand figures and the statuses it may move to."""
    idea = one_idea(request, idea_id)
    with_etag(response, idea)
    return idea_out(idea)


@router.patch("/ideas/{idea_id}", response=IdeaOut, summary="Change an idea")
def patch_idea(
    request: HttpRequest, idea_id: int, payload: IdeaPatch, response: HttpResponse
) -> dict[str, Any]:
    """Change an idea (product managers); a status change must follow the workflow (422 names
    the allowed next states)."""
    idea = one_idea(request, idea_id, Role.PRODUCT_MANAGER)
    values = {k: v for k, v in payload.dict(exclude_unset=True).items() if v is not None}
    services.update_idea(request.user, idea, values, expected_version(request, idea))
    idea = fresh_idea(idea.pk)
    with_etag(response, idea)
    return idea_out(idea)


@router.delete("/ideas/{idea_id}", response={204: None}, summary="Delete an idea")
def delete_idea(request: HttpRequest, idea_id: int) -> Status[None]:
    """Delete an idea with its votes and links; the feedback stays (product managers)."""
    idea = one_idea(request, idea_id, Role.PRODUCT_MANAGER)
    services.delete_idea(request.user, idea, expected_version(request, idea))
    return Status(204, None)


@router.get("/ideas/{idea_id}/similar", response=list[SimilarOut], summary="Similar ideas")
def similar_ideas(
    request: HttpRequest, idea_id: int, params: Query[SimilarParams]
) -> list[dict[str, Any]]:
    """Ideas of the same product most like this one, best first (duplicates to merge)."""
    idea = one_idea(request, idea_id)
    return [
        {"id": s.idea.pk, "title": s.idea.title, "score": round(s.score, 4)}
        for s in suggestions.for_idea(idea, limit=params.limit)
    ]


@router.get("/ideas/{idea_id}/votes", response=VoteList, summary="List votes")
def list_votes(request: HttpRequest, idea_id: int, page: Query[Page]) -> dict[str, Any]:
    """Who voted for the idea: members, customers (proxy votes) and portal visitors."""
    idea = one_idea(request, idea_id)
    votes = Vote.objects.filter(idea=idea).select_related("user", "customer", "proxy_by")
    result = paginate(votes.order_by("-created", "-id"), page)
    result["items"] = [vote_out(v) for v in result["items"]]
    return result


@router.post("/ideas/{idea_id}/votes", response={201: VoteResult}, summary="Vote for an idea")
def create_vote(request: HttpRequest, idea_id: int, payload: VoteIn) -> Status[dict[str, Any]]:
    """Vote (contributors and above), once per person; with `customer`, cast a proxy vote on
    that customer's behalf (matched or created). A second vote is a 409."""
    idea = one_idea(request, idea_id, Role.CONTRIBUTOR)
    try:
        if payload.customer is not None:
            customer = services.match_customer(
                request.user, idea.product.workspace_id, payload.customer.data()
            )
            vote = services.vote(idea, customer=customer, proxy_by=request.user)
        else:
            vote = services.vote(idea, user=request.user)
    except services.Conflict as error:
        raise conflict(error) from None
    vote = Vote.objects.select_related("user", "customer", "proxy_by").get(pk=vote.pk)
    return Status(201, {"idea": idea.pk, "vote_count": idea.vote_count, "vote": vote_out(vote)})


@router.delete("/ideas/{idea_id}/votes", response={204: None}, summary="Withdraw a vote")
def delete_vote(request: HttpRequest, idea_id: int, target: Query[VoteTarget]) -> Status[None]:
    """Withdraw your vote, or with `?customer=ID` a customer's proxy vote (404 if none)."""
    idea = one_idea(request, idea_id, Role.CONTRIBUTOR)
    customer = target.customer
    if customer is not None:
        who = Customer.objects.filter(workspace_id=idea.product.workspace_id, pk=customer).first()
        removed = who is not None and services.unvote(idea, customer=who)
    else:
        removed = services.unvote(idea, user=request.user)
    if not removed:
        raise ProblemError(404, "There is no such vote on this idea.")
    return Status(204, None)


@router.post("/ideas/{idea_id}/merge", response=MergeOut, summary="Merge a duplicate idea")
def merge_idea(request: HttpRequest, idea_id: int, payload: MergeIn) -> dict[str, Any]:
    """Merge this idea into `into` (product managers): votes and feedback move, a voter on both
    counts once, this idea becomes a duplicate, and the history records the merge."""
    idea = one_idea(request, idea_id, Role.PRODUCT_MANAGER)
    into = access_of(request).visible(Idea.objects.all()).filter(pk=payload.into).first()
    if into is None:
        raise invalid("into", f"There is no idea #{payload.into}.")
    result = services.merge(request.user, idea, into)
    return {
        "idea": idea_out(fresh_idea(idea.pk)),
        "into": idea_out(fresh_idea(result.into.pk)),
        "votes_moved": result.votes_moved,
        "votes_dropped": result.votes_dropped,
        "feedback_moved": result.links_moved,
    }


@router.post(
    "/ideas/{idea_id}/promote", response={201: PromoteOut}, summary="Promote an idea to a feature"
)
def promote_idea(request: HttpRequest, idea_id: int) -> Status[dict[str, Any]]:
    """Create a feature from the idea, keeping its feedback as the feature's evidence (product
    managers); 409 if it was promoted already."""
    idea = one_idea(request, idea_id, Role.PRODUCT_MANAGER)
    try:
        feature = services.promote(request.user, idea)
    except services.Conflict as error:
        raise conflict(error) from None
    return Status(
        201,
        {
            "feature": {"id": feature.pk, "title": feature.title, "status": feature.status},
            "idea": idea_out(fresh_idea(idea.pk)),
        },
    )
