from __future__ import annotations

from django.urls import URLPattern, URLResolver, path

from headway.roadmaps import views

app_name = "roadmaps"
urlpatterns: list[URLPattern | URLResolver] = [
    path("roadmaps/drawing.css", views.drawing_css, name="drawing_css"),
    path("products/<int:product_id>/roadmaps/", views.roadmap_list, name="list"),
    path("products/<int:product_id>/radar/", views.radar, name="radar"),
    path("radar/<int:blip_id>/ring", views.move_blip, name="move_blip"),
    path("roadmaps/<int:roadmap_id>/", views.roadmap_detail, name="detail"),
    path("roadmaps/<int:roadmap_id>/items/<str:item>/move", views.move_item, name="move"),
    path("roadmaps/<int:roadmap_id>/snapshots", views.take_snapshot, name="snapshot"),
    path("roadmaps/<int:roadmap_id>/compare/", views.compare, name="compare"),
    path("roadmaps/<int:roadmap_id>/share", views.share, name="share"),
    path("roadmaps/<int:roadmap_id>/share/<int:link_id>/revoke", views.revoke, name="revoke"),
    path("shared/roadmaps/<str:token>/", views.shared, name="shared"),
    path("portal/<slug:slug>/roadmap/", views.portal_roadmap, name="portal"),
]
