"""Member lookup with 100,000 members (issue 17: by phone p99 ≤ 5 ms).

The database is a fresh demo till whose members were registered through the journal, as at the
counter: each a ``member_add`` entry (keyed hash, last 4, AES-GCM sealed number) appended by the
till's own unit of work and projected into ``members``, ten thousand to a transaction instead of
one fsync each (the rows are the same; ``ledger verify`` would accept them). Built once into
bench/.data/ with its member key beside it.

Timed, interleaved lookup by lookup with its floor:

* ``till.members.find(PHONE)`` (normalise, HMAC, the indexed read, the Member) against the floor:
  a bare ``SELECT … WHERE phone_hash = ?`` with the hash already made, on a plain connection;
* ``find(LAST4)``, the pick list (about ten members share four last digits, each number opened to
  be masked), and ``find(CODE)``, a scanned member card.

Each lookup's thread CPU time is kept beside its wall time: on a loaded host (the shared 2-CPU bench
machine ran at load 5–6) a wall-clock p99 of a 50 µs call is the scheduler's time slice, which the
floor suffers too; the CPU time says what the lookup itself costs.
"""

from __future__ import annotations

import os
import random
import sqlite3
import time
from datetime import UTC, datetime
from pathlib import Path

from .common import DATA, bench_home, line, record, summary_ms

VERSION = "1"
MEMBERS = int(os.environ.get("BENCH_MEMBERS", "100000"))
LOOKUPS = int(os.environ.get("BENCH_MEMBER_LOOKUPS", "3000"))
TARGET_MS = 5.0
PER_TRANSACTION = 10_000
NOW = datetime(2026, 11, 22, 2, tzinfo=UTC)
FLOOR = "SELECT member_id, name, tier, points FROM members WHERE phone_hash = ?"


def phone_of(i: int) -> str:
    """The ``i``-th bench member's mobile number: distinct for i < 10⁸ (48271 is prime to 10⁸)."""
    return f"1{'3456789'[i % 7]}{i % 10}{(i * 48271) % 100_000_000:08d}"


def db_path() -> Path:
    return DATA / f"members-{MEMBERS}.db"


def config(path: Path):  # noqa: ANN201
    from pos.config import load_config

    return load_config(db=path, printer="dummy:", device_key=DATA / "device.key",
                       member_key=DATA / f"members-{MEMBERS}.key")


def ensure_members_db() -> tuple[Path, float | None]:
    """The database with MEMBERS members; seconds spent building it, or None if reused."""
    from pos.bootstrap import open_till
    from pos.domain.ledger import EntryKind
    from pos.domain.members import mask_phone, member_code, new_member_id
    from pos.services.members import MemberKey, create_member_key
    from pos.services.ports import FixedClock, utc_iso

    path = db_path()
    cfg = config(path)
    if path.exists() and Path(cfg.member_key).exists():
        till = open_till(cfg)
        try:
            with till.uow() as uow:
                if uow.meta.get("bench_members") == f"{VERSION}:{MEMBERS}":
                    return path, None
        finally:
            till.close()
    for p in (path, Path(f"{path}-wal"), Path(f"{path}-shm"), Path(cfg.member_key)):
        p.unlink(missing_ok=True)
    started = time.perf_counter()
    till = open_till(cfg, create=True, demo=True, clock=FixedClock(NOW))
    try:
        key = MemberKey(create_member_key(Path(cfg.member_key)))
        terminal, store = till.identity.terminal_id, till.identity.store_code
        rnd = random.Random(17)
        for start in range(0, MEMBERS, PER_TRANSACTION):
            with till.uow() as uow:
                for i in range(start, min(start + PER_TRANSACTION, MEMBERS)):
                    phone, member_id = phone_of(i), new_member_id(terminal, i + 1)
                    birthday = f"{rnd.randint(1, 12):02d}-{rnd.randint(1, 28):02d}" if i % 3 else None
                    payload = {"member_id": member_id, "store": store, "phone_hash": key.phone_hash(phone),
                               "phone_last4": phone[-4:], "phone_enc": key.seal(phone, member_id), "key_id": key.key_id,
                               "name": f"会员{mask_phone(phone)[-4:]}", "tier": ("普通", "银卡", "金卡")[i % 3],
                               "birthday": birthday, "code": member_code(member_id), "by": "cashier1"}
                    uow.journal.append(EntryKind.MEMBER_ADD, business_day="2026-11-22", created_at=utc_iso(NOW),
                                       payload=payload)
                uow.commit()
        with till.uow() as uow:
            uow.meta.set("bench_members", f"{VERSION}:{MEMBERS}")
            uow.commit()
    finally:
        till.close()
    return path, time.perf_counter() - started


def _check(ok: bool, what: str) -> None:
    if not ok:
        raise RuntimeError(f"bench_members: {what}")


