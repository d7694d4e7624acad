"""Discovery operations shared by the API, the pages, the portal and the CLI.

Each one is written once, runs in one transaction, and writes through `core.changes` so the
audit history records it. Callers check roles; these functions check the domain rules.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction
from django.db.models import Case, F, Prefetch, Q, Value, When

from headway.core import changes, clock
from headway.core.changes import record_changed
from headway.discovery import notify, search, workflow
from headway.discovery.models import (
    Customer,
    Feedback,
    FeedbackLink,
    FeedbackState,
    Follower,
    Idea,
    Importance,
    Source,
    Vote,
)
from headway.planning.models import Feature
from headway.products.models import Product

#: Importance from weakest to strongest; a merge keeps the stronger of two links.
IMPORTANCE_ORDER = [Importance.NICE, Importance.IMPORTANT, Importance.CRITICAL]


class Conflict(Exception):
    """The request conflicts with the current state (HTTP 409), e.g. a second vote."""


# --- customers ------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class CustomerData:
    """A customer as given with feedback or a proxy vote; matched before anything is created."""

    name: str = ""
    email: str = ""
    company: str = ""
    segment: str = ""
    revenue: Decimal | None = None


def match_customer(user: Any, workspace_id: int, data: CustomerData) -> Customer:
    """The workspace's customer with this email, else with this name at this company; created
    when there is none. What `data` adds (segment, revenue, a missing email) is kept, so the
    latest thing we learnt about a customer wins."""
    name, email, company = data.name.strip(), data.email.strip().lower(), data.company.strip()
    if not name and not email:
        raise ValidationError({"customer.name": ["Give the customer's name or email."]})
    customers = Customer.objects.filter(workspace_id=workspace_id).order_by("id")
    found = customers.filter(email=email).first() if email else None
    if found is None and name:
        found = customers.filter(name__iexact=name, company__iexact=company).first()
    if found is None:
        return changes.create(
            Customer,
            user=user,
            workspace_id=workspace_id,
            name=name or email,
            email=email,
            company=company,
            segment=data.segment.strip(),
            revenue=data.revenue,
        )
    learnt: dict[str, Any] = {}
    if email and not found.email:
        learnt["email"] = email
    if company and not found.company:
        learnt["company"] = company
    if data.segment.strip():
        learnt["segment"] = data.segment.strip()
    if data.revenue is not None:
        learnt["revenue"] = data.revenue
    return changes.update(found, learnt, user=user) if learnt else found


# --- feedback -------------------------------------------------------------------------------------


def create_feedback(
    user: Any,
    product: Product,
    *,
    text: str,
    source: str = Source.INTERNAL,
    customer: CustomerData | None = None,
    idea: Idea | None = None,
    importance: str = Importance.IMPORTANT,
    message_id: str = "",
    created: Any = None,
) -> Feedback:
    """Record a piece of feedback, its customer (matched or created) and its link to an idea."""
    if not text.strip():
        raise ValidationError({"text": ["Write what the customer said."]})
    if idea is not None and idea.product_id != product.pk:
        raise ValidationError({"idea": ["That idea belongs to another product."]})
    with transaction.atomic():
        who = match_customer(user, product.workspace_id, customer) if customer else None
        extra = {"created": created} if created is not None else {}
        feedback = changes.create(
            Feedback,
            user=user,
            product=product,
            text=text.strip(),
            source=source,
            customer=who,
            author=user if getattr(user, "is_authenticated", False) else None,
            message_id=message_id,
            state=FeedbackState.NEW,
            **extra,
        )
        if idea is not None:
            link(user, feedback, idea=idea, importance=importance)
            feedback.refresh_from_db()
    return feedback


def feedback_queryset() -> models.QuerySet[Feedback]:
    """Feedback with its customer, author and links: what every list and detail shows."""
    links = FeedbackLink.objects.select_related("idea", "feature").order_by("created", "id")
    return Feedback.objects.select_related("customer", "author").prefetch_related(
        Prefetch("links", queryset=links)
    )


def feedback_of(
    product: Product,
    *,
    q: str | None = None,
    state: str | None = None,
    source: str | None = None,
    idea: int | None = None,
    customer: int | None = None,
    sort: str = "recent",
) -> models.QuerySet[Feedback]:
    """The product's feedback, searched (`q`), filtered, newest first; `sort="triage"` puts new
    feedback first, then processed, then archived; `"oldest"` reverses time."""
    queryset = feedback_queryset().filter(product=product)
    if state:
        queryset = queryset.filter(state=state)
    if source:
        queryset = queryset.filter(source=source)
    if customer:
        queryset = queryset.filter(customer_id=customer)
    if idea:
        queryset = queryset.filter(links__idea_id=idea)
    queryset = search.matching(queryset, q)
    if sort == "oldest":
        return queryset.order_by("created", "id")
    if sort == "triage" and not state:
        # With one state chosen the triage order is just recency, read off an index.
        return queryset.annotate(
            triage=Case(
                When(state=FeedbackState.NEW, then=Value(0)),
                When(state=FeedbackState.PROCESSED, then=Value(1)),
                default=Value(2),
                output_field=models.IntegerField(),
            )
        ).order_by("triage", "-created", "-id")
    return queryset.order_by("-created", "-id")


def update_feedback(
    user: Any,
    feedback: Feedback,
    values: dict[str, Any],
    expected_version: int | None = None,
) -> Feedback:
    """Change text, source, state or customer (`customer`: a `CustomerData` or None to clear)."""
    with transaction.atomic():
        if "customer" in values and isinstance(values["customer"], CustomerData):
            values["customer"] = match_customer(
                user, feedback.product.workspace_id, values["customer"]
            )
        if "text" in values:
            if not str(values["text"]).strip():
                raise ValidationError({"text": ["Write what the customer said."]})
            values["text"] = str(values["text"]).strip()
        return changes.update(feedback, values, user=user, expected_version=expected_version)


def link(
    user: Any,
    feedback: Feedback,
    *,
    idea: Idea | None = None,
    feature: Feature | None = None,
    importance: str = Importance.IMPORTANT,
) -> tuple[FeedbackLink, bool]:
    """Link feedback to an idea or a feature as evidence; linking it again changes only the
    importance. New feedback counts as processed once it is linked. Returns (link, created)."""
    if (idea is None) == (feature is None):
        raise ValidationError({"idea": ["Link to exactly one idea or one feature."]})
    target = idea if idea is not None else feature
    assert target is not None
    if target.product_id != feedback.product_id:
        field = "idea" if idea is not None else "feature"
        raise ValidationError({field: [f"That {field} belongs to another product."]})
    with transaction.atomic():
        lookup = {"idea": idea} if idea is not None else {"feature": feature}
        existing = FeedbackLink.objects.filter(feedback=feedback, **lookup).first()
        if existing is not None:
            return changes.update(existing, {"importance": importance}, user=user), False
        created = changes.create(
            FeedbackLink, user=user, feedback=feedback, importance=importance, **lookup
        )
        if feedback.state == FeedbackState.NEW:
            changes.update(feedback, {"state": FeedbackState.PROCESSED}, user=user)
    return created, True


def unlink(user: Any, evidence: FeedbackLink) -> None:
    """Remove a link between feedback and an idea or feature."""
    changes.delete(evidence, user=user)


# --- ideas ----------------------------------------------------------------------------------------


def create_idea(user: Any, product: Product, **values: Any) -> Idea:
    """Create an idea in `product` (status new)."""
    values["title"] = str(values.get("title", "")).strip()
    if not values["title"]:
        raise ValidationError({"title": ["Give the idea a title."]})
    author = user if getattr(user, "is_authenticated", False) else None
    return changes.create(Idea, user=user, product=product, author=author, **values)


def update_idea(
    user: Any, idea: Idea, values: dict[str, Any], expected_version: int | None = None
) -> Idea:
    """Change an idea; a status change must follow the workflow, and followers hear of it."""
    old_status = idea.status
    if "status" in values:
        try:
            workflow.check(idea.status, values["status"])
        except workflow.TransitionError as error:
            raise ValidationError({"status": [str(error)]}) from None
        if values["status"] != idea.status:
            values["status_changed"] = clock.now()
    if "title" in values:
        values["title"] = str(values["title"]).strip()
        if not values["title"]:
            raise ValidationError({"title": ["Give the idea a title."]})
    with transaction.atomic():
        idea = changes.update(idea, values, user=user, expected_version=expected_version)
        if idea.status != old_status:
            notify.status_changed(idea, old_status)
    return idea


def delete_idea(user: Any, idea: Idea, expected_version: int | None = None) -> None:
    """Delete an idea with its votes and links (feedback itself stays)."""
    changes.delete(idea, user=user, expected_version=expected_version)


def idea_queryset() -> models.QuerySet[Idea]:
    """Ideas with their author, as every list and detail shows them (then `add_demand`)."""
    return Idea.objects.select_related("author")


def ideas_of(
    product: Product,
    *,
    q: str | None = None,
    status: list[str] | None = None,
    public: bool | None = None,
    sort: str = "votes",
) -> models.QuerySet[Idea]:
    """The product's ideas, searched (`q`), filtered and sorted by votes or recency.

    Demand figures are added to the page afterwards (`add_demand`), for the rows shown only.
    """
    queryset = Idea.objects.select_related("author").filter(product=product)
    if status:
        queryset = queryset.filter(status__in=status)
    if public is not None:
        queryset = queryset.filter(public=public)
    queryset = search.matching(queryset, q)
    if sort == "recent":
        return queryset.order_by("-created", "-id")
    return queryset.order_by("-vote_count", "-created", "-id")


@dataclass(frozen=True, slots=True)
class Demand:
    """The demand behind an idea beyond its votes (see ``demand_of``)."""

    feedback: int = 0
    customers: int = 0
    revenue: Decimal = Decimal(0)


def demand_of(ideas: Iterable[int] | models.QuerySet[Any]) -> dict[int, Demand]:
    """Idea id → its demand, in three indexed queries whatever the number of ideas: linked
    feedback, distinct customers who voted by proxy or gave linked feedback, and the sum of
    those customers' annual revenue (each customer counted once). ``ideas`` is ids, or a
    queryset of ids (``.values("pk")``) that stays a subquery."""
    links: dict[int, int] = {}
    customers: dict[int, set[int]] = {}
    for idea_id, customer_id in FeedbackLink.objects.filter(idea_id__in=ideas).values_list(
        "idea_id", "feedback__customer_id"
    ):
        links[idea_id] = links.get(idea_id, 0) + 1
        if customer_id is not None:
            customers.setdefault(idea_id, set()).add(customer_id)
    for idea_id, customer_id in Vote.objects.filter(
        idea_id__in=ideas, customer__isnull=False
    ).values_list("idea_id", "customer_id"):
        customers.setdefault(idea_id, set()).add(customer_id)
    everyone = set().union(*customers.values())
    revenue: dict[int, Decimal] = {}
    if everyone:
        rows = Customer.objects.filter(pk__in=everyone, revenue__isnull=False)
        revenue = {pk: amount or Decimal(0) for pk, amount in rows.values_list("pk", "revenue")}
    return {
        pk: Demand(
            feedback=links.get(pk, 0),
            customers=len(customers.get(pk, ())),
            revenue=sum((revenue.get(c, Decimal(0)) for c in customers.get(pk, ())), Decimal(0)),
        )
        for pk in links.keys() | customers.keys()
    }


def add_demand(ideas: list[Idea]) -> list[Idea]:
    """Set each idea's demand figures (``demand_of``): `feedback_count`, `customer_count` and
    `revenue_weight`. Voters are `vote_count`, kept by the vote functions."""
    demand = demand_of([idea.pk for idea in ideas]) if ideas else {}
    for idea in ideas:
        mine = demand.get(idea.pk, Demand())
        idea.feedback_count = mine.feedback  # type: ignore[attr-defined]
        idea.customer_count = mine.customers  # type: ignore[attr-defined]
        idea.revenue_weight = mine.revenue  # type: ignore[attr-defined]
    return ideas


# --- votes ----------------------------------------------------------------------------------------


def _lock(idea: Idea) -> Idea:
    """The idea's row, locked for the rest of the transaction (votes on one idea queue)."""
    return Idea.objects.select_for_update().get(pk=idea.pk)


