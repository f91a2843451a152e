"""Everyone's own account: changing their password, and a reset by e-mail where the trust's mail server is
configured (``EMAIL_HOST``); without one the reset pages are not there and the sign-in page offers none."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.conf import settings
from django.contrib.auth import views as auth_views
from django.http import Http404, HttpRequest
from django.http.response import HttpResponseBase
from django.urls import reverse_lazy


def _only_with_email(view: Callable[..., HttpResponseBase]) -> Callable[..., HttpResponseBase]:
    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if not settings.EMAIL_HOST:
            raise Http404("Password reset by e-mail is not set up here: ask the performance team.")
        return view(request, *args, **kwargs)

    return wrapped


password_change = auth_views.PasswordChangeView.as_view(
    template_name="registration/password_change.html", success_url=reverse_lazy("password_change_done")
)
password_change_done = auth_views.PasswordChangeDoneView.as_view(
    template_name="registration/password_changed.html"
)
password_reset = _only_with_email(
    auth_views.PasswordResetView.as_view(
        template_name="registration/password_reset.html",
        email_template_name="registration/password_reset_email.txt",
        subject_template_name="registration/password_reset_subject.txt",
        success_url=reverse_lazy("password_reset_done"),
    )
)
password_reset_done = _only_with_email(
    auth_views.PasswordResetDoneView.as_view(template_name="registration/password_reset_sent.html")
)
password_reset_confirm = _only_with_email(
    auth_views.PasswordResetConfirmView.as_view(
        template_name="registration/password_reset_confirm.html",
        success_url=reverse_lazy("password_reset_complete"),
    )
)
password_reset_complete = _only_with_email(
    auth_views.PasswordResetCompleteView.as_view(template_name="registration/password_reset_complete.html")
)
