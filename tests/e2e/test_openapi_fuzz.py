"""Every operation of the OpenAPI schema, fuzzed in-process with all of schemathesis's checks:
no 5xx, every status code, content type, header and body as documented, schema-valid requests
accepted, schema-invalid ones refused, and authentication enforced where it is declared.

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
from schemathesis.core.failures import Failure, FailureGroup
from schemathesis.python import asgi

from gridloop.bootstrap import bootstrap
from gridloop.config import Settings
from gridloop.domain.cases.events import Role
from gridloop.entrypoints.web.app import create_app

AT = 1_700_000_000_000
MAX_EXAMPLES = 15
# POST /auth/logout revokes the token the run signs in with; tests/e2e cover it on its own
SKIP = {("POST", "/api/v1/auth/logout")}
ALL_METHODS = {"GET", "POST", "PUT", "PATCH", "DELETE"}
# what an auditor must never do with success (signing in changes none of the district's data)
CHANGES = {"POST", "PUT", "PATCH", "DELETE"}
NOT_A_CHANGE = {"/api/v1/auth/login"}
# Schema-valid requests the server may refuse with 422 for a reason no schema can state, each
# recognised by its problem's detail: (method, path) → detail prefix → why.
STATEFUL_REFUSALS = {
    ("GET", "/api/v1/cases"): {
        "cursor: ": "an opaque cursor: only one the server gave out is valid",
    },
    ("GET", "/api/v1/reports"): {
        "from: must be before to": "a rule across two parameters",
    },
    ("POST", "/api/v1/cases/{case_id}/actions"): {
        "attachments: ": "a well-formed hash that was never uploaded",
        "until: ": "a time that matches the pattern but is out of the clock's range",
    },
}
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
    role: Role = Role.DISTRICT_ADMIN  # whose token the auth provider hands out
    problems: list[str] = field(default_factory=list)


class _Bearer:
    """The run's credentials as schemathesis's own auth, so that its `ignored_auth` check
    knows them for valid and probes each operation without them and with a wrong one."""

    target: Target  # set by the fixture: schemathesis makes the provider with no arguments

    def get(self, case: schemathesis.Case, context: object) -> str:
        return self.target.tokens[self.target.role]

    def set(self, case: schemathesis.Case, data: str, context: object) -> None:
        case.headers = {**(case.headers or {}), "Authorization": f"Bearer {data}"}


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
    found = Target(schema, tokens, known)
    _Bearer.target = found
    schema.auth(refresh_interval=None)(_Bearer)  # asked for each case: the role changes
    try:
        yield found
    finally:
        asgi.shutdown_lifespans()  # the ASGI transport keeps the app's lifespan open until then


def _failures(error: Failure | FailureGroup) -> list[Failure]:
    return list(error.exceptions) if isinstance(error, FailureGroup) else [error]


def _stateful_refusal(failure: Failure, case: schemathesis.Case, detail: str) -> bool:
    """A 422 to schema-valid data that `STATEFUL_REFUSALS` explains."""
    if type(failure).__name__ != "RejectedPositiveData":
        return False
    known = STATEFUL_REFUSALS.get((case.method.upper(), case.operation.path), {})
    return any(detail.startswith(prefix) for prefix in known)


def _fuzz(target: Target, role: Role, methods: set[str]) -> list[str]:
    """Run every operation with these methods as `role`; what went wrong, one line each."""
    target.role = role
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
        strategies = [operation.as_strategy(generation_mode=m) for m in modes]
        if fixed:
            strategies.append(operation.as_strategy(path_parameters=fixed))

        @BOUNDED
        @given(case=st.one_of(strategies))
        def run(case: schemathesis.Case) -> None:
            response = case.call(timeout=READ_TIMEOUT_S)
            status = response.status_code
            where = f"{case.method} {case.formatted_path}"
            if (
                role is Role.AUDITOR
                and status < 300
                and case.method.upper() in CHANGES
                and case.operation.path not in NOT_A_CHANGE
            ):
                found.append(f"auditor changed something: {status} {where}")
            try:
                # every check: those of the schema's answers, and those that probe again
                # (without the token, with a wrong one) and compare
                case.validate_response(response, headers=case.headers)
            except (Failure, FailureGroup) as error:
                detail = _detail(response)
                for failure in _failures(error):
                    if not _stateful_refusal(failure, case, detail):
                        found.append(
                            f"{type(failure).__name__}: {status} {where}: {failure.title}: "
                            f"{failure.message[:300]} | {detail[:200]} | "
                            f"{case.as_curl_command()[:600]}"
                        )

        run()
    return found


def _detail(response: object) -> str:
    try:
        body = response.json()  # type: ignore[attr-defined]
    except Exception:  # not JSON (a stream cut short, XML): no problem detail
        return ""
    return str(body.get("detail", "")) if isinstance(body, dict) else ""


def test_every_operation_answers_as_its_openapi_document_says(target: Target) -> None:
    found = _fuzz(target, Role.DISTRICT_ADMIN, ALL_METHODS)
    assert not found, "\n".join(dict.fromkeys(found))


def test_an_auditor_changes_nothing_and_is_answered_as_documented(target: Target) -> None:
    # the auditor's refusals (403 on every change, on revealing a resident) are the codes the
    # district admin never meets
    found = _fuzz(target, Role.AUDITOR, ALL_METHODS)
    assert not found, "\n".join(dict.fromkeys(found))
