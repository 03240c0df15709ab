"""Head office on SQLite stores a batch in multi-row INSERTs of as many rows as the SQLite build allows: a till's
largest batch (MAX_BATCH entries) spans more than one statement and is stored whole, every payload as sent,
also on a build that takes few bound values per statement (999 before SQLite 3.32)."""

from __future__ import annotations

import json
import sqlite3

import pytest
from sqlalchemy import event

from headoffice import service
from headoffice.db import open_engine
from headoffice.terminals_view import verify
from pos.domain.ledger import genesis_hash, hash_stored

T = "MX62"


def _body(n: int) -> tuple[bytes, list[str]]:
    prev, entries, texts = genesis_hash(T), [], []
    for seq in range(1, n + 1):
        at = f"2026-11-22T02:{seq // 60 % 60:02d}:{seq % 60:02d}.000000Z"
        text = json.dumps({"amount": seq, "by": "cashier1", "reason": f"找零备用金 {seq}"}, ensure_ascii=False,
                          separators=(",", ":"), sort_keys=True)
        digest = hash_stored(prev, T, seq, "cash_in", "2026-11-22", at, text)
        entries.append({"seq": seq, "kind": "cash_in", "business_day": "2026-11-22", "created_at": at,
                        "payload": text, "prev_hash": prev, "hash": digest})
        texts.append(text)
        prev = digest
    return json.dumps({"entries": entries}, ensure_ascii=False).encode(), texts


@pytest.mark.parametrize("variable_limit", [None, 999])
def test_the_largest_batch_is_stored_whole_across_statements(tmp_path, variable_limit: int | None) -> None:  # noqa: ANN001
    engine = open_engine(f"sqlite:///{tmp_path / 'ho.db'}")
    if variable_limit is not None:  # as an older or stricter SQLite build: 111 rows a statement
        @event.listens_for(engine, "connect")
        def _limit(dbapi_conn, _rec) -> None:  # noqa: ANN001
            dbapi_conn.setlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER, variable_limit)

        engine.dispose()  # the connections made so far, without the limit
    try:
        service.add_terminal(engine, "MX", T)
        with engine.begin() as conn:
            conn.exec_driver_sql(f"UPDATE terminals SET status = 'active', secret = '00' WHERE terminal_id = '{T}'")
        body, texts = _body(service.MAX_BATCH)
        assert service.MAX_BATCH > service._ROWS_PER_INSERT  # noqa: SLF001 - more than one statement's rows
        caller = service.Caller(T, "MX", b"\0", "n-1", nonce_pending=True)
        answer = service.store_body(engine, caller, body)
        assert (answer["acknowledged_seq"], answer["accepted"]) == (service.MAX_BATCH, service.MAX_BATCH)
        assert [e.payload_text for e in service.stored_entries(engine, T)] == texts
        assert verify(engine, T)["ok"]
    finally:
        engine.dispose()
