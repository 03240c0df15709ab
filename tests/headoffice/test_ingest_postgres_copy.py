"""Head office stores a batch on PostgreSQL with COPY in its text format: every payload comes back exactly as
the till sent it, whatever it holds (backslashes of JSON escapes, a raw tab or newline between tokens, Chinese,
emoji), and the chain head office checks afterwards still holds."""

from __future__ import annotations

import json

from headoffice import service
from headoffice.db import open_engine
from pos.domain.ledger import genesis_hash, hash_stored


def test_payloads_with_escapes_and_raw_whitespace_are_stored_exactly(postgres_url: str) -> None:
    engine = open_engine(postgres_url)
    try:
        service.add_terminal(engine, "MX", "MX61")
        with engine.begin() as conn:
            conn.exec_driver_sql("UPDATE terminals SET status = 'active', secret = '00' WHERE terminal_id = 'MX61'")
        texts = ['{"reason":"引号 \\" 反斜杠 \\\\ 制表 \\t 😀","amount":100}',
                 '{\n\t"amount":\t200,\r\n"by":"cashier1"}',  # whitespace between tokens: JSON, if not canonical
                 '{"note":"\\\\n is not a newline","amount":300}']
        prev, entries = genesis_hash("MX61"), []
        for seq, text in enumerate(texts, 1):
            at = f"2026-11-22T02:00:0{seq}.000000Z"
            digest = hash_stored(prev, "MX61", seq, "cash_in", "2026-11-22", at, text)
            entries.append({"seq": seq, "kind": "cash_in", "business_day": "2026-11-22", "created_at": at,
                            "payload": text, "prev_hash": prev, "hash": digest})
            prev = digest
        caller = service.Caller("MX61", "MX", b"\0", "n-61", nonce_pending=True)
        body = json.dumps({"entries": entries[:1]}, ensure_ascii=False).encode()
        assert service.store_body(engine, caller, body)["acknowledged_seq"] == 1
        # batch format 2: the payload's own JSON in the body, its bytes written into the COPY buffer as they are;
        # entry 1 again between entries 2 and 3 (held already): 2 and 3 are stored, each with its own text
        caller = service.Caller("MX61", "MX", b"\0", "n-62", nonce_pending=True)
        items = [json.dumps({**e, "payload": None}, ensure_ascii=False).replace('"payload": null', '"payload": '
                                                                                 + e["payload"]) for e in entries]
        body = ('{"v":2,"entries":[' + items[1] + "," + items[0] + "," + items[2] + "]}").encode()
        assert service.store_body(engine, caller, body) == {"acknowledged_seq": 3, "accepted": 2, "duplicates": 1,
                                                            "batch_format": 2}
        assert [e.payload_text for e in service.stored_entries(engine, "MX61")] == texts
        from headoffice.terminals_view import verify

        assert verify(engine, "MX61")["ok"]
    finally:
        engine.dispose()
