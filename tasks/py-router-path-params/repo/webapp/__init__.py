"""Team notes HTTP service (standard library only)."""
