"""HTTP endpoints: Linear cycles (sprints)."""
