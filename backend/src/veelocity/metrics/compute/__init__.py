"""Metric maths as small pure functions: statistics, levels, periods, trends."""
