"""Issue 17: a member registered at one till is known at the store's other tills after sync (a real head office
on loopback). The store's member key comes with the enrolment; members and points come down from head office
as member_sync entries; the same phone registered at two tills offline ends as one member."""

from __future__ import annotations

import json
import sqlite3
from datetime import UTC, datetime
from pathlib import Path

import httpx
import pytest

from headoffice import members as ho_members
from headoffice import service
from pos.bootstrap import Till
from pos.domain.cart import Cart
from pos.domain.tenders import Tender, TenderKind
from pos.services.ports import FixedClock
from tests.headoffice.ho_support import cashier_of, fast_retries, make_till, running_server

T0 = datetime(2026, 12, 4, 2, 0, tzinfo=UTC)
PHONE = "13800138000"


@pytest.fixture
def srv(tmp_path: Path):
    with running_server(f"sqlite:///{tmp_path / 'ho.db'}") as s:
        yield s


def till_for(tmp_path: Path, terminal: str) -> Till:
    return make_till(tmp_path, "MX", terminal, FixedClock(T0), member_key=tmp_path / f"{terminal}.member.key")


def enrol(till: Till, srv) -> None:  # noqa: ANN001
    assert till.sync.member_key_path == Path(till.config.member_key)  # the real builder hands it over
    till.sync.enroll(srv.url, service.add_terminal(srv.engine, "MX", till.identity.terminal_id).code)
    fast_retries(till)


def sell_to(till: Till, member, codes: list[tuple[str, int]]) -> dict:  # noqa: ANN001
    """Sell to ``member``; the sale's member block as journaled."""
    cart = Cart()
    for code, qty in codes:
        cart = cart.add(till.lookup.find(code), qty)
    cart = cart.with_member(member)
    total = till.checkout.totals(cart).total_fen
    done = till.checkout.complete_sale(cart, [Tender(TenderKind.CASH, total)], cashier_of(till))
    with sqlite3.connect(till.db.path) as c:
        text = c.execute("SELECT payload FROM journal WHERE seq = ? AND kind = 'sale'", (done.seq,)).fetchone()[0]
    return json.loads(text)["member"]


def synced(till: Till) -> int:
    report = till.sync.run_cycle()
    assert report.ok, report.last_error
    assert report.waiting == 0
    return report.members


def member_sync_entries(till: Till) -> int:
    with sqlite3.connect(till.db.path) as c:
        return c.execute("SELECT COUNT(*) FROM journal WHERE kind = 'member_sync'").fetchone()[0]


def test_a_member_registered_at_one_till_is_found_with_her_points_at_the_other(srv, tmp_path: Path) -> None:  # noqa: ANN001
    a, b = till_for(tmp_path, "MX01"), till_for(tmp_path, "MX02")
    try:
        enrol(a, srv)
        enrol(b, srv)
        # both tills now hold the store's member key (0600), the one head office made for the store
        key_a, key_b = (Path(t.config.member_key) for t in (a, b))
        assert key_a.read_text() == key_b.read_text()
        assert key_a.stat().st_mode & 0o077 == 0
        with srv.engine.connect() as conn:
            assert conn.execute(ho_members.member_keys.select()).one().secret == key_a.read_text().strip()

        added = a.members.add(PHONE, "王小红", tier="银卡", birthday="05-17", by=cashier_of(a))
        earned = sell_to(a, added, [("MX-E001", 2)])["points_earned"]
        assert earned > 0
        assert a.members.get(added.member_id).points == earned
        synced(a)
        assert synced(b) == 2  # her registration and her points

        found = b.members.find(PHONE)
        assert [(m.member_id, m.name, m.tier, m.birthday, m.points, m.phone_masked) for m in found] == [
            (added.member_id, "王小红", "银卡", "05-17", earned, "138****8000")]
        assert [m.member_id for m in b.members.find("8000")] == [added.member_id]
        assert b.members.find(added.code) == found
        # till B sells to her and changes her tier: till A sees both after sync
        more = sell_to(b, found[0], [("MX-E001", 1)])["points_earned"]
        b.members.change(added.member_id, tier="金卡", by=cashier_of(b))
        synced(b)
        assert synced(a) == 2
        mine = a.members.find(PHONE)[0]
        assert (mine.tier, mine.points) == ("金卡", earned + more)
        assert b.members.get(added.member_id).points == earned + more

        # syncing again brings nothing twice
        entries_before = member_sync_entries(b)
        assert synced(b) == 0 and synced(a) == 0 and synced(b) == 0
        assert member_sync_entries(b) == entries_before
        assert b.members.get(added.member_id).points == earned + more
        assert a.verify().ok and b.verify().ok
    finally:
        a.close()
        b.close()


