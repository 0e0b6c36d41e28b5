"""Signals other apps listen to without the sender importing them.

``change_recorded`` is sent by ``core.audit.record_change`` after every change record, inside the writing
transaction (keywords ``record`` and ``obj``). Every write of a service is in the history, so a listener that
derives figures from the records' objects sees every write: the statistics app recounts the organisations a
record touches.

``counts_changed`` is for the one write that records a single change for many objects (an import): the sender
names the organisations whose counted members changed (keyword ``organisations``: instances or ids).
"""

from django.dispatch import Signal

change_recorded = Signal()
counts_changed = Signal()
