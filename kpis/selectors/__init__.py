"""The KPI reads, one module per subject.

``standing``: a KPI's standing for units and months (``standings``), with the catalogue, plans, latest
values, the KPI page's chart and kitemarks. ``published``: the current published rows and the latest
published month. ``ingest``: what a data submission is checked against. ``sources``: which files a
unit's figures came from. The standing reads are also named here, as ``kpis.selectors.<name>``, the path
most readers use.
"""

from .standing import ChartData as ChartData
from .standing import LatestValue as LatestValue
from .standing import Standings as Standings
from .standing import catalogue as catalogue
from .standing import chart_for as chart_for
from .standing import kitemark_ratings as kitemark_ratings
from .standing import kitemark_rows as kitemark_rows
from .standing import latest_values as latest_values
from .standing import plan_tables as plan_tables
from .standing import plans as plans
from .standing import standings as standings
from .standing import units_with_chart as units_with_chart
