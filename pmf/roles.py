"""The roles a user may hold (DESIGN §1 audiences): what the access rules and role assignments speak of.

The kernel owns the names so that the access rules (``pmf.permissions``) need no app; a role held for a
place in the organisation is a ``divisions.RoleAssignment``, read through ``user.role_assignments``.
"""

from django.db import models


class Role(models.TextChoices):
    PERFORMANCE_TEAM = "performance_team", "Performance team"
    EXECUTIVE = "executive", "Executive"
    BOARD_MEMBER = "board_member", "Board member"
    MANAGING_DIRECTOR = "managing_director", "Managing director"
    CLINICAL_DIRECTOR = "clinical_director", "Clinical director"
    CLINICAL_LEAD = "clinical_lead", "Clinical lead"
    COMMISSIONER = "commissioner", "Commissioner"
    VIEWER = "viewer", "Viewer"


# Held for one division, and reaching everything under it.
TRIUMVIRATE_ROLES = (Role.MANAGING_DIRECTOR, Role.CLINICAL_DIRECTOR, Role.CLINICAL_LEAD)
