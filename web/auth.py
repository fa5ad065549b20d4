"""Who is calling: a Bearer token (API) or a signed-in browser session (workspaces), and roles."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any, TypeVar

from flask import current_app, g, request
from flask_login import current_user as browser_user

from engine.accounts import User
from web.errors import problem
from web.services import services

F = TypeVar("F", bound=Callable[..., Any])


def current_user() -> User | None:
    if "user" in g:
        return g.user  # type: ignore[no-any-return]
    user: User | None = None
    header = request.headers.get("Authorization", "")
    if header.lower().startswith("bearer "):
        user = services().accounts.resolve_token(header[7:].strip())
    elif hasattr(current_app, "login_manager") and browser_user.is_authenticated:
        user = browser_user.user
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
