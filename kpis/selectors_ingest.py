"""The old path of ``kpis.selectors.ingest``, kept while the upload view still imports from it."""

from .selectors.ingest import template_month as template_month
from .selectors.ingest import template_rows as template_rows
