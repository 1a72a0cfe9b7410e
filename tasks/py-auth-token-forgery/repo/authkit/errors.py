"""Token errors. Callers map all of them to HTTP 401."""


class InvalidToken(Exception):
    """Malformed, wrongly signed or otherwise untrustworthy token."""


class ExpiredToken(InvalidToken):
    """The token was valid but its ``exp`` has passed."""
