"""Promotions (促销, issue 17): ``promo import FILE`` and ``promo list``.

``promo import`` puts a promotion file (CSV or XLSX, the columns of issue 17) in force as the next
version, through the same service the till uses; a file with any bad row is refused whole, each bad
row named on stderr, and nothing changes (exit 2). ``promo list`` shows the set in force.
"""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

from .base import EXIT_OK, EXIT_USAGE, Registry, UsageError, error_line, path_arg, shown
from .base import config as _config
from .base import print_result as _print
from .till import _approved


def register(reg: Registry) -> None:
    g = "promotions (促销): import a promotion file, list what is in force"
    p = reg.subcommand("promo", "import", "put a promotion file (CSV/XLSX) in force as the next version; "
                       "all rows or none", cmd_import, group_help=g)
    p.add_argument("file", type=path_arg)
    p.add_argument("--by", required=True, dest="login", help="login of the manager importing it")
    p.add_argument("--pin", required=True, help="their PIN")
    p.add_argument("--approver", help="login of the manager approving, when the person importing may not alone")
    p.add_argument("--approver-pin", help="the approver's PIN")
    p.add_argument("--json", action="store_true")

    p = reg.subcommand("promo", "list", "the promotions in force (version, kind, scope, times)", cmd_list)
    p.add_argument("--active", action="store_true", help="only those that apply now")
    p.add_argument("--json", action="store_true")


def _open(args: argparse.Namespace):  # noqa: ANN202
    from pos.bootstrap import open_till

    return open_till(_config(args))


def cmd_import(args: argparse.Namespace) -> int:
    from pos.domain.promo_file import PromoFileError

    till = _open(args)
    try:
        if not args.login or not args.pin:
            raise UsageError("this needs --by LOGIN --pin PIN")
        who = till.auth.login(args.login, args.pin, via="cli")
        try:
            done = _approved(till, args, who, lambda a: till.promotions.import_file(args.file, who, approval=a))
        except PromoFileError as exc:
            return _rejected(exc, args.json)
    finally:
        till.close()
    _print({"ok": True, "version": done.version, "promotions": done.count, "seq": done.seq}, args.json,
           f"已导入促销 {done.count} 条，版本 {done.version}（imported {done.count} promotions as version {done.version}）")
    return EXIT_OK


def _rejected(exc, as_json: bool) -> int:  # noqa: ANN001
    errors = getattr(exc, "errors", ())
    if as_json:
        print(json.dumps({"ok": False, "error": exc.message, "error_zh": exc.message_zh,
                          "problems": [{"row": e.row, "column": e.column, "reason": e.message_en,
                                        "reason_zh": e.message_zh} for e in errors]}, ensure_ascii=False))
        return EXIT_USAGE
    error_line(f"{exc.message_zh} ({exc.message})")
    for e in errors:
        print(f"  第 {e.row} 行 {shown(str(e.column))}：{shown(e.message_zh)}  (row {e.row}, {shown(str(e.column))}: "
              f"{shown(e.message_en)})", file=sys.stderr)
    return EXIT_USAGE


def _promo_json(p) -> dict[str, Any]:  # noqa: ANN001
    return p.to_json()


def _promo_text(p) -> str:  # noqa: ANN001
    from pos.domain.money import format_yuan

    scope = ";".join(f"{s.field}:{s.value}" if s.value else s.field for s in p.scope) or "all"
    bits = [f"{p.id}", p.name, str(p.kind.value), f"范围 {scope}"]
    if p.threshold_fen is not None:
        bits.append(f"满 {format_yuan(p.threshold_fen)}")
    if p.off_fen is not None:
        bits.append(f"减 {format_yuan(p.off_fen)}")
    if p.pct_bp is not None:
        bits.append(f"减 {p.pct_bp / 100:g}%")
    if p.n is not None:
        bits.append(f"买{p.n}赠{p.m}" if p.m is not None else f"第{p.n}件")
    if p.price_fen is not None:
        bits.append(f"价 {format_yuan(p.price_fen)}")
    if p.start or p.end:
        bits.append(f"{p.start:%Y-%m-%d %H:%M}" if p.start else "…")
        bits.append(f"– {p.end:%Y-%m-%d %H:%M}" if p.end else "– …")
    if p.members_only:
        bits.append("会员专享")
    return "  ".join(bits)


def cmd_list(args: argparse.Namespace) -> int:
    till = _open(args)
    try:
        s = till.promotions.current()
        promos = till.promotions.active() if args.active else s.promotions
    finally:
        till.close()
    if args.json:
        print(json.dumps({"version": s.version, "source": s.source, "promotions": [_promo_json(p) for p in promos]},
                         ensure_ascii=False))
        return EXIT_OK
    print(f"促销版本 {s.version}（version {s.version}{', ' + s.source if s.source else ''}），{len(promos)} 条")
    for p in promos:
        print("  " + _promo_text(p))
    return EXIT_OK
