"""The audit log in commit order (`event_log`, services/sequencer.py): the sequencer appends every
committed event once, the Merkle tree runs over the log, checkpoints stay provable while writers
commit out of id order, and `audit verify` names what is wrong with the log.

Runs on SQLite and, with ZSA_DATABASE_URL, on PostgreSQL (the tests marked so only there)."""
import json
import os
import threading
from contextlib import contextmanager

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from zsa_flow.services import checkpoints, merkle
from zsa_flow.services.history import append_events
from zsa_flow.services.runs import get_case_row
from zsa_flow.services.sequencer import sequence
from zsa_flow.services.timers import TimerScheduler

USE_PG = os.environ.get("ZSA_DATABASE_URL", "").startswith("postgres")
pg_only = pytest.mark.skipif(not USE_PG, reason="concurrent writers need PostgreSQL")


@pytest.fixture
def lib(zsa, test_library):
    zsa.deploy(test_library)
    return zsa


@pytest.fixture
def key(tmp_path):
    path = tmp_path / "audit.pem"
    checkpoints.keygen(path)
    return checkpoints.signing_key(path)


def _case(zsa, name="A"):
    number = zsa.start_case("antrag", "15003000", {"antragsteller_name": name})
    task = zsa.tasks(case=number)[0]
    zsa.claim(task["id"], "anna")
    zsa.complete(task["id"], {"ergebnis": "vollstaendig", "anzahl": 2}, "anna")
    return number  # 7 events


def _log(zsa):
    """[(position, event id)] of the audit log."""
    with zsa.engine.connect() as conn:
        return [tuple(r) for r in conn.execute(text("select position, event_id from event_log order by position"))]


def _event_ids(zsa, number):
    with zsa.engine.connect() as conn:
        return list(conn.execute(text("select e.id from event e join vorgang v on v.id = e.case_id "
                                      "where v.number = :n order by e.seq"), {"n": number}).scalars())


def _root_over_log(zsa):
    with zsa.engine.connect() as conn:
        hashes = conn.execute(text("select e.hash from event_log l join event e on e.id = l.event_id "
                                   "order by l.position")).scalars().all()
    return len(hashes), merkle.root_of([checkpoints.leaf_data(h) for h in hashes])


def _verified_against(zsa, documents, key):
    return zsa.verify(checkpoints=documents, trusted_key=key.public_key())


@contextmanager
def attacker(zsa, foreign_keys=True):
    """A connection with the append-only triggers off (PostgreSQL) and, with foreign_keys=False,
    the foreign key checks too (PostgreSQL: replication role; SQLite: the pragma)."""
    tables = ("event", "event_log")
    with zsa.engine.connect() as conn:
        if not USE_PG and not foreign_keys:
            conn.connection.driver_connection.execute("PRAGMA foreign_keys=OFF")
        with conn.begin():
            if USE_PG:
                for table in tables:
                    conn.execute(text(f"ALTER TABLE {table} DISABLE TRIGGER {table}_append_only"))
                if not foreign_keys:
                    conn.execute(text("SET LOCAL session_replication_role = replica"))
            yield conn
            if USE_PG:
                for table in tables:
                    conn.execute(text(f"ALTER TABLE {table} ENABLE TRIGGER {table}_append_only"))
        if not USE_PG and not foreign_keys:
            conn.connection.driver_connection.execute("PRAGMA foreign_keys=ON")
        conn.invalidate()  # the pooled connection must not keep the attacker's settings


def test_the_sequencer_appends_each_committed_event_once_in_id_order(lib):
    first = _case(lib)
    assert _log(lib) == []
    assert sequence(lib) == 7
    second = _case(lib, "B")
    lib.record_access("pruefer", "export xes", process_id="antrag")  # an audit log entry, no case
    assert sequence(lib) == 8
    assert sequence(lib) == 0
    log = _log(lib)
    assert [p for p, _ in log] == list(range(1, 16))
    assert [e for _, e in log][:14] == _event_ids(lib, first) + _event_ids(lib, second)
    with lib.engine.connect() as conn:
        assert sorted(e for _, e in log) == sorted(conn.execute(text("select id from event")).scalars())


