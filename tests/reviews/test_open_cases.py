"""A data pack's open cases come from the app that owns cases, supplied as it starts (reviews.open_cases)."""

import pytest
from django.core.exceptions import ImproperlyConfigured

from escalation.selectors import open_case_rows
from reviews import open_cases


def test_the_escalation_app_supplies_the_open_cases_as_it_starts():
    assert open_cases._readers == [open_case_rows]


def test_a_pack_without_a_supplier_of_cases_says_so(monkeypatch):
    monkeypatch.setattr(open_cases, "_readers", [])
    with pytest.raises(ImproperlyConfigured, match="'escalation' installed"):
        open_cases.open_escalations()
