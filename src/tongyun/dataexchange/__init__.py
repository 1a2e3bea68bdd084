"""数据对接: the government data resources each system hands over to the district data base (PF-04), the
rows' own interface duties (PF-05), and the daily push figures where a row sets them (row 69)."""
