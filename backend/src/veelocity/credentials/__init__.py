"""Source settings and their encrypted credentials."""
