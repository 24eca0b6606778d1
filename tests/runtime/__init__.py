"""The production runtime: the scheduler, /health/, logs."""
