"""Property-based requests generated from the OpenAPI schema (schemathesis): whatever the
parameters, the API answers without a server error."""
from __future__ import annotations

import tempfile
from pathlib import Path

import pytest

schemathesis = pytest.importorskip("schemathesis")
from hypothesis import HealthCheck, settings as hypothesis_settings  # noqa: E402
from schemathesis.checks import not_a_server_error  # noqa: E402

from observatory.desk.api import create_app  # noqa: E402
from observatory.record import accounts  # noqa: E402
from observatory.settings import load_settings  # noqa: E402
from observatory.record.store import open_store  # noqa: E402

_DB = Path(tempfile.mkdtemp(prefix="observatory-schema-")) / "schema.db"
_STORE = open_store(f"sqlite:///{_DB}")
with _STORE.session() as _session, _session.begin():
    # An admin's token, so the generated requests reach every write route, not only its 401.
    _HEADERS = {"authorization": "Bearer " + accounts.add_user(_session, "admin", role="admin",
                                                               by="test")}
# The test client's Host is "testserver".
APP = create_app(_STORE, load_settings(env={}, overrides={"allowed_hosts": "testserver"}))
schema = schemathesis.openapi.from_asgi("/openapi.json", APP)


@schema.parametrize()
@hypothesis_settings(max_examples=30, deadline=None,
                     suppress_health_check=list(HealthCheck))
def test_no_server_errors(case):
    case.call_and_validate(checks=[not_a_server_error], headers=_HEADERS)


def test_schema_is_valid_openapi():
    spec = APP.openapi()
    assert spec["openapi"].startswith("3.") and "/incidents" in spec["paths"]
