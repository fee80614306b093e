"""HTTP endpoints: Linear issues, their metrics, and the Linear teams and projects."""
