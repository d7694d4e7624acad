"""Users, workspaces, memberships with roles, and API tokens."""

from __future__ import annotations

import hashlib
import secrets

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.text import slugify

from headway.core import clock


class User(AbstractUser):
    """A person who signs in to Headway."""

    class Meta:
        db_table = "accounts_user"


class Role(models.TextChoices):
    """What a member may do in a workspace, from most to least powerful."""

    OWNER = "owner", "Owner"
    ADMIN = "admin", "Admin"
    PRODUCT_MANAGER = "product_manager", "Product manager"
    CONTRIBUTOR = "contributor", "Contributor"
    VIEWER = "viewer", "Viewer"


#: Higher ranks include every right of the lower ones.
ROLE_RANK = {
    Role.VIEWER: 0,
    Role.CONTRIBUTOR: 1,
    Role.PRODUCT_MANAGER: 2,
    Role.ADMIN: 3,
    Role.OWNER: 4,
}


class Function(models.TextChoices):
    """The cross-functional team a member works in (readiness checklists, notifications)."""

    ENGINEERING = "engineering", "Engineering"
    QA = "qa", "QA"
    DESIGN = "design", "Design"
    PRODUCT = "product", "Product"
    MARKETING = "marketing", "Marketing"
    SALES = "sales", "Sales"
    SUPPORT = "support", "Support"
    LEADERSHIP = "leadership", "Leadership"


class Workspace(models.Model):
    """A team's space: it holds products, and its members see only its data."""

    name = models.CharField(max_length=120)
    slug = models.SlugField(max_length=140, unique=True, blank=True)
    created = models.DateTimeField(default=clock.now, editable=False)
    members = models.ManyToManyField(User, through="Membership", related_name="workspaces")

    class Meta:
        ordering = ["name", "id"]

    def __str__(self) -> str:
        return self.name

    def save(self, *args: object, **kwargs: object) -> None:
        if not self.slug:
            self.slug = unique_slug(Workspace, self.name)
        super().save(*args, **kwargs)  # type: ignore[arg-type]


class Membership(models.Model):
    """A user's role (and function) in one workspace."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="memberships")
    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(max_length=20, choices=Role.choices, default=Role.VIEWER)
    function = models.CharField(max_length=20, choices=Function.choices, blank=True)
    created = models.DateTimeField(default=clock.now, editable=False)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "workspace"], name="one_membership_per_user")
        ]
        ordering = ["workspace_id", "user__username"]

    def __str__(self) -> str:
        return f"{self.user} in {self.workspace} as {self.role}"


TOKEN_PREFIX = "hw_"  # noqa: S105 - a marker that makes leaked tokens easy to scan for


def hash_token(raw: str) -> str:
    """SHA-256 of a token: tokens are long random strings, so a fast hash is enough."""
    return hashlib.sha256(raw.encode()).hexdigest()


class ApiToken(models.Model):
    """A personal API token. Only its hash is stored; the token is shown once, at creation."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(max_length=100, default="API")
    digest = models.CharField(max_length=64, unique=True)
    prefix = models.CharField(max_length=12)
    created = models.DateTimeField(default=clock.now, editable=False)
    last_used = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created"]

    def __str__(self) -> str:
        return f"{self.prefix}… ({self.name})"

    @classmethod
    def issue(cls, user: User, name: str = "API") -> tuple[ApiToken, str]:
        """Create a token for `user`; returns the record and the raw token (shown once)."""
        raw = TOKEN_PREFIX + secrets.token_urlsafe(32)
        token = cls.objects.create(user=user, name=name, digest=hash_token(raw), prefix=raw[:10])
        return token, raw


def unique_slug(model: type[models.Model], text: str, field: str = "slug") -> str:
    """A slug for `text` not yet used in `model` (appending -2, -3, … when taken)."""
    base = slugify(text)[:100] or "item"
    slug, n = base, 1
    while model._default_manager.filter(**{field: slug}).exists():
        n += 1
        slug = f"{base}-{n}"
    return slug
