"""The in-app feed on real SQLite: notices stored in one transaction, read back per recipient."""

from __future__ import annotations

from pathlib import Path

import pytest

from gridloop.adapters.sqlite.database import connect
from gridloop.adapters.sqlite.feed import SqliteFeed
from gridloop.domain.notifications import Notice, NoticeKind

T0 = 1_764_300_000_000


def notice(recipient: str, case_id: str = "C00000001", **data: object) -> Notice:
    return Notice(recipient, NoticeKind.ASSIGNED, case_id, T0, "新工单：漏电报警", data)


@pytest.fixture
def feed(tmp_path: Path) -> SqliteFeed:
    return SqliteFeed(connect(tmp_path / "gridloop.db"))


def test_reads_back_what_it_stored(feed: SqliteFeed) -> None:
    sent = notice("worker:W0001", building="城西区 1 号楼", floors=[1, 2])

    feed.notify([sent])

    assert feed.since(["worker:W0001"]) == [(1, sent)]


def test_keeps_chinese_readable_in_the_stored_json(feed: SqliteFeed, tmp_path: Path) -> None:
    feed.notify([notice("worker:W0001", building="城西区")])

    conn = connect(tmp_path / "gridloop.db")
    assert conn.execute("SELECT data FROM feed").fetchone()[0] == '{"building": "城西区"}'


def test_gives_each_reader_only_its_recipients_in_id_order(feed: SqliteFeed) -> None:
    feed.notify(
        [
            notice("worker:W0001", "C1"),
            notice("community:630104001001", "C2"),
            notice("worker:W0002", "C3"),
            notice("worker:W0001", "C4"),
        ]
    )

    got = feed.since(["worker:W0001", "community:630104001001"])

    assert [(i, n.case_id) for i, n in got] == [(1, "C1"), (2, "C2"), (4, "C4")]


def test_resumes_after_the_last_id_seen_and_honours_the_limit(feed: SqliteFeed) -> None:
    feed.notify([notice("worker:W0001", f"C{i}") for i in range(1, 6)])

    assert [i for i, _ in feed.since(["worker:W0001"], after_id=2, limit=2)] == [3, 4]
    assert feed.since(["worker:W0001"], after_id=5) == []


def test_has_nothing_for_no_recipients(feed: SqliteFeed) -> None:
    feed.notify([notice("worker:W0001")])

    assert feed.since([]) == []


def test_latest_id_is_where_a_new_reader_starts(feed: SqliteFeed) -> None:
    assert feed.latest_id() == 0

    feed.notify([notice("worker:W0001"), notice("worker:W0002")])

    assert feed.latest_id() == 2
    assert feed.since(["worker:W0001"], after_id=feed.latest_id()) == []


def test_stores_a_batch_whole_or_not_at_all(feed: SqliteFeed) -> None:
    unstorable = notice("worker:W0002", "C2", handle=object())

    with pytest.raises(TypeError):
        feed.notify([notice("worker:W0001", "C1"), unstorable])

    assert feed.latest_id() == 0


def test_an_empty_batch_stores_nothing(feed: SqliteFeed) -> None:
    feed.notify([])
    feed.close()

    assert feed.latest_id() == 0


def test_notices_on_the_case_store_connection_never_interleave_with_its_transactions(
    tmp_path: Path,
) -> None:
    import threading

    from gridloop.adapters.sqlite.case_store import SqliteCaseStore

    store = SqliteCaseStore(connect(tmp_path / "gridloop.db"))
    feed = SqliteFeed(store.connection, store.atomic)  # as bootstrap wires them
    errors: list[BaseException] = []

    def allocate() -> None:
        try:
            for i in range(300):
                with store.atomic():
                    store.new_case_id(T0 + i)
        except BaseException as e:  # a nested BEGIN on the shared connection fails here
            errors.append(e)

    def tell() -> None:
        try:
            for i in range(300):
                feed.notify([notice("worker:W0001", f"C{i:08d}")])
        except BaseException as e:
            errors.append(e)

    threads = [threading.Thread(target=allocate), threading.Thread(target=tell)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert len(feed.since(["worker:W0001"], 0, 1000)) == 300
