"""The setup index: the setup pages the reader may open, from ``trust_setup.pages``."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import resolve, reverse

from pmf.permissions import can_open_setup, request_access, require

from ..pages import SETUP_PAGES


@require(can_open_setup)
def setup_index(request: HttpRequest) -> HttpResponse:
    access = request_access(request)
    pages = []
    for title, name, what in SETUP_PAGES:
        path = reverse(name)
        test = getattr(resolve(path).func, "access_test", None)
        if test is not None and test(access):
            pages.append((title, path, what))
    return render(request, "trust_setup/index.html", {"pages": pages})
