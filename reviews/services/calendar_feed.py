"""Personal calendar-feed addresses: made, checked and reset.

A feed address carries a token that Outlook presents without a session, so the token is the key to the
person's meetings. It is signed with the ``SECRET_KEY`` and names the user and their
``calendar_feed_generation``; resetting raises the generation, so every address given out before stops
working at once and a new one is shown. Nothing else is stored: the token is the same on every page view until
the next reset.

Addresses made before generations existed signed the user's id alone; they still count as generation 0, so
subscriptions keep working until their owner (or the performance team) resets them.
"""

from __future__ import annotations

from django.core import signing
from django.db import transaction
from django.db.models import F

from pmf.models import User
from pmf.services.audit import record_audit

FEED_SALT = "pmf.reviews.calendar-feed"


def feed_token(user: User) -> str:
    """The token in ``user``'s current calendar address."""
    generation = user.calendar_feed_generation
    return signing.dumps([user.pk, generation] if generation else user.pk, salt=FEED_SALT)


def user_for_feed_token(token: str) -> User | None:
    """The active user whose *current* address carries ``token``, or None (forged, malformed or reset).

    1. Check the signature; a bad one is no one.
    2. Read the user id and generation (a bare id, from an address made before generations, is generation 0).
    3. The user must be active and still on that generation.
    """
    try:
        value = signing.loads(token, salt=FEED_SALT)
    except signing.BadSignature:
        return None
    if isinstance(value, int):
        pk, generation = value, 0
    elif isinstance(value, list) and len(value) == 2 and all(isinstance(v, int) for v in value):
        pk, generation = value
    else:
        return None
    return User.objects.filter(pk=pk, is_active=True, calendar_feed_generation=generation).first()


@transaction.atomic
def reset_calendar_feed(*, actor: User, user: User) -> User:
    """Give ``user`` a new calendar address; the old one stops working. Audited.

    The increment is done in the database, so two resets at once both count and neither address survives.
    """
    locked = User.objects.select_for_update().filter(pk=user.pk)
    before = locked.values_list("calendar_feed_generation", flat=True).get()
    User.objects.filter(pk=user.pk).update(calendar_feed_generation=F("calendar_feed_generation") + 1)
    user.refresh_from_db(fields=["calendar_feed_generation"])
    record_audit(
        actor=actor,
        verb="reset calendar address",
        object_type="pmf.User",
        object_id=user.pk,
        before={"calendar_feed_generation": before},
        after={"calendar_feed_generation": user.calendar_feed_generation},
        note="" if actor.pk == user.pk else f"for {user.get_username()}",
    )
    return user
