"""What the checkout screen decides that is not drawing (no Qt here; the window draws and forwards).

- **The scan queue.** Scan results are applied strictly in the order they were scanned, and never
  while a dialog is asking something about the cart or an op is reading or replacing it (a sale
  being committed, a line void, a hold, a recall, the lock screen): they wait and are applied when
  the screen is free again.
- **Retries after a manager's approval.** A write the domain refused for want of a manager is run
  again exactly once, with the approval the manager gave, and nothing else.
- **Payment.** When 收款 may start (nothing busy; after the scans still being looked up), what a
  customer's payment code does, what a manager must approve first, what follows a refused commit.
- **The idle lock.** When to lock (not while a dialog asks or a sale is written); scans are
  ignored while locked.
- **What the cashier is told**, as typed outcomes (:class:`Say`, or the refusal itself); the
  window turns them into translated text.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from enum import Enum
from typing import Any

from pos.domain.catalog import Product
from pos.domain.errors import PaymentError, PosError, UnknownProduct
from pos.domain.limits import NeededApproval, SaleNeedsApproval
from pos.domain.permissions import Action, Approval, ApprovalRequired, check
from pos.domain.tenders import Tender, TenderKind
from pos.domain.users import Role
from pos.services.checkout import BeforePayment, NoOpenShift
from pos.services.scanning import ResolvedPayment, ResolvedProduct, ResolvedScan, ResolvedSearch


class Say(Enum):
    """What the cashier is told (the window holds the wording, in both languages)."""

    SCAN_PROMPT = "scan_prompt"  # 请扫码或输入条码…
    EMPTY_CART = "empty_cart"  # 本单没有商品，请先扫码
    PAYMENT_CODE_FIRST = "payment_code_first"  # 这是付款码：请先扫商品，再按 F12 收款
    NOT_APPROVED = "not_approved"  # 未获店长授权，操作已取消
    SAVING_WAIT = "saving_wait"  # 正在保存，请稍候…
    SELECT_LINE = "select_line"  # 请先选择一行商品
    SETTLE_FIRST_CLOSE = "settle_first_close"  # 请先结账或清空本单，再交班
    SETTLE_FIRST_TRAINING = "settle_first_training"  # 请先结账或清空本单，再切换练习模式
    LEAVE_TRAINING_FIRST = "leave_training_first"  # 请先退出练习模式，再交班


@dataclass(frozen=True, slots=True)
class ScanOutcome:
    """What one scan turned into: a product, a payment code, search text — or the refusal to show."""

    code: str
    resolved: ResolvedScan | None = None
    error: BaseException | None = None


# -- steps: what the window is asked to do next ---------------------------------------------------


@dataclass(frozen=True, slots=True)
class Tell:
    """Tell the cashier ``say`` (``error`` colours it as a refusal)."""

    say: Say
    error: bool = True


@dataclass(frozen=True, slots=True)
class ShowRefusal:
    """Show why the domain or a service refused (the window words it with ``error_text``)."""

    error: BaseException


@dataclass(frozen=True, slots=True)
class AddProduct:
    """Put ``quantity`` of ``product`` in the cart; a scale label's printed amount is charged as printed."""

    product: Product
    quantity: int
    label_amount_fen: int | None = None


@dataclass(frozen=True, slots=True)
class AskWeight:
    """Weighed goods without a weight: ask for it (or read the scale)."""

    product: Product


@dataclass(frozen=True, slots=True)
class OpenSearch:
    text: str


@dataclass(frozen=True, slots=True)
class StartPayment:
    """收款: check what a manager must approve, then open payment with ``kind`` ready."""

    kind: TenderKind = TenderKind.CASH
    reference: str | None = None


@dataclass(frozen=True, slots=True)
class Wait:
    """Nothing now: the request is kept and carried out once the screen is free (payment after scans)."""


@dataclass(frozen=True, slots=True)
class Ignore:
    """Nothing at all (the screen is busy, locked, or it was already done)."""


@dataclass(frozen=True, slots=True)
class AskNeeds:
    """店长授权 for what the sale as a whole still needs (one approval answers all of ``needs``)."""

    needs: tuple[NeededApproval, ...]


@dataclass(frozen=True, slots=True)
class CommitWithoutTender:
    """A ¥0 sale: complete it at once, no tender asked."""


@dataclass(frozen=True, slots=True)
class OpenPayment:
    """Open the payment dialog for ``due_fen``."""

    due_fen: int


