"""The small shared toolkit at the bottom of the layers: SQL helpers, money
rounding. It imports nothing of the project."""
