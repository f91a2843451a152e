from .actions import OPEN_STATUSES, Action, ActionStatus, ActionUpdate
from .ipr import IprContentVersion, IprDraftContent, IprReport
from .meetings import DataPack, Invitation, Meeting, MeetingKind, TermsOfReference
from .ratings import (
    AccountabilityReview,
    Criterion,
    DivisionRating,
    Freedom,
    PolicyBreach,
    SpecialMeasures,
)

__all__ = [
    "OPEN_STATUSES",
    "Action",
    "ActionStatus",
    "ActionUpdate",
    "DataPack",
    "Invitation",
    "Meeting",
    "MeetingKind",
    "TermsOfReference",
    "IprContentVersion",
    "IprDraftContent",
    "IprReport",
    "AccountabilityReview",
    "Criterion",
    "DivisionRating",
    "Freedom",
    "PolicyBreach",
    "SpecialMeasures",
]
