"""Quick order: "article qty" lines pasted or uploaded, resolved to products."""
