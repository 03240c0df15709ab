"""What the payment dialog (收款) decides, without Qt: the tender being taken, what the amount field
starts at, where a customer's payment code goes, whether the tenders settle the sale, when dropping
a tender must ask first, what is still due and the change — and the 单位挂账 pick list.

The dialog forwards what the cashier types (:meth:`PaymentPresenter.edit`) and the keys (Enter in
a field, F1–F6, F8, a code from a scanner) and draws what the presenter holds afterwards: the kind,
the two field texts, the tenders taken, and an :class:`Outcome` or :class:`Preview` to put in words.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable
from dataclasses import dataclass, field

from pos.domain.barcodes import clean_code
from pos.domain.errors import InvalidMoney, PaymentError, PosError
from pos.domain.money import Fen, format_yuan, parse_yuan
from pos.domain.references import normalise_account_code
from pos.domain.scan import payment_provider
from pos.domain.tenders import NEEDS_REFERENCE, Settlement, Tender, TenderKind, settle

# The F-key of each tender, in the order the dialog shows them. F1 is cash here and on the main screen.
TENDER_KEYS: tuple[tuple[TenderKind, str], ...] = (
    (TenderKind.CASH, "F1"), (TenderKind.WECHAT, "F2"), (TenderKind.ALIPAY, "F3"),
    (TenderKind.UNIONPAY, "F4"), (TenderKind.VOUCHER, "F5"), (TenderKind.ACCOUNT, "F6"),
)
REMOVE_KEY = "F8"
NOTES_FEN = (5_000, 10_000)  # the quick buttons ￥50 and ￥100
WITH_REFERENCE = frozenset(TenderKind) - {TenderKind.CASH}
TAKEN_OUTSIDE = frozenset({TenderKind.WECHAT, TenderKind.ALIPAY, TenderKind.UNIONPAY})  # dropping one asks first


def round_up_suggestion(due_fen: Fen) -> Fen:
    """凑整: the next whole ten yuan at or above the amount due (what a customer usually hands over)."""
    step = 1_000
    return -(-due_fen // step) * step


def payment_code_in(text: str) -> str | None:
    """The customer's WeChat/Alipay payment code ``text`` is (full-width digits and spaces folded), or None."""
    code = clean_code(text)
    return code if payment_provider(code) is not None else None


def amount_typed(text: str) -> Fen:
    """The amount in an amount field. A payment code is never an amount, and a refusal never repeats a
    long run of digits (a payment code is a bearer token: it must not appear on screen in full)."""
    if payment_code_in(text) is not None:
        raise InvalidMoney("this is the customer's payment code, not an amount: press Enter to take it as the code",
                           message_zh="这是顾客的付款码，不是金额：按回车即按付款码收款")
    try:
        return parse_yuan(text)
    except InvalidMoney:
        if sum(ch.isdigit() for ch in clean_code(text)) > 12:  # more digits than any amount: never echo them
            raise InvalidMoney("that is not an amount (too many digits); clear the field and type the amount",
                               message_zh="这不是金额（数字过长），请清空后重新输入金额") from None
        raise


def code_kind(code: str) -> TenderKind | None:
    """The tender a customer's payment code pays with (the domain's classifier decides)."""
    provider = payment_provider(code)
    return None if provider is None else TenderKind.WECHAT if provider == "wechat" else TenderKind.ALIPAY


def tender_for_code(code: str, typed: str, remaining_fen: Fen) -> Tender | None:
    """What a customer's payment code pays: WeChat or Alipay as the code says (whatever tender was
    selected), for the amount typed when it is one, else for what is still due — never more than is
    still due (only cash gives change). None when nothing is left to pay or ``code`` is no payment code.
    """
    kind = code_kind(code)
    if kind is None or remaining_fen <= 0:
        return None
    try:
        amount = amount_typed(typed)
    except PosError:
        amount = remaining_fen  # nothing typed, or the code itself landed in the amount field
    if amount <= 0:
        amount = remaining_fen  # "0" typed is no share: the code pays the rest
    return Tender(kind, min(amount, remaining_fen), code)


# -- 单位挂账: the store's institution accounts --------------------------------------------------


@dataclass(frozen=True, slots=True)
class AccountChoice:
    """An institution account the cashier may charge: its code, name and the credit it has left."""

    code: str
    name: str
    credit_left_fen: Fen


