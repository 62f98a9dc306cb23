"""`zsa-flow audit verify`: recompute every hash chain and the Merkle tree in one pass over the
events in the audit log's order (`event_log`, services/sequencer.py), then over the events not yet
logged (a note: their cases' chains cover them), check every deployed file against its SHA-256 and
prove consistency with signed checkpoints. Findings are German lines naming the case and position,
the log position or the file; an event logged twice, a log entry naming no event and a missing
log position are findings too.

Speed: the rows are streamed (server-side cursor on PostgreSQL) as plain tuples; per row there is
one JSON encoding and two SHA-256 computations, nothing else.
"""
import json
import re
from dataclasses import dataclass, field
from datetime import datetime, timezone
from hashlib import sha256
from json.encoder import encode_basestring

from sqlalchemy import func, select, text

from ..errors import NotFound
from ..storage.tables import artifact, audit_head, event, event_log, form_definition, process_definition, vorgang
from . import checkpoints, merkle
from .history import AUDIT_LOG, GENESIS

_ENCODE = json.JSONEncoder(sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str).encode
# Plain SQL through the driver's own cursor: no per-row type processing (speed); `data` as text.
_COLUMNS = ("e.id, e.case_id, e.seq, e.type, e.element_id, e.element_name, e.actor, e.at, CAST(e.data AS TEXT), "
            "e.prev_hash, e.hash, e.chain_version, e.definition_hash, e.ciphertext")
_LOGGED = (f"SELECT l.position, l.event_id, {_COLUMNS} FROM event_log l LEFT JOIN event e ON e.id = l.event_id "
           "WHERE l.position <= %(max)s ORDER BY l.position")
_NOT_LOGGED = (f"SELECT {_COLUMNS} FROM event e WHERE e.id <= %(max)s "
               "AND NOT EXISTS (SELECT 1 FROM event_log l WHERE l.event_id = e.id) ORDER BY e.id")
_CASE_ROWS = f"SELECT {_COLUMNS} FROM event e WHERE e.case_id = %(case)s ORDER BY e.id"
_TWICE = "SELECT event_id FROM event_log GROUP BY event_id HAVING COUNT(*) > 1"
_BATCH = 20000


def _quote(value, _enc=encode_basestring):
    return "null" if value is None else _enc(value)


def canonical_body(version, prev_hash, number, seq, typ, element_id, element_name, actor, at_iso,
                   definition_hash, data_text, ciphertext):
    """canonical(body) of history.event_hash, built directly as text (several times faster).
    `data_text` is the stored JSON text of `data`."""
    data = "{}" if data_text == "{}" else _ENCODE(json.loads(data_text))
    q = encode_basestring  # for the columns that are never NULL
    if version == 3:
        digest = "null" if ciphertext is None else '"' + sha256(ciphertext).hexdigest() + '"'
        return (f'["zsa-chain-3",{q(prev_hash)},{q(number)},{seq},{q(typ)},{_quote(element_id)},'
                f'{_quote(element_name)},{q(actor)},{q(at_iso)},{_quote(definition_hash)},{data},{digest}]')
    if version == 2:
        return (f'["zsa-chain-2",{q(prev_hash)},{q(number)},{seq},{q(typ)},{_quote(element_id)},'
                f'{_quote(element_name)},{q(actor)},{q(at_iso)},{_quote(definition_hash)},{data}]')
    if version == 1:
        return f'[{q(prev_hash)},{q(number)},{seq},{q(typ)},{_quote(element_id)},{q(actor)},{q(at_iso)},{data}]'
    return None


@dataclass
class Report:
    findings: list = field(default_factory=list)
    notes: list = field(default_factory=list)
    events: int = 0
    cases: int = 0
    files: int = 0
    unsequenced: int = 0  # events not yet in the audit log (and so not in the tree)
    tree_size: int = 0
    root_hash: str = ""
    checkpoints: int = 0

    @property
    def clean(self):
        return not self.findings


