from __future__ import annotations

from django.urls import path

from headway.discovery import imports, portal, views

app_name = "discovery"
urlpatterns = [
    path("products/<int:product_id>/ideas/", views.ideas, name="ideas"),
    path(
        "products/<int:product_id>/ideas/suggestions/",
        views.idea_suggestions,
        name="idea_suggestions",
    ),
    path("ideas/<int:idea_id>/", views.idea_detail, name="idea"),
    path("ideas/<int:idea_id>/edit/", views.idea_edit, name="idea_edit"),
    path("ideas/<int:idea_id>/status/", views.idea_status, name="idea_status"),
    path("ideas/<int:idea_id>/vote/", views.idea_vote, name="idea_vote"),
    path("ideas/<int:idea_id>/proxy-vote/", views.idea_proxy_vote, name="idea_proxy_vote"),
    path(
        "ideas/<int:idea_id>/proxy-vote/<int:customer_id>/withdraw/",
        views.idea_proxy_unvote,
        name="idea_proxy_unvote",
    ),
    path("ideas/<int:idea_id>/merge/", views.idea_merge, name="idea_merge"),
    path("ideas/<int:idea_id>/merge/candidates/", views.merge_candidates, name="merge_candidates"),
    path("ideas/<int:idea_id>/promote/", views.idea_promote, name="idea_promote"),
    path("products/<int:product_id>/feedback/", views.feedback_inbox, name="feedback"),
    path("products/<int:product_id>/feedback/triage/", views.triage, name="triage"),
    path("products/<int:product_id>/feedback/import/", imports.upload, name="feedback_import"),
    path("feedback/<int:feedback_id>/link/", views.feedback_link, name="feedback_link"),
    path(
        "feedback/<int:feedback_id>/link/candidates/",
        views.link_candidates,
        name="link_candidates",
    ),
    path("feedback/<int:feedback_id>/unlink/", views.feedback_unlink, name="feedback_unlink"),
    path("feedback/<int:feedback_id>/state/", views.feedback_state, name="feedback_state"),
    # The public portal: no sign-in, only public fields.
    path("portal/<slug:slug>/", portal.home, name="portal"),
    path("portal/<slug:slug>/submit/", portal.submit, name="portal_submit"),
    path("portal/<slug:slug>/suggestions/", portal.suggestions_for, name="portal_suggestions"),
    path("portal/<slug:slug>/ideas/<int:idea_id>/", portal.idea, name="portal_idea"),
    path("portal/<slug:slug>/ideas/<int:idea_id>/vote/", portal.vote, name="portal_vote"),
    path("portal/<slug:slug>/ideas/<int:idea_id>/follow/", portal.follow, name="portal_follow"),
    path("portal/<slug:slug>/unfollow/<str:token>/", portal.unfollow, name="portal_unfollow"),
]
