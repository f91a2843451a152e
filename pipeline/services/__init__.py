"""The pipeline's services.

``runs``: the passes over owed runs, catching up, and the runs the performance team is shown. ``queueing``:
owing a run after a publish (or again, once a failed run's cause is fixed) and telling a worker; it is the
one module that imports ``pipeline.tasks``, whose tasks run ``runs``.
"""
