"""Who is calling the API, and with which roles: a Bearer token only.

The browser session of the workspaces (web/ui) is never accepted here: a form on another site can make a
signed-in browser send its cookie, but it cannot make it send an ``Authorization`` header.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any, TypeVar

from flask import g, request

from engine import User
from web.errors import problem
from web.services import services

F = TypeVar("F", bound=Callable[..., Any])


def presented_token() -> str | None:
    header = request.headers.get("Authorization", "")
    if not header.lower().startswith("bearer "):
        return None
    return header[7:].strip() or None


def current_user() -> User | None:
    if "user" in g:
        return g.user  # type: ignore[no-any-return]
    token = presented_token()
    user = services().accounts.resolve_token(token) if token else None
    g.user = user
    return user


def requires(*roles: str) -> Callable[[F], F]:
    """401 without a valid token, 403 for a role that may not."""

    def decorator(view: F) -> F:
        @functools.wraps(view)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            user = current_user()
            if user is None:
                return problem(401, "authentication required: send 'Authorization: Bearer <token>'")
            if roles and not user.has(*roles):
                return problem(403, f"this needs one of the roles: {', '.join(roles)}")
            return view(*args, **kwargs)

        wrapper.required_roles = roles  # type: ignore[attr-defined]  # read by the authorization matrix test
        return wrapper  # type: ignore[return-value]

    return decorator


def user() -> User:
    found = current_user()
    assert found is not None
    return found
