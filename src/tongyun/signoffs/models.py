"""Models of signoffs."""
