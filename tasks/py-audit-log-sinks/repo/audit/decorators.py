"""Log every call of a function as an audit event."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any, TypeVar

from audit.logger import AuditLogger

F = TypeVar("F", bound=Callable[..., Any])


def audited(logger: AuditLogger, action: str, target_arg: str = "target") -> Callable[[F], F]:
    """Log ``action`` on ``kwargs[target_arg]`` by ``kwargs['actor']`` for each call."""

    def wrap(func: F) -> F:
        @functools.wraps(func)
        def inner(*args: Any, **kwargs: Any) -> Any:
            actor = str(kwargs.get("actor", "system"))
            target = str(kwargs.get(target_arg, "-"))
            try:
                result = func(*args, **kwargs)
            except Exception as exc:
                logger.log(actor, action, target, outcome="failure", error=type(exc).__name__)
                raise
            logger.log(actor, action, target)
            return result

        return inner  # type: ignore[return-value]

    return wrap
