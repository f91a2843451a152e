from .cases import Committee, EscalationCase, EscalationEvent, Level, TriggerSetting
from .quality import DataQualityIssue

__all__ = [
    "Committee",
    "DataQualityIssue",
    "EscalationCase",
    "EscalationEvent",
    "Level",
    "TriggerSetting",
]
