"""The old path of ``kpis.selectors.sources``, kept while the KPI page's view still imports from it."""

from .selectors.sources import imported_from as imported_from
from .selectors.sources import official_file_notes as official_file_notes
