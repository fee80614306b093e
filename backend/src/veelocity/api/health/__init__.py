"""HTTP endpoints: health."""
