"""The print queue (待打印): receipts that did not reach the printer, kept until printed or abandoned.

A failed print never blocks the next sale: ReceiptService puts the job here (its exact bytes,
without a drawer kick, plus the plain text the cashier can read) and the till carries on. The
cashier sees ``pending()`` and uses ``retry(id)``, ``retry_all()`` or ``abandon(id)``. The
table is ``print_jobs`` (not ledger data: the sale itself is already journaled).

Every method returns a result with an English and a Chinese message; none raises for a printer
fault.
"""

from __future__ import annotations

import json
import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from sqlalchemy import Engine, func, select

from pos.domain.errors import PosError
from pos.store.schema import print_jobs

from .ports import Clock, PrintResult, utc_iso
from .uow import UnitOfWorkFactory

if TYPE_CHECKING:
    from printers import ReceiptPrinter

log = logging.getLogger(__name__)

PENDING, PRINTED, ABANDONED = "pending", "printed", "abandoned"
KIND_ZH = {"receipt": "小票", "reprint": "重印小票", "test": "测试页", "raw": "打印任务", "report": "报表"}


@dataclass(frozen=True, slots=True)
class QueuedJob:
    id: int
    created_at: str
    receipt_no: str | None
    kind: str
    size: int  # bytes
    text: str | None
    attempts: int
    last_error: str | None  # English
    last_error_zh: str | None
    state: str
    updated_at: str | None = None

    @property
    def label_zh(self) -> str:
        what = KIND_ZH.get(self.kind, self.kind)
        return f"{what} {self.receipt_no}" if self.receipt_no else what

    def to_json(self) -> dict[str, object]:
        return {"id": self.id, "created_at": self.created_at, "receipt_no": self.receipt_no, "kind": self.kind,
                "size": self.size, "attempts": self.attempts, "last_error": self.last_error,
                "last_error_zh": self.last_error_zh, "state": self.state, "updated_at": self.updated_at,
                "label_zh": self.label_zh}


@dataclass(frozen=True, slots=True)
class RetryAllResult:
    ok: bool
    message: str
    message_zh: str
    printed: tuple[int, ...] = ()
    failed: int | None = None  # the job that stopped the run
    remaining: int = 0
    results: tuple[PrintResult, ...] = field(default=())


def _errors(text: str | None) -> tuple[str | None, str | None]:
    if not text:
        return None, None
    try:
        d = json.loads(text)
        return d.get("en"), d.get("zh")
    except (ValueError, AttributeError):
        return text, text


def _row(r) -> QueuedJob:  # noqa: ANN001
    en, zh = _errors(r.last_error)
    return QueuedJob(r.id, r.created_at, r.receipt_no, r.kind, r.size, r.text, r.attempts, en, zh, r.state,
                     r.updated_at)


