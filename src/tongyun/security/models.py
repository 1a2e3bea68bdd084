"""Models of security."""
