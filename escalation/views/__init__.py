"""The escalation pages, one module per noun.

``cases``: the case list, raising a case, a case and its ladder (plan, escalation, decision, closing).
``committees``: committees and their agendas. ``exception_report``: the contractual and CQUIN exception
report, with its PDF and CSV. ``data_quality``: the data-quality issue log.
"""
