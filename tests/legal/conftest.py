"""The legal-fidelity tests run against the web app like the API tests (simulated clock, demo users)."""

from tests.web.conftest import api, app, client, keys_dir  # noqa: F401
