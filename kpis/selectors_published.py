"""The old path of ``kpis.selectors.published``, kept while the dashboard's reads still import from it."""

from .selectors.published import latest_published_month as latest_published_month