def test_the_same_phone_registered_at_two_tills_offline_ends_as_one_member(srv, tmp_path: Path) -> None:  # noqa: ANN001
    a, b = till_for(tmp_path, "MX01"), till_for(tmp_path, "MX02")
    try:
        enrol(a, srv)
        enrol(b, srv)
        first = a.members.add(PHONE, "王小红", by=cashier_of(a))
        second = b.members.add(PHONE, "王晓红", by=cashier_of(b))  # the cable was out: B did not know her
        p_a = sell_to(a, first, [("MX-E001", 1)])["points_earned"]
        p_b = sell_to(b, second, [("MX-E001", 2)])["points_earned"]
        synced(a)  # head office stores A's registration first: it wins
        synced(b)
        synced(a)
        for till in (a, b):
            found = till.members.find(PHONE)
            assert [(m.member_id, m.name, m.points) for m in found] == [(first.member_id, "王小红", p_a + p_b)]
            assert [m.member_id for m in till.members.find("8000")] == [first.member_id]  # one name in the pick list
            assert till.members.find(second.code) == found  # B's card finds the member it stands for
        # points earned later on B's card count to her too, at both tills
        again = sell_to(b, b.members.find(second.code)[0], [("MX-E001", 1)])
        assert again["id"] == first.member_id
        synced(b)
        synced(a)
        assert a.members.find(PHONE)[0].points == b.members.find(PHONE)[0].points == p_a + p_b + again["points_earned"]
        assert a.verify().ok and b.verify().ok
    finally:
        a.close()
        b.close()


