"""HTTP endpoints: repositories, deployments and incidents (the drill-down lists)."""
