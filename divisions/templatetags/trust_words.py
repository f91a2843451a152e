"""``{% get_trust_words as trust_words %}``: the trust's words in a template rendered with no request (a PDF,
an e-mail), where the ``words`` context processor does not run; a page already has them."""

from typing import Any

from django import template

from pmf.words import TrustWords

from ..words import trust_words

register = template.Library()


@register.simple_tag(takes_context=True)
def get_trust_words(context: Any) -> TrustWords:
    """The words the context has, or the trust's read now (one query)."""
    return context.get("trust_words") or trust_words()
