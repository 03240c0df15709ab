"""Looking after the database: backup (while the till runs) and restore (with the till closed)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from .base import EXIT_OK, Registry, path_arg
from .base import config as _config
from .base import print_result as _print


def register(reg: Registry) -> None:
    p = reg.command("backup", "copy the database into the backup folder (safe while the till is selling)", cmd_backup)
    p.add_argument("--to", type=path_arg, metavar="DIR", help="write the backup into DIR instead of the backup folder")
    p.add_argument("--list", action="store_true", help="list this terminal's backups instead of taking one")
    p.add_argument("--json", action="store_true", help="print the result as a JSON object")

    p = reg.command("restore", "replace the database with a checked backup (close the till first); "
                    "the replaced file is kept", cmd_restore)
    p.add_argument("file", type=path_arg, help="the backup file, e.g. lianxin-MX-MX01-20261122T020000Z-daily.db")
    p.add_argument("--force", action="store_true", help="allow a backup of another terminal than this database's")
    p.add_argument("--json", action="store_true", help="print the result as a JSON object")


def cmd_backup(args: argparse.Namespace) -> int:
    from pos.services.backup import BackupService

    service = BackupService.for_config(_config(args))
    if args.list:
        found = service.backups()
        rows = [{"path": str(b.path), "at": b.at.strftime("%Y-%m-%dT%H:%M:%SZ"), "daily": b.daily,
                 "size": b.path.stat().st_size} for b in found]
        text = "\n".join(f"{r['at']}  {'daily ' if r['daily'] else 'manual'}  {r['size'] / 1e6:8.1f} MB  {r['path']}"
                         for r in rows) or f"no backups in {service.backup_dir}"
        _print({"backups": rows}, args.json, text)
        return EXIT_OK
    r = service.backup(to=args.to)
    _print({"path": str(r.path), "bytes": r.size, "pages": r.pages, "last_seq": r.last_seq, "seconds": round(r.seconds, 3)},
           args.json, f"backup written: {r.path} ({r.size / 1e6:.1f} MB, last seq {r.last_seq}) in {r.seconds:.1f} s")
    return EXIT_OK


def cmd_restore(args: argparse.Namespace) -> int:
    from pos.services.backup import restore

    cfg = _config(args)
    r = restore(Path(cfg.db), args.file, force=args.force)
    kept = f"; the replaced database was kept as {r.kept}" if r.kept else ""
    _print({"database": str(r.database), "backup": str(r.backup), "kept": str(r.kept) if r.kept else None,
            "terminal": r.terminal, "entries": r.entries, "last_seq": r.last_seq, "lost_entries": r.lost_entries,
            "seconds": round(r.seconds, 3)}, args.json,
           f"restored {r.database} from {r.backup}: terminal {r.terminal}, {r.entries} entries, ledger verified{kept}")
    if r.lost_entries and not args.json:
        print(f"note: the replaced database had {r.lost_entries} entries after seq {r.last_seq}; they are only in {r.kept} "
              f"(注意：被替换的数据库在第 {r.last_seq} 条之后还有 {r.lost_entries} 条记录，只保存在 {r.kept} 中)", file=sys.stderr)
    return EXIT_OK
