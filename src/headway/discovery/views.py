"""Pages of the discovery app: ideas, an idea with its demand, the feedback inbox and triage.

Every page works with plain links and forms; htmx swaps only the part that changed (search
results, a vote button, a triaged item). Writes call the same services as the API.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from headway.accounts.access import access_of
from headway.accounts.models import Role
from headway.api.pagination import Page, paginate
from headway.discovery import search, services, suggestions, workflow
from headway.discovery.forms import FeedbackForm, IdeaForm, LinkForm, ProxyVoteForm, StateForm
from headway.discovery.models import (
    Customer,
    Feedback,
    FeedbackLink,
    FeedbackState,
    Idea,
    IdeaStatus,
    Importance,
    Source,
    Vote,
)
from headway.discovery.schemas import MAX_ID
from headway.products.models import Product

PER_PAGE = 50
#: Pages past this are empty anyway; larger numbers would overflow the database's OFFSET.
LAST_PAGE = 100_000


# --- helpers --------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Paged:
    """One page of a list, with links to its neighbours that keep the other query parameters."""

    items: list[Any]
    count: int
    number: int
    previous: str | None
    next: str | None


def as_id(text: Any) -> int | None:
    """A database id from a form or query value, or None when it is not one."""
    value = str(text or "")
    return int(value) if value.isdigit() and 0 < int(value) <= MAX_ID else None


def page_number(request: HttpRequest) -> int:
    """The `page` query parameter, within what a list can hold."""
    value = str(request.GET.get("page", "1"))
    return min(int(value), LAST_PAGE) if value.isdigit() and int(value) > 0 else 1


def paged(request: HttpRequest, queryset: QuerySet[Any]) -> Paged:
    number = page_number(request)
    result = paginate(queryset, Page(limit=PER_PAGE, offset=(number - 1) * PER_PAGE))
    params = {k: v for k, v in request.GET.lists() if k != "page"}

    def link(n: int) -> str:
        return "?" + urlencode({**params, "page": [str(n)]}, doseq=True)

    has_next = number * PER_PAGE < result["count"]
    return Paged(
        result["items"],
        result["count"],
        number,
        link(number - 1) if number > 1 else None,
        link(number + 1) if has_next else None,
    )


def roles(request: HttpRequest, workspace_id: int) -> dict[str, bool]:
    """What the template may offer: contributors add and triage, product managers manage."""
    access = access_of(request)
    return {
        "can_contribute": access.can(workspace_id, Role.CONTRIBUTOR),
        "can_manage": access.can(workspace_id, Role.PRODUCT_MANAGER),
    }


def choice(value: str | None, allowed: Any) -> str | None:
    """`value` if it is one of `allowed` (a TextChoices class), else None: pages ignore
    unknown filter values instead of failing."""
    return value if value in allowed.values else None


def back(request: HttpRequest, default: str) -> HttpResponse:
    """Redirect to the page's `next` field when it is ours, else to `default`."""
    target = request.POST.get("next") or ""
    if not url_has_allowed_host_and_scheme(target, {request.get_host()}):
        target = default
    return redirect(target)


def product_for(request: HttpRequest, product_id: int, role: str = Role.VIEWER) -> Product:
    return access_of(request).get(Product.objects.select_related("workspace"), role, pk=product_id)


def me(request: HttpRequest) -> int:
    """The signed-in user's id (every page here requires sign-in)."""
    return int(request.user.pk or 0)


def say(errors: Any) -> str:
    """Form or validation errors as one sentence for a message."""
    return " ".join(str(error) for error in errors)


def with_my_votes(ideas: list[Idea], request: HttpRequest) -> list[Idea]:
    """Mark the ideas of a page the signed-in user voted for (`idea.voted`), in one query."""
    mine = set(
        Vote.objects.filter(idea__in=ideas, user_id=me(request)).values_list("idea_id", flat=True)
    )
    for idea in ideas:
        idea.voted = idea.pk in mine  # type: ignore[attr-defined]
    return ideas


