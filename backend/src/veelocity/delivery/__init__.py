"""Read models behind the drill-downs: repositories, deployments and incidents as lists."""
