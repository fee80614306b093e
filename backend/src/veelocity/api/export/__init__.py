"""HTTP endpoints: export."""
