from __future__ import annotations

from django.urls import URLPattern, URLResolver, path

from headway.products import views

app_name = "products"
urlpatterns: list[URLPattern | URLResolver] = [
    path("products/<int:product_id>/vision/edit/", views.vision_edit, name="vision-edit"),
    path("products/<int:product_id>/personas/new/", views.persona_new, name="persona-new"),
    path("personas/<int:pk>/edit/", views.persona_edit, name="persona-edit"),
    path("personas/<int:pk>/delete/", views.persona_delete, name="persona-delete"),
    path("products/<int:product_id>/competitors/new/", views.competitor_new, name="competitor-new"),
    path("competitors/<int:pk>/edit/", views.competitor_edit, name="competitor-edit"),
    path("competitors/<int:pk>/delete/", views.competitor_delete, name="competitor-delete"),
    path("products/<int:product_id>/capabilities/", views.capabilities, name="capabilities"),
    path(
        "products/<int:product_id>/capabilities/new/",
        views.capability_new,
        name="capability-new",
    ),
    path("capabilities/<int:pk>/edit/", views.capability_edit, name="capability-edit"),
    path("capabilities/<int:pk>/delete/", views.capability_delete, name="capability-delete"),
    path("capabilities/<int:pk>/levels/<str:column>/", views.level, name="level"),
]
