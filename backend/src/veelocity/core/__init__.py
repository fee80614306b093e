"""Foundation shared by every layer: settings, database, errors, time, security primitives.

Nothing here imports another veelocity package (checked by import-linter).
"""