def main() -> dict[str, dict]:
    from pos.bootstrap import open_till
    from pos.services.members import MemberKey
    from pos.services.ports import FixedClock

    with bench_home("members"):
        path, built = ensure_members_db()
        cfg = config(path)
        till = open_till(cfg, clock=FixedClock(NOW))
        # the floor's connection is opened as the till's reader is (not mode=ro: a read-only connection
        # and the reader's kept wal-index locks made the reader wait in SQLite's busy handler, 1+2+5 ms)
        raw = sqlite3.connect(path, isolation_level=None)
        raw.execute("PRAGMA query_only = ON")
        try:
            key = MemberKey(bytes.fromhex(Path(cfg.member_key).read_text().strip()))
            n = raw.execute("SELECT COUNT(*) FROM members").fetchone()[0]
            _check(n == MEMBERS, f"{n} members in the database, not {MEMBERS}")
            rnd = random.Random(5)
            picks = [rnd.randrange(MEMBERS) for _ in range(LOOKUPS)]
            till.members.find(phone_of(picks[0]))  # warm: the key, the connection, the statement cache
            raw.execute(FLOOR, (key.phone_hash(phone_of(picks[0])),)).fetchall()
            phone_s, phone_cpu, floor_s, floor_cpu, last4_s, code_s, pick_sizes = [], [], [], [], [], [], []
            for k, i in enumerate(picks):
                phone = phone_of(i)
                spaced = f"{phone[:3]} {phone[3:7]} {phone[7:]}"  # as a cashier types it
                digest = key.phone_hash(phone)

                def ours(spaced: str = spaced, i: int = i) -> None:
                    t, c = time.perf_counter(), time.thread_time()
                    found = till.members.find(spaced)
                    phone_s.append(time.perf_counter() - t)
                    phone_cpu.append(time.thread_time() - c)
                    _check(len(found) == 1 and found[0].member_id.endswith(f"{i + 1:06d}"), f"{spaced}: {found}")

                def floor(digest: str = digest) -> None:
                    t, c = time.perf_counter(), time.thread_time()
                    rows = raw.execute(FLOOR, (digest,)).fetchall()
                    floor_s.append(time.perf_counter() - t)
                    floor_cpu.append(time.thread_time() - c)
                    _check(len(rows) == 1, "the floor found no member")

                for fn in (ours, floor)[:: 1 - 2 * (k % 2)]:
                    fn()
                if k % 3 == 0:
                    t = time.perf_counter()
                    found = till.members.find(phone[-4:])
                    last4_s.append(time.perf_counter() - t)
                    pick_sizes.append(len(found))
                    code = found[0].code
                    t = time.perf_counter()
                    _check(len(till.members.find(code)) == 1, f"card {code} not found")
                    code_s.append(time.perf_counter() - t)
        finally:
            raw.close()
            till.close()

    phone, bare, last4, card = summary_ms(phone_s), summary_ms(floor_s), summary_ms(last4_s), summary_ms(code_s)
    cpu, bare_cpu = summary_ms(phone_cpu), summary_ms(floor_cpu)
    size_mb = round(path.stat().st_size / 1e6, 1)
    results = {
        "member_lookup": {
            "members": MEMBERS, "target_ms": TARGET_MS, "n": phone["n"],
            "phone_p50_ms": phone["p50_ms"], "phone_p99_ms": phone["p99_ms"],
            "floor_p50_ms": bare["p50_ms"], "floor_p99_ms": bare["p99_ms"],
            "phone_cpu_p99_ms": cpu["p99_ms"], "floor_cpu_p99_ms": bare_cpu["p99_ms"],
            "last4_p50_ms": last4["p50_ms"], "last4_p99_ms": last4["p99_ms"],
            "last4_mean_picks": round(sum(pick_sizes) / max(len(pick_sizes), 1), 1),
            "code_p50_ms": card["p50_ms"], "code_p99_ms": card["p99_ms"],
            "db_mb": size_mb, "built_s": None if built is None else round(built, 1), "db": path.name,
        },
    }
    print(line(f"member lookup by phone, {MEMBERS:,} members p50 / p99", f"{phone['p50_ms']:.3f} / {phone['p99_ms']:.3f} ms",
               f"p99 ≤ {TARGET_MS:g} ms", f"bare SELECT {bare['p50_ms']:.3f}/{bare['p99_ms']:.3f} ms",
               phone["p99_ms"] <= TARGET_MS))
    print(line("  its CPU time p99 (the scheduler left out)", f"{cpu['p99_ms']:.3f} ms", f"≤ {TARGET_MS:g} ms",
               f"bare SELECT {bare_cpu['p99_ms']:.3f} ms", cpu["p99_ms"] <= TARGET_MS))
    print(line(f"  last 4 digits (pick list of ~{results['member_lookup']['last4_mean_picks']:g}) p50 / p99",
               f"{last4['p50_ms']:.3f} / {last4['p99_ms']:.3f} ms", f"≤ {TARGET_MS:g} ms", "", last4["p99_ms"] <= TARGET_MS))
    print(line("  member card code p50 / p99", f"{card['p50_ms']:.3f} / {card['p99_ms']:.3f} ms", f"≤ {TARGET_MS:g} ms",
               "", card["p99_ms"] <= TARGET_MS))
    if built is not None:
        print(f"   (members database built in {built:.0f} s: {MEMBERS:,} member_add entries, {size_mb} MB)")
    record(results)
    return results


if __name__ == "__main__":
    main()
