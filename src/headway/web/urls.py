from __future__ import annotations

from django.contrib.auth import views as auth_views
from django.urls import path

from headway.web import views
from headway.web.auth import RateLimitedLoginView

app_name = "web"
urlpatterns = [
    path("", views.home, name="home"),
    path("products/<int:product_id>/", views.product_detail, name="product"),
    path("accounts/login/", RateLimitedLoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
]
