"""The MQTT door on real Mosquitto: a private broker with the generated ACL, and the system one."""

from __future__ import annotations

import getpass
import shutil
import socket
import subprocess
import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from pathlib import Path

import orjson
import paho.mqtt.client as mqtt
import pytest
from click.testing import CliRunner
from paho.mqtt.enums import CallbackAPIVersion
from paho.mqtt.reasoncodes import ReasonCode
from registry_io import run_import

from gridloop.adapters.sqlite.telemetry_store import SqliteTelemetryStore
from gridloop.adapters.telemetry.mqtt_door import MqttDoor, MqttSettings
from gridloop.bootstrap import App
from gridloop.entrypoints.cli_mqtt import mqtt_acl

MOSQUITTO = shutil.which("mosquitto") or shutil.which("mosquitto", path="/usr/sbin:/usr/local/sbin")
SYSTEM_PORT = 1883
WAIT_S = 5.0
CST = timezone(timedelta(hours=8))
HIGH = "electrical_fire.residual_current_high"


def wall_ms() -> int:
    return int(time.time() * 1000)


def message(device: str, seq: int, iso: bool = True, **values: float) -> bytes:
    """A reading stamped now: ISO-8601 at +08:00, or epoch milliseconds."""
    ts: str | int = datetime.now(CST).isoformat(timespec="milliseconds") if iso else wall_ms()
    return orjson.dumps({"device_id": device, "ts": ts, "seq": seq, "values": values})


def port_open(port: int) -> bool:
    with socket.socket() as s:
        s.settimeout(0.5)
        return s.connect_ex(("127.0.0.1", port)) == 0


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def wait_until(condition: Callable[[], bool], timeout: float = WAIT_S) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.05)
    return condition()


def connect_device(
    port: int, user: str | None, password: str | None
) -> tuple[mqtt.Client, ReasonCode]:
    """A device's MQTT 3.1.1 client, connected or refused (the broker's reason)."""
    client = mqtt.Client(
        CallbackAPIVersion.VERSION2,
        client_id=f"{user}-{uuid.uuid4().hex[:8]}",
        protocol=mqtt.MQTTv311,
        reconnect_on_failure=False,  # a refused device gives up at once
    )
    if user is not None:
        client.username_pw_set(user, password)
    answers: list[ReasonCode] = []
    client.on_connect = lambda _c, _u, _f, rc, _p: answers.append(rc)
    client.connect("127.0.0.1", port)
    client.loop_start()
    assert wait_until(lambda: bool(answers)), "no CONNACK"
    return client, answers[0]


def publish(
    port: int, user: str | None, password: str | None, topic: str, *payloads: bytes
) -> None:
    client, rc = connect_device(port, user, password)
    try:
        assert not rc.is_failure, rc
        for payload in payloads:
            client.publish(topic, payload, qos=1).wait_for_publish(WAIT_S)
    finally:
        client.disconnect()
        client.loop_stop()


def electrical_fire_devices(app: App) -> list[str]:
    uow = app.unit_of_work()
    with uow:
        found = sorted(d.id for d in uow.registry.devices() if d.kind == "electrical_fire")
    uow.close()
    return found


class Broker:
    """A private Mosquitto on `conf`, its log kept for failure messages."""

    def __init__(self, binary: str, conf: Path, port: int, log: Path) -> None:
        self.binary, self.conf, self.port, self.log = binary, conf, port, log
        self.proc: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        with self.log.open("ab") as out:
            proc = subprocess.Popen([self.binary, "-c", str(self.conf)], stdout=out, stderr=out)
        self.proc = proc
        started = wait_until(lambda: port_open(self.port) or proc.poll() is not None)
        if not (started and port_open(self.port)):
            self.stop()
            pytest.fail(f"mosquitto did not start:\n{self.log.read_text()}")

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(WAIT_S)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self.proc = None