# --- ideas ----------------------------------------------------------------------------------------


@login_required
def ideas(request: HttpRequest, product_id: int) -> HttpResponse:
    """The product's ideas: search, filter by status, sort by votes or recency; add one."""
    product = product_for(request, product_id)
    form = IdeaForm()
    if request.method == "POST":
        access_of(request).require(product.workspace_id, Role.CONTRIBUTOR)
        form = IdeaForm(request.POST)
        if form.is_valid():
            idea = services.create_idea(request.user, product, **form.cleaned_data)
            messages.success(request, f"Idea “{idea.title}” added.")
            return redirect("discovery:idea", idea.pk)
    statuses = [s for s in request.GET.getlist("status") if s in IdeaStatus.values]
    sort = "recent" if request.GET.get("sort") == "recent" else "votes"
    q = request.GET.get("q", "")[:200]
    # Merged duplicates only clutter the list: shown when asked for by their status.
    shown = statuses or [s for s in IdeaStatus.values if s != IdeaStatus.DUPLICATE]
    page = paged(request, services.ideas_of(product, q=q, status=shown, sort=sort))
    with_my_votes(services.add_demand(page.items), request)
    context = {
        "product": product,
        "section": "ideas",
        "page": page,
        "q": q,
        "statuses": statuses,
        "sort": sort,
        "status_choices": IdeaStatus.choices,
        "form": form,
        **roles(request, product.workspace_id),
    }
    if request.headers.get("HX-Request") and request.method == "GET":
        return render(request, "discovery/ideas.html#results", context)
    return render(request, "discovery/ideas.html", context, status=422 if form.errors else 200)


@login_required
def idea_suggestions(request: HttpRequest, product_id: int) -> HttpResponse:
    """Ideas like the text being typed (a new idea's title, or feedback): htmx fragment."""
    product = product_for(request, product_id)
    title = (request.GET.get("title") or request.GET.get("text") or "")[:2000]
    body = request.GET.get("description", "")[:2000]
    found = suggestions.for_text(product, title, body, exclude=as_id(request.GET.get("exclude")))
    text = f"{title} {body}".strip()
    return render(
        request,
        "discovery/_suggestions.html",
        {"suggestions": found, "text": text, "pick": request.GET.get("pick") == "1"},
    )


def _idea(request: HttpRequest, idea_id: int, role: str = Role.VIEWER) -> Idea:
    queryset = services.idea_queryset().select_related(
        "product__workspace", "feature", "merged_into"
    )
    return access_of(request).get(queryset, role, pk=idea_id)


@login_required
def idea_detail(request: HttpRequest, idea_id: int) -> HttpResponse:
    """One idea: demand figures, linked feedback, votes, status, merge and promotion."""
    idea = services.add_demand([_idea(request, idea_id)])[0]
    product = idea.product
    evidence = (
        FeedbackLink.objects.filter(idea=idea)
        .select_related("feedback__customer", "feedback__author")
        .order_by("-feedback__created", "-id")
    )
    votes = Vote.objects.filter(idea=idea).select_related("user", "customer", "proxy_by")
    context = {
        "product": product,
        "section": "ideas",
        "idea": idea,
        "voted": votes.filter(user_id=me(request)).exists(),
        "evidence": evidence,
        "votes": votes.order_by("-created", "-id")[:100],
        "duplicates": Idea.objects.filter(merged_into=idea).order_by("-id"),
        "next_states": [(s, IdeaStatus(s).label) for s in workflow.allowed_next(idea.status)],
        "form": IdeaForm(
            initial={
                "title": idea.title,
                "description": idea.description,
                "public": idea.public,
                "internal_notes": idea.internal_notes,
            }
        ),
        "proxy_form": ProxyVoteForm(),
        "similar": suggestions.for_idea(idea),
        "importance_labels": dict(Importance.choices),
        **roles(request, product.workspace_id),
    }
    return render(request, "discovery/idea.html", context)