def verify(platform, case=None, checkpoint_docs=(), trusted_key=None) -> Report:
    """Verify the whole record (or one case's chain with `case`); see the module docstring."""
    report = Report()
    with platform.engine.connect() as conn:
        conn = reading(conn)
        with conn.begin():
            heads = _heads(conn, case)
            if case is not None and not heads:
                raise NotFound(f"Vorgang {case} nicht gefunden")
            size, max_position = conn.execute(select(func.count(), func.max(event_log.c.position))).one()
            max_id = conn.execute(select(func.max(event.c.id))).scalar()
            checks = [_Consistency(doc, size) for doc in checkpoint_docs]
            report.notes += [line for c in checks for line in c.prepare(trusted_key)]
            ranges = [r for c in checks for r in c.ranges]
            chains = _Chains(heads, report, only=None if case is None else next(iter(heads)))
            if case is None or checks:
                tree = _scan(conn, max_position or 0, max_id or 0, chains, ranges, report)
            else:
                tree = merkle.TreeBuilder()
                for batch in stream(conn, _CASE_ROWS, {"case": chains.only}):
                    for row in batch:
                        chains.feed(row)
            chains.finish()
            if case is None:
                _verify_files(conn, report)
        report.tree_size, report.root_hash = tree.size, tree.root().hex()
        report.cases = len([k for k in heads if k is not None])
        for check in checks:
            report.findings += check.finish(tree)
        report.checkpoints = len(checks)
    if report.unsequenced:
        report.notes.append(f"Hinweis: {report.unsequenced} Ereignis(se) noch nicht im Merkle-Baum (vom Sequenzer "
                            "noch nicht aufgenommen); die Ketten ihrer Vorgänge sichern sie bereits")
    return report


def reading(conn):
    """A connection for one consistent read: a snapshot on PostgreSQL, a shared (not the write)
    lock on SQLite, so writers carry on while the record is read."""
    if conn.dialect.name == "postgresql":
        return conn.execution_options(isolation_level="REPEATABLE READ")
    return conn.execution_options(zsa_readonly=True)


def _heads(conn, case):
    q = select(vorgang.c.id, vorgang.c.number, vorgang.c.last_seq, vorgang.c.last_hash)
    if case is not None:
        q = q.where(vorgang.c.number == case)
    heads = {row.id: [row.number, row.last_seq, row.last_hash] for row in conn.execute(q)}
    if case is None:
        head = conn.execute(select(audit_head.c.last_seq, audit_head.c.last_hash)).first()
        heads[None] = [AUDIT_LOG, head[0] if head else 0, head[1] if head else GENESIS]
    return heads


def _scan(conn, max_position, max_id, chains, ranges, report):
    """One pass in log order (chains checked, tree built, proof subtrees hashed when asked), then
    the events not yet logged (chains only)."""
    tree = merkle.TreeBuilder()
    # proof subtrees not yet begun / in progress; the ranges of one proof are disjoint, those of
    # several checkpoints overlap, so a leaf may go to several
    pending, active = sorted(ranges, key=lambda r: r.start), []
    feed, push, leaf_data = chains.feed, tree.push_hash, checkpoints.leaf_data
    twice = {event_id: None for (event_id,) in conn.execute(text(_TWICE))}
    index, expected = 0, 1
    for batch in stream(conn, _LOGGED, {"max": max_position}):
        for row in batch:
            position, event_id = row[0], row[1]
            if position != expected:
                gap = f"{expected}" if position == expected + 1 else f"{expected}–{position - 1}"
                report.findings.append(f"Merkle-Baum, Position {gap}: Eintrag fehlt (gelöscht) – auf Position "
                                       f"{expected - 1} folgt Position {position}")
            expected = position + 1
            if row[2] is None:
                report.findings.append(f"Merkle-Baum, Position {position}: verweist auf Ereignis {event_id}, "
                                       "das es nicht gibt (gelöscht)")
                continue
            if event_id in twice:
                first = twice[event_id]
                if first is not None:
                    report.findings.append(f"Merkle-Baum, Position {position}: Ereignis {event_id} steht schon auf "
                                           f"Position {first} (doppelt aufgenommen)")
                else:
                    twice[event_id] = position
                    feed(row[2:])
            else:
                feed(row[2:])
            leaf = sha256(b"\x00" + leaf_data(row[12])).digest()
            push(leaf)
            if pending or active:
                while pending and index >= pending[0].start:
                    active.append(pending.pop(0))
                active = [r for r in active if index < r.end]
                for r in active:
                    r.builder.push_hash(leaf)
            index += 1
    only = chains.only
    for batch in stream(conn, _NOT_LOGGED, {"max": max_id}):
        for row in batch:
            if only is None or row[1] == only:
                report.unsequenced += 1
            feed(row)
    return tree


