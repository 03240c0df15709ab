"""``headoffice master-preview`` and ``headoffice master-versions``: what a file would change, and who published what."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from pos.cli.base import EXIT_OK, EXIT_USAGE, Registry, shown


def register(reg: Registry) -> None:
    g = "headoffice"
    p = reg.subcommand(g, "master-preview", "what a catalogue or price file would change against what is published "
                       "(nothing is kept or published)", cmd_preview)
    p.add_argument("file", type=Path)
    p.add_argument("--store", required=True)
    p.add_argument("--mode", choices=["merge", "full"], default="merge",
                   help="merge: only the products and columns in the file (a price file); full: products not in the file stop")

    p = reg.subcommand(g, "master-versions", "a store's published master data versions and who published them", cmd_versions)
    p.add_argument("--store", required=True)


def _engine(args: argparse.Namespace):  # noqa: ANN202
    from .db import open_engine

    return open_engine(getattr(args, "db", None))


def cmd_preview(args: argparse.Namespace) -> int:
    from . import masterdata
    from .masterdata import FileRefused

    engine = _engine(args)
    try:
        data = args.file.read_bytes()
    except OSError as exc:
        print(f"error: cannot read {args.file}: {exc.strerror}", file=sys.stderr)
        return EXIT_USAGE
    try:
        content = masterdata.check_catalog(engine, args.store, args.file.name, data, args.mode)
    except FileRefused as exc:
        print(shown(f"error: {exc.message_zh} / {exc.message}"), file=sys.stderr)
        for r in exc.extra["rows"]:
            print(shown(f"  {r['zh']} / {r['en']}"), file=sys.stderr)
        return EXIT_USAGE
    version, doc = masterdata.published(engine, args.store)
    d = masterdata.diff(doc, masterdata.apply(doc, "catalog", args.mode, content))
    print(f"against published version {version or 'none'} of store {args.store.upper()}: {len(d['added'])} new, "
          f"{len(d['prices'])} price moves, {len(d['changed'])} changed, {len(d['removed'])} removed")
    for r in d["prices"]:
        print(shown(f"  price {r['sku']} {r['name']}: {r['old']} → {r['new']} ({r['pct']})"))
    for r in d["added"]:
        print(shown(f"  new {r['sku']} {r['name']} {r['price']}"))
    for r in d["removed"]:
        print(shown(f"  removed {r['sku']} {r['name']}"))
    return EXIT_OK


def cmd_versions(args: argparse.Namespace) -> int:
    from .masterdata import versions

    for v in versions(_engine(args), args.store.strip().upper()):
        print(shown(f"version {v['version']:4}  published {v['published']} by {v['by']}  effective {v['effective']}  {v['what']}"))
    return EXIT_OK
