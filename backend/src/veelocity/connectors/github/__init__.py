"""GitHub and GitHub Actions: pull requests (GraphQL), the commit graph, workflow runs,
deployments and releases."""
