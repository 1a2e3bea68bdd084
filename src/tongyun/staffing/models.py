"""Models of staffing."""
