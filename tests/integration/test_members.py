"""Members at a real till on a real SQLite file: registering, finding by phone, last 4 or card, privacy, export."""

from __future__ import annotations

import csv
import sqlite3
from pathlib import Path

import pytest
from sqlalchemy import create_engine

from pos.bootstrap import Till, open_till
from pos.domain.ledger import EntryKind, JournalEntry
from pos.domain.members import MemberError, member_code
from pos.domain.permissions import NotPermitted
from pos.services.members import MemberExists, MemberKeyError, MemberService
from pos.store import members as member_store
from pos.store.schema import member_points, members, metadata

PHONE = "13800138000"


def cashier(till: Till):
    return till.auth.login("cashier1", "1111")


def manager(till: Till):
    return till.auth.login("manager1", "2222")


def _db_bytes(path: Path) -> bytes:
    """Everything of the database on disk: the file and its WAL (a copy of the folder takes both)."""
    return b"".join(p.read_bytes() for p in (path, Path(f"{path}-wal"), Path(f"{path}-journal")) if p.exists())


def test_a_cashier_registers_a_shopper_and_finds_her_by_number_last_four_and_card(fresh_till: Till) -> None:
    till = fresh_till
    added = till.members.add("138 0013 8000", " 王小红 ", birthday="05-17", by=cashier(till))
    assert (added.member_id, added.phone_masked, added.name, added.tier, added.points) == (
        "MX01000001", "138****8000", "王小红", "普通", 0)
    assert added.code == member_code("MX01000001")
    other = till.members.add("+86 139-0000-8000", "李大山", tier="金卡", by=cashier(till))
    assert other.member_id == "MX01000002"

    assert till.members.find("13800138000") == (added,)
    assert till.members.find("+86 138 0013 8000") == (added,)
    assert till.members.find("13900008000") == (other,)
    # the last 4 digits give a pick list; the screen shows masked numbers only
    assert [(m.member_id, m.phone_masked) for m in till.members.find("8000")] == [
        ("MX01000001", "138****8000"), ("MX01000002", "139****8000")]
    assert till.members.find(added.code.lower()) == (added,)  # a scanner sending lower case
    assert till.members.get("MX01000002") == other
    assert till.members.find("13700000000") == () and till.members.find("1234") == ()
    assert till.members.find(member_code("MX01000099")) == ()


def test_a_bad_number_a_mistyped_card_and_a_second_registration_are_refused_plainly(fresh_till: Till) -> None:
    till = fresh_till
    with pytest.raises(MemberError) as err:
        till.members.add("1380013800", "王小红", by=cashier(till))
    assert "not a mainland mobile number" in str(err.value) and "手机号" in err.value.message_zh
    with pytest.raises(MemberError, match="not a mainland mobile number"):
        till.members.find("12345")
    added = till.members.add(PHONE, "王小红", by=cashier(till))
    with pytest.raises(MemberError) as err:
        till.members.find(added.code[:-1] + ("0" if added.code[-1] != "0" else "1"))
    assert "会员码" in err.value.message_zh
    with pytest.raises(MemberExists) as exists:
        till.members.add("138-0013-8000", "王二", by=cashier(till))
    assert "138****8000 is already a member (MX01000001)" in str(exists.value)
    with pytest.raises(MemberError, match="tier"):
        till.members.add("13900000000", "李大山", tier="钻石", by=cashier(till))
    with pytest.raises(MemberError, match="month-day"):
        till.members.add("13900000000", "李大山", birthday="1990-05-17", by=cashier(till))
    assert len(till.members.find("0000")) == 0


def test_a_copied_database_does_not_show_the_phone_numbers(fresh_till: Till, config) -> None:  # noqa: ANN001
    till = fresh_till
    phones = ["13800138000", "15912345678", "18687654321"]
    for i, phone in enumerate(phones):
        till.members.add(phone, f"会员{i}", by=cashier(till))
    db = Path(till.db.path)
    stored = _db_bytes(db)
    till.close()
    stored += _db_bytes(db)  # after the WAL is checkpointed into the file, too
    for phone in phones:
        for form in (phone, phone[:3] + " " + phone[3:7] + " " + phone[7:], phone[3:]):
            assert form.encode() not in stored
    # what the journal sends to head office carries the hash, the last 4 and the sealed number
    with sqlite3.connect(db) as c:
        payloads = [p for (p,) in c.execute("SELECT payload FROM journal WHERE kind = 'member_add'")]
        assert len(payloads) == 3 and all('"phone_hash"' in p and '"phone_enc"' in p for p in payloads)
        assert c.execute("SELECT phone_last4 FROM members ORDER BY member_id").fetchall() == [
            ("8000",), ("5678",), ("4321",)]
    # the key lives in a file beside the device key, readable only by the till's user
    assert Path(config.member_key).parent == Path(config.device_key).parent
    assert Path(config.member_key).stat().st_mode & 0o077 == 0


