"""Wire the application from settings: storage, device kinds, spatial index, checks, and the
message bus (EVENT_HANDLERS). The one place that builds adapters: entrypoints ask the App."""

from __future__ import annotations

import gc
import inspect
import threading
import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from importlib.metadata import entry_points
from pathlib import Path

from gridloop.adapters.attachment_files import FileBlobStore
from gridloop.adapters.formats.reader import read_directory
from gridloop.adapters.geometry_checks import grid_geometry_problems
from gridloop.adapters.notify.fanout import FanOut
from gridloop.adapters.notify.log import LogNotifier
from gridloop.adapters.notify.webhook import WebhookNotifier
from gridloop.adapters.passwords import Argon2Passwords
from gridloop.adapters.spatial_index import GridIndex
from gridloop.adapters.sqlite.account_store import SqliteAccountStore
from gridloop.adapters.sqlite.alert_log import SqliteAlertLog
from gridloop.adapters.sqlite.attachment_ledger import SqliteAttachmentLedger
from gridloop.adapters.sqlite.case_store import SqliteCaseStore
from gridloop.adapters.sqlite.database import connect, schema_version
from gridloop.adapters.sqlite.feed import SqliteFeed
from gridloop.adapters.sqlite.health_readings import SqliteHealthReadings
from gridloop.adapters.sqlite.latest_readings import SqliteLatestReadings
from gridloop.adapters.sqlite.outbox import SqliteOutbox
from gridloop.adapters.sqlite.people_directory import SqlitePeopleDirectory
from gridloop.adapters.sqlite.revocations import ACCOUNTS, SqliteRevocations
from gridloop.adapters.sqlite.telemetry_store import SqliteTelemetryStore
from gridloop.adapters.sqlite.token_store import SqliteTokenStore
from gridloop.adapters.sqlite.unit_of_work import SqliteUnitOfWork
from gridloop.adapters.sqlite.writer_process import BackgroundTelemetryStore
from gridloop.adapters.telemetry.decoder import TelemetryDecoder
from gridloop.config import ConfigError, Settings
from gridloop.domain.attachments import AttachmentQuota
from gridloop.domain.calendar import WorkCalendar
from gridloop.domain.devices.catalog import KindCatalog, default_catalog
from gridloop.domain.devices.kind import DeviceKind
from gridloop.domain.events import AlertCleared, AlertOpened, NoticesIssued
from gridloop.domain.login_throttle import ACCOUNT_POLICY, ADDRESS_POLICY, policy_from_table
from gridloop.domain.regions import Grid
from gridloop.domain.registry import DistrictRegistry
from gridloop.domain.telemetry import IntakeLimits
from gridloop.service_layer import handlers
from gridloop.service_layer.accounts import AccountService, LoginPolicies
from gridloop.service_layer.alert_cases import AlertCases
from gridloop.service_layer.attachments import AttachmentService
from gridloop.service_layer.case_directory import CaseDirectory
from gridloop.service_layer.case_policy import CasePolicy
from gridloop.service_layer.casework import CaseService
from gridloop.service_layer.department_routing import routed_to
from gridloop.service_layer.ingest import IngestPipeline
from gridloop.service_layer.intake_bounds import IntakeBounds
from gridloop.service_layer.messagebus import Handler, MessageBus
from gridloop.service_layer.outbox import OutboxDispatcher, OutboxWorker
from gridloop.service_layer.ports import (
    GeometryChecker,
    GridLocator,
    Notifier,
    RegistryRepository,
)
from gridloop.service_layer.registry_import import ImportSummary, import_registry
from gridloop.service_layer.reporting import category_labeller
from gridloop.service_layer.residents import ResidentService
from gridloop.service_layer.telemetry_setup import build_pipeline, checked_rule_config

ENTRY_POINT_GROUP = "gridloop.device_kinds"

# Which handlers each domain event goes to; their dependencies are injected by parameter name.
EVENT_HANDLERS: dict[type, list[Callable[..., None]]] = {
    AlertOpened: [handlers.open_cases],
    AlertCleared: [handlers.record_clearings],
    NoticesIssued: [handlers.deliver_notices],
}