@login_required
@require_POST
def idea_edit(request: HttpRequest, idea_id: int) -> HttpResponse:
    idea = _idea(request, idea_id, Role.PRODUCT_MANAGER)
    form = IdeaForm(request.POST)
    if form.is_valid():
        services.update_idea(request.user, idea, form.cleaned_data)
        messages.success(request, "Idea saved.")
    else:
        for field, errors in form.errors.items():
            messages.error(request, f"{field}: {say(errors)}")
    return redirect("discovery:idea", idea.pk)


@login_required
@require_POST
def idea_status(request: HttpRequest, idea_id: int) -> HttpResponse:
    idea = _idea(request, idea_id, Role.PRODUCT_MANAGER)
    status = request.POST.get("status", "")
    try:
        services.update_idea(request.user, idea, {"status": status})
        messages.success(request, f"Status is now {IdeaStatus(status).label.lower()}.")
    except (ValidationError, ValueError) as error:
        messages.error(request, " ".join(getattr(error, "messages", [str(error)])))
    return redirect("discovery:idea", idea.pk)


@login_required
@require_POST
def idea_vote(request: HttpRequest, idea_id: int) -> HttpResponse:
    """Vote, or take the vote back: one button, toggled."""
    idea = _idea(request, idea_id, Role.CONTRIBUTOR)
    voted = Vote.objects.filter(idea=idea, user_id=me(request)).exists()
    problem = ""
    try:
        if voted:
            services.unvote(idea, user=request.user)
        else:
            services.vote(idea, user=request.user)
        voted = not voted
    except (services.Conflict, ValidationError) as error:
        problem = " ".join(getattr(error, "messages", [str(error)]))
    if request.headers.get("HX-Request"):
        return render(
            request,
            "discovery/_vote.html",
            {"idea": idea, "voted": voted, "can_contribute": True, "problem": problem},
        )
    if problem:
        messages.error(request, problem)
    return back(request, reverse("discovery:idea", args=[idea.pk]))


@login_required
@require_POST
def idea_proxy_vote(request: HttpRequest, idea_id: int) -> HttpResponse:
    """A vote on a named customer's behalf (sales, support)."""
    idea = _idea(request, idea_id, Role.CONTRIBUTOR)
    form = ProxyVoteForm(request.POST)
    if form.is_valid():
        customer = form.customer()
        assert customer is not None
        who = services.match_customer(request.user, idea.product.workspace_id, customer)
        try:
            services.vote(idea, customer=who, proxy_by=request.user)
            messages.success(request, f"Vote recorded for {who}.")
        except (services.Conflict, ValidationError) as error:
            messages.error(request, " ".join(getattr(error, "messages", [str(error)])))
    else:
        for errors in form.errors.values():
            messages.error(request, say(errors))
    return redirect(reverse("discovery:idea", args=[idea.pk]) + "#votes")


@login_required
@require_POST
def idea_proxy_unvote(request: HttpRequest, idea_id: int, customer_id: int) -> HttpResponse:
    idea = _idea(request, idea_id, Role.CONTRIBUTOR)
    customer = Customer.objects.filter(pk=customer_id, workspace_id=idea.product.workspace_id)
    who = customer.first()
    if who is not None and services.unvote(idea, customer=who):
        messages.success(request, f"Vote of {who} withdrawn.")
    return redirect(reverse("discovery:idea", args=[idea.pk]) + "#votes")


@login_required
def merge_candidates(request: HttpRequest, idea_id: int) -> HttpResponse:
    """Ideas this one could be merged into: similar ones, or those matching `q`."""
    idea = _idea(request, idea_id)
    q = request.GET.get("q", "")[:200]
    if q.strip():
        candidates = list(
            search.matching(
                Idea.objects.filter(product_id=idea.product_id)
                .exclude(pk=idea.pk)
                .exclude(status=IdeaStatus.DUPLICATE),
                q,
            ).order_by("-vote_count", "-id")[:10]
        )
    else:
        candidates = [s.idea for s in suggestions.for_idea(idea)]
    return render(
        request, "discovery/idea.html#candidates", {"idea": idea, "candidates": candidates}
    )


