"""Signals other apps listen to.

`stored_data_changed` is sent when published values or stored SPC charts change in bulk (a refresh of the
stored charts), where no model's own save or delete signal fires. It is sent inside the writer's transaction.
"""

from django.dispatch import Signal

stored_data_changed = Signal()
