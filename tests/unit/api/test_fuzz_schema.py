"""Property-based fuzzing of the OpenAPI schema with schemathesis: for every operation, requests
that fit the schema (positive) and requests that break it (negative). No answer may be a 5xx,
and every answer must match what /openapi.json promises (status code, content type, body).

Bounded: a fixed number of examples per operation and mode (about a minute in all); runs with
the unit tests, so in CI. `pytest -m fuzz` runs only these.
"""

from __future__ import annotations

import os
import shutil

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode
from schemathesis.checks import positive_data_acceptance
from schemathesis.config import SchemathesisConfig

from assistant.api import create_app
from tests.unit.api.conftest import AUTH, make_components
from tests.unit.api.test_openapi import ENDPOINTS
from tests.unit.conftest import TINY_DOCS

pytestmark = pytest.mark.fuzz
EXAMPLES = 50  # per operation and mode


@pytest.fixture(scope="module")
def api_schema(tmp_path_factory):
    root = tmp_path_factory.mktemp("fuzz")
    corpus = root / "corpus"
    corpus.mkdir()
    for name, text in TINY_DOCS.items():
        (corpus / name).write_text(text, "utf-8")
    app = create_app(make_components(root, corpus))
    app.state.wijkwijs.warm_up()
    config = SchemathesisConfig()
    # Extra query parameters are ignored, as HTTP APIs do (cache busters); the token is sent by
    # the test itself (missing/wrong tokens are tested in test_documents / test_security).
    config.projects.default.generation.update(allow_extra_parameters=False, with_security_parameters=False)
    # a schema-violating body can also be too large for its route: 413 rejects it as well
    rejection = config.projects.default.checks.negative_data_rejection
    rejection.expected_statuses = [*rejection.expected_statuses, "413"]
    yield schemathesis.openapi.from_asgi("/openapi.json", app, config=config)
    shutil.rmtree(root, ignore_errors=True)


def test_the_fuzzed_operations_are_all_operations(api_schema):
    found = {(op.ok().method.lower(), op.ok().path) for op in api_schema.get_all_operations()}
    assert found == ENDPOINTS


@pytest.mark.parametrize("mode", [GenerationMode.POSITIVE, GenerationMode.NEGATIVE], ids=str)
@pytest.mark.parametrize("method, path", sorted(ENDPOINTS), ids=lambda v: v if isinstance(v, str) else "")
def test_no_server_errors_and_answers_match_the_schema(api_schema, method, path, mode):
    operation = api_schema[path][method.upper()]

    @given(case=operation.as_strategy(generation_mode=mode))
    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        suppress_health_check=list(HealthCheck),
        derandomize=os.environ.get("FUZZ_RANDOM") != "1",  # fixed examples unless FUZZ_RANDOM=1
        database=None,
    )
    def run(case):
        # All checks except "schema-valid data is accepted": some rules cannot be said in a
        # schema (a file's content must match its extension, a question must not be only
        # spaces, the last chat message must be the user's) and are refused with 415/422.
        case.call_and_validate(headers=AUTH, excluded_checks=[positive_data_acceptance])

    try:
        run()
    except Unsatisfiable:
        if mode == GenerationMode.POSITIVE:
            raise
        # Nothing to break: no body or parameters, or only a free-text path parameter.
        pytest.skip("geen schema-schendende invoer mogelijk voor deze operatie")