def _initials_and_terms(name: str) -> frozenset[str]:
    from pos.search_index import name_terms  # pinyin (full and initials) from every word of the name

    return name_terms(name)


@dataclass
class AccountList:
    """The pick list of F6 单位挂账: type part of the name, the code, or the name's pinyin initials
    (``phzgh`` for 平湖市总工会) to narrow it; a code typed or scanned in full still works."""

    accounts: tuple[AccountChoice, ...] = ()
    _terms: dict[str, frozenset[str]] = field(default_factory=dict)

    def set_accounts(self, accounts: Iterable[AccountChoice]) -> None:
        self.accounts = tuple(accounts)
        self._terms = {a.code: _initials_and_terms(a.name) for a in self.accounts}

    def matching(self, text: str) -> list[AccountChoice]:
        """The accounts ``text`` may mean, in list order; all of them for an empty text."""
        from pos.search_index import normalize

        query = normalize(text)
        if not query:
            return list(self.accounts)
        return [a for a in self.accounts
                if query in a.code.lower() or query in normalize(a.name)
                or any(t.startswith(query) for t in self._terms.get(a.code, ()))]

    def by_code(self, text: str) -> AccountChoice | None:
        key = normalise_account_code(text)
        return next((a for a in self.accounts if a.code == key), None) if key else None

    def chosen(self, text: str, selected: AccountChoice | None = None) -> AccountChoice | None:
        """What Enter on ``text`` takes: the account whose code it is, else the one selected in the list
        (among those matching), else the only account that matches. Nothing typed: only an account the
        cashier picked. None: let the service judge the code as typed."""
        if not text.strip():
            return selected
        exact = self.by_code(text)
        if exact is not None:
            return exact
        found = self.matching(text)
        if selected is not None and selected in found:
            return selected
        return found[0] if len(found) == 1 else None


# -- the dialog's decisions ---------------------------------------------------------------------


class Step(enum.Enum):
    """What a key or a code led to; the dialog puts it in words and moves the focus."""

    NOTHING = "nothing"  # e.g. a stray text that is no payment code
    ACCEPT = "accept"  # the tenders pay the sale: close the dialog, the caller commits
    PARTIAL = "partial"  # a tender taken that does not pay it all: the rest comes next (in cash)
    REFUSED = "refused"  # the domain's refusal (error), the amount field to correct
    REFERENCE_NEXT = "reference_next"  # an amount typed: the code/number comes next in its field
    ALL_PAID = "all_paid"  # a payment code arrived when nothing is left to pay


@dataclass(frozen=True, slots=True)
class Outcome:
    step: Step
    tender: Tender | None = None  # PARTIAL: what was taken
    error: PosError | None = None  # REFUSED, PARTIAL: why it does not settle (yet)
    settlement: Settlement | None = None  # ACCEPT


@dataclass(frozen=True, slots=True)
class Preview:
    """What the dialog shows while the cashier types: the change (None: "—", it does not settle), the
    tender Enter would take, and why it does not settle yet."""

    change_fen: Fen | None
    entry: Tender | None = None
    error: PosError | None = None
    reference_next: bool = False  # not a mistake yet: the number simply comes next
    show_error: bool = False  # something typed or taken, so the refusal is worth saying


@dataclass(frozen=True, slots=True)
class Removal:
    """F8: which tender goes, and whether the cashier must say yes first (money taken outside the till)."""

    index: int
    tender: Tender
    ask: bool


