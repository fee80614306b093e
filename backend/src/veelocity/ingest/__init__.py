"""Push ingest: deployments, incidents and pull requests sent by tools Veelocity does not
sync (Jenkins, Argo CD, GitLab, …), over HTTP with an ingest token or from a file."""
