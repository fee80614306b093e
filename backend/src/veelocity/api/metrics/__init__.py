"""HTTP endpoints: metrics."""
