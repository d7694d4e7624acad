from __future__ import annotations

from django.urls import URLPattern, URLResolver, path

from headway.interchange import views

app_name = "interchange"
urlpatterns: list[URLPattern | URLResolver] = [
    path("products/<int:product_id>/interchange/", views.product_page, name="product"),
    path("imports/<int:import_id>/", views.import_page, name="import"),
    path("workspaces/<int:workspace_id>/webhooks/", views.webhooks_page, name="webhooks"),
    path("webhooks/<int:webhook_id>/", views.webhook_page, name="webhook"),
    path("webhooks/<int:webhook_id>/test/", views.webhook_test, name="webhook-test"),
    path("webhooks/<int:webhook_id>/delete/", views.webhook_delete, name="webhook-delete"),
]