def vote(
    idea: Idea,
    *,
    user: Any = None,
    customer: Customer | None = None,
    proxy_by: Any = None,
    voter_email: str = "",
) -> Vote:
    """Cast one vote: by a user, by a contributor for a customer (proxy), or by a portal visitor.

    The unique constraints make a second vote by the same voter impossible even when two
    requests race; `vote_count` moves with an F() update in the same transaction.
    """
    voter = Q(user=user) if user is not None else Q(customer=customer)
    if voter_email:
        voter = Q(voter_email=voter_email.lower())
    try:
        with transaction.atomic():
            current = _lock(idea)
            if current.status not in workflow.OPEN:
                raise ValidationError(
                    {"idea": [f"Votes are closed: this idea is {current.get_status_display()}."]}
                )
            if Vote.objects.filter(voter, idea=idea).exists():
                raise Conflict(_already(customer, voter_email))
            cast = Vote.objects.create(
                idea=idea,
                user=user,
                customer=customer,
                proxy_by=proxy_by,
                voter_email=voter_email.lower(),
            )
            Idea.objects.filter(pk=idea.pk).update(vote_count=F("vote_count") + 1)
    except IntegrityError:
        raise Conflict(_already(customer, voter_email)) from None
    idea.vote_count = Idea.objects.values_list("vote_count", flat=True).get(pk=idea.pk)
    return cast


