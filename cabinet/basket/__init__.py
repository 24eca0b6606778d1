"""The basket for API clients: its lines, and adding through the basket service."""