def test_ledger_verify_names_a_members_row_edited_in_the_file(fresh_till: Till) -> None:
    till = fresh_till
    added = till.members.add(PHONE, "王小红", tier="银卡", by=cashier(till))
    till.members.change(added.member_id, tier="金卡", birthday="02-29", by=cashier(till))
    assert till.members.get(added.member_id).tier == "金卡"
    assert till.verify().ok
    with sqlite3.connect(till.db.path) as c:
        c.execute("UPDATE members SET points = 100000 WHERE member_id = ?", (added.member_id,))
    report = till.verify()
    assert not report.ok
    assert "members row ('MX01000001',) differs from the journal in points" in report.problem.reason


def test_export_is_refused_to_a_cashier_and_written_for_a_manager(fresh_till: Till, tmp_path: Path) -> None:
    till = fresh_till
    till.members.add(PHONE, "王小红", birthday="05-17", by=cashier(till))
    till.members.add("15912345678", "=HYPERLINK(\"x\")", by=cashier(till))
    with pytest.raises(NotPermitted) as err:
        till.members.export(tmp_path / "m.csv", by=cashier(till))
    assert "导出会员资料" in err.value.message_zh
    assert not (tmp_path / "m.csv").exists()

    done = till.members.export(tmp_path / "m.csv", by=manager(till))
    assert done.members == 2
    with (tmp_path / "m.csv").open(encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.reader(fh))
    assert rows[0][:3] == ["会员编号", "手机号", "姓名"]
    assert rows[1][:5] == ["MX01000001", PHONE, "王小红", "普通", "05-17"]
    assert rows[2][2].startswith("'=")  # a name a spreadsheet would run as a formula is written as text
    assert (tmp_path / "m.csv").stat().st_mode & 0o077 == 0

    from openpyxl import load_workbook

    till.members.export(tmp_path / "m.xlsx", by=manager(till))
    sheet = load_workbook(tmp_path / "m.xlsx").active
    assert [c.value for c in sheet[2]][:2] == ["MX01000001", PHONE]
    with pytest.raises(MemberError, match=".csv or .xlsx"):
        till.members.export(tmp_path / "m.pdf", by=manager(till))
    with sqlite3.connect(till.db.path) as c:
        assert c.execute("SELECT COUNT(*) FROM journal WHERE kind = 'member_export'").fetchone()[0] == 2


def test_without_the_member_key_the_till_says_so_instead_of_losing_its_members(config, clock, tmp_path) -> None:  # noqa: ANN001
    till = open_till(config, create=True, demo=True, clock=clock)
    try:
        till.members.add(PHONE, "王小红", by=cashier(till))
    finally:
        till.close()
    key = Path(config.member_key)
    kept = key.read_bytes()
    key.unlink()
    till = open_till(config, clock=clock)
    try:
        with pytest.raises(MemberKeyError) as err:
            till.members.find(PHONE)
        assert "restore it" in str(err.value) and "会员密钥" in err.value.message_zh
        with pytest.raises(MemberKeyError):
            till.members.add("13900000000", "李大山", by=cashier(till))
        assert not key.exists()  # a new key would orphan every member: none is made
    finally:
        till.close()
    key.write_text("ab" * 32)  # another store's key
    till = open_till(config, clock=clock)
    try:
        with pytest.raises(MemberKeyError, match="not the one"):
            till.members.find(PHONE)
    finally:
        till.close()
    key.write_bytes(kept)
    till = open_till(config, clock=clock)
    try:
        assert [m.name for m in till.members.find(PHONE)] == ["王小红"]
    finally:
        till.close()


def _entry(seq: int, kind: str, payload: dict) -> JournalEntry:
    return JournalEntry("MX01", seq, kind, "2026-11-22", f"2026-11-22T02:00:{seq:02d}Z", payload, "", "")


