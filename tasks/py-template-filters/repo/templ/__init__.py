"""templ: a small text templating engine for e-mails and markdown notes."""

from templ.environment import Environment, Template
from templ.errors import TemplateError, TemplateSyntaxError, UndefinedError

__all__ = ["Environment", "Template", "TemplateError", "TemplateSyntaxError", "UndefinedError"]
