"""Members (会员, issue 17): ``member add``, ``member find``, ``member change``, ``member export``.

The same MemberService as the till. Phone numbers are shown masked (138****1234); only
``member export`` (a manager) writes them in clear, to a file. Every member command names the
person at the till (``--by LOGIN --pin PIN``): members' details are personal data.
"""

from __future__ import annotations

import argparse
from typing import Any

from .base import EXIT_OK, Registry, UsageError, path_arg, whole_number
from .base import config as _config
from .base import print_result as _print
from .till import _approved


def register(reg: Registry) -> None:
    g = "member commands: register, find, change, export (会员)"
    p = reg.subcommand("member", "add", "register a member (会员登记) by mobile number", cmd_add, group_help=g)
    p.add_argument("phone", help="mainland mobile number, e.g. 13800138000 or +86 138-0013-8000")
    p.add_argument("--name", required=True, help="the member's name")
    p.add_argument("--tier", default="普通", help="普通 (default), 银卡 or 金卡")
    p.add_argument("--birthday", help="MM-DD, e.g. 05-17")
    _who(p)

    p = reg.subcommand("member", "find", "find members by full mobile number, its last 4 digits or member code", cmd_find)
    p.add_argument("text", help="13800138000, 8000 (a pick list) or LXM… (the member card)")
    _who(p)

    p = reg.subcommand("member", "change", "change a member's name, tier or birthday", cmd_change)
    p.add_argument("member", help="member id or member code (LXM…)")
    p.add_argument("--name")
    p.add_argument("--tier")
    p.add_argument("--birthday", help="MM-DD, or 'none' to remove it")
    _who(p)

    p = reg.subcommand("member", "settings", "the store's tiers and points rule; with no option, show them", cmd_settings)
    p.add_argument("--tiers", help="tier names, lowest first, e.g. 普通,银卡,金卡")
    p.add_argument("--yuan-per-point", help="spend that earns one point, in yuan (default 1.00)")
    p.add_argument("--exclude", help="categories that earn no points, e.g. 烟酒,礼券 ('' for none)")
    p.add_argument("--points-per-yuan", type=whole_number, help="points that pay ¥1 (default 100)")
    p.add_argument("--max-redeem-pct", type=whole_number, help="the most of a sale points may pay, 0–100 (default 50)")
    p.add_argument("--by", dest="login", help="a manager's login, to change them")
    p.add_argument("--pin", help="their PIN")
    p.add_argument("--json", action="store_true", help="print the result as JSON")

    p = reg.subcommand("member", "export", "write every member with the clear phone number to a CSV or XLSX file "
                       "(a manager only; the export is journaled)", cmd_export)
    p.add_argument("--out", required=True, type=path_arg, help="the file: .csv or .xlsx")
    _who(p)
    p.add_argument("--approver", help=argparse.SUPPRESS)
    p.add_argument("--approver-pin", help=argparse.SUPPRESS)


def _who(p: argparse.ArgumentParser) -> None:
    p.add_argument("--by", required=True, dest="login", help="login of the person at the till")
    p.add_argument("--pin", required=True, help="their PIN")
    p.add_argument("--json", action="store_true", help="print the result as JSON")


def _open(args: argparse.Namespace):  # noqa: ANN202
    from pos.bootstrap import open_till

    return open_till(_config(args))


def _member_json(m) -> dict[str, Any]:  # noqa: ANN001
    return {"member_id": m.member_id, "phone": m.phone_masked, "name": m.name, "tier": m.tier, "birthday": m.birthday,
            "points": m.points, "code": m.code}


def _member_text(m) -> str:  # noqa: ANN001
    birthday = f"  生日 {m.birthday}" if m.birthday else ""
    return f"{m.member_id}  {m.name}  {m.phone_masked}  {m.tier}  积分 {m.points}{birthday}  会员码 {m.code}"


def cmd_add(args: argparse.Namespace) -> int:
    till = _open(args)
    try:
        who = till.auth.login(args.login, args.pin, via="cli")
        m = till.members.add(args.phone, args.name, tier=args.tier, birthday=args.birthday, by=who)
    finally:
        till.close()
    _print(_member_json(m), args.json, f"已登记会员 (member registered): {_member_text(m)}")
    return EXIT_OK


