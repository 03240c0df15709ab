"""The till reads and encodes the next batch while one is in flight, and still sends only in order from
what head office acknowledged: a line that drops mid-drain loses nothing and doubles nothing, and an
acknowledgement short of what was sent makes the till send again from there, never what it read ahead."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest

from headoffice import service
from pos.services.ports import FixedClock
from pos.services.sync import Ack, TransientSyncError
from pos.store.uow import iter_journal
from pos.sync.transport import HttpTransport
from tests.headoffice.ho_support import cashier_of, fast_retries, make_till, running_server, sell


def test_a_drop_mid_pipeline_resends_from_the_last_acknowledged_entry(tmp_path: Path,
                                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    till = make_till(tmp_path, "MX", "MX01", FixedClock(datetime(2026, 11, 22, 2, tzinfo=UTC)), sync_batch_size=3)
    with running_server(f"sqlite:///{tmp_path / 'ho.db'}") as srv:
        code = service.add_terminal(srv.engine, "MX", "MX01").code
        till.sync.enroll(srv.url, code)
        fast_retries(till)
        cashier = cashier_of(till)
        for _ in range(6):
            sell(till, cashier, [("MX-E001", 1)])
        head = till.sync.status().head_seq
        real = HttpTransport.post_batch
        sent: list[tuple[int, int]] = []

        def drops_third(self, batch):  # noqa: ANN001, ANN202
            sent.append((batch[0]["seq"], batch[-1]["seq"]))
            # what goes on the wire is the journal's stored text, as it is
            assert [e["seq"] for e in json.loads(batch.encoded)] == [e["seq"] for e in batch]
            if len(sent) == 3:
                raise TransientSyncError("line dropped", message_zh="网络中断")
            return real(self, batch)

        monkeypatch.setattr(HttpTransport, "post_batch", drops_third)
        till.sync.max_attempts = 1
        report = till.sync.run_cycle()
        assert not report.ok
        assert report.acknowledged_seq == sent[1][1] == service.terminal_state(srv.engine, "MX01")["acknowledged_seq"]
        # in seq order, each right after the one before; two in flight, so the batch after the dropped one
        # may have gone too: head office refused it (out_of_order) and stored nothing of it
        assert sorted(sent)[:3] == [(1, 3), (4, 6), (7, 9)] and len(sent) <= 4

        monkeypatch.setattr(HttpTransport, "post_batch", real)
        till.sync.max_attempts = 5
        report = till.sync.run_cycle()
        assert report.ok and report.waiting == 0
        held = service.stored_entries(srv.engine, "MX01")
        with till.db.reader.connect() as conn:
            mine = [(e.seq, e.hash, e.payload_text) for e in iter_journal(conn, "MX01")]
        assert [(e.seq, e.hash, e.payload_text) for e in held] == mine and len(mine) == head
    till.close()


class ShortAcks:
    """A head office that keeps only the first two entries of every batch it gets."""

    def __init__(self) -> None:
        self.time_offset = 0.0
        self.got: list[list[int]] = []

    def __call__(self, *_a, **_kw) -> ShortAcks:  # noqa: ANN002, ANN003 - the transport factory
        return self

    def post_batch(self, entries) -> Ack:  # noqa: ANN001
        seqs = [e["seq"] for e in entries]
        self.got.append(seqs)
        return Ack(seqs[min(1, len(seqs) - 1)], min(2, len(seqs)))

    def get_master(self, since: int) -> None:
        return None

    def close(self) -> None:
        pass


def test_an_acknowledgement_short_of_the_batch_is_followed_by_the_entries_after_it(tmp_path: Path) -> None:
    till = make_till(tmp_path, "MX", "MX01", FixedClock(datetime(2026, 11, 22, 2, tzinfo=UTC)), sync_batch_size=5)
    fake = ShortAcks()
    till.sync._secrets.set(b"k" * 32)  # noqa: SLF001 - enrolled without a head office
    till.sync._transport_factory = fake  # noqa: SLF001
    cashier = cashier_of(till)
    for _ in range(3):
        sell(till, cashier, [("MX-E001", 1)])
    head = till.sync.status().head_seq
    report = till.sync.run_cycle(url="http://127.0.0.1:9")
    assert report.ok and report.acknowledged_seq == head
    starts = [b[0] for b in fake.got]
    assert starts == list(range(1, head, 2))  # every batch begins right after what was acknowledged
    till.close()


def test_a_run_of_large_entries_goes_in_smaller_batches() -> None:
    from pos.services.sync import _within_bytes

    rows = [(i, "catalog_import", "2026-11-22", "t", "x" * 1_500_000, "p", "h") for i in range(1, 6)]
    assert [r[0] for r in _within_bytes(rows)] == [1, 2]  # under head office's 32 MB cap, whatever the batch size
    assert len(_within_bytes([(1, "k", "d", "t", "x" * 9_000_000, "p", "h")])) == 1  # one always goes
    small = [(i, "sale", "2026-11-22", "t", "{}", "p", "h") for i in range(1, 2001)]
    assert _within_bytes(small) == small


def test_a_batch_on_the_wire_carries_each_payload_exactly_as_stored_in_either_format() -> None:
    from pos.services.sync import _encode, wire_batch

    odd = '{"name":"张小芳 \\"引号\\" \\\\ \\u0001 \u2028 😀","n":1}'
    texts = [odd, '{"amount":100}']
    rows = [(1, "sale", "2026-11-22", "2026-11-22T02:00:00.000000Z", odd.encode(), "0" * 64, "1" * 64),
            (2, "cash_in", "2026-11-22", "2026-11-22T02:00:01.000000Z", '{"amount":100}', "1" * 64, "2" * 64)]
    batch = wire_batch(rows)
    assert batch.form == 2 and [e["seq"] for e in batch] == [1, 2]
    # format 2: each payload is the stored JSON itself, its bytes on the wire exactly the bytes that were hashed
    on_wire = json.loads(batch.encoded)
    assert [e["payload"] for e in on_wire] == [json.loads(t) for t in texts]
    for text in texts:
        assert b'"payload":' + text.encode() + b',"prev_hash"' in batch.encoded
    assert [{k: v for k, v in e.items() if k != "payload"} for e in on_wire] == [
        {"seq": r[0], "kind": r[1], "business_day": r[2], "created_at": r[3], "prev_hash": r[5], "hash": r[6]}
        for r in rows]
    # format 1 (a head office that has not said it reads 2): each payload the stored text in a JSON string,
    # the same bytes the standard library writes
    old = json.loads(batch.text_form())
    assert [e["payload"] for e in old] == texts
    assert batch.text_form() == _encode(old).encode("utf-8")


def test_a_till_sends_format_2_once_head_office_says_it_reads_it(tmp_path: Path,
                                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    till = make_till(tmp_path, "MX", "MX01", FixedClock(datetime(2026, 11, 22, 2, tzinfo=UTC)), sync_batch_size=2)
    with running_server(f"sqlite:///{tmp_path / 'ho.db'}") as srv:
        code = service.add_terminal(srv.engine, "MX", "MX01").code
        till.sync.enroll(srv.url, code)
        cashier = cashier_of(till)
        for _ in range(7):
            sell(till, cashier, [("MX-E001", 1), ("MX-H001", 2)])
        bodies: list[bytes] = []
        real = HttpTransport._signed  # noqa: SLF001

        def seen(self, method, path, body, **kw):  # noqa: ANN001, ANN202, ANN003
            if path.endswith("/batches"):
                bodies.append(body)
            return real(self, method, path, body, **kw)

        monkeypatch.setattr(HttpTransport, "_signed", seen)
        report = till.sync.run_cycle()
        assert report.ok and report.waiting == 0
        # the first batches go in format 1 (head office's answer says which it reads); after that, format 2
        assert bodies[0].startswith(b'{"entries":[') and bodies[-1].startswith(b'{"v":2,"entries":[')
        assert not any(b.startswith(b'{"v":2') for b in bodies[:1])
        # the next cycle starts in format 2 straight away: this head office said it reads it
        bodies.clear()
        for _ in range(3):
            sell(till, cashier, [("MX-E001", 1)])
        report = till.sync.run_cycle()
        assert report.ok and report.waiting == 0
        assert bodies and all(b.startswith(b'{"v":2,"entries":[') for b in bodies)
        held = service.stored_entries(srv.engine, "MX01")
        with till.db.reader.connect() as conn:
            mine = [(e.seq, e.hash, e.payload_text) for e in iter_journal(conn, "MX01")]
        assert [(e.seq, e.hash, e.payload_text) for e in held] == mine and len(mine) == till.sync.status().head_seq
    till.close()