@dataclass(frozen=True, slots=True)
class AskOpenShift:
    """The shift was closed meanwhile: the cart stays; open a shift, then pay again."""


@dataclass(frozen=True, slots=True)
class ReopenPayment:
    """A tender was refused: nothing was saved; payment again with the same tenders to change one."""

    tenders: tuple[Tender, ...]


@dataclass(frozen=True, slots=True)
class AskNeedsThenCommit:
    """The commit found something unapproved: ask a manager, then commit the same tenders."""

    needs: tuple[NeededApproval, ...]
    tenders: tuple[Tender, ...]


@dataclass(frozen=True, slots=True)
class Lock:
    """Cover the screen with the lock screen."""


@dataclass(frozen=True, slots=True)
class LogOut:
    """Back to the login."""


@dataclass(frozen=True, slots=True)
class AskKeepOrVoid:
    """Goods in the cart at 退出登录: 挂单后退出 / 作废后退出 / 取消."""


@dataclass(frozen=True, slots=True)
class NeedsManager:
    """Ask a manager (店长授权) for ``refusal.action`` before going on."""

    refusal: ApprovalRequired


@dataclass(frozen=True, slots=True)
class SwitchTraining:
    """Journal the switch to 练习 ``on`` (or out of it)."""

    on: bool


@dataclass(frozen=True, slots=True)
class CloseShift:
    """Open the 交班 count."""


Step = (Tell | ShowRefusal | AddProduct | AskWeight | OpenSearch | StartPayment | Wait | Ignore | AskNeeds
        | CommitWithoutTender | OpenPayment | AskOpenShift | ReopenPayment | AskNeedsThenCommit | Lock | LogOut
        | AskKeepOrVoid | NeedsManager | SwitchTraining | CloseShift)


class LogoutChoice(Enum):
    HOLD = "hold"  # 挂单后退出: anyone recalls it later with 取单
    VOID = "void"  # 作废后退出: every line voided (journaled; a manager when the rules say so)
    CANCEL = "cancel"


# -- a write over the cart, and its retry after a manager's approval ---------------------------------


@dataclass(frozen=True)
class CartOp:
    """One write run on the writer thread as ``attempt(approval)``; ``on_done`` gets its result.

    ``detail`` names what a manager is asked to approve; ``status`` is shown while it runs.
    """

    attempt: Callable[[Approval | None], Any]
    on_done: Callable[[Any], None]
    detail: str = ""
    status: str | None = None
    approval: Approval | None = None

    def call(self) -> Any:
        return self.attempt(self.approval)


@dataclass
class ApprovalRetry:
    """What to run once a manager approves: ``retry(approval)``, exactly once, with that approval."""

    refusal: ApprovalRequired | SaleNeedsApproval | None
    retry: Callable[[Approval], None]
    detail: str = ""
    answered: bool = field(default=False, init=False)

    @property
    def action(self) -> Action | None:
        return getattr(self.refusal, "action", None)

    def approved(self, approval: Approval | None) -> bool:
        """The manager's answer; False (nothing run) without an approval or when already answered."""
        if self.answered or approval is None:
            return False
        self.answered = True
        self.retry(approval)
        return True

    def refused(self) -> Tell | Ignore:
        if self.answered:
            return Ignore()
        self.answered = True
        return Tell(Say.NOT_APPROVED)


@dataclass(frozen=True, slots=True)
class Enabled:
    """Which of the screen's actions are on now."""

    general: bool  # 收款, 搜索, 取单, 重印, 练习, 班次, 店长, 锁屏, 退出
    returns: bool  # 退货: real money, never in training
    cart: bool  # 数量, 删除, 清空, 折扣, 整单折扣, 改价, 挂单: need goods in the cart


