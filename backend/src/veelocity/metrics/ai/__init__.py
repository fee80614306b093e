"""AI-assisted development: adoption, cohorts, before and after adoption, AI-weighted
failures (docs/ai-impact.md)."""
