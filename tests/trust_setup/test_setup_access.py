"""Every Setup page and action is the performance team's (issue 16, Deliver 3; DESIGN §7): a member of a
division's triumvirate who opens or posts to any of them, each with a real row to act on, is refused (403)
and nothing is written. A Setup URL added without a row here fails the first test, so no action can be added
without deciding who may take it. Who may open each page is in the matrix of tests/test_permissions.py."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from divisions.models import RoleAssignment
from pmf.models import AuditEvent, User
from reviews.models import Freedom
from tests.test_permissions import url_names
from tests.trust_setup.test_people_pages import lock_out
from tests.trust_setup.test_workbook import row_counts
from trust_setup.models import SetupImport
from trust_setup.workbook.service import export_xlsx

pytestmark = pytest.mark.django_db

TRIUMVIRATE = ["md.surgery", "cd.surgery", "cl.surgery"]
# The actions that are only posted: a GET is not allowed (405) for anyone.
POSTED = {
    "setup-role-add",
    "setup-role-end",
    "setup-lockout-lift",
    "setup-suite-copy",
    "setup-suite-approve",
    "setup-freedom-remove",
    "setup-workbook-apply",
}


def setup_urls(client) -> dict[str, dict[str, str | int]]:
    """Each Setup URL's arguments, naming rows that exist: a person, their role, a lock-out, a freedom and a
    setup workbook uploaded by the performance team."""
    viewer = User.objects.get(username="viewer")
    attempt = lock_out("viewer")
    client.force_login(User.objects.get(username="perf"))
    client.post(reverse("setup-workbook"), {"file": SimpleUploadedFile("setup.xlsx", export_xlsx())})
    client.logout()
    freedom = Freedom.objects.order_by("pk").first()
    assert freedom is not None
    return {
        "setup": {},
        "setup-organisation": {},
        "setup-unit-add": {},
        "setup-unit-move": {"code": "WLD-SUR-GEN"},
        "setup-unit-retire": {"code": "WLD-SUR-GEN"},
        "setup-people": {},
        "setup-person-add": {},
        "setup-person": {"pk": viewer.pk},
        "setup-role-add": {"pk": viewer.pk},
        "setup-role-end": {"pk": RoleAssignment.objects.get(user=viewer).pk},
        "setup-lockouts": {},
        "setup-lockout-lift": {"pk": attempt.pk},
        "setup-kpis": {},
        "setup-kpi-add": {},
        "setup-kpi": {"code": "SICK"},
        "setup-suites": {},
        "setup-suite-copy": {},
        "setup-suite": {"year": "2025-26"},
        "setup-suite-approve": {"year": "2025-26"},
        "setup-plans": {},
        "setup-reviews": {},
        "setup-criterion": {"code": "PERF"},
        "setup-freedom-add": {},
        "setup-freedom": {"pk": freedom.pk},
        "setup-freedom-remove": {"pk": freedom.pk},
        "setup-committee-add": {},
        "setup-committee": {"code": "fpec"},
        "setup-terms": {"kind": "prm"},
        "setup-prm-slot": {},
        "setup-workbook": {},
        "setup-workbook-download": {},
        "setup-workbook-template": {},
        "setup-workbook-import": {"pk": SetupImport.objects.get().pk},
        "setup-workbook-apply": {"pk": SetupImport.objects.get().pk},
    }


def test_every_setup_url_is_listed_here(client, world):
    names = {name for name in url_names() if name == "setup" or name.startswith("setup-")}
    assert names == set(setup_urls(client))


@pytest.mark.parametrize("username", TRIUMVIRATE)
def test_a_triumvirate_member_is_refused_every_setup_page_and_action_and_nothing_is_written(
    client, world, username
):
    urls = {name: reverse(name, kwargs=kwargs) for name, kwargs in setup_urls(client).items()}
    client.force_login(User.objects.get(username=username))
    before = row_counts()
    wrong = {}
    for name, url in urls.items():
        answer = (client.get(url).status_code, client.post(url, {"name": "x"}).status_code)
        if answer != (405 if name in POSTED else 403, 403):
            wrong[name] = answer
    assert wrong == {}
    assert row_counts() == before
    assert not AuditEvent.objects.filter(actor=username).exists()


def test_the_performance_team_opens_every_setup_page(client, world):
    urls = setup_urls(client)
    client.force_login(User.objects.get(username="perf"))
    opened = {
        name: client.get(reverse(name, kwargs=kwargs)).status_code
        for name, kwargs in urls.items()
        if name not in POSTED
    }
    assert {name: status for name, status in opened.items() if status != 200} == {}
