"""``ledger verify``: recompute the hash chain, then rebuild the read models and compare."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, Engine, Table, create_engine, select

from pos.domain.closing import grand_total_problem
from pos.domain.ledger import ChainProblem, EntryKind, parse_stored, verify_chain
from pos.store import projections
from pos.store.schema import LEDGER_READ_MODELS, metadata
from pos.store.uow import iter_journal


@dataclass(frozen=True, slots=True)
class VerifyReport:
    entries: int
    problem: ChainProblem | None

    @property
    def ok(self) -> bool:
        return self.problem is None


def verify_ledger(reader: Engine, terminal_id: str) -> VerifyReport:
    """Check the chain entry by entry, then replay it into a scratch database and compare read models."""
    scratch = create_engine("sqlite://")
    metadata.create_all(scratch, tables=list(LEDGER_READ_MODELS))
    try:
        with reader.connect() as conn, scratch.begin() as rebuilt:
            seen = {"count": 0, "last": 0, "grand": 0}
            grand_problems: list[ChainProblem] = []

            def replay(rows):  # noqa: ANN001, ANN202
                # verify_chain asks for the next row only after accepting this one, so only
                # verified entries are replayed; memory stays flat on a long journal.
                for row in rows:
                    seen["count"] += 1
                    yield row
                    entry = parse_stored(row)
                    projections.apply(rebuilt, entry)
                    seen["last"] = row.seq
                    if entry.kind == EntryKind.Z_CLOSURE and not grand_problems:
                        why = grand_total_problem(entry.payload, seen["grand"])
                        if why:
                            grand_problems.append(ChainProblem(row.seq, why))
                        seen["grand"] = int(entry.payload.get("grand_total", 0) or 0)

            problem = verify_chain(replay(iter_journal(conn, None)), terminal_id)
            if problem is not None:
                return VerifyReport(seen["count"], problem)
            if grand_problems:
                return VerifyReport(seen["count"], grand_problems[0])
            problem = _check_head(conn, terminal_id, seen["last"])
            if problem is not None:
                return VerifyReport(seen["count"], problem)
            return VerifyReport(seen["count"], _compare(conn, rebuilt, seen["last"]))
    finally:
        scratch.dispose()


def _check_head(conn: Connection, terminal_id: str, last_seq: int) -> ChainProblem | None:
    """The journal must end where its recorded head says (entries cut off the end leave no other trace)."""
    from pos.store.schema import journal, meta
    from pos.store.uow import JOURNAL_HEAD

    recorded = conn.execute(select(meta.c.value).where(meta.c.key == f"{JOURNAL_HEAD}:{terminal_id}")).scalar()
    if recorded is None:
        return None  # a database from before the head was recorded
    seq_text, _, digest = recorded.partition(":")
    seq = int(seq_text) if seq_text.isdigit() else 0
    if seq > last_seq:
        return ChainProblem(last_seq + 1, f"the journal ends at seq {last_seq} but its head was recorded at seq {seq}: "
                                          "entries were removed from the end")
    if seq:
        stored = conn.execute(select(journal.c.hash).where(journal.c.terminal_id == terminal_id,
                                                           journal.c.seq == seq)).scalar()
        if stored != digest:
            return ChainProblem(seq, f"entry {seq} is not the one recorded as the journal's head")
    return None


def _rows(conn: Connection, table: Table) -> dict[tuple, dict[str, Any]]:
    pk = [c.name for c in table.primary_key.columns]
    out = {}
    for r in conn.execute(select(table)).mappings():
        out[tuple(r[c] for c in pk)] = {k: (int(v) if isinstance(v, bool) else v) for k, v in r.items()}
    return out


def _seq_of(row: dict[str, Any], seq_by_receipt: dict[str, int], fallback: int) -> int:
    if row.get("journal_seq"):
        return int(row["journal_seq"])
    return seq_by_receipt.get(row.get("receipt_no", ""), fallback)


def _compare(stored_conn: Connection, rebuilt: Connection, last_seq: int) -> ChainProblem | None:
    """The first (lowest-seq) difference between the stored and the rebuilt read models."""
    seq_by_receipt: dict[str, int] = {}
    for src in (rebuilt, stored_conn):
        for row in _rows(src, LEDGER_READ_MODELS[0]).values():
            if "receipt_no" in row and row.get("journal_seq"):
                seq_by_receipt.setdefault(row["receipt_no"], row["journal_seq"])
    problems: list[ChainProblem] = []
    for table in LEDGER_READ_MODELS:
        want, have = _rows(rebuilt, table), _rows(stored_conn, table)
        for key, row in want.items():
            got = have.get(key)
            seq = _seq_of(row, seq_by_receipt, last_seq)
            if got is None:
                problems.append(ChainProblem(seq, f"{table.name} row {key} is missing"))
            elif got != row:
                cols = ", ".join(c for c in row if got.get(c) != row[c])
                problems.append(ChainProblem(seq, f"{table.name} row {key} differs from the journal in {cols}"))
        for key, row in have.items():
            if key not in want:
                problems.append(ChainProblem(_seq_of(row, seq_by_receipt, last_seq),
                                             f"{table.name} row {key} has no journal entry behind it"))
    return min(problems, key=lambda p: p.seq) if problems else None
