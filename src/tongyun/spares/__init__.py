"""备品备件: spare parts under contractual caps (tender §14, SP-01 … SP-20)."""
