"""The extraction of the tender's service demand table, by concern (see tools/extract_tender.py)."""
