from __future__ import annotations

from django.urls import URLPattern, URLResolver, path

from headway.planning import views, views_scorecards

app_name = "planning"
urlpatterns: list[URLPattern | URLResolver] = [
    path("products/<int:product_id>/backlog/", views.backlog_page, name="backlog"),
    path("products/<int:product_id>/features/new", views.feature_create, name="feature-create"),
    path("features/<int:feature_id>/", views.feature_page, name="feature"),
    path("features/<int:feature_id>/spec.md", views.feature_spec, name="spec"),
    path("features/<int:feature_id>/stories/add", views.story_add, name="story-add"),
    path("stories/<int:story_id>/status", views.story_status, name="story-status"),
    path("stories/<int:story_id>/delete", views.story_delete, name="story-delete"),
    path("stories/<int:story_id>/criteria/add", views.criterion_add, name="criterion-add"),
    path("criteria/<int:criterion_id>/", views.criterion_save, name="criterion"),
    path("features/<int:feature_id>/risks/add", views.risk_add, name="risk-add"),
    path("risks/<int:risk_id>/delete", views.risk_delete, name="risk-delete"),
    path(
        "features/<int:feature_id>/requirements/add",
        views.requirement_add,
        name="requirement-add",
    ),
    path(
        "requirements/<int:requirement_id>/delete",
        views.requirement_delete,
        name="requirement-delete",
    ),
    path(
        "features/<int:feature_id>/dependencies/add",
        views.dependency_add,
        name="dependency-add",
    ),
    path(
        "features/<int:feature_id>/dependencies/<int:depends_on_id>/remove",
        views.dependency_remove,
        name="dependency-remove",
    ),
    path(
        "features/<int:feature_id>/scorecards/<int:scorecard_id>/rate",
        views.scorecard_rate,
        name="scorecard-rate",
    ),
    path(
        "products/<int:product_id>/scorecards/",
        views_scorecards.scorecards_page,
        name="scorecards",
    ),
    path(
        "products/<int:product_id>/scorecards/new",
        views_scorecards.scorecard_new,
        name="scorecard-new",
    ),
    path("scorecards/<int:pk>/edit", views_scorecards.scorecard_edit, name="scorecard-edit"),
    path("scorecards/<int:pk>/delete", views_scorecards.scorecard_delete, name="scorecard-delete"),
    path(
        "products/<int:product_id>/formulas/new",
        views_scorecards.formula_new,
        name="formula-new",
    ),
    path("formulas/<int:pk>/edit", views_scorecards.formula_edit, name="formula-edit"),
    path("formulas/<int:pk>/delete", views_scorecards.formula_delete, name="formula-delete"),
]
