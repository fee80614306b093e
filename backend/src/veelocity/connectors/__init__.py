"""Connectors: each upstream's HTTP client, its payload mapping and its sync."""
