"""The HTTP API: one folder per feature; routers only translate HTTP into service calls."""

#: Every feature router carries the full prefix itself, so a route's own path is the path
#: clients call (metrics and logs label requests by it).
API_PREFIX = "/api/v1"
