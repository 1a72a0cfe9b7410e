"""Exceptions raised while compiling or rendering templates."""

from __future__ import annotations


class TemplateError(Exception):
    """Base class for every templ error."""


class TemplateSyntaxError(TemplateError):
    """The template source is malformed; ``lineno`` is 1-based."""

    def __init__(self, message: str, lineno: int) -> None:
        super().__init__(f"line {lineno}: {message}")
        self.message = message
        self.lineno = lineno


class UndefinedError(TemplateError):
    """A value was missing while rendering in strict mode."""
