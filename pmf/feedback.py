"""Telling people what became of a form they posted."""

from collections.abc import Callable
from typing import TypeVar

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest

T = TypeVar("T")


def tell(request: HttpRequest, step: Callable[[], T], *, done: str | Callable[[T], str]) -> bool:
    """Run a service ``step``: a refusal (``ValidationError``) is shown as the error, success as ``done``.

    ``done`` is the message, or a function of what the step returned that writes it, for a message that
    gives the step's own counts. Returns whether the step succeeded, for views that go on differently.
    """
    try:
        result = step()
    except ValidationError as error:
        messages.error(request, "; ".join(error.messages))
        return False
    messages.success(request, done(result) if callable(done) else done)
    return True
