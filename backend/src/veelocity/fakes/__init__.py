"""Local fakes of the upstream services, for tests, benchmarks and the demo."""
