"""Internal command-line helpers."""
