"""tongyun (统运): unified IT operations & maintenance management platform."""
