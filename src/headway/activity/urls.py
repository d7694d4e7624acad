"""Pages of the activity app (see views.py)."""

from __future__ import annotations

from django.urls import path

from headway.activity import views

app_name = "activity"
urlpatterns = [
    path("comments/<slug:kind>/<int:object_id>/", views.comments, name="comments"),
    path("comments/<int:pk>/edit/", views.edit_comment, name="comment-edit"),
    path("comments/<int:pk>/delete/", views.delete_comment, name="comment-delete"),
    path("history/<slug:kind>/<int:object_id>/", views.history, name="history"),
    path("watch/<slug:kind>/<int:object_id>/", views.watch, name="watch"),
    path("members/autocomplete", views.members_autocomplete, name="autocomplete"),
    path("notifications/", views.notifications, name="notifications"),
    path("notifications/<int:pk>/open/", views.open_notification, name="open"),
    path("notifications/settings/", views.notification_settings, name="notification-settings"),
    path("products/<int:product_id>/activity/", views.product_activity, name="product-activity"),
    path("workspaces/<int:workspace_id>/audit/", views.workspace_audit, name="audit"),
]