def inject(
    table: Mapping[type, Sequence[Callable[..., None]]], **deps: object
) -> dict[type, list[Handler]]:
    """The handler table with each handler's named dependencies bound."""
    bound: dict[type, list[Handler]] = {}
    for event_type, funcs in table.items():
        for func in funcs:
            names = list(inspect.signature(func).parameters)[1:]
            missing = [n for n in names if n not in deps]
            if missing:
                raise TypeError(f"{func.__name__} needs {missing}, which bootstrap does not have")
            kwargs = {n: deps[n] for n in names}
            bound.setdefault(event_type, []).append(_bind(func, kwargs))
    return bound


def _bind(func: Callable[..., None], kwargs: Mapping[str, object]) -> Handler:
    def handler(events: Sequence[object]) -> None:
        func(events, **kwargs)

    handler.__name__ = func.__name__
    return handler


def _wall_ms() -> int:
    return int(time.time() * 1000)


def extension_kinds() -> Iterable[DeviceKind]:
    """Kinds that installed extensions declare under the `gridloop.device_kinds` entry points."""
    for ep in entry_points(group=ENTRY_POINT_GROUP):
        kind = ep.load()
        if not isinstance(kind, DeviceKind):
            raise TypeError(f"entry point {ep.name} of {ENTRY_POINT_GROUP} is not a DeviceKind")
        yield kind


def build_locator(grids: Sequence[Grid]) -> GridLocator:
    return GridIndex.build(grids)


