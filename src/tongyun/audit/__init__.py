"""Browsing the audit trail recorded by django-auditlog (who, when, what, before and after)."""
