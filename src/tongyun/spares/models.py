"""Models of spares."""