def test_sales_and_returns_with_a_member_move_her_points(fresh_till: Till) -> None:
    """The "member" of a sale or return payload (helper F's checkout writes it) as the projection reads it."""
    added = fresh_till.members.add(PHONE, "王小红", by=cashier(fresh_till))
    with sqlite3.connect(fresh_till.db.path) as c:
        (add_payload,) = c.execute("SELECT payload FROM journal WHERE kind = 'member_add'").fetchone()
    import json

    scratch = create_engine("sqlite://")
    metadata.create_all(scratch, tables=[members, member_points])
    with scratch.begin() as conn:
        raw = conn.connection.driver_connection
        member_store.write(raw, _entry(1, EntryKind.MEMBER_ADD, json.loads(add_payload)))
        member_store.write(raw, _entry(2, EntryKind.SALE, {"receipt_no": "MX01-20261122-0001", "member": {
            "id": added.member_id, "tier": "普通", "points_earned": 120, "points_redeemed": 0, "redeem_fen": 0}}))
        member_store.write(raw, _entry(3, EntryKind.SALE, {"receipt_no": "MX01-20261122-0002", "member": {
            "id": added.member_id, "tier": "普通", "points_earned": 30, "points_redeemed": 100, "redeem_fen": 100}}))
        member_store.write(raw, _entry(4, EntryKind.RETURN, {"return_no": "MX01-20261122-R0001", "member": {
            "id": added.member_id, "points_reversed": 40}}))
        member_store.write(raw, _entry(5, EntryKind.SALE, {"receipt_no": "MX01-20261122-T0001", "training": True,
                                                           "member": {"id": added.member_id, "points_earned": 500}}))
        member_store.write(raw, _entry(6, EntryKind.SALE, {"receipt_no": "MX01-20261122-0003"}))
        assert raw.execute("SELECT points, updated_seq FROM members").fetchone() == (120 + 30 - 100 - 40, 4)
        assert raw.execute("SELECT journal_seq, kind, doc_no, earned, redeemed, reversed, redeem_fen FROM member_points "
                           "ORDER BY journal_seq").fetchall() == [
            (2, "sale", "MX01-20261122-0001", 120, 0, 0, 0), (3, "sale", "MX01-20261122-0002", 30, 100, 0, 100),
            (4, "return", "MX01-20261122-R0001", 0, 0, 40, 0)]
    scratch.dispose()


def test_the_member_sql_matches_the_migrated_schema(fresh_till: Till) -> None:
    with sqlite3.connect(fresh_till.db.path) as c:
        for sql in member_store.STATEMENTS:
            c.execute("EXPLAIN " + sql, (None,) * sql.count("?"))
        plan = " ".join(str(r) for r in c.execute("EXPLAIN QUERY PLAN " + member_store.SQL_BY_HASH, ("x",)))
        assert "USING INDEX" in plan
        plan = " ".join(str(r) for r in c.execute("EXPLAIN QUERY PLAN " + member_store.SQL_BY_LAST4, ("1234", 20)))
        assert "ix_members_last4" in plan


def test_a_service_without_a_reader_reads_in_its_unit_of_work(fresh_till: Till) -> None:
    till = fresh_till
    service = MemberService(till.uow, till.clock, till.identity, key_path=Path(till.config.member_key))
    added = service.add(PHONE, "王小红", by=cashier(till))
    assert till.members.find("8000") == (added,) == service.find(PHONE)


def test_a_manager_names_the_tiers_and_sets_the_points_rule_and_they_stay(config, clock) -> None:  # noqa: ANN001
    from pos.domain.members import PointsRule

    till = open_till(config, create=True, demo=True, clock=clock)
    try:
        assert till.members.tiers == ("普通", "银卡", "金卡") and till.members.rule == PointsRule()
        with pytest.raises(NotPermitted):
            till.members.set_tiers(["普通", "VIP"], cashier(till))
        with pytest.raises(MemberError, match="1–6 different tier names"):
            till.members.set_tiers(["普通", "普通"], manager(till))
        till.members.set_tiers([" 普通 ", "VIP"], manager(till))
        rule = PointsRule(fen_per_point=200, excluded_categories=frozenset({"烟酒"}), max_redeem_pct=30)
        till.members.set_points_rule(rule, manager(till))
        till.members.add(PHONE, "王小红", tier="VIP", by=cashier(till))
        with pytest.raises(MemberError, match="普通, VIP"):
            till.members.add("13900000000", "李大山", tier="金卡", by=cashier(till))
    finally:
        till.close()
    till = open_till(config, clock=clock)
    try:
        assert till.members.tiers == ("普通", "VIP") and till.members.rule == rule
        assert till.verify().ok
    finally:
        till.close()


def test_a_till_from_before_members_finds_nobody_and_makes_its_key_at_the_first_registration(config, clock) -> None:  # noqa: ANN001
    open_till(config, create=True, demo=True, clock=clock).close()
    key = Path(config.member_key)
    key.unlink()  # as on a till initialised before members existed
    till = open_till(config, clock=clock)
    try:
        assert till.members.find(PHONE) == () and till.members.find("8000") == ()
        assert not key.exists()
        added = till.members.add(PHONE, "王小红", by=cashier(till))
        assert key.exists() and till.members.find(PHONE) == (added,)
    finally:
        till.close()
