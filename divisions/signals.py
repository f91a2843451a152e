"""Signals other apps listen to.

- ``level_labels_changed`` is sent, inside the writer's transaction, when the trust's words for its levels
  change (``divisions.services.org.set_level_labels``, ``start_trust``), with ``before`` and ``after`` (each
  a ``pmf.words.TrustWords``) and ``actor``. The apps that seeded default texts in the trust's words (the
  freedoms and terms of reference in ``reviews``, the committees' remits in ``escalation``) write those
  still as seeded in the new words; a text the trust has edited is left alone.
"""

from django.dispatch import Signal

level_labels_changed = Signal()
