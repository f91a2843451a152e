"""The trust's own words, read from its level labels and its profile (one query)."""

from __future__ import annotations

from django.db.models import Subquery
from django.http import HttpRequest

from pmf.words import TrustWords

from .models import Level, OrgUnit


def trust_words() -> TrustWords:
    """What the deployment's trust calls its levels and rating positions (one query).

    One deployment serves one trust (DESIGN §7); where the database holds more (the demonstration), the
    first by name is the one whose words are used, as the home page chooses. With no trust, the generic words.
    """
    first_trust = OrgUnit.objects.filter(level=Level.TRUST).order_by("name").values("pk")[:1]
    rows = OrgUnit.objects.filter(pk=Subquery(first_trust)).values_list(
        "level_labels__level",
        "level_labels__singular",
        "level_labels__plural",
        "profile__position_names",
        "profile__trust_type",
    )
    labels: dict[str, tuple[str, str]] = {}
    position_names: dict[str, str] = {}
    trust_type = ""
    for level, singular, plural, names, kind in rows:
        if level:
            labels[level] = (singular, plural)
        if isinstance(names, dict):
            position_names = names
        trust_type = kind or trust_type
    return TrustWords.of(labels, position_names, trust_type=trust_type)


_ON_REQUEST = "_pmf_trust_words"


def request_words(request: HttpRequest) -> TrustWords:
    """The trust's words for one request, read once (one query) and shared by its view and its page's
    template (the ``words`` context processor reads them from here too)."""
    words = getattr(request, _ON_REQUEST, None)
    if not isinstance(words, TrustWords):
        words = trust_words()
        setattr(request, _ON_REQUEST, words)
    return words
