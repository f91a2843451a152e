"""Statistical process control the Making Data Count way: XmR charts, their signals and their icons.

Pure computation, no Django: values and options in, typed results out.

- `analyse(values, ...)` charts one series and returns an `SpcResult`.
- `analyse_frame(frame, ...)` charts every series of a long DataFrame at once with array arithmetic and gives
  the same answers as `analyse` series by series.

Two rule sets are supported, `mdc` (NHS England's Single Chart Tool, the default) and `plotthedots` (the
NHS-R community's package); docs/spc.md explains the rules and where the two differ.
"""

from kpis.spc.frame import SpcFrameResult, analyse_frame
from kpis.spc.model import (
    Assurance,
    Direction,
    PointType,
    Rule,
    RuleSet,
    SpcOptions,
    SpcPoint,
    SpcResult,
    SpcSegment,
    VariationIcon,
)
from kpis.spc.single import analyse

__all__ = [
    "Assurance",
    "Direction",
    "PointType",
    "Rule",
    "RuleSet",
    "SpcFrameResult",
    "SpcOptions",
    "SpcPoint",
    "SpcResult",
    "SpcSegment",
    "VariationIcon",
    "analyse",
    "analyse_frame",
]
