"""Running syncs on a schedule: the job registry, the scheduler and the job locks.

This package never imports the web layer; the composition roots (`app.py`, `cli.py`) wire
it to a database and start it.
"""
