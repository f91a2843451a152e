"""The Integrated Performance Report (DESIGN §4.5, docs/ipr.md).

Its typed content (``content``), the rules for its matrix and commentary (``rules``), the reads that build
it (``selectors``, and ``divisions`` for the divisional grid), the stored copy the pages read (``store``),
and its pages (``views``, ``urls``). Its models are ``reviews.models.ipr``; its workflow and board pack are
``reviews.services.ipr`` and ``reviews.services.ipr_pack``.
"""