def _already(customer: Customer | None, voter_email: str) -> str:
    if customer is not None:
        return f"{customer.name} has already voted for this idea."
    if voter_email:
        return "This email address has already voted for this idea."
    return "You have already voted for this idea."


def unvote(
    idea: Idea, *, user: Any = None, customer: Customer | None = None, voter_email: str = ""
) -> bool:
    """Withdraw a vote; False when there was none."""
    if user is not None:
        voter = Q(user=user)
    elif customer is not None:
        voter = Q(customer=customer)
    else:
        voter = Q(voter_email=voter_email.lower())
    with transaction.atomic():
        _lock(idea)
        deleted, _ = Vote.objects.filter(voter, idea=idea).delete()
        if deleted:
            Idea.objects.filter(pk=idea.pk).update(vote_count=F("vote_count") - deleted)
    idea.vote_count = Idea.objects.values_list("vote_count", flat=True).get(pk=idea.pk)
    return bool(deleted)


# --- merge and promote ----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class MergeResult:
    """What a merge did, for the answer and the history."""

    into: Idea
    votes_moved: int
    votes_dropped: int
    links_moved: int


def merge(user: Any, idea: Idea, into: Idea) -> MergeResult:
    """Merge `idea` into `into`: its votes and feedback move (a voter on both counts once),
    `idea` becomes a duplicate pointing at `into`, and the history of both records it."""
    if into.pk == idea.pk:
        raise ValidationError({"into": ["An idea cannot be merged into itself."]})
    if into.product_id != idea.product_id:
        raise ValidationError({"into": ["Ideas can only be merged within one product."]})
    with transaction.atomic():
        # Lock both rows in id order, so two opposite merges cannot deadlock.
        locked = {
            i.pk: i for i in Idea.objects.select_for_update().filter(pk__in=[idea.pk, into.pk])
        }
        source, target = locked[idea.pk], locked[into.pk]
        if source.status == workflow.DUPLICATE:
            raise ValidationError({"into": ["This idea is already merged into another."]})
        if target.status == workflow.DUPLICATE:
            raise ValidationError(
                {
                    "into": [
                        f"That idea is itself merged into #{target.merged_into_id}; "
                        "merge into that one."
                    ]
                }
            )
        followers = list(Follower.objects.filter(idea=source).values_list("pk", flat=True))
        old_status = source.status
        moved, dropped = _move_votes(source, target)
        links_moved = _move_links(source, target)
        _move_followers(source, target)
        Idea.objects.filter(merged_into=source).update(merged_into=target)
        changes.update(
            source,
            {
                "status": workflow.DUPLICATE,
                "merged_into": target,
                "status_changed": clock.now(),
            },
            user=user,
        )
        record_changed.send(
            Idea,
            instance=target,
            user=user,
            action="merge",
            # One readable entry in the history: "changed the duplicates of idea 'Dark mode'".
            changes={
                "duplicates": [
                    None,
                    f"#{source.pk} '{source.title}' merged in: {moved} vote(s) and "
                    f"{links_moved} feedback moved, {dropped} double vote(s) counted once",
                ]
            },
        )
        notify.status_changed(source, old_status, followers)
    target.refresh_from_db()
    idea.refresh_from_db()
    return MergeResult(target, moved, dropped, links_moved)


