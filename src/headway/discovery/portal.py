"""The public ideas portal: `/portal/<product slug>/`, only when the product enables it.

Visitors browse, search and sort public ideas, submit one, vote and follow an idea by email.
No sign-in; submitting and voting are rate-limited per address (429 page), a honeypot field
catches naive bots. Only public fields are ever loaded into the templates (title, description,
status, votes, dates): no customer, revenue, internal note or private idea reaches this page.
The portal nav leaves room for the public roadmap and changelog.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from headway.core import ratelimit
from headway.discovery import search, services, suggestions, workflow
from headway.discovery.forms import FollowForm, PortalIdeaForm, PortalVoteForm
from headway.discovery.models import Idea, IdeaStatus, Vote
from headway.products.models import Product

#: Ideas a visitor may submit per address per hour, and votes per address per 10 minutes.
#: Settings of the same names override them (tests make them small).
SUBMIT_LIMIT, SUBMIT_WINDOW = 5, 3600
VOTE_LIMIT, VOTE_WINDOW = 30, 600
PER_PAGE = 30

#: The statuses a visitor can filter by, and the default view (what is still open).
FILTERS = {
    "open": [workflow.NEW, workflow.UNDER_REVIEW, workflow.PLANNED, workflow.IN_PROGRESS],
    "planned": [workflow.PLANNED, workflow.IN_PROGRESS],
    "shipped": [workflow.SHIPPED],
    "declined": [workflow.DECLINED],
}
#: Only these columns are read for the portal, so nothing internal can leak into a template.
PUBLIC_FIELDS = ("id", "product_id", "title", "description", "status", "vote_count", "created")


def _product(slug: str) -> Product:
    product = Product.objects.filter(slug=slug, portal_enabled=True).only("id", "name", "slug")
    found = product.first()
    if found is None:
        raise Http404("No portal here.")
    return found


def public_ideas(product: Product) -> QuerySet[Idea]:
    """The ideas a visitor may see: public, not merged away, and only their public columns."""
    return (
        Idea.objects.filter(product=product, public=True)
        .exclude(status=IdeaStatus.DUPLICATE)
        .only(*PUBLIC_FIELDS)
    )


def _limited(request: HttpRequest, product: Product, scope: str) -> HttpResponse | None:
    """Count one submission or vote for this address; the 429 page when over the limit."""
    if scope == "submit":
        limit = getattr(settings, "PORTAL_SUBMIT_LIMIT", SUBMIT_LIMIT)
        window = SUBMIT_WINDOW
    else:
        limit = getattr(settings, "PORTAL_VOTE_LIMIT", VOTE_LIMIT)
        window = VOTE_WINDOW
    state = ratelimit.hit(f"portal-{scope}", ratelimit.client_address(request), limit, window)
    if state.allowed:
        return None
    minutes = max(1, round(state.reset / 60))
    response = render(
        request,
        "discovery/portal/limited.html",
        {"product": product, "minutes": minutes, "scope": scope},
        status=429,
    )
    response["Retry-After"] = str(state.reset)
    return response


def _visitor(request: HttpRequest) -> dict[str, str]:
    """The name and email this browser used before (kept in its session), to vote in one click."""
    return {
        "name": request.session.get("portal_name", ""),
        "email": request.session.get("portal_email", ""),
    }


def _remember(request: HttpRequest, name: str, email: str) -> None:
    if name:
        request.session["portal_name"] = name
    request.session["portal_email"] = email.lower()


def _base_url(request: HttpRequest) -> str:
    return f"{request.scheme}://{request.get_host()}"


def home(request: HttpRequest, slug: str) -> HttpResponse:
    """Browse, search and sort the public ideas."""
    product = _product(slug)
    show = request.GET.get("show", "open")
    if show not in FILTERS and show != "all":
        show = "open"
    sort = "new" if request.GET.get("sort") == "new" else "top"
    q = request.GET.get("q", "")[:200]
    ideas = public_ideas(product)
    if show != "all":
        ideas = ideas.filter(status__in=FILTERS[show])
    ideas = search.matching(ideas, q)
    ideas = ideas.order_by(
        *(("-created", "-id") if sort == "new" else ("-vote_count", "-created", "-id"))
    )
    raw = str(request.GET.get("page", "1"))
    number = min(int(raw), 100_000) if raw.isdigit() and int(raw) > 0 else 1
    page = list(ideas[(number - 1) * PER_PAGE : number * PER_PAGE + 1])
    email = _visitor(request)["email"]
    voted = set()
    if email:
        voted = set(
            Vote.objects.filter(idea_id__in=[i.pk for i in page], voter_email=email).values_list(
                "idea_id", flat=True
            )
        )
    context = {
        "product": product,
        "ideas": page[:PER_PAGE],
        "voted": voted,
        "more": len(page) > PER_PAGE,
        "page_number": number,
        "q": q,
        "show": show,
        "sort": sort,
        "portal_section": "ideas",
    }
    if request.headers.get("HX-Request"):
        return render(request, "discovery/portal/home.html#results", context)
    return render(request, "discovery/portal/home.html", context)


def idea(request: HttpRequest, slug: str, idea_id: int) -> HttpResponse:
    """One public idea: its status, votes, and the forms to vote and follow it."""
    product = _product(slug)
    found = (
        Idea.objects.filter(product=product, public=True, pk=idea_id)
        .only(*PUBLIC_FIELDS, "merged_into_id")
        .first()
    )
    if found is None:
        raise Http404("No such idea.")
    if found.status == IdeaStatus.DUPLICATE and found.merged_into_id:
        return redirect("discovery:portal_idea", product.slug, found.merged_into_id)
    visitor = _visitor(request)
    context = {
        "product": product,
        "idea": found,
        "voted": bool(visitor["email"])
        and Vote.objects.filter(idea=found, voter_email=visitor["email"]).exists(),
        "vote_form": PortalVoteForm(initial=visitor),
        "follow_form": FollowForm(initial={"email": visitor["email"]}),
        "open": found.status in workflow.OPEN,
        "steps": _steps(found.status),
        "portal_section": "ideas",
    }
    return render(request, "discovery/portal/idea.html", context)


def _steps(status: str) -> list[dict[str, Any]]:
    """The road an idea travels, for the status tracker: done, current, or ahead."""
    road = [workflow.NEW, workflow.UNDER_REVIEW, workflow.PLANNED, workflow.IN_PROGRESS]
    road.append(workflow.SHIPPED)
    if status == workflow.DECLINED:
        return [
            {"label": IdeaStatus(workflow.NEW).label, "state": "done"},
            {"label": IdeaStatus(workflow.DECLINED).label, "state": "current"},
        ]
    reached = road.index(status) if status in road else 0
    return [
        {
            "label": IdeaStatus(step).label,
            "state": "done" if i < reached else "current" if i == reached else "ahead",
        }
        for i, step in enumerate(road)
    ]


def submit(request: HttpRequest, slug: str) -> HttpResponse:
    """Submit an idea (name and email, no account)."""
    product = _product(slug)
    form = PortalIdeaForm(initial=_visitor(request))
    if request.method == "POST":
        form = PortalIdeaForm(request.POST)
        if form.is_bot():
            # Answer as if it worked, so the bot learns nothing; store nothing.
            messages.success(request, "Thank you! Your idea was submitted.")
            return redirect("discovery:portal", product.slug)
        limited = _limited(request, product, "submit")
        if limited is not None:
            return limited
        if form.is_valid():
            data = form.cleaned_data
            created = services.submit_from_portal(
                product,
                title=data["title"],
                description=data["description"],
                name=data["name"],
                email=data["email"],
                base_url=_base_url(request),
            )
            _remember(request, data["name"], data["email"])
            messages.success(
                request, "Thank you! Your idea was submitted; we will email you when it moves."
            )
            return redirect("discovery:portal_idea", product.slug, created.pk)
    context = {"product": product, "form": form, "portal_section": "submit"}
    return render(
        request, "discovery/portal/submit.html", context, status=422 if form.errors else 200
    )


def suggestions_for(request: HttpRequest, slug: str) -> HttpResponse:
    """Public ideas like the one being typed, so visitors vote instead of repeating it."""
    product = _product(slug)
    title = request.GET.get("title", "")[:2000]
    body = request.GET.get("description", "")[:2000]
    found = [s.idea for s in suggestions.for_text(product, title, body, limit=15) if s.idea.public]
    text = f"{title} {body}".strip()
    return render(
        request,
        "discovery/portal/_suggestions.html",
        {"product": product, "ideas": found[:5], "text": text},
    )


@require_POST
def vote(request: HttpRequest, slug: str, idea_id: int) -> HttpResponse:
    """Vote for an idea by email (one vote per email per idea), or take the vote back."""
    product = _product(slug)
    found = public_ideas(product).filter(pk=idea_id).first()
    if found is None:
        raise Http404("No such idea.")
    page = reverse("discovery:portal_idea", args=[product.slug, found.pk])
    form = PortalVoteForm(request.POST)
    if form.is_bot():
        return redirect(page)
    limited = _limited(request, product, "vote")
    if limited is not None:
        return limited
    if not form.is_valid():
        for errors in form.errors.values():
            messages.error(request, " ".join(str(error) for error in errors))
        return redirect(page)
    email, name = form.cleaned_data["email"].lower(), form.cleaned_data["name"]
    try:
        if request.POST.get("action") == "unvote":
            services.unvote(found, voter_email=email)
            messages.success(request, "Your vote was taken back.")
        else:
            services.vote(found, voter_email=email)
            services.follow(found, email=email, name=name, base_url=_base_url(request))
            messages.success(request, "Thank you for your vote! We will email you when it moves.")
    except services.Conflict:
        messages.info(request, "You have already voted for this idea.")
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    _remember(request, name, email)
    return redirect(page)


@require_POST
def follow(request: HttpRequest, slug: str, idea_id: int) -> HttpResponse:
    """Follow an idea's status by email."""
    product = _product(slug)
    found = public_ideas(product).filter(pk=idea_id).first()
    if found is None:
        raise Http404("No such idea.")
    limited = _limited(request, product, "vote")
    if limited is not None:
        return limited
    form = FollowForm(request.POST)
    if form.is_valid():
        email = form.cleaned_data["email"]
        services.follow(found, email=email, base_url=_base_url(request))
        _remember(request, "", email)
        messages.success(request, "Done: we will email you when this idea moves.")
    else:
        messages.error(request, "Give a valid email address to follow this idea.")
    return redirect("discovery:portal_idea", product.slug, found.pk)


def unfollow(request: HttpRequest, slug: str, token: str) -> HttpResponse:
    """Stop following (the link in every status email): GET asks, POST does it."""
    product = _product(slug)
    if request.method == "POST":
        stopped = services.unfollow(product, token)
        context = {"product": product, "done": True, "stopped": stopped}
        return render(request, "discovery/portal/unfollow.html", context)
    return render(request, "discovery/portal/unfollow.html", {"product": product, "token": token})
