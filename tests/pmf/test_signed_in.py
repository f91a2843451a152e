"""signed_in: the typed user a view hands its services as the actor."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.test import RequestFactory

from pmf.permissions import signed_in
from tests.factories import UserFactory


def test_signed_in_returns_the_requests_user(db):
    request = RequestFactory().post("/")
    request.user = UserFactory(username="perf")

    assert signed_in(request).get_username() == "perf"


def test_signed_in_refuses_an_anonymous_request():
    """A view that forgot ``require`` must not write an action in nobody's name."""
    request = RequestFactory().post("/")
    request.user = AnonymousUser()

    with pytest.raises(PermissionDenied):
        signed_in(request)
