"""The Sentry routes: projects and their repository, issues, error impact and series."""
