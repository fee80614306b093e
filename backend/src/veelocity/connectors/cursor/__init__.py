"""The Cursor connector: team members, daily usage, spend and AI lines per commit."""
