"""Core pages in the cross-unit access walk (core/tests/test_cross_unit_access.py)."""

# The district overview: the bureau, the supervisor and the PM (403 for the others, a unit included); its
# figures come from each domain's scoped selectors (tested in test_overview).
NOT_SCOPED_PAGES = {"overview"}