class PrintQueue:
    def __init__(self, uow: UnitOfWorkFactory, clock: Clock, printer: Callable[[], ReceiptPrinter], *,
                 reader: Engine | None = None) -> None:
        self._uow = uow
        self._clock = clock
        self._printer = printer
        self._reader = reader
        self._retrying = threading.Lock()  # one retry run at a time

    # -- writing -----------------------------------------------------------------------------

    def enqueue(self, *, data: bytes, kind: str = "receipt", receipt_no: str | None = None, text: str | None = None,
                error: str = "", error_zh: str = "") -> int:
        """Keep a job that could not be printed; returns its id."""
        now = utc_iso(self._clock.now())
        with self._uow() as uow:
            result = uow.conn.execute(print_jobs.insert().values(
                created_at=now, receipt_no=receipt_no, kind=kind, bytes=bytes(data), text=text, attempts=1,
                last_error=json.dumps({"en": error, "zh": error_zh or error}, ensure_ascii=False),
                state=PENDING, updated_at=now,
            ))
            job_id = int(result.inserted_primary_key[0])
            uow.commit()
        log.info("print job %s (%s %s) queued: %s", job_id, kind, receipt_no, error)
        return job_id

    def _update(self, job_id: int, **values: object) -> None:
        with self._uow() as uow:
            uow.conn.execute(print_jobs.update().where(print_jobs.c.id == job_id).values(
                updated_at=utc_iso(self._clock.now()), **values))
            uow.commit()

    # -- reading -----------------------------------------------------------------------------

    def _select(self, query):  # noqa: ANN001, ANN202
        if self._reader is not None:
            with self._reader.connect() as conn:
                return conn.execute(query).all()
        with self._uow() as uow:
            return uow.conn.execute(query).all()

    _COLUMNS = (print_jobs.c.id, print_jobs.c.created_at, print_jobs.c.receipt_no, print_jobs.c.kind,
                func.length(print_jobs.c.bytes).label("size"), print_jobs.c.text, print_jobs.c.attempts,
                print_jobs.c.last_error, print_jobs.c.state, print_jobs.c.updated_at)

    def pending(self) -> list[QueuedJob]:
        """Jobs waiting for the printer, oldest first."""
        rows = self._select(select(*self._COLUMNS).where(print_jobs.c.state == PENDING).order_by(print_jobs.c.id))
        return [_row(r) for r in rows]

    def jobs(self, *, limit: int = 100) -> list[QueuedJob]:
        """The newest jobs in any state (for a history view)."""
        rows = self._select(select(*self._COLUMNS).order_by(print_jobs.c.id.desc()).limit(limit))
        return [_row(r) for r in rows]

    def count_pending(self) -> int:
        rows = self._select(select(func.count()).select_from(print_jobs).where(print_jobs.c.state == PENDING))
        return int(rows[0][0])

    def get(self, job_id: int) -> QueuedJob | None:
        rows = self._select(select(*self._COLUMNS).where(print_jobs.c.id == job_id))
        return _row(rows[0]) if rows else None

    def _data(self, job_id: int) -> bytes:
        rows = self._select(select(print_jobs.c.bytes).where(print_jobs.c.id == job_id))
        return bytes(rows[0][0])

    # -- the cashier's actions ---------------------------------------------------------------

    def _missing(self, job_id: int) -> PrintResult:
        return PrintResult(False, f"there is no print job {job_id}", f"没有编号为 {job_id} 的打印任务", job_id)

    def _not_pending(self, job: QueuedJob) -> PrintResult:
        state_zh = {PRINTED: "已打印", ABANDONED: "已放弃"}.get(job.state, job.state)
        return PrintResult(False, f"print job {job.id} is already {job.state}",
                           f"打印任务 {job.id}（{job.label_zh}）{state_zh}", job.id)

    def retry(self, job_id: int) -> PrintResult:
        """Send a pending job again. Printed: marked printed. Failed: stays pending, attempts + 1."""
        with self._retrying:
            return self._retry(job_id)

    def _retry(self, job_id: int) -> PrintResult:
        job = self.get(job_id)
        if job is None:
            return self._missing(job_id)
        if job.state != PENDING:
            return self._not_pending(job)
        data = self._data(job_id)
        try:
            printer = self._printer()
            printer.send_raw(data, job.receipt_no or f"job-{job.id}", kind=job.kind, text=job.text)
        except PosError as exc:
            self._update(job_id, attempts=job.attempts + 1,
                         last_error=json.dumps({"en": exc.message, "zh": exc.message_zh}, ensure_ascii=False))
            return PrintResult(False, f"print job {job_id} ({job.kind} {job.receipt_no or ''}) still not printed: "
                                      f"{exc.message}",
                               f"{job.label_zh} 仍未打印：{exc.message_zh}（已保留在打印队列）", job_id)
        except Exception as exc:  # a driver bug: keep the job, say so plainly
            log.exception("retrying print job %s failed", job_id)
            self._update(job_id, attempts=job.attempts + 1,
                         last_error=json.dumps({"en": str(exc), "zh": str(exc)}, ensure_ascii=False))
            return PrintResult(False, f"print job {job_id} still not printed; it stays in the print queue ({exc})",
                               f"{job.label_zh} 仍未打印：{exc}（已保留在打印队列）", job_id)
        self._update(job_id, attempts=job.attempts + 1, state=PRINTED)
        return PrintResult(True, f"print job {job_id} ({job.kind} {job.receipt_no or ''}) printed",
                           f"{job.label_zh} 已打印", job_id)

    def retry_all(self) -> RetryAllResult:
        """Retry pending jobs oldest first; stop at the first failure (the printer is still not
        ready, so the rest would only wait for it too)."""
        with self._retrying:
            results: list[PrintResult] = []
            printed: list[int] = []
            for job in self.pending():
                r = self._retry(job.id)
                results.append(r)
                if not r.ok:
                    left = self.count_pending()
                    return RetryAllResult(False, f"printed {len(printed)} job(s); stopped at job {job.id}: {r.message}",
                                          f"已打印 {len(printed)} 项；第 {job.id} 项失败：{r.message_zh}，"
                                          f"还有 {left} 项待打印",
                                          tuple(printed), job.id, left, tuple(results))
                printed.append(job.id)
            if not printed:
                return RetryAllResult(True, "nothing is waiting to be printed", "没有待打印的任务")
            return RetryAllResult(True, f"printed {len(printed)} job(s)", f"已打印 {len(printed)} 项",
                                  tuple(printed), None, 0, tuple(results))

    def abandon(self, job_id: int) -> PrintResult:
        """Give up on a job (e.g. the customer left; a reprint can still be made from the sale)."""
        with self._retrying:
            job = self.get(job_id)
            if job is None:
                return self._missing(job_id)
            if job.state != PENDING:
                return self._not_pending(job)
            self._update(job_id, state=ABANDONED)
        return PrintResult(True, f"print job {job_id} abandoned", f"{job.label_zh} 已放弃打印", job_id)
