"""The trust's words on every page: ``{{ trust_words.division }}``, ``{{ trust_words.services|lower }}``."""

from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from .words import request_words


def words(request: HttpRequest) -> dict[str, object]:
    """``trust_words``: the trust's ``pmf.words.TrustWords``, read on a page's first use of a word (one query
    at most a request, shared with a view that reads them through ``request_words``; none on a page that
    uses no word)."""
    return {"trust_words": SimpleLazyObject(lambda: request_words(request))}