def test_tree_head_and_checkpoint_cover_the_log_and_writing_one_sequences_first(lib, key):
    _case(lib)
    document = checkpoints.write_checkpoint(lib, key)  # the sequencer runs first
    assert document["tree_size"] == 7
    size, root = _root_over_log(lib)
    assert (size, root.hex()) == (7, document["root_hash"])
    report = lib.verify()
    assert report.clean and report.tree_size == 7 and report.root_hash == document["root_hash"]


def test_events_not_yet_sequenced_are_a_note_not_a_finding(lib, db_url, monkeypatch, key):
    from click.testing import CliRunner

    from zsa_flow.cli import main

    _case(lib)
    document = checkpoints.write_checkpoint(lib, key)
    _case(lib, "B")  # committed, not yet in the log
    report = _verified_against(lib, [document], key)
    assert report.clean and report.events == 14 and report.unsequenced == 7 and report.tree_size == 7
    assert any("7 Ereignis(se) noch nicht im Merkle-Baum" in line for line in report.notes)
    monkeypatch.setenv("ZSA_DATABASE_URL", db_url)
    result = CliRunner().invoke(main, ["audit", "verify", "--json"])
    assert result.exit_code == 0 and json.loads(result.stdout)["unsequenced"] == 7
    sequence(lib)
    report = _verified_against(lib, [document], key)
    assert report.clean and report.unsequenced == 0 and report.tree_size == 14
    assert not any("noch nicht im Merkle-Baum" in line for line in report.notes)


def test_the_worker_loop_sequences_every_round(lib):
    _case(lib)
    scheduler = TimerScheduler(lib, interval=0.05, checkpoint_interval=0)
    assert scheduler.sequence_events() == 7
    _case(lib, "B")
    scheduler.start()
    try:
        for _ in range(200):
            if len(_log(lib)) == 14:
                break
            threading.Event().wait(0.05)
    finally:
        scheduler.stop()
    assert len(_log(lib)) == 14


def test_log_entries_swapped_are_out_of_order_and_break_the_checkpoint(lib, key):
    number = _case(lib)
    document = checkpoints.write_checkpoint(lib, key)
    ids = _event_ids(lib, number)
    with attacker(lib) as conn:  # positions 3 and 4 swapped: the tree's order is rewritten
        conn.execute(text("delete from event_log where position in (3, 4)"))
        conn.execute(text("insert into event_log (position, event_id) values (3, :b), (4, :a)"),
                     {"a": ids[2], "b": ids[3]})
    report = _verified_against(lib, [document], key)
    assert report.findings == [
        f"Vorgang {number}, Position 3: außer der Reihe – steht hinter Position 4 (eingefügt oder umgestellt)",
        f"Prüfpunkt vom {document['timestamp']}: das heutige Protokoll setzt den Prüfpunkt nicht fort – Ereignisse "
        f"unter den ersten 7 wurden geändert, entfernt oder umgeschrieben (Konsistenzbeweis scheitert)"]


def test_a_deleted_log_entry_is_a_gap_and_its_event_shows_as_not_sequenced(lib):
    number = _case(lib)
    sequence(lib)
    with attacker(lib) as conn:
        conn.execute(text("delete from event_log where position = 4"))
    report = lib.verify()
    assert report.findings == [  # a case's events not yet logged are always its newest: this one stands out
        "Merkle-Baum, Position 4: Eintrag fehlt (gelöscht) – auf Position 3 folgt Position 5",
        f"Vorgang {number}, Position 4: außer der Reihe – steht hinter Position 7 (eingefügt oder umgestellt)"]
    assert report.unsequenced == 1 and report.events == 7


