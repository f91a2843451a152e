"""Telling people what became of a form they posted."""

from collections.abc import Callable

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest


def tell(request: HttpRequest, step: Callable[[], object], *, done: str) -> bool:
    """Run a service ``step``: a refusal (``ValidationError``) is shown as the error, success as ``done``.

    Returns whether the step succeeded, for views that go on differently.
    """
    try:
        step()
    except ValidationError as error:
        messages.error(request, "; ".join(error.messages))
        return False
    messages.success(request, done)
    return True