def test_members_come_down_a_page_at_a_time_and_never_twice(srv, tmp_path: Path,  # noqa: ANN001
                                                            monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(ho_members, "PAGE", 2)
    a, b = till_for(tmp_path, "MX01"), till_for(tmp_path, "MX02")
    try:
        enrol(a, srv)
        enrol(b, srv)
        phones = [f"1390000{i:04d}" for i in range(5)]
        for i, phone in enumerate(phones):
            a.members.add(phone, f"会员{i}", by=cashier_of(a))
        synced(a)
        assert synced(b) == 5
        assert member_sync_entries(b) == 3  # one entry a page: 2 + 2 + 1
        assert [m.name for p in phones for m in b.members.find(p)] == [f"会员{i}" for i in range(5)]
        a.members.add("13900009999", "会员9", by=cashier_of(a))
        synced(a)
        assert synced(b) == 1 and synced(b) == 0
        assert b.members.find("13900009999")[0].name == "会员9"
        assert b.verify().ok
        # the feed is signed like every sync call
        unsigned = httpx.get(f"{srv.url}/api/v1/terminals/MX02/members", params={"since": "0"})
        assert unsigned.status_code == 401 and unsigned.json()["error"] == "unsigned"
    finally:
        a.close()
        b.close()


def test_a_till_with_members_under_its_own_key_keeps_it_and_says_so(srv, tmp_path: Path) -> None:  # noqa: ANN001
    a, c = till_for(tmp_path, "MX01"), till_for(tmp_path, "MX03")
    try:
        enrol(a, srv)
        a.members.add(PHONE, "王小红", by=cashier_of(a))
        synced(a)
        own = c.members.add("13912345678", "李大山", by=cashier_of(c))  # registered before it was enrolled
        key_before = Path(c.config.member_key).read_text()
        enrol(c, srv)
        assert Path(c.config.member_key).read_text() == key_before  # its members stay readable
        status = c.sync.status()
        assert "not the store's" in status.member_note and "会员密钥" in status.member_note_zh
        assert "not the store's" in status.label and "会员密钥" in status.label_zh
        assert synced(c) == 0  # the store's members are not taken under the wrong key
        assert c.members.find(PHONE) == ()
        assert c.members.find("13912345678")[0].member_id == own.member_id
        assert c.sync.status().member_note
        # nor does its member reach the store's tills: its phone hash is under another key
        assert synced(a) == 0
        assert a.members.find("13912345678") == () and a.members.get(own.member_id) is None
        assert a.members.find(PHONE)[0].name == "王小红"
        assert a.sync.status().member_note is None
        assert c.verify().ok and a.verify().ok
    finally:
        a.close()
        c.close()


def test_a_head_office_with_much_to_index_hands_it_over_in_steps(srv, tmp_path: Path,  # noqa: ANN001
                                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    """Head office indexes a few entries per request (SCAN_BUDGET); the till keeps asking while it says "more"."""
    monkeypatch.setattr(ho_members, "PAGE", 2)
    monkeypatch.setattr(ho_members, "SCAN_BUDGET", 3)
    a, b = till_for(tmp_path, "MX01"), till_for(tmp_path, "MX02")
    try:
        enrol(a, srv)
        enrol(b, srv)
        added = [a.members.add(f"1370000{i:04d}", f"会员{i}", by=cashier_of(a)) for i in range(4)]
        earned = sell_to(a, added[3], [("MX-E001", 1)])["points_earned"]
        with monkeypatch.context() as m:
            m.setattr(a.sync, "_pull_members", lambda *_args: False)  # A only uploads: B's pull does the indexing
            synced(a)
        with srv.engine.connect() as conn:
            assert conn.execute(ho_members.member_feed.select()).all() == []
        assert synced(b) == 5 and synced(b) == 0
        assert [b.members.get(m.member_id).name for m in added] == [f"会员{i}" for i in range(4)]
        assert b.members.get(added[3].member_id).points == earned
        assert b.verify().ok
    finally:
        a.close()
        b.close()


def test_a_head_office_without_the_member_feed_still_syncs(srv, tmp_path: Path,  # noqa: ANN001
                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    from pos.services import sync as sync_service

    a = till_for(tmp_path, "MX01")
    try:
        enrol(a, srv)
        a.members.add(PHONE, "王小红", by=cashier_of(a))

        def older(transport):  # noqa: ANN001, ANN202 - a head office from before the feed answers HTTP 404
            return lambda since: transport._signed("GET", "/api/v1/terminals/MX01/nothing", b"")  # noqa: SLF001

        monkeypatch.setattr(sync_service, "_members_getter", older)
        report = a.sync.run_cycle()
        assert report.ok and report.waiting == 0 and report.members == 0
        assert a.members.find(PHONE)[0].name == "王小红"
    finally:
        a.close()


def test_a_till_enrolled_before_the_store_key_is_told_to_enrol_again_and_then_gets_the_members(  # noqa: ANN001
        srv, tmp_path: Path) -> None:
    from pos.services.members import create_member_key

    a, b = till_for(tmp_path, "MX01"), till_for(tmp_path, "MX02")
    try:
        enrol(a, srv)
        added = a.members.add(PHONE, "王小红", by=cashier_of(a))
        synced(a)
        enrol(b, srv)
        key_b = Path(b.config.member_key)
        key_b.unlink()
        create_member_key(key_b)  # as if B had been enrolled before head office handed out the store's key
        assert synced(b) == 0
        assert "enrol it again" in b.sync.status().member_note and "重新登记" in b.sync.status().label_zh
        assert b.members.find(PHONE) == ()
        b.sync.enroll(srv.url, service.add_terminal(srv.engine, "MX", "MX02", reissue=True).code)
        assert b.sync.status().member_note is None
        assert synced(b) == 1
        assert b.members.find(PHONE)[0].member_id == added.member_id
        assert b.verify().ok
    finally:
        a.close()
        b.close()
