"""A ledger written before issue 11 opens with today's program: migrated, verified, and read right.

The fixture was written by the program at schema revision 0007 (see tests/fixtures/README.md). Its
journal cannot change (the hash chain covers every byte), so whatever issue 11 added — reductions
by kind, tax per rate, normalised references, shift membership of voids — must be derived from the
old payloads, and the rebuilt read models must equal the migrated ones.
"""

from __future__ import annotations

import shutil
import sqlite3
from datetime import UTC, datetime
from pathlib import Path

import pytest

from pos.bootstrap import open_till
from pos.config import load_config
from pos.domain.errors import PosError
from pos.domain.tenders import Tender, TenderKind
from pos.services.ports import FixedClock

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
EGGS = "6972316000170"  # ¥45.00
# 2026-12-04 15:00 in Pinghu: the day after the old ledger's Z.
LATER = datetime(2026, 12, 4, 7, 0, 0, tzinfo=UTC)


def test_an_old_ledger_is_migrated_and_still_verifies(old_till) -> None:
    till, db = old_till
    with sqlite3.connect(db) as c:
        assert c.execute("SELECT version_num FROM alembic_version").fetchone()[0] != "0007"
    report = till.verify()
    assert report.ok, report


def test_an_old_z_shows_the_price_cut_as_its_own_figure(old_till) -> None:
    till, _db = old_till
    z = till.closing.z_report("2026-12-03")
    t = z.totals
    # Three eggs at ¥45.00 sold for ¥5.00 each: ¥120.00 given away by the override.
    assert t.override_fen == 12000
    assert t.list_total_fen - t.override_fen - t.discount_fen - t.gift_fen + t.rounding_fen == t.sales_fen


def test_an_old_voucher_typed_with_a_space_is_still_spent(old_till) -> None:
    till, _db = old_till
    cashier = till.auth.login("cashier1", "1111")
    from pos.domain.cart import Cart

    cart = Cart().add(till.lookup.find(EGGS), 1)
    with pytest.raises(PosError) as exc:
        till.checkout.complete_sale(cart, [Tender(TenderKind.VOUCHER, 4500, "v888")], cashier)
    assert "V888" in exc.value.message_zh


def test_a_voucher_only_used_in_training_is_good_for_real(old_till) -> None:
    till, _db = old_till
    cashier = till.auth.login("cashier1", "1111")
    from pos.domain.cart import Cart

    cart = Cart().add(till.lookup.find(EGGS), 1)
    done = till.checkout.complete_sale(cart, [Tender(TenderKind.VOUCHER, 4500, "V999")], cashier)
    assert done.sale.tenders[0].reference == "V999"


def test_the_old_open_day_closes_and_continues_the_grand_total(old_till) -> None:
    till, _db = old_till
    manager = till.auth.login("manager1", "2222")
    cashier = till.auth.login("cashier1", "1111")
    from pos.domain.closing import CashCount

    if till.shifts.current() is not None:
        till.shifts.close(cashier, CashCount(), keep_held=True)
    first = till.closing.z_report("2026-12-03")
    z = till.closing.z_close(manager, keep_held=True)
    assert z.business_day == "2026-12-04"
    assert z.grand_total_before_fen == first.grand_total_fen
    assert z.grand_total_fen == first.grand_total_fen + z.totals.net_fen
    assert till.verify().ok


def test_an_upgrade_keeps_a_copy_of_the_ledger_as_it_was(tmp_path: Path, pos_home: Path) -> None:
    """A newer program changes the schema only after a whole copy of the old file is on disk (in the
    backup folder, named for the schema it had); a till already up to date makes no copy."""
    db = tmp_path / "old.db"
    shutil.copy(FIXTURES / "ledger_v0007.db", db)
    key = pos_home / "config" / "device.key"
    key.parent.mkdir(parents=True, exist_ok=True)
    shutil.copy(FIXTURES / "ledger_v0007.device.key", key)
    backups = tmp_path / "backups"
    cfg = load_config(db=db, printer="dummy:", backup_dir=backups)
    open_till(cfg, clock=FixedClock(LATER)).close()
    [kept] = list(backups.glob("before-upgrade-*.db"))
    assert kept.name.startswith("before-upgrade-0007-")
    with sqlite3.connect(kept) as old, sqlite3.connect(FIXTURES / "ledger_v0007.db") as original:
        assert old.execute("SELECT version_num FROM alembic_version").fetchall() == [("0007",)]
        query = "SELECT seq, hash FROM journal ORDER BY seq"
        assert old.execute(query).fetchall() == original.execute(query).fetchall()
    with sqlite3.connect(db) as now:
        assert now.execute("SELECT version_num FROM alembic_version").fetchall() != [("0007",)]
    open_till(cfg, clock=FixedClock(LATER)).close()
    assert len(list(backups.glob("before-upgrade-*.db"))) == 1  # nothing to upgrade: no second copy
