"""/api/v1/ai: AI-assisted development (docs/ai-impact.md)."""