class CheckoutPresenter:
    """The checkout screen's state and decisions for one logged-in cashier."""

    def __init__(self) -> None:
        self._results: deque[ScanOutcome] = deque()
        self._in_flight = 0  # lookups submitted, not yet answered
        self._hold = 0  # dialogs open, ops holding the cart, the lock screen: scan results wait
        self._dialogs = 0
        self._busy = 0  # ops reading or replacing the cart (commit, void, hold, recall, reprint)
        self._pay_requested: StartPayment | None = None
        self.committing = False
        self.locked = False
        self.training = False

    # -- state ----------------------------------------------------------------------------------

    @property
    def busy(self) -> bool:
        return self._busy > 0

    @property
    def free(self) -> bool:
        """Nothing asks about the cart and nothing reads or replaces it: a new action may start."""
        return self._busy == 0 and self._hold == 0

    @property
    def dialogs_open(self) -> int:
        return self._dialogs

    @property
    def waiting_scans(self) -> int:
        """Scans looked up or being looked up, not yet in the cart."""
        return len(self._results) + self._in_flight

    def enabled(self, has_lines: bool) -> Enabled:
        on = self._busy == 0 and not self.locked
        return Enabled(general=on, returns=on and not self.training, cart=on and has_lines)

    def hold(self) -> None:
        """Something is about to ask about the cart (a question, a lookup whose answer comes first)."""
        self._hold += 1

    def release(self) -> None:
        self._hold = max(0, self._hold - 1)

    def dialog_opened(self) -> None:
        self._hold += 1
        self._dialogs += 1

    def dialog_closed(self) -> bool:
        """A dialog closed; True when it was the last one (the scan field takes the keyboard back)."""
        self._hold = max(0, self._hold - 1)
        self._dialogs = max(0, self._dialogs - 1)
        return self._dialogs == 0

    def op_started(self, *, commit: bool = False) -> None:
        self._busy += 1
        self._hold += 1
        if commit:
            self.committing = True

    def op_finished(self, *, commit: bool = False) -> None:
        self._busy = max(0, self._busy - 1)
        self._hold = max(0, self._hold - 1)
        if commit:
            self.committing = False

    def may_close(self) -> bool:
        """Never walk away from a sale or a void being written."""
        return self._busy == 0

    # -- scans ----------------------------------------------------------------------------------

    def takes_scans(self) -> bool:
        """A scan from the wedge may come here: not locked and no dialog asking."""
        return not self.locked and self._dialogs == 0

    def scan_sent(self, code: str) -> str | None:
        """A code scanned or typed + Enter: the code to look up, or None (nothing typed, or locked)."""
        code = code.strip()
        if not code or self.locked:
            return None
        self._in_flight += 1
        return code

    def scan_answered(self, outcome: ScanOutcome) -> None:
        self._in_flight = max(0, self._in_flight - 1)
        self._results.append(outcome)

    def next_step(self, cart_empty: Callable[[], bool]) -> Step | None:
        """The next waiting scan as a step, in scan order — None while held or when none wait.

        After the last scan is in, a 收款 asked for meanwhile comes out as :class:`StartPayment`.
        ``cart_empty`` is asked at the moment each step is decided (an earlier step may fill the cart).
        """
        if self._hold:
            return None
        if self._results:
            return self.decide_scan(self._results.popleft(), cart_empty())
        if self._pay_requested is not None and self._in_flight == 0:
            kind, self._pay_requested = self._pay_requested.kind, None
            return self.pay_pressed(cart_empty(), kind)  # decided again now the scans are in
        return None

    @staticmethod
    def decide_scan(outcome: ScanOutcome, cart_empty: bool) -> Step:
        found = outcome.resolved
        if outcome.error is not None:
            if isinstance(outcome.error, UnknownProduct) and outcome.code.isascii() and outcome.code.isalpha():
                return OpenSearch(outcome.code)  # letters typed, not scanned: pinyin initials
            return ShowRefusal(outcome.error)
        if isinstance(found, ResolvedProduct):
            if found.label is not None:
                # A scale label: charged exactly as printed (the law settles at the scale's reading).
                return AddProduct(found.product, found.quantity or 1, found.amount_fen)
            if found.quantity is None:
                return AskWeight(found.product)
            return AddProduct(found.product, found.quantity)
        if isinstance(found, ResolvedPayment):
            # A customer's payment code: never a product — it pays the sale.
            if cart_empty:
                return Tell(Say.PAYMENT_CODE_FIRST)
            kind = TenderKind.WECHAT if found.provider == "wechat" else TenderKind.ALIPAY
            return StartPayment(kind, found.code)
        if isinstance(found, ResolvedSearch):
            return OpenSearch(found.text)
        return Ignore()

    @staticmethod
    def weighed_pick(product: Product) -> Step:
        """A product chosen by search or on the variant grid: weighed goods ask for the weight."""
        return AskWeight(product) if product.weighed else AddProduct(product, 1)

    # -- payment --------------------------------------------------------------------------------

    def pay_pressed(self, cart_empty: bool, kind: TenderKind = TenderKind.CASH) -> Step:
        """收款 (F12, or F1 现金): start now, after the scans still being looked up, or say why not."""
        if not self.free:
            return Ignore()
        if self.waiting_scans:
            self._pay_requested = StartPayment(kind)
            return Wait()
        if cart_empty:
            return Tell(Say.EMPTY_CART)
        return StartPayment(kind)

    @staticmethod
    def payment_step(step: BeforePayment, asked: tuple[Action, ...] = ()) -> Step:
        """After 收款: what a manager must approve first (never asked twice for the same action),
        then a ¥0 sale completed with no tender, any other opens payment."""
        if step.needs:
            needs = step.ask_now
            if needs[0].action in asked:  # approved, yet still needed: never ask in a loop
                return ShowRefusal(SaleNeedsApproval(step.needs))
            return AskNeeds(needs)
        if step.free:
            return CommitWithoutTender()
        return OpenPayment(step.due_fen)

    @staticmethod
    def commit_failed(exc: BaseException, tenders: tuple[Tender, ...]) -> Step | None:
        """What follows a refused commit, besides showing why (None: nothing more)."""
        if isinstance(exc, NoOpenShift):
            return AskOpenShift()
        if isinstance(exc, SaleNeedsApproval):
            first = exc.needs[0].action
            return AskNeedsThenCommit(tuple(n for n in exc.needs if n.action is first), tenders)
        if isinstance(exc, PaymentError):
            return ReopenPayment(tenders)
        return None

    # -- writes and approvals ---------------------------------------------------------------------

    @staticmethod
    def op_failed(op: CartOp, exc: BaseException, run: Callable[[CartOp], None]) -> ApprovalRetry | ShowRefusal:
        """A write refused: for want of a manager, the retry of the same write with the approval;
        otherwise the refusal to show."""
        if isinstance(exc, ApprovalRequired):
            return ApprovalRetry(exc, lambda approval: run(replace(op, approval=approval)), op.detail)
        return ShowRefusal(exc)

    # -- the idle lock --------------------------------------------------------------------------

    def idle_timeout(self) -> Step:
        """No input for the lock interval: lock — unless a dialog asks or a sale is written (then Wait:
        the idle timer starts again and the till locks once it is done)."""
        if self.locked:
            return Ignore()
        if self._dialogs or self._busy:
            return Wait()
        return Lock()

    def lock(self) -> bool:
        """Locked now (False: it already was). Lookups still in flight wait until it opens again."""
        if self.locked:
            return False
        self.locked = True
        self._hold += 1
        return True

    def unlock(self) -> bool:
        if not self.locked:
            return False
        self.locked = False
        self._hold = max(0, self._hold - 1)
        return True

    # -- training, 交班, leaving -------------------------------------------------------------------

    def training_switch(self, want: bool, cart_empty: bool, role: Role) -> Step:
        """练习 on or off: not with a sale open; a role that needs a manager asks one first; a role
        that may not is told why."""
        if want == self.training or not self.free:
            return Ignore()
        if not cart_empty:
            return Tell(Say.SETTLE_FIRST_TRAINING)
        try:
            check(role, Action.TRAINING_MODE)
        except ApprovalRequired as exc:
            return NeedsManager(exc)
        except PosError as exc:
            return ShowRefusal(exc)
        return SwitchTraining(want)

    def close_shift_pressed(self, cart_empty: bool) -> Step:
        """交班: only with an empty cart and out of training (a practice sale is no takings)."""
        if not self.free:
            return Ignore()
        if not cart_empty:
            return Tell(Say.SETTLE_FIRST_CLOSE)
        if self.training:
            return Tell(Say.LEAVE_TRAINING_FIRST)
        return CloseShift()


    def logout_pressed(self, cart_empty: bool) -> Step:
        if not self.free:
            return Ignore()
        return LogOut() if cart_empty else AskKeepOrVoid()


__all__ = [
    "AddProduct", "ApprovalRetry", "CloseShift", "SwitchTraining", "AskKeepOrVoid", "AskNeeds", "AskNeedsThenCommit", "AskOpenShift", "AskWeight",
    "CartOp", "CheckoutPresenter", "CommitWithoutTender", "Enabled", "Ignore", "Lock", "LogOut", "LogoutChoice", "NeedsManager",
    "OpenPayment", "OpenSearch", "ReopenPayment", "Say", "ScanOutcome", "ShowRefusal", "StartPayment", "Step",
    "Tell", "Wait",
]
