"""The main menu: each page is offered only to people its own view would let in.

A link's rule is not written twice: it is the permission test the view was wrapped in
with ``pmf.permissions.require``, read from the view the URL resolves to.
"""

from __future__ import annotations

from django.urls import resolve, reverse

from .permissions import Access

# (label, URL name), in the order the menu shows them.
MAIN_MENU = (
    ("Overview", "overview"),
    ("Board report", "ipr-latest"),
    ("Priorities", "priorities"),
    ("My scorecard", "my-scorecard"),
    ("Benchmarking", "benchmarking"),
    ("Ratings", "ratings"),
    ("Meetings", "calendar"),
    ("Actions", "actions"),
    ("Escalations", "escalation-cases"),
    ("Committees", "committees"),
    ("Contract exceptions", "exception-report"),
    ("Data uploads", "uploads"),
    ("After publishing", "pipeline-runs"),
    ("Data quality", "dq-issues"),
    ("Audit trail", "audit"),
    ("Setup", "setup"),
)


def menu_for(access: Access) -> list[tuple[str, str]]:
    """(label, path) of every main page ``access`` may open."""
    links = []
    for label, name in MAIN_MENU:
        path = reverse(name)
        test = getattr(resolve(path).func, "access_test", None)
        if test is not None and test(access):
            links.append((label, path))
    return links
