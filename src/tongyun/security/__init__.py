"""安全合规: MLPS assessments, findings, vulnerabilities and patches, expiring obligations and
recurring duties (MS-, OT-06 … OT-08)."""