def stream(conn, sql, params):
    """Batches of rows from the driver's cursor (a server-side cursor on PostgreSQL); `sql` uses
    %(name)s placeholders. Runs inside the connection's transaction."""
    raw = conn.connection.driver_connection
    if conn.dialect.name == "sqlite":
        cursor = raw.cursor()
        cursor.execute(re.sub(r"%\((\w+)\)s", r":\1", sql), params)
    else:
        cursor = raw.cursor(name="zsa_audit_scan", binary=True)  # bytea and timestamps without text conversion
        cursor.itersize = _BATCH
        cursor.execute(sql, params)
    try:
        while batch := cursor.fetchmany(_BATCH):
            yield batch
    finally:
        cursor.close()


class _Chains:
    """Per-case chain state while the rows stream by in append order."""

    def __init__(self, heads, report, only=None):
        self.heads, self.report, self.only = heads, report, only
        self.state = {}  # case id -> [expected seq, prev hash, last seq, last hash]
        self.missing = {}  # (case id, seq) -> index of its "fehlt" finding
        self.at_cache = (None, None)

    def _at(self, value):
        if self.at_cache[0] == value:
            return self.at_cache[1]
        if isinstance(value, str):
            text = datetime.fromisoformat(value).replace(tzinfo=timezone.utc).isoformat()
        else:
            text = (value if value.tzinfo else value.replace(tzinfo=timezone.utc)).astimezone(timezone.utc).isoformat()
        self.at_cache = (value, text)
        return text

    def feed(self, row):
        (row_id, case_id, seq, typ, element_id, element_name, actor, at, data, prev_hash, stored, version,
         definition_hash, ciphertext) = row
        if self.only is not None and case_id != self.only:
            return
        self.report.events += 1
        head = self.heads.get(case_id)
        if head is None:
            self._finding(f"Ereignis {row_id}: gehört zu keinem Vorgang (case_id {case_id}) – Vorgang gelöscht?")
            return
        number = head[0]
        state = self.state.get(case_id)
        if state is None:
            state = self.state[case_id] = [1, GENESIS, 0, GENESIS]
        at_iso = self._at(at)
        body = canonical_body(version, prev_hash, number, seq, typ, element_id, element_name, actor, at_iso,
                              definition_hash, data, ciphertext)
        expected = state[0]
        if seq == expected and prev_hash == state[1] and body is not None \
                and sha256(body.encode()).hexdigest() == stored:  # the usual case: intact
            state[0], state[1] = seq + 1, stored
            if seq > state[2]:
                state[2], state[3] = seq, stored
            return
        where = f"{'Prüfprotokoll' if case_id is None else 'Vorgang ' + number}, Position {seq}"
        if seq == expected:
            if prev_hash != state[1]:
                self._finding(f"{where}: Verkettung unterbrochen (Vorgänger-Hash passt nicht) – Ereignis davor "
                              "geändert, entfernt oder eingefügt")
        elif seq > expected:
            gap = f"{expected}" if seq == expected + 1 else f"{expected}–{seq - 1}"
            for missing in range(expected, min(seq, expected + 50)):
                self.missing[(case_id, missing)] = len(self.report.findings)
            self._finding(f"{where.rsplit(',', 1)[0]}, Position {gap}: Ereignis fehlt (gelöscht) – auf Position "
                          f"{expected - 1} folgt Position {seq}")
        else:
            index = self.missing.pop((case_id, seq), None)  # a gap reported before is this event's place
            text = f"{where}: außer der Reihe – steht hinter Position {expected - 1} (eingefügt oder umgestellt)"
            if index is not None:
                self.report.findings[index] = text
            else:
                self._finding(text)
        if body is None:
            self._finding(f"{where}: unbekannte Kettenversion {version}")
        elif sha256(body.encode()).hexdigest() != stored:
            self._finding(f"{where}: Inhalt geändert (Hash stimmt nicht)")
        if seq >= expected:
            state[0], state[1] = seq + 1, stored
        if seq > state[2]:
            state[2], state[3] = seq, stored

    def finish(self):
        """Compare each case's head with its last event: a cut-off tail shows here."""
        for case_id, (number, last_seq, last_hash) in self.heads.items():
            if self.only is not None and case_id != self.only:
                continue
            _, _, seen_seq, seen_hash = self.state.get(case_id, (1, GENESIS, 0, GENESIS))
            name = "Prüfprotokoll" if case_id is None else f"Vorgang {number}"
            if last_seq > seen_seq:
                self._finding(f"{name}, Position {seen_seq + 1}–{last_seq}: Ende abgeschnitten – der Kopf des "
                              f"Vorgangs verweist auf Position {last_seq}, letztes Ereignis ist Position {seen_seq}")
            elif last_seq < seen_seq:
                self._finding(f"{name}, Position {last_seq + 1}–{seen_seq}: Ereignisse hinter dem Kopf des "
                              f"Vorgangs (Position {last_seq}) – nachträglich eingefügt")
            elif last_hash != seen_hash:
                self._finding(f"{name}, Position {seen_seq}: Kopf-Hash des Vorgangs passt nicht zum letzten Ereignis")

    def _finding(self, text):
        self.report.findings.append(text)


