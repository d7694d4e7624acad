"""Pages of the accounts app (sign-in lives in web)."""

from __future__ import annotations

from django.urls import path

from headway.accounts import views

app_name = "accounts"
urlpatterns = [
    path("workspaces/<int:workspace_id>/members/", views.members, name="members"),
    path(
        "workspaces/<int:workspace_id>/members/<str:username>/",
        views.change_member,
        name="change-member",
    ),
]
