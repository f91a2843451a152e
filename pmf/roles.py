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
    SERVICE_MANAGER = "service_manager", "Service manager"
    WARD_MANAGER = "ward_manager", "Ward manager"
    COMMISSIONER = "commissioner", "Commissioner"
    VIEWER = "viewer", "Viewer"


# Held for one division, and reaching everything under it.
TRIUMVIRATE_ROLES = (Role.MANAGING_DIRECTOR, Role.CLINICAL_DIRECTOR, Role.CLINICAL_LEAD)

# Held for one unit below a division, reaching that unit and everything under it, and read-only above it:
# each role and the level of the unit it is held for (a service; a team, which an acute trust calls a ward
# and an ambulance trust's station or team). Their names in the trust's words: ``pmf.words``.
UNIT_MANAGER_ROLES: dict[str, str] = {Role.SERVICE_MANAGER: "service", Role.WARD_MANAGER: "team"}
