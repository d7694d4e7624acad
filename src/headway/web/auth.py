"""Session sign-in, rate-limited per account and per address."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth import views as auth_views
from django.http import HttpRequest, HttpResponse

from headway.core import ratelimit

WINDOW = 300


def _idents(request: HttpRequest) -> list[tuple[str, str]]:
    username = str(request.POST.get("username", "")).lower()
    return [("login-user", username), ("login-addr", ratelimit.client_address(request))]


class RateLimitedLoginView(auth_views.LoginView):
    template_name = "registration/login.html"
    redirect_authenticated_user = True

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        limit = settings.LOGIN_RATE_LIMIT
        for scope, ident in _idents(request):
            window = ratelimit.peek(scope, ident, limit, WINDOW)
            if not window.allowed:
                response = self.render_to_response(
                    {**self.get_context_data(), "throttled": window.reset}, status=429
                )
                response["Retry-After"] = str(window.reset)
                return response
        return super().post(request, *args, **kwargs)

    def form_invalid(self, form: Any) -> HttpResponse:
        for scope, ident in _idents(self.request):
            ratelimit.hit(scope, ident, settings.LOGIN_RATE_LIMIT, WINDOW)
        return super().form_invalid(form)