def cmd_find(args: argparse.Namespace) -> int:
    till = _open(args)
    try:
        till.auth.login(args.login, args.pin, via="cli")
        found = till.members.find(args.text)
    finally:
        till.close()
    if args.json:
        _print([_member_json(m) for m in found], True, "")
    elif not found:
        print(f"没有找到会员 (no member found for {args.text.strip()})")
    else:
        print("\n".join(_member_text(m) for m in found))
    return EXIT_OK


def cmd_change(args: argparse.Namespace) -> int:
    from pos.domain.members import looks_like_code, member_id_from_code

    if args.name is None and args.tier is None and args.birthday is None:
        raise UsageError("nothing to change: give --name, --tier or --birthday")
    member_id = member_id_from_code(args.member) if looks_like_code(args.member) else args.member.strip().upper()
    clear = args.birthday is not None and args.birthday.strip().lower() == "none"
    till = _open(args)
    try:
        who = till.auth.login(args.login, args.pin, via="cli")
        m = till.members.change(member_id, by=who, name=args.name, tier=args.tier,
                                birthday=None if clear else args.birthday, clear_birthday=clear)
    finally:
        till.close()
    _print(_member_json(m), args.json, f"已修改会员 (member changed): {_member_text(m)}")
    return EXIT_OK


def cmd_export(args: argparse.Namespace) -> int:
    till = _open(args)
    try:
        who = till.auth.login(args.login, args.pin, via="cli")
        done = _approved(till, args, who, lambda a: till.members.export(args.out, by=who, approval=a))
    finally:
        till.close()
    _print({"file": str(done.path), "members": done.members}, args.json,
           f"已导出 {done.members} 位会员到 {done.path}（含完整手机号，请妥善保管；exported with clear phone numbers）")
    return EXIT_OK


def cmd_settings(args: argparse.Namespace) -> int:
    from dataclasses import replace

    from pos.domain.members import MemberError, rule_to_json
    from pos.domain.money import parse_yuan

    changes = (args.tiers, args.yuan_per_point, args.exclude, args.points_per_yuan, args.max_redeem_pct)
    till = _open(args)
    try:
        if any(c is not None for c in changes):
            if not args.login or not args.pin:
                raise UsageError("changing the member settings needs --by LOGIN --pin PIN (a manager)")
            who = till.auth.login(args.login, args.pin, via="cli")
            if args.tiers is not None:
                till.members.set_tiers([t for t in args.tiers.replace("，", ",").split(",") if t.strip()], who)
            rule = till.members.rule
            if args.yuan_per_point is not None:
                rule = replace(rule, fen_per_point=parse_yuan(args.yuan_per_point))
            if args.exclude is not None:
                rule = replace(rule, excluded_categories=frozenset(
                    c.strip() for c in args.exclude.replace("，", ",").split(",") if c.strip()))
            if args.points_per_yuan is not None:
                if args.points_per_yuan < 1 or 100 % args.points_per_yuan:
                    raise MemberError("points per yuan must divide 100 (1, 2, 4, 5, 10, 20, 25, 50 or 100)",
                                      message_zh="每元积分数须能整除 100（1、2、4、5、10、20、25、50 或 100）")
                rule = replace(rule, redeem_fen_per_point=100 // args.points_per_yuan)
            if args.max_redeem_pct is not None:
                rule = replace(rule, max_redeem_pct=args.max_redeem_pct)
            if rule != till.members.rule:
                till.members.set_points_rule(rule, who)
        tiers, rule = till.members.tiers, till.members.rule
    finally:
        till.close()
    out = {"tiers": list(tiers), **rule_to_json(rule)}
    from pos.domain.money import format_yuan

    excluded = "、".join(sorted(rule.excluded_categories)) or "无 (none)"
    _print(out, args.json, f"会员等级 (tiers): {'、'.join(tiers)}\n"
           f"积分 (points): 每 ¥{format_yuan(rule.fen_per_point)} 积 1 分; {100 // rule.redeem_fen_per_point} 分抵 ¥1; "
           f"最多抵扣 {rule.max_redeem_pct}%; 不积分类别 (no points) {excluded}")
    return EXIT_OK
