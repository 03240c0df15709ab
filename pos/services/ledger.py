"""``ledger verify``: recompute the hash chain, then rebuild the read models and compare."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import Engine, select

from pos.domain.errors import LedgerError
from pos.domain.ledger import ChainProblem, parse_stored, verify_chain
from pos.store import projections
from pos.store.schema import LEDGER_READ_MODELS, sales
from pos.store.uow import iter_journal


@dataclass(frozen=True, slots=True)
class VerifyReport:
    entries: int
    problem: ChainProblem | None

    @property
    def ok(self) -> bool:
        return self.problem is None


def verify_ledger(reader: Engine, terminal_id: str) -> VerifyReport:
    with reader.connect() as conn:
        rows = list(iter_journal(conn, None))
        problem = verify_chain(rows, terminal_id)
        if problem is not None:
            return VerifyReport(len(rows), problem)

        # Chain is intact: every read-model row must be exactly what the journal implies.
        expected: dict[Any, dict[tuple, tuple[int, dict[str, Any]]]] = {t: {} for t in LEDGER_READ_MODELS}
        for row in rows:
            entry = parse_stored(row)
            for table, trows in projections.rows_for(entry).items():
                for r in trows:
                    expected[table][projections.row_key(table, r)] = (entry.seq, r)

        seq_of_receipt = {r.receipt_no: r.journal_seq for r in conn.execute(select(sales.c.receipt_no, sales.c.journal_seq))}
        first: ChainProblem | None = None

        def note(seq: int, reason: str) -> None:
            nonlocal first
            if first is None or seq < first.seq:
                first = ChainProblem(seq, reason)

        for table in LEDGER_READ_MODELS:
            want = expected[table]
            seen: set[tuple] = set()
            for actual in conn.execute(select(table)).mappings():
                key = projections.row_key(table, actual)
                seen.add(key)
                if key not in want:
                    seq = actual.get("journal_seq") or seq_of_receipt.get(actual.get("receipt_no"), 0)
                    note(seq or 0, f"{table.name} row {key} has no journal entry behind it")
                    continue
                seq, wrow = want[key]
                diffs = [c for c in wrow if _norm(actual[c]) != _norm(wrow[c])]
                if diffs:
                    note(seq, f"{table.name} row {key} differs from the journal in {', '.join(diffs)}")
            for key, (seq, _) in want.items():
                if key not in seen:
                    note(seq, f"{table.name} row {key} is missing")
        return VerifyReport(len(rows), first)


def _norm(v: Any) -> Any:
    return int(v) if isinstance(v, bool) else v


__all__ = ["VerifyReport", "verify_ledger", "LedgerError"]
