from __future__ import annotations

from django.urls import URLPattern, URLResolver, path

from headway.strategy import views

app_name = "strategy"
urlpatterns: list[URLPattern | URLResolver] = [
    path("products/<int:product_id>/strategy/", views.strategy_page, name="page"),
    path("products/<int:product_id>/strategy/check/", views.check_page, name="check"),
    path("products/<int:product_id>/strategy/goals/new/", views.goal_new, name="goal-new"),
    path("strategy/goals/<int:pk>/edit/", views.goal_edit, name="goal-edit"),
    path("strategy/goals/<int:pk>/delete/", views.goal_delete, name="goal-delete"),
    path(
        "strategy/goals/<int:goal_id>/key-results/new/",
        views.key_result_new,
        name="key-result-new",
    ),
    path("strategy/key-results/<int:pk>/edit/", views.key_result_edit, name="key-result-edit"),
    path(
        "strategy/key-results/<int:pk>/delete/", views.key_result_delete, name="key-result-delete"
    ),
    path(
        "products/<int:product_id>/strategy/initiatives/new/",
        views.initiative_new,
        name="initiative-new",
    ),
    path("strategy/initiatives/<int:pk>/edit/", views.initiative_edit, name="initiative-edit"),
    path(
        "strategy/initiatives/<int:pk>/delete/", views.initiative_delete, name="initiative-delete"
    ),
]
