"""The Sentry connector: projects, releases with their commits and deploys, issues, the
events the incident thresholds need, and error counts per project and day."""
