from .ratings import (
    AccountabilityReview,
    Criterion,
    DivisionRating,
    Freedom,
    PolicyBreach,
    SpecialMeasures,
)

__all__ = [
    "AccountabilityReview",
    "Criterion",
    "DivisionRating",
    "Freedom",
    "PolicyBreach",
    "SpecialMeasures",
]