@dataclass
class Bench:
    app: App
    store: SqliteTelemetryStore
    door: MqttDoor
    broker: Broker
    a: str
    b: str
    tokens: dict[str, str]

    def send(self, device: str, *payloads: bytes, topic_of: str | None = None) -> None:
        """Publish as `device` (its token), on its own topic unless `topic_of` names another."""
        topic = f"devices/{topic_of or device}/telemetry"
        publish(self.broker.port, device, self.tokens[device], topic, *payloads)

    def counter(self, name: str) -> int:
        return self.store.counters().get(name, 0)


@pytest.fixture
def bench(app: App, tiny_dir: Path, tmp_path: Path) -> Iterator[Bench]:
    if MOSQUITTO is None:
        pytest.skip("mosquitto is not installed")
    run_import(app, tiny_dir)
    a, b = electrical_fire_devices(app)[:2]
    tokens = dict(app.token_store().issue_device_tokens([a, b], wall_ms()))
    port, out = free_port(), tmp_path / "mqtt"
    args = ["--db", str(app.settings.db_path), "--out", str(out), "--port", str(port)]
    result = CliRunner().invoke(mqtt_acl, [*args, "--bind", "127.0.0.1"])
    assert result.exit_code == 0, result.output
    # As generated, plus `user`: as root, Mosquitto drops to `mosquitto`, locked out of 0600 files.
    conf = tmp_path / "test-broker.conf"
    conf.write_text(f"user {getpass.getuser()}\ninclude_dir {out}\n")
    broker = Broker(MOSQUITTO, conf, port, tmp_path / "mosquitto.log")
    broker.start()
    settings = MqttSettings(
        port=port,
        username="gridloop",
        password=(out / "service-password").read_text().strip(),
        client_id=f"door-{uuid.uuid4().hex[:8]}",
        session_expiry_s=0,
    )
    door = MqttDoor(app.pipeline(clock=wall_ms), settings)
    door.start()
    try:
        assert door.wait_connected(WAIT_S), door.last_error
        yield Bench(app, app.telemetry_store(), door, broker, a, b, tokens)
    finally:
        door.stop()
        broker.stop()


def test_valid_messages_are_stored_and_two_readings_over_300_ma_open_an_alert(bench: Bench) -> None:
    a = bench.a
    bench.send(
        a,
        message(a, 1, residual_current_ma=120.0),
        message(a, 2, iso=False, residual_current_ma=310.0),
        message(a, 3, residual_current_ma=320.5),
    )
    # the door counts a batch just after the pipeline has stored it: wait for both
    stored = wait_until(lambda: bench.counter("accepted") == 3 and bench.door.batches >= 1)
    assert stored, bench.store.counters()
    (alert,) = bench.store.alerts()
    assert (alert.device_id, alert.rule, alert.status) == (a, HIGH, "active")
    assert bench.door.received == 3 and 1 <= bench.door.batches <= 3
    bench.door.stop()
    assert bench.store.load_checkpoint() is not None  # stop() checkpoints


def test_a_device_cannot_publish_on_another_devices_topic(bench: Bench) -> None:
    a, b = bench.a, bench.b
    bench.send(a, message(b, 1, residual_current_ma=100.0), topic_of=b)
    # Same publisher, same subscriber, QoS 1: had the first one passed, it would come first.
    bench.send(a, message(a, 1, residual_current_ma=100.0))
    assert wait_until(lambda: bench.counter("accepted") == 1)
    assert bench.door.received == 1
    assert bench.counter("unauthorized") == 0


def test_wrong_credentials_cannot_connect(bench: Bench) -> None:
    for user, password in [
        (bench.a, "not-the-token"),
        (bench.a, bench.tokens[bench.b]),  # another device's token
        (None, None),  # anonymous
    ]:
        client, rc = connect_device(bench.broker.port, user, password)
        client.disconnect()
        client.loop_stop()
        assert rc.is_failure, (user, rc)


def test_a_message_speaking_for_another_device_on_its_own_topic_is_unauthorized(
    bench: Bench,
) -> None:
    a, b = bench.a, bench.b
    bench.send(a, message(b, 1, residual_current_ma=400.0), message(a, 1, residual_current_ma=90.0))
    assert wait_until(lambda: bench.counter("unauthorized") == 1 and bench.counter("accepted") == 1)
    assert bench.store.alerts() == []


