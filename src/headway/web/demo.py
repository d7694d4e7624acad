"""The demo workspace: deterministic, so screenshots, docs and tests can rely on it.

Each app contributes `populate(demo)` in its own `demo.py`; they run in dependency order.
"""

from __future__ import annotations

import datetime as dt
import importlib
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction

from headway.accounts.models import Function, Membership, Role, User, Workspace
from headway.products.models import Product

DEMO_USERNAME = "demo"
DEMO_PASSWORD = "headway-demo"  # noqa: S105 - published on purpose, it is the demo login
DEMO_WORKSPACE = "Demo"
DEMO_PRODUCT = "Acme Analytics"

#: Apps that add to the demo, in the order they run.
CONTRIBUTORS = [
    "products",
    "strategy",
    "releases",
    "planning",
    "discovery",
    "roadmaps",
    "activity",
    "interchange",
]


@dataclass
class Demo:
    """What the demo loaders share: the workspace, the product, the people, a fixed today."""

    workspace: Workspace
    product: Product
    users: dict[str, User]
    today: dt.date
    objects: dict[str, Any] = field(default_factory=dict)


TEAM = [
    # username, role, function
    ("demo", Role.OWNER, Function.PRODUCT),
    ("maya", Role.PRODUCT_MANAGER, Function.PRODUCT),
    ("tom", Role.PRODUCT_MANAGER, Function.ENGINEERING),
    ("priya", Role.CONTRIBUTOR, Function.ENGINEERING),
    ("sam", Role.CONTRIBUTOR, Function.SALES),
    ("lena", Role.CONTRIBUTOR, Function.SUPPORT),
    ("victor", Role.VIEWER, Function.LEADERSHIP),
]


def exists() -> bool:
    return Workspace.objects.filter(name=DEMO_WORKSPACE, products__name=DEMO_PRODUCT).exists()


def load(today: dt.date | None = None) -> Demo:
    """Create the demo workspace and everything in it, in one transaction."""
    today = today or dt.date.today()  # noqa: DTZ011 - the demo is dated around the local day
    with transaction.atomic():
        users: dict[str, User] = {}
        for username, _, _ in TEAM:
            user, created = User.objects.get_or_create(
                username=username,
                defaults={"email": f"{username}@acme.example", "first_name": username.title()},
            )
            if created or username == DEMO_USERNAME:
                user.set_password(DEMO_PASSWORD)
                user.save()
            users[username] = user
        workspace = Workspace.objects.create(name=DEMO_WORKSPACE)
        for username, role, function in TEAM:
            Membership.objects.create(
                user=users[username], workspace=workspace, role=role, function=function
            )
        product = Product.objects.create(
            workspace=workspace,
            name=DEMO_PRODUCT,
            vision=(
                "Every team at a mid-sized company answers its own data questions in minutes, "
                "without waiting for an analyst."
            ),
            north_star_metric="Weekly active question askers",
            portal_enabled=True,
            business_pm=users["maya"],
            technical_pm=users["tom"],
        )
        demo = Demo(workspace=workspace, product=product, users=users, today=today)
        for app in CONTRIBUTORS:
            try:
                module = importlib.import_module(f"headway.{app}.demo")
            except ModuleNotFoundError:
                continue
            module.populate(demo)
    return demo
