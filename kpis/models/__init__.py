from .catalogue import Direction, Domain, Kpi, KpiSuite, KpiSuiteEntry, StrategicObjective, Tag
from .commentary import Commentary, CommentaryReminder
from .data import Measurement, MonthLock, Upload
from .quality import Kitemark
from .relationships import KpiRelationship
from .spc import Recalculation, SpcPoint, SpcSeries
from .targets import Target, Trajectory

__all__ = [
    "Commentary",
    "CommentaryReminder",
    "Direction",
    "Domain",
    "Kitemark",
    "Kpi",
    "KpiSuite",
    "KpiRelationship",
    "KpiSuiteEntry",
    "Measurement",
    "MonthLock",
    "Recalculation",
    "SpcPoint",
    "SpcSeries",
    "StrategicObjective",
    "Tag",
    "Target",
    "Trajectory",
    "Upload",
]
