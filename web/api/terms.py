"""The legal terms in force and their four-eyes changes (issue 16, point 12): any signed-in user reads the table;
an analyst proposes a change; another analyst or an administrator approves it (the proposer gets 403)."""

from __future__ import annotations

from typing import Any

from apiflask import APIBlueprint

from web.api import json_body, schemas
from web.auth import requires, user
from web.services import services

bp = APIBlueprint("api_terms", __name__, url_prefix="/api/v1/terms", tag="Legal terms")


@bp.get("")
@bp.doc(summary="The legal terms in force: clause, term, unit, start event, source and version")
@requires()
def list_terms() -> Any:
    return {"terms": services().licensing.legal_terms()}


@bp.get("/proposals")
@bp.doc(summary="Proposed and approved changes of the legal terms, oldest first")
@requires("analyst", "admin", "auditor")
def list_proposals() -> Any:
    return {"proposals": services().licensing.term_proposals()}


@bp.post("/proposals")
@bp.doc(summary="Propose a change of one term (days, source, reason); effective only once a second person "
                "approves it")
@requires("analyst")
def propose() -> Any:
    body = json_body(schemas.TERM_PROPOSAL)
    return services().licensing.propose_term_change(body, user=user()), 201


@bp.post("/proposals/<proposal_id>/approve")
@bp.doc(summary="Approve a proposed change (another analyst or an administrator, never the proposer): it becomes "
                "the term in force")
@requires("analyst", "admin")
def approve(proposal_id: str) -> Any:
    return services().licensing.approve_term_change(proposal_id, user=user())
