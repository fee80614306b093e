"""The Greptile connector: repositories' indexing status and the code reviews it ran."""