def test_an_event_logged_twice_is_a_finding(lib):
    number = _case(lib)
    sequence(lib)
    event_id = _event_ids(lib, number)[1]
    with attacker(lib) as conn:
        if USE_PG:
            conn.execute(text("alter table event_log drop constraint uq_event_log_event"))
        else:  # SQLite cannot drop a constraint: the owner rebuilds the table without it
            conn.execute(text("create table log_copy as select * from event_log"))
            conn.execute(text("drop table event_log"))
            conn.execute(text("create table event_log (position integer primary key, event_id integer not null "
                              "references event (id))"))
            conn.execute(text("insert into event_log select * from log_copy"))
            conn.execute(text("drop table log_copy"))
        conn.execute(text("insert into event_log (position, event_id) values (8, :e)"), {"e": event_id})
    try:
        report = lib.verify()
    finally:
        if USE_PG:  # the test database's schema is shared by the following tests
            with attacker(lib) as conn:
                conn.execute(text("delete from event_log where position = 8"))
                conn.execute(text("alter table event_log add constraint uq_event_log_event unique (event_id)"))
    assert report.findings == [f"Merkle-Baum, Position 8: Ereignis {event_id} steht schon auf Position 2 "
                               "(doppelt aufgenommen)"]
    assert report.events == 7 and report.tree_size == 8


def test_a_log_entry_naming_no_event_is_a_finding(lib):
    number = _case(lib)
    sequence(lib)
    last = _event_ids(lib, number)[-1]
    with attacker(lib, foreign_keys=False) as conn:  # the owner bypasses the foreign key
        conn.execute(text("insert into event_log (position, event_id) values (8, :e)"), {"e": last + 1000})
    report = lib.verify()
    assert report.findings == [f"Merkle-Baum, Position 8: verweist auf Ereignis {last + 1000}, das es nicht gibt "
                               "(gelöscht)"]


@pg_only
def test_postgres_rejects_update_and_delete_of_log_entries(lib):
    _case(lib)
    sequence(lib)
    for statement in ("update event_log set event_id = event_id", "delete from event_log"):
        with pytest.raises(DBAPIError, match="nur anhängbar"):
            with lib.engine.begin() as conn:
                conn.execute(text(statement))


def _append_in(zsa, uow, number, n=2):
    row = get_case_row(uow, number=number)
    append_events(uow, row, [{"type": "case_viewed", "data": {"i": i}} for i in range(n)], "pruefer",
                  zsa.clock.now())


@pg_only
def test_transactions_committing_out_of_id_order_are_both_logged_and_the_tree_only_grows(lib, key):
    """T1 takes the lower event ids and commits last. With the old per-writer lock T2 would wait
    for T1 here (this single thread would hang); now it commits first, the sequencer logs it
    while T1 is in flight (over several runs), and T1's events follow at the end."""
    first, second = _case(lib), _case(lib, "B")
    before = checkpoints.write_checkpoint(lib, key)
    with lib.uow() as t1, lib.uow() as t2:
        _append_in(lib, t1, first)
        _append_in(lib, t2, second)
        t2.commit()
        high = _event_ids(lib, second)[-2:]
        assert sequence(lib) == 2 and sequence(lib) == 0  # T1 still running: not skipped, just not visible
        middle = checkpoints.write_checkpoint(lib, key)
        assert middle["tree_size"] == 16
        assert lib.verify().unsequenced == 0  # T1's events are not visible yet
        t1.commit()
    low = _event_ids(lib, first)[-2:]
    assert max(low) < min(high)  # lower ids ...
    assert sequence(lib) == 2
    assert [e for _, e in _log(lib)][-4:] == high + low  # ... later positions
    report = _verified_against(lib, [before, middle], key)
    assert report.clean, report.findings
    assert report.tree_size == report.events == 18 and report.unsequenced == 0
    after = checkpoints.write_checkpoint(lib, key)
    assert merkle.verify_consistency(16, 18, bytes.fromhex(middle["root_hash"]), bytes.fromhex(after["root_hash"]),
                                     _proof(lib, 16))


