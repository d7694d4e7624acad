from __future__ import annotations

from django.urls import URLPattern, URLResolver, path

from headway.releases import views

app_name = "releases"
urlpatterns: list[URLPattern | URLResolver] = [
    path("products/<int:product_id>/releases/", views.release_list, name="list"),
    path("products/<int:product_id>/releases/new", views.release_create, name="create"),
    path("products/<int:product_id>/releases.ics", views.releases_ics, name="ics"),
    path("products/<int:product_id>/forecast/", views.forecast_page, name="forecast"),
    path("products/<int:product_id>/scenarios/new", views.scenario_create, name="scenario_create"),
    path("releases/<int:release_id>/", views.release_detail, name="detail"),
    path("releases/<int:release_id>/status", views.release_status, name="status"),
    path("readiness/<int:item_id>/tick", views.readiness_tick, name="tick"),
    path("scenarios/<int:scenario_id>/", views.scenario_detail, name="scenario"),
    path("scenarios/<int:scenario_id>/change", views.scenario_change, name="scenario_change"),
    path("scenarios/<int:scenario_id>/apply", views.scenario_apply, name="scenario_apply"),
    path("scenarios/<int:scenario_id>/discard", views.scenario_discard, name="scenario_discard"),
    path("portal/<slug:slug>/changelog/", views.portal_changelog, name="changelog"),
    path("portal/<slug:slug>/changelog.atom", views.portal_changelog_atom, name="changelog_atom"),
]
