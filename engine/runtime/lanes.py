"""Who acts in a task's lane, and who may only look (CONTRACT.md §2 Officer tasks).

Every user task sits in a lane named after a role (engine/bpmn/rules.py); the task's ``role`` is that lane. A user
acts in a lane — claims, is assigned, saves a draft, completes — when one of its roles owns the lane; the head of
the unit also acts in the officer lane. Auditors and administrators read every task but act in none unless they
also hold the lane's role. Every lane check of the engine goes through this module.
"""

from __future__ import annotations

from collections.abc import Collection

from engine.errors import FieldProblem, Forbidden, InvalidInput

ALSO_ACTS_IN = {"head": ("officer",)}
READ_EVERY_LANE = ("auditor", "admin")


def acting_lanes(roles: Collection[str]) -> set[str]:
    lanes = set(roles)
    for role in roles:
        lanes.update(ALSO_ACTS_IN.get(role, ()))
    return lanes


def may_act(roles: Collection[str], lane: str) -> bool:
    return lane in acting_lanes(roles)


def may_read(roles: Collection[str], lane: str) -> bool:
    return may_act(roles, lane) or any(role in READ_EVERY_LANE for role in roles)


def require_reader(roles: Collection[str], lane: str, task_name: str) -> None:
    if not may_read(roles, lane):
        raise Forbidden(f"task '{task_name}' belongs to the role '{lane}'")


def require_actor(roles: Collection[str], lane: str, task_name: str) -> None:
    if not may_act(roles, lane):
        raise Forbidden(f"task '{task_name}' belongs to the role '{lane}'")


def require_assignee(username: str, roles: Collection[str] | None, lane: str) -> None:
    """``roles`` are the assignee's (None: no such active account); it must be able to act in the lane."""
    if roles is None:
        raise InvalidInput([FieldProblem("assignee", f"unknown user '{username}'")])
    if not may_act(roles, lane):
        raise InvalidInput([FieldProblem("assignee", f"'{username}' does not hold the role '{lane}' of this task")])


STAFF_LANES = ("officer", "signer", "head", "quality_authority")
SEE_EVERY_CLAIM = ("head", "admin")


def listed_lanes(roles: Collection[str]) -> set[str]:
    """The lanes a user's task list shows: those it acts in; every staff lane for an administrator."""
    if "admin" in roles:
        return set(STAFF_LANES)
    return acting_lanes(roles) & set(STAFF_LANES)


def sees_every_claim(roles: Collection[str]) -> bool:
    """The head of the unit (and the administrator) see tasks claimed by colleagues, to reassign them."""
    return any(role in SEE_EVERY_CLAIM for role in roles)
