"""Audit trail: who did what, when, and whether it worked."""
