"""HTTP endpoints: users."""
