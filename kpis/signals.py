"""Signals other apps listen to.

- `stored_data_changed` is sent when published values or stored SPC charts change in bulk (a refresh of the
  stored charts, a load of national peer values), where no model's own save or delete signal fires. It is
  sent inside the writer's transaction.
- `data_published` is sent, inside the publishing transaction, by every service that changes what is
  published or how it is charted: a publish (upload, import, demo loader) and a recalculation of a chart's
  limits. Its arguments say what changed: ``kpi_ids`` (None for every KPI), ``first_month`` (the earliest
  month affected, or None for all) and ``reason``. The follow-on work (charts, ratings, schedules,
  escalations, IPR content) is not this app's: the publish pipeline (`pipeline/`) listens, records the
  work as owed in the same transaction, and runs it after the commit.
- `publish_requested` is sent by a publish of an upload before it writes anything, so that what follows a
  publish can say what it still needs set up. Each receiver returns a list of plain sentences, one for each
  thing missing (empty when nothing is); any sentence refuses the publish with it, so a publish never
  half-happens. The publish pipeline answers for the steps it runs (the four rating criteria).
"""

from django.dispatch import Signal

stored_data_changed = Signal()
data_published = Signal()
publish_requested = Signal()
