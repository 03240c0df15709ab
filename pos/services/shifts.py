"""Shifts, cash movements, X reports, blind close, Z closure and the manager's reconciliation."""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime

from pos.domain.business_day import BUSINESS_KINDS, BusinessDay
from pos.domain.closing import (
    CashCount,
    PeriodTotals,
    ReconciliationLine,
    ShiftResult,
    expected_cash,
    reconcile,
    recounted_totals,
)
from pos.domain.errors import InvalidInput
from pos.domain.holds import cart_from_json
from pos.domain.ledger import EntryKind, JournalEntry, parse_stored
from pos.domain.money import MAX_AMOUNT_FEN, Fen
from pos.domain.permissions import Action, Approval, check
from pos.domain.pricing import RoundingMode
from pos.domain.tenders import TENDER_LABELS_ZH, TenderKind
from pos.domain.users import User
from pos.store import totals as sql_totals
from pos.store.repositories import ShiftRecord

from .checkout import ROUNDING_KEY
from .context import TillIdentity
from .ports import Clock, utc_iso
from .uow import UnitOfWorkFactory


class ShiftError(InvalidInput):
    code = "shift_error"


@dataclass(frozen=True, slots=True)
class HeldSaleView:
    """A sale put aside (挂单) as people see it: the cashier's name, local time, the total after 抹零."""

    hold_no: int
    cashier: str  # login
    cashier_name: str
    created_at: str  # UTC, as journaled
    shown_at: str  # the store's local time
    lines: int
    total_fen: Fen  # what the customer will be asked for: after the store's 抹零


class HeldSalesOpen(ShiftError):
    """交班 or Z with sales still on hold: the caller shows :attr:`held` and asks before going on."""

    code = "held_sales_open"

    def __init__(self, held: list[HeldSaleView], what: str, what_zh: str) -> None:
        numbers = ", ".join(str(h.hold_no) for h in held)
        super().__init__(
            f"{len(held)} held sale(s) still waiting (no. {numbers}): take them back first, or confirm to {what} anyway",
            message_zh=f"还有 {len(held)} 张挂单未取（{numbers.replace(', ', '、')} 号），请先取单，或确认后继续{what_zh}")
        self.held = held


@dataclass(frozen=True, slots=True)
class XReport:
    """The current shift so far (X 报表): nothing is closed by reading it."""

    shift: ShiftRecord
    totals: PeriodTotals
    expected_cash_fen: Fen
    at: str
    opened_by_name: str = ""
    opened_at: str = ""  # local time


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
    closed_by_name: str = ""


@dataclass(frozen=True, slots=True)
class ClosedDay:
    """One past Z in the list of closed days."""

    business_day: str
    closed_at: str  # local time
    closed_by: str
    closed_by_name: str
    net_fen: Fen
    grand_total_fen: Fen
    seq: int


@dataclass(frozen=True, slots=True)
class DayReconciliation:
    business_day: str
    lines: list[ReconciliationLine]
    notes: str
    declared_by: str | None
    approved_by: str | None
    no_statement: dict[str, str] = field(default_factory=dict)  # tender → why there is no statement
    active_tenders: tuple[str, ...] = ()  # tenders that took or refunded money that day
    declared_by_name: str | None = None
    approved_by_name: str | None = None

    @property
    def approved(self) -> bool:
        return self.approved_by is not None

    @property
    def missing(self) -> tuple[str, ...]:
        """Tenders with activity that have neither a declared figure nor a "no statement" reason."""
        declared = {ln.tender for ln in self.lines if ln.declared_fen is not None}
        return tuple(t for t in self.active_tenders if t not in declared and t not in self.no_statement)


def _name(uow, login: str | None) -> str | None:  # noqa: ANN001
    """A person's display name (the login when they are not in the users table)."""
    if login is None:
        return None
    rec = uow.users.get(login)
    return rec.display_name if rec is not None and rec.display_name else login


def _local(till: TillIdentity, utc_text: str) -> str:
    try:
        return till.shown_time(datetime.fromisoformat(utc_text.replace("Z", "+00:00")))
    except ValueError:
        return utc_text


