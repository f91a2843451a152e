"""The reviews pages, one module per noun.

``ratings``: the trust overview, a division's page, the accountability review. ``meetings``: calendars, a
meeting, its record and its data pack. ``actions``: the action log and the FPEC summary paper. ``calendar``:
calendar addresses. The IPR's pages are ``reviews.ipr.views``.
"""