def _move_votes(source: Idea, target: Idea) -> tuple[int, int]:
    on_target = Vote.objects.filter(idea=target)
    twice = Vote.objects.filter(idea=source).filter(
        Q(user__isnull=False, user__in=on_target.filter(user__isnull=False).values("user"))
        | Q(
            customer__isnull=False,
            customer__in=on_target.filter(customer__isnull=False).values("customer"),
        )
        | Q(
            ~Q(voter_email=""),
            voter_email__in=on_target.exclude(voter_email="").values("voter_email"),
        )
    )
    dropped, _ = twice.delete()
    moved = Vote.objects.filter(idea=source).update(idea=target)
    Idea.objects.filter(pk=target.pk).update(vote_count=F("vote_count") + moved)
    Idea.objects.filter(pk=source.pk).update(vote_count=0)
    return moved, dropped


def _move_links(source: Idea, target: Idea) -> int:
    existing = {
        evidence.feedback_id: evidence for evidence in FeedbackLink.objects.filter(idea=target)
    }
    moved = 0
    for evidence in FeedbackLink.objects.filter(idea=source):
        kept = existing.get(evidence.feedback_id)
        if kept is None:
            FeedbackLink.objects.filter(pk=evidence.pk).update(idea=target)
            moved += 1
            continue
        if IMPORTANCE_ORDER.index(Importance(evidence.importance)) > IMPORTANCE_ORDER.index(
            Importance(kept.importance)
        ):
            FeedbackLink.objects.filter(pk=kept.pk).update(importance=evidence.importance)
        evidence.delete()
    return moved


