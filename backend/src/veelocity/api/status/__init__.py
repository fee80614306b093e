"""HTTP endpoints: status."""
