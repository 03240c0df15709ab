"""Shifts, cash movements, X reports, blind close, Z closure and the manager's reconciliation."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, datetime

from pos.domain.closing import (
    CashCount,
    PeriodTotals,
    ReconciliationLine,
    ShiftResult,
    expected_cash,
    period_totals,
    reconcile,
)
from pos.domain.errors import InvalidInput
from pos.domain.ledger import EntryKind, parse_stored
from pos.domain.money import MAX_AMOUNT_FEN, Fen
from pos.domain.permissions import Action, Approval, check
from pos.domain.users import User
from pos.store.repositories import ShiftRecord
from pos.store.uow import LAST_Z_DAY

from .context import TillIdentity
from .ports import Clock, utc_iso
from .uow import UnitOfWorkFactory


class ShiftError(InvalidInput):
    code = "shift_error"


@dataclass(frozen=True, slots=True)
class XReport:
    """The current shift so far (X 报表): nothing is closed by reading it."""

    shift: ShiftRecord
    totals: PeriodTotals
    expected_cash_fen: Fen
    at: str


@dataclass(frozen=True, slots=True)
class ZReport:
    business_day: str
    terminal_id: str
    totals: PeriodTotals
    grand_total_before_fen: Fen
    grand_total_fen: Fen
    first_seq: int
    last_seq: int
    closed_by: str
    closed_at: str
    seq: int


@dataclass(frozen=True, slots=True)
class DayReconciliation:
    business_day: str
    lines: list[ReconciliationLine]
    notes: str
    declared_by: str | None
    approved_by: str | None

    @property
    def approved(self) -> bool:
        return self.approved_by is not None


class ShiftService:
    def __init__(self, uow: UnitOfWorkFactory, clock: Clock, till: TillIdentity) -> None:
        self._uow = uow
        self._clock = clock
        self._till = till

    # -- shifts ------------------------------------------------------------------------------
    def current(self) -> ShiftRecord | None:
        with self._uow() as uow:
            return uow.shifts.current()

    def open(self, by: User, opening_float: CashCount) -> ShiftRecord:
        """Open the drawer's shift with a float counted by denomination."""
        check(by.role, Action.SELL)
        now = self._clock.now()
        with self._uow() as uow:
            if uow.shifts.current() is not None:
                raise ShiftError("a shift is already open on this till", message_zh="本机已有未交班的班次")
            shift_no = uow.shifts.last_no() + 1
            uow.journal.append(EntryKind.SHIFT_OPEN, business_day=uow.business_day(now), created_at=utc_iso(now),
                               payload={"shift": shift_no, "by": by.login, "float": opening_float.to_json(),
                                        "float_total": opening_float.total_fen})
            rec = uow.shifts.current()
            uow.commit()
        assert rec is not None
        return rec

    def ensure_open(self, by: User) -> tuple[ShiftRecord, bool]:
        """The open shift, opening one with a zero float if there is none (the CLI's way). True if opened."""
        current = self.current()
        if current is not None:
            return current, False
        return self.open(by, CashCount()), True

    def move_cash(self, kind: str, amount_fen: Fen, reason: str, by: User, *, approval: Approval | None = None) -> int:
        """Cash in (备用金补充) or out (取款/存银行) of the drawer, with a reason. Returns the journal seq."""
        if kind not in (EntryKind.CASH_IN, EntryKind.CASH_OUT):
            raise ShiftError("cash moves are in or out", message_zh="只能存入或取出现金")
        if not isinstance(amount_fen, int) or not 0 < amount_fen <= MAX_AMOUNT_FEN:
            raise ShiftError("the amount must be more than zero", message_zh="金额必须大于零")
        if not reason.strip():
            raise ShiftError("give a reason for the cash movement", message_zh="请填写现金存取原因")
        check(by.role, Action.CASH_IN_OUT, approval, detail=reason)
        now = self._clock.now()
        with self._uow() as uow:
            shift = uow.shifts.current()
            if shift is None:
                raise ShiftError("no shift is open", message_zh="尚未开班")
            if kind == EntryKind.CASH_OUT:
                available = self._expected(uow, shift)
                if amount_fen > available:
                    raise ShiftError("there is not that much cash in the drawer",
                                     message_zh="钱箱内现金不足")
            entry = uow.journal.append(kind, business_day=uow.business_day(now), created_at=utc_iso(now),
                                       payload={"shift": shift.shift_no, "amount": amount_fen, "reason": reason.strip(),
                                                "by": by.login, "approver": approval.approver if approval else None})
            uow.commit()
        return entry.seq

    def _shift_entries(self, uow, shift: ShiftRecord):  # noqa: ANN001, ANN202
        return [e for e in uow.closures.entries_since(shift.opened_seq) if e.payload.get("shift") == shift.shift_no]

    def _expected(self, uow, shift: ShiftRecord) -> Fen:  # noqa: ANN001
        return expected_cash(shift.opening_float_fen, period_totals(self._shift_entries(uow, shift)))

    def x_report(self) -> XReport:
        now = self._clock.now()
        with self._uow() as uow:
            shift = uow.shifts.current()
            if shift is None:
                raise ShiftError("no shift is open", message_zh="尚未开班")
            totals = period_totals(self._shift_entries(uow, shift))
        return XReport(shift, totals, expected_cash(shift.opening_float_fen, totals), self._till.shown_time(now))

    def close(self, by: User, counted: CashCount, declared: dict[str, Fen] | None = None,
              *, approval: Approval | None = None) -> ShiftResult:
        """Close with a blind count: the counted cash goes in before anyone sees what was expected."""
        check(by.role, Action.CLOSE_SHIFT, approval)
        now = self._clock.now()
        with self._uow() as uow:
            shift = uow.shifts.current()
            if shift is None:
                raise ShiftError("no shift is open", message_zh="尚未开班")
            totals = period_totals(self._shift_entries(uow, shift))
            result = ShiftResult(shift.shift_no, shift.opening_float_fen,
                                 expected_cash(shift.opening_float_fen, totals), counted.total_fen,
                                 dict(totals.by_tender), dict(declared or {}))
            uow.journal.append(EntryKind.SHIFT_CLOSE, business_day=uow.business_day(now), created_at=utc_iso(now),
                               payload={"shift": shift.shift_no, "by": by.login, "counted": counted.to_json(),
                                        "counted_total": counted.total_fen, "expected_cash": result.expected_cash_fen,
                                        "variance": result.variance_fen, "expected_by_tender": result.expected_by_tender,
                                        "declared_by_tender": result.declared_by_tender, "totals": totals.to_json()})
            uow.commit()
        return result


