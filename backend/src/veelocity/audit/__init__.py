"""The audit log of state-changing actions."""

from veelocity.audit.log import Actor, AuditPage, list_events, record_event

__all__ = ["Actor", "AuditPage", "list_events", "record_event"]
