"""The audit log's sequencer: appends every committed event that is not yet in `event_log`.

Writers insert events without any global lock, so on PostgreSQL event ids are not in commit
order: a transaction holding a lower id may commit after one holding a higher id. The Merkle tree
over the events (services/checkpoints.py, services/audit_verify.py) therefore runs over
`event_log` — positions 1, 2, 3, … each naming one event — and only `sequence()` appends there:
in one transaction under an advisory lock (only sequencers wait for each other, never writers),
the events committed since its last run, in id order, after the current end. An event committed
late with a lower id simply gets a later position. Signed checkpoints cover a prefix of the log,
which only ever grows at its end.

Finding the events not yet logged without reading the whole table:
- PostgreSQL: each event stores its writing transaction's id (`writer_xid`, server default
  pg_current_xact_id()). A run notes the xmin of its snapshot — every transaction below it had
  ended — as the new `horizon`: each event written by such a transaction was either committed and
  seen by this run (so logged now or before) or never will be. The next run therefore only looks
  at events with `writer_xid >= horizon` (indexed); an event whose transaction is still running
  keeps its transaction id above the horizon until it is logged.
- SQLite: writers are serialized (BEGIN IMMEDIATE) and so is the sequencer, so ids are in commit
  order; the log is complete up to `id_floor`, the highest event id logged.
- `id_floor` also bounds the search on PostgreSQL: the migration that created the log filled it
  with every older event. After a restore into another PostgreSQL cluster the stored horizon may
  lie beyond that cluster's transaction ids; the sequencer notices (horizon above the snapshot's
  xmax), looks at every event once and starts afresh.

`audit verify` reports events not yet logged as a note: their cases' hash chains cover them.
The serve scheduler and `zsa-flow worker` run the sequencer every round; `write_checkpoint`
runs it before computing the tree head.
"""
import logging

from sqlalchemy import func, select, text, update

from ..storage.tables import event_log, sequencer_state

log = logging.getLogger(__name__)

_LOCK = 0x7A5A0002  # pg_advisory_xact_lock key: one sequencer at a time
# xmin and xmax of a snapshot, and in that same snapshot the highest id of an event whose
# transaction id lies beyond xmax: none in a cluster's own history (index look-up, empty), only
# events restored from another cluster
_SNAPSHOT = text("SELECT pg_snapshot_xmin(s)::text::bigint, x, (SELECT MAX(e.id) FROM event e WHERE e.writer_xid >= x) "
                 "FROM pg_current_snapshot() AS s, LATERAL (SELECT pg_snapshot_xmax(s)::text::bigint AS x) AS m")
_STATE = select(sequencer_state.c.horizon, sequencer_state.c.id_floor).where(sequencer_state.c.id == 1)
_NOT_LOGGED = "NOT EXISTS (SELECT 1 FROM event_log l WHERE l.event_id = e.id)"
_APPEND = ("INSERT INTO event_log (position, event_id) "
           "SELECT (SELECT COALESCE(MAX(position), 0) FROM event_log) + ROW_NUMBER() OVER (ORDER BY e.id), e.id "
           "FROM event e WHERE e.id > :floor AND {where} " + _NOT_LOGGED)
_APPEND_PG = text(_APPEND.format(where="e.writer_xid >= :horizon AND"))
_APPEND_ALL = text(_APPEND.format(where=""))


def sequence(platform, wait=True):
    """Append every committed event not yet in the log, in id order, in one transaction; the
    number appended. With `wait=False` it returns None at once when another sequencer is running
    (on PostgreSQL; that one logs what is committed)."""
    with platform.uow() as uow:
        appended = append_committed(uow, wait)
        if appended is None:
            return None
        uow.commit()
    if appended:
        log.debug("%d Ereignisse in den Merkle-Baum aufgenommen", appended)
    return appended


def append_committed(uow, wait=True):
    """`sequence` inside the caller's unit of work (which must commit)."""
    postgres = uow.conn.dialect.name == "postgresql"
    xmin = xmax = foreign = None
    if postgres:
        if wait:
            uow.execute(select(func.pg_advisory_xact_lock(_LOCK)))
        elif not uow.execute(select(func.pg_try_advisory_xact_lock(_LOCK))).scalar():
            return None
        # taken after the lock, before the INSERT below: whatever committed below xmin is visible to it
        xmin, xmax, foreign = uow.execute(_SNAPSHOT).one()
    state = uow.execute(_STATE).first()
    if state is None:  # a database emptied by TRUNCATE (tests)
        uow.execute(sequencer_state.insert(), {"id": 1, "horizon": 0, "id_floor": 0})
        state = (0, 0)
    horizon, floor = stored = tuple(state)
    if not postgres:
        appended = uow.execute(_APPEND_ALL, {"floor": floor}).rowcount
        top = uow.execute(select(func.max(event_log.c.event_id))).scalar() or 0
        if top > floor:
            uow.execute(update(sequencer_state).where(sequencer_state.c.id == 1).values(id_floor=top))
        return appended
    if horizon > xmax:
        # transaction ids of another cluster (restored dump): every event once, then a new horizon;
        # events written with such ids lie below the new cluster's first event id
        log.warning("Sequenzer: gespeicherter Horizont %s liegt hinter den Transaktionen dieses Servers "
                    "(Wiederherstellung?); alle Ereignisse werden einmal geprüft", horizon)
        appended = uow.execute(_APPEND_ALL, {"floor": 0}).rowcount
        floor = max(floor, foreign or 0)
    else:
        appended = uow.execute(_APPEND_PG, {"floor": floor, "horizon": horizon}).rowcount
    if (xmin, floor) != stored:
        uow.execute(update(sequencer_state).where(sequencer_state.c.id == 1).values(horizon=xmin, id_floor=floor))
    return appended


def pending(conn):
    """The number of committed events not yet in the log (a full anti-join; for checks)."""
    return conn.execute(text(f"SELECT COUNT(*) FROM event e WHERE {_NOT_LOGGED}")).scalar_one()
