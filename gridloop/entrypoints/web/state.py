"""What the web app holds while it runs: the pipeline (one writer), stores, credentials."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

from anyio import to_thread
from fastapi import HTTPException

from gridloop.adapters.sqlite.revocations import SqliteRevocations
from gridloop.adapters.sqlite.telemetry_store import SqliteTelemetryStore
from gridloop.adapters.sqlite.token_store import Credential, SqliteTokenStore
from gridloop.domain.accounts import Account
from gridloop.domain.cases.actor import Actor
from gridloop.entrypoints.web.feed_bell import FeedBell
from gridloop.entrypoints.web.leader_link import LeaderLink
from gridloop.entrypoints.web.telemetry_body import TelemetryBody
from gridloop.service_layer.accounts import AccountService, actor_for
from gridloop.service_layer.casework import CaseService
from gridloop.service_layer.closed_loop import ClosedLoop
from gridloop.service_layer.ingest import IngestPipeline, IntakeUnavailable
from gridloop.service_layer.intake_bounds import (
    IntakeBounds,
    MostlyGarbage,
    TooManyMessages,
    decode_bounded,
    shifted,
)
from gridloop.service_layer.ports import Outbox

CREDENTIAL_TTL_S = 60.0
RETRY_AFTER_S = "2"  # seconds a client waits after a 503 (the store failed) before resending


class WebState:
    def __init__(
        self,
        pipeline: IngestPipeline | None,
        store: SqliteTelemetryStore,
        tokens: SqliteTokenStore,
        revocations: SqliteRevocations | None = None,
    ) -> None:
        # no pipeline: another server process ingests, and `leader` passes telemetry to it
        self.pipeline, self.store, self.tokens = pipeline, store, tokens
        self.revocations = revocations  # intake tokens' generation: a revoke counts at once
        self.leader: LeaderLink | None = None
        self._lock = threading.Lock()  # the pipeline is the single writer
        # token → (until, credential, the revocation generation read before the lookup)
        self._credentials: dict[str, tuple[float, Credential | None, int]] = {}
        self.loop: ClosedLoop | None = None  # the case loop, when the database holds a district
        self.cases: CaseService | None = None  # likewise
        self.accounts: AccountService | None = None
        self.bell: FeedBell | None = None  # rings when the case service stores notices
        self.feed_poll_s = 0.5  # for notices other processes store (shorter with several)
        self.bounds = IntakeBounds()  # what one telemetry request may ask
        self.wake: Callable[[], None] | None = None  # the outbox worker's, when there is one
        self.follows_stream = False  # a replay: the case loop runs on the stream's event time
        self.outbox: Outbox | None = None  # a connection of its own, read by /metrics

    def actor_for(self, account: Account) -> Actor:
        """The workflow actor of a signed-in account (a worker's grids from the registry)."""
        grids = self.cases.directory.grids_of_worker if self.cases is not None else {}
        return actor_for(account, lambda worker: grids.get(worker, ()))

    def case_service(self) -> CaseService:
        if self.cases is None:
            raise HTTPException(503, "this database holds no district yet: run gridloop import")
        return self.cases

    def authenticate(self, token: str) -> Credential | None:
        """The credential of a live intake token; remembered for CREDENTIAL_TTL_S while no
        intake token was revoked since (by any process: one read of the generation)."""
        generation = self._generation()
        entry = self._credentials.get(token)
        if entry is not None and entry[0] > time.monotonic() and entry[2] == generation:
            return entry[1]
        # the generation was read before the lookup: a revocation in between leaves this
        # answer marked older, so the next request looks again
        with self._lock:
            credential = self.tokens.lookup(token)
        if len(self._credentials) > 100_000:
            self._credentials.clear()
        self._credentials[token] = (time.monotonic() + CREDENTIAL_TTL_S, credential, generation)
        return credential

    def remembered_credential(self, token: str) -> Credential | None:
        """A live credential `authenticate` answered lately, without a token lookup."""
        entry = self._credentials.get(token)
        if entry is None or entry[1] is None or entry[0] <= time.monotonic():
            return None
        return entry[1] if entry[2] == self._generation() else None

    def _generation(self) -> int:
        return self.revocations.generation() if self.revocations is not None else 0

    def ingesting(self) -> IngestPipeline:
        if self.pipeline is None:
            raise RuntimeError("this server process does not ingest (another one does)")
        return self.pipeline

    def count_unauthorized(self) -> None:
        with self._lock:
            self.ingesting().count_rejected("unauthorized")

    def allows(self, credential: Credential) -> Callable[[str], bool]:
        """The devices this credential may speak for."""
        if credential.kind == "device":
            return lambda device_id: device_id == credential.device_id
        scope = credential.scope or ""
        places = self.ingesting().places

        def in_scope(device_id: str) -> bool:
            place = places.get(device_id)
            return place is not None and place.grid_code.startswith(scope)

        return in_scope

    async def ingest(self, body: TelemetryBody, credential: Credential) -> dict[str, object]:
        return await to_thread.run_sync(self._run, body, credential)

    def _run(self, body: TelemetryBody, credential: Credential) -> dict[str, object]:
        allow, pipeline = self.allows(credential), self.ingesting()
        # decoded outside the lock (it touches no state): a huge or mostly broken body is
        # refused, or made ready, while other requests' batches go in
        try:
            if body.form == "objects":
                decoded = decode_bounded(
                    body.items,
                    lambda part, at: shifted(pipeline.decode_objects(part), at),
                    self.bounds,
                    "element",
                )
            else:
                decoded = decode_bounded(
                    body.items,
                    lambda part, at: pipeline.decode_lines(part, 1 + at),  # type: ignore[arg-type]
                    self.bounds,
                )
        except TooManyMessages as e:
            raise HTTPException(413, str(e)) from e
        except MostlyGarbage as e:
            with self._lock:
                pipeline.count_rejected("malformed", e.malformed)
            raise HTTPException(400, str(e)) from e
        try:
            with self._lock:
                outcome = pipeline.ingest_decoded(decoded, allow)
                if self.follows_stream and self.loop is not None:
                    self.loop.advance()  # committed with its cause before the answer
        except IntakeUnavailable as e:  # nothing of it counts as seen: the resend is taken whole
            raise HTTPException(503, str(e), headers={"Retry-After": RETRY_AFTER_S}) from e
        if outcome.changes and self.wake is not None:
            self.wake()  # the case loop takes the new alerts now, not at its next poll
        return outcome.as_json()

    def tick(self) -> None:
        with self._lock:
            now = int(time.time() * 1000)
            self.ingesting().tick(now)
            if self.loop is not None:
                self.loop.advance(now)

    def end_of_stream(self) -> None:
        """A replay's end (on shutdown): the clocks run to the last committed event time."""
        with self._lock:
            if self.loop is not None:
                self.loop.advance(force=True)
                self.ingesting().drain()
                self.loop.dispatch()

    def checkpoint(self) -> None:
        with self._lock:
            self.ingesting().checkpoint()

    def close(self) -> None:
        """Checkpoint and release every connection and background sender (on shutdown)."""
        with self._lock:
            if self.pipeline is not None:
                self.pipeline.finish()
            if self.leader is not None:
                self.leader.close()
            self.store.close()
            self.tokens.close()
            if self.revocations is not None:
                self.revocations.close()
            if self.accounts is not None:
                self.accounts.close()
            if self.cases is not None:
                self.cases.close()
            if self.outbox is not None:
                self.outbox.close()
