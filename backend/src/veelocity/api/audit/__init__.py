"""HTTP endpoints: audit."""
