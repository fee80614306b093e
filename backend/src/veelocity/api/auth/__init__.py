"""HTTP endpoints: auth."""
