"""The kernel: settings, the User, the audit trail, periods, access rules and the one value formatter.

It imports no other app of PMF (docs/architecture.md). The URLs, the Celery application and the home page
are on the roof (``roof/``).
"""