@dataclass
class App:
    settings: Settings
    kinds: KindCatalog
    check_geometry: GeometryChecker

    def unit_of_work(self) -> SqliteUnitOfWork:
        return SqliteUnitOfWork(self.settings.db_path)

    def build_locator(self, grids: Sequence[Grid]) -> GridLocator:
        return build_locator(grids)

    def import_directory(
        self, directory: Path, progress: Callable[[str], None] = lambda _step: None
    ) -> ImportSummary:
        """Read and import a district directory, all or nothing (InvalidInput lists why)."""
        uow = self.unit_of_work()
        try:
            progress("reading files")
            parsed = read_directory(directory)
            return import_registry(
                parsed, uow, self.kinds, self.check_geometry, self.build_locator, progress
            )
        finally:
            uow.close()

    def token_store(self) -> SqliteTokenStore:
        return SqliteTokenStore(connect(self.settings.db_path))

    def telemetry_store(self) -> SqliteTelemetryStore:
        return SqliteTelemetryStore(connect(self.settings.db_path))

    def account_service(self) -> AccountService:
        store = SqliteAccountStore(connect(self.settings.db_path))
        uow = self.unit_of_work()
        try:
            with uow:
                regions = _region_codes(uow.registry)
        finally:
            uow.close()
        return AccountService(
            store,
            Argon2Passwords(),
            lambda kind, code: code in regions[kind],
            revocations=self.revocations(ACCOUNTS),
            policies=login_policies(self.settings.document()),
        )

    def revocations(self, scope: str) -> SqliteRevocations:
        """The revocation generation of `scope` (accounts or intake) on a connection of its own."""
        return SqliteRevocations(connect(self.settings.db_path), scope)

    def holds_district(self) -> bool:
        uow = self.unit_of_work()
        try:
            with uow:
                return uow.registry.district() is not None
        finally:
            uow.close()

    def case_store(self) -> SqliteCaseStore:
        return SqliteCaseStore(connect(self.settings.db_path))

    def schema_version(self) -> int:
        """The database's schema version (creating it, or migrating it, on the way)."""
        conn = connect(self.settings.db_path)
        try:
            return schema_version(conn)
        finally:
            conn.close()

    # The read sides the web app holds open, each on a connection of its own (closed by it).
    def feed_store(self) -> SqliteFeed:
        return SqliteFeed(connect(self.settings.db_path))

    def latest_readings(self) -> SqliteLatestReadings:
        return SqliteLatestReadings(connect(self.settings.db_path))

    def alert_log(self) -> SqliteAlertLog:
        return SqliteAlertLog(connect(self.settings.db_path))

    def blob_store(self) -> FileBlobStore:
        return FileBlobStore(self.settings.db_path.parent / "attachments")

    def attachment_quota(self) -> AttachmentQuota:
        """`[attachments]` of the settings file; ConfigError names the file and the key."""
        try:
            return AttachmentQuota.from_config(self.settings.document())
        except ConfigError:
            raise
        except ValueError as e:
            raise ConfigError(f"{self.settings.config_path or 'settings'}: {e}") from None

    def attachment_service(
        self, cases: CaseService, clock: Callable[[], int] = _wall_ms
    ) -> tuple[AttachmentService, SqliteAttachmentLedger]:
        """Photos on this database's blob store, with the ledger's connection (to close)."""
        quota = self.attachment_quota()
        ledger = SqliteAttachmentLedger(connect(self.settings.db_path))
        return AttachmentService(self.blob_store(), cases, ledger, quota, clock), ledger

    def resident_service(self) -> ResidentService:
        db = self.settings.db_path
        return ResidentService(
            SqlitePeopleDirectory(connect(db)),
            SqliteHealthReadings(connect(db)),
            SqliteAccountStore(connect(db)),
        )

    def case_policy(self) -> CasePolicy:
        """The closed loop's settings; ConfigError names the file and the key that is wrong."""
        settings = self.settings
        try:
            calendar = WorkCalendar.from_toml(settings.calendar_text())
            return CasePolicy.from_config(settings.document(), calendar)
        except ConfigError:
            raise  # it names its file already
        except ValueError as e:
            where = settings.config_path or settings.calendar_path or "settings"
            raise ConfigError(f"{where}: {e}") from e

    def outbox(self) -> SqliteOutbox:
        return SqliteOutbox(connect(self.settings.db_path))

    def notifier(self, also: Sequence[Notifier] = ()) -> Notifier:
        """Where notices go besides the in-app feed (stored with their case): a log line per
        notice, the webhook if set, then `also` (e.g. the web server's bell)."""
        notifiers: list[Notifier] = [LogNotifier()]
        notify = self.settings.document().get("notify", {})
        url = notify.get("webhook") if isinstance(notify, dict) else None
        if isinstance(url, str) and url:
            notifiers.append(WebhookNotifier(url))
        return FanOut([*notifiers, *also])

    def registry(self) -> DistrictRegistry | None:
        """The whole registry this database holds (None before an import)."""
        uow = self.unit_of_work()
        try:
            with uow:
                return uow.registry.load()
        finally:
            uow.close()

    def case_service(self, committed: Callable[[], None] = lambda: None) -> CaseService:
        """The closed loop on this database: registry places, policy; `committed` is told after
        each commit that left notices in the outbox."""
        registry = self.registry()
        if registry is None:
            raise ConfigError(f"{self.settings.db_path} holds no district: run gridloop import")
        directory = CaseDirectory.from_registry(registry, self.build_locator(registry.grids))
        policy = self.case_policy()
        try:
            policy = routed_to(policy, registry.departments)
        except ValueError as e:
            raise ConfigError(f"{self.settings.config_path or 'settings'}: {e}") from None
        store = self.case_store()
        return CaseService(
            store,
            directory,
            policy,
            category_labeller(self.kinds, "zh"),
            committed,
        )

    def case_loop(
        self,
        also: Sequence[Notifier] = (),
        clock: Callable[[], int] = _wall_ms,
        service: CaseService | None = None,
    ) -> CaseLoop:
        """The case service with the outbox dispatcher and the bus that feeds it."""
        wakeup = threading.Event()
        service = service or self.case_service(committed=wakeup.set)
        alert_cases = AlertCases(service)
        notifier = self.notifier(also)
        bus = MessageBus(inject(EVENT_HANDLERS, alert_cases=alert_cases, notifier=notifier))
        dispatcher = OutboxDispatcher(self.outbox(), bus, clock)
        return CaseLoop(service, alert_cases, dispatcher, notifier, wakeup)

    def intake_bounds(self) -> IntakeBounds:
        """What one telemetry request may ask of intake (the HTTP door)."""
        return IntakeBounds(
            self.settings.max_messages_per_request, self.settings.max_malformed_lines
        )

    def intake_limits(self) -> IntakeLimits:
        return IntakeLimits(
            max_future_ms=self.settings.max_future_s * 1000,
            max_age_ms=self.settings.max_age_s * 1000,
        )

    def pipeline(
        self,
        clock: Callable[[], int],
        checkpoint_every: int = 1_000_000,
        background_writes: bool = False,
    ) -> IngestPipeline:
        """The telemetry pipeline on this database, its engine restored after any restart.

        `background_writes` hands SQLite writes to a child process (bulk replays use both cores);
        the doors that acknowledge each message keep writes in-process.
        """
        uow = self.unit_of_work()
        try:
            with uow:
                devices = uow.registry.devices()
        finally:
            uow.close()

        def make_decoder(device_kinds: Mapping[str, str]) -> TelemetryDecoder:
            return TelemetryDecoder(device_kinds, self.kinds, self.intake_limits())

        pipeline = build_pipeline(
            devices,
            self.kinds,
            checked_rule_config(self.kinds, self.settings.rule_params()),
            BackgroundTelemetryStore(self.settings.db_path)
            if background_writes
            else self.telemetry_store(),
            make_decoder,
            clock,
            checkpoint_every,
            self.settings.readings_retention_days * 86_400_000,
        )
        tune_gc_for_streaming()  # after the registry and the engine are built: freeze them
        return pipeline


