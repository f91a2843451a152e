"""The setup pages the index lists (DESIGN §7): (title, URL name, what it is for), in order.

A page joins the index by a line here; the index shows only the pages the reader's role opens.
"""

SETUP_PAGES: tuple[tuple[str, str, str], ...] = (
    (
        "Setup workbook",
        "setup-workbook",
        "Download the whole setup as one workbook, or upload one: check it, preview it, apply it.",
    ),
    ("Organisation", "setup-organisation", "Add units, move them from a date, retire them."),
    ("People and roles", "setup-people", "Add people; give and end their roles, with dates."),
    (
        "Line managers",
        "line-managers",
        "Who line-manages whom: it decides who besides the person reads their individual scorecard.",
    ),
    (
        "Sign-in lock-outs",
        "setup-lockouts",
        "See who is locked out after failed sign-ins, and let them in again.",
    ),
    ("KPI catalogue", "setup-kpis", "Add and edit KPIs: every field of the catalogue, each change audited."),
    ("KPI suites", "setup-suites", "Copy last year's suite to a draft, choose its KPIs, approve it."),
    ("Targets and trajectories", "setup-plans", "A year's plans as a grid: KPIs × units × months."),
    (
        "Ratings and PRMs",
        "setup-reviews",
        "Rating criteria, freedoms, committees, terms of reference and the PRM slot.",
    ),
)