def _held(uow, till: TillIdentity) -> list[HeldSaleView]:  # noqa: ANN001
    mode = RoundingMode(uow.meta.get(ROUNDING_KEY.format(store=till.store_code), RoundingMode.NONE.value))
    out = []
    for r in uow.shifts.held_sales():
        try:
            total = cart_from_json(json.loads(r.cart)).totals(mode).total_fen
        except (ValueError, KeyError, TypeError):
            total = r.total_fen  # a cart this version cannot rebuild: its stored total before 抹零
        out.append(HeldSaleView(r.hold_no, r.cashier, _name(uow, r.cashier) or r.cashier, r.created_at,
                                _local(till, r.created_at), r.lines, total))
    return out


def _dbapi(uow):  # noqa: ANN001, ANN202 - a unit of work; its transaction's sqlite3 connection
    raw = getattr(uow, "raw", None)
    return raw if raw is not None else sql_totals.dbapi_of(uow.conn)


def shift_entries(entries: Iterable[JournalEntry], shift: ShiftRecord) -> list[JournalEntry]:
    """The entries that belong to ``shift``: those carrying its number, and those carrying none
    (voids written before voids named their shift) journaled while it was open."""
    out = []
    for e in entries:
        no = e.payload.get("shift")
        if no is not None:
            if no == shift.shift_no:
                out.append(e)
        elif e.seq >= shift.opened_seq and (shift.closed_seq is None or e.seq <= shift.closed_seq):
            out.append(e)
    return out


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

    def held(self) -> list[HeldSaleView]:
        """Sales on hold (挂单), with the cashier's name, local time and the total after 抹零."""
        with self._uow() as uow:
            return _held(uow, self._till)

    def move_cash(self, kind: str, amount_fen: Fen, reason: str, by: User, *, approval: Approval | None = None) -> int:
        """Cash in (备用金补充) or out (取款/存银行) of the drawer, with a reason. Returns the journal seq."""
        if kind not in (EntryKind.CASH_IN, EntryKind.CASH_OUT):
            raise ShiftError("cash can only be put into or taken out of the drawer", message_zh="只能存入或取出现金")
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

    @staticmethod
    def _totals(uow, shift: ShiftRecord) -> PeriodTotals:  # noqa: ANN001
        """The shift's figures, from the running totals of the report facts (= period_totals(shift_entries(…)))."""
        return sql_totals.shift_totals(_dbapi(uow), shift.shift_no)

    def _expected(self, uow, shift: ShiftRecord) -> Fen:  # noqa: ANN001
        return expected_cash(shift.opening_float_fen, self._totals(uow, shift))

    def x_report(self) -> XReport:
        now = self._clock.now()
        with self._uow() as uow:
            shift = uow.shifts.current()
            if shift is None:
                raise ShiftError("no shift is open", message_zh="尚未开班")
            totals = self._totals(uow, shift)
            name = _name(uow, shift.opened_by) or shift.opened_by
        return XReport(shift, totals, expected_cash(shift.opening_float_fen, totals), self._till.shown_time(now),
                       name, _local(self._till, shift.opened_at))

    def close(self, by: User, counted: CashCount, declared: dict[str, Fen] | None = None,
              *, approval: Approval | None = None, keep_held: bool = False) -> ShiftResult:
        """Close with a blind count: the counted cash goes in before anyone sees what was expected.

        Sales still on hold refuse the close with :class:`HeldSalesOpen` (listing them) unless
        ``keep_held`` says the cashier saw them and hands them over.
        """
        check(by.role, Action.CLOSE_SHIFT, approval)
        now = self._clock.now()
        with self._uow() as uow:
            shift = uow.shifts.current()
            if shift is None:
                raise ShiftError("no shift is open", message_zh="尚未开班")
            held = _held(uow, self._till)
            if held and not keep_held:
                raise HeldSalesOpen(held, "close the shift", "交班")
            totals = self._totals(uow, shift)
            result = ShiftResult(shift.shift_no, shift.opening_float_fen,
                                 expected_cash(shift.opening_float_fen, totals), counted.total_fen,
                                 dict(totals.by_tender), dict(declared or {}), totals)
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
        """The business day a sale rung up now would belong to."""
        now = self._clock.now()
        with self._uow() as uow:
            return uow.business_day(now)

    def last_closed_day(self) -> str | None:
        """The business day of the Z taken last, or None before the first one."""
        with self._uow() as uow:
            row = uow.closures.last()
        return row.business_day if row is not None else None

    def next_day_to_close(self) -> BusinessDay | None:
        """What 日结 closes now: the oldest day up to today with business and no Z; else today when it
        has no Z yet; else None (today is closed and tomorrow has not begun)."""
        now = self._clock.now()
        with self._uow() as uow:
            return self._next_day(uow, BusinessDay.of(now, self._till.tz))

    @staticmethod
    def _next_day(uow, today: BusinessDay) -> BusinessDay | None:  # noqa: ANN001
        oldest = uow.closures.oldest_unclosed_day(BUSINESS_KINDS, today.iso)
        if oldest is not None:
            return BusinessDay.parse(oldest)
        return today if uow.closures.get(today.iso) is None else None

    def closed_days(self) -> list[ClosedDay]:
        """Every past Z, newest day first, to view, reprint or export."""
        with self._uow() as uow:
            return [ClosedDay(r.business_day, _local(self._till, r.closed_at), r.closed_by,
                              _name(uow, r.closed_by) or r.closed_by, r.net_fen, r.grand_total_fen, r.journal_seq)
                    for r in uow.closures.all()]

    def day_totals(self, day: str | BusinessDay) -> PeriodTotals:
        d = BusinessDay.parse(day)
        with self._uow() as uow:
            return sql_totals.day_totals(_dbapi(uow), d.iso)

    def z_close(self, by: User, day: str | BusinessDay | None = None, *, approval: Approval | None = None,
                keep_held: bool = False) -> ZReport:
        """Close a business day (日结): totals by tender, tax rate, category and origin county, once.

        Without ``day`` it closes :meth:`next_day_to_close` (so a Z at 00:30 closes the day just
        traded). A given day must have no Z yet, have begun, and have had business or be today.
        The grand total (累计) chains from the Z taken last, whatever day that closed.
        """
        check(by.role, Action.Z_CLOSE, approval)
        target = None if day is None else BusinessDay.parse(day)
        now = self._clock.now()
        with self._uow() as uow:
            today = BusinessDay.of(now, self._till.tz)
            if target is None:
                target = self._next_day(uow, today)
                if target is None:
                    last = uow.last_closed_day()
                    upcoming = uow.business_day_value(now)
                    raise ShiftError(f"there is no business day to close: {last} is closed and {upcoming} has not begun",
                                     message_zh=f"没有待日结的营业日：{last} 已日结，{upcoming} 尚未开始营业")
            d = target.iso
            if uow.closures.get(d) is not None:
                raise ShiftError(f"business day {d} is already closed", message_zh=f"{d} 已日结，不能重复日结")
            if target > today:
                # Closing a day that has not begun would push every later sale a further day ahead.
                raise ShiftError(f"business day {d} has not begun yet (today is {today})",
                                 message_zh=f"{d} 尚未开始营业（今天是 {today}）")
            if target != today and not uow.closures.has_activity(d, BUSINESS_KINDS):
                raise ShiftError(f"nothing was sold or moved on {d}: there is nothing to close",
                                 message_zh=f"{d} 没有营业记录，无需日结")
            if uow.shifts.open_on_or_before(d):
                raise ShiftError("close the open shift first (blind count), then take the Z",
                                 message_zh="还有未交班的班次，请先交班再日结")
            held = _held(uow, self._till)
            if held and not keep_held:
                raise HeldSalesOpen(held, "take the Z", "日结")
            dbapi = _dbapi(uow)
            totals = sql_totals.day_totals(dbapi, d)
            first_seq, last_seq, count = sql_totals.day_span(dbapi, d)
            last = uow.closures.last()
            before = last.grand_total_fen if last is not None else 0
            payload = {"day": d, "by": by.login, "totals": totals.to_json(), "grand_total_before": before,
                       "grand_total": before + totals.net_fen, "first_seq": first_seq, "last_seq": last_seq,
                       "entries": count}
            entry = uow.journal.append(EntryKind.Z_CLOSURE, business_day=d, created_at=utc_iso(now), payload=payload)
            name = _name(uow, by.login) or by.login
            uow.commit()
        return ZReport(d, self._till.terminal_id, totals, before, before + totals.net_fen,
                       payload["first_seq"] or 0, payload["last_seq"] or 0, by.login, self._till.shown_time(now),
                       entry.seq, name)

    def z_report(self, day: str | BusinessDay) -> ZReport:
        """A past Z as it was taken (to view, reprint or export)."""
        d = BusinessDay.parse(day).iso
        with self._uow() as uow:
            row = uow.closures.get(d)
            if row is None:
                raise ShiftError(f"business day {d} has no Z closure yet", message_zh=f"{d} 尚未日结")
            entry = parse_stored(uow.journal.stored(row.journal_seq))
            name = _name(uow, entry.payload["by"])
            p = entry.payload
            first, last = p["first_seq"] or 0, p["last_seq"] or 0
            # A Z taken before reductions by kind and tax were stored gets them from the entries it closed.
            totals = recounted_totals(p["totals"], lambda: sql_totals.day_range_totals(_dbapi(uow), d, first, last))
        return ZReport(d, entry.terminal_id, totals, p["grand_total_before"],
                       p["grand_total"], p["first_seq"] or 0, p["last_seq"] or 0, p["by"],
                       _local(self._till, entry.created_at), entry.seq, name or p["by"])

    # -- reconciliation ------------------------------------------------------------------------
    def reconciliation(self, day: str | BusinessDay) -> DayReconciliation:
        d = BusinessDay.parse(day).iso
        with self._uow() as uow:
            z = uow.closures.get(d)
            if z is None:
                raise ShiftError(f"take the Z for {d} before reconciling it", message_zh=f"请先对 {d} 日结，再对账")
            rec = uow.closures.reconciliation(d)
            no_statement = self._no_statement(uow, rec)
            declared_name = _name(uow, rec.declared_by) if rec else None
            approved_name = _name(uow, rec.approved_by) if rec else None
        expected = json.loads(z.totals)["by_tender"]
        declared = json.loads(rec.declared) if rec else {}
        return DayReconciliation(d, reconcile(expected, declared), rec.notes if rec else "",
                                 rec.declared_by if rec else None, rec.approved_by if rec else None,
                                 no_statement, tuple(sorted(expected)), declared_name, approved_name)

    @staticmethod
    def _no_statement(uow, rec) -> dict[str, str]:  # noqa: ANN001
        """The "no statement" reasons as the last reconcile entry left them (older entries have none)."""
        if rec is None:
            return {}
        stored = uow.journal.stored(rec.journal_seq)
        if stored is None:
            return {}
        return dict(json.loads(stored.payload_text).get("no_statement") or {})

    def declare(self, day: str | BusinessDay, declared: dict[str, Fen | None], notes: str, by: User,
                no_statement: dict[str, str | None] | None = None) -> DayReconciliation:
        """Enter the settlement figures from payment statements (and the counted cash deposit).

        A figure given as None is cleared (nothing declared for that tender any more).
        ``no_statement`` marks tenders that have no statement, each with the reason why (None or
        blank clears the mark); a figure and a reason for the same tender cannot both be given.
        The person declaring is the preparer: someone else must approve the day.
        """
        check(by.role, Action.APPROVE_DAY)
        d = BusinessDay.parse(day).iso
        for k, v in declared.items():
            if v is None:
                continue
            if not isinstance(v, int) or isinstance(v, bool) or v < 0 or v > MAX_AMOUNT_FEN:
                raise ShiftError(f"the figure for {_label_en(k)} is not valid", message_zh=f"{_label_zh(k)} 的金额无效")
        reasons = {k: (v or "").strip() for k, v in (no_statement or {}).items()}
        for k, reason in reasons.items():
            if reason and declared.get(k) is not None:
                raise ShiftError(f"{_label_en(k)} has both a figure and a 'no statement' reason: give one of them",
                                 message_zh=f"{_label_zh(k)} 既填了金额又标了无对账单，只能选一种")
            if len(reason) > 200:
                raise ShiftError(f"the reason for {_label_en(k)} is too long (200 characters at most)",
                                 message_zh=f"{_label_zh(k)} 的原因太长（最多 200 字）")
        now = self._clock.now()
        with self._uow() as uow:
            self._open_for_changes(uow, d)
            rec = uow.closures.reconciliation(d)
            merged = {**(json.loads(rec.declared) if rec else {}), **declared}
            marks = self._no_statement(uow, rec)
            for k, v in declared.items():
                if v is not None:
                    marks.pop(k, None)  # a figure replaces an earlier "no statement"
            for k, reason in reasons.items():
                if reason:
                    marks[k] = reason
                    merged[k] = None
                else:
                    marks.pop(k, None)
            merged = {k: v for k, v in merged.items() if v is not None}
            payload = {"day": d, "declared": merged, "notes": notes.strip() or (rec.notes if rec else ""),
                       "by": by.login}
            if marks:
                payload["no_statement"] = dict(sorted(marks.items()))
            uow.journal.append(EntryKind.RECONCILE, business_day=d, created_at=utc_iso(now), payload=payload)
            uow.commit()
        return self.reconciliation(d)

    def approve(self, day: str | BusinessDay, by: User) -> DayReconciliation:
        """Approve the day: its figures are locked from then on.

        Every tender that took money that day needs a declared figure or a "no statement" reason,
        and the approver must not be the person who entered the figures (four eyes).
        """
        check(by.role, Action.APPROVE_DAY)
        d = BusinessDay.parse(day).iso
        now = self._clock.now()
        current = self.reconciliation(d)
        with self._uow() as uow:
            self._open_for_changes(uow, d)
            rec = uow.closures.reconciliation(d)
            if rec is None:
                raise ShiftError("enter the statement figures before approving the day",
                                 message_zh="请先录入对账数据再审核")
            if rec.declared_by == by.login:
                raise ShiftError(f"{by.display_name} entered these figures; someone else must approve them",
                                 message_zh=f"对账数据由 {by.display_name} 录入，须由另一人审核")
            if current.missing:
                en = ", ".join(_label_en(t) for t in current.missing)
                zh = "、".join(_label_zh(t) for t in current.missing)
                raise ShiftError(f"no figure for {en}: declare each statement, or mark it 'no statement' with a reason",
                                 message_zh=f"{zh} 尚未申报：请按对账单录入，或标记“无对账单”并填写原因")
            uow.journal.append(EntryKind.DAY_APPROVED, business_day=d, created_at=utc_iso(now),
                               payload={"day": d, "by": by.login,
                                        "lines": [{"tender": ln.tender, "expected": ln.expected_fen,
                                                   "declared": ln.declared_fen, "variance": ln.variance_fen}
                                                  for ln in current.lines]})
            uow.commit()
        return self.reconciliation(d)

    @staticmethod
    def _open_for_changes(uow, day: str) -> None:  # noqa: ANN001
        if uow.closures.get(day) is None:
            raise ShiftError(f"take the Z for {day} before reconciling it", message_zh=f"请先对 {day} 日结，再对账")
        rec = uow.closures.reconciliation(day)
        if rec is not None and rec.approved_by is not None:
            who = _name(uow, rec.approved_by)
            raise ShiftError(f"{day} was approved by {who} and is locked",
                             message_zh=f"{day} 已由 {who} 审核，已锁定")


_TENDER_EN = {"cash": "cash", "wechat": "WeChat Pay", "alipay": "Alipay", "unionpay": "UnionPay card",
              "voucher": "vouchers", "account": "institution account"}


def _label_en(key: str) -> str:
    return _TENDER_EN.get(key, key)


def _label_zh(key: str) -> str:
    try:
        return TENDER_LABELS_ZH[TenderKind(key)]
    except ValueError:
        return key
