"""Property-based requests generated from the OpenAPI schema (schemathesis), bodies included,
on SQLite and PostgreSQL (in-process over ASGI): whatever the parameters and bodies, the API
answers without a server error, with a documented status code and content type, and a body
that matches the schema."""
from __future__ import annotations

from pathlib import Path

import pytest

schemathesis = pytest.importorskip("schemathesis")
from hypothesis import HealthCheck, Phase, given, settings as hypothesis_settings  # noqa: E402
from schemathesis import GenerationMode  # noqa: E402
from schemathesis.checks import (content_type_conformance, not_a_server_error,  # noqa: E402
                                 response_schema_conformance, status_code_conformance)

from test_store import _drop_postgres, _postgres_url  # noqa: E402
from observatory.desk.api import create_app  # noqa: E402
from observatory.reading import read_inputs  # noqa: E402
from observatory.record import accounts  # noqa: E402
from observatory.record.store import open_store  # noqa: E402
from observatory.record.store.ingest import ingest  # noqa: E402
from observatory.settings import load_settings  # noqa: E402

EXAMPLES = Path(__file__).resolve().parents[1] / "src/observatory/data/examples"
EXAMPLES_PER_OPERATION = 25
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance,
          response_schema_conformance]


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def served(request, tmp_path_factory, extractor):
    """An app over a store holding the bundled examples, and an admin's token, so the
    generated requests reach real rows and every write route, not only its 401."""
    if request.param == "sqlite":
        url, admin = f"sqlite:///{tmp_path_factory.mktemp('schema') / 'schema.db'}", None
    else:
        url, admin, name = _postgres_url()
    store = open_store(url)
    ingest(read_inputs([str(EXAMPLES)], limit=10_000_000), store=store, extractor=extractor)
    with store.session() as session, session.begin():
        token = accounts.add_user(session, "admin", role="admin", by="test")
    # The test client's Host is "testserver".
    app = create_app(store, load_settings(env={}, overrides={"allowed_hosts": "testserver"}))
    yield app, {"authorization": f"Bearer {token}"}
    store.close()
    if admin is not None:
        _drop_postgres(admin, name)


def test_conformance(served):
    """Each operation in turn, its own bounded number of generated requests (valid ones and
    ones the schema refuses); every failure is listed, not only the first."""
    app, headers = served
    failures = []
    for result in schemathesis.openapi.from_asgi("/openapi.json", app).get_all_operations():
        operation = result.ok()

        @given(case=operation.as_strategy(GenerationMode.POSITIVE)
               | operation.as_strategy(GenerationMode.NEGATIVE))
        @hypothesis_settings(max_examples=EXAMPLES_PER_OPERATION, deadline=None,
                             suppress_health_check=list(HealthCheck), database=None,
                             phases=[Phase.explicit, Phase.generate])
        def run(case):
            case.call_and_validate(checks=CHECKS, headers=headers)

        try:
            run()
        except (Exception, BaseExceptionGroup) as exc:  # schemathesis raises a group; listed below
            failures.append(f"{operation.label}: {exc}")
    assert not failures, "\n\n".join(failures)


def test_schema_is_valid_openapi(served):
    spec = served[0].openapi()
    assert spec["openapi"].startswith("3.") and "/incidents" in spec["paths"]
    body = spec["paths"]["/documents"]["post"]["requestBody"]["content"]
    assert {"text/plain", "text/html", "application/json"} <= set(body)
