"""Every operation of the OpenAPI document, fuzzed in-process: no input yields a 5xx."""

from __future__ import annotations

import tempfile
from pathlib import Path

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error

from tests.web.conftest import make_app
from tests.web.portal import Api

_tmp = Path(tempfile.mkdtemp(prefix="fuzz-"))
APP = make_app(f"sqlite:///{_tmp / 'fuzz.db'}", _tmp)
TOKENS = Api(APP.test_client())
schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", APP)


@pytest.mark.filterwarnings("ignore")
@schema.parametrize()
@settings(max_examples=25, deadline=None, derandomize=True,
          suppress_health_check=list(HealthCheck))
def test_no_operation_answers_with_a_server_error(case):
    user = "portal" if case.path.startswith(("/api/v1/applications", "/api/v1/files", "/api/v1/complaints")) \
        else "analyst" if case.path.startswith("/api/v1/processes") else "admin"
    response = case.call(headers={"Authorization": f"Bearer {TOKENS.token(user)}"})
    case.validate_response(response, checks=(not_a_server_error,))