def _move_followers(source: Idea, target: Idea) -> None:
    following = Follower.objects.filter(idea=target).values("email")
    Follower.objects.filter(idea=source, email__in=following).delete()
    Follower.objects.filter(idea=source).update(idea=target)


def promote(user: Any, idea: Idea) -> Feature:
    """Turn an idea into a planning feature that keeps its evidence: the idea's feedback links
    are copied to the feature, the idea points at it and moves to planned if still undecided."""
    if idea.feature_id is not None:
        raise Conflict(f"This idea was already promoted to feature #{idea.feature_id}.")
    if idea.status in {workflow.DUPLICATE, workflow.DECLINED}:
        raise ValidationError(
            {"status": [f"A {idea.get_status_display().lower()} idea cannot become a feature."]}
        )
    with transaction.atomic():
        _lock(idea)
        feature = changes.create(
            Feature,
            user=user,
            product_id=idea.product_id,
            title=idea.title,
            description=idea.description,
        )
        FeedbackLink.objects.bulk_create(
            [
                FeedbackLink(feedback_id=e.feedback_id, feature=feature, importance=e.importance)
                for e in FeedbackLink.objects.filter(idea=idea)
            ]
        )
        values: dict[str, Any] = {"feature": feature}
        if idea.status in {workflow.NEW, workflow.UNDER_REVIEW}:
            values["status"] = workflow.PLANNED
            values["status_changed"] = clock.now()
        old_status = idea.status
        changes.update(idea, values, user=user)
        if idea.status != old_status:
            notify.status_changed(idea, old_status)
    return feature


# --- the public portal ----------------------------------------------------------------------------


def submit_from_portal(
    product: Product, *, title: str, description: str, name: str, email: str, base_url: str = ""
) -> Idea:
    """A visitor's idea: public, new, followed by its submitter, and recorded as portal feedback
    from the visitor (matched to a customer by email) so the evidence reaches the inbox."""
    with transaction.atomic():
        idea = create_idea(
            None,
            product,
            title=title,
            description=description,
            submitter_name=name.strip(),
            submitter_email=email.strip().lower(),
        )
        text = f"{idea.title}\n\n{idea.description}".strip()
        create_feedback(
            None,
            product,
            text=text,
            source=Source.PORTAL,
            customer=CustomerData(name=name, email=email),
            idea=idea,
        )
        follow(idea, email=email, name=name, base_url=base_url)
    return idea


def follow(idea: Idea, *, email: str, name: str = "", base_url: str = "") -> bool:
    """Follow an idea's status by email; False when this address already follows it."""
    _, created = Follower.objects.get_or_create(
        idea=idea,
        email=email.strip().lower(),
        defaults={"name": name.strip(), "base_url": base_url},
    )
    return created


def unfollow(product: Product, token: str) -> Follower | None:
    """Stop following (from the link in a status email); the follower it was, if any."""
    follower = (
        Follower.objects.select_related("idea").filter(token=token, idea__product=product).first()
    )
    if follower is not None:
        follower.delete()
    return follower


# --- imports --------------------------------------------------------------------------------------


def import_feedback(user: Any, product: Product, rows: list[Any]) -> int:
    """Create feedback from checked CSV rows (`csvimport.FeedbackRow`), all or nothing."""
    with transaction.atomic():
        for row in rows:
            customer = None
            if row.customer_name or row.customer_email:
                customer = CustomerData(
                    name=row.customer_name,
                    email=row.customer_email,
                    company=row.customer_company,
                    segment=row.customer_segment,
                    revenue=row.customer_revenue,
                )
            create_feedback(
                user,
                product,
                text=row.text,
                source=row.source,
                customer=customer,
                created=row.received_at,
            )
    return len(rows)