def test_bad_payloads_are_counted_and_the_messages_around_them_kept(bench: Bench) -> None:
    a = bench.a
    ndjson = message(a, 3, residual_current_ma=1.0) + b"\n" + message(a, 4, residual_current_ma=2.0)
    bench.send(
        a,
        message(a, 1, residual_current_ma=100.0),
        b'{"device_id": "' + a.encode() + b'", "seq": ',  # cut short
        message(a, 2, residual_current_ma=101.0),
        b" " * (65 * 1024) + message(a, 5, residual_current_ma=3.0),  # over 64 KiB
        ndjson,  # two messages in one payload
    )
    assert wait_until(lambda: bench.counter("accepted") == 4), bench.store.counters()
    assert wait_until(lambda: bench.counter("malformed") == 1 and bench.counter("too_large") == 1)
    assert bench.door.errors == 0


def test_a_seq_past_64_bits_is_refused_alone_and_its_neighbours_are_stored(bench: Bench) -> None:
    """The issue's case over MQTT: one device's seq 2**63 in the same batch as another's readings
    used to fail the whole batch, which was acknowledged anyway."""
    a, b = bench.a, bench.b
    bench.send(a, message(a, 1, residual_current_ma=100.0))
    bench.send(b, message(b, 2**63, residual_current_ma=1.0))
    bench.send(a, message(a, 2, residual_current_ma=101.0))
    assert wait_until(lambda: bench.counter("accepted") == 2), bench.store.counters()
    assert wait_until(lambda: bench.counter("out_of_range") == 1), bench.store.counters()
    assert bench.door.errors == 0
    bench.send(b, message(b, 1, residual_current_ma=1.0))  # b's window did not move
    assert wait_until(lambda: bench.counter("accepted") == 3), bench.store.counters()


def test_a_redelivered_seq_is_counted_as_a_duplicate(bench: Bench) -> None:
    a = bench.a
    reading = message(a, 7, residual_current_ma=100.0)
    bench.send(a, reading, reading)
    assert wait_until(lambda: bench.counter("duplicate") == 1 and bench.counter("accepted") == 1)


def test_the_door_reconnects_when_the_broker_comes_back(bench: Bench) -> None:
    bench.broker.stop()
    assert wait_until(lambda: not bench.door.wait_connected(0))
    bench.broker.start()
    assert wait_until(lambda: bench.door.connects == 2, timeout=10), bench.door.last_error
    bench.send(bench.a, message(bench.a, 1, residual_current_ma=100.0))
    assert wait_until(lambda: bench.counter("accepted") == 1)


def test_end_to_end_through_the_system_broker(app: App, tiny_dir: Path) -> None:
    if not port_open(SYSTEM_PORT):
        pytest.skip(f"no MQTT broker listens on 127.0.0.1:{SYSTEM_PORT}")
    run_import(app, tiny_dir)
    ef = electrical_fire_devices(app)[0]
    # A topic of its own: the shared broker may carry other runs' devices/+/telemetry.
    root = f"gridloop-test/{uuid.uuid4().hex}"
    settings = MqttSettings(
        port=SYSTEM_PORT,
        client_id=f"door-{uuid.uuid4().hex[:8]}",
        topic=f"{root}/devices/+/telemetry",
        session_expiry_s=0,
    )
    door = MqttDoor(app.pipeline(clock=wall_ms), settings)
    door.start()
    store = app.telemetry_store()
    try:
        assert door.wait_connected(WAIT_S), door.last_error
        publish(
            SYSTEM_PORT,
            None,
            None,
            f"{root}/devices/{ef}/telemetry",
            message(ef, 1, residual_current_ma=350.0),
            message(ef, 2, iso=False, residual_current_ma=360.0),
        )
        assert wait_until(lambda: store.counters().get("accepted") == 2), store.counters()
        assert [(x.device_id, x.rule) for x in store.alerts()] == [(ef, HIGH)]
    finally:
        door.stop()