@login_required
@require_POST
def idea_merge(request: HttpRequest, idea_id: int) -> HttpResponse:
    idea = _idea(request, idea_id, Role.PRODUCT_MANAGER)
    into = as_id(request.POST.get("into"))
    ideas = access_of(request).visible(Idea.objects.all())
    target = ideas.filter(pk=into).first() if into else None
    if target is None:
        messages.error(request, "Choose the idea to merge into.")
        return redirect("discovery:idea", idea.pk)
    try:
        result = services.merge(request.user, idea, target)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("discovery:idea", idea.pk)
    messages.success(
        request,
        f"“{idea.title}” merged here: {result.votes_moved} vote(s) and "
        f"{result.links_moved} feedback item(s) moved, {result.votes_dropped} double vote(s) "
        "counted once.",
    )
    return redirect("discovery:idea", target.pk)


@login_required
@require_POST
def idea_promote(request: HttpRequest, idea_id: int) -> HttpResponse:
    idea = _idea(request, idea_id, Role.PRODUCT_MANAGER)
    try:
        feature = services.promote(request.user, idea)
        messages.success(request, f"Promoted to feature #{feature.pk}, with its evidence.")
    except (services.Conflict, ValidationError) as error:
        messages.error(request, " ".join(getattr(error, "messages", [str(error)])))
    return redirect("discovery:idea", idea.pk)


# --- feedback -------------------------------------------------------------------------------------


def _feedback_filters(request: HttpRequest) -> dict[str, Any]:
    return {
        "q": request.GET.get("q", "")[:200],
        "state": choice(request.GET.get("state"), FeedbackState),
        "source": choice(request.GET.get("source"), Source),
    }


@login_required
def feedback_inbox(request: HttpRequest, product_id: int) -> HttpResponse:
    """All feedback of the product, searchable and filterable; add feedback."""
    product = product_for(request, product_id)
    form = FeedbackForm()
    if request.method == "POST":
        access_of(request).require(product.workspace_id, Role.CONTRIBUTOR)
        form = FeedbackForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            idea = None
            if data.get("idea"):
                idea = Idea.objects.filter(product=product, pk=data["idea"]).first()
            services.create_feedback(
                request.user,
                product,
                text=data["text"],
                source=data["source"],
                customer=form.customer(),
                idea=idea,
                importance=data["importance"],
            )
            messages.success(
                request, "Feedback added" + (f" and linked to “{idea.title}”." if idea else ".")
            )
            return redirect("discovery:feedback", product.pk)
    filters = _feedback_filters(request)
    context = {
        "product": product,
        "section": "feedback",
        "page": paged(request, services.feedback_of(product, **filters)),
        "form": form,
        "state_choices": FeedbackState.choices,
        "source_choices": Source.choices,
        **filters,
        **roles(request, product.workspace_id),
    }
    if request.headers.get("HX-Request") and request.method == "GET":
        return render(request, "discovery/feedback.html#results", context)
    return render(request, "discovery/feedback.html", context, status=422 if form.errors else 200)


@login_required
def triage(request: HttpRequest, product_id: int) -> HttpResponse:
    """Unprocessed feedback, newest first, to link to ideas or archive from the keyboard; the
    state filter shows processed or archived feedback (or all, new first) instead."""
    product = product_for(request, product_id)
    filters = _feedback_filters(request)
    if "state" not in request.GET:
        filters["state"] = FeedbackState.NEW
    page = paged(request, services.feedback_of(product, sort="triage", **filters))
    if filters["state"] == FeedbackState.NEW and not filters["q"]:
        new_count = page.count
    else:
        new_count = Feedback.objects.filter(product=product, state=FeedbackState.NEW).count()
    context = {
        "product": product,
        "section": "feedback",
        "page": page,
        "new_count": new_count,
        "state_choices": FeedbackState.choices,
        **filters,
        **roles(request, product.workspace_id),
    }
    return render(request, "discovery/triage.html", context)


