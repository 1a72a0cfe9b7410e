"""Session and password-reset tokens."""
