"""The live API against its own OpenAPI schema (schemathesis, in process through the WSGI app): every
operation, with generated parameters that fit the schema and that do not; no server error, and every
answer (status, content type, headers, body) as the schema says. The budget keeps it well under a
minute.

Every default check runs but one: "schema-valid data is accepted". A working group, report or
signature initiative is named by its slug; any string fits the schema, and an unknown one answers 400
with the list page's message, as it must (the rows are data, not schema)."""

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis.specs.openapi.checks import positive_data_acceptance

pytestmark = pytest.mark.django_db

# Examples per operation: 25 operations x (positive + negative).
BUDGET = {schemathesis.GenerationMode.POSITIVE: 12, schemathesis.GenerationMode.NEGATIVE: 6}


def run_operation(operation, mode, headers, tally):
    @settings(
        max_examples=BUDGET[mode],
        deadline=None,
        database=None,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    @given(case=operation.as_strategy(generation_mode=mode))
    def check(case):
        tally["cases"] += 1
        case.call_and_validate(headers=headers, excluded_checks=[positive_data_acceptance])

    check()


@pytest.fixture
def wsgi_app():
    """The project's WSGI app, called in this process on the test transaction. Like Django's test
    client, keep the request signals from closing the connection (inside the test's transaction,
    Django would take it for a broken one and close it)."""
    for signal in (request_started, request_finished):
        signal.disconnect(close_old_connections)
    try:
        yield get_wsgi_application()
    finally:
        for signal in (request_started, request_finished):
            signal.connect(close_old_connections)


def test_the_api_answers_as_its_schema_says(seeded, token, wsgi_app, capsys):
    schema = schemathesis.openapi.from_wsgi("/api/schema/?format=json", wsgi_app)
    headers = {"Authorization": f"Token {token.key}"}
    tally, failures, operations = {"cases": 0}, [], 0
    for result in schema.get_all_operations():
        operation = result.ok()
        operations += 1
        for mode in BUDGET:
            try:
                run_operation(operation, mode, headers, tally)
            except Unsatisfiable:
                continue  # nothing in this operation can be made invalid (e.g. no parameters)
            except (Exception, BaseExceptionGroup) as exc:  # collect every operation's failures
                failures.append(f"{operation.label} ({mode.value}): {exc}")
    with capsys.disabled():
        print(f"\nschemathesis: {operations} operations, {tally['cases']} cases, {len(failures)} failures")
    assert operations == 25
    assert not failures, "\n\n".join(failures)
