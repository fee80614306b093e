"""HTTP endpoints: prs."""
