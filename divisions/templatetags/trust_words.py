"""``{% get_trust_words as trust_words %}``: the trust's words in any template, a PDF's or an e-mail's
rendered with no request (where the ``words`` context processor does not run) included."""

from typing import Any

from django import template
from django.utils.functional import SimpleLazyObject

from ..words import trust_words

register = template.Library()


@register.simple_tag(takes_context=True)
def get_trust_words(context: Any) -> Any:
    """The words the context has, or the trust's, read on their first use (one query)."""
    if "trust_words" in context:
        return context["trust_words"]
    return SimpleLazyObject(trust_words)