@dataclass
class CaseLoop:
    """The case service and what delivers its outbox: for the CLI, the demo and the server."""

    service: CaseService
    alert_cases: AlertCases
    dispatcher: OutboxDispatcher
    notifier: Notifier
    wakeup: threading.Event = field(default_factory=threading.Event)

    def worker(self, poll_s: float = 1.0) -> OutboxWorker:
        """A thread that delivers after every commit (and every `poll_s`)."""
        return OutboxWorker(self.dispatcher, self.wakeup, poll_s)

    def close(self) -> None:
        """Deliver what is left, then release the connections and background senders."""
        self.dispatcher.run()
        self.notifier.close()
        self.dispatcher.outbox.close()
        self.service.close()


def tune_gc_for_streaming() -> None:
    """Collect garbage less often: the pipeline makes many short-lived, acyclic containers.

    With the default thresholds a full collection walks every live object (registry, engine
    state, aggregates) again and again; at a day's stream that costs a third of the time.
    `gc.freeze()` moves what exists now (the registry, loaded once) out of the collector's sight.
    """
    gc.freeze()
    gc.set_threshold(200_000, 50, 1000)


def _region_codes(registry: RegistryRepository) -> dict[str, set[str]]:
    """Codes an account's scope may name, by kind."""
    district = registry.district()
    streets = district.streets if district else ()
    return {
        "street": {s.code for s in streets},
        "community": {c.code for s in streets for c in s.communities},
        "worker": registry.keys("workers"),
        "department": registry.keys("departments"),
        "district": {district.code} if district else set(),
    }


def bootstrap(settings: Settings) -> App:
    return App(
        settings=settings,
        kinds=default_catalog(extension_kinds),
        check_geometry=grid_geometry_problems,
    )


def login_policies(document: Mapping[str, object]) -> LoginPolicies:
    """`[login.account]` and `[login.address]` (ThrottlePolicy's fields), else the defaults."""
    login = document.get("login", {})
    if not isinstance(login, dict):
        raise ConfigError(f"[login] must be a table, got {login!r}")
    policies = {}
    for part, default in (("account", ACCOUNT_POLICY), ("address", ADDRESS_POLICY)):
        try:
            policies[part] = policy_from_table(login.get(part, {}), default)
        except ValueError as e:
            raise ConfigError(f"[login.{part}]: {e}") from None
    return LoginPolicies(**policies)
