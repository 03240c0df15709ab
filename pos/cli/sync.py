"""Head-office commands on the till (enroll, sync) and, for the office, ``headoffice …`` (headoffice/cli.py)."""

from __future__ import annotations

import argparse
import json

from .base import EXIT_FAILED, EXIT_OK, Registry, shown
from .base import config as _config


def register(reg: Registry) -> None:
    p = reg.command("enroll", "connect this till to head office with the one-time code head office gave you", cmd_enroll)
    p.add_argument("url", type=head_office_url, help="head office address, e.g. http://192.168.1.10:8080")
    p.add_argument("code", help="the one-time enrolment code, e.g. ABCD-EFGH-JKLM")

    p = reg.command("sync", "one full sync cycle with head office: upload the journal, download master data", cmd_sync)
    p.add_argument("--url", type=head_office_url, help="head office address for this cycle (default: the enrolled one), e.g. through a proxy")
    p.add_argument("--status", action="store_true", help="only show the sync status, do not connect")
    p.add_argument("--json", action="store_true")

    from headoffice.cli import register as register_headoffice

    register_headoffice(reg)


def head_office_url(text: str) -> str:
    """An argparse ``type``: ``http(s)://host[:port]``, checked the way the config checks sync_url."""
    from pos.config import ConfigError, typed_setting

    try:
        url = typed_setting("sync_url", text)
    except ConfigError:
        url = None
    if not isinstance(url, str):
        raise argparse.ArgumentTypeError(f"'{text}' is not a head-office address like http://192.168.1.10:8080")
    return url


def cmd_enroll(args: argparse.Namespace) -> int:
    from pos.bootstrap import open_till

    till = open_till(_config(args))
    try:
        rep = till.sync.enroll(args.url, args.code)
    finally:
        till.close()
    print(f"enrolled terminal {rep.terminal_id} of store {rep.store_code} with head office {rep.url}; "
          f"key kept in {rep.secret_kept_in}")
    return EXIT_OK


def cmd_sync(args: argparse.Namespace) -> int:
    from pos.bootstrap import open_till

    till = open_till(_config(args))
    try:
        if args.status:
            st = till.sync.status()
            if args.json:
                print(json.dumps(st.to_json(), ensure_ascii=False, sort_keys=True))
            else:
                print(f"{st.label_zh} / {st.label}: acknowledged up to seq {st.acknowledged_seq} of {st.head_seq}, "
                      f"last success {st.last_success_at or 'never'}")
            return EXIT_OK
        rep = till.sync.run_cycle(args.url)
    finally:
        till.close()
    if args.json:
        print(json.dumps(rep.to_json(), ensure_ascii=False, sort_keys=True))
    else:
        print(f"sent {rep.sent} entries in {rep.batches} batches; head office acknowledged {rep.acknowledged} "
              f"(holds up to seq {rep.acknowledged_seq}); {rep.waiting} waiting; master data version {rep.master_version}"
              + (f", {len(rep.changes)} changes" if rep.changes else "")
              + (f", version {rep.scheduled_version} scheduled" if rep.scheduled_version else ""))
        for c in rep.changes[:50]:
            print(f"  {c.text_zh} / {c.text}")
        if len(rep.changes) > 50:
            print(f"  … and {len(rep.changes) - 50} more")
        if rep.last_error:
            print(shown(f"error: {rep.last_error_zh} ({rep.last_error})"))
    return EXIT_OK if rep.ok else EXIT_FAILED