class ClosingService:
    def __init__(self, uow: UnitOfWorkFactory, clock: Clock, till: TillIdentity) -> None:
        self._uow = uow
        self._clock = clock
        self._till = till

    def current_day(self) -> str:
        now = self._clock.now()
        with self._uow() as uow:
            return uow.business_day(now)

    def last_closed_day(self) -> str | None:
        """The newest business day with a Z, or None before the first one."""
        with self._uow() as uow:
            row = uow.closures.last()
        return row.business_day if row is not None else None

    def day_totals(self, day: str) -> PeriodTotals:
        with self._uow() as uow:
            return period_totals(uow.closures.day_entries(day))

    def z_close(self, by: User, day: str | None = None, *, approval: Approval | None = None) -> ZReport:
        """Close a business day (日结): totals by tender, tax rate, category and origin county, once."""
        check(by.role, Action.Z_CLOSE, approval)
        now = self._clock.now()
        with self._uow() as uow:
            day = day or uow.business_day(now)
            _check_day(day)
            if uow.closures.get(day) is not None:
                raise ShiftError(f"business day {day} is already closed", message_zh=f"{day} 已日结，不能重复日结")
            today = now.astimezone(self._till.tz).date().isoformat()
            if day > today:
                # After a Z the current business day is tomorrow's: closing it now would push every
                # later sale a further day ahead.
                last = uow.meta.get(LAST_Z_DAY)
                raise ShiftError(f"business day {day} has not begun yet" + (f"; {last} is already closed" if last else ""),
                                 message_zh=f"{day} 尚未开始营业" + (f"，{last} 已日结" if last else ""))
            if uow.shifts.open_on_or_before(day):
                raise ShiftError("close the open shift first (blind count), then take the Z",
                                 message_zh="还有未交班的班次，请先交班再日结")
            rows = uow.closures.day_entries(day)
            totals = period_totals(rows)
            last = uow.closures.last()
            before = last.grand_total_fen if last is not None else 0
            payload = {"day": day, "by": by.login, "totals": totals.to_json(), "grand_total_before": before,
                       "grand_total": before + totals.net_fen, "first_seq": rows[0].seq if rows else None,
                       "last_seq": rows[-1].seq if rows else None, "entries": len(rows)}
            entry = uow.journal.append(EntryKind.Z_CLOSURE, business_day=day, created_at=utc_iso(now), payload=payload)
            previous = uow.meta.get(LAST_Z_DAY)
            if previous is None or previous < day:
                uow.meta.set(LAST_Z_DAY, day)
            uow.commit()
        return ZReport(day, self._till.terminal_id, totals, before, before + totals.net_fen,
                       payload["first_seq"] or 0, payload["last_seq"] or 0, by.login, self._till.shown_time(now), entry.seq)

    def z_report(self, day: str) -> ZReport:
        with self._uow() as uow:
            row = uow.closures.get(day)
            if row is None:
                raise ShiftError(f"business day {day} has no Z closure yet", message_zh=f"{day} 尚未日结")
            entry = parse_stored(uow.journal.stored(row.journal_seq))
        p = entry.payload
        return ZReport(day, entry.terminal_id, PeriodTotals.from_json(p["totals"]), p["grand_total_before"],
                       p["grand_total"], p["first_seq"] or 0, p["last_seq"] or 0, p["by"],
                       self._till.shown_time(datetime.fromisoformat(entry.created_at.replace("Z", "+00:00"))), entry.seq)

    # -- reconciliation ------------------------------------------------------------------------
    def reconciliation(self, day: str) -> DayReconciliation:
        _check_day(day)
        with self._uow() as uow:
            z = uow.closures.get(day)
            if z is None:
                raise ShiftError(f"take the Z for {day} before reconciling it", message_zh=f"请先对 {day} 日结，再对账")
            rec = uow.closures.reconciliation(day)
        expected = json.loads(z.totals)["by_tender"]
        declared = json.loads(rec.declared) if rec else {}
        return DayReconciliation(day, reconcile(expected, declared), rec.notes if rec else "",
                                 rec.declared_by if rec else None, rec.approved_by if rec else None)

    def declare(self, day: str, declared: dict[str, Fen | None], notes: str, by: User) -> DayReconciliation:
        """Enter the settlement figures from payment statements (and the counted cash deposit).

        A figure given as None is cleared (nothing declared for that tender any more).
        """
        check(by.role, Action.APPROVE_DAY)
        for k, v in declared.items():
            if v is None:
                continue
            if not isinstance(v, int) or v < 0 or v > MAX_AMOUNT_FEN:
                raise ShiftError(f"the figure for {k} is not valid", message_zh=f"{k} 的金额无效")
        now = self._clock.now()
        with self._uow() as uow:
            self._open_for_changes(uow, day)
            rec = uow.closures.reconciliation(day)
            merged = {**(json.loads(rec.declared) if rec else {}), **declared}
            merged = {k: v for k, v in merged.items() if v is not None}
            uow.journal.append(EntryKind.RECONCILE, business_day=day, created_at=utc_iso(now),
                               payload={"day": day, "declared": merged, "notes": notes.strip() or (rec.notes if rec else ""),
                                        "by": by.login})
            uow.commit()
        return self.reconciliation(day)

    def approve(self, day: str, by: User) -> DayReconciliation:
        """Approve the day: its figures are locked from then on."""
        check(by.role, Action.APPROVE_DAY)
        now = self._clock.now()
        current = self.reconciliation(day)
        with self._uow() as uow:
            self._open_for_changes(uow, day)
            if uow.closures.reconciliation(day) is None:
                raise ShiftError("enter the statement figures before approving the day",
                                 message_zh="请先录入对账数据再审核")
            uow.journal.append(EntryKind.DAY_APPROVED, business_day=day, created_at=utc_iso(now),
                               payload={"day": day, "by": by.login,
                                        "lines": [{"tender": ln.tender, "expected": ln.expected_fen,
                                                   "declared": ln.declared_fen, "variance": ln.variance_fen}
                                                  for ln in current.lines]})
            uow.commit()
        return self.reconciliation(day)

    @staticmethod
    def _open_for_changes(uow, day: str) -> None:  # noqa: ANN001
        if uow.closures.get(day) is None:
            raise ShiftError(f"take the Z for {day} before reconciling it", message_zh=f"请先对 {day} 日结，再对账")
        rec = uow.closures.reconciliation(day)
        if rec is not None and rec.approved_by is not None:
            raise ShiftError(f"{day} was approved by {rec.approved_by} and is locked",
                             message_zh=f"{day} 已由 {rec.approved_by} 审核，已锁定")


def _check_day(day: str) -> None:
    try:
        date.fromisoformat(day)
    except ValueError:
        raise ShiftError(f"'{day}' is not a day like 2026-11-22", message_zh=f"“{day}”不是有效日期") from None