def _proof(zsa, m):
    with zsa.engine.connect() as conn:
        hashes = conn.execute(text("select e.hash from event_log l join event e on e.id = l.event_id "
                                   "order by l.position")).scalars().all()
    return merkle.consistency_proof([checkpoints.leaf_data(h) for h in hashes], m)


@pg_only
def test_many_concurrent_writers_and_sequencers_lose_nothing_and_log_nothing_twice(lib, key):
    numbers = [_case(lib, f"N{i}") for i in range(4)]
    documents, errors, stop = [], [], threading.Event()

    def writer(number):
        try:
            for _ in range(15):
                lib.record_access("pruefer", "viewed", case_number=number)
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(exc)

    def sequencer():
        mine = []
        try:
            while not stop.is_set():
                sequence(lib, wait=False)
                mine.append(checkpoints.write_checkpoint(lib, key, store=False))
        except Exception as exc:  # pragma: no cover
            errors.append(exc)
        documents.append(mine)

    threads = [threading.Thread(target=writer, args=(n,)) for n in numbers]
    threads += [threading.Thread(target=sequencer) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads[:4]:
        t.join(120)
    stop.set()
    for t in threads[4:]:
        t.join(120)
    assert not errors, errors
    sequence(lib)
    log = _log(lib)
    with lib.engine.connect() as conn:
        ids = sorted(conn.execute(text("select id from event")).scalars())
    assert sorted(e for _, e in log) == ids and len(ids) == 4 * 7 + 4 * 15
    assert [p for p, _ in log] == list(range(1, len(ids) + 1))
    for mine in documents:  # each thread's checkpoints: the tree only grew
        sizes = [d["tree_size"] for d in mine]
        assert sizes == sorted(sizes) and sizes
    documents = [d for mine in documents for d in mine]
    report = _verified_against(lib, documents[:: max(1, len(documents) // 10)] + documents[-1:], key)
    assert report.clean, report.findings


@pg_only
def test_a_horizon_from_another_cluster_is_noticed_and_nothing_is_skipped(lib):
    """After a restore into another PostgreSQL cluster the stored horizon may lie beyond this
    cluster's transaction ids; events written then must still be logged."""
    _case(lib)
    sequence(lib)
    with lib.engine.begin() as conn:
        conn.execute(text("update sequencer_state set horizon = 9000000000000000"))
    number = _case(lib, "B")
    assert sequence(lib) == 7
    with lib.engine.connect() as conn:
        horizon = conn.execute(text("select horizon from sequencer_state")).scalar()
    assert horizon < 9000000000000000
    lib.record_access("pruefer", "viewed", case_number=number)
    assert sequence(lib) == 1
    assert lib.verify().clean and lib.verify().unsequenced == 0


@pg_only
def test_a_second_sequencer_does_not_wait_in_the_worker_loop(lib):
    _case(lib)
    with lib.uow() as holder:
        holder.execute(text("select pg_advisory_xact_lock(:k)"), {"k": 0x7A5A0002})
        assert sequence(lib, wait=False) is None
        assert TimerScheduler(lib, checkpoint_interval=0).sequence_events() is None
    assert sequence(lib, wait=False) == 7


def test_writers_take_no_global_lock(lib):
    """Appending events issues no advisory lock (the statement log of one append)."""
    from sqlalchemy import event as sa_event

    number = _case(lib)
    statements = []

    def remember(conn, cursor, statement, *args):
        statements.append(statement)

    sa_event.listen(lib.engine, "before_cursor_execute", remember)
    try:
        lib.record_access("pruefer", "viewed", case_number=number)
    finally:
        sa_event.remove(lib.engine, "before_cursor_execute", remember)
    assert statements and not any("advisory" in s for s in statements)
