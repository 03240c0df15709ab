"""Head-office commands on the till (enroll, sync) and, for the office, ``headoffice …`` (headoffice/cli.py)."""

from __future__ import annotations

import argparse
import json

from pos.domain.errors import PosError

from .base import EXIT_FAILED, EXIT_OK, Registry, UsageError, shown
from .base import config as _config


def register(reg: Registry) -> None:
    p = reg.command("enroll", "connect this till to head office with the one-time code head office gave you", cmd_enroll)
    p.add_argument("url", help="head office address, e.g. http://192.168.1.10:8080, or the whole text of head "
                              "office's enrolment QR code (lianxin-enroll:1?url=…&code=…), then no CODE")
    p.add_argument("code", nargs="?", help="the one-time enrolment code, e.g. ABCD-EFGH-JKLM")

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


def enrol_target(url: str, code: str | None) -> tuple[str, str, tuple[str, str] | None]:
    """``URL CODE`` or the QR text alone → (address, code, (store, terminal) the QR is for, or None)."""
    from pos.sync.enrolment import is_enrolment_text, parse_enrolment_text

    if is_enrolment_text(url):
        if code:
            raise UsageError("give either the QR text alone or URL and CODE, not both")
        try:
            qr = parse_enrolment_text(url)
        except PosError as exc:
            raise UsageError(f"{exc.message_zh} / {exc.message}") from None
        try:
            address = head_office_url(qr.url)
        except argparse.ArgumentTypeError as exc:
            raise UsageError(f"the QR code's address: {exc}") from None
        return address, qr.code, (qr.store, qr.terminal)
    try:
        address = head_office_url(url)
    except argparse.ArgumentTypeError as exc:
        raise UsageError(str(exc)) from None
    if not code:
        raise UsageError("give head office's address and the one-time code (or the enrolment QR text)")
    return address, code, None


def cmd_enroll(args: argparse.Namespace) -> int:
    from pos.bootstrap import open_till

    url, code, meant_for = enrol_target(args.url, args.code)
    till = open_till(_config(args))
    try:
        if meant_for is not None and meant_for != (till.identity.store_code, till.identity.terminal_id):
            raise UsageError(f"this QR code is for terminal {meant_for[1]} of store {meant_for[0]}, but this till is "
                             f"{till.identity.terminal_id} of store {till.identity.store_code} "
                             f"(此二维码属于门店 {meant_for[0]} 的收银机 {meant_for[1]}，本机是 "
                             f"{till.identity.store_code} 的 {till.identity.terminal_id})")
        rep = till.sync.enroll(url, code)
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