def _verify_files(conn, report):
    """Every stored file against its SHA-256, named by the process versions and forms using it."""
    users = {}
    for row in conn.execute(select(process_definition.c.process_id, process_definition.c.version,
                                   process_definition.c.files)):
        files = row.files if not isinstance(row.files, str) else json.loads(row.files)
        for f in files:
            users.setdefault(f["sha256"], []).append(f"{f['path']} (Prozess {row.process_id} Version {row.version})")
    for row in conn.execute(select(form_definition.c.form_id, form_definition.c.version, form_definition.c.sha256)):
        users.setdefault(row.sha256, []).append(f"Formular {row.form_id} Version {row.version}")
    stored = set()
    for sha, content in conn.execution_options(yield_per=200).execute(select(artifact.c.sha256, artifact.c.content)):
        stored.add(sha)
        report.files += 1
        if sha256(bytes(content)).hexdigest() != sha:
            for name in users.get(sha) or [f"Datei {sha[:12]}… (von keiner Version benutzt)"]:
                report.findings.append(f"Datei {name}: Inhalt nach der Bereitstellung geändert (SHA-256 stimmt nicht)")
    for sha, names in users.items():
        if sha not in stored:
            for name in dict.fromkeys(names):
                report.findings.append(f"Datei {name}: fehlt in der Datenbank (SHA-256 {sha[:12]}…)")


class _Consistency:
    """One checkpoint: signature, then the consistency proof against today's tree."""

    class Range:
        def __init__(self, start, end):
            self.start, self.end, self.builder = start, end, merkle.TreeBuilder()

    def __init__(self, document, size):
        self.doc, self.size = document, size
        self.m = int(document["tree_size"])
        self.ranges = [self.Range(a, b) for a, b in merkle.consistency_ranges(self.m, size)]
        self.problems = []

    def prepare(self, trusted_key):
        self.problems = checkpoints.check_signature(self.doc, trusted_key)
        if trusted_key is None:
            return [f"Hinweis: Prüfpunkt vom {self.doc['timestamp']} mit dem darin enthaltenen Schlüssel geprüft "
                    f"(key id {self.doc.get('key_id')}); mit --public-key gegen den eigenen Schlüssel prüfen"]
        return []

    def finish(self, tree):
        when = self.doc["timestamp"]
        if self.problems:
            return self.problems
        if self.m > tree.size:
            return [f"Prüfpunkt vom {when}: Protokoll gekürzt – der Prüfpunkt umfasst {self.m} Ereignisse, "
                    f"heute sind es {tree.size}"]
        proof = [r.builder.root() for r in self.ranges]
        if not merkle.verify_consistency(self.m, tree.size, bytes.fromhex(self.doc["root_hash"]), tree.root(), proof):
            return [f"Prüfpunkt vom {when}: das heutige Protokoll setzt den Prüfpunkt nicht fort – Ereignisse unter "
                    f"den ersten {self.m} wurden geändert, entfernt oder umgeschrieben (Konsistenzbeweis scheitert)"]
        return []
