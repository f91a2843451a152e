"""The trust's words in text built in Python: placeholders filled (``TrustWords.fill``), and the default texts
seeded in one trust's words written again when it renames its levels, unless it has edited them."""

from __future__ import annotations

import pytest

from divisions.models import Level
from divisions.services.org import set_level_labels
from escalation.models import Committee
from pmf.models import AuditEvent
from pmf.words import TrustWords, reworded
from reviews.models import Freedom
from reviews.services.defaults import seed_rating_defaults
from reviews.services.meetings import terms_of_reference
from tests.factories import TrustFactory

AMBULANCE = TrustWords.of(
    {Level.DIVISION: ("Directorate", "Directorates"), Level.SERVICE: ("Service line", "Service lines")}
)
TEMPLATE = "Use the budget flexibly across the {division}'s {services}; {Divisions} agree it."


def test_fill_writes_each_placeholder_in_the_trusts_words():
    assert AMBULANCE.fill(TEMPLATE) == (
        "Use the budget flexibly across the directorate's service lines; Directorates agree it."
    )
    assert (
        TrustWords().fill(TEMPLATE)
        == "Use the budget flexibly across the division's services; Divisions agree it."
    )
    assert AMBULANCE.fill("{x} {} {division") == "{x} {} {division"  # braces that name no word stay


def test_reworded_follows_only_a_text_still_as_seeded():
    seeded = TrustWords().fill(TEMPLATE)
    assert reworded(seeded, TEMPLATE, TrustWords(), AMBULANCE) == AMBULANCE.fill(TEMPLATE)
    assert reworded(seeded + " Edited.", TEMPLATE, TrustWords(), AMBULANCE) is None
    assert reworded(seeded, TEMPLATE, TrustWords(), TrustWords()) is None  # nothing reads differently


@pytest.mark.django_db
def test_renaming_the_levels_rewords_the_defaults_the_trust_has_not_edited():
    trust = TrustFactory()
    seed_rating_defaults(actor=None)
    terms = terms_of_reference("prm")
    edited = Freedom.objects.get(name="Own capital allocation")
    edited.detail = "Spend the division's capital as the Board agreed."
    edited.save()

    set_level_labels(actor=None, trust=trust, labels={Level.DIVISION: ("Directorate", "Directorates")})

    budget = Freedom.objects.get(name="Revenue authorisation limit")
    assert budget.detail == "Authorise revenue spend within the directorate's budget up to its limit."
    assert Freedom.objects.get(pk=edited.pk).detail == "Spend the division's capital as the Board agreed."
    terms.refresh_from_db()
    assert terms.purpose.startswith("To hold the directorate to account")
    board = Committee.objects.get(code="trust-board")
    assert board.purpose.startswith("Is told of directorates in special measures")
    events = AuditEvent.objects.filter(verb="reworded")
    assert {e.object_type for e in events} == {
        "reviews.Freedom",
        "reviews.TermsOfReference",
        "escalation.Committee",
    }
    assert "division's budget" in str(
        events.get(object_type="reviews.Freedom", object_id=str(budget.pk)).before
    )
