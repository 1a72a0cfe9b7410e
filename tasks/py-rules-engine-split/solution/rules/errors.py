"""Errors shared by the parser and rule sets."""


class RuleSyntaxError(ValueError):
    """A rule or condition that does not follow the documented syntax."""