class PaymentPresenter:
    """The state of one payment dialog: what is due, the tenders taken, the tender being taken and what
    its two fields hold. Money is integer fen; whether the tenders pay is the domain's ``settle``."""

    def __init__(self, due_fen: Fen, *, kind: TenderKind = TenderKind.CASH,
                 tenders: Iterable[Tender] = (), reference: str | None = None) -> None:
        self.due_fen = due_fen
        self.taken: list[Tender] = list(tenders)
        self.kind = kind
        self.amount_text = ""
        self.reference_text = ""
        self.accounts = AccountList()
        self.tenders: list[Tender] = []  # after ACCEPT: what the customer paid
        self.settlement: Settlement | None = None
        self.select_kind(kind)
        if reference:
            self.reference_text = reference

    # -- figures ------------------------------------------------------------------------------

    def paid_fen(self) -> Fen:
        return sum(t.amount_fen for t in self.taken)

    def remaining_fen(self) -> Fen:
        return max(0, self.due_fen - self.paid_fen())

    @property
    def needs_reference(self) -> bool:
        """The tender being taken has a second field (a code, a terminal number, a voucher, an account)."""
        return self.kind in WITH_REFERENCE

    @property
    def shows_cash_buttons(self) -> bool:
        return self.kind is TenderKind.CASH

    @property
    def shows_accounts(self) -> bool:
        return self.kind is TenderKind.ACCOUNT

    # -- the tender being taken ---------------------------------------------------------------

    def select_kind(self, kind: TenderKind) -> None:
        """F1–F6: the tender being taken; the amount starts at what is still due, the number field empty."""
        self.kind = kind
        self.reference_text = ""
        left = self.remaining_fen()
        self.amount_text = format_yuan(left) if left else ""

    def edit(self, amount_text: str | None = None, reference_text: str | None = None) -> None:
        """What the cashier typed into the amount or the number field."""
        if amount_text is not None:
            self.amount_text = amount_text
        if reference_text is not None:
            self.reference_text = reference_text

    def quick_cash(self, amount_fen: Fen | None) -> None:
        """凑整 (None) or a note button: cash, for the amount on the button."""
        if self.kind is not TenderKind.CASH:
            self.select_kind(TenderKind.CASH)
        self.amount_text = format_yuan(round_up_suggestion(self.remaining_fen()) if amount_fen is None else amount_fen)

    def choose_account(self, account: AccountChoice) -> None:
        """A touch on the 单位挂账 list: that account's code in the number field."""
        if self.kind is not TenderKind.ACCOUNT:
            self.select_kind(TenderKind.ACCOUNT)
        self.reference_text = account.code

    def entry(self) -> Tender | None:
        """The tender typed in the fields, or None when the amount field is empty; PosError if wrong
        (also an institution account charged more than the credit it has left, as the list shows it)."""
        text = self.amount_text.strip()
        if not text:
            return None
        amount = amount_typed(text)
        reference = (self.reference_text.strip() or None) if self.needs_reference else None
        tender = Tender(self.kind, amount, reference)
        if tender.kind is TenderKind.ACCOUNT:
            self._check_credit(tender)
        return tender

    def _check_credit(self, tender: Tender) -> None:
        account = self.accounts.by_code(tender.reference or "")
        if account is None:
            return  # not in the list (or the list not read): the service judges it when the sale is saved
        on_it = sum(t.amount_fen for t in self.taken if t.kind is TenderKind.ACCOUNT and t.reference == account.code)
        if on_it + tender.amount_fen > account.credit_left_fen:
            left = format_yuan(max(0, account.credit_left_fen - on_it))
            raise PaymentError(f"{account.name} has only {left} yuan of credit left",
                               message_zh=f"{account.name} 挂账额度不足，剩余 {left} 元")

    def reference_still_to_come(self) -> bool:
        """A tender that needs a number, a valid amount typed, and the number field still empty."""
        if self.kind not in NEEDS_REFERENCE or self.reference_text.strip():
            return False
        try:
            amount_typed(self.amount_text)
        except PosError:
            return False
        return True

    def preview(self) -> Preview:
        """Paid, still due and change as the cashier types; while it does not settle, the domain says why."""
        try:
            entry = self.entry()
            s = settle(self.due_fen, self.taken + ([entry] if entry else []))
        except PosError as exc:
            return Preview(None, error=exc, reference_next=self.reference_still_to_come(),
                           show_error=bool(self.amount_text.strip()) or bool(self.taken))
        return Preview(s.change_fen, entry=entry)

    # -- Enter and codes ----------------------------------------------------------------------

    def _code_in_fields(self) -> str | None:
        return payment_code_in(self.amount_text) or (
            payment_code_in(self.reference_text) if self.needs_reference else None)

    def take_code(self, code: str) -> Outcome:
        """A customer's payment code from any field or a scanner: its provider (whatever tender was
        selected), for the amount typed — or still due — and confirmed at once."""
        found = payment_code_in(code)
        if found is None:  # a stray text is never a payment
            return Outcome(Step.NOTHING)
        tender = tender_for_code(found, self.amount_text, self.remaining_fen())
        if tender is None:  # everything is paid: a second code must not replace or add a payment
            return Outcome(Step.ALL_PAID)
        if tender.kind is not self.kind:
            self.select_kind(tender.kind)
        self.amount_text = format_yuan(tender.amount_fen)
        self.reference_text = found
        return self.confirm()

    def enter_in_amount(self) -> Outcome:
        """Enter in the amount field: a code there is the payment; a tender that takes a number asks for
        it next (Enter again in the number field skips an optional one); else confirm."""
        code = payment_code_in(self.amount_text)
        if code:
            return self.take_code(code)
        if self.needs_reference and not self.reference_text.strip() and self.amount_text.strip():
            return Outcome(Step.REFERENCE_NEXT)
        return self.confirm()

    def enter_in_reference(self, selected: AccountChoice | None = None) -> Outcome:
        """Enter in the number field: a payment code typed as a voucher or card number is still WeChat or
        Alipay; for 单位挂账, part of a name picks the account it means."""
        code = payment_code_in(self.reference_text)
        if code:
            return self.take_code(code)
        return self.confirm(selected)

    def confirm(self, selected: AccountChoice | None = None) -> Outcome:
        """Enter or 确认收款: take the tender typed. If everything taken pays the sale, ACCEPT; if it is not
        yet enough, keep the tender and start on the rest (cash); otherwise the domain's refusal.
        ``selected``: the account picked in 单位挂账's list (part of a name typed means that one)."""
        code = self._code_in_fields()
        if code is not None and not (self.kind is code_kind(code) and self.reference_text.strip() == code
                                     and not payment_code_in(self.amount_text)):
            return self.take_code(code)  # a code typed by hand into a field, confirmed with the button
        if self.kind is TenderKind.ACCOUNT:
            account = self.accounts.chosen(self.reference_text, selected)
            if account is not None:
                self.reference_text = account.code
        try:
            entry = self.entry()
        except PosError as exc:
            return Outcome(Step.REFUSED, error=exc)
        tenders = self.taken + ([entry] if entry else [])
        try:
            settlement = settle(self.due_fen, tenders)
        except PosError as exc:
            if entry is not None and sum(t.amount_fen for t in tenders) < self.due_fen:
                self.taken.append(entry)  # part of the payment: the rest comes next
                self.select_kind(TenderKind.CASH)
                return Outcome(Step.PARTIAL, tender=entry, error=exc)
            return Outcome(Step.REFUSED, error=exc)
        self.settlement = settlement
        self.tenders = tenders
        return Outcome(Step.ACCEPT, settlement=settlement)

    # -- dropping tenders: money already taken is never dropped without asking ---------------

    @staticmethod
    def needs_asking(tender: Tender) -> bool:
        # Money already moved outside the till. Cash is still in the cashier's hand; a voucher or an
        # institution account is only charged when the sale is saved.
        return tender.kind in TAKEN_OUTSIDE

    def removal(self, selected_row: int | None) -> Removal | None:
        """F8: the selected tender (the last one when none is selected), and whether to ask first."""
        if not self.taken:
            return None
        index = len(self.taken) - 1 if selected_row is None or not 0 <= selected_row < len(self.taken) else selected_row
        tender = self.taken[index]
        return Removal(index, tender, self.needs_asking(tender))

    def remove(self, removal: Removal) -> bool:
        """Drop the tender of ``removal`` if it is still there; the amount starts again at what is due."""
        if removal.index < len(self.taken) and self.taken[removal.index] is removal.tender:
            del self.taken[removal.index]
            self.select_kind(self.kind)
            return True
        return False

    def payments_to_drop(self) -> list[Tender]:
        """What leaving the dialog now would drop that was money taken outside the till: the tenders
        taken, and the one in the fields when it already carries a code (e.g. a code scanned on the
        main screen opened the dialog)."""
        return [t for t in self.taken if self.needs_asking(t)] + self._typed_with_reference()

    def _typed_with_reference(self) -> list[Tender]:
        if self.kind not in TAKEN_OUTSIDE or not self.reference_text.strip():
            return []
        try:
            entry = self.entry()
        except PosError:
            entry = None
        if entry is None:  # no valid amount typed: still name the payment by its code
            try:
                entry = Tender(self.kind, max(1, self.remaining_fen()), self.reference_text.strip())
            except PosError:
                return []  # not a reference any tender could carry
        return [entry]
