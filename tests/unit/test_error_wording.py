"""Issue 13: every refusal the till can show reads as plain English in the English UI — no code
names ("z_close"), enum values, "qty", Python reprs or raw exception text ("[Errno 13] …").

The English wording is read from the source: the first argument of every call that also gives
``message_zh=`` (PosError and its kin) in the packages the till runs. A few bad inputs are also
raised for real, to check the sentences a cashier meets most.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PACKAGES = ("pos/domain", "pos/services", "pos/store", "pos/devices", "pos/reports", "printers")
# A code name outside quotes: two or more lowercase words joined by "_" (sold_by, z_close, cash_in).
SNAKE = re.compile(r"(?<![\w'`./{-])[a-z][a-z0-9]*(?:_[a-z0-9]+)+(?![\w'`/-])")
CODE_WORDS = re.compile(r"\b(qty|seq|enum|None|True|False|NoneType|Traceback|kwargs?)\b")
RAW_EXCEPTIONS = {"exc", "e", "err", "error", "ex"}
HAN = re.compile(r"[\u3400-\u9fff]")


def english_messages() -> Iterator[tuple[str, ast.expr]]:
    """``X("english", message_zh=…)``, and helpers called with an English and a Chinese wording
    side by side (``_refuse("english", "中文")``)."""
    for package in PACKAGES:
        for path in sorted((ROOT / package).rglob("*.py")):
            tree = ast.parse(path.read_text(encoding="utf-8"))
            for node in ast.walk(tree):
                if not isinstance(node, ast.Call) or not node.args:
                    continue
                where = f"{path.relative_to(ROOT)}:{node.lineno}"
                if any(k.arg == "message_zh" for k in node.keywords):
                    yield where, node.args[0]
                    continue
                for en, zh in zip(node.args, node.args[1:], strict=False):
                    if is_text(en) and not HAN.search(literal_text(en)) and HAN.search(literal_text(zh)):
                        yield where, en


def is_text(expr: ast.expr) -> bool:
    return isinstance(expr, ast.JoinedStr) or (isinstance(expr, ast.Constant) and isinstance(expr.value, str))


def literal_text(expr: ast.expr) -> str:
    """The words of a message as written: literal parts kept, each {field} shown as {}."""
    if isinstance(expr, ast.Constant) and isinstance(expr.value, str):
        return expr.value
    if isinstance(expr, ast.JoinedStr):
        return "".join(v.value if isinstance(v, ast.Constant) else "{}" for v in expr.values)
    if isinstance(expr, ast.BinOp):
        return literal_text(expr.left) + literal_text(expr.right)
    return ""


def unquoted(text: str) -> str:
    """The sentence without what it quotes ('sold_by', `init`): a quoted name is shown as a name."""
    return re.sub(r"'[^']*'|`[^`]*`|\([a-z]+://[^)]*\)", "''", text)


def field_problems(expr: ast.expr) -> list[str]:
    problems = []
    depth = 0  # inside "( … )": a raw detail for whoever fixes it may follow the sentence there
    for node in ast.walk(expr) if not isinstance(expr, ast.JoinedStr) else expr.values:
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            depth += node.value.count("(") - node.value.count(")")
        if isinstance(node, ast.FormattedValue):
            if node.conversion == ord("r"):
                problems.append("a Python repr (!r)")
            value = node.value
            if isinstance(value, ast.Name) and value.id in RAW_EXCEPTIONS and depth <= 0:
                problems.append(f"raw exception text {{{value.id}}} outside brackets")
            if isinstance(value, ast.Attribute) and value.attr in ("value", "__name__"):
                problems.append(f"a code name (.{value.attr})")
    return problems


MESSAGES = list(english_messages())


def test_the_scan_finds_the_messages() -> None:
    assert len(MESSAGES) > 150
    assert any(where.startswith("pos/domain/tenders.py") for where, _ in MESSAGES)


@pytest.mark.parametrize(("where", "expr"), MESSAGES, ids=[w for w, _ in MESSAGES])
def test_an_english_message_reads_as_words(where: str, expr: ast.expr) -> None:
    text = literal_text(expr)
    words = unquoted(text)
    problems = field_problems(expr)
    problems += [f"code name {m!r}" for m in SNAKE.findall(words)]
    problems += [f"code word {m!r}" for m in CODE_WORDS.findall(words)]
    # Chinese only as a hint in brackets ("write unit (按件)"): the sentence itself is English.
    problems += [f"Chinese {m!r} in the English sentence" for m in HAN.findall(re.sub(r"\([^)]*\)", "", words))]
    assert not problems, f"{where}: {text!r}: {', '.join(problems)}"


# -- what a cashier meets, raised for real ------------------------------------------------------

def plain(message: str) -> None:
    assert not SNAKE.findall(unquoted(message)), message
    assert not CODE_WORDS.findall(unquoted(message)), message
    assert "TenderKind" not in message and "Action." not in message and "Role." not in message, message


def test_refusals_a_cashier_meets_are_sentences() -> None:
    from pos.domain.closing import parse_count
    from pos.domain.errors import PosError
    from pos.domain.money import parse_yuan
    from pos.domain.permissions import Action, ApprovalRequired, NotPermitted
    from pos.domain.pricing import parse_discount
    from pos.domain.quantities import parse_weight
    from pos.domain.tenders import Tender, TenderKind
    from pos.domain.users import Role

    seen = []
    for role in Role:
        for action in Action:
            seen += [NotPermitted(role, action).message, ApprovalRequired(action).message]
    bad = [lambda: Tender(TenderKind.VOUCHER, 100), lambda: Tender(TenderKind.ACCOUNT, 100),
           lambda: Tender(TenderKind.UNIONPAY, 100), lambda: Tender(TenderKind.CASH, 0),
           lambda: parse_yuan("-5"), lambda: parse_yuan("abc"), lambda: parse_discount("abc"),
           lambda: parse_weight("x"), lambda: parse_count(["100"]), lambda: TenderKind.parse("bitcoin")]
    for make in bad:
        with pytest.raises(PosError) as exc:
            make()
        seen.append(exc.value.message)
    for message in seen:
        plain(message)
    assert NotPermitted(Role.CASHIER, Action.Z_CLOSE).message == (
        "A cashier's role does not allow the day's Z closing; ask someone whose role does")
    from pos.domain.limits import NeededApproval, SaleNeedsApproval

    over = NeededApproval(Action.DISCOUNT_OVER_LIMIT, 0, "MX-E001", "line 1 eggs: 20 % off is over the cashier's 10 %",
                          "第 1 行 鸡蛋 折扣 20% 超过收银员 10%")
    assert SaleNeedsApproval((over,)).message.startswith("A discount over the limit needs a manager's approval: line 1")
    with pytest.raises(PosError) as exc:
        Tender(TenderKind.VOUCHER, 100)
    assert exc.value.message == "Voucher payment: enter the voucher number"
