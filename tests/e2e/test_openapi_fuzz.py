"""Every operation of the OpenAPI schema, fuzzed in-process: no 5xx, and 2xx bodies as documented.

Examples are bounded (per operation: positive and negative data, no shrinking, no deadline) so
the whole app is covered in the suite; routes added later are picked up from the schema.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import hypothesis.strategies as st
import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from registry_io_e2e import import_tiny
from schemathesis.python import asgi

from gridloop.bootstrap import bootstrap
from gridloop.config import Settings
from gridloop.domain.cases.events import Role
from gridloop.entrypoints.web.app import create_app

AT = 1_700_000_000_000
MAX_EXAMPLES = 15
# POST /auth/logout revokes the token the run signs in with; tests/e2e cover it on its own
SKIP = {("POST", "/api/v1/auth/logout")}
# an event stream (the feed) is cut here, keeping what it sent; any other answer comes well before
READ_TIMEOUT_S = 3.0
BOUNDED = settings(
    max_examples=MAX_EXAMPLES,
    phases=[Phase.explicit, Phase.generate],
    deadline=None,
    database=None,
    derandomize=True,
    suppress_health_check=list(HealthCheck),
)


@dataclass
class Target:
    schema: schemathesis.BaseSchema
    tokens: dict[Role, str]
    known: dict[str, str]  # path parameter name → an id that exists
    problems: list[str] = field(default_factory=list)


@pytest.fixture(scope="module")
def target(tmp_path_factory: pytest.TempPathFactory, tiny_source: Path) -> Iterator[Target]:
    root = tmp_path_factory.mktemp("fuzz")
    config = root / "gridloop.toml"
    config.write_text("[api]\nrate_per_s = 1e9\nburst = 1000000000\n", encoding="utf-8")
    core = bootstrap(Settings(db_path=root / "gridloop.db", config_path=config))
    devices = import_tiny(core, tiny_source)
    accounts = core.account_service()
    tokens = {}
    for role in (Role.DISTRICT_ADMIN, Role.AUDITOR):
        accounts.add_user(role.value, role, None, AT)
        tokens[role] = accounts.issue_api_token(role.value, "fuzz", AT)
    care = next(d for d in devices if d.kind == "elderly_care")
    known = {"device_id": care.id, "resident_id": str(care.attrs["resident_id"])}
    schema = schemathesis.openapi.from_asgi("/openapi.json", create_app(core.settings))
    try:
        yield Target(schema, tokens, known)
    finally:
        asgi.shutdown_lifespans()  # the ASGI transport keeps the app's lifespan open until then


def _fuzz(target: Target, role: Role, methods: set[str]) -> list[str]:
    """Run every operation with these methods as `role`; what went wrong, one line each."""
    headers = {"Authorization": f"Bearer {target.tokens[role]}"}
    found: list[str] = []
    operations = [r.ok() for r in target.schema.get_all_operations()]
    assert operations, "the schema lists no operation"
    for operation in operations:
        if (
            operation.method.upper() not in methods
            or (operation.method.upper(), operation.path) in SKIP
        ):
            continue
        names = {p.name for p in operation.path_parameters}
        fixed = {k: v for k, v in target.known.items() if k in names}
        modes = [schemathesis.GenerationMode.POSITIVE, schemathesis.GenerationMode.NEGATIVE]
        strategies = [operation.as_strategy(generation_mode=m, headers=headers) for m in modes]
        if fixed:
            strategies.append(operation.as_strategy(headers=headers, path_parameters=fixed))

        @BOUNDED
        @given(case=st.one_of(strategies))
        def run(case: schemathesis.Case) -> None:
            response = case.call(timeout=READ_TIMEOUT_S)
            status = response.status_code
            where = f"{case.method} {case.formatted_path}"
            if status >= 500:
                found.append(f"{status} {where}: {case.as_curl_command()} → {response.text[:300]}")
            elif role is Role.AUDITOR and status < 300:
                found.append(
                    f"auditor changed something: {status} {where} {case.as_curl_command()}"
                )
            elif 200 <= status < 300:
                try:
                    case.operation.validate_response(response, case=case)
                except Exception as e:  # a schema violation: report it with the others
                    found.append(f"{status} {where} does not match its schema: {str(e)[:300]}")

        run()
    return found


def test_no_operation_answers_5xx_and_2xx_bodies_match_the_schema(target: Target) -> None:
    found = _fuzz(target, Role.DISTRICT_ADMIN, {"GET", "POST", "PUT", "PATCH", "DELETE"})
    assert not found, "\n".join(dict.fromkeys(found))


def test_an_auditor_changes_nothing_anywhere(target: Target) -> None:
    unsafe = {"POST", "PUT", "PATCH", "DELETE"}
    found = _fuzz(target, Role.AUDITOR, unsafe)
    # signing in is not changing the district's data
    found = [f for f in found if "/api/v1/auth/login" not in f]
    assert not found, "\n".join(dict.fromkeys(found))