def _feedback(request: HttpRequest, feedback_id: int, role: str = Role.VIEWER) -> Feedback:
    queryset = services.feedback_queryset().select_related("product__workspace")
    return access_of(request).get(queryset, role, pk=feedback_id)


def _triaged(request: HttpRequest, feedback: Feedback, problem: str = "") -> HttpResponse:
    """The answer to a triage action: the item again (htmx) or the triage page."""
    if request.headers.get("HX-Request"):
        fresh = services.feedback_queryset().get(pk=feedback.pk)
        return render(
            request,
            "discovery/triage.html#item",
            {"item": fresh, "can_contribute": True, "problem": problem},
        )
    if problem:
        messages.error(request, problem)
    return back(request, reverse("discovery:triage", args=[feedback.product_id]))


@login_required
def feedback_link(request: HttpRequest, feedback_id: int) -> HttpResponse:
    """Link feedback to an idea: the chooser (GET), or the link itself (POST)."""
    feedback = _feedback(request, feedback_id, Role.CONTRIBUTOR)
    if request.method == "POST":
        form = LinkForm(request.POST)
        problem = ""
        if form.is_valid():
            idea = Idea.objects.filter(
                product_id=feedback.product_id, pk=form.cleaned_data["idea"]
            ).first()
            if idea is None:
                problem = "That idea is not in this product."
            else:
                services.link(
                    request.user, feedback, idea=idea, importance=form.cleaned_data["importance"]
                )
        else:
            problem = "Choose an idea and an importance."
        return _triaged(request, feedback, problem)
    context = {
        "feedback": feedback,
        "product": feedback.product,
        "section": "feedback",
        "suggested": suggestions.for_text(feedback.product, feedback.text),
        "importance_choices": Importance.choices,
    }
    if request.headers.get("HX-Request"):
        return render(request, "discovery/link.html#chooser", context)
    return render(request, "discovery/link.html", context)


@login_required
def link_candidates(request: HttpRequest, feedback_id: int) -> HttpResponse:
    """Ideas matching what is typed in the link chooser (htmx fragment)."""
    feedback = _feedback(request, feedback_id)
    q = request.GET.get("q", "")[:200]
    ideas = Idea.objects.filter(product_id=feedback.product_id).exclude(status=IdeaStatus.DUPLICATE)
    found = list(search.matching(ideas, q).order_by("-vote_count", "-id")[:10]) if q else []
    return render(
        request,
        "discovery/link.html#candidates",
        {"feedback": feedback, "candidates": found, "q": q},
    )


@login_required
@require_POST
def feedback_unlink(request: HttpRequest, feedback_id: int) -> HttpResponse:
    feedback = _feedback(request, feedback_id, Role.CONTRIBUTOR)
    idea = as_id(request.POST.get("idea"))
    evidence = FeedbackLink.objects.filter(feedback=feedback)
    found = evidence.filter(idea_id=idea).first() if idea else None
    if found is not None:
        services.unlink(request.user, found)
    return _triaged(request, feedback)


@login_required
@require_POST
def feedback_state(request: HttpRequest, feedback_id: int) -> HttpResponse:
    """Archive, mark processed or reopen feedback (contributors triage)."""
    feedback = _feedback(request, feedback_id, Role.CONTRIBUTOR)
    form = StateForm(request.POST)
    if not form.is_valid():
        return _triaged(request, feedback, "Choose new, processed or archived.")
    services.update_feedback(request.user, feedback, {"state": form.cleaned_data["state"]})
    return _triaged(request, feedback)
