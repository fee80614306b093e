"""HTTP endpoints: settings."""
