"""User accounts: creation, passwords, login sessions and login limits."""
